"""How often candidates break value fidelity or intent, from an `nlsh eval` JSON report.

    python3 bench/fidelity_counts.py eval-report.json

Per flag (values_missing, values_foreign, beyond_request, opposite, misses_action, needs):
how many tasks' top-1 carries it, how many shown candidates carry it, and how often a
candidate with the flag passed the task's check against one without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FLAGS = ("values_missing", "values_foreign", "beyond_request", "opposite", "misses_action",
         "needs")


def counts(report: dict[str, Any]) -> dict[str, Any]:
    tasks = report.get("tasks", [])
    out: dict[str, Any] = {"tasks": len(tasks)}
    for flag in FLAGS:
        top1 = shown = shown_passed = clean = clean_passed = 0
        for task in tasks:
            candidates = [c for c in task.get("candidates", []) if c.get("shown")]
            for rank, cand in enumerate(candidates, start=1):
                passed = bool((cand.get("verdict") or {}).get("passed"))
                if cand.get(flag):
                    shown += 1
                    shown_passed += passed
                    top1 += rank == 1
                else:
                    clean += 1
                    clean_passed += passed
        out[flag] = {"top1": top1, "shown": shown,
                     "pass_rate_with": round(shown_passed / shown, 3) if shown else None,
                     "pass_rate_without": round(clean_passed / clean, 3) if clean else None}
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: fidelity_counts.py EVAL_REPORT.json", file=sys.stderr)
        return 2
    try:
        report = json.loads(Path(argv[1]).read_text())
    except (OSError, ValueError) as error:
        print(f"cannot read {argv[1]}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(counts(report), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

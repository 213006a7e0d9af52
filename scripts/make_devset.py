#!/usr/bin/env python3
"""Write nlsh/data/devset.jsonl (the strict dev set) from scripts/devset_tasks/.

    python scripts/make_devset.py           # (re)write the file
    python scripts/make_devset.py --check   # exit 1 if the file is out of date

The split is fixed by the task's id (a third, by CRC-32, goes to "final": never looked at
while tuning), so adding a task never moves another between splits. "needs" are the
programs the reference runs (as `scripts/make_eval_tasks.py` finds them).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from devset_tasks import load_tasks  # noqa: E402
from make_eval_tasks import programs_of  # noqa: E402

from nlsh.evaluation.devset import parse_devtask  # noqa: E402

OUTPUT = ROOT / "nlsh" / "data" / "devset.jsonl"


def split_of(ident: str) -> str:
    return "final" if zlib.crc32(ident.encode()) % 3 == 0 else "dev"


def render() -> str:
    lines = []
    for raw in load_tasks():
        task = {"id": raw["id"], "request": raw["request"], "reference": raw["reference"],
                "category": raw["category"], "split": split_of(raw["id"]), "kind": "suggest",
                **{k: v for k, v in raw.items() if k not in ("id", "request", "reference",
                                                             "category")}}
        task["order_matters"] = task.get("stdout", "exact") == "exact"
        task["needs"] = programs_of(task["reference"])
        parse_devtask(task)
        lines.append(json.dumps(task, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check it is up to date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run scripts/make_devset.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} tasks to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Write nlsh/data/eval_tasks.jsonl from the definitions in scripts/eval_tasks/.

    python scripts/make_eval_tasks.py           # (re)write the file
    python scripts/make_eval_tasks.py --check   # exit 1 if the file is out of date

Each task's "programs" (the per-program breakdown of `nlsh eval`) are the programs its
reference solution runs, found with nlsh's tree-sitter parser: every simple command, plus the
program `find -exec` / `xargs` run. Shell builtins that carry no meaning of their own (cd,
echo, test, ...) are left out unless a task names its programs itself or they are all
the reference runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_tasks import load_tasks  # noqa: E402

from nlsh.evaluation.tasks import parse_task  # noqa: E402
from nlsh.shellparse import parse  # noqa: E402

OUTPUT = ROOT / "nlsh" / "data" / "eval_tasks.jsonl"
UNTAGGED = frozenset({
    "cd", "echo", "printf", "true", "false", ":", "set", "export", "local", "read", "shift",
    "exit", "return", "[", "test", "[[", "unset", "eval", "sh", "bash", "do", "done",
})
_RUNS_PROGRAM = {"-exec", "-execdir", "-ok", "-okdir"}
_XARGS_VALUED = {"-d", "-I", "-n", "-L", "-P", "-a", "-E", "-s", "--delimiter", "--max-args"}


def programs_of(command: str) -> list[str]:
    """The programs a command runs, in first-use order, builtins without meaning left out."""
    found: list[str] = []
    for simple in parse(command).commands:
        names = [simple.program]
        argv = simple.argv
        if simple.program == "find":
            names += [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in _RUNS_PROGRAM]
        elif simple.program == "xargs":
            names += _xargs_program(argv[1:])
        for name in names:
            if name and name not in UNTAGGED and name not in found and not name.startswith("{"):
                found.append(name)
    if not found:  # `echo x >> file`: the builtin is the whole point
        found = [p for p in parse(command).programs if p][:1]
    return found


def _xargs_program(args: list[str]) -> list[str]:
    """The program xargs runs: its first argument that is neither an option nor the value
    of one (`xargs -d '\\n' rm -f` runs rm)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _XARGS_VALUED:
            skip = True
        elif not arg.startswith("-"):
            return [arg]
    return []


def build() -> str:
    lines = []
    for raw in load_tasks():
        task: dict[str, Any] = dict(raw)
        if "programs" not in task:
            task["programs"] = programs_of(task["reference"])
        if not task["programs"]:
            raise SystemExit(f"{task['id']}: no program found in the reference; name them")
        parse_task(task, where=task["id"])  # fail here, not at eval time
        ordered = {k: task[k] for k in ("id", "request", "programs", "reference", "wrong",
                                        "fixture", "checks", "notes", "timeout_s") if k in task}
        lines.append(json.dumps(ordered, ensure_ascii=False, sort_keys=False))
    ids = [json.loads(line)["id"] for line in lines]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit(f"duplicate task ids: {sorted(duplicates)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run scripts/make_eval_tasks.py",
                  file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} tasks to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Expand the task definitions in scripts/corpus_tasks/ into nlsh/data/corpus.jsonl.

Deterministic: the same sources always give byte-identical output.
  python scripts/build_corpus.py           # write the file
  python scripts/build_corpus.py --check   # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from corpus_tasks import load_tasks  # noqa: E402
from corpus_tasks._dsl import expand  # noqa: E402

from nlsh.shellparse import parse  # noqa: E402

SLOT = re.compile(r"\{([A-Za-z_]\w*)\}")
OUTPUT = ROOT / "nlsh" / "data" / "corpus.jsonl"


class CorpusError(Exception):
    pass


# Programs that run another program named among their arguments, and their options that take
# a value (so the value is not mistaken for the program).
WRAPPERS: dict[str, set[str]] = {
    "sudo": {"-u", "-g", "-C", "-h", "-p"},
    "xargs": {"-n", "-P", "-I", "-d", "-L", "-a", "-s", "-E"},
    "watch": {"-n", "-d"},
    "time": set(),
    "nohup": set(),
    "nice": {"-n"},
    "timeout": {"-s", "-k"},
    "env": {"-u"},
    "exec": set(),
}
FIND_EXEC = {"-exec", "-execdir", "-ok", "-okdir"}


def programs_of(command: str) -> list[str]:
    """Every program the command runs, including those started by find -exec, xargs, sudo, ..."""
    parsed = parse(command)
    if parsed.has_error:
        raise CorpusError(f"does not parse: {command}")
    seen: list[str] = []
    for simple in parsed.commands:
        if simple.program is None:
            continue
        for program in [simple.program, *_inner_programs(simple.program, simple.argv)]:
            if _plausible(program) and program not in seen:
                seen.append(program)
    for builtin in _declaration_builtins(parsed.root):
        if builtin not in seen:
            seen.append(builtin)
    if not seen:  # `"${EDITOR:-vi}" file`: the program is whatever the variable says
        seen = [p for p in parsed.programs if p]
    if not seen:
        raise CorpusError(f"no program in: {command}")
    return seen


def _plausible(name: str) -> bool:
    """History expansions (!!) and variables (${EDITOR:-vi}) are not program names."""
    return bool(name) and name[0] not in "!$" and not name.isdigit()


def _declaration_builtins(node: Any) -> list[str]:
    """`export`, `unset`, `declare`... are not simple commands to tree-sitter-bash; name them."""
    if node is None:
        return []
    found: list[str] = []
    if node.type in ("declaration_command", "unset_command") and node.children:
        found.append(node.children[0].type)
    for child in node.children:
        found.extend(_declaration_builtins(child))
    return found


def _inner_programs(program: str, argv: list[str]) -> list[str]:
    if program == "find":
        return [argv[i + 1].rsplit("/", 1)[-1] for i, arg in enumerate(argv[:-1])
                if arg in FIND_EXEC]
    if program not in WRAPPERS:
        return []
    takes_value = WRAPPERS[program]
    skip_next = False
    positional = 0
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg.startswith("-"):
            skip_next = arg in takes_value
            continue
        if "=" in arg and program in ("env", "sudo"):
            continue
        positional += 1
        if program == "timeout" and positional == 1:
            continue  # the duration
        first_word = arg.split()[0] if arg.split() else arg  # watch 'df -h'
        return [first_word.rsplit("/", 1)[-1]]
    return []


def build_records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for task in load_tasks():
        slot_names = {m.group(1) for p in task.phrasings for m in SLOT.finditer(p)}
        slot_names |= {name for params in task.params for name in params}
        for i, row in enumerate(expand(task)):
            if SLOT.search(row.request) or "\n" in row.command or any(
                    f"{{{name}}}" in row.command for name in slot_names):
                raise CorpusError(f"{task.key}: unfilled slot or newline in {row}")
            records.append({
                "id": f"{task.key}#{i}",
                "task": task.key,
                "request": row.request,
                "command": row.command,
                "programs": programs_of(row.command),
                "dialect": row.dialect,
            })
    return records


def render(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        text = render(build_records())
    except CorpusError as exc:
        print(f"build_corpus: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/build_corpus.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    n_tasks = len({line.split('"task": ')[1].split(",")[0] for line in text.splitlines()})
    print(f"wrote {len(text.splitlines())} pairs ({n_tasks} tasks) to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

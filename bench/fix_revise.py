"""Top-1 of `nlsh fix` and of a REPL revision with the real embedded model, with and without
the minimal edits and direction-aware ranking (nlsh/followup.py), on the fix and revise
tables of tests/test_fix_revise.py.

    PYTHONPATH=$PWD python3 bench/fix_revise.py

Fix: top-1 is the expected minimal edit. Revise: top-1 changes the previous command the way
the revision asks (`revisions.moves`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_fix_revise import (
    FIX_CASES,
    REVISE_CASES,
    fix_request,
    make_files,
    revise_request,
)

from nlsh import followup, revisions
from nlsh.config import Settings
from nlsh.pipeline import Pipeline


def run(pipeline: Pipeline) -> tuple[int, int]:
    fixed = 0
    for failed, status, error, files, expected in FIX_CASES:
        root = Path(tempfile.mkdtemp(prefix="nlsh-fixbench"))
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        make_files(root, files)
        top = pipeline.suggest(fix_request(failed, status, error, root)).candidates[:1]
        ok = bool(top) and top[0].command == expected
        fixed += ok
        got = top[0].command if top else None
        print(f"  fix    {'ok ' if ok else 'BAD'} {failed!r} -> {got!r}")
    moved = 0
    for previous, revision, _ in REVISE_CASES:
        root = Path(tempfile.mkdtemp(prefix="nlsh-revbench"))
        make_files(root, ["notes.txt", "names.txt", "app.log", "main.py", "site/", "src/",
                          "src/a.py"])
        top = pipeline.suggest(revise_request(previous, revision, root)).candidates[:1]
        ok = bool(top) and revisions.moves(previous, top[0].command, revision) is True
        moved += ok
        print(f"  revise {'ok ' if ok else 'BAD'} {previous!r} + {revision!r} -> "
              f"{top[0].command if top else None!r}")
    return fixed, moved


def main() -> int:
    pipeline = Pipeline(Settings(model="embedded", device="cpu"))
    print("with minimal edits and direction-aware ranking:")
    with_edits = run(pipeline)
    followup.edits = lambda req: []  # type: ignore[assignment]
    followup.reorder = lambda req, ranked: ranked  # type: ignore[assignment]
    print("without (the model's candidates, ranked as for a suggestion):")
    without = run(pipeline)
    for label, (fixed, moved) in (("with", with_edits), ("without", without)):
        print(f"{label:8} fix top-1 {fixed}/{len(FIX_CASES)}   "
              f"revise top-1 moved {moved}/{len(REVISE_CASES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

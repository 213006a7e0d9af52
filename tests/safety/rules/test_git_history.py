"""Case table for `git_history` (issue 16 item 4 adds `git stash drop`): destroying history or
uncommitted work, with look-alikes that only read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
Check = Callable[[str, str, Level, str], None]

FAMILY = "git_history"

CASES: list[tuple[str, Level, str]] = [
    ("git stash drop", D, "deletes the latest stash"),
    ("git stash drop stash@{2}", D, "`stash@{2}`"),
    ("git stash clear", D, "deletes every stash"),
    ("git -C ~/proj stash clear", D, "every stash"),
    ("git clean -fd", D, "untracked files and directories"),
    ("git reset --hard origin/main", D, "discards all uncommitted changes"),
    ("git push --force origin main", D, "force-pushes"),
    ("git branch -D topic", D, "force-deletes"),
    ("git reflog expire --expire=now --all", D, "reflog"),
    # look-alikes
    ("git stash list", S, ""),
    ("git stash show -p", S, ""),
    ("git stash", C, ""),
    ("git stash pop", C, ""),
    ("git clean -n", S, ""),
    ("git log --oneline", S, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check(FAMILY, command, level, fragment)


"""What every family table in this folder checks: the level, a reason fragment, and that a
look-alike is not flagged by the family at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level
from nlsh.safety import assess, findings_for

CWD = "/home/ana/proj"
HOME = "/home/ana"

Check = Callable[[str, str, Level, str], None]


def check_case(family: str, command: str, level: Level, fragment: str) -> None:
    """`fragment` non-empty: the family must fire and one reason contain it; empty: a
    look-alike, which the family must not flag."""
    risk = assess(command, cwd=CWD, home=HOME, blast_radius=False)
    assert risk.level == level, (command, risk.reasons)
    fired = [f for f in findings_for(command, cwd=CWD, home=HOME) if f.rule == family]
    if fragment:
        assert fired, (command, risk.reasons)
        assert any(fragment in r for r in risk.reasons), (command, risk.reasons)
    else:
        assert not fired, (command, fired)


@pytest.fixture
def check() -> Check:
    return check_case

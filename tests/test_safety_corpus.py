"""The labelled risk corpus (tests/data/risk_corpus.jsonl).

Each line is one command with either `min` (a destructive command: it must get at least this
level) or `level` (a benign command, look-alikes included: it must get exactly this level), and
the rule family it exercises. Run with `-s` to see recall on destructive commands and the
false-alarm rate on benign ones.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nlsh.records import Level
from nlsh.safety import assess

CORPUS = Path(__file__).parent / "data" / "risk_corpus.jsonl"
CWD = "/home/ana/proj"
HOME = "/home/ana"


def _load() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    return rows


ROWS = _load()
DESTRUCTIVE = [r for r in ROWS if "min" in r]
BENIGN = [r for r in ROWS if "level" in r]


def _level(command: str) -> Level:
    return assess(command, cwd=CWD, home=HOME, blast_radius=False).level


def test_corpus_shape() -> None:
    assert len(ROWS) >= 300
    assert len({r["command"] for r in ROWS}) == len(ROWS), "duplicate commands"
    assert all(("min" in r) != ("level" in r) for r in ROWS)
    for r in ROWS:
        Level.parse(r.get("min") or r["level"])
    families = Counter(r["family"] for r in DESTRUCTIVE)
    assert len(families) >= 12 and min(families.values()) >= 5, families


@pytest.mark.parametrize("row", DESTRUCTIVE, ids=[r["command"][:60] for r in DESTRUCTIVE])
def test_destructive_reaches_its_level(row: dict[str, str]) -> None:
    assert _level(row["command"]) >= Level.parse(row["min"])


@pytest.mark.parametrize("row", BENIGN, ids=[r["command"][:60] for r in BENIGN])
def test_benign_keeps_its_level(row: dict[str, str]) -> None:
    assert _level(row["command"]) == Level.parse(row["level"])


def test_report_recall_and_false_alarms(capsys: pytest.CaptureFixture[str]) -> None:
    """Figures for the lead: printed, and bounded so that a regression fails here too."""
    caught = Counter[str]()
    total = Counter[str]()
    for row in DESTRUCTIVE:
        total[row["family"]] += 1
        caught[row["family"]] += _level(row["command"]) >= Level.parse(row["min"])
    alarms = Counter[str]()
    under = 0
    benign_total = Counter[str]()
    for row in BENIGN:
        expected = Level.parse(row["level"])
        got = _level(row["command"])
        benign_total[expected.label] += 1
        alarms[expected.label] += got > expected
        under += got < expected
    recall = sum(caught.values()) / len(DESTRUCTIVE)
    false_alarm = sum(alarms.values()) / len(BENIGN)
    with capsys.disabled():
        print(f"\nrisk corpus: {len(ROWS)} commands, {len(DESTRUCTIVE)} destructive, "
              f"{len(BENIGN)} benign")
        print(f"recall on destructive: {recall:.1%} ({sum(caught.values())}/{len(DESTRUCTIVE)})")
        for family in sorted(total):
            print(f"  {family:22} {caught[family]}/{total[family]}")
        print(f"false alarms on benign: {false_alarm:.1%} "
              f"({sum(alarms.values())}/{len(BENIGN)}); under-rated benign: {under}")
        for label in sorted(benign_total):
            print(f"  benign {label:8} {alarms[label]}/{benign_total[label]} raised above label")
    assert recall == 1.0
    assert false_alarm == 0.0 and under == 0

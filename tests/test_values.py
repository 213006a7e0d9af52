"""The values a request names, and the ranking credit for a command that uses them."""

from __future__ import annotations

import pytest

from nlsh.candidates import Pool, rank, ranking_score
from nlsh.context import gather_context
from nlsh.values import Value, coverage, request_values

# (request, the values it names) — requests written for this test.
VALUES = [
    ("count the WARN lines in worker.log", {"WARN", "worker.log"}),
    ("show the last 15 lines of notes.md", {"15", "notes.md"}),
    ("find files over 250MB in /srv/media", {"250", "/srv/media"}),
    ("grep 'disk full' in kern.txt", {"disk full", "kern.txt"}),
    ("print the fifth column of prices.tsv", {"5", "prices.tsv"}),
    ("keep the three newest backups", {"3"}),
    ("list all .webp images", {"webp"}),
    ("convert the CSV export to JSON with jq", set()),  # kinds of thing, not values
    ("show the newest one", set()),  # "one" is not a count here
    ("what is my PATH", {"PATH"}),
    ("copy notes.md and notes.md to ~/backup", {"notes.md", "~/backup"}),
]


@pytest.mark.parametrize(("request_text", "expected"), VALUES)
def test_request_values(request_text: str, expected: set[str]) -> None:
    values = request_values(request_text)
    assert {v.text for v in values} == expected
    assert len(values) == len(set(values))  # each once


# (request, command, share of the request's values the command uses)
COVERAGE = [
    ("count the WARN lines in worker.log", "grep -c WARN worker.log", 1.0),
    ("count the WARN lines in worker.log", "grep -c 'failed' worker.log", 0.5),
    ("show the last 15 lines of notes.md", "tail -n 150 notes.md", 0.5),  # 15 is not in 150
    ("show the last 15 lines of notes.md", "tail -n 15 notes.md", 1.0),
    ("print the fifth column of prices.tsv", "awk '{print $5}' prices.tsv", 1.0),
    ("print the fifth column of prices.tsv", "cut -f4 prices.tsv", 0.5),
    ("find files over 250MB in /srv/media", "find /srv/media -size +250M", 1.0),
    ("find files over 250MB in /srv/media", "find . -size +2.5M", 0.0),
    ("list the files here", "ls", 1.0),  # nothing named: every command is even
]


@pytest.mark.parametrize(("request_text", "command", "share"), COVERAGE)
def test_coverage(request_text: str, command: str, share: float) -> None:
    assert coverage(request_values(request_text), command) == pytest.approx(share)


def test_numbers_match_whole() -> None:
    two = Value("2", numeric=True)
    assert two.used_by("head -n 2 x") and two.used_by("awk '{print $2}'")
    assert not two.used_by("head -n 20 x") and not two.used_by("sleep 1.2")


def test_ranking_prefers_the_command_with_the_users_values(tmp_path) -> None:
    """A retrieved example whose value was not carried over loses to a model answer that
    uses the user's value, although the example has the retrieval bonus."""
    (tmp_path / "worker.log").write_text("WARN a\nINFO b\nWARN c\n")
    context = gather_context(cwd=tmp_path, shell_path="/bin/bash")
    request = "count the WARN lines in worker.log"
    pool = Pool()
    pool.add("grep -c 'failed' worker.log", [-0.2, -0.2], "retrieved")
    pool.mark_retrieved(["grep -c 'failed' worker.log"])
    pool.add("grep -c WARN worker.log", [-0.6, -0.7], "sample")
    ranked = rank(pool, context, request=request)
    assert [c.command for c in ranked] == ["grep -c WARN worker.log",
                                           "grep -c 'failed' worker.log"]
    assert ranked[0].value_coverage == 1.0 and ranked[1].value_coverage == 0.5
    assert ranked[0].to_dict()["value_coverage"] == 1.0
    # With no values named, the term is the same for everyone: the old order stands.
    assert ranking_score(-0.2, 1, 1.0) > ranking_score(-0.6, None, 1.0)

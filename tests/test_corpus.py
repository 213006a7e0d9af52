"""The curated corpus: shape, size, coverage, and that it is exactly what the build script makes."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nlsh import paths
from nlsh.retrieval import load_corpus
from nlsh.shellparse import parse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = paths.data_file("corpus.jsonl")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    with open(CORPUS, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _programs(row: dict[str, object]) -> list[str]:
    programs = row["programs"]
    assert isinstance(programs, list)
    return [str(p) for p in programs]


def test_schema(rows: list[dict[str, object]]) -> None:
    for row in rows:
        assert set(row) == {"id", "task", "request", "command", "programs", "dialect"}, row
        assert isinstance(row["id"], str) and isinstance(row["task"], str)
        assert isinstance(row["request"], str) and row["request"].strip()
        assert isinstance(row["command"], str) and row["command"].strip()
        assert isinstance(row["programs"], list) and row["programs"]
        assert all(isinstance(p, str) and p for p in row["programs"])
        assert row["dialect"] in ("any", "gnu", "bsd")


def test_ids_are_unique(rows: list[dict[str, object]]) -> None:
    ids = Counter(str(r["id"]) for r in rows)
    assert not [i for i, n in ids.items() if n > 1]


def test_size_and_coverage(rows: list[dict[str, object]]) -> None:
    programs = Counter(p for r in rows for p in _programs(r))
    tasks = {r["task"] for r in rows}
    dialects = Counter(str(r["dialect"]) for r in rows)
    print(f"\n{len(rows)} pairs, {len(tasks)} tasks, {len(programs)} programs, "
          f"{len({r['request'] for r in rows})} distinct requests, dialects {dict(dialects)}")
    assert len(rows) >= 3000
    assert len(programs) >= 80
    assert dialects["gnu"] >= 100 and dialects["bsd"] >= 100


def test_every_command_parses_and_is_one_line(rows: list[dict[str, object]]) -> None:
    broken = [r["id"] for r in rows if parse(str(r["command"])).has_error]
    assert not broken
    assert not [r["id"] for r in rows if "\n" in str(r["command"])]


def test_commands_have_no_placeholders(rows: list[dict[str, object]]) -> None:
    """Concrete example values, not <file> or {slot} left for the user to fill in."""
    import re

    # `%{http_code}` (curl), `${var}` and `{{end}}` (Go templates) are syntax, not slots.
    leftover = re.compile(r"<[a-z_]+>|(?<![%${])\{[a-z_]+\}(?!\})|\bYOUR_|\bPATH_TO\b")
    assert not [r["command"] for r in rows if leftover.search(str(r["command"]))]
    assert not [r["request"] for r in rows if re.search(r"\{[a-z_]+\}", str(r["request"]))]


def test_programs_field_names_what_runs(rows: list[dict[str, object]]) -> None:
    for row in rows:
        parsed = parse(str(row["command"]))
        named = set(parsed.programs)
        listed = set(_programs(row))
        # Everything the parser sees is listed (bar variables and history expansions), and
        # extra entries are programs started by find -exec, xargs, sudo, watch, ...
        assert {p for p in named if p[0] not in "$!"} <= listed, row["id"]


def test_tasks_have_several_phrasings(rows: list[dict[str, object]]) -> None:
    phrasings: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        phrasings[str(row["task"])].add(str(row["request"]))
    thin = sorted(task for task, requests in phrasings.items() if len(requests) < 3)
    assert not thin


def test_dialect_variants_pair_up(rows: list[dict[str, object]]) -> None:
    """A task written for one dialect only is fine (apt, launchctl); a task mixing `any` with
    a dialect is not, since retrieval could not tell which to prefer."""
    dialects: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        dialects[str(row["task"])].add(str(row["dialect"]))
    assert not [t for t, d in dialects.items() if "any" in d and len(d) > 1]


def test_loaded_corpus_matches_file(rows: list[dict[str, object]]) -> None:
    entries = load_corpus()
    assert len(entries) == len(rows)
    assert entries[0].request == rows[0]["request"]


def test_file_is_up_to_date_with_the_build_script() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_corpus
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    expected = build_corpus.render(build_corpus.build_records())
    assert CORPUS.read_text(encoding="utf-8") == expected, \
        "nlsh/data/corpus.jsonl is stale: run python scripts/build_corpus.py"

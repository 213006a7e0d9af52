"""The check language and the metrics of `nlsh eval`, on hand-made observations."""

from __future__ import annotations

import gzip
import itertools
import math
import os
import tarfile
from pathlib import Path

import pytest

from nlsh.evaluation.checks import (
    Observation,
    compare_text,
    evaluate,
    first_number,
    glob_regex,
    size_readings,
    validate_check,
)
from nlsh.evaluation.fixtures import build_fixture, parse_fixture
from nlsh.evaluation.metrics import TaskScore, by_program, pass_at_k, percentile, summarize
from nlsh.evaluation.tasks import TaskError, parse_task


def text(mode: str, expect: object = None, **extra: object) -> dict:
    spec = {"mode": mode, **extra}
    if expect is not None:
        spec["expect"] = expect
    return spec


# --- text comparisons ------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "output"), [
    (text("paths", ["a.txt", "notes/b.txt"]), "./notes/b.txt\n./a.txt\n"),
    (text("paths", ["a.txt", "notes/b.txt"]), "a.txt\nnotes//b.txt\n.\n"),
    (text("paths", ["docs"]), "/work/x/docs/\n"),
    (text("lines", ["1 wash car", "2 call"]), "     1\twash car\n     2\tcall\n"),
    (text("sorted_lines", ["b", "a", "a"]), "a\nb\na\n"),
    (text("line_set", ["b", "a"]), "a\nb\na\n\n"),
    (text("words", "x y z"), "x\ny   z\n"),
    (text("exact", "one\ntwo"), "one  \ntwo\n\n"),
    (text("contains", ["alpha", "beta"]), "beta then alpha"),
    (text("regex", r"^id=\d+$"), "x\nid=42\n"),
    (text("regex", r"THURSDAY", ignore_case=True, full=True), " thursday\n"),
    (text("number", 42), "42 notes.txt\n"),
    (text("number", 7), "7:def main():\n"),
    (text("number", 70333.33, tolerance=0.5), "70333.3\n"),
    (text("line_count", 2), "a\n\nb\n"),
    (text("empty"), "  \n"),
    (text("size", 1_200_000, tolerance=0.1), "1.2M\tassets\n"),
    (text("size", 1_200_000, tolerance=0.1), "1176\tassets\n"),
    (text("contains", ["Warning"], ignore_case=True), "WARNING: x"),
])
def test_text_comparisons_accept(spec: dict, output: str) -> None:
    assert compare_text(spec, output, aliases=["/work/x"]) is None


@pytest.mark.parametrize(("spec", "output", "reason"), [
    (text("paths", ["a.txt"]), "a.txt\nb.txt\n", "unexpected {'b.txt'}"),
    (text("paths", ["a.txt", "b.txt"]), "a.txt\n", "missing {'b.txt'}"),
    (text("paths", ["a.txt"]), "/elsewhere/a.txt\n", "unexpected {'/elsewhere/a.txt'}"),
    (text("lines", ["a", "b"]), "b\na\n", "wrong order"),
    (text("sorted_lines", ["a", "a", "b"]), "a\nb\n", "lines differ"),
    (text("exact", "one"), "one\ntwo\n", "expected"),
    (text("contains", ["alpha"], absent=["secret"]), "alpha secret", "contains 'secret'"),
    (text("number", 42), "file2.txt 41\n", "expected 42, got 41"),
    (text("number", 3), "no digits here", "no number"),
    (text("empty"), "x", "expected no output"),
    (text("size", 1_200_000, tolerance=0.1), "2.0M x", "expected about"),
    (text("regex", r"\Aok\Z"), "not ok", "does not match"),
])
def test_text_comparisons_reject_with_a_reason(spec: dict, output: str, reason: str) -> None:
    problem = compare_text(spec, output, aliases=["/work/x"])
    assert problem is not None and reason in problem, problem


def test_first_number_and_size_readings() -> None:
    assert first_number("file2.txt 1.5M 9") == 9
    assert first_number("-3.25 x") == -3.25
    assert first_number("nothing") is None
    assert size_readings("4.0K\tx") == [4096.0, 4000.0]
    assert size_readings("1228800 assets") == [1228800.0, 1228800.0 * 1024]
    assert size_readings("no size") is None


def test_globs_stay_within_a_name_unless_double_star() -> None:
    assert glob_regex("*.txt").match("a.txt")
    assert not glob_regex("*.txt").match("dir/a.txt")
    assert glob_regex("**/*.txt").match("a.txt")
    assert glob_regex("**/*.txt").match("x/y/a.txt")
    assert glob_regex("IMG_[0-9]?.png").match("IMG_12.png")
    assert not glob_regex("IMG_[!0-9]*").match("IMG_1")


@pytest.mark.parametrize("bad", [
    {"mode": "paths"},
    {"check": "nope"},
    {"check": "stdout", "mode": "fuzzy", "expect": "x"},
    {"check": "stdout", "mode": "lines"},
    {"check": "file", "mode": "exact", "expect": "x"},
    {"check": "exists", "path": "a", "colour": "red"},
    {"check": "count", "glob": "*"},
    {"check": "mode", "path": "a"},
    {"check": "stdout", "mode": "regex", "expect": "("},
])
def test_malformed_checks_are_rejected(bad: dict) -> None:
    with pytest.raises(Exception):  # noqa: B017 - ValueError or re.error, both reject
        validate_check(bad)


def test_malformed_tasks_name_the_problem() -> None:
    good = {"id": "t", "request": "r", "reference": "true", "checks": [{"check": "exit",
                                                                       "expect": 0}]}
    parse_task(good)
    for broken, message in [
        ({**good, "checks": []}, "non-empty list"),
        ({**good, "colour": 1}, "unknown key"),
        ({**good, "fixture": {"files": [{"path": "../x", "content": ""}]}}, "inside the fixture"),
        ({**good, "fixture": {"files": [{"path": "a", "size": 1, "content": "x"}]}}, "one of"),
        ({**good, "fixture": {"git": {"commits": [{"message": "m"}], "branches": {"b": 3}}}},
         "commit index"),
    ]:
        with pytest.raises(TaskError, match=message):
            parse_task(broken)


# --- file-tree checks, on a real directory ---------------------------------------------------


def observe(root: Path, fixture_raw: dict, stdout: str = "", exit_code: int = 0) -> Observation:
    return Observation(root=root, exit_code=exit_code, stdout=stdout, timed_out=False,
                       fixture=parse_fixture(fixture_raw), workdir_aliases=[str(root)])


FIXTURE = {"files": [{"path": "a.txt", "content": "alpha\n"},
                     {"path": "run.sh", "content": "#!/bin/sh\n", "mode": "644"}],
           "dirs": [{"path": "empty"}]}


def test_tree_checks_see_what_a_command_left(tmp_path: Path) -> None:
    spec = parse_fixture(FIXTURE)
    build_fixture(spec, tmp_path, now=1e9)
    # What a correct command would have done: move, chmod, archive, link, compress.
    (tmp_path / "b").mkdir()
    os.rename(tmp_path / "a.txt", tmp_path / "b" / "a.txt")
    os.chmod(tmp_path / "run.sh", 0o755)
    with tarfile.open(tmp_path / "x.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "b", arcname="./b")
    with tarfile.open(tmp_path / "flat.tar", "w") as tar:  # `tar -C b -cf flat.tar .`
        tar.add(tmp_path / "b", arcname=".")
    (tmp_path / "link").symlink_to("b/a.txt")
    os.link(tmp_path / "run.sh", tmp_path / "hard")
    (tmp_path / "n.gz").write_bytes(gzip.compress(b"one\ntwo\n"))
    checks = [
        {"check": "absent", "path": "a.txt"},
        {"check": "same", "path": "b/a.txt", "as": "a.txt"},
        {"check": "exists", "path": "empty", "type": "dir"},
        {"check": "mode", "path": "run.sh", "set": "111"},
        {"check": "mode", "path": "run.sh", "expect": "755"},
        {"check": "count", "glob": "**/*.txt", "expect": 1, "type": "file"},
        {"check": "tree", "dir": "b", "expect": ["a.txt"]},
        {"check": "archive", "path": "x.tar.gz", "format": "tar.gz", "members": ["b/a.txt"],
         "content": {"b/a.txt": {"mode": "exact", "expect": "alpha"}}},
        {"check": "archive", "path": "x.tar.gz", "format": "tar.gz", "members": ["b/a.txt"],
         "top_optional": True},
        {"check": "archive", "path": "flat.tar", "format": "tar", "members": ["b/a.txt"],
         "top_optional": True},
        {"check": "link", "path": "link", "target": "b/a.txt"},
        {"check": "hardlink", "path": "hard", "with": "run.sh"},
        {"check": "gzip", "path": "n.gz", "mode": "lines", "expect": ["one", "two"]},
        {"check": "file", "path": "b/a.txt", "mode": "exact", "expect": "alpha"},
    ]
    for check in checks:
        validate_check(check)
    assert evaluate(checks, observe(tmp_path, FIXTURE)) == []
    wrong = [
        ({"check": "exists", "path": "a.txt"}, "a.txt: missing"),
        ({"check": "mode", "path": "run.sh", "clear": "111"}, "has bits 111"),
        ({"check": "tree", "dir": "b", "expect": ["a.txt", "c.txt"]}, "missing {'c.txt'}"),
        ({"check": "archive", "path": "x.tar.gz", "format": "zip"}, "not a zip"),
        ({"check": "archive", "path": "flat.tar", "members": ["b/a.txt"]}, "members differ"),
        ({"check": "link", "path": "b/a.txt", "target": "x"}, "not a symbolic link"),
        ({"check": "same", "path": "hard", "as": "a.txt"}, "not the content"),
        ({"check": "unchanged", "paths": ["a.txt"]}, "no such file"),
    ]
    for check, reason in wrong:
        problems = evaluate([check], observe(tmp_path, FIXTURE))
        assert len(problems) == 1 and reason in problems[0], (check, problems)


def test_exit_status_must_be_zero_unless_a_check_says_otherwise(tmp_path: Path) -> None:
    stdout_check = {"check": "stdout", "mode": "empty"}
    assert evaluate([stdout_check], observe(tmp_path, {}, exit_code=1)) == [
        "exit status 1, expected 0"]
    assert evaluate([stdout_check, {"check": "exit", "expect": [0, 1]}],
                    observe(tmp_path, {}, exit_code=1)) == []
    timed_out = observe(tmp_path, {})
    timed_out.timed_out = True
    assert evaluate([stdout_check], timed_out) == ["timed out"]


def test_checks_never_read_through_links_that_leave_the_fixture(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("alpha\n")
    root = tmp_path / "work"
    root.mkdir()
    (root / "a.txt").symlink_to(outside)
    problems = evaluate([{"check": "file", "path": "a.txt", "mode": "exact", "expect": "alpha"}],
                        observe(root, {}))
    assert problems == ["a.txt: points outside the working directory"]


# --- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "c", "k", "expected"), [
    (10, 3, 1, 0.3),
    (10, 3, 3, 1 - 35 / 120),  # 1 - C(7,3)/C(10,3)
    (8, 2, 3, 1 - 20 / 56),  # 1 - C(6,3)/C(8,3)
    (8, 1, 8, 1.0),
    (8, 0, 8, 0.0),
    (5, 5, 1, 1.0),
    (9, 1, 1, 1 / 9),
    (200, 10, 100, 1 - math.comb(190, 100) / math.comb(200, 100)),
])
def test_pass_at_k_matches_hand_computed_values(n: int, c: int, k: int, expected: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_equals_brute_force_enumeration() -> None:
    for n in range(1, 8):
        for c in range(n + 1):
            outcomes = [True] * c + [False] * (n - c)
            for k in range(1, n + 1):
                subsets = list(itertools.combinations(range(n), k))
                hit = sum(any(outcomes[i] for i in s) for s in subsets) / len(subsets)
                assert pass_at_k(n, c, k) == pytest.approx(hit, abs=1e-12), (n, c, k)


def test_pass_at_k_rejects_impossible_counts() -> None:
    for n, c, k in [(5, 6, 1), (5, -1, 1), (5, 2, 0), (5, 2, 6)]:
        with pytest.raises(ValueError):
            pass_at_k(n, c, k)


def score(ident: str, programs: tuple[str, ...], *, top1: bool, shown: bool, pool: tuple[int, int],
          nc: tuple[int, int], latency: float) -> TaskScore:
    return TaskScore(ident, programs, top1, shown, top1, pool[0], pool[1], nc[0], nc[1], latency)


def test_summary_and_breakdown_by_program() -> None:
    scores = [
        score("a", ("find",), top1=True, shown=True, pool=(4, 1), nc=(8, 2), latency=1.0),
        score("b", ("find", "xargs"), top1=False, shown=True, pool=(5, 2), nc=(8, 0), latency=3.0),
        score("c", ("git",), top1=False, shown=False, pool=(0, 0), nc=(8, 8), latency=2.0),
    ]
    summary = summarize(scores)
    assert summary.tasks == 3
    assert summary.top1 == pytest.approx(1 / 3)
    assert summary.at_shown == pytest.approx(2 / 3)
    # Random pick: the mean over tasks of the fraction of correct candidates (empty pool: 0).
    assert summary.random_pick == pytest.approx((1 / 4 + 2 / 5 + 0) / 3)
    assert summary.ranking_gain == pytest.approx(summary.top1 - summary.random_pick)
    assert summary.pass_at["1"] == pytest.approx((2 / 8 + 0 + 1) / 3)
    assert summary.pass_at["8"] == pytest.approx((1 + 0 + 1) / 3)
    assert summary.latency_p50_s == 2.0
    assert summary.latency_p95_s == pytest.approx(2.9)
    groups = by_program(scores)
    assert sorted(groups) == ["find", "git", "xargs"]
    assert groups["find"].tasks == 2 and groups["find"].top1 == 0.5
    assert groups["xargs"].top1 == 0.0


def test_pass_at_k_is_undefined_with_too_few_samples() -> None:
    few = [score("a", ("ls",), top1=True, shown=True, pool=(1, 1), nc=(3, 1), latency=1.0)]
    assert summarize(few).pass_at == {"1": pytest.approx(1 / 3), "3": 1.0, "8": None}


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5

"""Dedupe, validation against this machine, and ranking by mean log-probability."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.candidates import (
    Pool,
    normalize,
    pool_from_samples,
    rank,
    ranking_score,
    validate,
)
from nlsh.context import gather_context
from nlsh.records import Sample, ShellContext


@pytest.fixture(scope="module")
def gnu(tmp_path_factory: pytest.TempPathFactory) -> ShellContext:
    return gather_context(tmp_path_factory.mktemp("cwd"), shell_path="/bin/bash")


@pytest.fixture(scope="module")
def bsd(gnu: ShellContext) -> ShellContext:
    return ShellContext(**{**gnu.to_dict(), "userland": "bsd", "git": None})


@pytest.mark.parametrize("command", [
    "ls -la", "find . -type f -size +100M", "du -sh * | sort -h", "grep -rn TODO .",
    "tar -xzvf a.tgz -C /tmp", "for f in *.txt; do wc -l \"$f\"; done", "cd /tmp && ls",
    "echo $((1 + 2))", "[[ -f a ]] && cat a", "ps aux | grep -v grep | grep python",
    "f() { echo hi; }; f", "$EDITOR notes.txt", "kill -TERM 1234", "head -n -5 notes.txt",
    "tail -5 app.log", "find . -mtime -7 -size -10M", "git log --oneline -n 5",
    "awk -F: '{print $1}' f",
    "sort -t, -k2 -n data.csv", "tar xzvf a.tgz",
    # find's operators and the command -exec runs are not find's options
    "find . -path ./node_modules -prune -o -type f -name '*.js' -print",
    "find . -type d -name __pycache__ -prune -exec rm -rf {} +",
    "find . \\( -name a -or -name b \\) -a ! -newer x.txt -exec wc -l {} \\;",
    # unzip documents -d and -x under ARGUMENTS as `[-d exdir]`
    "unzip photos.zip -d photos/", "unzip -q photos.zip -x '*.tmp'",
    "grep -o x notes.txt | sort -",  # `-` is standard input, not a missing file
])
def test_valid_commands(command: str, gnu: ShellContext) -> None:
    check = validate(command, gnu, request=command)  # as if the user named its files
    assert check.valid, check.problems


@pytest.mark.parametrize(("command", "problem"), [
    ("ls -la | (grep", "does not parse"),
    ("frobnicate --all", "frobnicate: command not found"),
    ("ls | nosuchprogram-xyz", "nosuchprogram-xyz: command not found"),
    ("cat /path/to/file.txt", "placeholder"),
    ("cp <source> <dest>", "placeholder"),
    ("sed -i '' 's/a/b/' f.txt", "BSD form"),
    ("date -v-1d", "BSD-only"),
    ("base64 -D in.txt", "BSD-only"),
    ("ls --frobnicate", "no option --frobnicate"),
    ("grep -Q pattern file", "no option -Q"),
    ("ls -100 -a", "no option -100"),
    ("find . -type l -delete -delete -delete", "repeats -delete 3 times"),
    ("find . -size +1M 2>/dev/null -mz", "no option -mz"),  # words after a redirect count
    ("find . -name a -o -frobnicate -exec rm {} +", "no option -frobnicate"),
    ("unzip -Q photos.zip", "no option -Q"),
])
def test_invalid_commands(command: str, problem: str, gnu: ShellContext) -> None:
    check = validate(command, gnu)
    assert not check.valid
    assert any(problem in p for p in check.problems), check.problems


def test_gnu_flags_are_flagged_for_a_bsd_userland(bsd: ShellContext) -> None:
    check = validate("date -d yesterday", bsd)
    assert any("GNU-only" in p for p in check.problems)


@pytest.mark.parametrize(("a", "b"), [
    ("ls  -la", "ls -la"), ("ls -la;", "ls -la"), ("du -sh *  |  sort -h", "du -sh * | sort -h"),
    ("echo 'a  b'", "echo 'a  b'"),
])
def test_normalized_forms_match(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_quoted_spaces_are_not_collapsed() -> None:
    assert normalize("echo 'a  b'") != normalize("echo 'a b'")


def _sample(text: str, lps: list[float], greedy: bool = False) -> Sample:
    return Sample(text=text, token_logprobs=lps, greedy=greedy)


def test_dedupes_keeping_the_best_logprob_and_counting_votes(gnu: ShellContext) -> None:
    pool = pool_from_samples([
        _sample("ls -la", [-1.0, -1.0], greedy=True),
        _sample("```bash\nls  -la\n```", [-0.2, -0.2]),
        _sample("ls -a", [-0.5]),
    ])
    assert len(pool.entries) == 2
    entry = pool.entries[normalize("ls -la")]
    assert entry.mean_logprob == pytest.approx(-0.2)
    assert entry.votes == 2 and entry.origins == ["greedy", "sample"]


def test_valid_always_ranks_above_invalid(gnu: ShellContext) -> None:
    pool = Pool()
    pool.add("frobnicate --now", [-0.01], "greedy")  # best log-prob, but no such program
    pool.add("ls -l", [-2.0], "sample")
    pool.add("ls -la", [-1.0], "sample")
    ranked = rank(pool, gnu)
    assert [c.command for c in ranked] == ["ls -la", "ls -l"]  # invalid ones hidden
    assert all(c.valid for c in ranked)


def test_invalid_ones_shown_only_when_nothing_is_valid(gnu: ShellContext) -> None:
    pool = Pool()
    pool.add("frobnicate --now", [-0.5], "greedy")
    pool.add("ls | (", [-0.1], "sample")
    ranked = rank(pool, gnu)
    assert len(ranked) == 2 and not any(c.valid for c in ranked)
    assert ranked[0].command == "ls | ("  # still by log-probability among the invalid
    assert ranked[0].problems


def test_retrieved_commands_enter_the_pool_scored(gnu: ShellContext, tmp_path: Path) -> None:
    pool = Pool()
    pool.add("ls", [-1.5], "greedy")
    pool.add_scored(["ls -S", "ls"], [_sample("ls -S", [-0.3]), _sample("ls", [-9.0])],
                    origin="retrieved")
    ranked = rank(pool, gnu)
    assert ranked[0].command == "ls -S" and ranked[0].origins == ["retrieved"]
    assert ranked[1].origins == ["greedy", "retrieved"]
    assert ranked[1].mean_logprob == pytest.approx(-1.5)


def test_the_most_similar_retrieved_command_is_raised(gnu: ShellContext) -> None:
    pool = Pool()
    pool.add("ls -l", [-0.3], "greedy")  # the model's favourite
    pool.add("ls -lS", [-1.2], "sample")  # also what the best retrieved example says
    pool.add_scored(["ls -la", "ls -lS"], [_sample("ls -la", [-1.0]), _sample("ls -lS", [-9.0])],
                    origin="retrieved")
    pool.mark_retrieved(["ls -lS", "ls -la"])
    ranked = rank(pool, gnu)
    assert [c.command for c in ranked] == ["ls -lS", "ls -l", "ls -la"]
    assert [c.retrieval_rank for c in ranked] == [1, None, 2]
    assert ranked[0].origins == ["sample", "retrieved"]
    assert ranked[0].score == pytest.approx(ranking_score(-1.2, 1))
    assert ranked[0].to_dict()["retrieval_rank"] == 1


@pytest.fixture
def project(tmp_path: Path) -> ShellContext:
    (tmp_path / "notes.txt").write_text("a\n")
    (tmp_path / "docs").mkdir()
    return gather_context(tmp_path, shell_path="/bin/bash")


@pytest.mark.parametrize(("command", "request_text", "missing"), [
    ("find src -type f -size +1M", "files over 1MB here", "src"),
    ("wc -l todo.txt", "count lines in my notes", "todo.txt"),
    ("grep -n TODO main.py", "find TODO comments", "main.py"),
    ("tail -n 20 app.log", "last lines of the log", "app.log"),
    ("df -h /var/log/system/system/system/", "disk usage of this folder",
     "/var/log/system/system/system/"),
])
def test_inputs_copied_from_examples_that_do_not_exist(
        command: str, request_text: str, missing: str, project: ShellContext) -> None:
    check = validate(command, project, request_text)
    assert f"{missing}: no such file or directory here" in check.problems


@pytest.mark.parametrize(("command", "request_text"), [
    ("find . -name '*.txt'", "text files"),
    ("find docs -type f", "files in docs"),
    ("wc -l notes.txt", "count lines"),
    ("wc -l report.txt", "count lines in report.txt"),  # the user named it: their call
    ("grep -rn TODO .", "find TODO"),
    ("grep -e main notes.txt", "lines with main"),
    ("mkdir out && ls out", "make out and list it"),
    ("ls ~ /tmp", "list home and tmp"),
    ("sort -o sorted.txt notes.txt", "sort notes"),
    ("head -n 5 *.log", "first lines of logs"),  # a glob is left to the shell
])
def test_existing_or_mentioned_inputs_pass(command: str, request_text: str,
                                           project: ShellContext) -> None:
    check = validate(command, project, request_text)
    assert not any("no such file" in p for p in check.problems), check.problems


def test_unscored_retrieved_commands_rank_as_a_typical_candidate(tmp_path) -> None:
    """A server without a scoring endpoint leaves retrieved commands without log-probs: they
    count as the median scored candidate, so the retrieval bonus ranks them, not -inf."""
    context = gather_context(cwd=tmp_path, shell_path="/bin/bash")
    pool = Pool()
    pool.add("ls -a", [-1.0], "sample")
    pool.add("ls -l", [-0.5], "sample")
    pool.add("ls -la", [-2.0], "sample")
    pool.add_scored(["ls -lh"], [Sample("ls -lh", [])], origin="retrieved")
    pool.mark_retrieved(["ls -lh"])
    ranked = rank(pool, context, request="list the files here")
    assert ranked[0].command == "ls -lh"
    assert ranked[0].to_dict()["mean_logprob"] < -1e6  # still reported as unscored
    assert [c.command for c in ranked[1:]] == ["ls -l", "ls -a", "ls -la"]


def test_a_code_model_is_trusted_over_retrieved_commands_with_foreign_values(
        project: ShellContext) -> None:
    """The greedy answer of a code model uses the request's own file; a retrieved example
    kept another file's name: with `trust_model` the model's answer ranks first."""
    request = "show the first 3 lines of notes.txt"

    def pool() -> Pool:
        made = Pool()
        made.add("head -n 3 notes.txt", [-0.9], "greedy")
        made.add_scored(["head -n 3 todo.md"], [_sample("head -n 3 todo.md", [-0.2])],
                        origin="retrieved")
        made.mark_retrieved(["head -n 3 todo.md"])
        return made

    trusting = rank(pool(), project, request=request, trust_model=True, checking=False)
    assert [c.command for c in trusting] == ["head -n 3 notes.txt", "head -n 3 todo.md"]
    assert trusting[1].score == pytest.approx(ranking_score(-0.2, None, 0.5) - 2.0)
    # Without it (the small chat model's fitted ranking) the retrieved one keeps its bonus.
    plain = {c.command: c for c in rank(pool(), project, request=request, checking=False)}
    assert plain["head -n 3 todo.md"].score == pytest.approx(ranking_score(-0.2, 1, 0.5))


def test_unscored_retrieved_commands_do_not_outrank_a_code_models_agreed_answer(
        project: ShellContext) -> None:
    from nlsh.pipeline import models_answers_agree

    pool = Pool()
    for origin in ("greedy", "sample", "sample"):
        pool.add("wc -l notes.txt", [-0.4], origin)
    assert models_answers_agree(pool)
    pool.add_scored(["cat notes.txt | wc -l"], [_sample("cat notes.txt | wc -l", [])],
                    origin="retrieved")
    pool.mark_retrieved(["cat notes.txt | wc -l"])
    ranked = rank(pool, project, request="count the lines of notes.txt", trust_model=True)
    assert [c.command for c in ranked] == ["wc -l notes.txt", "cat notes.txt | wc -l"]
    pool.add("wc notes.txt", [-2.0], "sample")
    assert not models_answers_agree(pool)

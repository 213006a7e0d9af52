"""Trial runs in the real sandbox: failing candidates are demoted, real files stay as they were."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from nlsh.context import gather_context
from nlsh.records import Candidate
from nlsh.sandbox import namespace_problem
from nlsh.sandbox.trial import TrialRun, trial_run, untried_reason
from nlsh.shellparse import parse
from nlsh.trials import try_candidates

NAMESPACE_PROBLEM = namespace_problem()
needs_namespaces = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None, reason=f"no sandbox here: {NAMESPACE_PROBLEM}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "report.csv.gz").write_bytes(gzip.compress(b"id,total\n1,10\n"))
    (root / "notes.txt").write_text("alpha\nbeta\n")
    return root


def ranked(*commands: str) -> list[Candidate]:
    return [Candidate(command=c, score=-i, mean_logprob=-i) for i, c in enumerate(commands)]


@pytest.mark.parametrize(("command", "reason"), [
    ("ls -l", None),
    ("find . -name '*.txt' | xargs wc -l", None),
    ("rm -rf build", None),  # contained: the overlay throws its effect away
    ("curl -sO https://example.com/x", "it uses the network"),
    ("git push origin main", "it uses the network"),
    ("top -o %CPU", "top needs a terminal"),
    ("ps aux | less", "less needs a terminal"),
    ("docker ps -a", "docker talks to a running service"),
    ("sudo ls /root", "needs privileges the preview does not grant"),
    ("kill -9 1234", "signals running processes"),
    ("ls 'unterminated", "the command does not parse"),
])
def test_commands_are_tried_only_where_a_failure_means_something(command, reason):
    found = untried_reason(parse(command))
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


@pytest.mark.parametrize(("run", "failed"), [
    (TrialRun("unxz a.gz", 1, "unxz: a.gz: File format not recognized", False), True),
    (TrialRun("grep zeta notes.txt", 1, "", False), False),  # found nothing: an answer
    (TrialRun("sleep 30", None, "", True), False),  # too slow to tell
    (TrialRun("ls", 0, "ls: warning", False), False),
    (TrialRun("find / -name x", 1, "find: '/root': Permission denied", False), False),
])
def test_only_a_complaint_with_a_failing_status_is_a_failure(run, failed):
    assert run.failed is failed


@needs_namespaces
def test_a_trial_reports_the_first_error_line(project):
    run = trial_run("unxz report.csv.gz", cwd=str(project))
    assert run is not None and run.failed
    assert "report.csv.gz" in run.error and "\n" not in run.error
    ok = trial_run("gunzip -c report.csv.gz", cwd=str(project))
    assert ok is not None and not ok.failed and ok.exit_code == 0


@needs_namespaces
def test_a_trial_never_touches_the_real_files(project):
    before = sorted(p.name for p in project.iterdir())
    run = trial_run("rm -f ./* && touch created", cwd=str(project))
    assert run is not None and run.exit_code == 0
    assert sorted(p.name for p in project.iterdir()) == before


@needs_namespaces
def test_failing_candidates_go_below_the_others_and_say_why(project):
    context = gather_context(cwd=project, shell_path="/bin/bash")
    out = try_candidates(ranked("unxz report.csv.gz", "bunzip2 report.csv.gz",
                                "gunzip report.csv.gz", "zcat report.csv.gz"),
                         context, request="decompress report.csv.gz", tries=6)
    assert [c.command for c in out] == ["gunzip report.csv.gz", "zcat report.csv.gz",
                                        "unxz report.csv.gz", "bunzip2 report.csv.gz"]
    assert [c.valid for c in out] == [True, True, False, False]
    assert "failed when tried here" in out[2].problems[0]
    assert (project / "report.csv.gz").exists()


@needs_namespaces
def test_only_the_first_few_are_tried(project):
    context = gather_context(cwd=project, shell_path="/bin/bash")
    out = try_candidates(ranked("gunzip report.csv.gz", "unxz report.csv.gz"), context,
                         request="decompress report.csv.gz", tries=1)
    assert all(c.valid for c in out)


@needs_namespaces
def test_a_request_for_a_verdict_keeps_commands_that_answer_no(project):
    (project / "broken.json").write_text('{"a": 1,,}')
    context = gather_context(cwd=project, shell_path="/bin/bash")
    out = try_candidates(ranked("jq empty broken.json", "cat broken.json"), context,
                         request="is broken.json valid JSON?", tries=6)
    assert [c.command for c in out] == ["jq empty broken.json", "cat broken.json"]
    assert all(c.valid for c in out)


@needs_namespaces
def test_blocked_commands_are_not_tried(project):
    context = gather_context(cwd=project, shell_path="/bin/bash")
    out = try_candidates(ranked(":(){ :|:& };:", "ls"), context, request="x", tries=6)
    assert [c.valid for c in out] == [True, True]


def test_no_sandbox_means_no_trials(project, monkeypatch):
    monkeypatch.setenv("NLSH_SANDBOX", "copy")
    assert trial_run("unxz report.csv.gz", cwd=str(project)) is None


def test_a_bad_sandbox_setting_skips_trials_instead_of_failing_the_request(project, monkeypatch):
    monkeypatch.setenv("NLSH_SANDBOX", "bogus")
    assert trial_run("unxz report.csv.gz", cwd=str(project)) is None

"""Candidates that do what was asked: intent, values, missing programs, the user's shell.

Tables of (request, candidates) in our own words, through the real ranking with real
validation on this machine (a temporary directory as the working directory)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nlsh.candidates import Pool, order_after_trials, rank
from nlsh.context import gather_context
from nlsh.fidelity import judge
from nlsh.records import Candidate, ShellContext
from nlsh.sandbox import namespace_problem
from nlsh.trials import try_candidates
from nlsh.validation import validate


@pytest.fixture
def here(tmp_path: Path) -> ShellContext:
    (tmp_path / "build.log").write_text("ok\n")
    (tmp_path / "notes.txt").write_text("alpha\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("print(1)\n")
    return gather_context(tmp_path, shell_path="/bin/bash")


def ranked(context: ShellContext, request: str, *commands: str) -> list[Candidate]:
    """`commands` from most to least likely by the model, ranked for `request`."""
    pool = Pool()
    for i, command in enumerate(commands):
        pool.add(command, [-0.1 - 0.2 * i], "sample")
    return rank(pool, context, request=request)


# (request, command, marks it must carry) — the failure shapes of issue 19, reworded.
MARKS = [
    ("delete all .log files in this folder", "find . -maxdepth 1 -type f ! -name '*.log' -delete",
     ["does the opposite of the request"]),
    ("delete all .log files in this folder", "ls | grep -v '\\.log$' | xargs rm -f",
     ["does the opposite of the request"]),
    ("delete all .log files in this folder", "rm -f ./*.txt",
     ["does the opposite of the request", "leaves out log"]),
    ("delete all .log files in this folder", "find . -maxdepth 1 -type f -name '*.log' -delete",
     []),
    ("delete every file except the .log ones", "find . -maxdepth 1 -type f ! -name '*.log' -delete",
     []),
    ("delete the .bak files in this folder (not in subfolders)",
     "find . -maxdepth 1 -type f ! -name '*.bak' -delete", ["does the opposite of the request"]),
    ("delete everything in the downloads folder except setup.deb",
     "git rm --cached setup.deb", ["does not do the requested action"]),
    ("remove files older than 31 days", "find . -type f -mtime +31",
     ["does not do the requested action"]),
    ("remove files older than 31 days", "find . -type f -mtime +31 -delete", []),
    ("remove the duplicate lines from notes.txt", "sort -u notes.txt", []),
    ("show git branches", "git branch --merged main | grep -v main | xargs -r git branch -d",
     ["goes beyond the request: it changes things"]),
    ("show git branches", "git branch -a", []),
    ("check which files git clean would delete", "git clean -fd",
     ["goes beyond the request: it changes things"]),
    ("check which files git clean would delete", "git clean -n", []),
    ("list the files here", "find . -mindepth 1 -maxdepth 1 -type d", ["finds directories only"]),
    ("list the folders here", "find . -maxdepth 1 -type f", ["finds files only"]),
    ("python files changed today", "find . -name '*.py' -mtime -7",
     ["uses values nobody gave: -mtime -7"]),
    ("python files changed today", "find . -name '*.py' -mtime 0", []),
    ("python files changed in the last 3 days", "find . -name '*.py' -mtime -3", []),
    ("copy the web server's config file to this folder",
     "docker cp nginx:/etc/nginx/nginx.conf .", ["uses values nobody gave: nginx"]),
    ("fetch the weekly report from the backup machine",
     "scp ubuntu@192.168.1.10:/home/ubuntu/report.pdf .",
     ["uses values nobody gave: ubuntu@192.168.1.10"]),
    ("fetch report.pdf from ana@files.example.com", "scp ana@files.example.com:report.pdf .", []),
    ("show the logs of the api container", "docker logs web_1",
     ["uses values nobody gave: web_1"]),
    ("count the lines in /srv/shop/orders.csv", "wc -l orders.csv",
     ["leaves out /srv/shop/orders.csv"]),
    ("count the lines in /srv/shop/orders.csv", "wc -l /srv/shop/orders.csv", []),
    ("is anything listening on port 8080", "ss -ltnp | grep 8080", []),
    ("is anything listening on port 8080", "ss -ltnp | grep 80", ["leaves out 8080"]),
]


@pytest.mark.parametrize(("request_text", "command", "marks"), MARKS)
def test_each_failure_shape_is_marked(here, request_text, command, marks):
    assert judge(command, request_text, here).marks == marks


def test_a_listing_of_files_ranks_above_directories_only(here):
    out = ranked(here, "list the files here", "find . -mindepth 1 -maxdepth 1 -type d",
                 "find . -maxdepth 1 -type f")
    assert out[0].command == "find . -maxdepth 1 -type f"
    assert out[1].misses_action and "finds directories only" in out[1].marks


def test_a_deletion_that_spares_what_was_named_goes_last(here):
    out = ranked(here, "delete all .log files in this folder",
                 "find . -maxdepth 1 -type f ! -name '*.log' -delete",
                 "find . -maxdepth 1 -type f -name '*.log'",
                 "rm -f ./*.log")
    assert [c.command for c in out] == ["rm -f ./*.log",
                                        "find . -maxdepth 1 -type f -name '*.log'",
                                        "find . -maxdepth 1 -type f ! -name '*.log' -delete"]
    assert out[2].opposite and not out[0].opposite
    assert out[1].misses_action


def test_the_requested_deletion_ranks_above_the_listing(here):
    out = ranked(here, "remove files older than 31 days", "find . -type f -mtime +31",
                 "find . -type f -mtime +31 -delete")
    assert out[0].command == "find . -type f -mtime +31 -delete"
    assert "does not do the requested action" in out[1].marks


def test_a_look_only_request_puts_read_only_commands_first(here):
    out = ranked(here, "check which files git clean would delete", "git clean -fd",
                 "git clean -n")
    assert [c.command for c in out] == ["git clean -n", "git clean -fd"]
    assert out[1].beyond_request and not out[0].beyond_request


def test_today_is_not_the_last_seven_days(here):
    out = ranked(here, "python files changed today", "find . -name '*.py' -mtime -7",
                 "find . -name '*.py' -mtime 0")
    assert out[0].command == "find . -name '*.py' -mtime 0"
    assert out[1].values_foreign == ["-mtime -7"]


def test_a_named_directory_is_not_replaced_by_dot(here, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("reports")
    (elsewhere / "q1.csv").write_text("a\n")
    request = f"count the lines of every csv file in {elsewhere}"
    out = ranked(here, request, "wc -l ./*.csv", f"wc -l {elsewhere}/*.csv")
    assert out[0].command == f"wc -l {elsewhere}/*.csv"
    assert out[1].values_missing == [str(elsewhere)]


def test_the_directory_the_user_is_in_may_be_written_as_dot(here):
    assert judge("ls -la .", f"list the files in {here.cwd}", here).values_missing == []


def test_values_nobody_gave_rank_below(here):
    out = ranked(here, "copy the web server's config file to this folder",
                 "docker cp nginx:/etc/nginx/nginx.conf .", "cp /etc/hostname .")
    assert out[0].command == "cp /etc/hostname ."
    assert out[1].values_foreign == ["nginx"]


def test_an_untried_deleting_command_does_not_jump_over_failed_read_only_ones(here):
    # Outside a repository the read-only commands fail their trial; the deleting one, third,
    # is never tried. It must not come first for that.
    out = ranked(here, "show git branches", "git branch -a", "git branch --list",
                 "git branch --merged main | grep -v main | xargs -r git branch -d")
    assert out[2].beyond_request
    if namespace_problem() is not None:
        out[0].trial = out[1].trial = "failed"
        out[0].valid = out[1].valid = False
        out = order_after_trials(out)
    else:
        out = try_candidates(out, here, request="show git branches", tries=2)
        assert [c.trial for c in out[:2]] == ["failed", "failed"]
    assert out[0].command == "git branch -a"
    assert out[-1].command.startswith("git branch --merged")


def test_a_failed_trial_still_goes_below_an_untried_one_of_the_same_standing():
    def cand(command: str, trial: str | None) -> Candidate:
        return Candidate(command, 0.0, 0.0, valid=trial != "failed", trial=trial)

    out = order_after_trials([cand("unxz a.gz", "failed"), cand("gunzip a.gz", "passed"),
                              cand("zcat a.gz", None)])
    assert [c.command for c in out] == ["gunzip a.gz", "zcat a.gz", "unxz a.gz"]


def _missing_program() -> str:
    for program in ("cpio", "ncdu", "pv", "pigz", "tree"):
        if shutil.which(program) is None:
            return program
    pytest.skip("every program this test could use is installed")


def test_a_right_answer_needing_a_missing_program_is_shown_marked(here):
    program = _missing_program()
    request = f"use {program} on the files in src"
    out = ranked(here, request, f"find src | {program} -o > out.bin" if program == "cpio"
                 else f"{program} src", "date +%Y-%m-%d")
    assert out[0].command.startswith(("find src", program))
    assert out[0].needs == [program]
    assert not out[0].valid
    assert any(m.startswith(f"needs {program} (not installed; `") for m in out[0].marks)
    assert out[1].command == "date +%Y-%m-%d"


def test_a_made_up_program_is_still_not_found(here):
    check = validate("frobnicate-files src", here)
    assert not check.valid and check.needs == []
    assert check.problems == ["frobnicate-files: command not found on this machine"]


def in_shell(context: ShellContext, shell: str) -> ShellContext:
    return ShellContext(**{**context.to_dict(), "shell": shell, "git": None})


needs_fish = pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
needs_zsh = pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")

BASH_LOOP = "for f in *.txt; do wc -l $f; done"
FISH_LOOP = "for f in *.txt; wc -l $f; end"
ZSH_LOOP = "for f (*.txt) wc -l $f"


@needs_fish
@pytest.mark.parametrize(("command", "valid"), [
    (BASH_LOOP, False), (FISH_LOOP, True), ("ls -la | wc -l", True),
    ("echo ${HOME}", False), ("if [ -f notes.txt ]; then cat notes.txt; fi", False),
    ("count=3; echo $count", False),
])
def test_fish_syntax_is_checked_by_fish(here, command, valid):
    check = validate(command, in_shell(here, "fish"))
    assert check.valid is valid, check.problems
    if not valid:
        assert check.problems[0].startswith("does not parse as fish syntax")


@needs_zsh
@pytest.mark.parametrize(("command", "valid"), [
    (BASH_LOOP, True), (ZSH_LOOP, True), (FISH_LOOP, False), ("ls -la | wc -l", True),
])
def test_zsh_syntax_is_checked_by_zsh(here, command, valid):
    check = validate(command, in_shell(here, "zsh"))
    assert check.valid is valid, check.problems


def test_bash_keeps_its_own_parser(here):
    assert validate(BASH_LOOP, here).valid
    assert not validate(FISH_LOOP, here).valid


@needs_fish
def test_a_bash_loop_is_not_the_top_answer_in_fish(here):
    out = ranked(in_shell(here, "fish"), "count the lines of each txt file", BASH_LOOP,
                 FISH_LOOP)
    assert [c.command for c in out] == [FISH_LOOP]


def test_the_new_fields_travel_as_json_and_old_records_still_load():
    cand = Candidate("git clean -fd", 1.0, -0.5, beyond_request=True, values_foreign=["x"],
                     needs=["cpio"], marks=["goes beyond the request: it changes things"],
                     trial="passed")
    again = Candidate.from_dict(cand.to_dict())
    assert again == cand
    old = {"command": "ls", "score": 0.0, "risk": {"level": "safe", "reasons": []}}
    assert Candidate.from_dict(old).marks == []


@pytest.mark.parametrize(("request_text", "command", "marks"), [
    ("python files changed in the last 24 hours", "find . -name '*.py' -mtime -1", []),
    ("python files changed in the last 24 hours", "find . -name '*.py' -mmin -1440", []),
    ("python files changed in the last 24 hours", "find . -name '*.py' -mtime -30",
     ["leaves out 24", "uses values nobody gave: -mtime -30"]),
    ("remove the user account bob", "userdel bob", []),
    ("delete the staging pod", "kubectl delete pod staging", []),
    ("delete the staging pod", "kubectl get pod staging", ["does not do the requested action"]),
])
def test_time_spans_and_other_deletions(here, request_text, command, marks):
    assert judge(command, request_text, here).marks == marks


def test_an_adapted_example_with_values_nobody_gave_is_dropped(here):
    pool = Pool()
    pool.add("cp /etc/hostname .", [-0.9], "sample")
    pool.add("scp ubuntu@192.168.1.10:/home/ubuntu/report.pdf .", [-0.2], "retrieved")
    pool.add("scp ana@files.example.com:report.pdf .", [-0.5], "retrieved")
    out = rank(pool, here, request="fetch report.pdf from ana@files.example.com")
    assert [c.command for c in out] == ["scp ana@files.example.com:report.pdf .",
                                        "cp /etc/hostname ."]


def test_a_dropped_adaptation_comes_back_when_nothing_else_is_left(here):
    pool = Pool()
    pool.add("scp ubuntu@192.168.1.10:/home/ubuntu/report.pdf .", [-0.2], "retrieved")
    out = rank(pool, here, request="fetch the weekly report from the backup machine")
    assert [c.values_foreign for c in out] == [["ubuntu@192.168.1.10"]]


def test_the_marks_are_shown_with_the_candidate(here):
    from nlsh.tui.render import candidate_text

    out = ranked(here, "check which files git clean would delete", "git clean -fd",
                 "git clean -n")
    line = candidate_text(2, out[1]).plain
    assert "git clean -fd" in line and "[goes beyond the request: it changes things]" in line
    assert "[" not in candidate_text(1, out[0]).plain.split("git clean -n", 1)[1]


@pytest.mark.parametrize(("program", "manager", "package"), [
    ("cpio", "apt", "cpio"), ("cal", "apt", "ncal"), ("cal", "dnf", "util-linux"),
    ("cal", "brew", None), ("dig", "dnf", "bind-utils"), ("dig", "apt", "dnsutils"),
    ("rg", "pacman", "ripgrep"), ("frobnicate-files", "apt", None),
])
def test_the_package_that_provides_a_program(program, manager, package):
    from nlsh.packages import package_for

    assert package_for(program, manager) == package


# Right answers that an over-eager check would mark (found on the project's eval references).
@pytest.mark.parametrize(("request_text", "command"), [
    ("what weekday was 3 March 2021?", "date -d 2021-03-03 +%A"),
    ("which day of the year is 2022-10-02 (1 to 365)?", "date -d 2022-10-02 +%j"),
    ("how many days from 2024-01-01 to 2024-05-01",
     "echo $(( ($(date -ud 2024-05-01 +%s) - $(date -ud 2024-01-01 +%s)) / 86400 ))"),
    ("strip every line containing TRACE from server.log, in place",
     "sed -i '/TRACE/d' server.log"),
    ("empty out access.log without deleting it", "truncate -s 0 access.log"),
    ("get only conf/site.toml out of bundle.tar.gz", "tar -xzf bundle.tar.gz conf/site.toml"),
    ("make files log01.txt through log05.txt", "touch log{01..05}.txt"),
    ("how many lines of each kind (ERROR, INFO, ...) are in app.log?",
     "awk '{print $2}' app.log | sort | uniq -c"),
    ("which files do NOT mention main", "grep -L main ./*"),
])
def test_right_answers_carry_no_marks(here, request_text, command):
    assert judge(command, request_text, here).marks == []


def test_a_date_written_to_a_file_still_changes_things(here):
    assert judge("date -d 2021-03-03 +%A > day.txt", "what weekday was 3 March 2021?",
                 here).beyond_request


def test_the_counts_from_an_eval_report():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "bench" / "fidelity_counts.py"
    spec = importlib.util.spec_from_file_location("fidelity_counts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = {"tasks": [
        {"candidates": [
            {"shown": True, "values_foreign": ["nginx"], "verdict": {"passed": False}},
            {"shown": True, "values_foreign": [], "verdict": {"passed": True}},
            {"shown": False, "values_foreign": ["x"], "verdict": {"passed": False}}]},
        {"candidates": [
            {"shown": True, "values_missing": ["/srv"], "verdict": {"passed": False}}]},
    ]}
    counts = module.counts(report)
    assert counts["values_foreign"] == {"top1": 1, "shown": 1, "pass_rate_with": 0.0,
                                        "pass_rate_without": 0.5}
    assert counts["values_missing"]["top1"] == 1 and counts["opposite"]["shown"] == 0

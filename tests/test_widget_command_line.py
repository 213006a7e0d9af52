"""The shell key on a line that is already a command: left as typed, or, when it fails
validation, fixes labelled with the problem (issue 16 item 5). Runs the real key helper as the
hook does; fixes come from the real pipeline behind a real daemon (tiny random model)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_helper(env: dict[str, str], cwd: Path, buffer: str, known: str = "") -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "nlsh.daemon.widget", "--shell", "bash", "--key", "Ctrl-G"],
        env={**env, "NLSH_WIDGET_BUFFER": buffer, "NLSH_WIDGET_KNOWN": known}, cwd=cwd,
        capture_output=True, timeout=300, check=True)
    fields = out.stdout.decode().split("\0")
    assert fields[0] == "nlsh-widget/1", out
    return fields


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("a\n")
    return tmp_path


@pytest.mark.parametrize("line", ["ls -la", "du -sh *", "rm -rf ~", "cat notes.txt | wc -l"])
def test_a_valid_command_is_left_alone_and_the_message_says_so(nlsh_home, here, line):
    fields = run_helper(nlsh_home.env, here, line)
    assert fields[1:4] == [
        "message", f"nlsh: already a command ({line}), left as typed; press Ctrl-G on an "
                   "English request", "0"]
    assert nlsh_home.daemon_pid() is None  # no model was asked


def test_an_alias_the_shell_knows_is_left_alone(nlsh_home, here):
    fields = run_helper(nlsh_home.env, here, "ll", known="ll")
    assert fields[1] == "message" and "already a command (ll)" in fields[2]


def test_a_command_failing_validation_gets_fixes_labelled_with_the_problem(nlsh_home, here):
    fields = run_helper(nlsh_home.env, here, "cat nothere.txt")
    problem = "nothere.txt: no such file or directory here"
    if fields[1] == "ok":
        count = int(fields[3])
        offers = [fields[4 + 3 * i: 7 + 3 * i] for i in range(count)]
        assert count >= 1
        for buffer, _level, note in offers:
            assert f"fix for: {problem}" in note
            assert buffer != "cat nothere.txt"
    else:  # the tiny model may have nothing better: the message still names the problem
        assert fields[1] == "message"
        assert f"cat nothere.txt fails the check ({problem})" in fields[2]


def test_an_english_request_starting_with_a_program_still_goes_to_the_model(nlsh_home, here):
    fields = run_helper(nlsh_home.env, here, "find big files here")
    assert "already a command" not in fields[2]
    assert nlsh_home.daemon_pid() is not None  # the model was asked

"""one_line and render: what the user sees, from real man pages."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from rich.console import Console

from nlsh.explain import docs, explain, one_line, render
from nlsh.records import Explanation, Risk

ANSI = re.compile(r"\x1b\[[0-9;]*m")


pytestmark = pytest.mark.usefixtures("module_doc_cache")


def rendered(command: str | Explanation, width: int = 80, **console_args: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, color_system="standard",
                      **console_args)  # type: ignore[arg-type]
    render(command, console)
    return buffer.getvalue()


# -- one_line ----------------------------------------------------------------------------------

def test_one_line_names_program_and_options():
    line = one_line("find . -name '*.txt' -size +1M")
    assert line.startswith("find: search for files in a directory hierarchy")
    assert "-name: Base of file name" in line
    assert "-size: File uses less than, more than or exactly n" in line
    assert len(line) <= 160


def test_one_line_shortens_descriptions_before_dropping_options():
    command = ("tar --create --gzip --verbose --file out.tgz --exclude '*.o' "
               "--one-file-system --preserve-permissions --directory /src .")
    line = one_line(command)
    assert len(line) <= 160
    assert line.startswith("tar: an archiving utility")
    for flag in ("--create", "--gzip", "--exclude", "--preserve-permissions", "--directory"):
        assert flag in line
    assert len(one_line(command, limit=60)) <= 60
    assert one_line(command, limit=60).endswith("…")


def test_one_line_subcommand_and_undocumented_option():
    assert one_line("git log --oneline").startswith("git log: Show commit logs")
    assert "--frobnicate: no documentation found" in one_line("ls --frobnicate")


def test_one_line_pipeline_covers_each_program():
    line = one_line("ps aux | grep -v grep | wc -l", limit=400)
    for piece in ("ps: report a snapshot", "grep: print lines that match patterns",
                  "-v: Invert the sense of matching", "wc: print newline, word, and byte counts",
                  "-l: print the newline counts"):
        assert piece in line


def test_warm_one_line_runs_no_subprocess(monkeypatch: pytest.MonkeyPatch):
    command = "du -sh --max-depth=1 /var | sort -h | tail -n 5"
    cold = one_line(command)
    docs.forget()  # a new process: only the JSON cache is left

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"spawned {args!r} on a warm cache")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    assert one_line(command) == cold


# -- render ------------------------------------------------------------------------------------

def test_render_fits_80_columns_and_shows_sources():
    out = rendered("tar -xzvf backup.tgz -C /tmp && find /tmp -name '*.conf' | xargs grep -n port")
    plain = ANSI.sub("", out)
    lines = plain.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "man tar(1)" in plain and "man bash(1): Lists" in plain
    assert "Extract files from an archive" in plain
    assert "┬" in plain  # the underline row


def test_render_long_command_wraps_with_its_underline():
    command = "find . -type f -name '*.log' -mtime +30 -size +10M -exec gzip -9 {} \\; -print"
    plain = ANSI.sub("", rendered(command, width=60))
    lines = plain.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert lines[0] == command[:60] and lines[2] == command[60:]


def test_render_says_when_there_is_no_documentation():
    plain = ANSI.sub("", rendered("grep -Q pattern notes"))
    assert "no documentation found for -Q" in plain


def test_render_honours_no_color(monkeypatch: pytest.MonkeyPatch):
    coloured = rendered("ls -la | wc -l")
    assert re.search(r"\x1b\[[0-9;]*3[1-7]m", coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    plain = rendered("ls -la | wc -l")
    assert not re.search(r"\x1b\[[0-9;]*3[1-7]m", plain)
    assert "list directory contents" in plain


def test_render_takes_an_explanation_record():
    command = "rm -rf build"
    explanation = Explanation(command=command, risk=Risk(), parts=explain(command))
    plain = ANSI.sub("", rendered(explanation))
    assert "remove directories and their contents recursively" in plain


def test_render_handles_non_ascii_offsets():
    command = "echo 'héllo wörld' | wc -c"
    plain = ANSI.sub("", rendered(command))
    lines = plain.splitlines()
    assert lines[0] == command
    underline = lines[1]
    assert underline[command.index("|")] in "│┬"


def test_one_line_subcommand_after_global_option():
    line = one_line("git -C repo log --oneline")
    assert line.startswith("git log: Show commit logs · -C: Run as if git was started in")

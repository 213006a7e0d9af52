"""Is the line at the prompt already a command (Ctrl-G leaves it alone) or an English request
(Ctrl-G asks the model)? Both kinds in one table, on this machine's real programs."""

from __future__ import annotations

import shutil

import pytest

from nlsh.linekind import classify, first_word_may_be_command

COMMANDS = [
    "ls -la",
    "du -sh *",
    "rm -rf ~",
    "ls",
    "git status",
    "git push origin main",
    "git log --oneline -5",
    "git commit -m 'fix the parser for all of the files'",
    "find . -name '*.py' -mtime -7",
    "find",
    "sort -n notes.txt",
    "sort notes.txt | uniq -c",
    "kill -9 1234",
    "kill %1",
    "watch -n 1 df -h",
    "watch df",
    "make",
    "make -j4",
    "make install",
    "touch notes.md",
    "touch newfile",
    "touch a b c",
    "time make",
    "time ls -la",
    "which python3",
    "grep -r the .",
    "grep TODO notes.txt",
    "echo hello world",
    "echo the end of all things",
    "cd ..",
    "ps aux",
    "tar -czf backup.tgz src",
    "cat notes.txt report.csv",
    "for f in *.txt; do wc -l $f; done",
    "x=1",
    "FOO=bar env",
    "sudo apt update",
    "ls | wc -l",
    "df -h > /tmp/out.txt",
    "cp -r src /tmp/backup",
    "man 5 crontab",
    "head -n 20 report.csv",
    "chmod +x run.sh",
    "ssh user@example.com",
    "timeout 5 sleep 10",
    "./run.sh --fast",
]

REQUESTS = [
    "find big files here",
    "find large files",
    "find files older than a week",
    "list files by size",
    "show disk usage",
    "sort the lines by length",
    "sort lines of notes.txt by length",
    "kill the process on port 8080",
    "kill whatever is using port 3000",
    "watch the log file for errors",
    "watch memory usage",
    "make a new directory called src",
    "make a tarball of this folder",
    "touch all python files",
    "touch every file in this directory",
    "time how long make takes",
    "which process uses port 80",
    "which shell am i using",
    "what's eating my disk",
    "how do I undo the last commit",
    "git undo the last commit",
    "du of each folder here",
    "ls hidden files",
    "cat the last lines of the log",
    "grep for errors in the log",
    "man page for tar",
    "compress the photos",
    "count lines in all python files",
    "Find big files",
    "delete empty directories",
    "sudo make me a sandwich",
]


@pytest.fixture
def here(tmp_path):
    for name in ("notes.txt", "report.csv", "src", "run.sh"):
        path = tmp_path / name
        if name == "src":
            path.mkdir()
        else:
            path.write_text("x\n")
    (tmp_path / "run.sh").chmod(0o755)
    return str(tmp_path)


def _programs_present(line: str) -> None:
    for program in ("git", "make", "watch", "python3", "tar", "ssh", "sudo", "man", "timeout"):
        if f"{program} " in f"{line} " and shutil.which(program) is None:
            pytest.skip(f"{program} is not installed here")


@pytest.mark.parametrize("line", COMMANDS)
def test_a_real_command_is_left_alone(line, here):
    _programs_present(line)
    kind = classify(line, here)
    assert kind.is_command, kind


@pytest.mark.parametrize("line", REQUESTS)
def test_an_english_request_goes_to_the_model(line, here):
    kind = classify(line, here)
    assert not kind.is_command, kind


def test_the_tables_are_big_enough_and_cover_program_names():
    assert len(COMMANDS) >= 25 and len(REQUESTS) >= 25
    starts = {r.split()[0] for r in REQUESTS}
    assert {"find", "sort", "kill", "watch", "make", "touch", "time", "which"} <= starts


def test_an_alias_the_shell_knows_is_a_command(here):
    assert not classify("ll", here).is_command
    assert classify("ll", here, known={"ll"}).is_command


def test_most_requests_never_need_the_parser():
    assert not first_word_may_be_command("list files by size")
    assert not first_word_may_be_command("show me the disk usage")
    assert first_word_may_be_command("ls -la")
    assert first_word_may_be_command("./run.sh")
    assert first_word_may_be_command("FOO=1 make")

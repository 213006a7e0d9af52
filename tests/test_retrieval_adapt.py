"""adapt_command: a retrieved example's concrete values replaced by the request's."""

from __future__ import annotations

import pytest

from nlsh.retrieval import Example, Retriever, adapt_command
from nlsh.shellparse import parse

# (example request, example command, new request, expected command)
CASES: list[tuple[str, str, str, str]] = [
    # sizes, in find's units and others
    ("files bigger than 50MB", "find . -type f -size +50M", "files over 2GB",
     "find . -type f -size +2G"),
    ("files bigger than 50MB", "find . -type f -size +50M", "files over 1.5 gigs",
     "find . -type f -size +1536M"),
    ("find files larger than 100MB", "find . -type f -size +100M",
     "find files larger than 500 bytes", "find . -type f -size +500c"),
    ("files smaller than 10KB", "find . -type f -size -10k", "files smaller than 3 KB",
     "find . -type f -size -3k"),
    ("split backup.tar.gz into 100MB chunks", "split -b 100M backup.tar.gz backup.part_",
     "split backup.tar.gz into 250MB chunks", "split -b 250M backup.tar.gz backup.part_"),
    ("files between 10MB and 100MB", "find . -type f -size +10M -size -100M",
     "files between 1GB and 3GB", "find . -type f -size +1G -size -3G"),
    # extensions, as globs and in --include
    ("find all pdf files", "find . -type f -name '*.pdf'", "find all jpg files",
     "find . -type f -name '*.jpg'"),
    ("find all pdf files", "find . -type f -name '*.pdf'", "find all python files",
     "find . -type f -name '*.py'"),
    ("search for TODO only in py files", "grep -rn --include='*.py' 'TODO' .",
     "search for TODO only in .js files", "grep -rn --include='*.js' 'TODO' ."),
    ("how many md files are there", "find . -type f -name '*.md' | wc -l",
     "how many csv files are there", "find . -type f -name '*.csv' | wc -l"),
    ("delete all tmp files recursively", "find . -type f -name '*.tmp' -delete",
     "delete all bak files recursively", "find . -type f -name '*.bak' -delete"),
    # numbers, with time units converted to the command's unit
    ("files older than 7 days", "find . -type f -mtime +7", "files older than 2 weeks",
     "find . -type f -mtime +14"),
    ("files older than 7 days", "find . -type f -mtime +7", "files older than a month",
     "find . -type f -mtime +30"),
    ("files modified in the last 30 minutes", "find . -type f -mmin -30",
     "files modified in the last 2 hours", "find . -type f -mmin -120"),
    ("files modified in the last 30 minutes", "find . -type f -mmin -30",
     "files modified in the last 45 minutes", "find . -type f -mmin -45"),
    ("show the last 20 lines of server.log", "tail -n 20 server.log",
     "show the last five lines of app.log", "tail -n 5 app.log"),
    ("first 10 lines of notes.txt", "head -n 10 notes.txt", "first 3 lines of todo.txt",
     "head -n 3 todo.txt"),
    ("top 10 processes by memory usage", "ps aux --sort=-%mem | head -n 10",
     "top 25 processes by memory usage", "ps aux --sort=-%mem | head -n 25"),
    ("last 10 commits", "git log --oneline -n 10", "last 4 commits",
     "git log --oneline -n 4"),
    ("squash the last 3 commits", "git rebase -i HEAD~3", "squash the last 6 commits",
     "git rebase -i HEAD~6"),
    ("kill process 1234", "kill 1234", "kill process 98765", "kill 98765"),
    ("print line 42 of notes.txt", "sed -n '42p' notes.txt", "print line 7 of notes.txt",
     "sed -n '7p' notes.txt"),
    # ports appear twice: both change
    ("run nginx with port 8080", "docker run -p 8080:8080 nginx", "run nginx with port 9000",
     "docker run -p 9000:9000 nginx"),
    ("what is listening on port 8080", "lsof -i :8080", "what is listening on port 3000",
     "lsof -i :3000"),
    # file names, paths, quoted text, hosts
    ("extract backup.tar.gz", "tar -xzf backup.tar.gz", "extract site.tar.gz",
     "tar -xzf site.tar.gz"),
    ("disk usage of /var/log", "du -sh /var/log", "disk usage of ~/Downloads",
     "du -sh ~/Downloads"),
    ("search for 'connection refused' in app.log", "grep -n 'connection refused' app.log",
     'search for "out of memory" in kern.log', "grep -n 'out of memory' kern.log"),
    ("ssh into deploy@10.0.0.5", "ssh deploy@10.0.0.5", "ssh into bob@web1.example.org",
     "ssh bob@web1.example.org"),
    ("ping 8.8.8.8 4 times", "ping -c 4 8.8.8.8", "ping 1.1.1.1 10 times",
     "ping -c 10 1.1.1.1"),
    ("resolve example.com", "dig +short example.com", "resolve python.org",
     "dig +short python.org"),
    ("download https://example.com/file.tar.gz", "curl -LO https://example.com/file.tar.gz",
     "download https://example.org/tool.zip", "curl -LO https://example.org/tool.zip"),
    ("copy notes.txt to backup/", "cp notes.txt backup/", "copy report.pdf to backup/",
     "cp report.pdf backup/"),
    # redirect targets are file names too
    ("print words.txt in capital letters", "tr '[:lower:]' '[:upper:]' < words.txt",
     "print shout.txt converted to all capital letters", "tr '[:lower:]' '[:upper:]' < shout.txt"),
    ('append "new entry" to config.yaml', "echo 'new entry' >> config.yaml",
     'append "export EDITOR=vim" to profile.sh', "echo 'export EDITOR=vim' >> profile.sh"),
    # an all-capitals word is the text searched for; acronyms are not
    ("delete lines containing TODO from notes.txt", "sed -i '/TODO/d' notes.txt",
     "remove every line containing DEBUG from app.log", "sed -i '/DEBUG/d' app.log"),
    ("lines in data.csv containing ERROR", "grep 'ERROR' data.csv",
     "lines in the CSV export.csv containing WARN", "grep 'WARN' export.csv"),
    # find wants a lower-case k; ranges share their unit; "half an hour"
    ("find files larger than 2GB", "find . -type f -size +2G",
     "find files bigger than 10 kilobytes", "find . -type f -size +10k"),
    ("split backup.tar.gz into 100MB chunks", "split -b 100M backup.tar.gz backup.part_",
     "split backup.tar.gz into 20KB chunks", "split -b 20K backup.tar.gz backup.part_"),
    ("files between 1MB and 10MB", "find . -type f -size +1M -size -10M",
     "files between 1 and 5 kilobytes", "find . -type f -size +1k -size -5k"),
    ("files modified in the last 10 minutes", "find . -type f -mmin -10",
     "anything touched in the last half hour", "find . -type f -mmin -30"),
    # a directory the request names replaces `.`, or the example's own named directory
    ("find files larger than 2GB", "find . -type f -size +2G",
     "find files bigger than 10 kilobytes in the logs folder", "find logs -type f -size +10k"),
    ("count all *.py files under here", "find . -type f -name '*.py' | wc -l",
     "how many .md files are there under docs/?", "find docs -type f -name '*.md' | wc -l"),
    ("how much space does this folder take up", "du -sh .",
     "how much space does the assets folder take up?", "du -sh assets"),
    ("find .py files but skip the venv directory",
     "find . -path './venv' -prune -o -type f -name '*.py' -print",
     "find .js files but skip the node_modules directory",
     "find . -path './node_modules' -prune -o -type f -name '*.js' -print"),
    ("search for TODO recursively", "grep -rn 'TODO' . | grep -v '^./build'",
     "search for TODO in the src directory", "grep -rn 'TODO' src | grep -v '^./build'"),
    ("compare this folder with the backup", "diff -rq . backup",
     "compare the site folder with backup", "diff -rq site backup"),
    # the example's plain word, quoted in its command, is the request's search term
    ("search notes.md for deadline ignoring case", "grep -i 'deadline' notes.md",
     "find lines mentioning 'budget' in notes.md, any case", "grep -i 'budget' notes.md"),
    ("how often does timeout appear in worker.log", "grep -o 'timeout' worker.log | wc -l",
     "how many WARN entries are in worker.log?", "grep -o 'WARN' worker.log | wc -l"),
    ("lines with deprecated in api.txt", 'grep -n "deprecated" api.txt',
     "lines with 'legacy' in api.txt", 'grep -n "legacy" api.txt'),
    # ... but not when the example's command quotes something the example did not say
    ("lines with a number at the start", "grep '^[0-9]' data.txt",
     "lines with 'x' at the start", "grep '^[0-9]' data.txt"),
    ("count lines in app.log", "grep -c '' app.log", "count lines with 'panic' in app.log",
     "grep -c '' app.log"),
    # left alone: nothing to change, counts disagree, or the value cannot be quoted safely
    ("search for 'x' in a.txt", "grep 'x' a.txt", "search for \"it's\" in a.txt",
     "grep 'x' a.txt"),
    ("find all pdf files", "find . -type f -name '*.pdf'", "find all pdf files here",
     "find . -type f -name '*.pdf'"),
    ("copy a.txt to b.txt", "cp a.txt b.txt", "copy c.txt somewhere", "cp a.txt b.txt"),
    ("files older than 7 days", "find . -type f -mtime +7", "files older than 3 hours",
     "find . -type f -mtime +7"),
    ("show the last 20 lines of server.log", "tail -n 20 server.log",
     "show the last 20 days of logs", "tail -n 20 server.log"),
    ("remove notes.txt", "rm notes.txt", "remove a;rm -rf ~.txt", "rm notes.txt"),
    ("list the files", "ls -l", "list the 5 files", "ls -l"),
]


@pytest.mark.parametrize(("example_request", "example_command", "new_request", "expected"), CASES)
def test_adapt(example_request: str, example_command: str, new_request: str,
               expected: str) -> None:
    example = Example(example_request, example_command, [], 1.0, "corpus")
    assert adapt_command(example, new_request) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_adapted_commands_keep_their_programs() -> None:
    for example_request, example_command, request, _ in CASES:
        adapted = adapt_command(Example(example_request, example_command, [], 1.0, "corpus"),
                                request)
        assert not parse(adapted).has_error
        assert parse(adapted).programs == parse(example_command).programs


def test_adapting_retrieved_examples_end_to_end() -> None:
    """What the pipeline would do: retrieve, then carry the request's values over."""
    retriever = Retriever.default()
    request = "find files bigger than 750MB"
    best = retriever.search(request, k=1)[0]
    assert best.task.startswith("find.size.larger")
    assert "+750M" in adapt_command(best, request)
    request = "find all .webp files"
    best = retriever.search(request, k=1)[0]
    assert "'*.webp'" in adapt_command(best, request)

"""Case table for `interpreter_deletes` (issue 16 item 4): trees deleted by Python, Ruby,
JavaScript and Perl one-liners, rated like the `rm` they amount to."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
Check = Callable[[str, str, Level, str], None]

FAMILY = "interpreter_deletes"

CASES: list[tuple[str, Level, str]] = [
    ("python3 -c 'import shutil; shutil.rmtree(\"/home/ana\")'", B,
     "your entire home directory"),
    ("python -c \"import shutil, os; shutil.rmtree(os.path.expanduser('~'))\"", B,
     "your entire home directory"),
    ("python3 -c \"import shutil, os; shutil.rmtree(os.path.expanduser('~/Documents'))\"", D,
     "`~/Documents`"),
    ("python3 -c 'import shutil; shutil.rmtree(\"/etc\")'", B, "`/etc`"),
    ("python3 -c 'import shutil, sys; shutil.rmtree(sys.argv[1])' /srv/data", D,
     "only known when it runs"),
    ("python3 -c 'import shutil; from pathlib import Path; shutil.rmtree(Path.home())'", B,
     "home directory"),
    ("ruby -e 'require \"fileutils\"; FileUtils.rm_rf(\"/\")'", B, "the whole system"),
    ("ruby -e 'require \"fileutils\"; FileUtils.rm_rf(Dir.home)'", B, "home directory"),
    ("ruby -e 'require \"fileutils\"; FileUtils.rm_rf Dir.glob(\"*\")'", D,
     "everything in the current directory"),
    ("ruby -e 'FileUtils.rm_rf(ARGV[0])' /srv", D, "only known when it runs"),
    ("node -e 'require(\"fs\").rmSync(\"/home/ana\", {recursive: true, force: true})'", B,
     "home directory"),
    ("node -e 'require(\"fs\").rmSync(process.argv[1], {recursive: true})'", D,
     "only known when it runs"),
    ("node -e 'require(\"rimraf\").sync(\"/var/lib/app\")'", D, "`/var/lib/app`"),
    ("perl -e 'unlink glob \"*\"'", D, "everything in the current directory"),
    ("perl -MFile::Path -e 'rmtree(\"/home/ana\")'", B, "home directory"),
    ("perl -e 'use File::Path qw(remove_tree); remove_tree(\"$ENV{HOME}/proj\")'", D,
     "`~/proj`"),
    ("python3 -c \"__import__('shutil').rmtree('/opt/app')\"", D, "`/opt/app`"),
    ("python3 -c \"import os; [os.remove(f) for f in os.listdir('.')]\"", D,
     "everything in the current directory"),
    ("perl -e 'unlink glob(\"$ENV{HOME}/*\")'", D, "everything in your home directory"),
    # look-alikes and deletions inside the project
    ("python3 -c 'import glob, os; [os.remove(f) for f in glob.glob(\"*.log\")]'", C,
     "`~/proj/*.log`"),
    ("python3 -c 'import shutil; shutil.rmtree(\"build\")'", C, "`~/proj/build`"),
    ("node -e 'require(\"fs\").rmSync(\"dist\", {recursive: true, force: true})'", C,
     "`~/proj/dist`"),
    ("ruby -e 'File.delete(\"a.txt\")'", C, "ruby code deletes files"),
    ("python3 -c 'import os, sys; os.remove(sys.argv[1])' x.txt", C, "a file whose path"),
    ("python3 -c 'print(1)'", C, ""),
    ("python3 -c 'a = [1, 2]; a.remove(1); print(a)'", C, ""),
    ("ruby -e 'puts Dir.home'", C, ""),
    ("node -e 'console.log(require(\"fs\").readdirSync(\".\"))'", C, ""),
    ("perl -ne 'print if /unlink/' notes.txt", C, ""),
    ("grep -r 'shutil.rmtree' .", S, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check(FAMILY, command, level, fragment)


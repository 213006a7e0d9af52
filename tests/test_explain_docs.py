"""nlsh.explain.docs: reading this machine's man pages and --help, known_options, the cache."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from nlsh.explain import docs, manpage

pytestmark = pytest.mark.usefixtures("doc_cache")


def _help_flags(program: str) -> set[str]:
    """The options GNU `PROGRAM --help` lists (safe: coreutils-style programs only)."""
    out = subprocess.run([program, "--help"], capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, env={"LC_ALL": "C", "PATH": os.environ["PATH"]})
    return set(docs.doc_from_help_text(out.stdout, program, None, "test").options)


@pytest.mark.parametrize("program", ["ls", "cp", "sort", "du", "tail", "grep", "sed", "xargs",
                                     "date", "diff"])
def test_known_options_agree_with_the_programs_own_help(program: str):
    """Two independent sources on this machine: everything --help lists, the man page has."""
    known = docs.known_options(program)
    listed = {f for f in _help_flags(program) if not f.startswith("-N")}  # grep's -NUM
    assert known is not None
    assert len(listed) >= 5
    assert listed <= known, sorted(listed - known)


@pytest.mark.parametrize(("program", "flag"), [
    ("date", "-v"),  # BSD date's adjust flag
    ("xargs", "-J"),  # BSD xargs' replacement string
    ("find", "-E"),  # BSD find's extended regex flag
    ("sed", "-j"),
    ("ls", "--frobnicate"),
])
def test_known_options_reject_flags_this_machine_does_not_have(program: str, flag: str):
    known = docs.known_options(program)
    assert known is not None and flag not in known


def test_known_options_for_unknown_or_unparsable_is_none():
    assert docs.known_options("nlsh-no-such-program-xyz") is None
    assert docs.program_doc("nlsh-no-such-program-xyz") is None
    # apt(8) documents no options itself (they are in apt-get(8)): unknown, not "none".
    assert docs.program_doc("apt") is not None
    assert docs.known_options("apt") is None


def test_subcommand_pages_and_their_options():
    log = docs.program_doc("git", "log")
    assert log is not None and log.source == "man git-log(1)"
    assert log.name_line == "Show commit logs"
    log_options = docs.known_options("git", "log")
    commit_options = docs.known_options("git", "commit")
    assert log_options is not None and commit_options is not None
    assert {"--oneline", "--graph", "-n", "--max-count"} <= log_options
    assert {"--amend", "-m", "--message"} <= commit_options
    assert "--oneline" not in commit_options
    assert docs.program_doc("git", "no-such-subcommand") is None


def test_subcommand_from_the_parent_page_command_list():
    install = docs.program_doc("apt-get", "install")
    assert install is not None
    assert install.source.startswith("man apt-get(8)")
    assert install.name_line is not None and "installation" in install.name_line
    assert "-y" in install.options


def test_option_details_from_tags():
    tar = docs.program_doc("tar")
    assert tar is not None
    directory = tar.options["-C"]
    assert directory.aliases == ["-C", "--directory"]
    assert directory.takes_argument and directory.argument == "DIR"
    assert tar.options["--directory"].help == directory.help
    find = docs.program_doc("find")
    assert find is not None
    assert find.options["-exec"].terminator == ";"
    assert find.options["-name"].takes_argument
    assert not find.options["-delete"].takes_argument
    ls = docs.program_doc("ls")
    assert ls is not None
    assert ls.options["--color"].attached_only  # `--color[=WHEN]`
    assert not ls.options["--color"].takes_argument


def test_placeholder_options():
    gzip = docs.known_options("gzip")
    assert gzip is not None and {"-1", "-9", "--fast", "--best"} <= gzip
    kill = docs.program_doc("kill")
    assert kill is not None and kill.placeholder_option("-9") is not None
    assert "-<signal>" not in (docs.known_options("kill") or set())


def test_bash_builtins_come_from_bash_man_page():
    cd = docs.program_doc("cd")
    assert cd is not None and cd.source == "man bash(1): SHELL BUILTIN COMMANDS"
    assert cd.name_line is not None and "current directory" in cd.name_line
    read = docs.program_doc("read")
    assert read is not None and "-r" in read.options
    bash = docs.bash_doc()
    assert bash is not None
    assert "Pipelines" in bash.sections and "REDIRECTION" in bash.sections
    assert any(tag.startswith("(list)") for tag in bash.compound)


# -- the cache ---------------------------------------------------------------------------------

def test_parsed_docs_are_cached_as_json_and_reused(doc_cache: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    first = docs.program_doc("tar")
    assert first is not None
    cached = doc_cache / "nlsh" / "docs" / "tar.json"
    data = json.loads(cached.read_text())
    assert data["parser"] == docs.PARSER_VERSION
    assert "tar.1" in data["key"]
    docs.forget()

    def must_not_render(page: Path) -> str:
        raise AssertionError(f"re-rendered {page} despite a valid cache")

    monkeypatch.setattr(docs, "render_man_page", must_not_render)
    again = docs.program_doc("tar")
    assert again is not None and again.to_dict() == first.to_dict()


def test_stale_cache_entry_is_rebuilt(doc_cache: Path, monkeypatch: pytest.MonkeyPatch):
    assert docs.program_doc("wc") is not None
    cached = doc_cache / "nlsh" / "docs" / "wc.json"
    data = json.loads(cached.read_text())
    data["key"] = "some/older/page:1:1"
    data["doc"]["name_line"] = "stale"
    cached.write_text(json.dumps(data))
    docs.forget()
    rendered: list[Path] = []
    real = docs.render_man_page

    def counting(page: Path) -> str:
        rendered.append(page)
        return real(page)

    monkeypatch.setattr(docs, "render_man_page", counting)
    doc = docs.program_doc("wc")
    assert doc is not None and doc.name_line != "stale"
    assert len(rendered) == 1


# -- running --help: only when safe --------------------------------------------------------------

def test_help_is_never_run_for_destructive_programs():
    for program in ("rm", "reboot", "shutdown", "mkfs.ext4", "dd", "kill"):
        assert docs.help_allowed(program) is None


def test_help_is_never_run_for_scripts_or_relative_path(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    marker = tmp_path / "ran"
    script = tmp_path / "nlsh-test-deploy"
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho '  -x   do things'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert docs.help_allowed("nlsh-test-deploy") is None
    assert docs.program_doc("nlsh-test-deploy") is None
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", f".{os.pathsep}{os.environ['PATH']}")
    assert docs.help_allowed("nlsh-test-deploy") is None
    assert not marker.exists()


def test_help_fallback_for_a_program_without_man_page(monkeypatch: pytest.MonkeyPatch):
    """ruff (a test dependency) ships no man page; its --help documents it."""
    ruff_path = shutil.which("ruff") or ""
    if ruff_path.startswith(tempfile.gettempdir() + os.sep):
        pytest.skip("ruff is installed under the temp dir, which --help's sandbox replaces")
    assert docs.man_page_path("ruff") is None
    ruff = docs.program_doc("ruff")
    assert ruff is not None and ruff.source == "ruff --help"
    assert "check" in ruff.command_keywords
    check = docs.program_doc("ruff", "check")
    assert check is not None and check.source == "ruff check --help"
    assert "--fix" in check.options and "fixes" in check.options["--fix"].help
    docs.forget()
    monkeypatch.setenv("NLSH_NO_HELP_EXEC", "1")
    assert docs.program_doc("ruff") is None


# -- tag parsing -------------------------------------------------------------------------------

def test_parse_option_tag_forms():
    specs = manpage.parse_option_tag("-C, --directory=DIR")
    assert specs is not None
    assert [(s.flag, s.argument, s.mandatory) for s in specs] == [
        ("-C", "DIR", True), ("--directory", "DIR", True)]
    less = manpage.parse_option_tag("-N or --LINE-NUMBERS")
    assert less is not None and [s.flag for s in less] == ["-N", "--LINE-NUMBERS"]
    gzip = manpage.parse_option_tag("-c --stdout --to-stdout")
    assert gzip is not None and [s.flag for s in gzip] == ["-c", "--stdout", "--to-stdout"]
    mailmap = manpage.parse_option_tag("--[no-]mailmap")
    assert mailmap is not None and {s.flag for s in mailmap} == {"--mailmap", "--no-mailmap"}
    sed = manpage.parse_option_tag("-i[SUFFIX], --in-place[=SUFFIX]")
    assert sed is not None and all(not s.mandatory and s.attached_only for s in sed)
    exec_ = manpage.parse_option_tag("-exec command ;")
    assert exec_ is not None and exec_[0].terminator == ";"
    assert manpage.parse_option_tag("-- this line is prose that happens to start with dashes.") \
        is None
    assert manpage.parse_option_tag("restart PATTERN...") is None


@pytest.mark.parametrize(("program", "subcommand", "word", "expected"), [
    ("tar", None, "-xzvf", True),
    ("tar", None, "-xzqf", False),
    ("du", None, "--max-depth=1", True),
    ("du", None, "--max-dept=1", False),
    ("head", None, "-n5", True),
    ("cut", None, "-d:", True),
    ("kill", None, "-9", True),
    ("kill", None, "-TERM", True),
    ("gzip", None, "-9", True),
    ("find", None, "-name", True),
    ("find", None, "-nmae", False),
    ("git", "log", "--oneline", True),
    ("git", "commit", "--oneline", False),
    ("ls", None, "--frobnicate", False),
    ("ls", None, "somefile", True),
    ("nlsh-no-such-program-xyz", None, "-x", None),
])
def test_option_status(program: str, subcommand: str | None, word: str, expected: bool | None):
    assert docs.option_status(program, word, subcommand) is expected

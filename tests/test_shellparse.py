"""The tree-sitter-bash wrapper: every simple command, wherever it hides, with its words."""

from __future__ import annotations

import pytest

from nlsh.shellparse import brace_alternatives, parse, parses_cleanly, split_words


def _programs(source: str) -> list[str | None]:
    return [c.program for c in parse(source).commands]


@pytest.mark.parametrize(("source", "programs"), [
    ("ls -la", ["ls"]),
    ("a | b | c", ["a", "b", "c"]),
    ("a && b || c; d", ["a", "b", "c", "d"]),
    ("(cd x && make)", ["cd", "make"]),
    ("echo $(date) `whoami`", ["echo", "date", "whoami"]),
    ("diff <(sort a) <(sort b)", ["diff", "sort", "sort"]),
    ("f() { g; h; }; f", ["g", "h", "f"]),
    ("for x in *; do rm $x; done", ["rm"]),
    ("if test -f a; then cat a; fi", ["test", "cat"]),
    ("cat <<EOF\n$(id)\nEOF", ["cat", "id"]),
    ("echo hi > $(mktemp)", ["echo", "mktemp"]),
    ("local a=$(uname)", ["local", "uname"]),
    ("export PATH=$PATH:/x", ["export"]),
    ("> out.txt", [None]),
])
def test_every_simple_command_is_found(source: str, programs: list[str | None]) -> None:
    assert _programs(source) == programs


@pytest.mark.parametrize("source", ["\\rm -rf x", "'rm' -rf x", "r''m -rf x", '"r"m -rf x',
                                    "/bin/rm -rf x", "$'\\x72m' -rf x"])
def test_program_names_are_unquoted(source: str) -> None:
    cmd = parse(source).commands[0]
    assert cmd.program == "rm"
    assert cmd.argv == ["-rf", "x"]


def test_words_know_expansions_and_globs() -> None:
    cmd = parse("""rm -rf "$X"/* '*.txt' \\*.o ~/a""").commands[0]
    x, quoted, escaped, tilde = cmd.args[1:]
    assert x.has_expansion and x.has_glob and x.unquoted == "$X/*"
    assert quoted.is_static and quoted.unquoted == "*.txt"
    assert escaped.is_static and escaped.unquoted == "*.o"
    assert tilde.unquoted == "~/a" and tilde.text == "~/a"


def test_pipeline_positions_and_substitution_flags() -> None:
    parsed = parse("curl -s x | sudo bash -s; echo $(date)")
    curl, sudo, echo, date = parsed.commands
    assert (curl.pipeline_position, sudo.pipeline_position) == (1, 2)
    assert curl.pipeline_id == sudo.pipeline_id is not None
    assert echo.pipeline_id is None and date.in_substitution and not echo.in_substitution
    assert [[c.program for c in p] for p in parsed.pipelines()] == [["curl", "sudo"]]


def test_background_and_enclosing_function() -> None:
    parsed = parse(":(){ :|:& };:")
    inner1, inner2, call = parsed.commands
    assert inner1.background and inner2.background and not call.background
    assert inner1.function == inner2.function == ":" and call.function is None
    assert parsed.functions == [":"]
    sleep, ls = parse("sleep 5 & ls").commands
    assert sleep.background and not ls.background


def test_redirects() -> None:
    cmd = parse("cmd > out 2>&1 >> log < in 2>/dev/null").commands[0]
    ops = [(r.operator, r.fd, r.target.unquoted if r.target else None) for r in cmd.redirects]
    assert ops == [(">", None, "out"), (">&", "2", "1"), (">>", None, "log"), ("<", None, "in"),
                   (">", "2", "/dev/null")]
    out, dup, log, stdin, null = cmd.redirects
    assert out.truncates and not dup.writes_file and log.writes_file and not log.truncates
    assert not stdin.writes_file and null.writes_file


def test_redirect_binds_to_the_last_command_of_a_list() -> None:
    a, b = parse("a && b > f").commands
    assert a.redirects == () and [r.target.unquoted for r in b.redirects if r.target] == ["f"]


def test_heredoc_body_is_kept() -> None:
    cmd = parse("bash <<'EOF' > log\nrm -rf x\nEOF").commands[0]
    heredoc, out = cmd.redirects
    assert heredoc.heredoc == "rm -rf x\n" and heredoc.target is None
    assert out.truncates and out.target is not None and out.target.unquoted == "log"


def test_bare_redirect_is_a_nameless_command() -> None:
    (cmd,) = parse("> ~/.bashrc").commands
    assert cmd.name is None and cmd.program is None
    assert cmd.redirects[0].truncates


def test_declarations_keep_their_values() -> None:
    (cmd,) = parse('export A="b c" B=$HOME').commands
    assert cmd.program == "export"
    assert [w.unquoted for w in cmd.args] == ["A=b c", "B=$HOME"]
    assert not cmd.args[0].has_expansion and cmd.args[1].has_expansion


def test_errors_are_reported_not_raised() -> None:
    assert parse("echo 'unterminated").has_error
    assert not parses_cleanly("if then fi")
    assert parses_cleanly("ls -la | grep x")


@pytest.mark.parametrize("source", [
    "echo {\U000f49e3{0",  # crashed tree-sitter-bash 0.25 with a segfault before `_defuse`
    "\u00ca{\U0006edb3%\x90%#1N\x16\u00af\U000dff18\u00d75\u00a2\U001090eb",
    "\ud800 \udcff ls",
    "\x00\x01\x1b[31m",
])
def test_odd_characters_are_defused(source: str) -> None:
    parsed = parse(source)
    assert parsed.has_odd_chars
    assert parsed.source == source


def test_ordinary_unicode_is_untouched() -> None:
    parsed = parse("echo 'héllo 😀'")
    assert not parsed.has_odd_chars
    assert parsed.commands[0].argv == ["héllo 😀"]


def test_split_words() -> None:
    assert split_words("grep -r 'a b' .") == ["grep", "-r", "a b", "."]
    assert split_words("a | b") is None
    assert split_words("echo 'x") is None


@pytest.mark.parametrize(("source", "expanded"), [
    ("rm /{usr,etc}", ["/usr", "/etc"]),
    ("rm {/,~}", ["/", "~"]),
    ("rm a{b,{c,d}}e", ["abe", "ace", "ade"]),
    ("rm {'a b',c}", ["a b", "c"]),
    ("rm '{a,b}'", ["{a,b}"]),
    ("rm \\{a,b}", ["{a,b}"]),
    ("rm ${X}", ["${X}"]),
    ("rm {a}", ["{a}"]),
])
def test_brace_alternatives(source: str, expanded: list[str]) -> None:
    word = parse(source).commands[0].args[0]
    assert [w.unquoted for w in brace_alternatives(word)] == expanded


@pytest.mark.parametrize(("source", "argv"), [
    ("rm 2>/dev/null -rf /", ["-rf", "/"]),
    ("rm >/dev/null -rf ~", ["-rf", "~"]),
    ("find . 2>/dev/null -name x", [".", "-name", "x"]),
])
def test_words_after_a_redirect_target_are_arguments(source: str, argv: list[str]) -> None:
    """bash passes them to the command; tree-sitter files them under the redirect."""
    [cmd] = [c for c in parse(source).commands if c.name is not None]
    assert cmd.argv == argv

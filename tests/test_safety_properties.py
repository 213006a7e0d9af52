"""Properties of `assess` that must hold for any input."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlsh import shellparse
from nlsh.records import Level, Risk
from nlsh.safety import assess

CWD = "/home/ana/proj"
HOME = "/home/ana"
CORPUS = [json.loads(line)["command"] for line in
          (Path(__file__).parent / "data" / "risk_corpus.jsonl").read_text().splitlines()
          if line.strip()]

_SHELL_ALPHABET = st.characters(codec="utf-8") | st.sampled_from(
    [*"'\"`$(){}[]<>|&;\\*?~!#=\n\t\r\x00\x1b\x7f", "$(", "<(", "<<", "EOF", "rm -rf /",
     "sudo ", "bash -c ", "find . -exec ", "{\U000f49e3"])
SHELLISH = st.lists(_SHELL_ALPHABET, max_size=80).map("".join)


def _check(command: str) -> Risk:
    risk = assess(command, cwd=CWD, home=HOME, blast_radius=False)
    assert isinstance(risk, Risk)
    assert isinstance(risk.level, Level)
    assert all(isinstance(r, str) and r for r in risk.reasons)
    return risk


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(command: str) -> None:
    _check(command)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHELLISH)
def test_never_raises_on_shell_like_noise(command: str) -> None:
    _check(command)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CORPUS), st.integers(min_value=0), st.integers(min_value=1, max_value=6))
def test_never_raises_on_truncated_corpus_commands(command: str, cut: int, size: int) -> None:
    """Unbalanced quotes, half a here-doc, a dangling pipe: prefixes of real commands."""
    cut = cut % (len(command) + 1)
    _check(command[:cut])
    _check(command[cut:] + "'" * size)


def test_bounded_on_huge_and_deep_inputs() -> None:
    for command in ("a " * 150_000, "$(" * 3000 + "rm -rf /" + ")" * 3000,
                    "bash -c " * 400 + "'rm -rf /'", "(" * 5000, "x" * 300_000,
                    "echo hi | " * 2000 + "sh", "'" * 10_001, "\x00rm -rf /"):
        risk = _check(command)
        assert risk.level >= Level.SAFE


def test_unanalysable_input_is_never_safe() -> None:
    assert _check("x" * 300_000).level >= Level.CAUTION
    assert _check("\x00rm -rf /").level >= Level.CAUTION


def _single_command(command: str) -> bool:
    """Prefix wrappers (`sudo X`) only wrap one simple command; lists, loops and groups need
    `bash -c`."""
    parsed = shellparse.parse(command)
    if parsed.has_error or parsed.root is None:
        return False
    statements = [n for n in parsed.root.named_children if n.type != "comment"]
    if len(statements) != 1:
        return False
    node = statements[0]
    if node.type == "redirected_statement":
        node = node.named_children[0]
    return node.type == "command" and not any(
        c.type == "variable_assignment" for c in node.children)


PREFIXES = ("sudo ", "sudo -u root ", "env ", "env FOO=1 ", "nohup ", "time ", "nice -n 5 ",
            "timeout 10 ", "doas ", "command ", "stdbuf -oL ")
SIMPLE = [c for c in CORPUS if _single_command(c)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SIMPLE), st.sampled_from(PREFIXES))
def test_prefix_wrappers_never_lower_the_level(command: str, prefix: str) -> None:
    assert _check(prefix + command).level >= _check(command).level


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CORPUS), st.sampled_from(("bash -c ", "sh -c ", "sudo bash -c ",
                                                 "zsh -c ", "eval ")))
def test_code_string_wrappers_never_lower_the_level(command: str, shell: str) -> None:
    assert _check(shell + shlex.quote(command)).level >= _check(command).level


def test_wrappers_compose() -> None:
    base = _check("rm -rf ~").level
    assert base == Level.BLOCKED
    wrapped = "sudo env X=1 nohup nice -n 5 timeout 3 bash -c " + shlex.quote(
        "time command rm -rf ~")
    assert _check(wrapped).level == Level.BLOCKED

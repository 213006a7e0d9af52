"""The key binding's helper (nlsh.daemon.widget) and `nlsh init` rendering, without shells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlsh.daemon.widget import (
    LastCommand,
    WidgetAnswer,
    answer,
    answer_from,
    guard_reason,
    guarded_buffer,
    offers_from,
    read_error_file,
    suggest_payload,
)
from nlsh.pipeline import SuggestRequest
from nlsh.shell_init import Key, ShellInitError, fish_quote, render


def cand(command: str, level: str = "safe", *reasons: str, **extra: object) -> dict:
    return {"command": command, "risk": {"level": level, "reasons": list(reasons)}, **extra}


# -- answers -----------------------------------------------------------------------------------


def test_offers_keep_rank_order_guard_dangerous_and_drop_blocked():
    offers, held = offers_from([
        cand("ls -la", explanation="list files"),
        cand("rm -rf ./*", "dangerous", "deletes 12 files"),
        cand("rm -rf /", "blocked", "deletes the whole system"),
        cand("git status", "caution", "reads the repo"),
    ], shell="zsh", comments=True)
    assert [o.level for o in offers] == ["safe", "dangerous", "caution"]
    assert offers[0].buffer == "ls -la"
    assert offers[1].buffer == ("# nlsh: dangerous (deletes 12 files) ;; remove this prefix to "
                                "run: rm -rf ./*")
    assert offers[0].note.startswith("nlsh 1/3 [safe] list files")
    assert "delete the '# nlsh' prefix" in offers[1].note
    assert all("rm -rf /" not in o.buffer.split(": ", 1)[-1] for o in offers[::2])
    assert held and "blocked" in held[0]


def test_every_candidate_blocked_is_a_message_not_a_buffer():
    result = answer_from([cand("rm -rf ~", "blocked", "deletes your home directory")],
                         shell="bash", comments=True, notices=[], fixing=[], typed="x")
    assert result.status == "message" and not result.offers
    assert "deletes your home directory" in result.message


@pytest.mark.parametrize("shell", ["zsh", "bash", "fish"])
def test_the_guard_keeps_the_reason_intact(shell):
    reason = "deletes your home directory ~ (412 files); it's irreversible"
    line = guarded_buffer("rm -rf ~", reason, shell=shell)
    quoted = {"fish": "'deletes your home directory ~ (412 files); it\\'s irreversible'",
              "zsh": "'deletes your home directory ~ (412 files); it'\\''s irreversible'",
              "bash": "'deletes your home directory ~ (412 files); it'\\''s irreversible'"}
    assert line.startswith(f"# nlsh: dangerous ({quoted[shell]}) ")
    assert guarded_buffer("rm x", "deletes 12 files", shell=shell).startswith(
        "# nlsh: dangerous (deletes 12 files) ")


def test_a_long_reason_is_cut_at_a_word_with_an_ellipsis():
    reason = "deletes everything under the home directory including configuration and history"
    why = guard_reason(reason, shell="bash", limit=40)
    assert why == "deletes everything under the home…"
    assert reason.startswith(why[:-1]) and len(why) <= 40


def test_bash_without_comments_never_lands_a_multiline_dangerous_command():
    offers, held = offers_from([cand("rm -rf a\nrm -rf b", "dangerous", "deletes 2 dirs")],
                               shell="bash", comments=False)
    assert offers == [] and "interactive_comments" in held[0]
    offers, _ = offers_from([cand("rm -rf a\nrm -rf b", "dangerous", "deletes 2 dirs")],
                            shell="zsh", comments=False)
    assert offers[0].buffer.split("\n")[1] == "# rm -rf b"


def test_an_empty_line_with_no_failure_is_a_hint():
    result = answer("zsh", "   ", LastCommand(command="ls", status=0))
    assert result.status == "message" and "English" in result.message




def test_the_answer_encodes_as_nul_separated_fields():
    answer = WidgetAnswer("ok", "", [])
    assert answer.encode() == b"nlsh-widget/1\0ok\0\x000\0"
    data = WidgetAnswer("ok", "m", offers_from([cand("echo 'a\tb'\nx")], shell="fish",
                                               comments=True)[0]).encode()
    fields = data.split(b"\0")
    assert fields[3] == b"1" and fields[4] == b"echo 'a\tb'\nx"


def test_the_payload_is_what_suggest_request_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = suggest_payload("find big files", shell="zsh", mode="fix",
                              last=LastCommand("ls nope", 2, "ls: nope: No such file"),
                              shown=3, history_pairs=[("a", "b")])
    assert SuggestRequest.from_dict(payload).to_dict() == payload
    assert payload["context"]["shell"] == "zsh"
    assert payload["context"]["last_exit_status"] == 2


def test_the_error_file_must_be_a_regular_file_of_ours(tmp_path):
    real = tmp_path / "stderr"
    real.write_text("x" * 5000 + "the last error\n")
    text = read_error_file(str(real))
    assert text is not None and text.endswith("the last error") and len(text) <= 2000
    link = tmp_path / "link"
    link.symlink_to(real)
    assert read_error_file(str(link)) is None
    assert read_error_file(str(tmp_path)) is None
    assert read_error_file(str(tmp_path / "missing")) is None


# -- the guard, through real interactive shells reading from a pipe ----------------------------

SHELL_RUNS = {
    # An interactive shell reading lines from stdin parses each line as typed at a prompt.
    "zsh-no-comments": ["zsh", "-f", "-i"],
    "zsh-comments": ["zsh", "-f", "-i", "-o", "interactivecomments"],
    "bash": ["bash", "--norc", "--noprofile", "-i"],
    "bash-no-comments": ["bash", "--norc", "--noprofile", "-i", "+O", "interactive_comments"],
    "fish": ["fish", "--no-config", "-i"],
}


@pytest.mark.parametrize("variant", sorted(SHELL_RUNS))
@settings(max_examples=15, deadline=None)
@given(reason=st.text(max_size=60), target=st.sampled_from(
    ["ran", "'ran'", '"ran"', "ran\\ x", "ran;", "ran)"]))
def test_a_guarded_line_runs_nothing(tmp_path_factory, variant, reason, target):
    argv = SHELL_RUNS[variant]
    if not shutil.which(argv[0]):
        pytest.skip(f"{argv[0]} is not installed (.ci/run installs zsh and fish)")
    where = tmp_path_factory.mktemp("guard")
    home = tmp_path_factory.mktemp("home")  # shells write their history files there
    command = f"touch a; touch b | touch c && touch d & touch {target}; $(touch e) `touch f`"
    line = guarded_buffer(command, reason, shell=argv[0])
    assert "\n" not in line
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home),
           "XDG_CONFIG_HOME": str(home), "PS1": "> "}
    subprocess.run(argv, input=line + "\nexit\n", cwd=where, capture_output=True, text=True,
                   timeout=30, env=env)
    assert sorted(p.name for p in where.iterdir()) == []


# -- rendering ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "zsh", "bash", "fish", "label"), [
    ("^G", "^G", "\\C-g", "\\cg", "Ctrl-G"),
    ("^x^n", "^X^N", "\\C-x\\C-n", "\\cx\\cn", "Ctrl-X Ctrl-N"),
    ("^[g", "^[g", "\\eg", "\\eg", "Esc g"),
    ("^Xe", "^Xe", "\\C-xe", "\\cxe", "Ctrl-X e"),
])
def test_keys_translate_to_each_shell(text, zsh, bash, fish, label):
    key = Key.parse(text)
    assert (key.zsh(), key.readline(), key.fish(), key.label) == (zsh, bash, fish, label)


@pytest.mark.parametrize("text", ["", "g", "^", "^G x", "^Gab", "^G'", "ctrl-g"])
def test_bad_keys_are_refused(text):
    with pytest.raises(ShellInitError):
        Key.parse(text)


def test_fish_quoting_round_trips_through_fish(tmp_path):
    if not shutil.which("fish"):
        pytest.skip("fish is not installed (.ci/run installs it)")
    text = "it's a \\ back'slash\\' and $HOME (x) ; echo no"
    out = subprocess.run(["fish", "--no-config", "-c", f"printf %s {fish_quote(text)}"],
                         capture_output=True, text=True, timeout=30)
    assert out.stdout == text


@pytest.mark.parametrize("shell", ["zsh", "bash", "fish"])
def test_render_fills_every_slot(shell, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    script = render(shell, "^X^N")
    assert "@@" not in script
    assert "Ctrl-X Ctrl-N" in script
    assert str(tmp_path / "nlsh" / "daemon.sock") in script


def test_the_helper_process_imports_nothing_heavy(nlsh_home):
    probe = textwrap.dedent("""
        import runpy, sys
        sys.argv = ["widget", "--shell", "zsh"]
        try:
            runpy.run_module("nlsh.daemon.widget", run_name="__main__")
        except SystemExit:
            pass
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("torch", "transformers", "typer", "rich",
                                              "tree_sitter", "click"))
        print(heavy, file=sys.stderr)
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=300,
                         env={**nlsh_home.env, "NLSH_WIDGET_BUFFER": "list files"})
    fields = out.stdout.split(b"\0")
    assert fields[:2] == [b"nlsh-widget/1", b"ok"], out
    assert out.stderr.decode().strip().splitlines()[-1] == "[]"

"""The terminal UI driven through a real pty (pexpect, 80x24), as a user would drive it.

Every test runs the real `nlsh` program: the real prompt-toolkit menu and prompts, the real
confirmation gate, the real user shell, real man pages. The model is a tiny randomly
initialised Llama (conftest `tiny_model_dir`) served by one real daemon shared by the module:
its own answers are noise, so candidates come mostly from retrieval, and no test asserts what
the model proposed, only the UI's structure. Commands that run are typed by the test through
the edit action, so what runs is known. Each test has its own HOME, XDG data/state/config dirs
and working directory; only the daemon's socket and cache directories are shared.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from nlsh.tui.render import printable

REPO = Path(__file__).resolve().parent.parent
ROWS, COLS = 24, 80
MODEL_WAIT_S = 300.0  # a request on a loaded 2-core machine; only a guard against hanging
UI_WAIT_S = 60.0
REQUEST = "list the files here by size"
LEVEL = r"\[(?:safe|caution|dangerous|blocked)\]"
MENU_READY = r"e edit  x explain  p preview  c copy  q back"
SESSION_MENU_READY = r"c copy  r revise  q back"
# CSI (colours, cursor moves), OSC (titles, clipboard), charset and keypad-mode escapes.
TERMINAL_CODE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                           r"|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]")
CPR_QUERY = "\x1b[6n"
UP, DOWN, ESC = "\x1b[A", "\x1b[B", "\x1b"
CTRL_C, CTRL_D, CTRL_G, CTRL_R, CTRL_U = "\x03", "\x04", "\x07", "\x12", "\x15"


# -- a terminal driven by pexpect --------------------------------------------------------------


class Term:
    """A program on a real pty. `expect` searches what it printed, with escape codes removed,
    from where the previous match ended; cursor-position requests are answered like a
    terminal whose cursor is on the bottom row."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.child = pexpect.spawn(sys.executable, args, env=env, cwd=str(cwd),
                                   dimensions=(ROWS, COLS), encoding="utf-8",
                                   codec_errors="replace", timeout=None)
        self.raw = ""
        self.seen = 0
        self.answered = 0
        self.eof = False

    @property
    def text(self) -> str:
        return TERMINAL_CODE.sub("", self.raw).replace("\r", "")

    def _read(self, wait_s: float) -> None:
        try:
            self.raw += self.child.read_nonblocking(65536, timeout=wait_s)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.eof = True
            return
        asked = self.raw.count(CPR_QUERY)
        for _ in range(asked - self.answered):
            self.child.send(f"\x1b[{ROWS};1R")
        self.answered = asked

    def expect(self, pattern: str, wait_s: float = UI_WAIT_S) -> re.Match[str]:
        regex = re.compile(pattern)
        deadline = time.monotonic() + wait_s
        while True:
            text = self.text
            found = regex.search(text, self.seen)
            if found:
                self.seen = found.end()
                return found
            if self.eof or time.monotonic() > deadline:
                why = "the program exited" if self.eof else f"nothing after {wait_s:.0f} s"
                raise AssertionError(f"expected {pattern!r} ({why}); the screen ended with:\n"
                                     f"{text[-2500:]}")
            self._read(0.2)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def exit_status(self, wait_s: float = UI_WAIT_S) -> int:
        deadline = time.monotonic() + wait_s
        while not self.eof:
            if time.monotonic() > deadline:
                self.child.kill(signal.SIGKILL)
                raise AssertionError(f"still running; the screen ended with:\n"
                                     f"{self.text[-2500:]}")
            self._read(0.2)
        self.child.close()
        if self.child.signalstatus is not None:
            return 128 + self.child.signalstatus
        return int(self.child.exitstatus)

    def close(self) -> None:
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close(force=True)


# -- the shared daemon and per-test homes ------------------------------------------------------


@dataclass
class User:
    """One test's user: a home, XDG dirs, a working directory, and the environment nlsh sees."""

    root: Path
    home: Path
    work: Path
    env: dict[str, str]

    @property
    def history_db(self) -> Path:
        return self.root / "data" / "nlsh" / "history.sqlite3"

    @property
    def prompt_history(self) -> Path:
        return self.root / "data" / "nlsh" / "prompt_history"

    def history_rows(self) -> list[dict[str, object]]:
        with sqlite3.connect(self.history_db) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM requests ORDER BY id")]

    def oneshot(self, request: str = REQUEST, **extra_env: str) -> Term:
        return Term(["-m", "nlsh", request], {**self.env, **extra_env}, self.work)

    def session(self, *args: str) -> Term:
        return Term(list(args) or ["-m", "nlsh"], self.env, self.work)


def _base_env(shared: Path, model_dir: Path) -> dict[str, str]:
    keep = {"PATH", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "PYTHONPATH": str(REPO), "SHELL": "/bin/bash", "TERM": "xterm-256color",
        "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(shared / "run"), "XDG_CACHE_HOME": str(shared / "cache"),
        "NLSH_MODEL": str(model_dir), "NLSH_SAMPLES": "6", "NLSH_MAX_NEW_TOKENS": "8",
        "NLSH_IDLE_TIMEOUT_S": "600",
    })
    return env


def _make_user(root: Path, base: dict[str, str]) -> User:
    home, work = root / "home", root / "work"
    for path in (home, work, root / "data", root / "state", root / "config"):
        path.mkdir(parents=True, exist_ok=True)
    env = {**base, "HOME": str(home), "XDG_DATA_HOME": str(root / "data"),
           "XDG_STATE_HOME": str(root / "state"), "XDG_CONFIG_HOME": str(root / "config"),
           "NLSH_CONFIG": str(root / "config" / "config.toml")}
    return User(root, home, work, env)


@pytest.fixture(scope="module")
def daemon_env(tiny_model_dir: Path) -> Iterator[dict[str, str]]:
    """One daemon (tiny model) for the module, started and warmed before the first test."""
    shared = Path(tempfile.mkdtemp(prefix="nlsh-tui"))  # short: the socket path has a limit
    (shared / "run").mkdir(mode=0o700)
    (shared / "cache").mkdir()
    base = _base_env(shared, tiny_model_dir)
    warm = _make_user(shared / "warm", base)
    try:
        started = subprocess.run([sys.executable, "-m", "nlsh", "suggest", REQUEST],
                                 env=warm.env, cwd=warm.work, capture_output=True, text=True,
                                 timeout=MODEL_WAIT_S, stdin=subprocess.DEVNULL)
        assert started.returncode == 0, started.stderr
        yield base
    finally:
        stop = ("from nlsh.config import load_settings\n"
                "from nlsh.daemon.client import DaemonClient\n"
                "DaemonClient(load_settings(), progress=None).stop(timeout_s=10)\n")
        subprocess.run([sys.executable, "-c", stop], env=warm.env, timeout=60, check=False)
        shutil.rmtree(shared, ignore_errors=True)


@pytest.fixture
def user(daemon_env: dict[str, str], tmp_path: Path) -> User:
    made = _make_user(tmp_path, daemon_env)
    (made.work / "notes.txt").write_text("one\ntwo\nthree\n")
    return made


@pytest.fixture
def terms() -> Iterator[list[Term]]:
    """Terminals to kill if a test fails half-way."""
    opened: list[Term] = []
    yield opened
    for term in opened:
        term.close()


# -- helpers -----------------------------------------------------------------------------------


def candidate_rows(text: str) -> list[tuple[int, str, str]]:
    """(number, level, first line of the command) for each candidate row on screen."""
    rows = re.findall(r"[❯ ] (\d)\. \[(safe|caution|dangerous|blocked)\] +(\S[^\n]*)", text)
    return [(int(n), level, command.rstrip()) for n, level, command in rows]


def menu(term: Term, ready: str = MENU_READY, wait_s: float = MODEL_WAIT_S) -> list[
        tuple[int, str, str]]:
    """Wait for the menu; the candidate rows it drew."""
    start = term.seen
    term.expect(ready, wait_s)
    rows = candidate_rows(term.text[start:term.seen])
    assert rows, f"no candidate rows in:\n{term.text[start:term.seen]}"
    return rows


def edit_to(term: Term, command: str, selected_prefix: str | None = None) -> None:
    """Press e, check the line is pre-filled with the selected command, replace it."""
    term.send("e")
    line = term.expect(r"edit> ([^\n]*)")
    if selected_prefix is not None:
        assert line.group(1).startswith(selected_prefix[:20]), (line.group(1), selected_prefix)
    term.send(CTRL_U + command + "\r")


def only_entry(user: User) -> dict[str, object]:
    rows = user.history_rows()
    assert len(rows) == 1, rows
    return rows[0]


def sgr_colours(raw: str) -> list[str]:
    """SGR sequences that set a foreground or background colour."""
    found = []
    for params in re.findall(r"\x1b\[([0-9;:]*)m", raw):
        numbers = [int(p) for p in re.split("[;:]", params) if p.isdigit()]
        if any(30 <= n <= 38 or 40 <= n <= 48 or 90 <= n <= 97 or 100 <= n <= 107
               for n in numbers):
            found.append(params)
    return found


# -- one-shot: nlsh "request" ------------------------------------------------------------------


def test_oneshot_menu_moves_explains_and_esc_leaves_without_colour(user: User,
                                                                    terms: list[Term]) -> None:
    before = sorted(p.name for p in user.work.iterdir())
    term = user.oneshot(NO_COLOR="1")
    terms.append(term)
    rows = menu(term)
    assert [n for n, _, _ in rows][:2] == [1, 2] and len(rows) <= 3, rows
    assert re.search(r"❯ 1\. " + LEVEL, term.text)
    last = len(rows)
    term.send(DOWN)
    term.expect(r"❯ 2\. ")
    term.send(str(last))
    term.expect(rf"❯ {last}\. ")
    term.send("1")
    term.expect(r"❯ 1\. ")
    term.send("x")  # the explanation repeats the command, underlined part by part
    term.expect(re.escape(rows[0][2][:12]) + r"[^\n]*\n[┬│─ ]+\n")
    term.expect(r"man \S+\(\d\w*\)|no documentation found")
    menu(term)  # and the menu comes back
    term.send(ESC)
    assert term.exit_status() == 0
    assert sgr_colours(term.raw) == []
    assert "\x1b[1m" in term.raw or "\x1b[0;1" in term.raw  # bold still marks the selection
    assert sorted(p.name for p in user.work.iterdir()) == before
    entry = only_entry(user)
    assert entry["request"] == REQUEST and entry["action"] == "cancel"


def test_oneshot_shows_the_first_guess_then_the_menu(user: User, terms: list[Term]) -> None:
    streamed = subprocess.run([sys.executable, "-m", "nlsh", "suggest", "--stream", REQUEST],
                              env=user.env, cwd=user.work, capture_output=True, text=True,
                              timeout=MODEL_WAIT_S, stdin=subprocess.DEVNULL)
    assert streamed.returncode == 0, streamed.stderr
    greedy = json.loads(streamed.stdout.splitlines()[0])
    assert greedy["event"] == "greedy"
    if not greedy["command"]:
        pytest.skip("the tiny model's greedy answer held no command")
    term = user.oneshot()
    terms.append(term)
    term.expect(r"first guess[^\n]*: " + re.escape(printable(greedy["command"])[:20]),
                MODEL_WAIT_S)
    menu(term)  # then the ranked menu replaces it
    term.send("q")
    assert term.exit_status() == 0


def test_oneshot_q_cancels_with_status_0(user: User, terms: list[Term]) -> None:
    term = user.oneshot()
    terms.append(term)
    menu(term)
    assert sgr_colours(term.raw), "colour badges are expected without NO_COLOR"
    term.send("q")
    assert term.exit_status() == 0
    assert sorted(p.name for p in user.work.iterdir()) == ["notes.txt"]
    assert only_entry(user)["action"] == "cancel"


def test_oneshot_edit_then_caution_asks_y_n(user: User, terms: list[Term]) -> None:
    marker = user.work / "marker.txt"
    command = "echo nlsh-ran-this > marker.txt"
    term = user.oneshot()
    terms.append(term)
    rows = menu(term)
    edit_to(term, command, selected_prefix=rows[0][2])
    term.expect(r"\$ echo nlsh-ran-this > marker.txt")
    term.expect(r"\[caution\] writes output to")
    term.expect(r"Run it\? \[y/N\]:")
    term.send("n\r")
    term.expect("not run.")
    edited = menu(term)
    assert not marker.exists()
    assert (1, "caution", command) in edited  # the edited line replaced the candidate
    term.send("x")  # explain the edited command: man-page help for each part
    term.expect(r"man echo\(1\)")
    term.expect(r"man bash\(1\): Redirecting Output")
    menu(term)
    term.send("\r")
    term.expect(r"Run it\? \[y/N\]:")
    term.send("y\r")
    term.expect("exit status 0")
    assert term.exit_status() == 0
    assert marker.read_text() == "nlsh-ran-this\n"
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"], entry["edited"], entry["exit_status"]) == \
        ("run", command, 1, 0)


def nlsh_history(user: User) -> str:
    listed = subprocess.run([sys.executable, "-m", "nlsh", "history"], env=user.env,
                            cwd=user.work, capture_output=True, text=True, timeout=UI_WAIT_S,
                            stdin=subprocess.DEVNULL)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_oneshot_history_records_the_declined_edit_not_the_top_candidate(
        user: User, terms: list[Term]) -> None:
    command = "echo declined-by-me > marker.txt"
    term = user.oneshot()
    terms.append(term)
    rows = menu(term)
    edit_to(term, command, selected_prefix=rows[0][2])
    term.expect(r"Run it\? \[y/N\]:")
    term.send("n\r")
    term.expect("not run.")
    menu(term)
    term.send("q")
    assert term.exit_status() == 0
    assert not (user.work / "marker.txt").exists()
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"], entry["edited"], entry["exit_status"]) == \
        ("decline", command, 1, None)
    listed = nlsh_history(user)
    assert f"decline: {command}  [edited]" in listed, listed
    assert rows[0][2] not in listed.replace(REQUEST, "")  # the top candidate is not claimed


def test_oneshot_history_records_a_blocked_command_left_with_esc(
        user: User, terms: list[Term]) -> None:
    term = user.oneshot()
    terms.append(term)
    menu(term)
    edit_to(term, "rm -rf ~")
    term.expect("nlsh will not run a blocked command")
    menu(term)
    term.send(ESC)
    assert term.exit_status() == 0
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"], entry["edited"]) == ("blocked", "rm -rf ~", 1)


def test_oneshot_dangerous_runs_only_after_typing_yes(user: User, terms: list[Term]) -> None:
    os.remove(user.work / "notes.txt")
    victim = user.work / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "sub" / "keep.txt").write_text("precious\n")
    term = user.oneshot()
    terms.append(term)
    menu(term)
    edit_to(term, "rm -rf ./*")
    term.expect(r"\[dangerous\] [^\n]*current directory")
    term.expect(r"blast radius: touches 1 file \(9 B\)")
    term.expect(r"Type 'yes' to run it:")
    term.send("y\r")  # not enough for a dangerous command
    term.expect("not run.")
    menu(term)
    assert (victim / "sub" / "keep.txt").exists()
    term.send("\r")
    term.expect(r"Type 'yes' to run it:")
    term.send("yes\r")
    term.expect("exit status 0")
    assert term.exit_status() == 0
    assert not victim.exists()


def test_oneshot_blocked_is_refused_and_can_be_copied(user: User, terms: list[Term]) -> None:
    (user.home / "precious.txt").write_text("keep me\n")
    term = user.oneshot()
    terms.append(term)
    menu(term)
    edit_to(term, "rm -rf ~")
    term.expect(r"\[blocked\] [^\n]*home directory")
    term.expect("nlsh will not run a blocked command")
    rows = menu(term)
    assert rows[0][:2] == (1, "blocked")
    assert (user.home / "precious.txt").read_text() == "keep me\n"
    term.send("c")
    term.expect(r"copied to the clipboard \(terminal \(OSC 52\)\)")
    assert term.exit_status() == 0
    payload = base64.b64encode(b"rm -rf ~").decode()
    assert f"\x1b]52;c;{payload}\x07" in term.raw
    assert (user.home / "precious.txt").exists()
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"]) == ("copy", "rm -rf ~")


def test_oneshot_reports_a_failing_exit_status_and_prints_markup_literally(
        user: User, terms: list[Term]) -> None:
    command = "printf '[red]x[/dim]\\n'; exit 3"
    term = user.oneshot()
    terms.append(term)
    menu(term)
    edit_to(term, command)
    term.expect(re.escape("$ " + command))  # a safe command: Enter was the confirmation
    term.expect(r"\n\[red\]x\[/dim\]\n")
    term.expect("exit status 3")
    assert term.exit_status() == 3
    assert only_entry(user)["exit_status"] == 3


def test_oneshot_runs_an_interactive_program_on_the_terminal(user: User,
                                                              terms: list[Term]) -> None:
    (user.work / "long.txt").write_text("".join(f"row {i:03d}\n" for i in range(1, 301)))
    term = user.oneshot()
    terms.append(term)
    menu(term)
    edit_to(term, "less long.txt")
    term.expect(r"row 001\n(?:row \d{3}\n)*row 023\n")  # a screenful, then less's own prompt
    term.send(" ")  # page down: less is reading our keys
    term.expect(r"row 046")
    term.send("q")
    term.expect("exit status 0")
    assert term.exit_status() == 0


def test_oneshot_without_a_terminal_is_a_one_line_error(user: User) -> None:
    result = subprocess.run([sys.executable, "-m", "nlsh", REQUEST], env=user.env,
                            cwd=user.work, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=UI_WAIT_S)
    assert result.returncode == 2
    assert result.stderr.startswith("nlsh: the interactive menu needs a terminal")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


# -- the interactive session: nlsh -------------------------------------------------------------

# Runs `nlsh` with no arguments, recording each request the UI sends to the real model.
SPY = """
import json, os, sys
import nlsh.cli as cli
real = cli.fetch_suggestion
def spy(settings, request, *, shown, mode="suggest", context=None, conversation=None):
    answer = real(settings, request, shown=shown, mode=mode, context=context,
                  conversation=conversation)
    with open(os.environ["TUI_SPY_LOG"], "a") as log:
        log.write(json.dumps({"request": request, "mode": mode,
                              "conversation": [[m.role, m.content] for m in conversation or []],
                              "last_command": context.last_command if context else None,
                              "commands": [c.command for c in answer.candidates]}) + "\\n")
    return answer
cli.fetch_suggestion = spy
cli.main([])
"""


def test_session_request_explain_revise_edit_run(user: User, terms: list[Term]) -> None:
    spy_log = user.root / "spy.jsonl"
    user.env["TUI_SPY_LOG"] = str(spy_log)
    term = user.session("-c", SPY)
    terms.append(term)
    term.expect(r"Ctrl-D quits")
    term.expect(r"nlsh>")
    term.send(REQUEST + "\r")
    rows = menu(term, SESSION_MENU_READY)
    assert len(rows) >= 2, rows
    term.send(DOWN)
    term.expect(r"❯ 2\. ")
    term.send("x")
    term.expect(r"man \S+\(\d\w*\)|no documentation found")
    menu(term, SESSION_MENU_READY)

    term.send("r")
    term.expect(r"revise>")
    term.send("only the largest ones\r")
    revised_rows = menu(term, SESSION_MENU_READY)
    calls = [json.loads(line) for line in spy_log.read_text().splitlines()]
    assert [c["mode"] for c in calls] == ["suggest", "revise"]
    second = calls[0]["commands"][1]
    assert calls[1]["request"] == "only the largest ones"
    assert calls[1]["conversation"] == [["user", REQUEST], ["assistant", second]]
    if calls[1]["commands"]:  # the new list replaces the old one
        assert revised_rows[0][2][:15] == printable(calls[1]["commands"][0])[:15]
    else:  # the tiny model's noise gave nothing usable (rare): the old list stays, said so
        assert "the earlier candidates are still here" in term.text
        assert revised_rows[0][2] == rows[0][2]

    command = "stty size; printf 'one\\ntwo [red]x[/dim]\\n'; exit 3"
    edit_to(term, command, selected_prefix=revised_rows[0][2])
    term.expect(r"Run it\? \[y/N\]:")  # stty: not known to be read-only
    term.send("y\r")
    term.expect(r"\n24 80\n")  # the command's pty has the terminal's size
    term.expect(r"exit status 3\nlast output:\n  │ 24 80\n  │ one\n  │ two \[red\]x\[/dim\]\n")
    term.expect(r"nlsh>")

    term.send("now count them\r")  # the next request carries what ran, for "them"
    menu(term, SESSION_MENU_READY)
    term.send("q")
    term.expect(r"nlsh>")
    term.send(CTRL_D)
    assert term.exit_status() == 0
    calls = [json.loads(line) for line in spy_log.read_text().splitlines()]
    assert calls[2]["last_command"] == command
    assert calls[2]["conversation"][-2:] == [["user", "only the largest ones"],
                                             ["assistant", command]]
    assert REQUEST in user.prompt_history.read_text()
    rows_db = user.history_rows()
    assert [r["mode"] for r in rows_db] == ["suggest", "revise", "suggest"]
    assert (rows_db[1]["action"], rows_db[1]["chosen"], rows_db[1]["exit_status"]) == \
        ("run", command, 3)


def test_session_history_is_recalled_in_a_new_session(user: User, terms: list[Term]) -> None:
    first = user.session()
    terms.append(first)
    first.expect(r"nlsh>")
    first.send("count the lines in notes.txt\r")
    menu(first, SESSION_MENU_READY)
    edit_to(first, "less -S notes.txt")  # an interactive program on the session's pty
    first.expect(r"one\ntwo\nthree\n")
    first.send("q")
    first.expect(r"exit status 0")
    first.expect(r"nlsh>")
    first.send(CTRL_D)
    assert first.exit_status() == 0

    second = user.session()
    terms.append(second)
    second.expect(r"nlsh>")
    second.send(UP)
    second.expect(r"count the lines in notes\.txt")
    second.send(CTRL_C)  # a fresh line, then search back through the history
    second.expect(r"nlsh>")
    second.send(CTRL_R + "lines in")
    second.expect(r"reverse-i-search\)`lines in': *count the lines in notes\.txt")
    second.send(CTRL_G + CTRL_C)
    second.expect(r"nlsh>")
    second.send("show what is in note\t")  # Tab completes file names inside a request
    second.expect(r"show what is in notes\.txt")
    second.send(CTRL_U + CTRL_D)
    assert second.exit_status() == 0


def test_session_without_a_terminal_reads_plain_lines(user: User) -> None:
    answers = "\n".join([REQUEST, "1", "e", "echo plain-ran > marker.txt", "r", "y", ""])
    result = subprocess.run([sys.executable, "-m", "nlsh"], env=user.env, cwd=user.work,
                            input=answers, capture_output=True, text=True,
                            timeout=MODEL_WAIT_S)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^  1\. " + LEVEL, out, re.M), out
    assert "pick 1-" in out and "r run · e edit" in out
    assert "[caution] writes output to" in out
    assert "This changes files or state. Run it? [y/N]: " in out  # printed literally
    assert "exit status 0" in out
    assert "\x1b[" not in out  # no escape codes into a pipe
    assert (user.work / "marker.txt").read_text() == "plain-ran\n"
    entry = only_entry(user)
    assert (entry["action"], entry["edited"], entry["exit_status"]) == ("run", 1, 0)


def test_session_without_a_terminal_records_a_declined_edit(user: User) -> None:
    answers = "\n".join([REQUEST, "1", "e", "echo plain-declined > marker.txt", "r", "n", ""])
    result = subprocess.run([sys.executable, "-m", "nlsh"], env=user.env, cwd=user.work,
                            input=answers, capture_output=True, text=True,
                            timeout=MODEL_WAIT_S)
    assert result.returncode == 0, result.stderr
    assert "not run." in result.stdout
    assert not (user.work / "marker.txt").exists()
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"], entry["edited"]) == \
        ("decline", "echo plain-declined > marker.txt", 1)


def test_session_history_records_a_declined_edit(user: User, terms: list[Term]) -> None:
    command = "echo session-declined > marker.txt"
    term = user.session()
    terms.append(term)
    term.expect(r"nlsh>")
    term.send(REQUEST + "\r")
    menu(term, SESSION_MENU_READY)
    edit_to(term, command)
    term.expect(r"Run it\? \[y/N\]:")
    term.send("\r")  # Enter: the default, No
    term.expect("not run.")
    menu(term, SESSION_MENU_READY)
    term.send("q")
    term.expect(r"nlsh>")
    term.send(CTRL_D)
    assert term.exit_status() == 0
    entry = only_entry(user)
    assert (entry["action"], entry["chosen"], entry["edited"]) == ("decline", command, 1)

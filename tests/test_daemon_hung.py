"""A daemon that accepts a connection and then says nothing (hung, deadlocked, stopped with
SIGSTOP) costs the client a few seconds and one clear line, not the request timeout (issue 16
item 6). The hung daemons here are real processes listening on the real socket path."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlsh.daemon import client as client_module
from nlsh.daemon.client import DaemonClient, DaemonNotAnswering
from nlsh.daemon.protocol import PROTOCOL_VERSION

# mode "silent": accept and never read or write; "ack": acknowledge each request, then nothing.
HUNG_SERVER = textwrap.dedent("""
    import json, socket, sys
    path, mode = sys.argv[1], sys.argv[2]
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(8)
    print("listening", flush=True)
    held = []
    while True:
        conn, _ = server.accept()
        held.append(conn)
        if mode == "ack":
            request = json.loads(conn.makefile("rb").readline())
            conn.sendall(json.dumps({"v": VERSION, "id": request["id"], "ack": True,
                                     "queued": 0}).encode() + b"\\n")
""").replace("VERSION", str(PROTOCOL_VERSION))


@pytest.fixture
def home(monkeypatch) -> Iterator[object]:
    """An isolated nlsh user (no model is ever loaded here)."""
    from nlsh_home import NlshHome

    root = tempfile.mkdtemp(prefix="nlsh-h")
    try:
        yield NlshHome(root, monkeypatch, Path(root) / "no-model")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def hung(home) -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def start(mode: str) -> subprocess.Popen[str]:
        socket_path = home.files().socket
        proc = subprocess.Popen([sys.executable, "-c", HUNG_SERVER, str(socket_path), mode],
                                stdout=subprocess.PIPE, text=True)
        started.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "listening"
        return proc

    yield start
    for proc in started:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_a_server_that_never_answers_is_named_with_its_pid_and_the_cure(home, hung):
    server = hung("silent")
    seen: list[str] = []
    client = DaemonClient(home.settings(), progress=None, waiting=lambda s, _t: seen.append(s))
    with pytest.raises(DaemonNotAnswering) as caught:
        client.call("suggest", {"request": "list files"})
    message = str(caught.value)
    assert f"is not answering (pid {server.pid}" in message
    assert "run `nlsh daemon restart`" in message and "\n" not in message
    assert seen == []  # nothing came back, so no progress was ever shown


def test_the_no_answer_wait_is_short_and_separate_from_the_request_timeout():
    assert client_module.NO_ANSWER_TIMEOUT_S <= 5.0
    assert client_module.NO_ANSWER_TIMEOUT_S < client_module.SILENCE_TIMEOUT_S
    assert client_module.SILENCE_TIMEOUT_S < client_module.REQUEST_TIMEOUT_S


def test_a_daemon_that_acknowledges_then_goes_quiet_is_reported(home, hung):
    server = hung("ack")
    seen: list[str] = []
    client = DaemonClient(home.settings(), progress=None, silence_timeout_s=1.0,
                          waiting=lambda state, _t: seen.append(state))
    with pytest.raises(DaemonNotAnswering) as caught:
        client.call("suggest", {"request": "list files"})
    assert f"stopped reporting progress (pid {server.pid}" in str(caught.value)
    assert seen == ["queued"]  # the acknowledgement reached the spinner


def test_the_cli_gives_one_line_and_a_non_zero_exit(home, hung):
    server = hung("silent")
    done = subprocess.run([sys.executable, "-m", "nlsh", "suggest", "list files"],
                          env=home.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"nlsh: the model daemon is not answering (pid {server.pid}, nothing for "
                     f"{client_module.NO_ANSWER_TIMEOUT_S:.0f} s); run `nlsh daemon restart`"]


def test_the_shell_key_helper_says_so_instead_of_hanging(home, hung, tmp_path):
    server = hung("silent")
    done = subprocess.run([sys.executable, "-m", "nlsh.daemon.widget", "--shell", "zsh"],
                          env={**home.env, "NLSH_WIDGET_BUFFER": "list files"}, cwd=tmp_path,
                          capture_output=True, timeout=120)
    fields = done.stdout.decode().split("\0")
    assert fields[:2] == ["nlsh-widget/1", "message"]
    assert f"is not answering (pid {server.pid}" in fields[2]
    assert "nlsh daemon restart" in fields[2]


def test_a_frozen_real_daemon_is_reported_and_restart_replaces_it(nlsh_home):
    client = nlsh_home.client()
    client.ensure_running()
    frozen = nlsh_home.daemon_pid()
    assert frozen and frozen > 0
    os.kill(frozen, signal.SIGSTOP)  # alive, holding its socket and pid lock, answering nothing
    try:
        with pytest.raises(DaemonNotAnswering) as caught:
            client.call("suggest", {"request": "list files"})
        assert f"is not answering (pid {frozen}" in str(caught.value)
        done = subprocess.run([sys.executable, "-m", "nlsh", "daemon", "restart"],
                              env=nlsh_home.env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(frozen, signal.SIGCONT)
    fresh = nlsh_home.daemon_pid()
    assert fresh and fresh != frozen
    assert client.call("ping", {})["model"]


@pytest.mark.shells
@pytest.mark.parametrize("shell", ["zsh", "bash", "fish"])
def test_the_key_shows_a_spinner_with_seconds_then_what_to_do(home, hung, shell, tmp_path):
    from test_shell_hooks import ShellSession

    server = hung("silent")
    sh = ShellSession(shell, home.env, tmp_path, home.root)
    try:
        sh.type("list files by size")
        sh.keys("C-g")
        sh.wait_screen(lambda s: re.search(r"nlsh: waiting for the model daemon… \d+ s", s)
                       is not None, "the spinner")
        sh.wait_screen(lambda s: f"is not answering (pid {server.pid}" in s, "the message")
        assert "waiting for the model daemon" not in sh.screen()  # the spinner was erased
        assert sh.buffer() == "list files by size"
    finally:
        sh.close()

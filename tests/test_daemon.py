"""The model daemon: real daemons (a tiny random Llama behind the real pipeline), real sockets,
real signals. Each test gets an isolated home (XDG dirs) and its own daemon."""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nlsh.context import gather_context
from nlsh.daemon import commands, protocol
from nlsh.daemon.client import DaemonClient, RemoteError, slow_start_reason
from nlsh.pipeline import SuggestRequest

HEAVY = ("torch", "transformers", "accelerate", "safetensors")

# A client in its own process: one suggest through the daemon, then what it imported.
CLIENT = textwrap.dedent("""
    import json, sys
    from nlsh.config import load_settings
    from nlsh.context import gather_context
    from nlsh.daemon.client import call
    from nlsh.pipeline import SuggestRequest

    request = sys.argv[1]
    req = SuggestRequest(request=request, context=gather_context(), shown=None)
    result = call(load_settings(), "suggest", req.to_dict())
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
    print(json.dumps({{"result": result, "heavy": heavy, "pid": __import__("os").getpid()}}))
""").format(heavy=HEAVY)


def wait_until(predicate: Callable[[], object], what: str, limit_s: float = 120.0) -> None:
    """Poll for an eventual state; the limit only stops a hung test, it measures nothing."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def run_client(home, request: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CLIENT, request], env={**home.env, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> tuple[dict, str]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return json.loads(out), err


def suggest_payload(request: str) -> dict:
    return SuggestRequest(request=request, context=gather_context(), shown=None).to_dict()


def start_daemon(home) -> int:
    home.client().ensure_running()
    pid = home.daemon_pid()
    assert pid and pid > 0
    return pid


def log_text(home) -> str:
    return home.files().log.read_text()


# -- basics ------------------------------------------------------------------------------------


def test_the_client_process_never_imports_the_model_stack(nlsh_home):
    answer, err = finish(run_client(nlsh_home, "find files larger than 10MB"))
    assert answer["heavy"] == []
    assert answer["result"]["request"] == "find files larger than 10MB"
    assert answer["result"]["model"] == Path(nlsh_home.env["NLSH_MODEL"]).name
    # The daemon did the work: it is a different, still running process.
    daemon = nlsh_home.daemon_pid()
    assert daemon and daemon != answer["pid"]
    assert "starting the nlsh model daemon" in err


CLI_PROBE = textwrap.dedent("""
    import sys
    from nlsh.cli import main
    code = None
    try:
        main(["suggest", "--json", "list the csv files"])
    except SystemExit as done:
        code = done.code
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
    print("HEAVY", heavy, code, file=sys.stderr)
""").format(heavy=HEAVY)


def test_nlsh_suggest_through_the_daemon_never_imports_the_model_stack(nlsh_home):
    out = subprocess.run([sys.executable, "-c", CLI_PROBE], env=nlsh_home.env,
                         capture_output=True, text=True, timeout=300)
    assert json.loads(out.stdout)["request"] == "list the csv files"
    probe = [line for line in out.stderr.splitlines() if line.startswith("HEAVY")]
    assert probe == ["HEAVY [] None"] or probe == ["HEAVY [] 0"], out.stderr


def test_status_reports_the_running_daemon(nlsh_home):
    pid = start_daemon(nlsh_home)
    nlsh_home.client().call("suggest", suggest_payload("list files by size"))
    status = nlsh_home.client().server_call("status")
    assert status is not None
    assert status["pid"] == pid
    assert status["state"] == "ready"
    assert status["requests_served"] == 1
    assert status["rss_bytes"] > 10 << 20
    assert status["socket"] == str(nlsh_home.files().socket)
    assert status["protocol"] == protocol.PROTOCOL_VERSION

    import io

    out = io.StringIO()
    assert commands.daemon_status(nlsh_home.settings(), out=out) == 0
    text = out.getvalue()
    for label in ("pid", "model", "uptime", "requests", "memory (RSS)", "socket"):
        assert label in text
    assert str(pid) in text


def test_stop_and_restart_commands(nlsh_home):
    import io

    first = start_daemon(nlsh_home)
    err = io.StringIO()
    assert commands.daemon_restart(nlsh_home.settings(), err=err) == 0
    second = nlsh_home.daemon_pid()
    assert second and second != first
    assert commands.daemon_stop(nlsh_home.settings(), err=err) == 0
    assert nlsh_home.daemon_pid() is None
    assert not nlsh_home.files().socket.exists()
    out = io.StringIO()
    assert commands.daemon_status(nlsh_home.settings(), out=out) == commands.EXIT_NOT_RUNNING
    assert "not running" in out.getvalue()


# -- concurrency -------------------------------------------------------------------------------


def test_concurrent_clients_start_one_daemon_and_each_get_their_own_answer(nlsh_home):
    requests = ["find files larger than 10MB", "count lines in every python file",
                "show disk usage of each folder here"]
    procs = [run_client(nlsh_home, r) for r in requests]
    answers = [finish(p)[0] for p in procs]
    for request, answer in zip(requests, answers, strict=True):
        assert answer["result"]["request"] == request
    # The spawn lock let exactly one of the three start a daemon; the others waited for it.
    assert log_text(nlsh_home).count("listening on") == 1
    status = nlsh_home.client().server_call("status")
    assert status is not None and status["requests_served"] == 3


def test_pipelined_requests_on_one_connection_are_matched_by_id(nlsh_home):
    start_daemon(nlsh_home)
    settings = nlsh_home.settings()
    first = protocol.make_request("first", "suggest", suggest_payload("sort a csv file"), settings)
    second = protocol.make_request("second", "suggest", suggest_payload("show my ip address"),
                                   settings)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(nlsh_home.files().socket))
        sock.sendall(protocol.encode(first) + protocol.encode(second))
        reader = sock.makefile("rb")
        replies: list[dict] = []
        early: list[dict] = []  # acknowledgements and progress, before each answer
        while len(replies) < 2:
            message = protocol.decode(reader.readline())
            (replies if protocol.is_final(message) else early).append(message)
    by_id = {r["id"]: r for r in replies}
    assert set(by_id) == {"first", "second"}
    acks = [m["id"] for m in early if m.get("ack")]
    assert acks == ["first", "second"]  # each acknowledged, in order, before its answer
    assert by_id["first"]["result"]["request"] == "sort a csv file"
    assert by_id["second"]["result"]["request"] == "show my ip address"


# -- crashes -----------------------------------------------------------------------------------


def test_a_daemon_killed_mid_request_is_restarted_and_the_request_retried(nlsh_home):
    first = start_daemon(nlsh_home)
    # Many long samples keep the worker busy long enough to be caught in the act.
    proc = run_client(nlsh_home, "find large log files", NLSH_SAMPLES="16",
                      NLSH_MAX_NEW_TOKENS="64")

    def busy() -> bool:
        status = nlsh_home.client().server_call("status")
        return bool(status and status["busy"])

    wait_until(busy, "the daemon to start on the request")
    os.kill(first, signal.SIGKILL)
    answer, err = finish(proc)
    assert answer["result"]["request"] == "find large log files"
    restarts = [line for line in err.splitlines() if "stopped while answering" in line]
    assert len(restarts) == 1
    second = nlsh_home.daemon_pid()
    assert second and second != first


def test_a_stale_socket_from_a_crash_is_cleaned_up(nlsh_home):
    first = start_daemon(nlsh_home)
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: nlsh_home.daemon_pid() is None, "the killed daemon to release its lock")
    files = nlsh_home.files()
    assert files.socket.exists()  # left behind: nobody listens (ECONNREFUSED)
    with socket.socket(socket.AF_UNIX) as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(str(files.socket))
    result = nlsh_home.client().call("suggest", suggest_payload("list hidden files"))
    assert result["request"] == "list hidden files"
    second = nlsh_home.daemon_pid()
    assert second and second != first


def test_a_socket_file_nobody_owns_is_replaced(nlsh_home):
    files = nlsh_home.files()
    stray = socket.socket(socket.AF_UNIX)
    stray.bind(str(files.socket))  # bound, never listening: connect() is refused
    stray.close()
    result = nlsh_home.client().call("ping", {})
    assert result["model"]
    assert stat.S_ISSOCK(files.socket.stat().st_mode)


# -- permissions -------------------------------------------------------------------------------


def test_socket_is_0600_in_a_0700_directory(nlsh_home):
    start_daemon(nlsh_home)
    files = nlsh_home.files()
    assert stat.S_IMODE(files.directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(files.socket.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.pid.stat().st_mode) == 0o600
    assert files.socket.stat().st_uid == os.getuid()


def test_a_runtime_dir_open_to_others_is_refused(nlsh_home):
    files = nlsh_home.files()
    os.chmod(files.directory, 0o755)
    with pytest.raises(protocol.DaemonError, match="accessible to other users"):
        protocol.check_private_dir(files.directory)
    os.chmod(files.directory, 0o700)


OTHER_USER = "nlshtest"
CONNECT_AS_OTHER = textwrap.dedent("""
    import socket, sys, json
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.connect(sys.argv[1])
    except OSError as exc:
        print(json.dumps({"connect": exc.__class__.__name__}))
        raise SystemExit(0)
    # The daemon answers a refused peer at once and hangs up, before reading anything.
    reply = sock.makefile().readline()
    try:
        request = {"v": 1, "nlsh": "x", "id": "intruder", "op": "status"}
        sock.sendall((json.dumps(request) + "\\n").encode())
        late = sock.recv(100).decode()
    except OSError as exc:
        late = exc.__class__.__name__
    print(json.dumps({"connect": "ok", "reply": reply, "late": late}))
""")


def _other_user() -> pwd.struct_passwd:
    if os.geteuid() != 0:
        pytest.skip("needs root, to create a second user (CI and the dev box run as root)")
    try:
        return pwd.getpwnam(OTHER_USER)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        OTHER_USER], check=True, capture_output=True)
        return pwd.getpwnam(OTHER_USER)


def _as_user(user: pwd.struct_passwd, script: str, *args: str) -> dict:
    def drop() -> None:
        os.setgid(user.pw_gid)
        os.setgroups([])
        os.setuid(user.pw_uid)

    # Our interpreter may live under /root (0700); the other user needs one it can run.
    for python in (sys.executable, "/usr/bin/python3"):
        try:
            out = subprocess.run([python, "-I", "-c", script, *args], preexec_fn=drop,
                                 capture_output=True, text=True, timeout=60, cwd="/", env={})
        except PermissionError:
            continue
        if out.returncode == 0:
            return json.loads(out.stdout)
    raise AssertionError(f"no Python that user {user.pw_name} can run")


def _open_path_for_others(socket_path: Path, stop_at: Path) -> list[tuple[Path, int]]:
    """Let other users traverse to the socket (the test's temp root is 0700 too)."""
    changed = []
    for directory in [socket_path.parent, *socket_path.parent.parents]:
        changed.append((directory, stat.S_IMODE(directory.stat().st_mode)))
        os.chmod(directory, changed[-1][1] | 0o011)
        if directory == stop_at:
            break
    changed.append((socket_path, stat.S_IMODE(socket_path.stat().st_mode)))
    os.chmod(socket_path, 0o666)
    return changed


def test_another_user_is_refused(nlsh_home):
    user = _other_user()
    start_daemon(nlsh_home)
    files = nlsh_home.files()
    # With the normal permissions the directory alone keeps them out...
    assert _as_user(user, CONNECT_AS_OTHER, str(files.socket))["connect"] == "PermissionError"
    # ...and with the path and the socket opened up, the daemon itself says no (SO_PEERCRED).
    changed = _open_path_for_others(files.socket, stop_at=nlsh_home.root)
    try:
        seen = _as_user(user, CONNECT_AS_OTHER, str(files.socket))
    finally:
        for path, mode in reversed(changed):
            os.chmod(path, mode)
    assert seen["connect"] == "ok"
    reply = json.loads(seen["reply"])
    assert reply["ok"] is False
    assert "permission denied" in reply["error"]["message"]
    assert seen["late"] in ("", "BrokenPipeError", "ConnectionResetError")  # nothing more
    assert "refused a connection from uid" in log_text(nlsh_home)
    assert str(user.pw_uid) in log_text(nlsh_home)


# -- life cycle --------------------------------------------------------------------------------


def test_an_idle_daemon_exits(nlsh_home, monkeypatch):
    monkeypatch.setenv("NLSH_IDLE_TIMEOUT_S", "2")
    start_daemon(nlsh_home)
    nlsh_home.client().call("suggest", suggest_payload("print the date"))
    wait_until(lambda: nlsh_home.daemon_pid() is None, "the idle daemon to exit", limit_s=60)
    assert not nlsh_home.files().socket.exists()
    assert "idle for 2 s: exiting" in log_text(nlsh_home)


PATCHED_DAEMON = textwrap.dedent("""
    import sys
    import nlsh, nlsh.daemon.protocol as protocol, nlsh.daemon.server as server
    # An "older" daemon: another protocol version or another nlsh version.
    if sys.argv[1] == "protocol":
        protocol.PROTOCOL_VERSION = server.PROTOCOL_VERSION = 0
    else:
        nlsh.__version__ = server.__version__ = "0.0.1"
    sys.exit(server.main(["--settings-json", sys.argv[2]]))
""")


@pytest.mark.parametrize("what", ["protocol", "nlsh"])
def test_a_daemon_of_another_version_is_replaced(nlsh_home, what):
    settings = nlsh_home.settings()
    old = subprocess.Popen(
        [sys.executable, "-c", PATCHED_DAEMON, what,
         json.dumps(protocol.settings_to_dict(settings))],
        env=nlsh_home.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    client = nlsh_home.client()
    wait_until(lambda: (client.server_call("status") or {}).get("state") == "ready",
               "the old daemon to load")
    old_status = client.server_call("status")
    assert old_status is not None and old_status["pid"] == old.pid
    messages: list[str] = []
    client = DaemonClient(settings, progress=messages.append)
    result = client.call("suggest", suggest_payload("show free memory"))
    assert result["request"] == "show free memory"
    assert old.wait(timeout=30) == 0  # it was asked to stop, and did
    status = client.server_call("status")
    assert status is not None and status["pid"] != old.pid
    assert status["protocol"] == protocol.PROTOCOL_VERSION
    assert any("another version" in m for m in messages)


def test_a_daemon_with_another_model_is_replaced(nlsh_home, tiny_model_dir):
    first = start_daemon(nlsh_home)
    alias = nlsh_home.root / "same-weights-other-name"
    alias.symlink_to(tiny_model_dir, target_is_directory=True)
    messages: list[str] = []
    client = DaemonClient(nlsh_home.settings(model=str(alias)), progress=messages.append)
    assert client.call("ping", {})["model"]
    assert nlsh_home.daemon_pid() != first
    status = client.server_call("status")
    assert status is not None and status["model_setting"] == str(alias)
    assert any("another model" in m for m in messages)


def test_a_model_that_cannot_load_is_one_clear_error(nlsh_home):
    client = nlsh_home.client(model=str(nlsh_home.root / "no-such-model"))
    with pytest.raises(RemoteError) as caught:
        client.call("suggest", suggest_payload("list files"))
    message = str(caught.value)
    assert "no-such-model" in message and "\n" not in message
    # The failed daemon does not linger.
    wait_until(lambda: nlsh_home.daemon_pid() is None, "the failed daemon to exit")


def test_garbage_lines_get_an_error_and_the_daemon_keeps_serving(nlsh_home):
    start_daemon(nlsh_home)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(nlsh_home.files().socket))
        sock.sendall(b"this is not json\n[1, 2]\n")
        reader = sock.makefile("rb")
        for _ in range(2):
            reply = protocol.decode(reader.readline())
            assert reply["ok"] is False and reply["error"]["type"] == "bad_request"
        unknown = protocol.make_request("u", "launch_missiles", {}, nlsh_home.settings())
        sock.sendall(protocol.encode(unknown))
        reply = protocol.decode(reader.readline())
        assert reply["id"] == "u" and reply["error"]["type"] == "bad_request"
    assert nlsh_home.client().call("ping", {})["model"]


def test_a_slow_start_is_blamed_on_conversion_only_before_it_is_done(nlsh_home):
    from nlsh.backends import embedded

    try:
        gguf = embedded.embedded_gguf_path()
    except embedded.ModelUnavailable:
        pytest.skip("the embedded model is not installed")
    assert "converts" in slow_start_reason("embedded")  # this home's cache is empty
    target = embedded.converted_dir(gguf, embedded.EMBEDDED_NAME)
    target.mkdir(parents=True)
    (target / "config.json").write_text("{}")
    (target / embedded.WEIGHTS_FILE).write_bytes(b"")
    assert "converts" not in slow_start_reason("embedded")
    assert "converts" not in slow_start_reason(str(nlsh_home.root / "some-model"))


def test_daemon_without_a_subcommand_prints_its_help_laid_out():
    done = subprocess.run([sys.executable, "-m", "nlsh", "daemon"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("Usage: nlsh daemon")
    commands_listed = {line.split()[0] for line in lines if line.startswith("  ") and line.split()}
    assert {"status", "stop", "restart"} <= commands_listed  # one per line, not squashed

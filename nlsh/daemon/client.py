"""Talk to the model daemon, starting it on demand. Never imports torch or transformers.

`DaemonClient.call(op, payload)` connects to the socket (starting the daemon when nothing
listens, cleaning up after a crashed one), sends one request and waits for its answer. If the
daemon dies mid-request (SIGKILL, OOM) the client says so in one line on stderr, starts a new
one and retries once. A daemon of another version, or with another model loaded, is stopped
and replaced.

Two timeouts: a daemon must acknowledge a request within NO_ANSWER_TIMEOUT_S and then report
progress at least every SILENCE_TIMEOUT_S, or it is hung and the client says so (with its pid
and what to do) instead of waiting; a request that keeps making progress may take up to
REQUEST_TIMEOUT_S in all (a large model on a slow CPU).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nlsh
from nlsh.backends import ModelUnavailable
from nlsh.config import Settings
from nlsh.daemon import locks
from nlsh.daemon.protocol import (
    EXIT_ALREADY_RUNNING,
    MAX_MESSAGE_BYTES,
    RESTART_ERRORS,
    DaemonError,
    DaemonFiles,
    ErrorType,
    daemon_files,
    decode,
    encode,
    is_final,
    make_request,
    peer_credentials,
    settings_to_dict,
)

START_TIMEOUT_S = 180.0  # the first run converts the embedded model (~30 s on a slow CPU)
STOP_TIMEOUT_S = 10.0
SLOW_START_S = 8.0  # past this, say why the first answer takes so long
REQUEST_TIMEOUT_S = 600.0  # a request in progress (acknowledged, reporting progress)
NO_ANSWER_TIMEOUT_S = 3.0  # a daemon that accepts and never acknowledges: hung (the
# acknowledgement comes from a thread of its own, at once, even while the model works)
SILENCE_TIMEOUT_S = 20.0  # acknowledged, then no progress report for this long: hung
LOG_ROTATE_BYTES = 1 << 20
_CONNECT_ERRORS = (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK, errno.EAGAIN)
_counter = itertools.count(1)


class RemoteError(DaemonError):
    """The daemon answered with an error."""

    def __init__(self, kind: str, message: str, exception: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.exception = exception


class RemoteModelUnavailable(RemoteError, ModelUnavailable):
    """The daemon cannot have the configured model (the user's setting is wrong)."""


def remote_error(kind: str, message: str, exception: str | None) -> RemoteError:
    if exception == "ModelUnavailable":
        return RemoteModelUnavailable(kind, message, exception)
    return RemoteError(kind, message, exception)


class DaemonDied(DaemonError):
    """The connection broke before the answer came: the daemon crashed or was killed."""


class DaemonNotAnswering(DaemonError):
    """The daemon accepted the connection but does not acknowledge or report progress."""


Waiting = Callable[[str, float], None]  # (state, seconds elapsed) while a request is pending
FirstAnswer = Callable[[dict[str, Any]], None]  # the greedy answer, before the ranked set


def stderr_progress(message: str) -> None:
    print(f"nlsh: {message}", file=sys.stderr, flush=True)


class DaemonClient:
    def __init__(
        self,
        settings: Settings,
        *,
        progress: Callable[[str], None] | None = stderr_progress,
        files: DaemonFiles | None = None,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
        start_timeout_s: float = START_TIMEOUT_S,
        no_answer_timeout_s: float = NO_ANSWER_TIMEOUT_S,
        silence_timeout_s: float = SILENCE_TIMEOUT_S,
        waiting: Waiting | None = None,
        on_first: FirstAnswer | None = None,
    ) -> None:
        self.settings = settings
        self.files = files if files is not None else daemon_files()
        self.progress = progress
        self.request_timeout_s = request_timeout_s
        self.start_timeout_s = start_timeout_s
        self.no_answer_timeout_s = no_answer_timeout_s
        self.silence_timeout_s = silence_timeout_s
        self.waiting = waiting
        self.on_first = on_first

    # ------------------------------------------------------------------ requests

    def call(self, op: str, payload: dict[str, Any], *, start: bool = True) -> dict[str, Any]:
        """Send one pipeline request and return its result; raises DaemonError (one line)."""
        request_id = f"{os.getpid()}-{next(_counter)}-{uuid.uuid4().hex[:8]}"
        message = make_request(request_id, op, payload, self.settings)
        for attempt in (1, 2):
            try:
                return self._exchange(message, start=start)
            except DaemonDied:
                if attempt == 2 or not start:
                    raise
                self._say("the model daemon stopped while answering; restarting it and retrying")
                self._replace_dead_daemon()
            except RemoteError as exc:
                if exc.kind not in RESTART_ERRORS or attempt == 2 or not start:
                    raise
                if exc.kind == ErrorType.VERSION_MISMATCH:
                    self._say("the running model daemon is another version; restarting it")
                elif exc.kind == ErrorType.MODEL_MISMATCH:
                    self._say("the running model daemon has another model loaded; restarting it")
                self.stop()
        raise AssertionError("unreachable")

    def _exchange(self, message: dict[str, Any], *, start: bool) -> dict[str, Any]:
        sock = self._connect(start=start)
        with sock:
            try:
                sock.sendall(encode(message))
                reply = self._await_answer(sock, message["id"])
            except (ConnectionResetError, BrokenPipeError) as exc:
                raise DaemonDied(
                    f"the model daemon closed the connection ({exc.strerror})") from None
        if not reply.get("ok"):
            error = reply.get("error") or {}
            raise remote_error(str(error.get("type", ErrorType.FAILED)),
                               str(error.get("message", "the model daemon failed")),
                               error.get("exception"))
        result = reply.get("result")
        return result if isinstance(result, dict) else {}

    def _await_answer(self, sock: socket.socket, request_id: str) -> dict[str, Any]:
        """Read the acknowledgement and progress reports until the answer comes; a daemon
        that goes quiet costs at most the no-answer (or silence) timeout, not the request's."""
        reader = LineReader(sock)
        started = time.monotonic()
        deadline = started + self.request_timeout_s
        heard = False
        while True:
            quiet = self.silence_timeout_s if heard else self.no_answer_timeout_s
            sock.settimeout(max(0.01, min(quiet, deadline - time.monotonic())))
            try:
                line = reader.line()
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise DaemonError(f"the model daemon did not finish within "
                                      f"{self.request_timeout_s:.0f} s") from None
                raise self._not_answering(sock, heard, quiet) from None
            if line is None:
                raise DaemonDied("the model daemon closed the connection")
            reply = decode(line)
            if reply.get("id") != request_id:
                raise DaemonError("the model daemon answered another request (protocol error)")
            if is_final(reply):
                return reply
            heard = True
            first = reply.get("first")
            if self.on_first is not None and isinstance(first, dict):
                self.on_first(first)
            progress = reply.get("progress")
            if self.waiting is not None:
                state = progress.get("state") if isinstance(progress, dict) else None
                self.waiting(str(state or "queued"), time.monotonic() - started)

    def _not_answering(self, sock: socket.socket, heard: bool, quiet: float) -> DaemonError:
        creds = None
        with contextlib.suppress(OSError):
            creds = peer_credentials(sock)
        pid = creds[0] if creds else locks.live_daemon_pid(self.files.pid)
        who = f"pid {pid}" if pid else str(self.files.socket)
        what = "stopped reporting progress" if heard else "is not answering"
        return DaemonNotAnswering(f"the model daemon {what} ({who}, nothing for {quiet:.0f} s);"
                                  f" run `nlsh daemon restart`")

    def server_call(self, op: str) -> dict[str, Any] | None:
        """`status` or `shutdown`, answered at once by any version; None if no daemon listens."""
        try:
            sock = self._connect(start=False)
        except DaemonError:
            return None
        with sock:
            sock.settimeout(self.no_answer_timeout_s)
            try:
                sock.sendall(encode({"op": op, "id": op}))
                line = LineReader(sock).line()
            except OSError:
                return None
        if line is None:
            return None
        reply = decode(line)
        result = reply.get("result")
        return result if reply.get("ok") and isinstance(result, dict) else None

    # ------------------------------------------------------------------ connecting / starting

    def _connect(self, *, start: bool) -> socket.socket:
        sock = self._try_connect()
        if sock is not None:
            return sock
        if not start:
            raise DaemonError("the model daemon is not running")
        self.ensure_running()
        sock = self._try_connect()
        if sock is None:
            raise DaemonError(f"cannot connect to the model daemon at {self.files.socket}")
        return sock

    def _try_connect(self) -> socket.socket | None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(self.files.socket))
        except OSError as exc:
            sock.close()
            if exc.errno in _CONNECT_ERRORS:
                return None
            raise DaemonError(f"cannot connect to {self.files.socket}: "
                              f"{exc.strerror or exc}") from None
        return sock

    def ensure_running(self) -> None:
        """Start the daemon unless one is alive, and wait until its model is loaded."""
        with locks.spawn_lock(self.files.spawn_lock, timeout_s=self.start_timeout_s):
            for _ in range(3):
                status = self.server_call("status")
                if status is not None and status.get("state") == "ready":
                    return
                if locks.live_daemon_pid(self.files.pid) is None:
                    # Nothing alive: a socket file left here is a crashed daemon's.
                    self._remove_stale_socket()
                    self._say("starting the nlsh model daemon…")
                    self._wait_ready(self._spawn())
                    return
                # Alive but not listening or not loaded yet (another client's, `nlsh serve`),
                # or dying right now: wait for it, and start one if it went away.
                if self._wait_ready(None):
                    return
        raise DaemonError("could not start the model daemon; see " + str(self.files.log))

    def _replace_dead_daemon(self) -> None:
        """After a daemon died under us: let it finish dying (its listening socket may accept
        for a moment more), then start a fresh one, unless another client already has."""
        self._wait_gone(STOP_TIMEOUT_S / 2)
        self.ensure_running()

    def _remove_stale_socket(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.files.socket.unlink()

    def _spawn(self) -> subprocess.Popen[bytes]:
        log = self.files.log
        _rotate(log)
        # The request's own variables (what the user typed) stay out of a long-lived process.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NLSH_WIDGET_", "NLSH_LAST_"))}
        # A checkout run without installing: let the daemon import the same nlsh as we did.
        package_root = str(Path(nlsh.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        argv = [sys.executable, "-m", "nlsh.daemon.server",
                "--settings-json", json.dumps(settings_to_dict(self.settings))]
        with open(log, "ab", buffering=0) as log_file:
            os.chmod(log, 0o600)
            return subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                start_new_session=True, close_fds=True, cwd="/", env=env)

    def _wait_ready(self, process: subprocess.Popen[bytes] | None) -> bool:
        """True once the daemon is ready; False if a daemon we did not start went away.

        A first start that converts the model may take minutes on a small CPU: while the
        daemon reports a conversion that advances, the wait goes on (its deadline counted
        from the last advance) and the progress is shown."""
        started = time.monotonic()
        watch = ConversionWatch(self.start_timeout_s)
        deadline = started + self.start_timeout_s
        pause = 0.02
        told_slow = process is None  # only the client that started it explains the wait
        while time.monotonic() < deadline:
            if not told_slow and time.monotonic() - started > SLOW_START_S:
                told_slow = True
                self._say(f"still loading the model ({slow_start_reason(self.settings.model)}); "
                          f"log: {self.files.log}")
            status = self.server_call("status")
            if status is not None:
                news = watch.see(status.get("conversion"), time.monotonic())
                if news is not None:
                    told_slow = True
                    self._say(news)
                deadline = max(deadline, watch.deadline)
                if status.get("state") == "ready":
                    return True
                if status.get("state") == "failed":
                    raise remote_error(ErrorType.BACKEND, str(status.get("error")),
                                       status.get("error_exception"))
            if process is not None and process.poll() == EXIT_ALREADY_RUNNING:
                process = None  # another daemon won the race (`nlsh serve`): wait for it
            if process is not None and process.poll() is not None:
                raise DaemonError(f"the model daemon exited at start (status "
                                  f"{process.returncode}): {self._last_log_line()}")
            if process is None and locks.live_daemon_pid(self.files.pid) is None:
                return False
            time.sleep(pause)
            pause = min(pause * 1.5, 0.2)
        raise DaemonError(f"the model daemon did not get ready within {self.start_timeout_s:.0f} s"
                          f"; see {self.files.log}")

    def _last_log_line(self) -> str:
        try:
            lines = self.files.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    # ------------------------------------------------------------------ stopping

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> int | None:
        """Stop the daemon (politely, then SIGTERM, then SIGKILL); its pid, or None if none."""
        pid = locks.live_daemon_pid(self.files.pid)
        answered = self.server_call("shutdown")
        if pid is None and answered is None:
            return None
        if pid is None and answered is not None:
            pid = int(answered.get("pid", -1))
        if self._wait_gone(timeout_s / 2):
            return pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            live = locks.live_daemon_pid(self.files.pid)
            if live is None or live <= 0:
                break
            try:
                os.kill(live, sig)
            except ProcessLookupError:
                break
            if self._wait_gone(timeout_s / 4):
                break
        self._remove_stale_socket_if_dead()
        return pid

    def _wait_gone(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if locks.live_daemon_pid(self.files.pid) is None:
                return True
            time.sleep(0.05)
        return False

    def _remove_stale_socket_if_dead(self) -> None:
        if locks.live_daemon_pid(self.files.pid) is None:
            self._remove_stale_socket()

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


class LineReader:
    """Newline-terminated messages from a socket, keeping what arrives after each line."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def line(self) -> bytes | None:
        """The next message, or None on EOF before a whole line arrived."""
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line, self.buffer = self.buffer[: newline + 1], self.buffer[newline + 1:]
                return line
            if len(self.buffer) > MAX_MESSAGE_BYTES:
                raise DaemonError("the model daemon sent an oversized answer")
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk


class ConversionWatch:
    """Follows the conversion progress a loading daemon reports: each advance moves the
    deadline to `patience_s` after it, and each new tenth done is worth a line to the user."""

    def __init__(self, patience_s: float) -> None:
        self.patience_s = patience_s
        self.deadline = 0.0
        self._last: tuple[Any, ...] | None = None
        self._tenth = -1

    def see(self, conversion: dict[str, Any] | None, now: float) -> str | None:
        """Take one status's `conversion` field; what to tell the user, if anything."""
        if not conversion:
            return None
        seen = (conversion.get("done"), conversion.get("phase"))
        if seen != self._last:
            self._last = seen
            self.deadline = now + self.patience_s
        percent = float(conversion.get("percent") or 0.0)
        tenth = int(percent // 10)
        if tenth == self._tenth:
            return None
        self._tenth = tenth
        model = conversion.get("model") or "the model"
        return f"converting {model} (first run only): {percent:.0f}% done"


def _read_line(sock: socket.socket) -> bytes | None:
    """One newline-terminated message, or None on EOF before a whole line arrived."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        newline = chunk.find(b"\n")
        if newline >= 0:
            chunks.append(chunk[: newline + 1])
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_MESSAGE_BYTES:
            raise DaemonError("the model daemon sent an oversized answer")


def _rotate(log: Path) -> None:
    try:
        if log.stat().st_size > LOG_ROTATE_BYTES:
            os.replace(log, log.with_name(log.name + ".1"))
    except FileNotFoundError:
        pass


def call(settings: Settings, op: str, payload: dict[str, Any],
         on_first: FirstAnswer | None = None) -> dict[str, Any]:
    """One pipeline request through the daemon (started on demand); what `Pipeline.handle`
    would return in this process. Raises DaemonError (a BackendError) with a one-line message."""
    return DaemonClient(settings, on_first=on_first).call(op, payload)


def slow_start_reason(model: str) -> str:
    """Why a daemon start may take this long. Only the embedded model's first conversion is
    known for sure; other waits are not explained away."""
    from nlsh.backends import embedded
    from nlsh.models.choice import model_identity

    model = model_identity(model)
    if model.endswith(".gguf") and model != "embedded":
        with contextlib.suppress(OSError):
            gguf = Path(model).expanduser().resolve()
            if gguf.is_file() and not embedded.is_converted(embedded.converted_dir(gguf)):
                return "the first run converts the model: minutes on a small CPU, once"
    if model != "embedded":
        return "a large model can take a while to load"

    with contextlib.suppress(ModelUnavailable, OSError):
        gguf = embedded.embedded_gguf_path()
        if not embedded.is_converted(embedded.converted_dir(gguf, embedded.EMBEDDED_NAME)):
            return "the first run converts the embedded model: up to a minute, once"
    return "longer than usual"

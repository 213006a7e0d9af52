"""The model daemon: one loaded `Pipeline`, one worker thread, one queue, many clients.

Threads:
- the main thread accepts connections, checks each peer's uid (SO_PEERCRED) and watches for
  the idle timeout and for stop requests;
- one thread per connection reads request lines, answers `status`/`shutdown` at once and
  queues pipeline requests;
- one worker thread loads the model, then runs queued requests one at a time, in arrival
  order, and writes each answer to the connection it came from, tagged with its id;
- one heartbeat thread reports progress on every pending request each HEARTBEAT_S, so a
  client can tell a busy daemon from a hung one. A request is acknowledged before it is
  queued; no line about a request follows its answer.

The socket is bound before the model loads, so a client can tell "starting" from "dead" and
show progress; requests that arrive meanwhile wait in the queue.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import queue
import resource
import selectors
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from nlsh import __version__
from nlsh.backends import BackendError
from nlsh.config import Settings
from nlsh.daemon import locks
from nlsh.daemon.protocol import (
    EXIT_ALREADY_RUNNING,
    EXIT_LOAD_FAILED,
    HEARTBEAT_S,
    PIPELINE_OPS,
    PROTOCOL_VERSION,
    DaemonError,
    DaemonFiles,
    ErrorType,
    ProtocolError,
    ack_message,
    daemon_files,
    decode,
    encode,
    error_response,
    first_message,
    model_key,
    ok_response,
    peer_credentials,
    progress_message,
    settings_from_dict,
    settings_to_dict,
)

log = logging.getLogger("nlsh.daemon")

_ACCEPT_TICK_S = 0.25


@dataclass(eq=False)  # identity: a set of live connections
class Connection:
    """One client connection; answers from the worker and the reader share it under a lock."""

    sock: socket.socket
    peer_pid: int
    closed: threading.Event = field(default_factory=threading.Event)
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: dict[str, Any], job: Job | None = None, *,
             final: bool = True) -> bool:
        """Write one line. With `job`: a final line marks it answered, and nothing about it
        (progress) is written after that."""
        data = encode(message)
        with self.write_lock:
            if self.closed.is_set() or (job is not None and job.answered):
                return False
            if job is not None:
                job.answered = final
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                self.closed.set()
                return False


@dataclass(eq=False)  # identity: a set of pending jobs
class Job:
    conn: Connection
    request_id: Any
    op: str
    payload: dict[str, Any]
    settings: Settings
    received: float
    answered: bool = False  # guarded by conn.write_lock


def current_rss_bytes() -> int:
    """Resident memory now (Linux /proc), else the peak the kernel reports."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class Daemon:
    def __init__(self, settings: Settings, files: DaemonFiles) -> None:
        self.settings = settings
        self.files = files
        self.model_key = model_key(settings)
        self.uid = os.getuid()
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.stopping = threading.Event()
        self.started = time.time()
        self.last_activity = time.monotonic()
        self.served = 0
        self.busy_with: Any = None
        self.state = "loading"  # "loading" | "ready" | "failed"
        self.load_error: str | None = None
        self.load_exception: str | None = None
        self.load_s: float | None = None
        self.model_name: str | None = None
        self.pipeline: Any = None
        self.engine: str | None = None  # the engine the backend runs (chosen by measuring)
        self._connections: set[Connection] = set()
        self._connections_lock = threading.Lock()
        self._pending: set[Job] = set()  # acknowledged, not yet answered
        self._pending_lock = threading.Lock()

    # ------------------------------------------------------------------ life cycle

    def run(self) -> int:
        pid_fd = locks.hold_pid_file(self.files.pid)
        if pid_fd is None:
            log.info("another daemon holds %s; exiting", self.files.pid)
            return EXIT_ALREADY_RUNNING
        listener = self._bind()
        log.info("nlsh %s daemon pid %d listening on %s (protocol %d, model %s)", __version__,
                 os.getpid(), self.files.socket, PROTOCOL_VERSION, self.settings.model)
        self._install_signal_handlers()
        worker = threading.Thread(target=self._work, name="nlsh-worker", daemon=True)
        worker.start()
        threading.Thread(target=self._heartbeat, name="nlsh-heartbeat", daemon=True).start()
        try:
            self._accept_loop(listener, worker)
        finally:
            self._shut_down(listener, worker, pid_fd)
        return EXIT_LOAD_FAILED if self.state == "failed" else 0

    def _bind(self) -> socket.socket:
        path = self.files.socket
        # The pid lock proves no other daemon lives, so whatever is at the path is stale.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)  # the socket is born 0600: no window with wider rights
        try:
            listener.bind(str(path))
        except OSError as exc:
            raise DaemonError(f"cannot bind {path}: {exc.strerror or exc}") from None
        finally:
            os.umask(old_umask)
        os.chmod(path, 0o600)
        listener.listen(64)
        listener.setblocking(False)
        return listener

    def _install_signal_handlers(self) -> None:
        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %d: stopping", signum)
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    def _accept_loop(self, listener: socket.socket, worker: threading.Thread) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            while not self.stopping.is_set():
                if selector.select(timeout=_ACCEPT_TICK_S):
                    self._accept(listener)
                if not worker.is_alive() and not self.stopping.is_set():
                    # Without its worker the daemon would queue requests forever: leave, and
                    # let the next client start a fresh one.
                    log.error("the worker thread died: exiting")
                    self.stopping.set()
                if self._idle_for() > self.settings.idle_timeout_s:
                    log.info("idle for %d s: exiting", self.settings.idle_timeout_s)
                    self.stopping.set()

    def _idle_for(self) -> float:
        if self.state == "loading" or self.busy_with is not None or not self.jobs.empty():
            return 0.0
        return time.monotonic() - self.last_activity

    def _accept(self, listener: socket.socket) -> None:
        try:
            sock, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        sock.setblocking(True)
        creds = peer_credentials(sock)
        if creds is None or creds[1] != self.uid:
            # Refuse before reading a byte: another user's process gets nothing from us.
            log.warning("refused a connection from uid %s (pid %s)",
                        creds[1] if creds else "?", creds[0] if creds else "?")
            with contextlib.suppress(OSError):
                sock.sendall(encode(error_response(
                    None, ErrorType.BAD_REQUEST, "permission denied: not the daemon's user")))
            sock.close()
            return
        conn = Connection(sock=sock, peer_pid=creds[0])
        with self._connections_lock:
            self._connections.add(conn)
        threading.Thread(target=self._serve_connection, args=(conn,), daemon=True,
                         name=f"nlsh-conn-{creds[0]}").start()

    def _shut_down(self, listener: socket.socket, worker: threading.Thread, pid_fd: int) -> None:
        self.stopping.set()
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            self.files.socket.unlink()
        self.jobs.put(None)
        worker.join(timeout=30)
        self._refuse_queued()
        with self._connections_lock:
            for conn in list(self._connections):
                conn.closed.set()
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)
        # Unlink before unlocking: a new daemon that locks the old file notices and retries.
        with contextlib.suppress(FileNotFoundError):
            self.files.pid.unlink()
        os.close(pid_fd)
        log.info("stopped after %d requests", self.served)

    def _refuse_queued(self) -> None:
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                self._answer(job, error_response(job.request_id, ErrorType.SHUTTING_DOWN,
                                                 "the daemon is shutting down"))

    # ------------------------------------------------------------------ progress

    def _answer(self, job: Job, message: dict[str, Any]) -> bool:
        with self._pending_lock:
            self._pending.discard(job)
        return job.conn.send(message, job)

    def _heartbeat(self) -> None:
        """Progress on every pending request, so its client knows the daemon is alive."""
        while not self.stopping.wait(HEARTBEAT_S):
            with self._pending_lock:
                pending = list(self._pending)
            now = time.monotonic()
            for job in pending:
                if job.conn.closed.is_set():
                    with self._pending_lock:
                        self._pending.discard(job)
                    continue
                state = ("working" if self.busy_with == job.request_id
                         else "loading" if self.state == "loading" else "queued")
                job.conn.send(progress_message(job.request_id, state, now - job.received), job,
                              final=False)

    # ------------------------------------------------------------------ connections

    def _serve_connection(self, conn: Connection) -> None:
        try:
            with conn.sock.makefile("rb") as reader:
                while not self.stopping.is_set():
                    line = reader.readline(PROTOCOL_LINE_LIMIT)
                    if not line:
                        break
                    if not line.endswith(b"\n") and len(line) >= PROTOCOL_LINE_LIMIT:
                        conn.send(error_response(None, ErrorType.BAD_REQUEST, "request too large"))
                        break
                    self._dispatch(conn, line)
        except OSError:
            pass
        finally:
            conn.closed.set()
            with self._connections_lock:
                self._connections.discard(conn)
            with contextlib.suppress(OSError):
                conn.sock.close()

    def _dispatch(self, conn: Connection, line: bytes) -> None:
        try:
            message = decode(line)
        except ProtocolError as exc:
            conn.send(error_response(None, ErrorType.BAD_REQUEST, str(exc)))
            return
        request_id = message.get("id")
        op = message.get("op")
        if op == "status":
            conn.send(ok_response(request_id, self.status()))
            return
        if op == "shutdown":
            conn.send(ok_response(request_id, {"pid": os.getpid()}))
            log.info("shutdown requested by pid %d", conn.peer_pid)
            self.stopping.set()
            return
        refusal = self._refusal(message)
        if refusal is not None:
            conn.send(error_response(request_id, *refusal))
            return
        settings = settings_from_dict(message.get("settings") or {})
        payload = message.get("payload")
        self.last_activity = time.monotonic()
        job = Job(conn, request_id, str(op), payload if isinstance(payload, dict) else {},
                  settings, time.monotonic())
        # Acknowledged before it is queued: the answer can never overtake the acknowledgement.
        conn.send(ack_message(request_id, self.jobs.qsize() + (self.busy_with is not None)), job,
                  final=False)
        with self._pending_lock:
            self._pending.add(job)
        self.jobs.put(job)

    def _refusal(self, message: dict[str, Any]) -> tuple[str, str, str | None] | None:
        if message.get("v") != PROTOCOL_VERSION or message.get("nlsh") != __version__:
            return (ErrorType.VERSION_MISMATCH,
                    f"daemon speaks protocol {PROTOCOL_VERSION} (nlsh {__version__}), client "
                    f"{message.get('v')} (nlsh {message.get('nlsh')})", None)
        if message.get("model_key") != self.model_key:
            return ErrorType.MODEL_MISMATCH, "the daemon has another model loaded", None
        if message.get("op") not in PIPELINE_OPS:
            return ErrorType.BAD_REQUEST, f"unknown operation {message.get('op')!r}", None
        if self.state == "failed":
            return self._load_failure()
        return None

    def _load_failure(self) -> tuple[str, str, str | None]:
        return (ErrorType.BACKEND, self.load_error or "the model failed to load",
                self.load_exception)

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "nlsh": __version__,
            "protocol": PROTOCOL_VERSION,
            "state": self.state,
            "model": self.model_name,
            "model_setting": self.settings.model,
            "engine": self.engine,
            "backend": self.settings.backend,
            "uptime_s": round(time.time() - self.started, 3),
            "load_s": self.load_s,
            "requests_served": self.served,
            "queued": self.jobs.qsize(),
            "busy": self.busy_with is not None,
            "rss_bytes": current_rss_bytes(),
            "socket": str(self.files.socket),
            "log": str(self.files.log),
            "idle_timeout_s": self.settings.idle_timeout_s,
            "error": self.load_error,
            "error_exception": self.load_exception,
            "conversion": self._conversion(),
        }

    def _conversion(self) -> dict[str, Any] | None:
        """How far the first start's model conversion is (None when none is running): a
        client waiting for the daemon shows it, and waits as long as it advances."""
        if self.state != "loading":
            return None
        from nlsh.backends.embedded import CONVERSION

        return CONVERSION.snapshot()

    # ------------------------------------------------------------------ the worker

    def _work(self) -> None:
        if not self._load():
            # Answer what is queued with the reason, then leave: the next client starts afresh.
            self._drain_with_load_error()
            self.stopping.set()
            return
        while True:
            job = self.jobs.get()
            if job is None or self.stopping.is_set():
                if job is not None:
                    self._answer(job, error_response(job.request_id, ErrorType.SHUTTING_DOWN,
                                                     "the daemon is shutting down"))
                return
            if job.conn.closed.is_set():
                self._answer(job, {})  # forget it: the client gave up (Ctrl-C)
                continue  # don't spend the model on it
            self._run_job(job)

    def _load(self) -> bool:
        started = time.monotonic()
        try:
            from nlsh.pipeline import Pipeline  # imports the model stack lazily

            self.pipeline = Pipeline(self.settings)
            self.model_name = str(self.pipeline.handle("ping", {}).get("model"))
            describe = getattr(self.pipeline.backend, "describe", None)
            about = describe() if callable(describe) else {}
            self.engine = about.get("engine_choice") or about.get("engine")
        except Exception as exc:
            self.load_error = _one_line(exc)
            self.load_exception = type(exc).__name__
            self.state = "failed"
            log.error("the model failed to load: %s\n%s", self.load_error, traceback.format_exc())
            return False
        self.load_s = round(time.monotonic() - started, 3)
        self.state = "ready"
        self.last_activity = time.monotonic()
        log.info("model %s ready in %.1f s", self.model_name, self.load_s)
        return True

    def _drain_with_load_error(self) -> None:
        while True:
            try:
                job = self.jobs.get(timeout=0.2)
            except queue.Empty:
                return
            if job is not None:
                self._answer(job, error_response(job.request_id, *self._load_failure()))

    def _run_job(self, job: Job) -> None:
        self.busy_with = job.request_id
        started = time.monotonic()
        try:
            self.pipeline.settings = job.settings  # one worker: no request sees another's

            def first(answer: dict[str, Any]) -> None:
                job.conn.send(first_message(job.request_id, answer,
                                            time.monotonic() - job.received), job, final=False)

            answer = ok_response(job.request_id,
                                 self.pipeline.handle(job.op, job.payload, on_first=first))
        except (KeyError, TypeError, ValueError) as exc:
            answer = error_response(job.request_id, ErrorType.BAD_REQUEST, _one_line(exc),
                                    type(exc).__name__)
        except Exception as exc:
            kind = ErrorType.BACKEND if isinstance(exc, BackendError) else ErrorType.FAILED
            answer = error_response(job.request_id, kind, _one_line(exc), type(exc).__name__)
            log.error("request %s (%s) failed: %s", job.request_id, job.op,
                      traceback.format_exc())
        finally:
            self.pipeline.settings = self.settings
        self.served += 1  # before the answer leaves: a client's next `status` must count it
        self.busy_with = None
        self.last_activity = time.monotonic()
        delivered = self._answer(job, answer)
        log.info("%s %s from pid %d: %.3f s (waited %.3f s)%s", job.op, job.request_id,
                 job.conn.peer_pid, time.monotonic() - started, started - job.received,
                 "" if delivered else ", client gone")


PROTOCOL_LINE_LIMIT = 8 << 20


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def serve(settings: Settings) -> int:
    """Run the daemon in this process until it is stopped or idle; returns the exit status."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s nlsh-daemon[%(process)d] %(message)s")
    try:
        return Daemon(settings, daemon_files()).run()
    except DaemonError as exc:
        log.error("%s", exc)
        return 1


def main(argv: list[str] | None = None) -> int:
    """`python -m nlsh.daemon.server --settings-json '{…}'`: how clients start the daemon."""
    parser = argparse.ArgumentParser(prog="nlsh-daemon")
    parser.add_argument("--settings-json", default="{}")
    args = parser.parse_args(argv)
    try:
        settings = settings_from_dict(json.loads(args.settings_json))
    except (ValueError, TypeError) as exc:
        print(f"nlsh-daemon: bad --settings-json: {exc}", file=sys.stderr)
        return 2
    return serve(settings)


__all__ = ["Daemon", "main", "peer_credentials", "serve", "settings_to_dict"]

if __name__ == "__main__":
    sys.exit(main())

"""The daemon's wire format and where its files live.

One JSON object per line, both ways. A request:
    {"v": 1, "nlsh": "0.1.0", "id": "…", "op": "suggest", "payload": {…},
     "settings": {…}, "model_key": "…"}
the daemon acknowledges a pipeline request at once, reports progress while it waits or works
(every HEARTBEAT_S), then answers; all carry the request's id, and only the answer has "ok":
    {"v": 2, "id": "…", "ack": true, "queued": 0}
    {"v": 2, "id": "…", "progress": {"state": "queued" | "loading" | "working",
                                     "elapsed_s": 1.0}}
    {"v": 2, "id": "…", "progress": {…}, "first": {"command": "…", "risk": {…}}}
    {"v": 2, "id": "…", "ok": true, "result": {…}}
    {"v": 2, "id": "…", "ok": false, "error": {"type": "…", "message": "…"}}
A "suggest" sends one progress line with "first" (the greedy answer, before ranking) as soon
as it exists; clients that do not know the key read it as plain progress.
So a client tells a daemon that is slow (progress keeps coming) from one that is hung (no
acknowledgement within a few seconds, or progress stops) without waiting out a long request.

`settings` are the client's effective settings: the daemon applies them per request, so an
answer is what an in-process pipeline with those settings would give. Settings that decide
which model is loaded cannot change per request; their fingerprint (`model_key`) must match
the daemon's or it answers `model_mismatch` and the client restarts it.

Compatibility promise, kept by every future version: a line whose "op" is "status" or
"shutdown" is honoured whatever its "v", so an old client can always stop a new daemon and
the other way round.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import socket
import stat
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlsh import __version__, paths
from nlsh.backends import BackendError
from nlsh.config import Settings

PROTOCOL_VERSION = 2  # 2: acknowledgement and progress lines before the answer
HEARTBEAT_S = 1.0  # how often the daemon reports progress on a pending request
MAX_MESSAGE_BYTES = 8 << 20  # a request carries a bounded context; anything larger is abuse

EXIT_ALREADY_RUNNING = 3  # `python -m nlsh.daemon.server` found another daemon alive
EXIT_LOAD_FAILED = 4

PIPELINE_OPS = ("ping", "suggest", "summarize")  # run by the worker, in order
SERVER_OPS = ("status", "shutdown")  # answered at once by the connection's thread

# Settings that decide what the daemon loads; changing one means a different daemon.
MODEL_FIELDS = (
    "model", "adapter", "backend", "device", "openai_base_url", "openai_api_key_env",
    "openai_timeout_s",
)


class ErrorType:
    VERSION_MISMATCH = "version_mismatch"  # restart the daemon
    MODEL_MISMATCH = "model_mismatch"  # restart the daemon with the client's settings
    SHUTTING_DOWN = "shutting_down"  # it is going away: start a new one and retry
    BAD_REQUEST = "bad_request"
    BACKEND = "backend_error"  # the model could not load or answer: report, don't retry
    FAILED = "failed"  # the pipeline raised on this request


RESTART_ERRORS = (ErrorType.VERSION_MISMATCH, ErrorType.MODEL_MISMATCH, ErrorType.SHUTTING_DOWN)


class DaemonError(BackendError):
    """Talking to the daemon failed; the message is one line, fit for the user.

    A BackendError, so callers handle "no model" alike whether it lives here or in a daemon.
    """


class ProtocolError(DaemonError):
    """A line that is not a JSON object of the expected shape."""


@dataclass(frozen=True)
class DaemonFiles:
    """The daemon's socket, pid file (locked by the live daemon), spawn lock and log."""

    directory: Path
    log: Path

    @property
    def socket(self) -> Path:
        return self.directory / "daemon.sock"

    @property
    def pid(self) -> Path:
        return self.directory / "daemon.pid"

    @property
    def spawn_lock(self) -> Path:
        return self.directory / "spawn.lock"


def daemon_files() -> DaemonFiles:
    try:
        directory = paths.runtime_dir()
        check_private_dir(directory)
        log = paths.state_dir() / "daemon.log"
    except OSError as exc:  # e.g. a /tmp/nlsh-UID planted by someone else: chmod is refused
        raise DaemonError(f"cannot use the runtime directory: {exc.strerror or exc} "
                          f"({getattr(exc, 'filename', '') or ''})") from None
    return DaemonFiles(directory=directory, log=log)


def check_private_dir(directory: Path) -> None:
    """Refuse a socket directory another user owns or can enter (e.g. a planted /tmp dir)."""
    info = directory.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise DaemonError(f"{directory} is not a directory")
    if info.st_uid != os.getuid():
        raise DaemonError(f"{directory} belongs to another user (uid {info.st_uid}); refusing it")
    if info.st_mode & 0o077:
        raise DaemonError(f"{directory} is accessible to other users (mode "
                          f"{stat.S_IMODE(info.st_mode):04o}); refusing it")


def peer_credentials(sock: socket.socket) -> tuple[int, int] | None:
    """(pid, uid) of the process at the other end of a Unix socket, or None if unknowable."""
    if hasattr(socket, "SO_PEERCRED"):
        size = struct.calcsize("3i")
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
        pid, uid, _gid = struct.unpack("3i", raw)
        return pid, uid
    if sys.platform == "darwin":  # pragma: no cover - exercised on macOS only
        sol_local, local_peercred, local_peerpid = 0, 0x001, 0x002
        raw = sock.getsockopt(sol_local, local_peercred, struct.calcsize("IIh16I"))
        _version, uid = struct.unpack_from("II", raw)
        pid_raw = sock.getsockopt(sol_local, local_peerpid, struct.calcsize("i"))
        return struct.unpack("i", pid_raw)[0], uid
    return None


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
            if f.name != "sources"}


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Unknown names are ignored: a newer client may know settings this daemon does not."""
    known = {f.name for f in dataclasses.fields(Settings) if f.name != "sources"}
    return Settings(**{k: v for k, v in data.items() if k in known})


def model_key(settings: Settings) -> str:
    from nlsh.models.choice import model_identity

    chosen = {name: getattr(settings, name) for name in MODEL_FIELDS}
    # What "auto" or a tier means now: pulling the coder tier must replace an embedded daemon.
    chosen["model"] = model_identity(settings.model, settings.device)
    return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:16]


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message larger than {MAX_MESSAGE_BYTES} bytes")
    try:
        message = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


def make_request(request_id: str, op: str, payload: dict[str, Any],
                 settings: Settings) -> dict[str, Any]:
    return {
        "v": PROTOCOL_VERSION,
        "nlsh": __version__,
        "id": request_id,
        "op": op,
        "payload": payload,
        "settings": settings_to_dict(settings),
        "model_key": model_key(settings),
    }


def ack_message(request_id: Any, queued: int) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "id": request_id, "ack": True, "queued": queued}


def progress_message(request_id: Any, state: str, elapsed_s: float) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "id": request_id,
            "progress": {"state": state, "elapsed_s": round(elapsed_s, 1)}}


def first_message(request_id: Any, first: dict[str, Any], elapsed_s: float) -> dict[str, Any]:
    """A progress line carrying the greedy answer (`Pipeline.handle`'s `on_first`)."""
    return {**progress_message(request_id, "working", elapsed_s), "first": first}


def is_final(message: dict[str, Any]) -> bool:
    """The answer to a request (as opposed to its acknowledgement or a progress report)."""
    return "ok" in message


def ok_response(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "id": request_id, "ok": True, "result": result}


def error_response(request_id: Any, kind: str, message: str,
                   exception: str | None = None) -> dict[str, Any]:
    """`exception` names the class raised in the daemon (e.g. "ModelUnavailable")."""
    error: dict[str, Any] = {"type": kind, "message": message}
    if exception:
        error["exception"] = exception
    return {"v": PROTOCOL_VERSION, "id": request_id, "ok": False, "error": error}

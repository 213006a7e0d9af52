"""Starting a command inside the namespace sandbox (or, failing that, as a plain subprocess),
with a timeout, bounded output and no stray processes left behind.

`run_contained` is the public entry for the evaluation harness and the corpus tests: the
workdir is writable, everything else read-only, /tmp private, no network, own pid namespace.
`launch` is the shared engine that `preview` also uses (with overlays instead of a bind).
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

MODE_ENV = "NLSH_SANDBOX"  # auto | namespace | copy | none (for run_contained: all but auto
# and namespace mean a plain subprocess)
MAX_OUTPUT = 1 << 20
SETUP_TIMEOUT_S = 10.0
_INNER_DIR = str(Path(__file__).resolve().parent)
# Appended, not prepended: the helper's own imports must find the standard library first.
_INNER_BOOT = f"import sys; sys.path.append({_INNER_DIR!r}); import _inner; _inner.main()"

# Set after the first failed namespace setup, so later calls go straight to the fallback.
_namespace_failure: str | None = None


class SandboxError(Exception):
    """The sandbox could not be set up (and no fallback was allowed)."""


@dataclass(frozen=True)
class Limits:
    """Hard limits on a command in the namespace sandbox, so that a runaway cannot take the
    machine down. Set with setrlimit in the command's process (inherited by all it starts:
    RLIMIT_NPROC, DATA, CPU, FSIZE), with pid_max in its pid namespace where the kernel has
    one per namespace (6.14+; RLIMIT_NPROC exempts root), and watched by the namespace's
    init, which counts processes, resident memory and bytes written while the command runs
    and kills everything in the namespace at a limit, since no rlimit bounds a sum over
    processes. cgroups are not used: they are rarely delegated to users.
    """

    processes: int = 256  # alive at once in the namespace (threads count against NPROC)
    # Resident in all (watched), and heap and private mappings of any one (RLIMIT_DATA).
    memory_bytes: int = 2 << 30
    cpu_s: int = 10  # CPU seconds per process (RLIMIT_CPU)
    file_bytes: int = 64 << 20  # per file written (RLIMIT_FSIZE)
    disk_bytes: int = 256 << 20  # in all: changes in the overlays, the private /tmp and /run

    def label(self, name: str) -> str:
        """`processes (256)`: the limit by name, with its value, for people and JSON."""
        values = {
            "processes": str(self.processes), "memory": _size(self.memory_bytes),
            "cpu": f"{self.cpu_s} s of CPU per process",
            "file_size": f"{_size(self.file_bytes)} per file",
            "disk": f"{_size(self.disk_bytes)} written in all",
        }
        return f"{name.replace('_', ' ')} ({values[name]})"


DEFAULT_LIMITS = Limits()
LIMIT_NAMES = ("processes", "memory", "cpu", "file_size", "disk")


def _size(size: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} B"


@dataclass
class ContainedRun:
    exit_code: int | None  # None when it timed out; 128+N when killed by signal N
    stdout: str
    stderr: str
    timed_out: bool
    mechanism: str = "namespace"  # "namespace" | "plain"
    note: str | None = None  # one line, set when the run was not contained
    truncated: bool = False  # output beyond the bound was dropped
    limits_hit: list[str] = field(default_factory=list)  # names from LIMIT_NAMES


@dataclass
class Overlay:
    target: str  # the directory the command sees; its real content is the lower layer
    upper: str  # where the changes land, on the host
    work: str  # overlayfs scratch dir, same filesystem as upper


@dataclass
class LaunchSpec:
    executable: str
    argv: list[str]
    cwd: str
    env: dict[str, str]
    writable: list[str] = field(default_factory=list)
    overlays: list[Overlay] = field(default_factory=list)
    limits: Limits = DEFAULT_LIMITS
    binds: list[tuple[str, str]] = field(default_factory=list)  # (host dir, path inside)


@dataclass
class RawRun:
    exit_code: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    truncated: bool
    limits_hit: list[str] = field(default_factory=list)  # names from LIMIT_NAMES


def requested_mode(explicit: str | None = None) -> str:
    mode = (explicit or os.environ.get(MODE_ENV) or "auto").strip().lower()
    if mode not in {"auto", "namespace", "overlay", "copy", "plain", "none"}:
        raise SandboxError(f"unknown sandbox mode {mode!r} (from ${MODE_ENV}): "
                           "use auto, namespace, copy or none")
    return "namespace" if mode == "overlay" else mode


def namespace_failure() -> str | None:
    """Why namespaces did not work in this process, if a previous attempt failed."""
    return _namespace_failure


def resolve_shell(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        raise SandboxError(f"shell not found: {shell}")
    return os.path.realpath(found)


def shell_argv(shell: str, command: str) -> list[str]:
    """argv[0] as the user would type it, so messages read "bash: ...", not a full path;
    the executable itself comes from `resolve_shell`."""
    return [os.path.basename(shell), "-c", command]


def contained_env(base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["TMPDIR"] = "/tmp"  # the caller's TMPDIR may not exist behind the private /tmp
    return env


# -- the namespace engine ------------------------------------------------------------------


def launch(spec: LaunchSpec, *, stdin: str | None, timeout_s: float, merge_output: bool,
           max_output: int = MAX_OUTPUT) -> RawRun:
    """Run in the namespace sandbox. Raises SandboxError if it cannot be set up: by then
    the command has not started, so the caller may fall back.

    A set-up failure is tried once more before it is believed: `unshare` has been seen to
    fail with a transient EPERM on a loaded machine.
    """
    try:
        return _launch(spec, stdin=stdin, timeout_s=timeout_s, merge_output=merge_output,
                       max_output=max_output, remember_failure=False)
    except SandboxError:
        if _namespace_failure is not None:
            raise
        time.sleep(0.05)
        return _launch(spec, stdin=stdin, timeout_s=timeout_s, merge_output=merge_output,
                       max_output=max_output, remember_failure=True)


def _launch(spec: LaunchSpec, *, stdin: str | None, timeout_s: float, merge_output: bool,
            max_output: int, remember_failure: bool) -> RawRun:
    global _namespace_failure
    if _namespace_failure is not None:
        raise SandboxError(_namespace_failure)
    python = _python()
    status_read, status_write = os.pipe()
    encoded = _encode_spec(spec, status_write)
    with _stdin_file(stdin) as stdin_file:
        try:
            proc = subprocess.Popen(
                [python, "-I", "-S", "-c", _INNER_BOOT, encoded],
                stdin=stdin_file, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT if merge_output else subprocess.PIPE,
                pass_fds=[status_write], start_new_session=True,
            )
        finally:
            os.close(status_write)
    try:
        status = _read_status(status_read)
        if status != "ok":
            proc.kill()
            proc.communicate()
            problem = f"namespace sandbox unavailable: {status.removeprefix('error: ')}"
            if remember_failure and not status.startswith("error: mounts:"):
                # Namespaces themselves do not work here: don't try again in this process. A
                # mount problem may be particular to these paths, so it is not remembered.
                _namespace_failure = problem
            raise SandboxError(problem)
        raw = _collect(proc, timeout_s, max_output)
        # The init inside names the limit it enforced, once the namespace is gone.
        raw.limits_hit = _limits_reported(status_read) or limits_signalled(raw)
    finally:
        os.close(status_read)
    return raw


def _limits_reported(fd: int) -> list[str]:
    """The `limit NAME` lines the namespace's init wrote after "ok" (read to EOF: by now
    every process that held the pipe is dead)."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while selector.select(1.0):
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    names = [line.split(" ", 1)[1] for line in data.decode(errors="replace").splitlines()
             if line.startswith("limit ")]
    return [name for name in names if name in LIMIT_NAMES]


_OUT_OF_MEMORY = re.compile(rb"MemoryError|cannot allocate|out of memory|bad_alloc|"
                            rb"memory exhausted", re.I)


def limits_signalled(raw: RawRun) -> list[str]:
    """Limits that the kernel enforces on its own: SIGXCPU (exit 152) and SIGXFSZ (153),
    which the shell also reports in words when the process was its child, and a failed
    allocation or a full tmpfs, which programs report in their own words."""
    text = raw.stdout + raw.stderr
    hit = []
    if raw.exit_code == 152 or b"CPU time limit exceeded" in text:
        hit.append("cpu")
    if raw.exit_code == 153 or b"File size limit exceeded" in text:
        hit.append("file_size")
    if raw.exit_code not in (0, None) and _OUT_OF_MEMORY.search(text):
        hit.append("memory")
    if b"No space left on device" in text:  # the private tmpfs mounts are sized to the limit
        hit.append("disk")
    return hit


def _encode_spec(spec: LaunchSpec, status_fd: int | None) -> str:
    import marshal  # the inner interpreter decodes it; marshal is its cheapest format

    plain = status_fd is None
    data: dict[str, Any] = {
        "executable": spec.executable, "argv": spec.argv, "cwd": spec.cwd, "env": spec.env,
        "writable": spec.writable, "plain": plain,
        "limits": {"processes": spec.limits.processes, "memory": spec.limits.memory_bytes,
                   "cpu": spec.limits.cpu_s, "file_size": spec.limits.file_bytes,
                   "disk": spec.limits.disk_bytes, "plain": plain},
        "overlays": [{"target": o.target, "upper": o.upper, "work": o.work}
                     for o in spec.overlays],
        "binds": [list(pair) for pair in spec.binds],
        "status_fd": status_fd,
    }
    return marshal.dumps(data, 4).hex()  # version 4: read by every Python 3 since 3.4


@lru_cache(maxsize=1)
def _python() -> str:
    """The helper is standard-library only, so any Python 3 will do; ours is the fastest
    choice but may not be executable (an interpreter under another user's home)."""
    for candidate in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SandboxError("no Python interpreter found to start the sandbox helper")


@contextmanager
def _stdin_file(text: str | None) -> Iterator[int | IO[bytes]]:
    """The command's stdin: a temp file holding `text` (no pipe to feed, so no deadlock)."""
    if text is None:
        yield subprocess.DEVNULL
        return
    with tempfile.TemporaryFile() as handle:
        handle.write(text.encode())
        handle.seek(0)
        yield handle


def _read_status(fd: int) -> str:
    """The inner helper's one line: "ok", or "error: ..." (EOF without a line: it died)."""
    data = b""
    deadline = time.monotonic() + SETUP_TIMEOUT_S
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "error: setup timed out"
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            if not selector.select(remaining):
                continue
        chunk = os.read(fd, 1)  # one line only: limit reports may follow it later
        if not chunk:
            return (data.decode(errors="replace").strip() or "error: helper exited during setup")
        data += chunk
    return data.decode(errors="replace").strip()


class _Bounded:
    """Keeps the first `limit` bytes of a stream and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self.limit - self.size
        if room > 0:
            kept = chunk[:room]
            self.parts.append(kept)
            self.size += len(kept)
        self.dropped += max(0, len(chunk) - max(room, 0))

    def value(self) -> bytes:
        return b"".join(self.parts)


def _collect(proc: subprocess.Popen[bytes], timeout_s: float, max_output: int,
             kill_group: bool = False) -> RawRun:
    """Drain stdout/stderr (bounded) and wait for the exit, killing the run at the deadline."""
    deadline = time.monotonic() + timeout_s
    out, err = _Bounded(max_output), _Bounded(max_output)
    sinks = {proc.stdout: out}
    if proc.stderr is not None:
        sinks[proc.stderr] = err
    timed_out = _drain(proc, sinks, deadline, kill_group)
    if not timed_out:
        try:  # it may have closed its output and still be running
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(proc, kill_group)
    code = proc.wait()
    if kill_group:
        _kill(proc, kill_group)
        _wait_group_gone(proc.pid)
    return RawRun(
        exit_code=None if timed_out else _shell_exit_code(code),
        stdout=out.value(),
        stderr=err.value(),
        timed_out=timed_out,
        truncated=bool(out.dropped or err.dropped),
    )


def _drain(proc: subprocess.Popen[bytes], sinks: dict[Any, _Bounded], deadline: float,
           kill_group: bool) -> bool:
    """Read until EOF on every pipe; True if the deadline passed first (the run is killed).

    In the namespace, EOF comes only once every process that could hold the pipes has died:
    killing the helper kills pid 1 of the namespace, and with it everything inside.
    """
    selector = selectors.DefaultSelector()
    for stream in sinks:
        selector.register(stream, selectors.EVENT_READ)
    timed_out = False
    grace_end: float | None = None
    while selector.get_map():
        now = time.monotonic()
        if not timed_out and now >= deadline:
            timed_out = True
            _kill(proc, kill_group)
            grace_end = now + 2.0
        if grace_end is not None and now >= grace_end:
            break  # a plain-mode stray escaped its process group and keeps the pipe open
        if kill_group and grace_end is None and proc.poll() is not None:
            _kill(proc, kill_group)  # the command is done: its background strays go too
            grace_end = now + 2.0
        wait = (grace_end if grace_end is not None else deadline) - now
        # In plain mode a stray may hold the pipes after the shell exits: poll for that often.
        tick = 0.01 if kill_group and grace_end is None else 0.5
        for key, _ in selector.select(max(0.0, min(wait, tick))):
            chunk = os.read(key.fd, 65536)
            if chunk:
                sinks[key.fileobj].add(chunk)
            else:
                selector.unregister(key.fileobj)
    selector.close()
    for stream in sinks:
        stream.close()
    return timed_out


def _kill(proc: subprocess.Popen[bytes], whole_group: bool) -> None:
    try:
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()  # the namespace helper: its pid-1 child dies with it (PDEATHSIG)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_group_gone(group: int, limit_s: float = 2.0) -> None:
    """SIGKILL is delivered asynchronously: give the group a moment to really die, so a
    caller that looks right after the run sees no stray (bounded). Zombies count as dead:
    reaping them is up to whoever inherited them."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end and _group_has_live_members(group):
        time.sleep(0.005)


def _group_has_live_members(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command name: state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(group) and fields[0] not in ("Z", "X"):
            return True
    return False


def _shell_exit_code(code: int) -> int:
    """subprocess reports death by signal N as -N; shells say 128+N."""
    return 128 - code if code < 0 else code


# -- the plain fallback --------------------------------------------------------------------


def launch_plain(executable: str, argv: list[str], *, cwd: str, env: dict[str, str],
                 stdin: str | None, timeout_s: float, merge_output: bool,
                 max_output: int = MAX_OUTPUT, limits: Limits = DEFAULT_LIMITS) -> RawRun:
    """No isolation at all: a subprocess in its own session, killed with its group. The
    per-process limits (memory, CPU, file size) still apply, set by the helper before it
    execs the command; processes and the total written are not bounded."""
    spec = LaunchSpec(executable=executable, argv=argv, cwd=cwd, env=env, limits=limits)
    with _stdin_file(stdin) as stdin_file:
        proc = subprocess.Popen(
            [_python(), "-I", "-S", "-c", _INNER_BOOT, _encode_spec(spec, None)],
            cwd=cwd, env=env, stdin=stdin_file, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_output else subprocess.PIPE,
            start_new_session=True,
        )
    raw = _collect(proc, timeout_s, max_output, kill_group=True)
    raw.limits_hit = limits_signalled(raw)
    return raw


# -- public API ----------------------------------------------------------------------------


def run_contained(command: str, *, workdir: str, shell: str = "bash", timeout_s: float = 10.0,
                  stdin: str | None = None, max_output: int = MAX_OUTPUT,
                  mode: str | None = None, binds: dict[str, str] | None = None,
                  cwd: str | None = None, env: dict[str, str] | None = None) -> ContainedRun:
    """Run `command` with only `workdir` writable (its changes stay there), everything else
    read-only, a private /tmp, no network and its own pid namespace, so that strays die with
    it. Falls back to a plain subprocess in `workdir` when namespaces are unavailable (or
    `mode`/$NLSH_SANDBOX says copy/none/plain); `note` then says so.

    binds  {path inside: host dir}: host dirs shown writable at existing paths inside (the
           eval's fixtures at /srv, /home...); namespace mode only (SandboxError otherwise)
    cwd    the command's directory inside (default: workdir); env: variables to add
    """
    chosen = requested_mode(mode)
    workdir = os.path.realpath(workdir)
    if not os.path.isdir(workdir):
        raise SandboxError(f"not a directory: {workdir}")
    if workdir == "/":
        raise SandboxError("the workdir cannot be / (everything would be writable)")
    executable, argv = resolve_shell(shell), shell_argv(shell, command)
    extra = dict(env or {})
    env = contained_env()
    env.update(extra)
    env["PWD"] = cwd or workdir
    note: str | None = None
    if binds and chosen != "namespace":
        raise SandboxError("binding directories at other paths needs the namespace sandbox")
    if chosen in ("auto", "namespace"):
        spec = LaunchSpec(executable=executable, argv=argv, cwd=cwd or workdir, env=env,
                          writable=[workdir],
                          binds=[(os.path.realpath(src), dst)
                                 for dst, src in (binds or {}).items()])
        try:
            raw = launch(spec, stdin=stdin, timeout_s=timeout_s, merge_output=False,
                         max_output=max_output)
            return _contained_result(raw, "namespace", None)
        except SandboxError as error:
            if chosen == "namespace":
                raise
            note = f"{error}; ran as a plain subprocess in the workdir (not contained)"
    else:
        note = f"sandbox mode {chosen!r}: ran as a plain subprocess in the workdir (not contained)"
    raw = launch_plain(executable, argv, cwd=workdir, env=env, stdin=stdin, timeout_s=timeout_s,
                       merge_output=False, max_output=max_output)
    return _contained_result(raw, "plain", note)


def _contained_result(raw: RawRun, mechanism: str, note: str | None) -> ContainedRun:
    return ContainedRun(
        exit_code=raw.exit_code,
        stdout=raw.stdout.decode("utf-8", "replace"),
        stderr=raw.stderr.decode("utf-8", "replace"),
        timed_out=raw.timed_out,
        mechanism=mechanism,
        note=note,
        truncated=raw.truncated,
        limits_hit=list(raw.limits_hit),
    )


def namespace_problem() -> str | None:
    """Why commands cannot be contained in namespaces here (one line), or None when they can."""
    import tempfile

    try:
        run_contained("true", workdir=tempfile.gettempdir(), mode="namespace")
    except SandboxError as error:
        return str(error)
    return None

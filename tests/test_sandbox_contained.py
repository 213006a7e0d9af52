"""run_contained: the workdir is writable, nothing else is, no network, no stray processes."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlsh.sandbox import SandboxError, namespace_problem, run_contained
from nlsh.sandbox.changes import remove_tree

# The interpreter itself, not a virtualenv's link to it: a venv under /tmp is hidden by the
# sandbox's private /tmp (these scripts need only the standard library).
STDLIB_PYTHON = os.path.realpath(sys.executable)


NAMESPACE_PROBLEM = namespace_problem()
needs_namespaces = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"unprivileged user namespaces unavailable here: {NAMESPACE_PROBLEM}",
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "input.txt").write_text("one\ntwo\nthree\n")
    return work


@pytest.fixture
def outside_dir() -> Iterator[Path]:
    """A real directory that is neither the workdir nor under /tmp (which is private)."""
    path = Path(tempfile.mkdtemp(prefix="nlsh-outside-", dir="/var/tmp"))
    yield path
    remove_tree(str(path))


def _processes_named(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (a zombie is dead: it only waits
    for its parent to collect its status)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker.encode() in cmdline and state not in ("Z", "X"):
            found.append(int(entry))
    return found


@needs_namespaces
def test_writes_land_in_the_workdir(workdir: Path) -> None:
    run = run_contained("sort -r input.txt > sorted.txt && mkdir -p out/deep && "
                        "wc -l < input.txt > out/deep/count && rm input.txt && pwd",
                        workdir=str(workdir))
    assert run.exit_code == 0 and run.mechanism == "namespace" and run.note is None
    assert run.stdout == f"{workdir.resolve()}\n"
    assert (workdir / "sorted.txt").read_text() == "two\nthree\none\n"
    assert (workdir / "out" / "deep" / "count").read_text() == "3\n"
    assert not (workdir / "input.txt").exists()


@needs_namespaces
def test_writes_outside_the_workdir_do_not_escape(workdir: Path, outside_dir: Path,
                                                  tmp_path: Path) -> None:
    elsewhere = outside_dir / "escaped.txt"
    run = run_contained(f"echo x > {elsewhere}", workdir=str(workdir))
    assert run.exit_code != 0 and "Read-only file system" in run.stderr
    assert not elsewhere.exists()
    # /tmp is private: a write there "works" inside and vanishes with the sandbox.
    beside = tmp_path / "beside.txt"
    run = run_contained(f"echo x > {beside} && cat {beside}", workdir=str(workdir))
    assert run.exit_code == 0 and run.stdout == "x\n"
    assert not beside.exists()
    home_file = Path.home() / f".nlsh-contained-{uuid.uuid4().hex}"
    run = run_contained(f"touch {home_file}", workdir=str(workdir))
    assert run.exit_code != 0 and not home_file.exists()


@needs_namespaces
def test_network_is_unreachable(workdir: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        connect = f"{STDLIB_PYTHON} -c \"import socket; " \
                  f"socket.create_connection(('127.0.0.1', {port}), timeout=5)\""
        run = run_contained(connect, workdir=str(workdir))
        assert run.exit_code != 0 and "Connection refused" in run.stderr
        listener.settimeout(0)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing ever arrived from inside
        # Loopback inside works, so programs that talk to themselves still run.
        echo = (f"{STDLIB_PYTHON} -c \"import socket; s = socket.socket(); "
                "s.bind(('127.0.0.1', 0)); s.listen(); "
                "c = socket.create_connection(s.getsockname()); print('loopback ok')\"")
        assert run_contained(echo, workdir=str(workdir)).stdout == "loopback ok\n"
    finally:
        listener.close()


@needs_namespaces
def test_timeout_kills_the_command(workdir: Path) -> None:
    run = run_contained("echo before; sleep 100; echo after", workdir=str(workdir),
                        timeout_s=1)
    assert run.timed_out and run.exit_code is None
    assert run.stdout == "before\n"
    # Closing its output does not let it run past the deadline either.
    quiet = run_contained("exec >&- 2>&-; sleep 100", workdir=str(workdir), timeout_s=1)
    assert quiet.timed_out and quiet.exit_code is None


@needs_namespaces
def test_stray_background_processes_are_killed(workdir: Path) -> None:
    marker = f"nlsh-stray-{uuid.uuid4().hex}"
    run = run_contained(f"(exec -a {marker} sleep 100) >/dev/null 2>&1 & "
                        f"(setsid bash -c 'exec -a {marker} sleep 100' >/dev/null 2>&1 &); "
                        "echo started", workdir=str(workdir))
    assert run.exit_code == 0 and run.stdout == "started\n"
    assert _processes_named(marker) == []


@needs_namespaces
def test_other_processes_are_invisible(workdir: Path) -> None:
    run = run_contained("ls /proc | grep -c '^[0-9]'", workdir=str(workdir))
    assert run.exit_code == 0 and int(run.stdout) <= 4  # pid 1, the shell, ls, grep


@needs_namespaces
def test_no_disks_in_dev(workdir: Path) -> None:
    run = run_contained("ls /dev", workdir=str(workdir))
    assert set(run.stdout.split()) <= {"null", "zero", "full", "random", "urandom", "tty",
                                       "shm", "pts", "ptmx", "fd", "stdin", "stdout",
                                       "stderr"}
    assert run_contained("echo discard > /dev/null", workdir=str(workdir)).exit_code == 0


def test_stdin_and_separate_streams(workdir: Path) -> None:
    run = run_contained("tr a-z A-Z; echo oops >&2; exit 3", workdir=str(workdir),
                        stdin="hello\n")
    assert (run.exit_code, run.stdout, run.stderr) == (3, "HELLO\n", "oops\n")


def test_output_is_bounded(workdir: Path) -> None:
    run = run_contained("yes | head -c 5000000; echo end >&2", workdir=str(workdir),
                        max_output=10_000)
    assert run.truncated and len(run.stdout) == 10_000 and run.stderr == "end\n"


def test_signal_exit_codes_read_like_a_shell(workdir: Path) -> None:
    run = run_contained("kill -TERM $$", workdir=str(workdir))
    assert run.exit_code == 143


def test_plain_fallback_still_confines_time_and_strays(workdir: Path) -> None:
    marker = f"nlsh-stray-{uuid.uuid4().hex}"
    run = run_contained(f"echo made > made.txt; (exec -a {marker} sleep 100) >/dev/null 2>&1 &",
                        workdir=str(workdir), mode="plain")
    assert run.mechanism == "plain" and run.note and "not contained" in run.note
    assert (workdir / "made.txt").read_text() == "made\n"
    assert _processes_named(marker) == []
    slow = run_contained("sleep 100", workdir=str(workdir), timeout_s=1, mode="plain")
    assert slow.timed_out and slow.exit_code is None


def test_bad_arguments_raise_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="not a directory"):
        run_contained("true", workdir=str(tmp_path / "missing"))
    with pytest.raises(SandboxError, match="cannot be /"):
        run_contained("true", workdir="/")
    with pytest.raises(SandboxError, match="shell not found"):
        run_contained("true", workdir=str(tmp_path), shell="no-such-shell")

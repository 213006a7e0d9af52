"""The two files that keep daemons and clients from tripping over each other.

- The pid file is held under an exclusive flock by the live daemon for its whole life. A
  client that can lock it knows no daemon is alive, so a leftover socket is stale. The kernel
  drops the lock when the process dies, SIGKILL included: no stale state survives a crash.
- The spawn lock is held by a client while it starts a daemon and waits for it to be ready,
  so two terminals pressing the key at once start one daemon, and the second one waits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path


def hold_pid_file(path: Path, *, attempts: int = 20, pause_s: float = 0.05) -> int | None:
    """Lock `path` for this process and write our pid into it; None if a daemon holds it.

    A client probing liveness holds a shared lock for a moment, so a few retries separate a
    probe from a live daemon. The returned descriptor must stay open for the daemon's life.
    """
    for _ in range(attempts):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            time.sleep(pause_s)
            continue
        # An exiting daemon unlinks its pid file before unlocking it: if we locked that
        # unlinked file, the path now names another file (or none) and our lock guards nothing.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd
    return None


def live_daemon_pid(path: Path) -> int | None:
    """The pid of the daemon holding `path`, or None when no live process holds it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 64).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1  # locked but not yet written
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@contextlib.contextmanager
def spawn_lock(path: Path, timeout_s: float) -> Iterator[bool]:
    """Hold the spawn lock (True), or give up after `timeout_s` (False) and go on unlocked."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        deadline = time.monotonic() + timeout_s
        held = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
        yield held
    finally:
        os.close(fd)  # closing drops the lock

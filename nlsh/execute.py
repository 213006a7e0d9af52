"""Run an approved command in the user's own shell, with the real terminal attached."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import termios
import threading
import tty
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlsh.gate import Approval

if TYPE_CHECKING:
    from nlsh.sandbox import PreviewResult

TAIL_BYTES = 4000


@dataclass
class RunResult:
    command: str
    shell: str
    exit_status: int
    output_tail: str = ""  # the last lines it printed, when captured through a pty


def user_shell() -> str:
    """$SHELL if it exists and is executable, else bash, else sh."""
    shell = os.environ.get("SHELL", "")
    if shell and os.path.isabs(shell) and os.access(shell, os.X_OK):
        return shell
    return shutil.which("bash") or "/bin/sh"


def run_approved(approval: Approval, *, cwd: str | None = None,
                 capture_tail: bool = False, detach_stdin: bool = False) -> RunResult:
    """The only place nlsh executes a command: it takes an Approval, never a bare string.

    With `capture_tail` and a real terminal, the command runs on a pty whose output is
    copied to the terminal as it comes (interactive programs keep working) and the last
    few KB are kept, so the interactive prompt can show it and refer to it.
    `detach_stdin` gives the command /dev/null as stdin, for callers whose own stdin carries
    their input (the plain, piped session).
    """
    if not isinstance(approval, Approval):
        raise TypeError("run_approved needs an Approval from nlsh.gate.confirm")
    shell = user_shell()
    argv = [shell, "-c", approval.command]
    if capture_tail and not detach_stdin and sys.stdin.isatty() and sys.stdout.isatty():
        status, tail = _run_on_pty(argv, cwd)
    else:
        status, tail = _run_attached(argv, cwd, detach_stdin), ""
    return RunResult(command=approval.command, shell=shell, exit_status=status, output_tail=tail)


def _run_attached(argv: list[str], cwd: str | None, detach_stdin: bool = False) -> int:
    # The child inherits our terminal; Ctrl-C reaches it through the process group, and we
    # keep waiting rather than die first.
    child = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL if detach_stdin else None)
    while True:
        try:
            return _status(child.wait())
        except KeyboardInterrupt:
            continue


def _run_on_pty(argv: list[str], cwd: str | None) -> tuple[int, str]:
    # Like pty.spawn, but the pty gets our terminal's size before the command starts and
    # follows it on resize: full-screen programs (less, top, vim) need both.
    size = _window_size(pty.STDOUT_FILENO)
    pid, master = pty.fork()
    if pid == 0:
        try:
            if cwd:
                os.chdir(cwd)
            if size is not None:
                fcntl.ioctl(pty.STDOUT_FILENO, termios.TIOCSWINSZ, size)
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(2, f"nlsh: cannot start {argv[0]}: {exc.strerror}\r\n".encode())
        finally:
            os._exit(127)

    def follow_resize(_signum: int, _frame: object) -> None:
        new = _window_size(pty.STDOUT_FILENO)
        if new is not None:
            fcntl.ioctl(master, termios.TIOCSWINSZ, new)

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGWINCH, follow_resize) if in_main else None
    try:
        saved = termios.tcgetattr(pty.STDIN_FILENO)
        tty.setraw(pty.STDIN_FILENO)
    except termios.error:
        saved = None
    try:
        captured = _copy_pty(master)
    finally:
        if saved is not None:
            termios.tcsetattr(pty.STDIN_FILENO, termios.TCSAFLUSH, saved)
        if in_main:
            signal.signal(signal.SIGWINCH, previous)
        os.close(master)
    _, wait_status = os.waitpid(pid, 0)
    return _status(os.waitstatus_to_exitcode(wait_status)), captured.decode("utf-8", "replace")


def _window_size(fd: int) -> bytes | None:
    try:
        return fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return None


def _copy_pty(master: int) -> bytearray:
    """Keyboard to the command, its output to the screen, until it closes the pty."""
    captured = bytearray()
    sources = [master, pty.STDIN_FILENO]
    while True:
        readable, _, _ = select.select(sources, [], [])
        if master in readable:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the command and everything it started have exited
                data = b""
            if not data:
                return captured
            _write_all(pty.STDOUT_FILENO, data)
            captured.extend(data)
            del captured[:-TAIL_BYTES]
        if pty.STDIN_FILENO in readable:
            data = os.read(pty.STDIN_FILENO, 4096)
            if data:
                _write_all(master, data)
            else:
                sources.remove(pty.STDIN_FILENO)


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]


def _status(code: int) -> int:
    # Killed by a signal: report it the way shells do (128 + signal number).
    return 128 - code if code < 0 else code


def apply_previewed(approval: Approval, previewed: PreviewResult) -> int:
    """Replay a sandbox preview's captured changes onto the real tree: also needs an Approval."""
    from nlsh.sandbox import apply_changes

    if not isinstance(approval, Approval) or approval.command != previewed.command:
        raise TypeError("apply_previewed needs an Approval for the previewed command")
    return len(apply_changes(previewed))

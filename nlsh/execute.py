"""Run an approved command in the user's own shell, with the real terminal attached."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
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
                 capture_tail: bool = False) -> RunResult:
    """The only place nlsh executes a command: it takes an Approval, never a bare string.

    With `capture_tail` and a real terminal, the command runs on a pty whose output is
    copied to the terminal as it comes (interactive programs keep working) and the last
    few KB are kept, so the interactive prompt can show it and refer to it.
    """
    if not isinstance(approval, Approval):
        raise TypeError("run_approved needs an Approval from nlsh.gate.confirm")
    shell = user_shell()
    argv = [shell, "-c", approval.command]
    if capture_tail and sys.stdin.isatty() and sys.stdout.isatty():
        status, tail = _run_on_pty(argv, cwd)
    else:
        status, tail = _run_attached(argv, cwd), ""
    return RunResult(command=approval.command, shell=shell, exit_status=status, output_tail=tail)


def _run_attached(argv: list[str], cwd: str | None) -> int:
    # The child inherits our terminal; Ctrl-C reaches it through the process group, and we
    # keep waiting rather than die first.
    child = subprocess.Popen(argv, cwd=cwd)
    while True:
        try:
            return _status(child.wait())
        except KeyboardInterrupt:
            continue


def _run_on_pty(argv: list[str], cwd: str | None) -> tuple[int, str]:
    captured = bytearray()

    def read(fd: int) -> bytes:
        data = os.read(fd, 4096)
        captured.extend(data)
        del captured[:-TAIL_BYTES]
        return data

    previous = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        status = os.waitstatus_to_exitcode(pty.spawn(argv, read))
    finally:
        os.chdir(previous)
    return _status(status), captured.decode("utf-8", "replace")


def _status(code: int) -> int:
    # Killed by a signal: report it the way shells do (128 + signal number).
    return 128 - code if code < 0 else code


def apply_previewed(approval: Approval, previewed: PreviewResult) -> int:
    """Replay a sandbox preview's captured changes onto the real tree: also needs an Approval."""
    from nlsh.sandbox import apply_changes

    if not isinstance(approval, Approval) or approval.command != previewed.command:
        raise TypeError("apply_previewed needs an Approval for the previewed command")
    return len(apply_changes(previewed))

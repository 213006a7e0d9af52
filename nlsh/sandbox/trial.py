"""Trial runs: does a command even run here, on these files, without failing?

A candidate is run once in the preview's overlay sandbox (cwd and $HOME overlaid and thrown
away, no network, own process namespace, private /tmp) with a short time limit. Only a clear
failure counts: a non-zero exit status *and* an error message. `grep` finding nothing (status
1, silent), a timeout, or output the user might not want say nothing about the command.

Commands are not tried when the sandbox itself would make them fail, since a failure would
then blame the command for the sandbox: the preview policy's refusals (services, signals,
devices, privileges), the network, programs that need a terminal or a running daemon. Nor
when the copy fallback is all there is: copying a directory per candidate costs too much.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from nlsh.sandbox import changes, policy, runner
from nlsh.sandbox.preview import blocked_reason, cwd_problem, overlay_spec
from nlsh.sandbox.runner import DEFAULT_LIMITS, Limits, SandboxError
from nlsh.shellparse import ParsedCommand, parse

TRIAL_TIMEOUT_S = 1.0
MAX_TRIAL_OUTPUT = 16 * 1024

# They need a terminal (and say so, or wait for keys), or a daemon the sandbox hides.
NEEDS_TERMINAL = frozenset(
    "top htop btop atop iotop iftop nethogs glances watch less more most vi vim nvim view "
    "nano pico emacs micro ed ncdu mc ranger nnn fzf tig tmux screen byobu mutt neomutt "
    "alsamixer nmtui dialog whiptail man info".split())
NEEDS_DAEMON = frozenset(
    "docker docker-compose podman kubectl minikube kind helm nerdctl ctr crictl virsh lxc "
    "snap flatpak nmcli pactl pacmd wpctl bluetoothctl dbus-send gdbus busctl timedatectl "
    "hostnamectl localectl resolvectl journalctl mysql psql redis-cli mongo mongosh "
    "notify-send xdg-open open pbcopy pbpaste xclip xsel wl-copy wl-paste".split())
_PERMISSION_NOISE = re.compile(r"permission denied|operation not permitted", re.I)


@dataclass(frozen=True)
class TrialRun:
    command: str
    exit_code: int | None  # None: it timed out
    error: str  # the first line it wrote to stderr ("" when none)
    timed_out: bool
    limits_hit: list[str] = field(default_factory=list)  # the sandbox's, names as in runner

    @property
    def failed(self) -> bool:
        """It exited non-zero and complained about something other than permissions
        (which the real run would meet as well, and which do not make it wrong), and not
        because it met one of the sandbox's limits."""
        return (not self.timed_out and not self.limits_hit
                and self.exit_code not in (0, None) and bool(self.error)
                and not _PERMISSION_NOISE.search(self.error))


def untried_reason(parsed: ParsedCommand) -> str | None:
    """Why a trial run would say nothing true about this command, or None."""
    refusal = policy.refusal(parsed)
    if refusal:
        return refusal
    if policy.network_programs(parsed):
        return "it uses the network"
    for command in parsed.commands:
        if command.program in NEEDS_TERMINAL:
            return f"{command.program} needs a terminal"
        if command.program in NEEDS_DAEMON:
            return f"{command.program} talks to a running service"
    return None


def trial_run(command: str, *, cwd: str, timeout_s: float = TRIAL_TIMEOUT_S,
              shell: str = "bash", limits: Limits = DEFAULT_LIMITS) -> TrialRun | None:
    """Run `command` once in the overlay sandbox; None when it was not tried (see above),
    and never for a command the risk rules block."""
    cwd = os.path.realpath(cwd)
    try:
        mode = runner.requested_mode()
    except SandboxError:  # a bad $NLSH_SANDBOX: `nlsh preview` reports it, trials just skip
        return None
    if mode not in ("auto", "namespace") or cwd_problem(cwd) or untried_reason(parse(command)) \
            or blocked_reason(command, cwd):
        return None
    try:
        spec, state = overlay_spec(command, cwd, shell, runner.contained_env(), limits)
    except SandboxError:
        return None
    try:
        raw = runner.launch(spec, stdin=None, timeout_s=timeout_s, merge_output=False,
                            max_output=MAX_TRIAL_OUTPUT)
    except SandboxError:
        return None
    finally:
        changes.remove_tree(state)
    stderr = raw.stderr.decode("utf-8", "replace").strip()
    return TrialRun(command, raw.exit_code, stderr.splitlines()[0] if stderr else "",
                    raw.timed_out, list(raw.limits_hit))

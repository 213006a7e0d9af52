"""Effect preview: run a command where it cannot hurt, and show what it would change.

Mechanism "overlay" (preferred): an unprivileged user + mount + pid + net namespace; the real
root read-only; overlayfs over the working directory and over $HOME (always both, merged
into one when one holds the other: deciding from the parse would miss programs that write
to dotfiles on their own), whose upper dirs on the host capture every change; private /tmp
and /run; a minimal /dev; no network but loopback.

Mechanism "copy" (when namespaces or overlayfs are unavailable, or NLSH_SANDBOX=copy): the
working directory is copied (at most 200 MB) and the command runs in the copy with an empty
HOME. Nothing else is contained, so only commands whose paths all stay inside it run.

Mechanism "none": refused, with the reason. Commands the risk rules block are always refused:
a fork bomb would be contained, but would still cost the machine.

Runs are bounded by `runner.Limits` (processes, memory, CPU, file size, bytes written; the
copy fallback by the per-process ones only); the ones that stopped the command are reported
in `limits_hit`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from nlsh.sandbox import changes as changes_mod
from nlsh.sandbox import policy, runner
from nlsh.sandbox.changes import Change, ChangeCollector, StaleTreeError
from nlsh.sandbox.runner import DEFAULT_LIMITS, LaunchSpec, Limits, Overlay, SandboxError

MAX_PREVIEW_OUTPUT = 64 * 1024
MAX_COPY_BYTES = 200 * 1024 * 1024
MAX_COPY_FILES = 50_000
STATE_DIR_ENV = "NLSH_SANDBOX_DIR"

LIMIT_TIME = ("Output that depends on the time, randomness or the state of other programs "
              "may differ when it runs for real.")


@dataclass
class PreviewResult:
    command: str
    cwd: str
    supported: bool
    mechanism: str  # "overlay" | "copy" | "none"
    reason: str | None = None  # why not supported
    exit_code: int | None = None  # None: not run, or timed out
    output: str = ""  # stdout and stderr as they interleaved, bounded
    output_truncated: bool = False
    timed_out: bool = False
    changes: list[Change] = field(default_factory=list)
    changes_truncated: bool = False
    limits: list[str] = field(default_factory=list)
    limits_hit: list[str] = field(default_factory=list)  # "processes (256)": what stopped it
    recommendation: str | None = None  # "replay" | "run" | None (not supported)
    recommendation_reason: str | None = None
    duration_s: float = 0.0
    network: list[str] = field(default_factory=list)  # programs that would use it
    _state_dir: str | None = field(default=None, repr=False)
    _cleanup: Any = field(default=None, repr=False, compare=False)

    @property
    def replayable(self) -> bool:
        """apply_changes() can reproduce exactly what the preview showed."""
        return (self.supported and not self.timed_out and not self.changes_truncated
                and not self.limits_hit and self._state_dir is not None
                and os.path.isdir(self._state_dir)
                and all(c.type != "other" or c.kind == "deleted" for c in self.changes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "supported": self.supported,
            "reason": self.reason,
            "mechanism": self.mechanism,
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "output": self.output,
            "output_truncated": self.output_truncated,
            "changes": [c.to_dict() for c in self.changes],
            "changes_truncated": self.changes_truncated,
            "limits": list(self.limits),
            "limits_hit": list(self.limits_hit),
            "recommendation": self.recommendation,
            "recommendation_reason": self.recommendation_reason,
            "command": self.command,
            "cwd": self.cwd,
        }

    def discard(self) -> None:
        """Delete the captured changes (apply_changes does this itself)."""
        if self._cleanup is not None:
            self._cleanup()
        self._state_dir = None

    def __enter__(self) -> PreviewResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def preview(command: str, *, cwd: str, shell: str = "bash", timeout_s: float = 10.0,
            env: dict[str, str] | None = None, mode: str | None = None,
            limits: Limits = DEFAULT_LIMITS) -> PreviewResult:
    """Run `command` in the sandbox and report its output and file changes.

    `mode` (or $NLSH_SANDBOX): "auto" (overlay, else copy), "namespace"/"overlay" (overlay
    or refuse), "copy", "none". Never raises for a bad command: the result says why.
    Commands the risk rules block are refused, never run; `limits` bound what runs.
    """
    started = time.monotonic()
    cwd = os.path.realpath(cwd)
    result = _checked(command, cwd, shell, mode)
    if isinstance(result, PreviewResult):
        return result
    parsed, chosen = result
    run_env = runner.contained_env(env)
    home = _home(run_env)
    notes: list[str] = []
    outcome: PreviewResult | None = None
    if chosen in ("auto", "namespace"):
        try:
            outcome = _overlay_preview(command, cwd, shell, timeout_s, run_env, limits)
        except SandboxError as error:
            if chosen == "namespace":
                return _refused(command, cwd, str(error))
            notes.append(f"{error}; previewed on a copy of the current directory instead.")
    if outcome is None:
        copy_problem = policy.copy_mode_refusal(parsed)
        if copy_problem:
            return _refused(command, cwd, f"copy-mode preview: {copy_problem}", notes)
        outcome = _copy_preview(command, cwd, shell, timeout_s, run_env, home, limits)
    outcome.limits = notes + outcome.limits
    outcome.network = policy.network_programs(parsed)
    outcome.duration_s = time.monotonic() - started
    _recommend(outcome)
    return outcome


def _checked(command: str, cwd: str, shell: str,
             mode: str | None) -> PreviewResult | tuple[Any, str]:
    try:
        chosen = runner.requested_mode(mode)
        runner.resolve_shell(shell)
    except SandboxError as error:
        return _refused(command, cwd, str(error))
    if chosen in ("none", "plain"):
        return _refused(command, cwd, f"previews are switched off (sandbox mode {chosen!r})")
    problem = cwd_problem(cwd)
    if problem:
        return _refused(command, cwd, problem)
    blocked = blocked_reason(command, cwd)
    if blocked:
        return _refused(command, cwd, blocked)
    parsed, reason = policy.check(command)
    if reason:
        return _refused(command, cwd, reason)
    return parsed, chosen


def blocked_reason(command: str, cwd: str) -> str | None:
    """Why the risk rules block this command outright (then nothing runs it, not even the
    sandbox: a fork bomb is contained, but still costs the machine), or None."""
    from nlsh.records import Level
    from nlsh.safety import assess

    risk = assess(command, cwd=cwd, blast_radius=False)
    if risk.level < Level.BLOCKED:
        return None
    why = risk.reasons[0] if risk.reasons else "it is blocked"
    return f"nlsh blocks this command, so it is not run even in the sandbox: {why}"


def cwd_problem(cwd: str) -> str | None:
    """Why commands cannot run over `cwd` in the sandbox (one line), or None."""
    if not os.path.isdir(cwd):
        return f"not a directory: {cwd}"
    if cwd == "/" or cwd.startswith(("/proc/", "/sys/", "/dev/")) or cwd in (
            "/proc", "/sys", "/dev"):
        return f"cannot preview in {cwd}: run it from a project or home directory"
    return None


def _refused(command: str, cwd: str, reason: str, limits: list[str] | None = None
             ) -> PreviewResult:
    return PreviewResult(command=command, cwd=cwd, supported=False, mechanism="none",
                         reason=reason, limits=list(limits or []))


def _home(env: dict[str, str]) -> str | None:
    home = env.get("HOME")
    if not home or not os.path.isdir(home):
        return None
    home = os.path.realpath(home)
    return None if home == "/" else home


def _within(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip("/") + "/")


def _capture_roots(cwd: str, home: str | None) -> list[str]:
    """The overlay targets: cwd and home, or just the one that contains the other."""
    if home is None or _within(cwd, home):
        return [home] if home is not None else [cwd]
    if _within(home, cwd):
        return [cwd]
    return [cwd, home]


def _state_dir(roots: list[str]) -> str:
    """A private dir for upper layers, outside every captured root (overlayfs refuses an
    upper dir inside its own lower dir)."""
    candidates = [os.environ.get(STATE_DIR_ENV), tempfile.gettempdir(), "/var/tmp",
                  os.environ.get("XDG_RUNTIME_DIR")]
    for base in candidates:
        if not base or not os.path.isdir(base) or not os.access(base, os.W_OK | os.X_OK):
            continue
        base = os.path.realpath(base)
        if any(_within(base, root) for root in roots):
            continue
        return tempfile.mkdtemp(prefix="nlsh-preview-", dir=base)
    raise SandboxError("no writable directory outside the previewed ones to keep changes in "
                       f"(set ${STATE_DIR_ENV})")


def _with_state(result: PreviewResult, state: str) -> PreviewResult:
    result._state_dir = state
    result._cleanup = weakref.finalize(result, changes_mod.remove_tree, state)
    return result


# -- overlay ---------------------------------------------------------------------------------


def overlay_spec(command: str, cwd: str, shell: str, env: dict[str, str],
                 limits: Limits = DEFAULT_LIMITS) -> tuple[LaunchSpec, str]:
    """How to run `command` over cwd and $HOME overlays, and the state directory that holds
    their upper layers (the caller removes it)."""
    roots = _capture_roots(cwd, _home(env))
    state = _state_dir(roots)
    overlays = []
    for index, root in enumerate(roots):
        upper, work = os.path.join(state, f"upper{index}"), os.path.join(state, f"work{index}")
        os.mkdir(upper)
        os.mkdir(work)
        overlays.append(Overlay(target=root, upper=upper, work=work))
    spec = LaunchSpec(executable=runner.resolve_shell(shell),
                      argv=runner.shell_argv(shell, command), cwd=cwd, env=dict(env, PWD=cwd),
                      overlays=overlays, limits=limits)
    return spec, state


def _overlay_preview(command: str, cwd: str, shell: str, timeout_s: float,
                     env: dict[str, str], limits: Limits) -> PreviewResult:
    spec, state = overlay_spec(command, cwd, shell, env, limits)
    roots = [layer.target for layer in spec.overlays]
    try:
        raw = runner.launch(spec, stdin=None, timeout_s=timeout_s, merge_output=True,
                            max_output=MAX_PREVIEW_OUTPUT)
    except BaseException:
        changes_mod.remove_tree(state)
        raise
    collector = ChangeCollector(cwd)
    for layer in spec.overlays:
        collector.overlay_dir(layer.upper, layer.target)
    result = PreviewResult(
        command=command, cwd=cwd, supported=True, mechanism="overlay",
        exit_code=raw.exit_code, output=raw.stdout.decode("utf-8", "replace"),
        output_truncated=raw.truncated, timed_out=raw.timed_out,
        changes=changes_mod.sort_changes(collector.changes),
        changes_truncated=collector.truncated,
        limits_hit=[limits.label(name) for name in raw.limits_hit],
    )
    result.limits = _overlay_limits(roots) + _run_limits(result, timeout_s)
    return _with_state(result, state)


def _overlay_limits(roots: list[str]) -> list[str]:
    where = " and ".join(roots)
    tmp = "the rest of /tmp" if any(_within(r, "/tmp") for r in roots) else "/tmp"
    return [
        "The network was blocked: network effects are not shown, and output that needs "
        "the network differs.",
        f"Only changes under {where} are captured; writes elsewhere failed as read-only, and "
        f"{tmp} was private and thrown away.",
        "Processes, services and devices were out of reach (own process namespace, no "
        "disks): effects on them are not shown.",
        LIMIT_TIME,
    ]


def _run_limits(result: PreviewResult, timeout_s: float) -> list[str]:
    limits = []
    if result.timed_out:
        limits.append(f"It was stopped after {timeout_s:g} s: what it did later is not shown.")
    for hit in result.limits_hit:
        limits.append(f"It hit the sandbox's limit on {hit}: what it would have done past it "
                      "is not shown.")
    if result.output_truncated:
        limits.append(f"Output beyond {MAX_PREVIEW_OUTPUT // 1024} KiB is not shown.")
    if result.changes_truncated:
        limits.append(f"Too many changes: only the first {changes_mod.MAX_CHANGES} are listed.")
    return limits


# -- copy ------------------------------------------------------------------------------------


def _copy_preview(command: str, cwd: str, shell: str, timeout_s: float,
                  env: dict[str, str], home: str | None, limits: Limits) -> PreviewResult:
    too_big = _too_big_to_copy(cwd)
    if too_big:
        return _refused(command, cwd, too_big)
    roots = [cwd] + ([home] if home else [])
    state = _state_dir(roots)
    copy = os.path.join(state, "cwd")
    fresh_home = os.path.join(state, "home")
    temp = os.path.join(state, "tmp")
    try:
        shutil.copytree(cwd, copy, symlinks=True)
        os.mkdir(fresh_home, 0o700)
        os.mkdir(temp, 0o700)
        env = dict(env, HOME=fresh_home, TMPDIR=temp, PWD=copy)
        raw = runner.launch_plain(runner.resolve_shell(shell), runner.shell_argv(shell, command),
                                  cwd=copy, env=env,
                                  stdin=None, timeout_s=timeout_s, merge_output=True,
                                  max_output=MAX_PREVIEW_OUTPUT, limits=limits)
    except BaseException:
        changes_mod.remove_tree(state)
        raise
    collector = ChangeCollector(cwd, trust_mtime=True)
    collector.plain_dir(copy, cwd)
    if home is not None:
        collector.plain_dir(fresh_home, home, started_empty=True)
    result = PreviewResult(
        command=command, cwd=cwd, supported=True, mechanism="copy",
        exit_code=raw.exit_code, output=_unmask(raw.stdout.decode("utf-8", "replace"), copy,
                                                cwd),
        output_truncated=raw.truncated, timed_out=raw.timed_out,
        changes=changes_mod.sort_changes(collector.changes),
        changes_truncated=collector.truncated,
        limits_hit=[limits.label(name) for name in raw.limits_hit],
    )
    result.limits = [
        f"Previewed on a copy of {cwd} with an empty HOME: nothing else was contained (not the "
        "network, other directories or processes), so commands naming such things are refused.",
        "Only memory, CPU time and file size were limited per process: not the number of "
        "processes, nor what they wrote in all.",
        LIMIT_TIME,
        *_run_limits(result, timeout_s),
    ]
    return _with_state(result, state)


def _unmask(text: str, copy: str, cwd: str) -> str:
    """The command printed paths of the copy; the user knows them as the real ones."""
    return text.replace(copy, cwd)


def _too_big_to_copy(cwd: str) -> str | None:
    total = files = 0
    for folder, dirs, names in os.walk(cwd):
        files += len(names) + len(dirs)
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
        if total > MAX_COPY_BYTES or files > MAX_COPY_FILES:
            return (f"copy-mode preview: {cwd} is too large to copy (over "
                    f"{MAX_COPY_BYTES >> 20} MB or {MAX_COPY_FILES} files)")
    return None


# -- advice ----------------------------------------------------------------------------------


def _recommend(result: PreviewResult) -> None:
    advice = _advice(result)
    result.recommendation, result.recommendation_reason = advice


def _advice(result: PreviewResult) -> tuple[str, str]:
    if result.timed_out:
        return "run", "it did not finish in the sandbox, so the preview is incomplete"
    if result.limits_hit:
        return "run", (f"it hit the sandbox's limit on {', '.join(result.limits_hit)}, so the "
                       "preview is incomplete")
    if result.network:
        return "run", (f"it uses the network ({', '.join(result.network)}), which the preview "
                       "blocked")
    if result.exit_code != 0:
        return "run", (f"it failed in the sandbox (exit {result.exit_code}); a real run may "
                       "behave differently")
    if not result.changes:
        return "run", "it changed no files; running it for real shows its live output"
    if not result.replayable:
        return "run", "its changes cannot be replayed exactly (too many, or special files)"
    return "replay", ("it only changed files in the captured directories; replaying applies "
                      "exactly the changes shown")


# -- apply -----------------------------------------------------------------------------------


def apply_changes(result: PreviewResult) -> list[Change]:
    """Replay the previewed changes onto the real tree, then discard the captured copy.

    Refuses (StaleTreeError) if any affected path changed since the preview, and
    SandboxError if the preview cannot be replayed at all.
    """
    if not result.supported:
        raise SandboxError(f"nothing to apply: the preview did not run ({result.reason})")
    if not result.replayable:
        raise SandboxError("this preview cannot be replayed; run the command for real instead")
    stale = changes_mod.stale_paths(result.changes)
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        raise StaleTreeError(f"changed since the preview: {shown}")
    changes_mod.replay(result.changes)
    applied = list(result.changes)
    result.discard()
    return applied


__all__ = ["PreviewResult", "StaleTreeError", "apply_changes", "preview"]

"""What `nlsh serve`, `nlsh daemon status|stop|restart`, `nlsh fix` and `nlsh _widget` run.

Plain functions (no typer here): each returns the exit status and prints to the given
streams, so the CLI wires them in a few lines and tests call them directly.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from nlsh.config import Settings
from nlsh.daemon.protocol import DaemonError

EXIT_NOT_RUNNING = 3  # `daemon status` when none runs, as LSB/systemctl status do


class FixError(ValueError):
    """`nlsh fix` has nothing to fix; the message is one line, fit for the user."""


def serve(settings: Settings, *, detach: bool = False, err: TextIO | None = None) -> int:
    """`nlsh serve`: run the daemon here, logging to stderr, until stopped or idle.

    With `detach`, start it in the background the way clients do (log in the state dir) and
    return once its model is loaded.
    """
    from nlsh.daemon.client import DaemonClient

    err = err or sys.stderr
    client = DaemonClient(settings, progress=lambda m: print(f"nlsh: {m}", file=err))
    running = client.server_call("status")
    if running is not None:
        print(f"nlsh: the model daemon already runs (pid {running.get('pid')}, socket "
              f"{running.get('socket')})", file=err)
        return 0 if detach else 1
    if detach:
        client.ensure_running()
        status = client.server_call("status") or {}
        print(f"nlsh: the model daemon runs (pid {status.get('pid')}); log {client.files.log}",
              file=err)
        return 0
    from nlsh.daemon.server import serve as serve_here

    return serve_here(settings)


def daemon_status(settings: Settings, *, as_json: bool = False,
                  out: TextIO | None = None) -> int:
    """`nlsh daemon status`: pid, model, uptime, requests served, RSS, socket (0 if running,
    3 if not)."""
    from nlsh.daemon.client import DaemonClient

    out = out or sys.stdout
    client = DaemonClient(settings, progress=None)
    status = client.server_call("status")
    if status is None:
        if as_json:
            print(json.dumps({"running": False, "socket": str(client.files.socket)}), file=out)
        else:
            print(f"nlsh model daemon: not running (socket {client.files.socket})", file=out)
        return EXIT_NOT_RUNNING
    if as_json:
        print(json.dumps({"running": True, **status}), file=out)
        return 0
    for label, value in status_rows(status):
        print(f"{label:<14}{value}", file=out)
    return 0


def status_rows(status: Mapping[str, Any]) -> list[tuple[str, str]]:
    model = status.get("model") or "(loading)"
    if status.get("model_setting") and status.get("model_setting") != model:
        model = f"{model} ({status.get('model_setting')})"
    rows = [
        ("state", str(status.get("state"))),
        ("pid", str(status.get("pid"))),
        ("model", model),
        ("uptime", human_duration(float(status.get("uptime_s") or 0))),
        ("requests", str(status.get("requests_served"))),
        ("memory (RSS)", human_bytes(int(status.get("rss_bytes") or 0))),
        ("socket", str(status.get("socket"))),
        ("log", str(status.get("log"))),
        ("idle timeout", human_duration(float(status.get("idle_timeout_s") or 0))),
        ("version", f"nlsh {status.get('nlsh')}, protocol {status.get('protocol')}"),
    ]
    if status.get("engine"):
        rows.insert(3, ("engine", str(status["engine"])))
    if status.get("load_s") is not None:
        rows.insert(4, ("load time", f"{float(status['load_s']):.1f} s"))
    if status.get("error"):
        rows.append(("error", str(status["error"])))
    return rows


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit in ("B", "KB") else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover


def daemon_stop(settings: Settings, *, err: TextIO | None = None) -> int:
    """`nlsh daemon stop`: 0 whether it was running or not (says which)."""
    from nlsh.daemon.client import DaemonClient

    err = err or sys.stderr
    pid = DaemonClient(settings, progress=None).stop()
    if pid is None:
        print("nlsh: the model daemon was not running", file=err)
    else:
        print(f"nlsh: stopped the model daemon (pid {pid})", file=err)
    return 0


def daemon_restart(settings: Settings, *, err: TextIO | None = None) -> int:
    """`nlsh daemon restart`: stop it if it runs, start it with these settings, wait for ready."""
    from nlsh.daemon.client import DaemonClient

    err = err or sys.stderr
    client = DaemonClient(settings, progress=lambda m: print(f"nlsh: {m}", file=err))
    client.stop()
    client.ensure_running()
    status = client.server_call("status") or {}
    print(f"nlsh: the model daemon runs (pid {status.get('pid')}, model "
          f"{status.get('model')})", file=err)
    return 0


# -- nlsh fix ----------------------------------------------------------------------------------


def fix_context(environ: Mapping[str, str] | None = None) -> Any:
    """The ShellContext for fixing the last failed command, from what the shell hook passed
    (NLSH_LAST_COMMAND, NLSH_LAST_STATUS, NLSH_LAST_ERROR_FILE). Raises FixError."""
    from nlsh.context import gather_context
    from nlsh.daemon.widget import last_command_from_env

    env = os.environ if environ is None else environ
    last = last_command_from_env(env)
    if not last.command:
        raise FixError("no previous command is known: load the shell integration "
                       '(eval "$(nlsh init zsh)", or bash / fish) and run `nlsh fix` right '
                       "after the command that failed")
    if not last.failed:
        raise FixError(f"the last command succeeded (exit status {last.status}): "
                       f"{_clip(last.command)}")
    return gather_context(last_command=last.command, last_exit_status=last.status,
                          last_error=last.error)


def fix_suggestion(settings: Settings, environ: Mapping[str, str] | None = None) -> Any:
    """Ranked fixes (a `Suggestion`) for the last failed command; raises FixError."""
    from nlsh import service
    from nlsh.pipeline import SuggestRequest
    from nlsh.records import Suggestion

    context = fix_context(environ)
    unfixable_here(context)
    req = SuggestRequest(request="", context=context, shown=settings.shown, mode="fix")
    return Suggestion.from_dict(service.call(settings, "suggest", req.to_dict()))


def unfixable_here(context: Any) -> None:
    """A failure over a file that is not here, with no similar name to correct it to: say so
    (FixError) rather than let the model invent another command."""
    from nlsh.fixes import minimal_edits, missing_message

    report = minimal_edits(context.last_command, context.last_exit_status, context.last_error,
                           context.cwd)
    if report.missing and not report.edits:
        raise FixError(missing_message(report.missing, context.cwd))


def fix(settings: Settings, *, as_json: bool = False, out: TextIO | None = None,
        err: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    """`nlsh fix` for scripts: the best fixed command (or JSON). 2 if nothing to fix."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        suggestion = fix_suggestion(settings, environ)
    except FixError as exc:
        print(f"nlsh: {exc}", file=err)
        return 2
    if as_json:
        print(json.dumps(suggestion.to_dict(limit=settings.shown), ensure_ascii=False), file=out)
        return 0
    if not suggestion.candidates:
        print("nlsh: no fixed command came out", file=err)
        return 1
    best = suggestion.candidates[0]
    print(best.command, file=out)
    print(f"nlsh: [{best.risk.level.label}] {best.explanation or ''}".rstrip(), file=err)
    return 0


def _clip(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# -- nlsh _widget ------------------------------------------------------------------------------


def widget(argv: list[str]) -> int:
    """`nlsh _widget --shell zsh|bash|fish [--no-comments]`: the key binding's helper, the
    same as `python -m nlsh.daemon.widget` (which the hooks call, to skip typer's start-up)."""
    from nlsh.daemon.widget import main

    return main(argv)


__all__ = [
    "EXIT_NOT_RUNNING", "DaemonError", "FixError", "daemon_restart", "daemon_status",
    "daemon_stop", "fix", "fix_context", "fix_suggestion", "serve", "unfixable_here", "widget",
]

"""`nlsh "request"`: candidates, a menu, then run, edit, copy, explain or preview (gated)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from nlsh import gate
from nlsh.config import Settings
from nlsh.records import Candidate, Suggestion
from nlsh.tui import menu, render


@dataclass
class Outcome:
    action: str  # "run", "copy", "cancel", "blocked"
    chosen: str | None = None
    edited: bool = False
    exit_status: int | None = None


def console() -> Console:
    return Console(stderr=True, highlight=False)


def run_oneshot(settings: Settings, request: str) -> int:
    from nlsh.cli import fetch_suggestion, record

    out = console()
    with out.status("thinking…", spinner="dots"):
        suggestion: Suggestion = fetch_suggestion(settings, request, shown=settings.shown)
    entry_id = record(settings, suggestion)
    if not suggestion.candidates:
        out.print("nlsh: no command could be produced for this request; try rephrasing it")
        return 1
    outcome = choose_and_act(suggestion.candidates, out)
    if entry_id is not None:
        _record_outcome(entry_id, outcome)
    return outcome.exit_status if outcome.exit_status is not None else 0


def _record_outcome(entry_id: int, outcome: Outcome) -> None:
    from nlsh.history import History

    store = History(notify=lambda m: sys.stderr.write(f"nlsh: {m}\n"))
    try:
        store.record_outcome(entry_id, chosen=outcome.chosen, edited=outcome.edited,
                             action=outcome.action, exit_status=outcome.exit_status)
    finally:
        store.close()


def choose_and_act(candidates: list[Candidate], out: Console) -> Outcome:
    selected = 0
    while True:
        choice = menu.choose(candidates, selected)
        selected = choice.index
        candidate = candidates[selected]
        if choice.action == "cancel":
            return Outcome("cancel")
        if choice.action == "explain":
            show_explanation(candidate.command, out)
            continue
        if choice.action == "preview":
            applied = preview_and_offer(candidate.command, out)
            if applied is not None:
                return applied
            continue
        if choice.action == "copy":
            how = _copy(candidate.command)
            out.print(f"copied to the clipboard ({how}): {candidate.command}")
            return Outcome("copy", candidate.command)
        command, edited = candidate.command, False
        if choice.action == "edit":
            new = menu.edit_line(candidate.command)
            if new is None or not new.strip():
                continue
            command, edited = new.strip(), new.strip() != candidate.command
        outcome = confirm_and_run(command, out)
        if outcome is None:
            continue
        outcome.edited = edited
        return outcome


def confirm_and_run(command: str, out: Console) -> Outcome | None:
    """The gate, then the run. None when the user declined (back to the menu)."""
    from nlsh.execute import run_approved

    try:
        approval = gate.confirm(command, menu.ask_line, cwd=os.getcwd(),
                                show=lambda risk: render.print_risk(out, risk))
    except gate.Blocked as blocked:
        render.print_risk(out, blocked.risk)
        out.print("nlsh will not run a blocked command. Press c in the menu to copy it.")
        return None
    if approval is None:
        out.print("not run.")
        return None
    out.print(f"[dim]$ {command}[/dim]", highlight=False, markup=True)
    result = run_approved(approval, cwd=os.getcwd())
    style = "green" if result.exit_status == 0 else "red"
    out.print(f"[{style}]exit status {result.exit_status}[/{style}]")
    return Outcome("run", command, exit_status=result.exit_status)


def _copy(text: str) -> str:
    from nlsh.clipboard import copy

    return copy(text)


def show_explanation(command: str, out: Console) -> None:
    from nlsh.explain import explain
    from nlsh.explain import render as render_explanation
    from nlsh.records import Explanation
    from nlsh.safety import assess

    explanation = Explanation(command=command, risk=assess(command, cwd=os.getcwd()),
                              parts=explain(command))
    render_explanation(explanation, out)


def preview_and_offer(command: str, out: Console,
                      ask: Callable[[str], str] = menu.ask_line) -> Outcome | None:
    """Preview; if the changes can be replayed, offer to apply them (through the gate).

    Returns the outcome when something was applied or run, None to go back to the menu.
    """
    from nlsh import sandbox
    from nlsh.execute import apply_previewed, user_shell

    with out.status("previewing in a sandbox…", spinner="dots"):
        result = sandbox.preview(command, cwd=os.getcwd(), shell=os.path.basename(user_shell()))
    with result:
        sandbox.render_preview(result, out)
        if not result.supported or not result.changes:
            return None
        if result.recommendation != "replay" or not result.replayable:
            out.print(f"to make these changes, run the command itself "
                      f"({result.recommendation_reason or 'they cannot be replayed'}).")
            return None
        answer = ask("apply exactly these changes to your files? [y/N]: ").strip().lower()
        if answer not in ("y", "yes"):
            return None
        try:
            approval = gate.confirm(command, ask, cwd=os.getcwd(),
                                    show=lambda risk: render.print_risk(out, risk))
        except gate.Blocked as blocked:
            render.print_risk(out, blocked.risk)
            return None
        if approval is None:
            out.print("not applied.")
            return None
        try:
            count = apply_previewed(approval, result)
        except (sandbox.SandboxError, sandbox.StaleTreeError) as exc:
            out.print(f"nlsh: not applied: {exc}")
            return None
    out.print(f"applied {count} change{'s' if count != 1 else ''} from the preview.")
    return Outcome("apply", command, exit_status=result.exit_code)


def preview_command(command: str, *, as_json: bool) -> int:
    from nlsh import sandbox
    from nlsh.execute import user_shell

    shell = os.path.basename(user_shell())
    out = console()
    if as_json:
        with sandbox.preview(command, cwd=os.getcwd(), shell=shell) as result:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0 if result.supported else 1
    with out.status("previewing in a sandbox…", spinner="dots"):
        result = sandbox.preview(command, cwd=os.getcwd(), shell=shell)
    with result:
        sandbox.render_preview(result, out)
    return 0 if result.supported else 1

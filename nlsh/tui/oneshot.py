"""`nlsh "request"`: candidates, a menu, then run, edit, copy, explain or preview (gated)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Console

from nlsh import gate
from nlsh.config import Settings
from nlsh.display import safe_json
from nlsh.records import Candidate, Suggestion
from nlsh.tui import menu, render

if TYPE_CHECKING:
    from nlsh.sandbox import PreviewResult

INTERRUPTED = 130  # what shells report after Ctrl-C


@dataclass
class Outcome:
    """What the user did, as history records it: the command as chosen, edited and run,
    declined at the gate ("decline") or refused by it ("blocked")."""

    action: str  # "run", "apply", "copy", "cancel", "interrupt", "decline", "blocked"
    chosen: str | None = None
    edited: bool = False
    exit_status: int | None = None  # the command's, when it ran
    interrupted: bool = False  # left with Ctrl-C (after a decline, say)

    @property
    def history_action(self) -> str:
        return "cancel" if self.action == "interrupt" else self.action


def console() -> Console:
    return render.err_console()


@contextlib.contextmanager
def spinner(message: str) -> Iterator[Any]:
    """A spinner on stderr while the model or the sandbox works (nothing when not a tty);
    yields its rich Status (None without one), whose text may be updated."""
    where = render.spinner_console()
    if where is None:
        yield None
        return
    with where.status(message, spinner="dots") as status:
        yield status


def first_guess(status: Any, answer: dict[str, Any]) -> None:
    """Show the greedy answer under the spinner, provisionally, until the menu replaces it
    (nothing is chosen or run from it)."""
    from rich.text import Text

    from nlsh.display import first_guess_text

    text = first_guess_text(answer)
    if status is not None and text is not None:
        status.update(Text(f"thinking…\n{text}"), spinner="dots")  # drawn at once


def run_oneshot(settings: Settings, request: str) -> int:
    from nlsh.cli import fetch_suggestion, record, record_outcome

    out = console()
    with spinner("thinking…") as status:
        suggestion: Suggestion = fetch_suggestion(
            settings, request, shown=settings.shown,
            on_first=lambda answer: first_guess(status, answer))
    if not suggestion.candidates:
        record(settings, suggestion, final=True)
        render.say(out, "nlsh: no command could be produced for this request; try rephrasing it")
        return 1
    entry = record(settings, suggestion)
    outcome = choose_and_act(suggestion.candidates, out)
    record_outcome(entry, outcome.history_action, outcome.chosen, outcome.edited,
                   outcome.exit_status)
    if outcome.action == "interrupt" or outcome.interrupted:
        return INTERRUPTED
    return outcome.exit_status if outcome.exit_status is not None else 0


def edited_candidate(original: Candidate, command: str) -> Candidate:
    """What the menu shows for a line the user edited: its own, freshly assessed risk."""
    return Candidate(command=command, score=original.score, mean_logprob=original.mean_logprob,
                     risk=gate.assess(command, cwd=os.getcwd()), explanation="(edited by you)",
                     origins=["edited"])


def choose_and_act(candidates: list[Candidate], out: Console) -> Outcome:
    shown = list(candidates)  # an edited command replaces its candidate in the menu
    edited = [False] * len(shown)
    selected = 0
    attempt: Outcome | None = None  # the last command declined or blocked at the gate
    while True:
        choice = menu.choose(shown, selected)
        selected = choice.index
        candidate = shown[selected]
        if choice.action in ("cancel", "interrupt"):
            if attempt is None:
                return Outcome(choice.action)
            attempt.interrupted = choice.action == "interrupt"
            return attempt  # history keeps what the user last tried, not the top candidate
        if choice.action == "explain":
            show_explanation(candidate.command, out)
            continue
        if choice.action == "preview":
            applied = preview_and_offer(candidate.command, out)
            if applied is not None:
                return applied
            continue
        if choice.action == "copy":
            copy_command(candidate.command, out)
            return Outcome("copy", candidate.command, edited=edited[selected])
        command = candidate.command
        if choice.action == "edit":
            new = menu.edit_line(candidate.command)
            if new is None or not new.strip():
                continue
            command = new.strip()
            if command != candidate.command:
                shown[selected] = edited_candidate(candidate, command)
                edited[selected] = True
        outcome = confirm_and_run(command, out)
        outcome.edited = edited[selected]
        if outcome.action == "run":
            return outcome
        attempt = outcome  # declined or blocked: back to the menu


def confirm_and_run(command: str, out: Console) -> Outcome:
    """The gate, then the run: "run", or "decline" / "blocked" (back to the menu)."""
    from nlsh.execute import run_approved

    render.show_command(out, command)
    try:
        approval = gate.confirm(command, menu.ask_line, cwd=os.getcwd(),
                                show=lambda risk: render.print_risk(out, risk))
    except gate.Blocked as blocked:
        render.print_risk(out, blocked.risk)
        render.say(out, "nlsh will not run a blocked command. Press c in the menu to copy it.",
                   style="bold")
        return Outcome("blocked", command)
    if approval is None:
        render.say(out, "not run.")
        return Outcome("decline", command)
    result = run_approved(approval, cwd=os.getcwd())
    show_exit_status(out, result.exit_status)
    return Outcome("run", command, exit_status=result.exit_status)


def show_exit_status(out: Console, status: int) -> None:
    render.say(out, f"exit status {status}", style="green" if status == 0 else "bold red")


def copy_command(command: str, out: Console) -> None:
    from nlsh.clipboard import copy

    how = copy(command)
    render.say(out, f"copied to the clipboard ({how}):")
    render.show_command(out, command, prefix="  ")


def show_explanation(command: str, out: Console) -> None:
    from nlsh.explain import explain, syntax_problem
    from nlsh.explain import render as render_explanation
    from nlsh.records import Explanation
    from nlsh.safety import assess

    explanation = Explanation(command=command, risk=assess(command, cwd=os.getcwd()),
                              parts=explain(command), problem=syntax_problem(command))
    render_explanation(explanation, out)


def preview_and_offer(command: str, out: Console,
                      ask: Callable[[str], str] = menu.ask_line) -> Outcome | None:
    """Preview; if the changes can be replayed, offer to apply them (through the gate).

    Returns the outcome when something was applied, None to go back to the menu.
    """
    from nlsh import sandbox
    from nlsh.execute import user_shell

    render.show_command(out, command, prefix="preview: ")
    with spinner("previewing in a sandbox…"):
        result = sandbox.preview(command, cwd=os.getcwd(), shell=os.path.basename(user_shell()))
    with result:
        sandbox.render_preview(result, out, offer=True)
        return offer_to_apply(result, out, ask)


def offer_to_apply(result: PreviewResult, out: Console,
                   ask: Callable[[str], str]) -> Outcome | None:
    """If the previewed changes can be replayed, ask, then apply them through the gate."""
    from nlsh import sandbox
    from nlsh.execute import apply_previewed

    command = result.command
    if not result.supported or not result.changes:
        return None
    if result.recommendation != "replay" or not result.replayable:
        render.say(out, "to make these changes, run the command itself "
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
        render.say(out, "not applied.")
        return None
    try:
        count = apply_previewed(approval, result)
    except (sandbox.SandboxError, sandbox.StaleTreeError) as exc:
        render.say(out, f"nlsh: not applied: {exc}")
        return None
    render.say(out, f"applied {count} change{'s' if count != 1 else ''} from the preview.")
    return Outcome("apply", command, exit_status=result.exit_code)


def preview_command(command: str, *, as_json: bool, interactive: bool | None = None,
                    ask: Callable[[str], str] = menu.ask_line) -> int:
    """`nlsh preview`: JSON, or the rendered preview; at a terminal (`interactive`, by
    default whether stdin and stderr are one) it also offers to apply replayable changes."""
    from nlsh import sandbox
    from nlsh.execute import user_shell

    shell = os.path.basename(user_shell())
    if as_json:
        with sandbox.preview(command, cwd=os.getcwd(), shell=shell) as result:
            print(safe_json(result.to_dict()))
        return 0 if result.supported else 1
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stderr.isatty()
    with spinner("previewing in a sandbox…"):
        result = sandbox.preview(command, cwd=os.getcwd(), shell=shell)
    out = console()
    with result:
        sandbox.render_preview(result, out, offer=interactive)
        if interactive:
            offer_to_apply(result, out, ask)
    return 0 if result.supported else 1

"""`nlsh` with no arguments: a shell-like prompt for working a task through, turn by turn.

Requests are remembered across sessions (file history, Ctrl-R), file names complete inside
requests, and each turn can refine the last ("make it recursive") or refer to what the last
command printed ("now delete those"). Without a terminal it degrades to plain line prompts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from rich.console import Console

from nlsh import gate, paths
from nlsh.config import Settings
from nlsh.records import Candidate, Message, Suggestion
from nlsh.tui import menu, render

TAIL_LINES = 8
BANNER = ("nlsh: say what you want in English. ↑/↓ pick · Enter run · e edit · p preview · "
          "x explain · c copy · r revise · Ctrl-D quits")


@dataclass
class Conversation:
    """What the next request may refer to: earlier turns and the last command's outcome."""

    turns: list[Message] = field(default_factory=list)
    last_command: str | None = None
    last_exit_status: int | None = None
    last_output: str | None = None

    def remember_turn(self, request: str, command: str) -> None:
        self.turns += [Message("user", request), Message("assistant", command)]
        del self.turns[:-8]

    def remember_run(self, command: str, status: int, output: str) -> None:
        self.last_command, self.last_exit_status = command, status
        self.last_output = output[-1500:] if output else None


def history_file() -> str:
    return str(paths.data_dir() / "prompt_history")


def interactive_session(settings: Settings) -> int:
    if not sys.stdin.isatty():
        return plain_session(settings, sys.stdin, Console(highlight=False))
    return tty_session(settings)


# -- with a terminal ---------------------------------------------------------------------------


def tty_session(settings: Settings) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    out = Console(highlight=False)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(history_file()), completer=RequestCompleter(),
        complete_while_typing=False, enable_history_search=False,
    )
    out.print(BANNER, style="dim")
    talk = Conversation()
    while True:
        try:
            request = session.prompt("nlsh> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        if not request.strip():
            continue
        work_through(settings, request, talk, out)


def work_through(settings: Settings, request: str, talk: Conversation, out: Console) -> None:
    """One request: suggest, then let the user act, revise, or go back to the prompt."""
    from nlsh.cli import BadInput, clean_request

    try:
        text = clean_request(request)
    except BadInput as exc:
        out.print(f"nlsh: {exc}")
        return
    mode = "suggest"
    selected = 0
    while True:
        suggestion = _suggest(settings, text, talk, mode, out)
        if suggestion is None or not suggestion.candidates:
            out.print("no command found for that; try rephrasing it.")
            return
        act = _act_on(suggestion.candidates, selected, talk, text, out)
        if act is None:
            return
        text, selected, mode = act, 0, "revise"


def _suggest(settings: Settings, text: str, talk: Conversation, mode: str,
             out: Console) -> Suggestion | None:
    from nlsh.cli import fetch_suggestion, record
    from nlsh.context import gather_context

    context = gather_context(last_command=talk.last_command,
                             last_exit_status=talk.last_exit_status,
                             last_error=talk.last_output)
    try:
        with out.status("thinking…", spinner="dots"):
            suggestion: Suggestion = fetch_suggestion(
                settings, text, shown=settings.shown, mode=mode, context=context,
                conversation=talk.turns)
    except Exception as exc:
        out.print(f"nlsh: {exc}")
        return None
    record(settings, suggestion, mode=mode)
    return suggestion


def _act_on(candidates: list[Candidate], selected: int, talk: Conversation, request: str,
            out: Console) -> str | None:
    """Menu actions until one ends the turn. Returns a revision request, or None when done."""
    from nlsh.tui.oneshot import preview_and_offer, show_explanation

    while True:
        choice = menu.choose(candidates, selected, actions=menu.SESSION_ACTIONS, details=True)
        selected = choice.index
        current = candidates[selected]
        if choice.action == "cancel":
            return None
        if choice.action == "explain":
            show_explanation(current.command, out)
        elif choice.action == "preview":
            applied = preview_and_offer(current.command, out)
            if applied is not None:
                talk.remember_turn(request, current.command)
                return None
        elif choice.action == "copy":
            from nlsh.clipboard import copy

            out.print(f"copied ({copy(current.command)}): {current.command}")
            return None
        elif choice.action == "revise":
            revision = menu.edit_line("", message="revise> ")
            if revision and revision.strip():
                talk.remember_turn(request, current.command)
                return revision
        else:
            command = current.command
            if choice.action == "edit":
                edited = menu.edit_line(command)
                if not edited or not edited.strip():
                    continue
                command = edited.strip()
            if run_through_gate(command, talk, out):
                talk.remember_turn(request, command)
                return None


def run_through_gate(command: str, talk: Conversation, out: Console,
                     ask: Callable[[str], str] = menu.ask_line) -> bool:
    """True when the command ran (whatever its exit status)."""
    from nlsh.execute import run_approved

    try:
        approval = gate.confirm(command, ask, cwd=os.getcwd(),
                                show=lambda risk: render.print_risk(out, risk))
    except gate.Blocked as blocked:
        render.print_risk(out, blocked.risk)
        out.print("nlsh will not run a blocked command; c copies it.")
        return False
    if approval is None:
        out.print("not run.")
        return False
    out.print(f"$ {command}", style="dim")
    result = run_approved(approval, cwd=os.getcwd(), capture_tail=True)
    talk.remember_run(command, result.exit_status, result.output_tail)
    _show_outcome(out, result.exit_status, result.output_tail)
    return True


def _show_outcome(out: Console, status: int, tail: str) -> None:
    style = "green" if status == 0 else "red"
    out.print(f"exit status {status}", style=style)
    lines = [line for line in tail.replace("\r", "").splitlines() if line.strip()]
    if lines:
        out.print("last output:", style="dim")
        for line in lines[-TAIL_LINES:]:
            out.print("  │ " + line, style="dim", markup=False, highlight=False)


# -- without a terminal ------------------------------------------------------------------------


def plain_session(settings: Settings, lines: Iterable[str], out: Console) -> int:
    """Line-by-line: a request, then a number to pick, then r(un) / c(opy) / x / s(kip)."""
    feed = iter(lines)
    talk = Conversation()

    def ask(prompt: str) -> str:
        out.print(prompt, end="")
        answer = next(feed, None)
        if answer is None:
            raise EOFError
        return answer.rstrip("\n")

    while True:
        try:
            request = ask("nlsh> ")
        except EOFError:
            out.print()
            return 0
        if not request.strip():
            continue
        try:
            _plain_turn(settings, request, talk, ask, out)
        except EOFError:
            out.print()
            return 0


def _plain_turn(settings: Settings, request: str, talk: Conversation,
                ask: Callable[[str], str], out: Console) -> None:
    from nlsh.cli import BadInput, clean_request

    try:
        text = clean_request(request)
    except BadInput as exc:
        out.print(f"nlsh: {exc}")
        return
    suggestion = _suggest(settings, text, talk, "suggest", out)
    if suggestion is None or not suggestion.candidates:
        out.print("no command found for that; try rephrasing it.")
        return
    render.print_candidates(out, suggestion.candidates)
    pick = ask(f"pick 1-{len(suggestion.candidates)} (Enter skips): ").strip()
    if not pick.isdigit() or not 1 <= int(pick) <= len(suggestion.candidates):
        return
    chosen = suggestion.candidates[int(pick) - 1]
    action = ask("r run · c copy · x explain · Enter skips: ").strip().lower()
    if action == "x":
        from nlsh.tui.oneshot import show_explanation

        show_explanation(chosen.command, out)
    elif action == "c":
        out.print(chosen.command)
    elif action == "r" and run_through_gate(chosen.command, talk, out, ask=ask):
        talk.remember_turn(text, chosen.command)


class RequestCompleter(Completer):
    """Completes file names inside an English request (the word under the cursor)."""

    def __init__(self) -> None:
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterator[Completion]:
        word = document.get_word_before_cursor(WORD=True)
        yield from self._paths.get_completions(Document(word, len(word)), complete_event)

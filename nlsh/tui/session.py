"""`nlsh` with no arguments: a shell-like prompt for working a task through, turn by turn.

Requests are remembered across sessions (file history: ↑ and Ctrl-R), file names complete
inside requests (Tab), and each turn can refine the last ("make it recursive") or refer to what
the last command printed ("now delete those"). Without a terminal it degrades to plain line
prompts read from stdin.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import History
from rich.console import Console

from nlsh import gate, paths
from nlsh.config import Settings
from nlsh.history import PendingEntry
from nlsh.records import Candidate, Message, Suggestion
from nlsh.tui import menu, render
from nlsh.tui.oneshot import Outcome

TAIL_LINES = 8
MAX_TURNS = 8  # messages of conversation sent back with a revision
BANNER = "Say what you want in English. ↑/Ctrl-R history · Tab file names · Ctrl-D quits"


@dataclass
class Conversation:
    """What the next request may refer to: earlier turns and the last command's outcome."""

    turns: list[Message] = field(default_factory=list)
    last_command: str | None = None
    last_exit_status: int | None = None
    last_output: str | None = None

    def remember_turn(self, request: str, command: str) -> None:
        turn = [Message("user", request), Message("assistant", command)]
        if self.turns[-2:] == turn:
            return
        self.turns += turn
        del self.turns[:-MAX_TURNS]

    def remember_run(self, command: str, status: int, output: str) -> None:
        self.last_command, self.last_exit_status = command, status
        self.last_output = output[-1500:] if output else None


@dataclass
class Turn:
    """One suggestion in the session and its history entry (to record what became of it)."""

    request: str
    candidates: list[Candidate]
    entry: PendingEntry | None  # its history entry; None with history off
    mode: str


def history_file() -> str:
    directory = paths.data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / "prompt_history")


def prompt_history() -> History:
    """↑/Ctrl-R history kept in the data directory; in memory when that is unusable."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    try:
        return FileHistory(history_file())
    except OSError as exc:
        _warn(f"{exc.strerror or exc}; requests are remembered for this session only")
        return InMemoryHistory()


def interactive_session(settings: Settings) -> int:
    if not sys.stdin.isatty():
        return plain_session(settings, sys.stdin, render.out_console(), echo=True)
    if not sys.stdout.isatty():  # typed at a terminal, stdout redirected: talk on stderr
        return plain_session(settings, sys.stdin, render.err_console())
    return tty_session(settings)


# -- with a terminal ---------------------------------------------------------------------------


def tty_session(settings: Settings) -> int:
    from prompt_toolkit import PromptSession

    out = render.out_console()
    session: PromptSession[str] = PromptSession(
        history=prompt_history(), completer=RequestCompleter(),
        complete_while_typing=False, enable_history_search=False,
    )
    menu.quiet_cpr(session.app)
    render.say(out, BANNER, style="dim")
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
        try:
            work_through(settings, request, talk, out)
        except KeyboardInterrupt:
            render.say(out, "interrupted.", style="dim")


def work_through(settings: Settings, request: str, talk: Conversation, out: Console) -> None:
    """One request: suggest, then let the user act or revise, until back at the prompt."""
    from nlsh.cli import BadInput, clean_request

    try:
        text = clean_request(request)
    except BadInput as exc:
        render.say(out, f"nlsh: {exc}")
        return
    turn = _suggest(settings, text, talk, "suggest", out)
    if turn is None:
        return
    selected = 0
    while True:
        revision = _act_on(turn, selected, talk, out)
        if revision is None:
            return
        revised = _suggest(settings, revision, talk, "revise", out)
        if revised is not None:
            turn, selected = revised, 0
        else:
            render.say(out, "the earlier candidates are still here.", style="dim")


def _suggest(settings: Settings, text: str, talk: Conversation, mode: str,
             out: Console) -> Turn | None:
    from nlsh.cli import fetch_suggestion, record
    from nlsh.context import gather_context
    from nlsh.tui.oneshot import spinner

    context = gather_context(last_command=talk.last_command,
                             last_exit_status=talk.last_exit_status,
                             last_error=talk.last_output)
    try:
        with spinner("thinking…"):
            suggestion: Suggestion = fetch_suggestion(
                settings, text, shown=settings.shown, mode=mode, context=context,
                conversation=list(talk.turns))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # the daemon or model failed: say so, keep the session
        render.say(out, f"nlsh: {exc}")
        return None
    entry = record(settings, suggestion, mode=mode, final=not suggestion.candidates)
    if not suggestion.candidates:
        render.say(out, "no command found for that; try rephrasing it.")
        return None
    return Turn(text, suggestion.candidates, entry, mode)


def _record(turn: Turn, action: str, chosen: str | None, edited: bool = False,
            exit_status: int | None = None) -> None:
    from nlsh.cli import record_outcome

    record_outcome(turn.entry, action, chosen, edited, exit_status)


def _record_leaving(turn: Turn, attempt: Outcome | None) -> None:
    """Leaving the menu: what the user last declined or had blocked, else a plain cancel."""
    if attempt is None:
        _record(turn, "cancel", None)
    else:
        _record(turn, attempt.action, attempt.chosen, attempt.edited)


def _act_on(turn: Turn, selected: int, talk: Conversation, out: Console) -> str | None:
    """Menu actions until one ends the turn. Returns a revision request, or None when done."""
    from nlsh.tui.oneshot import (
        copy_command,
        edited_candidate,
        preview_and_offer,
        show_explanation,
    )

    candidates = list(turn.candidates)
    edited = [False] * len(candidates)
    attempt: Outcome | None = None  # the last command declined or blocked at the gate
    while True:
        choice = menu.choose(candidates, selected, actions=menu.SESSION_ACTIONS, details=True)
        selected = choice.index
        current = candidates[selected]
        if choice.action in ("cancel", "interrupt"):
            _record_leaving(turn, attempt)
            return None
        if choice.action == "explain":
            show_explanation(current.command, out)
        elif choice.action == "preview":
            applied = preview_and_offer(current.command, out)
            if applied is not None:
                talk.remember_turn(turn.request, current.command)
                _record(turn, "apply", current.command, edited[selected], applied.exit_status)
                return None
        elif choice.action == "copy":
            copy_command(current.command, out)
            talk.remember_turn(turn.request, current.command)
            _record(turn, "copy", current.command, edited[selected])
            return None
        elif choice.action == "revise":
            revision = menu.edit_line("", message="revise> ")
            if revision and revision.strip():
                talk.remember_turn(turn.request, current.command)
                if attempt is not None:  # what was declined before the revision
                    _record_leaving(turn, attempt)
                return " ".join(revision.split())
        else:
            command = current.command
            if choice.action == "edit":
                new = menu.edit_line(command)
                if not new or not new.strip():
                    continue
                command = new.strip()
                if command != current.command:
                    candidates[selected] = edited_candidate(current, command)
                    edited[selected] = True
            outcome = run_through_gate(command, talk, out)
            outcome.edited = edited[selected]
            if outcome.action != "run":
                attempt = outcome  # declined or blocked: back to the menu
                continue
            talk.remember_turn(turn.request, command)
            _record(turn, "run", command, edited[selected], outcome.exit_status)
            return None


def run_through_gate(command: str, talk: Conversation, out: Console,
                     ask: Callable[[str], str] = menu.ask_line, *,
                     detach_stdin: bool = False) -> Outcome:
    """The gate, then the run: "run" with its exit status, or "decline" / "blocked"."""
    from nlsh.execute import run_approved
    from nlsh.tui.oneshot import show_exit_status

    render.show_command(out, command)
    try:
        approval = gate.confirm(command, ask, cwd=os.getcwd(),
                                show=lambda risk: render.print_risk(out, risk))
    except gate.Blocked as blocked:
        render.print_risk(out, blocked.risk)
        render.say(out, "nlsh will not run a blocked command; c in the menu copies it.",
                   style="bold")
        return Outcome("blocked", command)
    if approval is None:
        render.say(out, "not run.")
        return Outcome("decline", command)
    result = run_approved(approval, cwd=os.getcwd(), capture_tail=True,
                          detach_stdin=detach_stdin)
    talk.remember_run(command, result.exit_status, result.output_tail)
    show_exit_status(out, result.exit_status)
    _show_tail(out, result.output_tail)
    return Outcome("run", command, exit_status=result.exit_status)


def _show_tail(out: Console, tail: str) -> None:
    """The last lines the command printed, kept in view under its exit status."""
    lines = [line for line in render.plain_output(tail) if line.strip()]
    if not lines:
        return
    render.say(out, "last output:", style="dim")
    width = max(out.width - 5, 10)
    for line in lines[-TAIL_LINES:]:
        render.say(out, "  │ " + render.clip(line, width), style="dim")


# -- without a terminal ------------------------------------------------------------------------


PLAIN_ACTIONS = "r run · e edit · c print · x explain · Enter skips: "


def plain_session(settings: Settings, lines: Iterable[str], out: Console, *,
                  echo: bool = False) -> int:
    """Line by line: a request, a number to pick, then r(un) / e(dit) / c / x, from stdin.

    With `echo` each answer is printed after its question, as a terminal would have shown it.
    """
    feed = iter(lines)
    talk = Conversation()

    def ask(prompt: str) -> str:
        render.say(out, prompt, end="")
        out.file.flush()
        answer = next(feed, None)
        if answer is None:
            raise EOFError
        answer = answer.rstrip("\r\n")
        if echo:
            render.say(out, answer)
        return answer

    while True:
        try:
            request = ask("nlsh> ")
            if request.strip():
                _plain_turn(settings, request, talk, ask, out)
        except EOFError:
            out.print()
            return 0


def _plain_turn(settings: Settings, request: str, talk: Conversation,
                ask: Callable[[str], str], out: Console) -> None:
    from nlsh.cli import BadInput, clean_request
    from nlsh.tui.oneshot import show_explanation

    try:
        text = clean_request(request)
    except BadInput as exc:
        render.say(out, f"nlsh: {exc}")
        return
    turn = _suggest(settings, text, talk, "suggest", out)
    if turn is None:
        return
    render.print_candidates(out, turn.candidates)
    count = len(turn.candidates)
    pick = ask(f"pick 1-{count} (Enter skips): ").strip()
    if not pick.isdigit() or not 1 <= int(pick) <= count:
        _record(turn, "cancel", None)
        return
    command = turn.candidates[int(pick) - 1].command
    edited = False
    while True:
        action = ask(PLAIN_ACTIONS).strip().lower()
        if action == "x":
            show_explanation(command, out)
        elif action == "e":
            new = ask("command: ").strip()
            if new:
                command, edited = new, edited or new != command
        elif action == "c":
            out.print(render.printable(command, newline="\n"), markup=False, highlight=False,
                      soft_wrap=True)
            _record(turn, "copy", command, edited)
            return
        elif action == "r":
            # The command gets /dev/null for stdin: ours carries the next requests and answers.
            outcome = run_through_gate(command, talk, out, ask=ask, detach_stdin=True)
            if outcome.action == "run":
                talk.remember_turn(text, command)
            _record(turn, outcome.action, command, edited, outcome.exit_status)
            return
        else:
            _record(turn, "cancel", None)
            return


class RequestCompleter(Completer):
    """Completes file names inside an English request (the word under the cursor)."""

    def __init__(self) -> None:
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterator[Completion]:
        word = document.get_word_before_cursor(WORD=True)
        yield from self._paths.get_completions(Document(word, len(word)), complete_event)


def _warn(message: str) -> None:
    sys.stderr.write(f"nlsh: {message}\n")

"""The fast entry point behind the shell key binding (Ctrl-G): `python -m nlsh.daemon.widget`.

The shell hook runs it with the line the user typed and what it knows about the last
command, in environment variables set for this one invocation only (argv is world-readable
through /proc, the environment is not):

    NLSH_WIDGET_BUFFER    the command line as typed (English, or empty)
    NLSH_LAST_COMMAND     the last command run at this prompt
    NLSH_LAST_STATUS      its exit status
    NLSH_LAST_ERROR_FILE  a file holding its captured stderr (optional, zsh only)
    NLSH_WIDGET_KNOWN     the line's first word, if the shell knows it as an alias or function

A line that is already a command (`ls -la`, see `nlsh.linekind`) is never rewritten: the
answer is a message saying so, or, if the command fails validation, fixes labelled with the
problem each one fixes.

It prints one answer on stdout as NUL-terminated fields, which every shell splits without
eval (zsh `${(0)…}`, bash `read -d ''`, fish `string split0`):

    nlsh-widget/1, status, message, count, then count x (buffer, level, note)

status is "ok" (candidates follow: the buffer to put on the line, the risk level, and the
one line to show under the prompt) or "message" (nothing to put on the line; show message).
A `dangerous` candidate's buffer carries a prefix that stops Enter alone from running it; a
`blocked` one is never offered. Everything heavy (typer, rich, the model) stays out: this
process starts, gathers context, asks the daemon and exits.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = "nlsh-widget/1"
NOTE_LIMIT = 240
REASON_LIMIT = 80
ERROR_TAIL = 2000
SHELLS = ("zsh", "bash", "fish")
# Characters a risk reason may keep inside the guard prefix: nothing a shell gives meaning to
# (no quotes, parentheses, separators, expansions), so the prefix itself always parses.
_INERT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:/+%=@_-")


@dataclass
class Offer:
    buffer: str
    level: str
    note: str


@dataclass
class WidgetAnswer:
    status: str  # "ok" | "message"
    message: str = ""
    offers: list[Offer] = field(default_factory=list)

    def encode(self) -> bytes:
        fields = [FORMAT, self.status, self.message, str(len(self.offers))]
        for offer in self.offers:
            fields += [offer.buffer, offer.level, offer.note]
        return b"".join(f.replace("\0", "").encode("utf-8", "replace") + b"\0" for f in fields)


@dataclass
class LastCommand:
    command: str | None = None
    status: int | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.command) and self.status not in (None, 0)


def guarded_buffer(command: str, reason: str, *, shell: str) -> str:
    """A dangerous command made inert: Enter alone runs nothing, deleting the prefix runs it.

    With comments enabled the whole line is a comment. Without them (zsh's default, i.e.
    no `setopt interactive_comments`) the `;;` is a parse error, so nothing on the line runs
    (a bare `#` would run as a command and a `; rm …` after it would run too). Each further
    line of a multi-line command is commented: zsh parses the whole buffer before running any
    of it, so the parse error on line one covers them as well. The reason is kept as written
    (`~`, quotes and all), single-quoted for the shell when it holds anything the shell gives
    meaning to, and shortened at a word boundary if it is long.
    """
    why = guard_reason(reason, shell=shell)
    lines = command.split("\n")
    head = f"# nlsh: dangerous ({why}) ;; remove this prefix to run: {lines[0]}"
    if shell == "fish":
        head = f"# nlsh: dangerous ({why}) - remove this prefix to run: {lines[0]}"
    return "\n".join([head, *("# " + line for line in lines[1:])])


def guard_reason(reason: str, *, shell: str, limit: int = REASON_LIMIT) -> str:
    """The reason as it sits inside the guard's parentheses: one line, at most `limit`
    characters before quoting (cut at a word, with an ellipsis), quoted unless inert."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in reason).split())
    if not flat:
        return "see nlsh explain"
    if len(flat) > limit:
        cut = flat[: limit - 1]
        if " " in cut[limit // 2:]:
            cut = cut[: cut.rindex(" ")]
        flat = cut.rstrip(" ,;:-") + "…"
    if all(ch in _INERT for ch in flat.replace("…", "")):
        return flat
    if shell == "fish":
        return "'" + flat.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + flat.replace("'", "'\\''") + "'"


def _one_line(text: str, limit: int = NOTE_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def offers_from(candidates: list[dict[str, Any]], *, shell: str,
                comments: bool, label: str = "") -> tuple[list[Offer], list[str]]:
    """Offers in rank order, and why any candidates were held back."""
    offers: list[Offer] = []
    held: list[str] = []
    for cand in candidates:
        command = str(cand.get("command", ""))
        risk = cand.get("risk") or {}
        level = str(risk.get("level", "safe"))
        reasons = [str(r) for r in risk.get("reasons", [])]
        why = "; ".join(reasons)
        if not command.strip():
            continue
        if level == "blocked":
            held.append(f"blocked: {command[:60]} ({why or 'refused'})")
            continue
        buffer = command
        if level == "dangerous":
            if not comments and shell == "bash" and "\n" in command:
                # bash runs later lines after a syntax error on the first: no safe way to land it.
                held.append(f"dangerous multi-line command not placed ({why}); "
                            "turn on `shopt -s interactive_comments` to see it")
                continue
            buffer = guarded_buffer(command, why, shell=shell)
        offers.append(Offer(buffer=buffer, level=level, note=_note(cand, level, reasons)))
    total = len(offers)
    for i, offer in enumerate(offers, 1):
        head = f"nlsh {i}/{total} [{offer.level}]" + (f" {label}" if label else "")
        offer.note = _one_line(f"{head} {offer.note}")
    return offers, held


def _note(cand: dict[str, Any], level: str, reasons: list[str]) -> str:
    parts: list[str] = []
    explanation = cand.get("explanation")
    if explanation:
        parts.append(str(explanation))
    if reasons and level != "safe":
        parts.append("(" + "; ".join(reasons) + ")")
    marks = cand.get("marks") or []
    if marks:
        parts.append("[" + "; ".join(str(m) for m in marks) + "]")
    problems = [p for p in cand.get("problems") or [] if p not in marks]
    if not cand.get("valid", True) and problems:
        parts.append("problems: " + "; ".join(str(p) for p in problems))
    if level == "dangerous":
        parts.append("- delete the '# nlsh' prefix to run it")
    return " ".join(parts)


def read_error_file(path: str | None) -> str | None:
    """The tail of the captured stderr, if the file is ours and a regular file."""
    if not path:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if info.st_uid != os.getuid() or not stat.S_ISREG(info.st_mode):
            return None
        os.lseek(fd, max(0, info.st_size - ERROR_TAIL * 4), os.SEEK_SET)
        data = os.read(fd, ERROR_TAIL * 4)
    finally:
        os.close(fd)
    text = data.decode("utf-8", "replace").strip()
    return text[-ERROR_TAIL:] or None


def last_command_from_env(environ: Mapping[str, str]) -> LastCommand:
    status_text = environ.get("NLSH_LAST_STATUS", "").strip()
    status = int(status_text) if status_text.lstrip("-").isdigit() else None
    command = environ.get("NLSH_LAST_COMMAND", "").strip() or None
    error = read_error_file(environ.get("NLSH_LAST_ERROR_FILE"))
    return LastCommand(command=command, status=status, error=error)


def suggest_payload(request: str, *, shell: str, mode: str, last: LastCommand,
                    shown: int | None, history_pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The `suggest` payload, as `SuggestRequest.to_dict()` writes it (without importing the
    pipeline module, which pulls in the parser: this process must start fast)."""
    from nlsh.context import gather_context

    context = gather_context(
        shell_path=shell, last_command=last.command, last_exit_status=last.status,
        last_error=last.error)
    return {
        "request": request,
        "context": context.to_dict(),
        "samples": None,
        "shown": shown,
        "mode": mode,
        "conversation": [],
        "history_pairs": [list(p) for p in history_pairs],
    }


def _history_pairs(enabled: bool) -> list[tuple[str, str]]:
    if not enabled:
        return []
    try:
        from nlsh.history import History

        history = History(notify=lambda _message: None)
        try:
            return history.accepted_pairs(limit=200)
        finally:
            history.close()
    except Exception:  # history is a hint for retrieval; never fail the key press over it
        return []


def answer(shell: str, buffer: str, last: LastCommand, *, comments: bool = True,
           settings: Any = None, key: str = "the nlsh key",
           known: Collection[str] = (), spinner: str | None = None) -> WidgetAnswer:
    """What the key press should do; never raises (errors become a message).

    A line that is already a command is left as typed; if it fails validation the answer
    offers fixes, each labelled with the problem it fixes. `known` are names the user's shell
    resolves that this process cannot (an alias or function typed as the first word)."""
    request = buffer.strip()
    fixing: list[str] = []
    if request:
        mode = "suggest"
        try:
            verdict = command_verdict(request, shell, known)
        except Exception as exc:  # never fail the key press over the check itself
            return WidgetAnswer("message", f"nlsh: {_error_text(exc)}")
        if verdict is not None and not verdict:
            return WidgetAnswer("message", _one_line(
                f"nlsh: already a command ({_one_line(request, 60)}), left as typed; "
                f"press {key} on an English request"))
        if verdict:
            fixing = verdict
            mode = "fix"
            last = LastCommand(command=request, status=1,
                               error="nlsh's check found: " + "; ".join(verdict))
            request = ""
    elif last.failed:
        mode = "fix"
    else:
        return WidgetAnswer("message", "nlsh: type what you want in English, then press the key "
                                       "(on an empty line it fixes the last failed command)")
    notices: list[str] = []
    try:
        from nlsh.config import ConfigError, load_settings

        settings = settings if settings is not None else load_settings()
        payload = suggest_payload(request, shell=shell, mode=mode, last=last,
                                  shown=settings.shown,
                                  history_pairs=_history_pairs(settings.history))
        shown = Spinner.open(spinner)
        try:
            result = _call(settings, payload, notices, shown)
        finally:
            if shown is not None:
                shown.stop()
    except ConfigError as exc:
        return WidgetAnswer("message", f"nlsh: {exc}")
    except Exception as exc:  # the user is at a prompt: one line, never a traceback
        return WidgetAnswer("message", f"nlsh: {_error_text(exc)}")
    return answer_from(list(result.get("candidates") or []), shell=shell, comments=comments,
                       notices=notices, fixing=fixing, typed=buffer)


def answer_from(candidates: list[dict[str, Any]], *, shell: str, comments: bool,
                notices: list[str], fixing: list[str], typed: str) -> WidgetAnswer:
    """The answer for the pipeline's candidates. `fixing`: the problems of the command the
    user typed (the candidates are fixes for them); `notices`: what the client said."""
    if fixing:
        same = " ".join(typed.split())
        candidates = [c for c in candidates if " ".join(str(c.get("command", "")).split()) != same]
    offers, held = offers_from(candidates, shell=shell, comments=comments,
                               label=f"fix for: {'; '.join(fixing)} -" if fixing else "")
    header = " ".join(notices)
    if not offers:
        why = "; ".join(held) if held else "no command came out for this request"
        if fixing:
            why = f"{typed.strip()} fails the check ({'; '.join(fixing)}); no fix came out"
        return WidgetAnswer("message", _one_line(f"nlsh: {why} {header}".strip()))
    if header:
        offers[0].note = _one_line(f"{offers[0].note} ({header})")
    if held:
        offers[0].note = _one_line(f"{offers[0].note}; {len(held)} held back")
    return WidgetAnswer("ok", header, offers)


def command_verdict(line: str, shell: str, known: Collection[str] = ()) -> list[str] | None:
    """None when `line` is an English request; when it is already a command, what is wrong
    with it on this machine (empty: nothing, leave it alone)."""
    from nlsh import linekind

    if not linekind.first_word_may_be_command(line, known):
        return None  # most requests stop here, before the parser is loaded
    if not linekind.classify(line, os.getcwd(), known).is_command:
        return None
    from nlsh.context import gather_context
    from nlsh.validation import validate

    context = gather_context(shell_path=shell)
    # No request: files the line names must exist (the line is not the user describing them).
    problems = validate(line, context).problems
    first = line.split()[0]
    if first in known:  # an alias or function this process cannot see: not "not found"
        problems = [p for p in problems if not p.startswith(f"{first}: command not found")]
    return problems


def _call(settings: Any, payload: dict[str, Any], notices: list[str],
          spinner: Spinner | None = None) -> dict[str, Any]:
    def first(answer: dict[str, Any]) -> None:
        # Shown on the spinner only: the line is changed once, with the ranked top, so
        # cycling never meets the greedy answer after the ranked set has replaced it.
        if spinner is not None:
            from nlsh.display import first_guess_text

            spinner.first = first_guess_text(answer)

    if not settings.use_daemon:
        from nlsh.pipeline import Pipeline

        if spinner is not None:
            spinner.state = "loading the model and thinking"

        return Pipeline(settings).handle("suggest", payload, on_first=first)
    from nlsh.daemon.client import DaemonClient

    def said(message: str) -> None:
        notices.append(message)
        if spinner is not None:
            spinner.state = message.rstrip("…. ")

    def waiting(state: str, _elapsed: float) -> None:
        if spinner is not None:
            spinner.state = WAIT_STATES.get(state, state)

    client = DaemonClient(settings, progress=said, waiting=waiting, on_first=first)
    return client.call("suggest", payload)


WAIT_STATES = {"queued": "waiting for another request to finish",
               "loading": "loading the model", "working": "thinking"}


class Spinner:
    """A spinner with the seconds waited, drawn on the terminal while the key's helper waits
    (the shell shows nothing else meanwhile). `where`: "line" draws over the prompt line
    (bash and fish redraw it afterwards), "below" on the line under it (zsh's message line,
    which `zle -R` has already opened). Erased before the answer is printed."""

    FRAMES = "|/-\\"
    TICK_S = 0.1

    def __init__(self, tty: Any, where: str) -> None:
        import threading
        import time

        self.tty = tty
        self.where = where
        self.state = "waiting for the model daemon"
        self.first: str | None = None  # the greedy answer's line, once it exists
        self.started = time.monotonic()
        self._clock = time.monotonic
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nlsh-spinner", daemon=True)

    @classmethod
    def open(cls, where: str | None) -> Spinner | None:
        if where not in ("line", "below"):
            return None
        try:
            tty = open("/dev/tty", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError:  # no terminal (a test, a pipe): nothing to draw on
            return None
        spinner = cls(tty, where)
        spinner._thread.start()
        return spinner

    def text(self, tick: int) -> str:
        elapsed = self._clock() - self.started
        frame = self.FRAMES[tick % len(self.FRAMES)]
        if self.first is not None:  # one terminal line: a wrapped one would not be erased
            clock = f"… {elapsed:.0f} s"
            room = max(10, self._columns() - 9 - len(clock))
            first = self.first[:room]  # cut short, it ends in the clock's "…" all the same
            return f"{frame} nlsh: {first}{clock}"
        return f"{frame} nlsh: {self.state}… {elapsed:.0f} s"

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.tty.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return 80

    def _draw(self, text: str) -> None:
        if self.where == "below":  # save the cursor, one line down, draw, restore
            self.tty.write(f"\0337\033[1B\r\033[K{text}\0338")
        else:
            self.tty.write(f"\r\033[K{text}")
        self.tty.flush()

    def _run(self) -> None:
        tick = 0
        while not self._done.wait(self.TICK_S):
            tick += 1
            try:
                self._draw(self.text(tick))
            except OSError:
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        try:
            self._draw("")
            self.tty.close()
        except OSError:
            pass


def _error_text(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nlsh _widget")
    parser.add_argument("--shell", choices=SHELLS, required=True)
    parser.add_argument("--no-comments", action="store_true",
                        help="the shell does not treat # as a comment at the prompt")
    parser.add_argument("--key", default="the nlsh key", help="the key's name, for messages")
    parser.add_argument("--spinner", choices=("line", "below"),
                        help="draw a spinner with the seconds waited on the terminal: over the "
                             "prompt line, or on the line below it")
    args = parser.parse_args(argv)
    environ = os.environ
    known = environ.get("NLSH_WIDGET_KNOWN", "").split()
    try:
        result = answer(args.shell, environ.get("NLSH_WIDGET_BUFFER", ""),
                        last_command_from_env(environ), comments=not args.no_comments,
                        key=args.key, known=known, spinner=args.spinner)
    except KeyboardInterrupt:  # Ctrl-C while waiting: the line stays as typed
        result = WidgetAnswer("message", "nlsh: interrupted")
    out = sys.stdout.buffer
    out.write(result.encode())
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The candidate menu: pick a candidate (arrows or a digit), then an action key.

Inline, not full screen: it draws below the cursor, fits the terminal's width (long commands
wrap under themselves, explanations are cut to one line) and height (less important lines go
first), and erases itself when done, so the scrollback keeps only what was chosen and run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.styles import Style

from nlsh.records import Candidate, Level
from nlsh.tui.render import BADGE_WIDTH, blast_radius_line, clip, printable, wrap

ONESHOT_ACTIONS = {
    "enter": "run", "e": "edit", "x": "explain", "p": "preview", "c": "copy",
    "q": "cancel", "escape": "cancel", "c-c": "interrupt", "c-d": "cancel",
}
SESSION_ACTIONS = {**ONESHOT_ACTIONS, "r": "revise"}
HINTS = {"run": "Enter run", "edit": "e edit", "explain": "x explain", "preview": "p preview",
         "copy": "c copy", "revise": "r revise", "cancel": "q back"}  # in the order shown
STYLE = Style.from_dict({
    "safe": "bold ansigreen", "caution": "bold ansiyellow", "dangerous": "bold ansired",
    "blocked": "bold ansiwhite bg:ansired", "command": "ansicyan", "selected": "bold",
    "explanation": "ansibrightblack", "hint": "ansibrightblack", "invalid": "ansired",
    "mark": "ansiyellow",
    "rule": "ansibrightblack",
})
# Esc must answer at once; 50 ms still keeps arrow keys (ESC [ A) whole over ssh.
ESCAPE_DELAY_S = 0.05
MAX_SELECTED_COMMAND_LINES = 8
MAX_OTHER_COMMAND_LINES = 2

Line = list[tuple[str, str]]


@dataclass
class Choice:
    index: int
    action: str  # run, edit, explain, preview, copy, revise, cancel (q/Esc), interrupt (Ctrl-C)


@dataclass
class _Row:
    """One screen line of the menu and how much it may be dropped when space is short."""

    fragments: Line
    drop_rank: int  # 0 never dropped; higher ranks go first


def hint_lines(actions: dict[str, str], count: int, width: int) -> list[str]:
    """The key help under the menu, wrapped between items to the terminal's width."""
    offered = set(actions.values())
    items = [f"↑↓/1-{min(count, 9)}"] if count > 1 else []
    items += [text for name, text in HINTS.items() if name in offered]
    lines: list[str] = []
    current = ""
    for item in items:
        joined = f"{current}  {item}" if current else item
        if current and len(joined) + 2 > width:
            lines.append(current)
            current = item
        else:
            current = joined
    lines.append(current)
    return [clip(" " + line, width - 1) for line in lines]


def _candidate_rows(index: int, cand: Candidate, here: bool, width: int, count: int,
                    details: bool) -> list[_Row]:
    number_width = len(str(count))
    prefix = f"{'❯' if here else ' '} {index + 1:>{number_width}}. "
    label = cand.risk.level.label
    indent = " " * (len(prefix) + BADGE_WIDTH + 1)
    room = max(width - len(indent) - 1, 10)
    lines = wrap(printable(cand.command), room)
    limit = MAX_SELECTED_COMMAND_LINES if here else MAX_OTHER_COMMAND_LINES
    if len(lines) > limit:
        lines = [*lines[: limit - 1], clip(lines[limit - 1] + " …", room)]
    command_style = "class:command class:selected" if here else "class:command"
    rows = [_Row([("class:selected" if here else "", prefix),
                  (f"class:{label}", f"[{label}]"),
                  ("", " " * (BADGE_WIDTH - len(label) - 1)),
                  (command_style, lines[0])], 0 if here else 1)]
    rows += [_Row([("", indent), (command_style, line)], 0 if here else 3) for line in lines[1:]]
    if cand.marks:  # "goes beyond the request", "needs cpio (not installed; ...)"
        rows.append(_Row([("", indent), ("class:mark", clip(printable("; ".join(cand.marks)),
                                                            room))], 2 if here else 4))
    unmarked = [p for p in cand.problems if p not in cand.marks]
    if not cand.valid and unmarked:
        problems = "failed checks: " + "; ".join(unmarked)
        rows.append(_Row([("", indent), ("class:invalid", clip(printable(problems), room))],
                         2 if here else 4))
    if cand.explanation and not (here and details):  # else the panel shows all of it
        text = clip(printable(cand.explanation), max(width - 6, 10))
        rows.append(_Row([("class:explanation", "     " + text)], 2 if here else 4))
    return rows


def _detail_rows(cand: Candidate, width: int, details: bool) -> list[_Row]:
    """The panel under the list: the selected candidate's risk, blast radius, explanation."""
    rows: list[_Row] = []
    level = cand.risk.level
    room = max(width - 4, 10)
    if level >= Level.CAUTION or details:
        reasons = cand.risk.reasons if details or level >= Level.DANGEROUS \
            else cand.risk.reasons[:1]
        mark = "⚠ " if level >= Level.CAUTION else ""
        for reason in reasons[:4]:
            style = f"class:{level.label}" if level >= Level.CAUTION else "class:explanation"
            rows.append(_Row([(style, clip(f"  {mark}{printable(reason)}", width - 1))], 2))
    if cand.risk.blast_radius is not None and (details or level >= Level.DANGEROUS):
        line = "  blast radius: " + blast_radius_line(cand.risk.blast_radius)
        rows += [_Row([("class:explanation", part)], 2) for part in wrap(line, width - 1)[:2]]
    if details and cand.explanation:
        parts = wrap(printable(cand.explanation), room)
        rows += [_Row([("class:explanation", "  " + part)], 5) for part in parts[:4]]
    if rows:  # the rule goes when the last of the panel's lines goes
        rule_rank = min(row.drop_rank for row in rows)
        rows.insert(0, _Row([("class:rule", "─" * max(min(width - 1, 60), 1))], rule_rank))
    return rows


def menu_lines(candidates: list[Candidate], selected: int, actions: dict[str, str],
               details: bool, width: int, height: int) -> list[Line]:
    """The menu's screen lines for a `width` x `height` terminal."""
    rows: list[_Row] = []
    for i, cand in enumerate(candidates):
        rows += _candidate_rows(i, cand, i == selected, width, len(candidates), details)
    rows += _detail_rows(candidates[selected], width, details)
    rows += [_Row([("class:hint", line)], 0) for line in hint_lines(actions, len(candidates),
                                                                     width)]
    budget = max(height - 1, 1)  # one line stays for the cursor row below
    for rank in (5, 4, 3, 2, 1):  # a whole kind of line at a time, so rows stay alike
        if len(rows) > budget:
            rows = [row for row in rows if row.drop_rank != rank]
    return [row.fragments for row in rows]


def _fragments(candidates: list[Candidate], selected: int, actions: dict[str, str],
               details: bool) -> FormattedText:
    size = get_app().output.get_size()
    lines = menu_lines(candidates, selected, actions, details, size.columns, size.rows)
    out: list[tuple[str, str]] = []
    for n, line in enumerate(lines):
        if n:
            out.append(("", "\n"))
        out += line
    return FormattedText(out)


def quiet_cpr(app: Application[Any]) -> None:
    """No 'terminal doesn't support CPR' warning: it would repeat with every menu and prompt."""
    app.renderer.cpr_not_supported_callback = None


def choose(candidates: list[Candidate], selected: int = 0,
           actions: dict[str, str] | None = None, details: bool = False) -> Choice:
    """Run the menu on the terminal; returns the chosen candidate and action."""
    actions = actions or ONESHOT_ACTIONS
    state = {"selected": min(max(selected, 0), len(candidates) - 1)}
    result: dict[str, Choice] = {}
    bindings = KeyBindings()

    def move(step: int) -> None:
        state["selected"] = (state["selected"] + step) % len(candidates)

    for key in ("up", "k", "s-tab"):
        bindings.add(key)(lambda event: move(-1))
    for key in ("down", "j", "tab"):
        bindings.add(key)(lambda event: move(1))

    def pick_digit(event: KeyPressEvent) -> None:
        number = int(event.key_sequence[0].key)
        if 1 <= number <= len(candidates):
            state["selected"] = number - 1

    for digit in "123456789":
        bindings.add(digit)(pick_digit)

    def finish(action: str) -> None:
        def handler(event: KeyPressEvent) -> None:
            result["choice"] = Choice(state["selected"], action)
            event.app.exit()
        for key in [k for k, a in actions.items() if a == action]:
            bindings.add(key, eager=key == "escape")(handler)

    for action in dict.fromkeys(actions.values()):
        finish(action)

    control = FormattedTextControl(
        lambda: _fragments(candidates, state["selected"], actions, details), show_cursor=False)
    app: Application[None] = Application(
        layout=Layout(Window(control, wrap_lines=False, dont_extend_height=True)),
        key_bindings=bindings, style=STYLE, full_screen=False, erase_when_done=True,
        mouse_support=False,
    )
    app.ttimeoutlen = ESCAPE_DELAY_S
    quiet_cpr(app)
    app.run()
    return result.get("choice", Choice(state["selected"], "cancel"))


def edit_line(command: str, message: str = "edit> ") -> str | None:
    """A pre-filled, editable line (no history). None when the user cancels (Ctrl-C/Ctrl-D)."""
    from prompt_toolkit import PromptSession

    session: PromptSession[str] = PromptSession(message)
    quiet_cpr(session.app)
    try:
        return session.prompt(default=command)
    except (KeyboardInterrupt, EOFError):
        return None


def ask_line(message: str) -> str:
    """A plain confirmation question; Ctrl-C / Ctrl-D count as 'no'."""
    from prompt_toolkit import PromptSession

    session: PromptSession[str] = PromptSession(message)
    quiet_cpr(session.app)
    try:
        return session.prompt()
    except (KeyboardInterrupt, EOFError):
        return "\x03"

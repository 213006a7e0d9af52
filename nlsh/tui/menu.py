"""The one-shot menu: pick a candidate (arrows or a digit), then an action key.

Inline (not full screen): it draws below the prompt and erases itself when done, so the
terminal's scrollback keeps only what was run.
"""

from __future__ import annotations

from dataclasses import dataclass

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.styles import Style

from nlsh.records import Candidate, Level
from nlsh.tui.render import blast_radius_line

ONESHOT_ACTIONS = {
    "enter": "run", "e": "edit", "c": "copy", "x": "explain", "p": "preview",
    "q": "cancel", "escape": "cancel", "c-c": "cancel", "c-d": "cancel",
}
SESSION_ACTIONS = {**ONESHOT_ACTIONS, "r": "revise"}
HINTS = {"run": "Enter run", "edit": "e edit", "copy": "c copy", "explain": "x explain",
         "preview": "p preview", "revise": "r revise", "cancel": "q back"}
STYLE = Style.from_dict({
    "safe": "bold ansigreen", "caution": "bold ansiyellow", "dangerous": "bold ansired",
    "blocked": "bold ansiwhite bg:ansired", "command": "ansicyan", "selected": "bold",
    "explanation": "ansibrightblack", "hint": "ansibrightblack italic", "invalid": "ansired",
})


@dataclass
class Choice:
    index: int
    action: str  # "run" | "edit" | "copy" | "explain" | "preview" | "cancel"


def hint(actions: dict[str, str]) -> str:
    names = dict.fromkeys(actions.values())
    return " ↑/↓ or 1-9 pick · " + " · ".join(HINTS[name] for name in names if name in HINTS)


def _fragments(candidates: list[Candidate], selected: int, actions: dict[str, str],
               details: bool) -> FormattedText:
    out: list[tuple[str, str]] = []
    for i, cand in enumerate(candidates):
        here = i == selected
        out.append(("class:selected" if here else "", f"{'❯' if here else ' '} {i + 1}. "))
        out.append((f"class:{cand.risk.level.label}", f"[{cand.risk.level.label}]"))
        out.append(("", " "))
        out.append(("class:command class:selected" if here else "class:command", cand.command))
        if not cand.valid:
            out.append(("class:invalid", "  (failed checks: " + "; ".join(cand.problems) + ")"))
        out.append(("", "\n"))
        if cand.explanation:
            out.append(("class:explanation", "     " + cand.explanation[:150] + "\n"))
        if here and cand.risk.level >= Level.CAUTION:
            reasons = cand.risk.reasons if details else cand.risk.reasons[:1]
            for reason in reasons:
                out.append((f"class:{cand.risk.level.label}", f"     ⚠ {reason}\n"))
            if details and cand.risk.blast_radius is not None:
                line = blast_radius_line(cand.risk.blast_radius)
                out.append(("class:explanation", f"     blast radius: {line}\n"))
    out.append(("class:hint", hint(actions)))
    return FormattedText(out)


def choose(candidates: list[Candidate], selected: int = 0,
           actions: dict[str, str] | None = None, details: bool = False) -> Choice:
    """Run the menu on the terminal; returns the chosen candidate and action."""
    actions = actions or ONESHOT_ACTIONS
    state = {"selected": selected}
    result: dict[str, Choice] = {}
    bindings = KeyBindings()

    def move(step: int) -> None:
        state["selected"] = (state["selected"] + step) % len(candidates)

    bindings.add("up")(lambda event: move(-1))
    bindings.add("k")(lambda event: move(-1))
    bindings.add("down")(lambda event: move(1))
    bindings.add("j")(lambda event: move(1))
    bindings.add("tab")(lambda event: move(1))

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
        layout=Layout(Window(control, wrap_lines=True, dont_extend_height=True)),
        key_bindings=bindings, style=STYLE, full_screen=False, erase_when_done=True,
        mouse_support=False,
    )
    app.run()
    return result.get("choice", Choice(state["selected"], "cancel"))


def edit_line(command: str, message: str = "edit> ") -> str | None:
    """A pre-filled, editable line (history-less). None when the user cancels."""
    from prompt_toolkit import prompt

    try:
        return prompt(message, default=command)
    except (KeyboardInterrupt, EOFError):
        return None


def ask_line(message: str) -> str:
    """A plain confirmation question; Ctrl-C / Ctrl-D count as 'no'."""
    from prompt_toolkit import prompt

    try:
        return prompt(message)
    except (KeyboardInterrupt, EOFError):
        return "\x03"

"""Showing explanations: explainshell-style in a terminal, or one line for a candidate list."""

from __future__ import annotations

import re
import textwrap

from rich.console import Console
from rich.text import Text

from nlsh.display import printable, printable_char
from nlsh.explain.explainer import explain, explain_parts, syntax_problem
from nlsh.explain.manpage import first_sentence
from nlsh.records import ExplainedPart, Explanation

ONE_LINE_LIMIT = 160
SEPARATOR = " · "
MAX_WIDTH = 100
LABEL_WIDTH = 18
HELP_LINES = 4
PALETTE = ("cyan", "green", "magenta", "yellow", "blue", "bright_red", "bright_cyan",
           "bright_green")
_PRIMARY_KINDS = frozenset({"program", "subcommand", "option", "argument", "operator",
                            "redirect", "glob", "variable", "assignment"})


# -- one line ----------------------------------------------------------------------------------

def one_line(command: str, limit: int = ONE_LINE_LIMIT) -> str:
    """`find: search for files in a directory hierarchy · -name: Base of file name matches…`

    Each program's NAME line and the first sentence of each option's entry, shortened
    (parentheticals dropped, then cut) until the whole line fits in `limit` characters."""
    items = _one_line_items(command)
    for program_width, option_width in ((90, 60), (80, 52), (70, 45), (60, 38), (50, 30),
                                        (40, 22)):
        line = SEPARATOR.join(_item(label, text, program_width if kind != "option"
                                    else option_width) for kind, label, text in items)
        if len(line) <= limit:
            return line
    # Still too long: every item as a bare label, then descriptions added back while they
    # fit, programs before options.
    pieces = [_item(label, text, 0) for _, label, text in items]
    order = sorted(range(len(items)), key=lambda n: (items[n][0] == "option", n))
    for n in order:
        kind, label, text = items[n]
        trial = [*pieces[:n], _item(label, text, 35 if kind != "option" else 22), *pieces[n + 1:]]
        if len(SEPARATOR.join(trial)) <= limit:
            pieces = trial
    return _truncate(SEPARATOR.join(pieces), limit)


def _one_line_items(command: str) -> list[tuple[str, str, str | None]]:
    """(kind, label, help) for each program, subcommand and distinct option."""
    items: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    program_at = -1  # the item of the program the next subcommand belongs to
    for part in explain_parts(command, constructs=False):
        if part.kind == "program":
            program_at = len(items)
            items.append(("program", part.text, part.help))
        elif part.kind == "subcommand" and program_at >= 0:
            # `git -C repo log`: "git log: Show commit logs", the global option after it.
            label = items[program_at][1]
            items[program_at] = ("subcommand", f"{label} {part.text}", part.help)
        elif part.kind == "option":
            label = part.text.split(" ", 1)[0]
            if label not in seen:
                seen.add(label)
                items.append(("option", label, part.help))
    return items


def _item(label: str, text: str | None, width: int) -> str:
    if text is None:
        return f"{label}: no documentation found"
    if width == 0:
        return label if text is not None else f"{label}: ?"
    return f"{label}: {_brief(text, width)}"


def _brief(text: str, limit: int) -> str:
    sentence = first_sentence(text, 400)
    sentence = re.sub(r"\s*\([^()]*\)", "", sentence).strip()  # "(the path with ... removed)"
    if sentence.endswith(".") and not sentence.endswith(("..", " .")):
        sentence = sentence[:-1]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(SEPARATOR)
    if boundary > limit // 2:
        return cut[:boundary] + SEPARATOR.rstrip() + " …"
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:·") + "…"


# -- the full picture --------------------------------------------------------------------------

def render(explanation: Explanation | str, console: Console) -> None:
    """The command with each part underlined in its colour, then each part's documentation
    (wrapped to the console, at most 100 columns) and where it comes from."""
    if isinstance(explanation, str):
        command, parts = explanation, explain(explanation)
        problem = syntax_problem(command)
    else:
        command, parts = explanation.command, explanation.parts
        problem = explanation.problem
    width = max(40, min(console.width, MAX_WIDTH))
    if problem is not None:  # what follows is a guess at what was meant: say so first
        console.print(Text(f"warning: {problem}; what follows explains it as far as it "
                           "goes.", style="bold yellow"), soft_wrap=True, highlight=False)
    chars = _char_offsets(command)
    colours = _assign_colours(parts)
    _print_command(command, parts, colours, chars, width, console)
    label_width = min(LABEL_WIDTH, max((len(_label(p)) for p in parts), default=8))
    for index, part in enumerate(parts):
        _print_part(part, colours.get(index, "white"), label_width, width, console)


def _char_offsets(command: str) -> list[int]:
    """Byte offset -> character index (the parser counts bytes, the terminal characters)."""
    mapping: list[int] = []
    for index, ch in enumerate(command):
        mapping.extend([index] * len(ch.encode("utf-8", "surrogateescape")))
    mapping.append(len(command))
    return mapping


def _to_char(chars: list[int], offset: int) -> int:
    return chars[min(max(offset, 0), len(chars) - 1)]


def _assign_colours(parts: list[ExplainedPart]) -> dict[int, str]:
    """One colour per part, cycling; primary parts (the ones underlined) first."""
    colours: dict[int, str] = {}
    for n, (index, _) in enumerate(sorted(enumerate(parts), key=lambda x: x[1].start)):
        colours[index] = PALETTE[n % len(PALETTE)]
    return colours


def _underlined(parts: list[ExplainedPart]) -> list[int]:
    """Indices of parts to underline: primary kinds, first come first served, no overlaps."""
    taken: list[tuple[int, int]] = []
    chosen: list[int] = []
    for index, part in enumerate(parts):
        if part.kind not in _PRIMARY_KINDS or part.end <= part.start:
            continue
        if any(part.start < end and start < part.end for start, end in taken):
            continue
        taken.append((part.start, part.end))
        chosen.append(index)
    return chosen


def _print_command(command: str, parts: list[ExplainedPart], colours: dict[int, str],
                   chars: list[int], width: int, console: Console) -> None:
    # Each character as it is shown: controls and invisible marks spelled out (\u202e), so
    # the underline is laid out over the shown text, character index -> shown offset.
    shown = [printable_char(ch) for ch in command]
    at = [0]
    for piece in shown:
        at.append(at[-1] + len(piece))
    line = Text("".join(shown))
    marks = [" "] * at[-1]
    mark_styles: list[str | None] = [None] * at[-1]
    for index in _underlined(parts):
        part = parts[index]
        start, end = at[_to_char(chars, part.start)], at[_to_char(chars, part.end)]
        style = colours[index]
        line.stylize(f"bold {style}", start, end)
        for k in range(start, end):
            marks[k] = "─" if k > start else "┬" if end - start > 1 else "│"
            mark_styles[k] = style
    underline = Text()
    for ch, mark_style in zip(marks, mark_styles, strict=True):
        underline.append(ch, style=mark_style or "")
    for begin in range(0, max(at[-1], 1), width):
        console.print(line[begin: begin + width], soft_wrap=True, highlight=False)
        console.print(underline[begin: begin + width], soft_wrap=True, highlight=False)


def _label(part: ExplainedPart) -> str:
    text = printable(" ".join(part.text.split()))
    return text if len(text) <= 24 else text[:22] + "…"


def _print_part(part: ExplainedPart, colour: str, label_width: int, width: int,
                console: Console) -> None:
    label = _label(part)
    indent = " " * (label_width + 2)
    help_width = max(20, width - len(indent))
    head = Text(label.ljust(label_width) + "  ", style=f"bold {colour}")
    if part.help is None:
        if part.kind == "argument":
            message = Text("(argument)", style="dim")
        else:
            message = Text(f"no documentation found for {label}", style="yellow")
        first = head.copy()
        first.append_text(message)
        console.print(first, soft_wrap=True, highlight=False)
        return
    lines = _wrap_help(part.help, help_width)
    for n, text in enumerate(lines):
        row = head.copy() if n == 0 else Text(indent)
        if n == 0 and len(label) > label_width:
            console.print(head, soft_wrap=True, highlight=False)
            row = Text(indent)
        row.append(text)
        console.print(row, soft_wrap=True, highlight=False)
    if part.source:
        console.print(Text(indent + part.source, style="dim"), soft_wrap=True, highlight=False)


def _wrap_help(help_text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in help_text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    if len(lines) <= HELP_LINES:
        return lines
    lines = lines[:HELP_LINES]
    last = lines[-1]
    lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines

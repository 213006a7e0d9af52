"""How candidates, risks and blast radii look on the terminal (rich; honours NO_COLOR).

Everything shown here can come from a model, a file name or a command's output, so it is
untrusted: it is printed as `Text` (never parsed as rich markup) and passed through
`printable` first, so control characters, escape sequences and invisible bidi marks are
shown rather than obeyed.
"""

from __future__ import annotations

import re
import sys

from prompt_toolkit.utils import get_cwidth
from rich.console import Console
from rich.text import Text

# printable is re-exported: the TUI's modules and tests import it from here.
from nlsh.display import printable as printable
from nlsh.records import BlastRadius, Candidate, Level, Risk

BADGE_STYLE = {
    Level.SAFE: "bold green",
    Level.CAUTION: "bold yellow",
    Level.DANGEROUS: "bold red",
    Level.BLOCKED: "bold white on red",
}
BADGE_WIDTH = max(len(f"[{level.label}]") for level in Level)

# CSI, OSC (ended by BEL or ST), and two-character escapes: what programs print to style output.
_TERMINAL_CODE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                            r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]")


def plain_output(text: str) -> list[str]:
    """A command's terminal output as plain lines: styles dropped, progress redraws resolved."""
    lines = []
    for raw in _TERMINAL_CODE.sub("", text).replace("\r\n", "\n").split("\n"):
        line = raw.rsplit("\r", 1)[-1]  # what a carriage-return redraw left on screen
        lines.append(printable(line))
    return lines


def cells(text: str) -> int:
    return sum(get_cwidth(ch) for ch in text)


def clip(text: str, width: int) -> str:
    """At most `width` terminal cells, ending in … when cut."""
    if cells(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        w = get_cwidth(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…"


def _take(text: str, width: int) -> tuple[str, str]:
    """The longest head of `text` that fits in `width` cells (at least one character)."""
    used = 0
    for i, ch in enumerate(text):
        used += get_cwidth(ch)
        if used > width:
            return text[: max(i, 1)], text[max(i, 1):]
    return text, ""


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken after spaces where possible, else anywhere."""
    width = max(width, 4)
    lines: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if cells(current + word.rstrip()) <= width:
            current += word
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        while cells(word.rstrip()) > width:
            head, word = _take(word, width)
            lines.append(head)
        current = word
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def badge(level: Level) -> Text:
    return Text(f"[{level.label}]", style=BADGE_STYLE[level])


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{count} B"


def blast_radius_line(blast: BlastRadius) -> str:
    more = "at least " if blast.truncated else ""
    files = f"{blast.files:,} file{'' if blast.files == 1 else 's'}"
    parts = [f"touches {more}{files} ({human_bytes(blast.bytes)})"]
    if blast.git_repositories:
        parts.append(f"{blast.git_repositories} git repositor"
                     f"{'y' if blast.git_repositories == 1 else 'ies'}")
    if blast.includes_home:
        parts.append("includes your home directory")
    if blast.outside_cwd:
        parts.append("reaches outside the current directory")
    return ", ".join(parts)


def risk_lines(risk: Risk) -> list[Text]:
    lines = [Text.assemble(badge(risk.level), " ", printable(reason)) for reason in risk.reasons]
    if not lines:
        lines.append(badge(risk.level))
    if risk.blast_radius is not None:
        lines.append(Text("  blast radius: " + blast_radius_line(risk.blast_radius)))
        shown = [printable(p) for p in risk.blast_radius.paths[:5]]
        if shown:
            more = len(risk.blast_radius.paths) - len(shown)
            lines.append(Text("  targets: " + ", ".join(shown) + (f" (+{more} more)" if more > 0
                                                                   else "")))
    return lines


def print_risk(console: Console, risk: Risk) -> None:
    for line in risk_lines(risk):
        console.print(line, highlight=False)


def say(console: Console, message: str, style: str = "", end: str = "\n") -> None:
    """Print a message that may contain untrusted text: never parsed as markup."""
    console.print(Text(printable(message, newline="\n"), style=style), highlight=False, end=end)


def show_command(console: Console, command: str, prefix: str = "$ ") -> None:
    """The exact command about to be confirmed or run, in full."""
    console.print(Text(prefix + printable(command, newline="\n"), style="bold"), highlight=False)


def candidate_text(index: int, candidate: Candidate, *, selected: bool = False) -> Text:
    marker = "❯" if selected else " "
    text = Text(f"{marker} {index}. ", style="bold" if selected else "")
    text.append_text(badge(candidate.risk.level))
    text.append(" " * (BADGE_WIDTH - len(candidate.risk.level.label) - 1))
    text.append(printable(candidate.command), style="bold cyan" if selected else "cyan")
    if candidate.marks:
        text.append("  [" + printable("; ".join(candidate.marks)) + "]", style="yellow")
    problems = [p for p in candidate.problems if p not in candidate.marks]
    if not candidate.valid and problems:
        text.append("  (failed checks: " + printable("; ".join(problems)) + ")", style="red")
    return text


def print_candidates(console: Console, candidates: list[Candidate]) -> None:
    for i, candidate in enumerate(candidates, start=1):
        console.print(candidate_text(i, candidate), highlight=False)
        if candidate.explanation:
            console.print(Text("     " + printable(candidate.explanation), style="dim"),
                          overflow="ellipsis", no_wrap=True, highlight=False)


def err_console() -> Console:
    """Messages and the spinner go to stderr, so `nlsh ... > file` keeps them on screen."""
    return Console(stderr=True, highlight=False)


def out_console() -> Console:
    return Console(highlight=False)


def spinner_console() -> Console | None:
    """Where the 'thinking…' spinner may draw: stderr, only when it is a terminal."""
    return err_console() if sys.stderr.isatty() else None

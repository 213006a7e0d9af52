"""How candidates, risks and blast radii look on the terminal (rich; honours NO_COLOR)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from nlsh.records import BlastRadius, Candidate, Level, Risk

BADGE_STYLE = {
    Level.SAFE: "bold green",
    Level.CAUTION: "bold yellow",
    Level.DANGEROUS: "bold red",
    Level.BLOCKED: "bold white on red",
}


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
    parts = [f"touches {more}{blast.files:,} files ({human_bytes(blast.bytes)})"]
    if blast.git_repositories:
        parts.append(f"{blast.git_repositories} git repositor"
                     f"{'y' if blast.git_repositories == 1 else 'ies'}")
    if blast.includes_home:
        parts.append("includes your home directory")
    if blast.outside_cwd:
        parts.append("reaches outside the current directory")
    return ", ".join(parts)


def risk_lines(risk: Risk) -> list[Text]:
    lines = [Text.assemble(badge(risk.level), " ", reason) for reason in risk.reasons]
    if not lines:
        lines.append(badge(risk.level))
    if risk.blast_radius is not None:
        lines.append(Text("  blast radius: " + blast_radius_line(risk.blast_radius)))
    return lines


def print_risk(console: Console, risk: Risk) -> None:
    for line in risk_lines(risk):
        console.print(line)


def candidate_text(index: int, candidate: Candidate, *, selected: bool = False) -> Text:
    marker = "❯" if selected else " "
    text = Text(f"{marker} {index}. ", style="bold" if selected else "")
    text.append_text(badge(candidate.risk.level))
    text.append(" ")
    text.append(candidate.command, style="bold cyan" if selected else "cyan")
    if not candidate.valid:
        text.append("  (unchecked: " + "; ".join(candidate.problems) + ")", style="red")
    return text


def print_candidates(console: Console, candidates: list[Candidate]) -> None:
    for i, candidate in enumerate(candidates, start=1):
        console.print(candidate_text(i, candidate))
        if candidate.explanation:
            console.print(Text("     " + candidate.explanation, style="dim"), overflow="ellipsis",
                          no_wrap=True)

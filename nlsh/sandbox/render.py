"""Human output for a preview, with rich (imported here only, so JSON callers never load it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlsh.sandbox.preview import PreviewResult

if TYPE_CHECKING:
    from rich.console import Console

MAX_OUTPUT_LINES = 40
MAX_CHANGE_ROWS = 50
_KIND_STYLE = {"added": "green", "modified": "yellow", "deleted": "red"}
_KIND_MARK = {"added": "+", "modified": "~", "deleted": "-"}


def human_bytes(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def render_preview(result: PreviewResult, console: Console, *, offer: bool = False) -> None:
    """`offer`: the caller will offer to apply replayable changes right after."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    if not result.supported:
        console.print(f"[bold red]Cannot preview:[/] {escape(result.reason or 'unknown reason')}")
        for limit in result.limits:
            console.print(f"  [dim]{escape(limit)}[/]")
        return
    status = (f"[bold red]stopped by the sandbox's limit on {escape(result.limits_hit[0])}[/]"
              if result.limits_hit
              else "[yellow]stopped (timeout)[/]" if result.timed_out
              else f"exit {result.exit_code}" if result.exit_code == 0
              else f"[red]exit {result.exit_code}[/]")
    console.print(f"[bold]Preview[/] ({escape(result.mechanism)} sandbox): {status}")
    if result.output:
        lines = result.output.splitlines()
        shown = "\n".join(lines[:MAX_OUTPUT_LINES])
        if len(lines) > MAX_OUTPUT_LINES or result.output_truncated:
            shown += "\n…"
        console.print(Panel(Text(shown), title="output", title_align="left", expand=False))
    if result.changes:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("", width=1)
        table.add_column("path")
        table.add_column("size", justify="right")
        table.add_column("", style="dim")
        for change in result.changes[:MAX_CHANGE_ROWS]:
            style = _KIND_STYLE[change.kind]
            path = change.path + ("/" if change.type == "dir" else "")
            note = change.detail if change.kind == "modified" and change.detail != "content" \
                else ("" if change.type in ("file", "dir") else change.type)
            table.add_row(Text(_KIND_MARK[change.kind], style=style), Text(path, style=style),
                          human_bytes(change.bytes), note or "")
        console.print(table)
        more = len(result.changes) - MAX_CHANGE_ROWS
        if more > 0 or result.changes_truncated:
            console.print(f"[dim]… and {max(more, 0)} more"
                          f"{' (list truncated)' if result.changes_truncated else ''}[/]")
        counts = {k: sum(c.kind == k for c in result.changes) for k in _KIND_STYLE}
        console.print("[dim]" + ", ".join(f"{n} {k}" for k, n in counts.items() if n) + "[/]")
    else:
        console.print("[dim]No files would change.[/]")
    for limit in result.limits:
        console.print(f"[dim]• {escape(limit)}[/]")
    if result.recommendation == "replay" and offer:
        console.print(f"[bold green]Can apply these changes exactly[/]: "
                      f"{escape(result.recommendation_reason or '')}")
    elif result.recommendation == "replay":  # nobody to ask: claim nothing that won't happen
        console.print("[bold]Nothing was applied[/]: run the command itself to make these "
                      "changes.")
    elif result.recommendation == "run":
        console.print(f"[bold]Run it for real to get its effects[/]: "
                      f"{escape(result.recommendation_reason or '')}")

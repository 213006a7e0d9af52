"""How the menu and messages are laid out: widths, heights, untrusted text. No terminal needed."""

from __future__ import annotations

import io

from prompt_toolkit.utils import get_cwidth
from rich.console import Console

from nlsh.records import BlastRadius, Candidate, Level, Risk
from nlsh.tui import menu, render

LONG = ("find . -type f -name '*.log' -mtime +30 -size +1M -exec gzip -9 --keep {} \\; "
        "-printf '%p compressed\\n' | tee compressed-files.txt | wc -l")


def cand(command: str, level: Level = Level.SAFE, explanation: str | None = "what it does",
         **risk: object) -> Candidate:
    return Candidate(command=command, score=-1.0, mean_logprob=-1.0,
                     risk=Risk(level, **risk),  # type: ignore[arg-type]
                     explanation=explanation)


def text_of(line: list[tuple[str, str]]) -> str:
    return "".join(fragment for _, fragment in line)


def width_of(line: list[tuple[str, str]]) -> int:
    return sum(get_cwidth(ch) for ch in text_of(line))


def test_a_long_selected_command_wraps_under_itself_within_80_columns() -> None:
    lines = menu.menu_lines([cand(LONG), cand("ls -lhS")], 0, menu.ONESHOT_ACTIONS,
                            details=False, width=80, height=24)
    texts = [text_of(line) for line in lines]
    assert all(width_of(line) <= 80 for line in lines), texts
    assert texts[0].startswith("❯ 1. [safe]")
    indent = texts[0].index("find")
    wrapped = [t for t in texts[1:] if t.startswith(" " * indent) and t.strip()]
    shown = " ".join([texts[0][indent:], *(t.strip() for t in wrapped[:3])])
    assert " ".join(shown.split()) == " ".join(LONG.split())  # nothing of it is lost
    assert any(t.startswith("  2. [safe]") for t in texts)


def test_other_long_commands_are_cut_to_two_lines() -> None:
    lines = menu.menu_lines([cand("ls"), cand(LONG)], 0, menu.ONESHOT_ACTIONS, details=False,
                            width=80, height=24)
    texts = [text_of(line) for line in lines]
    start = next(i for i, t in enumerate(texts) if t.startswith("  2."))
    assert texts[start + 1].rstrip().endswith("…")
    assert not texts[start + 2].startswith(" " * 17 + "-")  # no third command line


def test_nine_candidates_fit_24_rows_keeping_the_selection_and_the_keys() -> None:
    many = [cand(f"{LONG} # {i}", explanation="x " * 60) for i in range(9)]
    lines = menu.menu_lines(many, 4, menu.SESSION_ACTIONS, details=True, width=80, height=24)
    texts = [text_of(line) for line in lines]
    assert len(lines) <= 23
    assert any(t.startswith("❯ 5. [safe]") for t in texts)
    assert "r revise" in texts[-1] and "q back" in texts[-1]
    assert sum(t.startswith(("  ", "❯")) and ". [safe]" in t for t in texts) == 9


def test_a_dangerous_selection_shows_reasons_and_blast_radius_in_the_panel() -> None:
    blast = BlastRadius(files=1200, bytes=5_000_000, outside_cwd=True, paths=["/srv/data"])
    risky = cand("rm -rf /srv/data", Level.DANGEROUS,
                 reasons=["recursively deletes `/srv/data`"], blast_radius=blast)
    texts = [text_of(line) for line in menu.menu_lines(
        [cand("ls"), risky], 1, menu.ONESHOT_ACTIONS, details=False, width=80, height=24)]
    assert "  ⚠ recursively deletes `/srv/data`" in texts
    assert any("blast radius: touches 1,200 files (5.0 MB)" in t and "outside" in t
               for t in texts)


def test_the_key_help_wraps_between_items_on_a_narrow_terminal() -> None:
    lines = menu.hint_lines(menu.SESSION_ACTIONS, 3, 40)
    assert len(lines) == 2 and all(len(line) <= 39 for line in lines)
    assert " ".join(" ".join(lines).split()) == (
        "↑↓/1-3 Enter run e edit x explain p preview c copy r revise q back")


def test_untrusted_text_is_made_visible_not_obeyed() -> None:
    assert render.printable("echo hi\x1b[2J") == "echo hi^[[2J"
    assert render.printable("ls \u202eexe.txt") == "ls \\u202eexe.txt"
    assert render.printable("a\nb") == "a ↵ b"
    assert render.printable("[red]x[/dim]") == "[red]x[/dim]"


def test_messages_print_markup_literally() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None)
    render.say(console, "copied: echo '[red]x[/dim]'")
    render.show_command(console, "printf '[bold]%s[/]' \x1b]0;title\x07")
    render.print_risk(console, Risk(Level.CAUTION, ["writes to `[b]`"]))
    assert buffer.getvalue().splitlines() == [
        "copied: echo '[red]x[/dim]'",
        "$ printf '[bold]%s[/]' ^[]0;title^G",
        "[caution] writes to `[b]`",
    ]


def test_command_output_tail_drops_styles_and_progress_redraws() -> None:
    output = "\x1b[01;34mphotos\x1b[0m\r\n 10%\r 55%\r100%\r\n\x1b]0;title\x07done\r\n"
    assert render.plain_output(output) == ["photos", "100%", "done", ""]


def test_clip_and_wrap_count_terminal_cells() -> None:
    assert render.clip("日本語のファイル", 7) == "日本語…"
    assert render.wrap("find . -name '*.jpg'", 10) == ["find .", "-name", "'*.jpg'"]
    assert render.wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]

"""What a revision ("make it recursive", "only 5", "sort by size") asks of the previous
command, and whether a candidate does it.

`direction` reads the common revision phrases; `moves` checks a candidate against the
previous command in that direction; `direct_edits` makes the edit itself where this
machine's man page names the flag (ls's recursive flag is -R, grep's is -r). The pipeline
adds those edits to the candidates and ranks the candidates that move in the direction
asked above those that do not, and a candidate equal to the previous command last: a
revision must never come back unchanged.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from nlsh import shellparse
from nlsh.candidates import normalize
from nlsh.fixes import tokens


@dataclass(frozen=True)
class Direction:
    """One kind of change: the phrase that asks for it, the flags that do it (any of them,
    as found in the program's man page), and what else counts (a `| head`, a `find`)."""

    name: str
    phrase: re.Pattern[str]
    flags: tuple[str, ...]  # long flags first: the man page's entry gives the short alias
    words: tuple[str, ...] = ()  # programs or find tests that also do it
    help_words: tuple[str, ...] = ()  # the option's help text must mention one of these


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


DIRECTIONS = (
    Direction("recursive", _p(r"\brecurs|\bsub-?(?:dir|director|folder)|\ball (?:the )?"
                              r"(?:sub)?(?:folders|directories)|\bnested\b"),
              ("--recursive", "-r", "-R"), ("find", "-R", "**"), ("recurs",)),
    Direction("hidden", _p(r"\bhidden\b|\bdot ?files\b|\binclud\w* dot"),
              ("--all", "--almost-all", "-a", "-A"), (), ("entries starting with .",
                                                          "hidden", "dot")),
    Direction("size", _p(r"\b(?:by|on) (?:file )?size\b|\b(?:biggest|largest|smallest)\b"),
              ("-S", "--sort=size"), (), ("size",)),
    Direction("time", _p(r"\bby (?:date|time|modification|mtime|age)\b|\b(?:newest|"
                         r"most recent|latest|recently)\b"),
              ("-t", "--sort=time"), ("-mtime", "-newer", "-mmin"), ("time",)),
    Direction("reverse", _p(r"\breverse|\boldest first\b|\bsmallest first\b|\bascending\b"),
              ("--reverse", "-r"), ("tac",), ("reverse",)),
    Direction("limit", _p(r"\b(?:only|just|first|top|limit(?: it)? to|at most)\s+(?:the\s+)?"
                          r"(?:first\s+|top\s+)?(\d+)\b"),
              ("-n", "-m", "--max-count", "--lines"), ("head", "-maxdepth"), ("lines",)),
    Direction("ignore-case", _p(r"\bcase[- ]?insensitive|\bignor\w* (?:the )?case\b|\bany "
                                r"case\b|\bupper or lower\b"),
              ("--ignore-case", "-i"), ("-iname", "-ipath", "-iregex"), ("case",)),
    Direction("human", _p(r"\bhuman[- ]?readable|\breadable sizes?\b|\bin (?:kb|mb|gb)\b"),
              ("--human-readable", "-h"), (), ("human",)),
    Direction("count", _p(r"\bcount\b|\bhow many\b|\bnumber of\b"),
              ("--count", "-c"), ("wc",), ("count",)),
    Direction("dry-run", _p(r"\bdry[- ]?run\b|\bwithout (?:actually )?(?:doing|changing|"
                            r"deleting|moving)|\bsimulat|\bjust show what\b"),
              ("--dry-run", "--simulate", "-n"), ("echo",), ("dry", "would", "simulat")),
    Direction("verbose", _p(r"\bverbose\b|\bmore detail|\bshow (?:what|progress)|\bexplain "
                            r"what it does\b"),
              ("--verbose", "-v"), (), ("verbose", "explain")),
    Direction("quiet", _p(r"\bquiet(?:ly)?\b|\bsilent(?:ly)?\b|\bno output\b|\bsuppress"),
              ("--quiet", "--silent", "-q", "-s"), ("/dev/null",), ("quiet", "silent",
                                                                     "suppress")),
)
IN_PLACE = _p(r"\b(?:in|inside|under|within|from) (?:the )?(?:folder |directory |dir )?"
              r"((?:/|~/|\./|\.\./)[^\s,;]*|[\w.-]+/)")


def direction(revision: str) -> Direction | None:
    """The first kind of change the revision asks for (None: none we know how to check)."""
    for candidate in DIRECTIONS:
        if candidate.phrase.search(revision):
            return candidate
    return None


def target_place(revision: str) -> str | None:
    """`in /var/log`, `under src/`: the place the revision names (None: none)."""
    match = IN_PLACE.search(revision)
    return match.group(1).rstrip("/") or "/" if match else None


def limit_number(revision: str) -> str | None:
    found = next(d for d in DIRECTIONS if d.name == "limit").phrase.search(revision)
    return found.group(1) if found else None


def unchanged(previous: str, candidate: str) -> bool:
    return normalize(previous) == normalize(candidate)


def moves(previous: str, candidate: str, revision: str) -> bool | None:
    """Does `candidate` change `previous` the way `revision` asks? None: we cannot tell."""
    if unchanged(previous, candidate):
        return False
    place = target_place(revision)
    if place is not None:
        return _mentions(candidate, place) and not _mentions(previous, place)
    wanted = direction(revision)
    if wanted is None:
        return None
    if wanted.name == "limit":
        number = limit_number(revision) or ""
        return _has_number(candidate, number) and not _has_number(previous, number)
    return _does(candidate, wanted) and not _does(previous, wanted)


def _mentions(command: str, place: str) -> bool:
    return any(t.rstrip("/") == place or t.startswith(place + "/") for t in tokens(command))


def _has_number(command: str, number: str) -> bool:
    words = tokens(command)
    return any(re.search(rf"(?<!\d){re.escape(number)}(?!\d)", w) for w in words) and any(
        w in ("head", "tail", "-n", "-m", "--max-count", "-maxdepth") or w.startswith(
            ("-n", "--lines", "--max-count", "-m")) for w in words)


def _does(command: str, wanted: Direction) -> bool:
    parsed = shellparse.parse(command)
    words = tokens(command)
    if any(w in wanted.words for w in words) or any(w in wanted.words for w in parsed.programs):
        return True
    return any(_has_flag(cmd, flag) for cmd in parsed.commands for flag in wanted.flags)


def _has_flag(cmd: shellparse.SimpleCommand, flag: str) -> bool:
    """`flag` among the command's options, also inside a short cluster (`-rn` has -r)."""
    for arg in cmd.argv:
        if arg.split("=", 1)[0] == flag.split("=", 1)[0] and (
                "=" not in flag or arg == flag):
            return True
        if (len(flag) == 2 and flag[0] == "-" and re.fullmatch(r"-[A-Za-z]+", arg)
                and flag[1] in arg[1:]):
            return True
    return False


# -- deterministic edits -----------------------------------------------------------------------


def direct_edits(previous: str, revision: str) -> list[str]:
    """The previous command with the flag the revision asks for, from the man page; or with
    `| head -n N` for "only N". Empty when no direction is known or no flag exists."""
    wanted = direction(revision)
    parsed = shellparse.parse(previous)
    if parsed.has_error or not parsed.commands:
        return []
    place = target_place(revision)
    if place is not None:
        return _moved_to(previous, parsed, place)
    if wanted is None:
        return []
    if wanted.name == "limit":
        number = limit_number(revision)
        return [f"{previous.rstrip()} | head -n {number}"] if number else []
    if wanted.name == "count":
        return [f"{previous.rstrip()} | wc -l"]
    first = parsed.commands[0]
    if first.name is None or _does(previous, wanted):
        return []
    flag = _flag_for(first.program or "", wanted)
    if flag is None:
        return []
    raw = previous.encode()
    end = first.name.end
    return [(raw[:end] + f" {flag}".encode() + raw[end:]).decode()]


def _moved_to(previous: str, parsed: shellparse.ParsedCommand, place: str) -> list[str]:
    """`find . -name x` "in /srv/app" -> `find /srv/app -name x`: the first `.` operand of
    the first command is the place it works in."""
    here = next((w for w in parsed.commands[0].args if w.unquoted in (".", "./")), None)
    if here is None:
        return []
    raw = previous.encode()
    return [(raw[:here.start] + shlex.quote(place).encode() + raw[here.end:]).decode()]


def _flag_for(program: str, wanted: Direction) -> str | None:
    """The program's spelling of the change, short form preferred, when the man page's help
    for it says what the direction means (grep's -r is recursive; sort's -r is reverse)."""
    from nlsh.explain.docs import program_doc

    doc = program_doc(program)
    if doc is None:
        return None
    for flag in wanted.flags:
        option = doc.options.get(flag)
        if option is None or not _help_fits(option.help, wanted.help_words):
            continue
        shorts = [a for a in option.aliases if re.fullmatch(r"-[A-Za-z]", a)]
        return shorts[0] if shorts else flag
    return None


def _help_fits(help_text: str, words: tuple[str, ...]) -> bool:
    text = help_text.lower()
    return not words or any(w in text for w in words)


def order_key(previous: str, revision: str) -> Callable[[str], tuple[int, int]]:
    """Sort key parts for a candidate: (changed at all, moves in the direction asked)."""
    def key(candidate: str) -> tuple[int, int]:
        moved = moves(previous, candidate, revision)
        return (0 if unchanged(previous, candidate) else 1, 1 if moved else 0)
    return key

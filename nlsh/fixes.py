"""Minimal edits of a failed command, found without the model, for `nlsh fix`.

Most failures are one slip: a typo in the program (`gti status`), in a git subcommand (`git
stauts`), in an option (`ls --recursiv`), a wrong file name (`tar -xzf missing.tgz` when
`backup.tgz` is here), a missing flag (`rm dir` -> `rm -r dir`), or missing rights
(`sudo`). Each is checked against this machine (programs on PATH, git's own command list,
the man page's options, the files in the working directory), so the edits are deterministic.
The pipeline adds them to the candidates and ranks them, when valid, above the model's; then
the model's own answers rank by how little they change the failed command (`edit_distance`).
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlsh import shellparse

MAX_TYPO = 2  # Damerau-Levenshtein distance of a typo in a program, subcommand or option
MAX_PROGRAM_EDITS = 3  # program-name corrections offered, closest first
# Programs people type daily: among equally close corrections, these come first
# (`sl` is as close to `ls` as to `sh`, and `ls` is what was meant).
COMMON_PROGRAMS = (
    "ls git grep cd cat cp mv rm mkdir find tar less head tail sort uniq wc echo ssh sed awk "
    "python3 pip make docker chmod chown du df ps kill top curl wget diff man vim nano touch "
    "ln rsync zip unzip gzip systemctl journalctl sudo apt xargs tee date which file stat"
).split()
# A flag the failure says was missing: (program, pattern in the error) -> flag to add.
MISSING_FLAGS = (
    ("rm", re.compile(r"is a directory", re.I), "-r"),
    ("cp", re.compile(r"-r not specified|omitting directory", re.I), "-r"),
    ("mkdir", re.compile(r"no such file or directory", re.I), "-p"),
)
NO_SUCH = re.compile(r"no such file or directory|cannot access|cannot open|not found", re.I)
PERMISSION = re.compile(r"permission denied|operation not permitted|are you root|"
                        r"must be (?:run as )?root|requires? (?:root|superuser)", re.I)


@dataclass
class FixReport:
    """What the failed command's words say, checked here: the edits, and the files it named
    that do not exist and have no close match (so no edit can be made for them)."""

    edits: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def minimal_edits(command: str, status: int | None, error: str | None, cwd: str) -> FixReport:
    """Minimal edits of `command` that may fix it, most likely first (no duplicates)."""
    parsed = shellparse.parse(command)
    report = FixReport()
    if parsed.has_error or not parsed.commands:
        return report
    text = error or ""
    edits: list[str] = []
    for cmd in parsed.commands:
        edits += _program_edits(command, cmd, status, text)
        edits += _subcommand_edits(command, cmd)
        edits += _option_edits(command, cmd)
        edits += _missing_flag_edits(command, cmd, text)
        path_edits, missing = _path_edits(command, cmd, text, cwd)
        edits += path_edits
        report.missing += missing
    if PERMISSION.search(text) and not command.lstrip().startswith("sudo "):
        edits.append(f"sudo {command.strip()}")
    report.edits = [e for e in dict.fromkeys(edits) if e.strip() != command.strip()]
    return report


# -- distances ---------------------------------------------------------------------------------


def typo_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance: a swap of neighbours is one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def tokens(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def edit_distance(before: str, after: str) -> float:
    """Token-level edit distance between two commands, 0 (same) .. 1 (nothing shared)."""
    a, b = tokens(before), tokens(after)
    if not a and not b:
        return 0.0
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        previous = current
    return previous[-1] / max(len(a), len(b))


def programs_of(command: str) -> set[str]:
    parsed = shellparse.parse(command)
    return {c.program for c in parsed.commands if c.program}


def _allowed(word: str) -> int:
    """Typos allowed in a word: one in a short word (`sl`, `gti`), two from five letters."""
    return 1 if len(word) <= 4 else MAX_TYPO


def closest(word: str, choices: Sequence[str], limit: int | None = None) -> list[str]:
    """Choices within a typo of `word`, closest first; ties: common programs, then order."""
    allowed = _allowed(word) if limit is None else limit
    scored = []
    for index, choice in enumerate(choices):
        if choice == word or abs(len(choice) - len(word)) > allowed:
            continue
        distance = typo_distance(word, choice)
        if distance <= allowed:
            common = COMMON_PROGRAMS.index(choice) if choice in COMMON_PROGRAMS else 999
            scored.append((distance, common, index, choice))
    return [choice for *_, choice in sorted(scored)]


def _splice(command: str, word: shellparse.Word, replacement: str) -> str:
    """`command` with one word (byte offsets, from the parser) replaced."""
    raw = command.encode()
    return (raw[: word.start] + replacement.encode() + raw[word.end:]).decode()


def _insert_after(command: str, word: shellparse.Word, addition: str) -> str:
    raw = command.encode()
    return (raw[: word.end] + f" {addition}".encode() + raw[word.end:]).decode()


# -- program names -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def programs_on_path(path: str) -> tuple[str, ...]:
    """Executable names on PATH, in PATH order (cached per PATH value)."""
    names: dict[str, None] = {}
    for directory in path.split(os.pathsep):
        try:
            entries = sorted(os.scandir(directory or "."), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_file() and os.access(entry.path, os.X_OK):
                    names.setdefault(entry.name, None)
            except OSError:
                continue
    return tuple(names)


def _program_edits(command: str, cmd: shellparse.SimpleCommand, status: int | None,
                   error: str) -> list[str]:
    name = cmd.name
    if name is None or name.has_expansion or "/" in name.unquoted:
        return []
    program = name.unquoted
    on_path = programs_on_path(os.environ.get("PATH", ""))
    if program in on_path or program in _builtins():
        return []
    if status not in (None, 127) and "not found" not in error:
        return []
    choices = list(dict.fromkeys([*COMMON_PROGRAMS, *on_path]))
    found = [c for c in closest(program, choices) if c in on_path or c in _builtins()]
    return [_splice(command, name, choice) for choice in found[:MAX_PROGRAM_EDITS]]


def _builtins() -> frozenset[str]:
    from nlsh.validation import SHELL_WORDS

    return SHELL_WORDS


# -- git subcommands ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def git_commands() -> tuple[str, ...]:
    """git's own list of its commands (`git --list-cmds`), common ones first."""
    try:
        done = subprocess.run(["git", "--list-cmds=main,others,alias,nohelpers"],
                              capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    listed = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    common = ("status", "commit", "checkout", "branch", "push", "pull", "log", "diff", "add",
              "merge", "rebase", "fetch", "clone", "stash", "reset", "show", "tag", "remote")
    return tuple(dict.fromkeys([c for c in common if c in listed] + listed))


def _subcommand_edits(command: str, cmd: shellparse.SimpleCommand) -> list[str]:
    if cmd.program != "git":
        return []
    word = next((w for w in cmd.args if not w.unquoted.startswith("-")), None)
    known = git_commands()
    if word is None or not known or word.unquoted in known:
        return []
    found = closest(word.unquoted, known)
    return [_splice(command, word, choice) for choice in found[:1]]


# -- options -----------------------------------------------------------------------------------


def _option_edits(command: str, cmd: shellparse.SimpleCommand) -> list[str]:
    """Options this program's man page does not document, corrected to a close one."""
    from nlsh.explain.docs import option_status, program_doc
    from nlsh.validation import SUBCOMMAND_PROGRAMS

    program = cmd.program or ""
    subcommand = None
    if program in SUBCOMMAND_PROGRAMS:
        subcommand = next((a for a in cmd.argv if not a.startswith("-")), None)
    doc = program_doc(program, subcommand)
    if doc is None or not doc.complete or program == "find":
        return []
    edits: list[str] = []
    for word in cmd.args:
        flag = word.unquoted.split("=", 1)[0]
        if not flag.startswith("--") or option_status(program, flag, subcommand) is not False:
            continue  # short clusters are ambiguous to correct; long names are not
        longs = [o for o in doc.options if o.startswith("--")]
        found = closest(flag, longs, limit=MAX_TYPO)
        if found:
            rest = word.unquoted[len(flag):]
            edits.append(_splice(command, word, shlex.quote(found[0] + rest)))
    return edits


def _missing_flag_edits(command: str, cmd: shellparse.SimpleCommand, error: str) -> list[str]:
    if cmd.name is None or not error:
        return []
    for program, pattern, flag in MISSING_FLAGS:
        if cmd.program == program and pattern.search(error):
            if flag in cmd.argv:
                return []
            return [_insert_after(command, cmd.name, flag)]
    return []


# -- paths -------------------------------------------------------------------------------------


def _path_edits(command: str, cmd: shellparse.SimpleCommand, error: str,
                cwd: str) -> tuple[list[str], list[str]]:
    """Path-like words that do not exist: each replaced by the one close existing name, or
    reported as missing when nothing here is close."""
    edits: list[str] = []
    missing: list[str] = []
    if cmd.program == "mkdir" or cmd.program == "touch":
        return edits, missing
    for word in cmd.args:
        path = word.unquoted
        named = _looks_like_path(word) or (
            word.is_static and not path.startswith("-") and NO_SUCH.search(error)
            and re.search(rf"(?<![\w.-]){re.escape(path)}(?![\w.-])", error) is not None)
        if not named or os.path.lexists(os.path.join(cwd, path)):
            continue
        if error and os.path.basename(path) not in error:
            continue  # not what failed (an output that will be created, a pattern, ...)
        folder = os.path.join(cwd, os.path.dirname(path))
        match = _close_name(os.path.basename(path), folder)
        if match is None:
            missing.append(path)
            continue
        fixed = os.path.join(os.path.dirname(path), match)
        edits.append(_splice(command, word, shlex.quote(fixed)))
    return edits, missing


def _looks_like_path(word: shellparse.Word) -> bool:
    text = word.unquoted
    if not word.is_static or word.has_glob or not text or text.startswith("-"):
        return False
    return "/" in text or bool(re.search(r"\.[A-Za-z0-9]{1,5}$", text))


def _close_name(name: str, folder: str) -> str | None:
    """The one name in `folder` close to `name`: within a typo, else the only file with the
    same extension (`missing.tgz` -> `backup.tgz`). None when there is no single answer."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    near = closest(name, names, limit=MAX_TYPO)
    if near:
        best = typo_distance(name, near[0])
        tied = [n for n in near if typo_distance(name, n) == best]
        return near[0] if len(tied) == 1 else None
    suffix = _suffix(name)
    same = [n for n in names if suffix and _suffix(n) == suffix]
    return same[0] if len(same) == 1 else None


def _suffix(name: str) -> str:
    match = re.search(r"(\.tar)?\.[A-Za-z0-9]{1,5}$", name)
    return match.group(0).lower() if match else ""


def missing_message(missing: Sequence[str], cwd: str) -> str:
    """One line for the user: what does not exist, and that nothing here is close to it."""
    names = ", ".join(missing)
    return (f"{names}: no such file in {cwd}, and no file here has a similar name; "
            "check the path (nothing to fix in the command itself)")

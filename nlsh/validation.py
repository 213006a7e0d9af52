"""Checks of a candidate command against this machine, before the user picks.

It parses; every program exists here (or is a builtin or a function it defines); every
option exists in this machine's version (from its man page); the flags match the GNU or
BSD userland; it has no placeholders to fill in; and the files it reads exist — unless the
user named them — because a small model copies paths from its examples ("find src …").
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from nlsh import shellparse
from nlsh.records import ShellContext

PLACEHOLDER = re.compile(r"/path/to\b|<[a-z_ -]+>|\byour[_-]?(?:file|dir|directory|name|user)\b"
                         r"|\bpath_to_|\bYOUR_[A-Z_]+\b", re.I)
SHELL_WORDS = frozenset(
    "alias bg bind break builtin caller cd command compgen complete continue declare dirs "
    "disown echo enable eval exec exit export false fc fg getopts hash help history jobs "
    "kill let local logout mapfile popd printf pushd pwd read readarray readonly return set "
    "shift shopt source suspend test times trap true type typeset ulimit umask unalias unset "
    "wait . : [ [[ time coproc if for while until case select function { ".split()
)
# Flags whose meaning differs between GNU and BSD userlands: (program, flag) -> problem.
GNU_ONLY = {
    ("date", "-d"): "date -d is GNU-only; BSD date uses -v or -j -f",
    ("grep", "-P"): "grep -P (Perl regexes) is GNU-only",
    ("sed", "-r"): "sed -r is GNU-only; use -E on BSD",
    ("xargs", "-r"): "xargs -r is GNU-only",
    ("stat", "-c"): "stat -c is GNU-only; BSD stat uses -f",
    ("du", "--max-depth"): "du --max-depth is GNU-only; BSD du uses -d",
    ("readlink", "-f"): "readlink -f is missing on older BSD/macOS",
    ("ls", "--color"): "ls --color is GNU-only; BSD ls uses -G",
    ("sort", "-V"): "sort -V is GNU-only",
}
BSD_ONLY = {
    ("date", "-v"): "date -v is BSD-only; GNU date uses -d",
    ("base64", "-D"): "base64 -D is BSD-only; GNU base64 decodes with -d",
    ("find", "-E"): "find -E is BSD-only; GNU find uses -regextype posix-extended",
    ("stat", "-f"): "stat -f on GNU shows file system status, not a format (BSD meaning)",
    ("ls", "-G"): "ls -G on GNU hides groups; BSD ls -G means colour",
    ("sed", "-i ''"): "sed -i '' is the BSD form; GNU sed takes -i with no argument",
}
GNU_ONLY_PROGRAMS = {"tac": "tac is GNU-only; use tail -r on BSD",
                     "md5sum": "md5sum is GNU; BSD has md5",
                     "sha256sum": "sha256sum is GNU; BSD has shasum -a 256"}


@dataclass
class Validation:
    valid: bool
    problems: list[str]
    # Programs that are missing here but that a known package provides: when they are the
    # only problems, the candidate is still a right answer, shown as "needs cpio (...)".
    needs: list[str] = field(default_factory=list)

    @property
    def only_needs(self) -> bool:
        return bool(self.needs) and len(self.problems) == len(self.needs)


def validate(command: str, context: ShellContext, request: str = "") -> Validation:
    """Everything wrong with `command` on this machine (empty: valid).

    `request` is the user's own words: files they named are not reported as missing.
    """
    from nlsh.packages import install_hint, needs_note

    problems: list[str] = []
    needs: list[str] = []
    parsed = shellparse.parse(command)
    verdict = shell_syntax_problem(command, context.shell)
    if verdict is not None:
        if verdict:
            problems.append(verdict)
    elif parsed.has_error:
        problems.append(f"does not parse as {context.shell} syntax")
    if PLACEHOLDER.search(command):
        problems.append("contains a placeholder to fill in")
    defined = set(parsed.functions)
    # Syntax bash cannot read but the user's shell accepts (zsh's `for f (*.txt) ...`):
    # bash's reading of its words would be wrong, so only the shell's verdict counts.
    foreign_syntax = verdict == "" and parsed.has_error
    for cmd in [] if foreign_syntax else parsed.commands:
        program = cmd.program
        if program is None:
            continue
        if cmd.name is not None and cmd.name.has_expansion:
            continue  # `$EDITOR file`: decided at run time
        if program not in SHELL_WORDS and program not in defined and not _on_path(cmd):
            hint = install_hint(program)
            if hint is None:
                problems.append(f"{program}: command not found on this machine")
            elif program not in needs:
                needs.append(program)
                problems.append(needs_note(program, hint))
            continue
        problems.extend(_dialect_problems(cmd, context.userland))
        problems.extend(_flag_problems(cmd))
        problems.extend(_repeated_options(cmd))
    if not parsed.has_error:
        problems.extend(missing_inputs(parsed, context.cwd, request))
    problems = list(dict.fromkeys(problems))
    return Validation(valid=not problems, problems=problems, needs=needs)


# Shells whose own parser can check a command without running it (fish reads the command on
# stdin: `fish --no-execute -c` does not parse its argument).
SYNTAX_CHECKERS = {"fish": ["--no-config", "--no-execute"], "zsh": ["-f", "-n"]}
SYNTAX_TIMEOUT_S = 2.0


def shell_syntax_problem(command: str, shell: str) -> str | None:
    """The user's own shell's verdict on the syntax: "" when it parses, a problem when it
    does not, None when that shell is bash or not here (tree-sitter-bash decides then).
    A bash `for ...; do ...; done` loop is an error in fish, however well bash parses it."""
    return _shell_syntax_problem(command, shell)


@functools.lru_cache(maxsize=512)
def _shell_syntax_problem(command: str, shell: str) -> str | None:
    flags = SYNTAX_CHECKERS.get(shell)
    exe = shutil.which(shell) if flags is not None else None
    if flags is None or exe is None:
        return None
    try:
        done = subprocess.run([exe, *flags], input=command, capture_output=True, text=True,
                              timeout=SYNTAX_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode == 0:
        return ""
    first = next((line.strip() for line in done.stderr.splitlines() if line.strip()), "")
    first = re.sub(r"^(fish|zsh):\s*", "", first)
    return f"does not parse as {shell} syntax" + (f": {first[:100]}" if first else "")


def _on_path(cmd: shellparse.SimpleCommand) -> bool:
    assert cmd.name is not None
    name = cmd.name.unquoted
    return shutil.which(name) is not None


def _dialect_problems(cmd: shellparse.SimpleCommand, userland: str) -> list[str]:
    program = cmd.program or ""
    table = BSD_ONLY if userland == "gnu" else GNU_ONLY if userland == "bsd" else {}
    found: list[str] = []
    argv = cmd.argv
    for i, arg in enumerate(argv):
        flag = arg.split("=", 1)[0]
        if (program, flag) not in table and not arg.startswith("--"):
            flag = arg[:2]  # a short option with its value attached: date -v-1d
        if (program, flag) in table:
            if program == "sed" and flag == "-i":
                continue
            found.append(table[(program, flag)])
        if program == "sed" and arg == "-i" and i + 1 < len(argv) and argv[i + 1] == "" and (
            (program, "-i ''") in table
        ):
            found.append(table[(program, "-i ''")])
    if userland == "bsd" and program in GNU_ONLY_PROGRAMS:
        found.append(GNU_ONLY_PROGRAMS[program])
    return found


SUBCOMMAND_PROGRAMS = frozenset({"git", "docker", "podman", "apt", "apt-get", "dnf", "systemctl",
                                 "kubectl", "npm", "pip", "pip3", "cargo", "go", "brew", "ip",
                                 "openssl"})


# Programs that take a bare `-NUMBER` (an obsolete or undocumented but working form).
NUMBER_OPTIONS = frozenset({"head", "tail", "nice", "renice", "fmt", "pr", "uniq", "xargs",
                            "fold", "split", "kill", "git"})
REPEATED_LIMIT = 3


def _repeated_options(cmd: shellparse.SimpleCommand) -> list[str]:
    """`-delete -delete -delete`: a model stuck in a loop, not a command anyone means."""
    counts: dict[str, int] = {}
    for arg in cmd.argv:
        if arg.startswith("-") and len(arg) > 1:
            counts[arg] = counts.get(arg, 0) + 1
    return [f"{cmd.program}: repeats {flag} {count} times" for flag, count in counts.items()
            if count >= REPEATED_LIMIT]


def _flag_problems(cmd: shellparse.SimpleCommand) -> list[str]:
    """Options this machine's version of the program does not document (from its man page)."""
    from nlsh.explain.docs import option_status, program_doc

    program = cmd.program or ""
    argv = cmd.argv
    subcommand = None
    if program in SUBCOMMAND_PROGRAMS:
        subcommand = next((a for a in argv if not a.startswith("-")), None)
    doc = program_doc(program, subcommand)
    if doc is None or not doc.complete:
        return []
    label = f"{program} {subcommand}" if subcommand else program
    if program == "find":
        argv = _find_own_words(argv)
    problems: list[str] = []
    value_next = False
    for arg in argv:
        if arg == "--":
            break
        if value_next or (re.fullmatch(r"[-+]\d+", arg) and program in NUMBER_OPTIONS):
            value_next = False  # an option's value (`head -n -5`), or `head -5` / `nice -10`
            continue
        if option_status(program, arg, subcommand) is False:
            problems.append(f"{label}: no option {arg.split('=', 1)[0]} on this machine")
        option = doc.options.get(arg) if arg.startswith("-") else None
        value_next = bool(option and option.takes_argument and "=" not in arg)
    return problems


# find's operators are documented as `expr1 -o expr2`, not as options.
FIND_OPERATORS = frozenset({"-o", "-or", "-a", "-and", "-not", "!", "(", ")", ","})
FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})


def _find_own_words(argv: list[str]) -> list[str]:
    """find's arguments without its operators and without the command lines it runs
    (`-exec rm -rf {} +`: `-rf` is rm's option, not find's)."""
    own: list[str] = []
    in_exec = False
    for arg in argv:
        if in_exec:
            in_exec = arg not in (";", "+")
            continue
        if arg in FIND_EXEC:
            in_exec = True
            own.append(arg)
        elif arg not in FIND_OPERATORS:
            own.append(arg)
    return own


# -- files the command reads must exist (unless the user named them) --------------------------

# Programs whose operands are existing inputs, and how many leading operands are not paths
# (grep's pattern). find's start points are its operands before the first expression.
READS_OPERANDS = {
    "ls": 0, "cat": 0, "head": 0, "tail": 0, "wc": 0, "du": 0, "less": 0, "more": 0,
    "stat": 0, "file": 0, "sort": 0, "uniq": 0, "cd": 0, "grep": 1, "egrep": 1, "fgrep": 1,
    "zgrep": 1, "rg": 1, "find": 0, "nl": 0, "tac": 0, "md5sum": 0, "sha256sum": 0,
    "sha1sum": 0, "cut": 0, "diff": 0, "cmp": 0, "zcat": 0, "gunzip": 0, "unzip": 0,
    "tree": 0, "chmod": 1, "chown": 1, "awk": 1, "sed": 1, "jq": 1, "df": 0,
}
PATTERN_OPTIONS = {"-e", "-f", "--regexp", "--file"}  # grep/sed/awk: the program comes by option


def missing_inputs(parsed: shellparse.ParsedCommand, cwd: str, request: str) -> list[str]:
    """Input files or directories that do not exist and that the user did not mention."""
    said = request.lower()
    mentioned_earlier: set[str] = set()
    problems: list[str] = []
    for cmd in parsed.commands:
        for word in input_operands(cmd):
            path = word.unquoted
            if (path and path != "-" and word.is_static and path not in mentioned_earlier
                    and path.lower() not in said and not _exists(path, cwd)):
                problems.append(f"{path}: no such file or directory here")
        mentioned_earlier.update(w.unquoted for w in cmd.args)
        mentioned_earlier.update(r.target.unquoted for r in cmd.redirects if r.target)
    return problems


def input_operands(cmd: shellparse.SimpleCommand) -> list[shellparse.Word]:
    program = cmd.program or ""
    if program not in READS_OPERANDS:
        return []
    operands = _operands(cmd)
    if program == "find":
        return _find_start_points(cmd)
    skip = READS_OPERANDS[program]
    if skip and any(a.unquoted.split("=", 1)[0] in PATTERN_OPTIONS for a in cmd.args):
        skip = 0
    return operands[skip:]


def _operands(cmd: shellparse.SimpleCommand) -> list[shellparse.Word]:
    """Arguments that are not options or option values (per this machine's man page)."""
    from nlsh.explain.docs import program_doc

    doc = program_doc(cmd.program or "")
    operands: list[shellparse.Word] = []
    value_next = False
    for i, word in enumerate(cmd.args):
        text = word.unquoted
        if value_next:
            value_next = False
            continue
        if text == "--":
            operands.extend(cmd.args[i + 1:])
            break
        if text.startswith("-") and len(text) > 1:
            option = doc.options.get(text) if doc is not None else None
            value_next = bool(option and option.takes_argument and "=" not in text)
            continue
        operands.append(word)
    return operands


def _find_start_points(cmd: shellparse.SimpleCommand) -> list[shellparse.Word]:
    points: list[shellparse.Word] = []
    for word in cmd.args:
        text = word.unquoted
        if text in ("-H", "-L", "-P"):
            continue
        if text.startswith(("-", "(", "!", ")")) or text in ("(", "!"):
            break
        points.append(word)
    return points


def _exists(path: str, cwd: str) -> bool:
    expanded = os.path.expanduser(path)
    return os.path.lexists(expanded if os.path.isabs(expanded) else os.path.join(cwd, expanded))

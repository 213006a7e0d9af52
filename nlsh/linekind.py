"""Is the line at the prompt already a shell command, or an English request?

The shell key (Ctrl-G) must never rewrite a command the user typed (`ls -la` is not a request
for an alias). A line is a command when it parses as shell without errors, its first word is a
program, builtin, keyword, alias or function, and the rest reads as that program's arguments.
The hard cases are requests that start with a program's name and parse ("find big files here",
"kill the process on port 8080", "make a new directory called src"): they are told apart by
their words. English glue words ("the", "by", "here"...) are not arguments anyone types bare;
a wrapper (`watch`, `time`, `sudo`, `which`...) must be followed by a program; and a program
that reads files given two or more bare words naming no file here was given words, not files.
Shell syntax that English does not produce (pipes, redirections, `&&`, substitutions, loops)
settles it as a command.

`first_word_may_be_command` is the cheap test (no parser) the key's helper runs first, so a
plain English request never pays for loading the parser.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlsh.shellparse import SimpleCommand, Word

COMMAND = "command"
REQUEST = "request"

# Shell syntax a sentence does not contain: with it, the line is a command.
COMMAND_SYNTAX = frozenset({
    "pipe", "and", "or", "sequence", "redirect", "substitution", "process_substitution",
    "subshell", "loop", "if", "case", "function", "heredoc", "herestring", "arithmetic",
    "test", "assignment", "variable",
})
SHELL_KEYWORDS = frozenset(
    "alias bg bind break builtin caller cd command compgen complete continue declare dirs "
    "disown echo enable eval exec exit export false fc fg getopts hash help history jobs "
    "kill let local logout mapfile popd printf pushd pwd read readarray readonly return set "
    "shift shopt source suspend test times trap true type typeset ulimit umask unalias unset "
    "wait . : [ [[ time coproc if for while until case select function { ( ! "
    "setopt unsetopt autoload bindkey zle print whence where rehash functions abbr funced "
    "funcsave set_color string math contains".split()
)
# Words a request is glued together with and nobody passes bare to a program.
ENGLISH_WORDS = frozenset("""
the a an all any every each some my your our their this that these those it its them me i
of in on at by for with from into onto to than then and or but not no nor about over under
is are was were be been being am do does did has have had can could should would will
how what where when which who whom whose why here there now today yesterday ago
called named containing contain contains bigger larger smaller older newer recent largest
biggest smallest oldest newest latest most least more less big large small huge tiny
files folders directories dirs lines words characters processes everything something
anything please show tell give want need using used uses use whats
memory space usage size sizes port ports current recursively hidden empty
""".split())
# Programs whose first operand is another program.
PROGRAM_OPERAND = frozenset({
    "watch", "time", "sudo", "doas", "nohup", "nice", "ionice", "timeout", "xargs", "env",
    "exec", "command", "builtin", "strace", "ltrace", "which", "type", "whence", "whereis",
    "stdbuf", "chrt", "taskset", "unbuffer", "caffeinate", "hash",
})
# Programs whose arguments are free text: `echo hello world` is a command.
FREE_TEXT = frozenset({"echo", "printf", "print", "say", "notify-send", "wall", "banner"})
# The first operand is a pattern or a program in a small language, not a file or English.
PATTERN_FIRST = frozenset({"grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "sed", "awk",
                           "gawk", "jq", "perl", "expr", "pgrep", "pkill", "killall"})
_BARE = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class LineKind:
    kind: str  # COMMAND | REQUEST
    program: str | None  # the first program, when there is one
    why: str  # one line: what decided it (shown in tests and the key's message)

    @property
    def is_command(self) -> bool:
        return self.kind == COMMAND


def first_word(line: str) -> str:
    words = line.split()
    return words[0] if words else ""


def is_program(name: str, known: Collection[str] = (), cwd: str = ".") -> bool:
    """A program on PATH, a shell builtin or keyword, a name the shell knows (alias,
    function), or a path to an executable."""
    if not name:
        return False
    if name in SHELL_KEYWORDS or name in known:
        return True
    if "/" in name:
        path = os.path.join(cwd, os.path.expanduser(name))
        return os.path.isfile(path) and os.access(path, os.X_OK)
    return shutil.which(name) is not None


def first_word_may_be_command(line: str, known: Collection[str] = ()) -> bool:
    """The cheap test: could this line be a command at all? (No parser: fast, and most
    English requests stop here: "list files by size" does not start with a program.)"""
    word = first_word(line)
    if not word:
        return False
    if "=" in word.split("/", 1)[0] or word[0] in "$('\"{[(!\\~./":
        return True  # an assignment, an expansion, a quoted or grouped command, a path
    return is_program(word, known)


def classify(line: str, cwd: str, known: Collection[str] = ()) -> LineKind:
    """Whether `line` is already a command (leave it alone) or a request (ask the model).

    `known` are names the user's shell resolves that this process cannot see (aliases,
    functions)."""
    text = line.strip()
    if not first_word_may_be_command(text, known):
        return LineKind(REQUEST, None, f"{first_word(text) or 'the line'} is not a program")
    from nlsh import shellparse

    parsed = shellparse.parse(text)
    if parsed.has_error:
        return LineKind(REQUEST, None, "it does not parse as a shell command")
    syntax = sorted({c.kind for c in parsed.constructs} & COMMAND_SYNTAX)
    if not parsed.commands:
        return LineKind(COMMAND, None, f"shell syntax ({', '.join(syntax) or 'a statement'})")
    cmd = parsed.commands[0]
    program = cmd.program
    if cmd.name is not None and cmd.name.has_expansion:
        return LineKind(COMMAND, program, "its program is an expansion")
    if program is None or not is_program(cmd.name.unquoted if cmd.name else "", known, cwd):
        return LineKind(REQUEST, program, f"{program} is not a program")
    if syntax:
        return LineKind(COMMAND, program, f"shell syntax ({', '.join(syntax)})")
    return _judge_words(cmd, cwd, known)


def _judge_words(cmd: SimpleCommand, cwd: str, known: Collection[str]) -> LineKind:
    program = cmd.program or ""
    if program in FREE_TEXT:
        return LineKind(COMMAND, program, f"{program} takes free text")
    words = list(cmd.args)
    if program in PATTERN_FIRST:
        words = _without_first_operand(words)
    english = [w.unquoted for w in words
               if _is_bare(w) and w.unquoted.lower() in ENGLISH_WORDS
               and not _exists(w.unquoted, cwd)]
    bare = [w.unquoted for w in words if _is_bare(w)]
    if english and all(len(w) == 1 for w in bare):
        english = []  # `touch a b c`: one-letter names, not the article "a"
    if english:
        return LineKind(REQUEST, program, f"reads as English ({', '.join(english[:3])})")
    if program in PROGRAM_OPERAND:
        target = _first_operand(words)
        if target is not None and _is_bare(target) and not is_program(target.unquoted, known) \
                and not _exists(target.unquoted, cwd):
            return LineKind(REQUEST, program,
                            f"{program} needs a program, and {target.unquoted} is not one")
    missing = _missing_bare_inputs(cmd, cwd)
    if len(missing) >= 2:
        return LineKind(REQUEST, program, f"{program} reads files and no file here is named "
                                          f"{' or '.join(missing[:2])}")
    return LineKind(COMMAND, program, f"{program} with arguments")


def _is_bare(word: Word) -> bool:
    """An unquoted plain word of letters: what English is made of."""
    return bool(_BARE.fullmatch(word.text))


def _first_operand(words: list[Word]) -> Word | None:
    for word in words:
        text = word.unquoted
        if text.startswith("-") or text.isdigit() or re.fullmatch(r"\d+[smhd]?", text):
            continue  # an option, or a number (`timeout 5 cmd`, `man 5 crontab`, `nice -n 5`)
        return word
    return None


def _without_first_operand(words: list[Word]) -> list[Word]:
    first = _first_operand(words)
    return [w for w in words if w is not first]


def _missing_bare_inputs(cmd: SimpleCommand, cwd: str) -> list[str]:
    """Bare words in the file operands of a program that reads files, naming no file here."""
    from nlsh import validation

    try:
        operands = validation.input_operands(cmd)
    except Exception:  # a man page that cannot be read: no evidence either way
        return []
    return [w.unquoted for w in operands if _is_bare(w) and not _exists(w.unquoted, cwd)]


def _exists(path: str, cwd: str) -> bool:
    expanded = os.path.expanduser(path)
    return os.path.lexists(expanded if os.path.isabs(expanded) else os.path.join(cwd, expanded))

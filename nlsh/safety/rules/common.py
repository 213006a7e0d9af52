"""Small helpers the rule modules share: operands, path display, target wording."""

from __future__ import annotations

from collections.abc import Sequence

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.paths import Scope, Target, is_under
from nlsh.shellparse import Word

DEV_SINKS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero",
                       "/dev/full", "-"})


def operands(args: Sequence[Word], short_with_value: str = "",
             long_with_value: frozenset[str] = frozenset()) -> list[Word]:
    """Arguments that are not options (GNU style: options may follow operands; `--` ends them)."""
    found: list[Word] = []
    skip = False
    ended = False
    for w in args:
        a = w.unquoted
        if skip:
            skip = False
            continue
        if ended:
            found.append(w)
        elif a == "--":
            ended = True
        elif a.startswith("--") and len(a) > 2:
            skip = "=" not in a and a in long_with_value
        elif a.startswith("-") and len(a) > 1:
            for j, ch in enumerate(a[1:], start=1):
                if ch in short_with_value:
                    skip = j == len(a) - 1
                    break
        else:
            found.append(w)
    return found


def shown_path(path: str, ctx: Context) -> str:
    """A path as a user would write it: `~/x` under home, relative when inside the cwd."""
    if ctx.home != "/" and is_under(path, ctx.home):
        rest = path[len(ctx.home):]
        return "~" + rest if rest else "~"
    return path


def quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return f"`{text}`"


def describe(target: Target, ctx: Context) -> str:
    """`~/Documents` (inside your home directory), for sentences like "deletes ..."."""
    if target.found_by == "input":
        return "whatever paths arrive on its input"
    where = shown_path(target.path, ctx) if target.path else target.word.text
    if target.found_by == "find":
        prefix = "files matched under" if target.narrowed else "everything under"
        return f"{prefix} {quote(where)}"
    if target.scope is Scope.ROOT:
        return "everything under / (the whole system)" if target.everything or \
            target.path == "/" else quote(where)
    if target.scope is Scope.HOME:
        if target.path == ctx.home:
            return f"your entire home directory ({quote(target.word.text)})"
        if target.everything:
            return f"everything in your home directory ({quote(target.word.text)})"
        return f"{quote(where)}, which contains your home directory"
    if target.scope is Scope.CWD:
        if target.everything:
            return f"everything in the current directory ({quote(target.word.text)})"
        return f"the current directory itself ({quote(target.word.text)})"
    if target.scope is Scope.PARENT:
        return f"{quote(target.word.text)}, a parent of the current directory"
    if target.scope is Scope.DYNAMIC:
        return f"{quote(target.word.text)}, a path only known at run time"
    suffix = {
        Scope.SYSTEM_CRITICAL: " (a system directory)",
        Scope.SYSTEM: " (system files)",
        Scope.OTHER_HOME: " (another user's home directory)",
        Scope.HOME_TREE: " in your home directory",
        Scope.OUTSIDE: ", outside the current directory",
        Scope.DEVICE: " (a device)",
    }.get(target.scope, "")
    return quote(where) + suffix


def lowered(level: Level, steps: int = 1, floor: Level = Level.CAUTION) -> Level:
    return Level(max(int(level) - steps, int(floor)))


def subcommand(args: Sequence[Word], short_with_value: str = "",
               long_with_value: frozenset[str] = frozenset()) -> tuple[str | None, list[Word]]:
    """First operand and everything after it (for `git push ...`, `apt remove ...`)."""
    i = 0
    while i < len(args):
        a = args[i].unquoted
        if a.startswith("-") and len(a) > 1:
            if (a.startswith("--") and "=" not in a and a in long_with_value) or (
                    not a.startswith("--") and a[-1] in short_with_value and len(a) == 2):
                i += 1
            i += 1
            continue
        return a, list(args[i + 1:])
    return None, []

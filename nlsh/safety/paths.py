"""Where a path argument points, judged without touching the file system.

A `Target` is one argument of a deleting / writing command resolved against the cwd and home:
`~`, `$HOME`, `$PWD` are substituted, relative paths joined to the cwd, and the result placed in a
`Scope` (the root, the home directory, a system tree, the cwd, inside the cwd, ...).
"""

from __future__ import annotations

import enum
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from nlsh.shellparse import GLOB_CHARS, Word


class Scope(enum.Enum):
    ROOT = "the root directory"
    HOME = "your home directory"
    OTHER_HOME = "another user's home directory"
    SYSTEM_CRITICAL = "a system directory"
    SYSTEM = "a system tree"
    CWD = "the current directory"
    PARENT = "a parent of the current directory"
    INSIDE_CWD = "inside the current directory"
    TEMP = "a temporary directory"
    HOME_TREE = "inside your home directory"
    OUTSIDE = "outside the current directory"
    DEVICE = "a device"
    DYNAMIC = "a path computed at run time"


# Top-level (and a few second-level) directories whose loss breaks the system.
SYSTEM_CRITICAL = frozenset({
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc",
    "/root", "/sbin", "/srv", "/sys", "/usr", "/var", "/home", "/Users", "/System", "/Library",
    "/Applications", "/private", "/snap", "/mnt", "/media", "/nix", "/run", "/usr/bin",
    "/usr/lib", "/usr/lib64", "/usr/sbin", "/usr/share", "/usr/local", "/usr/include",
    "/usr/local/bin", "/usr/local/lib", "/var/lib", "/var/log", "/var/cache", "/var/spool",
    "/etc/ssh", "/etc/systemd", "/etc/apt", "/private/etc", "/private/var",
})
# Trees where anything inside is system state (projects living under /opt or /srv are not).
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc",
                "/root", "/sbin", "/sys", "/usr", "/var/lib", "/var/log", "/var/cache",
                "/var/spool", "/System", "/Library", "/private/etc", "/private/var/db", "/snap",
                "/nix", "/run")
TEMP_TREES = ("/tmp", "/var/tmp", "/private/tmp", "/dev/shm")

_HOME_VARS = ("${HOME}", "$HOME")
_PWD_VARS = ("${PWD}", "$PWD")


@dataclass(frozen=True)
class Target:
    word: Word
    text: str  # the argument after ~ / $HOME / $PWD substitution
    path: str | None  # absolute, normalised; None when it depends on run-time values
    scope: Scope
    glob: bool = False  # the shell expands a pattern here
    everything: bool = False  # the pattern matches every entry of its directory (`*`, `.*`)
    empty_variable_hazard: str | None = None  # "$DIR" when `$DIR/...` becomes `/...` if unset
    narrowed: bool = False  # stands for what `find` matches under `path`, narrowed by its tests
    found_by: str | None = None  # "find" / "input": paths found by find, or read by xargs

    @property
    def shown(self) -> str:
        return self.word.text if len(self.word.text) <= 60 else self.word.text[:57] + "..."


def is_under(path: str, parent: str) -> bool:
    """`path` is `parent` or inside it (both absolute and normalised)."""
    if parent == "/":
        return path.startswith("/")
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def normalise(path: str, cwd: str) -> str:
    joined = path if path.startswith("/") else posixpath.join(cwd or "/", path)
    normal = posixpath.normpath(joined)
    # POSIX keeps a leading `//`; for our purposes it is `/`.
    return "/" + normal.lstrip("/")


def expand_text(word: Word, home: str, cwd: str,
                variables: Mapping[str, str] | None = None) -> str:
    """The word's value with `~`, `$HOME`, `$PWD` and variables set on the same line replaced;
    other expansions left as written."""
    text = word.unquoted
    raw = word.text
    if raw.startswith("~"):
        if text == "~" or text.startswith("~/"):
            text = home + text[1:]
        elif text == "~+" or text.startswith("~+/"):
            text = cwd + text[2:]
    if word.has_expansion:
        for name, value in (variables or {}).items():
            if value == "~" or value.startswith("~/"):
                value = home + value[1:]  # `D=~/x` expands the tilde when assigned
            if name not in ("HOME", "PWD"):
                text = text.replace("${" + name + "}", value)
                text = _replace_simple(text, name, value)
        for var in _HOME_VARS:
            text = text.replace(var, home)
        if cwd:
            for var in _PWD_VARS:
                text = text.replace(var, cwd)
    return text


def _replace_simple(text: str, name: str, value: str) -> str:
    """`$NAME` -> value, but not `$NAMEX` (a longer name)."""
    out = []
    i = 0
    token = "$" + name
    while i < len(text):
        if text.startswith(token, i):
            after = i + len(token)
            if after >= len(text) or not (text[after].isalnum() or text[after] == "_"):
                out.append(value)
                i = after
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def resolve(word: Word, *, cwd: str, home: str,
            variables: Mapping[str, str] | None = None) -> Target:
    """Place one path argument in a scope."""
    text = expand_text(word, home, cwd, variables)
    if word.has_expansion and ("$" in text or "`" in text):
        return Target(word, text, None, Scope.DYNAMIC,
                      glob=word.has_glob, empty_variable_hazard=_empty_variable_hazard(text))
    if not cwd and not text.startswith(("/", "~")):
        return Target(word, text, None, Scope.DYNAMIC, glob=word.has_glob)  # after `cd $DIR`
    if text.startswith("~"):  # ~user: someone's home directory
        user, _, rest = text[1:].partition("/")
        base = "/Users" if home.startswith("/Users/") else "/home"
        path = normalise(f"{base}/{user}/{rest}", cwd)
        top = normalise(f"{base}/{user}", cwd)
        scope = Scope.OTHER_HOME if path == top else Scope.HOME_TREE
        return Target(word, text, path, scope, glob=word.has_glob)
    if word.has_glob and any(ch in text for ch in GLOB_CHARS):
        return _resolve_glob(word, text, cwd, home)
    path = normalise(text, cwd)
    return Target(word, text, path, classify(path, cwd=cwd, home=home))


def _resolve_glob(word: Word, text: str, cwd: str, home: str) -> Target:
    parts = text.split("/")
    first = next(i for i, p in enumerate(parts) if any(ch in p for ch in GLOB_CHARS))
    base_text = "/".join(parts[:first]) or ("/" if text.startswith("/") else ".")
    rest = [p for p in parts[first:] if p]
    base = normalise(base_text, cwd)
    base_scope = classify(base, cwd=cwd, home=home)
    everything = len(rest) == 1 and _matches_everything(rest[0])
    scope = base_scope if everything else _inside(base_scope)
    return Target(word, text, normalise(text, cwd), scope, glob=True, everything=everything)


def _matches_everything(pattern: str) -> bool:
    """`*`, `.*`, `?*`, `*.*`, `{*,.*}`-like patterns that take (nearly) every entry."""
    return bool(pattern) and all(ch in "*?.{},[]!" for ch in pattern) and "*" in pattern


def _inside(scope: Scope) -> Scope:
    """The scope of *some* entries in a directory of the given scope."""
    return {
        Scope.ROOT: Scope.SYSTEM,
        Scope.SYSTEM_CRITICAL: Scope.SYSTEM,
        Scope.HOME: Scope.HOME_TREE,
        Scope.OTHER_HOME: Scope.HOME_TREE,
        Scope.CWD: Scope.INSIDE_CWD,
        Scope.PARENT: Scope.OUTSIDE,
    }.get(scope, scope)


def _empty_variable_hazard(text: str) -> str | None:
    """`$DIR/` or `${DIR}/*`: if the variable is empty the path starts at `/`."""
    if not text.startswith("$"):
        return None
    name_end = 1
    if text.startswith("${"):
        close = text.find("}")
        if close < 0:
            return None
        inner = text[2:close]
        if ":?" in inner or ":-" in inner or ":=" in inner:
            return None  # ${DIR:?} aborts, ${DIR:-x} has a default
        name_end = close + 1
    else:
        while name_end < len(text) and (text[name_end].isalnum() or text[name_end] == "_"):
            name_end += 1
    if name_end < len(text) and text[name_end] == "/":
        return text[:name_end]
    return None


def classify(path: str, *, cwd: str, home: str) -> Scope:
    """Where an absolute path lies. An empty `cwd` means the directory is unknown."""
    cwd = normalise(cwd, "/") if cwd else "\0"  # matches no path
    home = normalise(home, "/")
    if path == "/":
        return Scope.ROOT
    if home != "/" and is_under(home, path):
        return Scope.HOME  # the home directory, or a directory that contains it
    if path in SYSTEM_CRITICAL:
        return Scope.SYSTEM_CRITICAL
    if path.startswith("/dev/") and not any(is_under(path, t) for t in TEMP_TREES):
        return Scope.DEVICE
    if path == cwd:
        return Scope.CWD
    if is_under(cwd, path):
        return Scope.PARENT
    if path in TEMP_TREES:
        return Scope.SYSTEM  # all of /tmp: other programs' files too
    if any(is_under(path, t) for t in SYSTEM_TREES) and not is_under(path, home):
        return Scope.SYSTEM
    if is_under(path, cwd):
        return Scope.INSIDE_CWD
    if any(is_under(path, t) for t in TEMP_TREES):
        return Scope.TEMP
    if is_under(path, home):
        return Scope.HOME_TREE
    return Scope.OUTSIDE


def default_home() -> str:
    return os.path.expanduser("~")


def default_cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # the cwd was deleted under us
        return "/"

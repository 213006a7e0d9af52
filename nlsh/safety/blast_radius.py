"""How much a command would touch on disk, measured without running it, and the least level
that deserves (`level_for`).

For the paths rules report (deleted, moved, overwritten, re-permissioned), expand globs the way
the shell does (a `*` skips hidden files), then walk the trees without following symbolic links,
counting files, bytes and git repositories. The walk stops after `max_entries` entries or
`max_seconds` and marks the result `truncated`; the figures are then lower bounds.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlsh.records import BlastRadius, Level
from nlsh.safety.findings import Touch
from nlsh.safety.paths import Scope, classify, is_under, normalise

MAX_ENTRIES = 200_000
MAX_SECONDS = 1.0
MAX_PATHS_SHOWN = 20
# A deletion this large is dangerous wherever it is.
MANY_FILES = 100_000
MANY_BYTES = 10 * 10**9
# Kernel pseudo-filesystems: nothing there is a file a deletion would destroy, and walking
# them is slow and endless.
PSEUDO_TREES = frozenset({"/proc", "/sys", "/dev", "/run"})


@dataclass
class Measurement:
    radius: BlastRadius
    actions: list[str] = field(default_factory=list)  # "delete", "overwrite", ... in order seen
    upper_bound: bool = False  # some find tests were not evaluated: counts are an upper bound
    existing: int = 0  # top-level targets that exist
    destinations: list[str] = field(default_factory=list)  # where moves take files


class _Walk:
    def __init__(self, max_entries: int, max_seconds: float) -> None:
        self.max_entries = max_entries
        self.deadline = time.monotonic() + max_seconds
        self.entries = 0
        self.truncated = False
        self.files = 0
        self.bytes = 0
        self.repos = 0
        self.seen: set[tuple[int, int]] = set()  # (dev, inode) counted once

    def tick(self) -> bool:
        """Count one entry; False once the budget is spent."""
        self.entries += 1
        if self.entries > self.max_entries or (
                self.entries % 512 == 0 and time.monotonic() > self.deadline):
            self.truncated = True
        return not self.truncated

    def add_file(self, st: os.stat_result) -> None:
        key = (st.st_dev, st.st_ino)
        if key in self.seen and st.st_nlink > 1:
            return
        self.seen.add(key)
        self.files += 1
        if stat.S_ISREG(st.st_mode):
            self.bytes += st.st_size

    def tree(self, root: str, *, match: _FindMatcher | _Missing | None = None,
             recursive_hits: bool = False, missing_from: str = "") -> None:
        """Everything under `root` (not `root` itself), or only what `match` selects, or only
        what has no counterpart under `missing_from` (entries absent there, whole)."""
        if missing_from:
            match = _Missing(root, missing_from)
            recursive_hits = True
        stack: list[tuple[str, int]] = [(root, 1)]
        while stack and not self.truncated:
            directory, depth = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = list(it)
            except OSError:
                continue
            for entry in entries:
                if not self.tick():
                    return
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                is_dir = stat.S_ISDIR(st.st_mode)
                if is_dir and entry.path in PSEUDO_TREES:
                    continue
                if match is None:
                    if entry.name == ".git":
                        self.repos += 1
                    if is_dir:
                        stack.append((entry.path, depth + 1))
                    else:
                        self.add_file(st)
                    continue
                hit = match.matches(entry.path, entry.name, st, depth)
                if hit and is_dir and recursive_hits:
                    if entry.name == ".git":
                        self.repos += 1
                    self.tree(entry.path)
                    continue
                if hit and not is_dir:
                    self.add_file(st)
                if is_dir and match.descend(depth):
                    stack.append((entry.path, depth + 1))


class _FindMatcher:
    """The subset of find's tests we evaluate: -name, -iname, -path, -type, -maxdepth, -mindepth,
    -empty, joined by an implicit AND."""

    def __init__(self, filters: Iterable[tuple[str, str]], shown_root: str, root: str) -> None:
        self.filters = list(filters)
        self.shown_root = shown_root
        self.root = root
        self.maxdepth: int | None = None
        self.mindepth = 0
        for test, value in self.filters:
            if test == "-maxdepth" and value.isdigit():
                self.maxdepth = int(value)
            elif test == "-mindepth" and value.isdigit():
                self.mindepth = int(value)

    def descend(self, depth: int) -> bool:
        return self.maxdepth is None or depth < self.maxdepth

    def matches(self, path: str, name: str, st: os.stat_result, depth: int) -> bool:
        if depth < self.mindepth or (self.maxdepth is not None and depth > self.maxdepth):
            return False
        shown = self.shown_root.rstrip("/") + path[len(self.root.rstrip("/")):]
        for test, value in self.filters:
            negated = test.startswith("!")
            if _passes(test.lstrip("!"), value, path, name, shown, st) == negated:
                return False
        return True


def _passes(test: str, value: str, path: str, name: str, shown: str,
            st: os.stat_result) -> bool:
    """One find test; tests we do not evaluate (depths, actions) pass."""
    if test == "-name":
        return fnmatch.fnmatchcase(name, value)
    if test == "-iname":
        return fnmatch.fnmatch(name.lower(), value.lower())
    if test in ("-path", "-wholename"):
        return fnmatch.fnmatchcase(shown, value)
    if test == "-ipath":
        return fnmatch.fnmatch(shown.lower(), value.lower())
    if test == "-type":
        return _type_matches(st, value)
    if test == "-empty":
        return _is_empty(path, st)
    return True


class _Missing:
    """Entries of a destination with no counterpart in the source (`rsync --delete`)."""

    def __init__(self, root: str, source: str) -> None:
        self.root = root.rstrip("/")
        self.source = source.rstrip("/") or "/"

    def descend(self, depth: int) -> bool:
        return True

    def matches(self, path: str, name: str, st: os.stat_result, depth: int) -> bool:
        counterpart = self.source + path[len(self.root):]
        return not os.path.lexists(counterpart)


def _type_matches(st: os.stat_result, letters: str) -> bool:
    kinds = {"f": stat.S_ISREG, "d": stat.S_ISDIR, "l": stat.S_ISLNK, "p": stat.S_ISFIFO,
             "s": stat.S_ISSOCK, "b": stat.S_ISBLK, "c": stat.S_ISCHR}
    return any(kinds[c](st.st_mode) for c in letters.split(",") if c in kinds)


def _is_empty(path: str, st: os.stat_result) -> bool:
    if stat.S_ISDIR(st.st_mode):
        try:
            return not os.listdir(path)
        except OSError:
            return False
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


def expand(touch: Touch) -> list[str]:
    """The paths a touch names, globbed as the shell would (no match: nothing)."""
    if not touch.glob:
        return [touch.path]
    try:
        return sorted(glob.glob(touch.path))
    except (OSError, ValueError, RecursionError):
        return []


def measure(touches: Iterable[Touch], *, cwd: str, home: str,
            max_entries: int = MAX_ENTRIES, max_seconds: float = MAX_SECONDS) -> Measurement:
    cwd = normalise(cwd, "/")
    home = normalise(home, "/")
    walk = _Walk(max_entries, max_seconds)
    radius = BlastRadius()
    result = Measurement(radius)
    for touch in touches:
        if touch.action not in result.actions:
            result.actions.append(touch.action)
        if touch.to and touch.to not in result.destinations:
            result.destinations.append(touch.to)
        for path in expand(touch):
            _measure_one(walk, touch, path, radius, result, cwd=cwd, home=home)
            if walk.truncated:
                break
    radius.files = walk.files
    radius.bytes = walk.bytes
    radius.git_repositories = walk.repos
    radius.truncated = walk.truncated
    return result


def _measure_one(walk: _Walk, touch: Touch, path: str, radius: BlastRadius,
                 result: Measurement, *, cwd: str, home: str) -> None:
    path = normalise(path, cwd)
    if len(radius.paths) < MAX_PATHS_SHOWN and path not in radius.paths:
        radius.paths.append(path)
    # `find ~ -name x -delete` and `rsync --delete SRC/ ~/` reach into home without removing it.
    whole = not (touch.find_filters or touch.kept_by) or path != home
    if home != "/" and is_under(home, path) and whole:
        radius.includes_home = True
    if not is_under(path, cwd):
        radius.outside_cwd = True
    try:
        st = os.lstat(path)
    except OSError:
        return
    result.existing += 1
    is_link = stat.S_ISLNK(st.st_mode)
    if is_link and touch.follow_top_symlink:
        try:
            st = os.stat(path)
        except OSError:
            return
        is_link = False
    is_dir = stat.S_ISDIR(st.st_mode) and not is_link
    if touch.action == "overwrite":
        if not is_dir and walk.tick():
            walk.add_file(st)
        return
    if touch.kept_by:
        if is_dir:
            walk.tree(path, missing_from=normalise(touch.kept_by, cwd))
        return
    if touch.found_by_find or touch.find_filters or (
            touch.action == "delete" and touch.find_upper_bound):
        if not is_dir:
            return
        if touch.find_upper_bound:
            result.upper_bound = True
            walk.tree(path)
            return
        matcher = _FindMatcher(touch.find_filters, touch.find_root_text or path, path)
        walk.tree(path, match=matcher, recursive_hits=touch.recursive)
        return
    if not walk.tick():
        return
    if os.path.basename(path) == ".git" and is_dir:
        walk.repos += 1
    if is_dir:
        if touch.recursive:
            walk.tree(path)
        elif touch.action == "permissions":
            walk.add_file(st)
        # `rm dir` without -r fails; nothing to count.
        return
    walk.add_file(st)


# -- level -------------------------------------------------------------------------------


def level_for(result: Measurement, *, cwd: str, home: str) -> Level:
    """The least level a deletion or move deserves for what it was measured to reach: the
    home directory or a system tree, a repository's history (`.git`), or a very large tree.
    Moves are judged by where they take files from, not by how many."""
    radius = result.radius
    if not ({"delete", "move"} & set(result.actions)) or (
            radius.files == 0 and not radius.truncated):
        return Level.SAFE
    if radius.includes_home or any(
            classify(p, cwd=cwd, home=home) in (Scope.ROOT, Scope.SYSTEM_CRITICAL, Scope.SYSTEM)
            for p in radius.paths):
        return Level.DANGEROUS
    if "delete" in result.actions and not result.upper_bound and (
            radius.git_repositories or radius.files >= MANY_FILES or radius.bytes >= MANY_BYTES):
        return Level.DANGEROUS
    return Level.SAFE


# -- wording ------------------------------------------------------------------------------


def human_size(size: int) -> str:
    """1234 -> "1.2 kB", decimal units like most file managers."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if value < 1000 or unit == "PB":
            if unit == "bytes":
                return f"{int(value):,} byte" + ("" if int(value) == 1 else "s")
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"


_VERBS = {"delete": "deletes", "overwrite": "overwrites", "move": "moves",
          "permissions": "changes permissions of"}


def describe(result: Measurement, *, home: str) -> str | None:
    """"deletes 1,204 files (3.2 GB) under ~/src, including 2 git repositories"."""
    radius = result.radius
    if result.existing == 0:
        return None
    order = ("delete", "overwrite", "move", "permissions")
    action = next((a for a in order if a in result.actions), "delete")
    count = f"{radius.files:,} file" + ("" if radius.files == 1 else "s")
    if radius.truncated:
        count = "at least " + count
    if result.upper_bound:
        count = "up to " + count
    if radius.files == 0 and not radius.truncated:
        where = _common_parent(radius.paths)
        shown = f" under {_tilde(where, home)}" if where else ""
        return f"currently matches no files{shown}"
    where = _common_parent(radius.paths)
    if radius.files == 1 and len(radius.paths) == 1 and where and not os.path.isdir(where):
        text = f"{_VERBS[action]} {_tilde(where, home)} ({human_size(radius.bytes)})"
    else:
        text = f"{_VERBS[action]} {count} ({human_size(radius.bytes)})"
        if where:
            text += f" under {_tilde(where, home)}"
    if action == "move" and len(result.destinations) == 1:
        text += f" to {_tilde(result.destinations[0], home)}"
    extras = []
    if radius.git_repositories:
        n = radius.git_repositories
        extras.append(f"{n} git repositor{'y' if n == 1 else 'ies'}")
    if radius.includes_home:
        extras.append("your home directory")
    if extras:
        text += ", including " + " and ".join(extras)
    if radius.outside_cwd and not radius.includes_home:
        text += " (outside the current directory)"
    return text


def _common_parent(paths: list[str]) -> str | None:
    if not paths:
        return None
    if len(paths) == 1:
        return paths[0]
    try:
        common = os.path.commonpath(paths)
    except ValueError:
        return None
    return common or "/"


def _tilde(path: str, home: str) -> str:
    if home != "/" and is_under(path, home):
        return "~" + path[len(home.rstrip("/")):]
    return path

"""Deleting files: `rm`, `rmdir`, `unlink`, `find -delete`, and `rm` run by `find -exec` / `xargs`.

The level follows where the targets are:
- blocked: recursive deletion of `/`, `/*`, the home directory (`~`, `$HOME`, `~/*`), a directory
  that contains home, or a top-level system directory (`/usr`, `/etc`, ...);
- dangerous: recursive deletion of the current directory or everything in it (`.`, `*`), a parent
  (`..`), anything outside the cwd, inside home or a system tree, or a path built from a variable
  (`$DIR/`: if DIR is empty that is `/`); non-recursive deletion of every file in a directory
  (`rm *`) or of a system or startup file;
- caution: deleting named files or directories inside the current directory or in /tmp.
What `find` hands to `rm` (`-exec rm {}`, `| xargs rm`) comes from the whole tree under its
start directory, so it is rated as a recursive deletion there. A `find` whose tests narrow what
it matches (-name, -mtime, ...) is one step lower, never below caution; a negated test
(`! -name keep.txt`) narrows nothing. Deleting a `.git` directory (a repository's history) is
dangerous; so is every file but a few (`rm !(keep.txt)`, `ls | grep -v keep | xargs rm`).
The measured blast radius may raise any of these further (`blast_radius.level_for`).
"""

from __future__ import annotations

import fnmatch
import os
import re

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import Invocation, has_long, has_short_flag
from nlsh.safety.paths import Scope, Target
from nlsh.safety.rules.common import describe, lowered, operands, quote, shown_path
from nlsh.safety.sensitive import secret_kind, sensitive_kind

RULE = "recursive_delete"

_RECURSIVE_LEVEL = {
    Scope.ROOT: Level.BLOCKED, Scope.HOME: Level.BLOCKED, Scope.OTHER_HOME: Level.BLOCKED,
    Scope.SYSTEM_CRITICAL: Level.BLOCKED, Scope.SYSTEM: Level.DANGEROUS,
    Scope.DEVICE: Level.DANGEROUS, Scope.DYNAMIC: Level.DANGEROUS, Scope.CWD: Level.DANGEROUS,
    Scope.PARENT: Level.DANGEROUS, Scope.OUTSIDE: Level.DANGEROUS,
    Scope.HOME_TREE: Level.DANGEROUS, Scope.TEMP: Level.CAUTION, Scope.INSIDE_CWD: Level.CAUTION,
}
_FILE_LEVEL = {
    Scope.ROOT: Level.DANGEROUS, Scope.HOME: Level.DANGEROUS, Scope.OTHER_HOME: Level.DANGEROUS,
    Scope.SYSTEM_CRITICAL: Level.DANGEROUS, Scope.SYSTEM: Level.DANGEROUS,
    Scope.DEVICE: Level.DANGEROUS,
}


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.program in ("rm", "grm", "srm"):
        return _rm(inv, ctx)
    if inv.program in ("rmdir", "unlink"):
        return _delete(inv, ctx, ctx.targets(inv, operands(inv.args)), recursive=False)
    if inv.program == "find" and inv.find_scope is not None and inv.find_scope.deletes:
        return _find_delete(inv, ctx)
    return []


_EXTGLOB_RM = re.compile(r"(?:^|[;&|(]\s*|\s)(?:sudo\s+)?rm((?:\s+-[\w-]*)*)\s+!\(([^)]*)\)")
MAX_LISTED = 500


def check_command(ctx: Context) -> list[Finding]:
    """`rm !(keep.txt)` (bash extglob): everything in the directory but what is named.

    tree-sitter-bash does not parse extglob patterns, so the line is read as text."""
    findings: list[Finding] = []
    for match in _EXTGLOB_RM.finditer(ctx.parsed.source):
        flags = match.group(1)
        recursive = bool(re.search(r"-\w*[rR]|--recursive", flags))
        kept = [p for p in match.group(2).split("|") if p]
        verb = "recursively deletes" if recursive else "deletes"
        reason = (f"{verb} everything in the current directory except "
                  f"{quote('!(' + match.group(2) + ')')}")
        findings.append(Finding(Level.DANGEROUS, reason, RULE,
                                _all_but(ctx.cwd, kept, recursive)))
    return findings


def _all_but(cwd: str, kept: list[str], recursive: bool) -> tuple[Touch, ...]:
    """One touch per entry of `cwd` that no kept pattern matches (hidden ones stay, as with
    `*`)."""
    if not cwd:
        return ()
    try:
        names = sorted(os.listdir(cwd))
    except OSError:
        return ()
    if len(names) > MAX_LISTED:
        return (Touch(os.path.join(cwd, "*"), "delete", recursive=recursive, glob=True),)
    return tuple(Touch(os.path.join(cwd, n), "delete", recursive=recursive) for n in names
                 if not n.startswith(".") and not any(fnmatch.fnmatchcase(n, k) for k in kept))


def _rm(inv: Invocation, ctx: Context) -> list[Finding]:
    if any(w.text == "!" for w in inv.args):
        return []  # `rm !(x)`: judged whole by check_command
    recursive = has_short_flag(inv.args, "r") or has_short_flag(inv.args, "R") or has_long(
        inv.args, "--recursive")
    targets = ctx.targets(inv, operands(inv.args))
    findings = _delete(inv, ctx, targets, recursive=recursive)
    if has_long(inv.args, "--no-preserve-root"):
        findings.append(Finding(Level.BLOCKED if recursive else Level.DANGEROUS,
                                "turns off rm's protection against deleting /", RULE))
    return findings


def _delete(inv: Invocation, ctx: Context, targets: list[Target], *,
            recursive: bool) -> list[Finding]:
    findings: list[Finding] = []
    verb = "recursively deletes" if recursive else "deletes"
    for i, target in enumerate(targets):
        level = _level(target, ctx, recursive)
        reason = f"{verb} {describe(target, ctx)}"
        if target.empty_variable_hazard:
            reason += (f" — if {target.empty_variable_hazard} is empty, that is "
                       f"`{target.text.replace(target.empty_variable_hazard, '', 1)}`")
        if recursive and target.path is not None and target.path.endswith("/.git"):
            reason += " — the repository's history (commits not pushed are lost)"
        if target.scope in (Scope.HOME, Scope.ROOT) and _stray_space(targets, i):
            reason += " — a stray space? the next word is deleted separately"
        touches = () if target.path is None else (Touch(
            path=target.path, action="delete", recursive=recursive, glob=target.glob,
            follow_top_symlink=target.word.unquoted.endswith("/")),)
        if target.found_by == "find" and target.path is not None:
            scope = inv.find_scope or ctx.upstream_find(inv)
            if scope is not None:
                touches = (Touch(path=target.path, action="delete", recursive=recursive,
                                 found_by_find=True, find_filters=scope.filters,
                                 find_upper_bound=not scope.evaluable,
                                 find_root_text=target.text),)
        findings.append(Finding(level, reason, RULE, touches))
    return findings


def _level(target: Target, ctx: Context, recursive: bool) -> Level:
    if recursive or target.found_by == "find":
        # What find hands to `rm` comes from the whole tree under its start directory.
        level = _RECURSIVE_LEVEL[target.scope]
        if target.glob and target.scope is Scope.INSIDE_CWD and target.path is not None:
            level = Level.CAUTION
    else:
        level = _FILE_LEVEL.get(target.scope, Level.CAUTION)
        if target.everything and target.scope not in (Scope.TEMP, Scope.INSIDE_CWD):
            level = max(level, Level.DANGEROUS)
        if target.found_by == "input":
            level = Level.CAUTION
    if target.path is not None and (sensitive_kind(target.path, ctx.home)
                                    or secret_kind(target.path, ctx.home)):
        level = max(level, Level.DANGEROUS)
    if target.narrowed:
        level = lowered(level)
    if recursive and target.path is not None and target.path.rstrip("/").endswith("/.git"):
        level = max(level, Level.DANGEROUS)  # the repository's history, unless pushed
    return level


def _stray_space(targets: list[Target], index: int) -> bool:
    """`rm -rf ~/ build`: the home directory followed by a relative word."""
    rest = targets[index + 1:]
    return bool(rest) and rest[0].path is not None and not rest[0].word.unquoted.startswith(
        ("/", "~", "$"))


def _find_delete(inv: Invocation, ctx: Context) -> list[Finding]:
    scope = inv.find_scope
    assert scope is not None
    findings: list[Finding] = []
    for target in ctx.found_paths(inv, None):
        level = _RECURSIVE_LEVEL[target.scope]
        if target.narrowed:
            level = lowered(level)
        what = "files it matches under" if target.narrowed else "everything under"
        where = shown_path(target.path, ctx) if target.path else target.word.text
        touches = () if target.path is None else (Touch(
            path=target.path, action="delete", recursive=False, found_by_find=True,
            find_filters=scope.filters,
            find_upper_bound=not scope.evaluable, find_root_text=target.text),)
        findings.append(Finding(level, f"find -delete deletes {what} `{where}`", RULE, touches))
    return findings

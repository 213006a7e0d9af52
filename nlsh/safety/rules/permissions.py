"""Permission and ownership changes: `chmod`, `chown`, `chgrp`, `setfacl`, `chattr`.

- blocked: recursive change on `/` or a top-level system directory (`chmod -R 777 /`);
- dangerous: recursive change on home or a system tree; any change on system files; making SSH
  keys or `~/.ssh` readable or writable by others; setting the setuid/setgid bit; making a whole
  tree world-writable;
- caution: ordinary changes (`chmod +x script.sh`, `chmod -R u+w build`).
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import Invocation, has_long, has_short_flag
from nlsh.safety.paths import Scope, Target
from nlsh.safety.rules.common import describe, operands
from nlsh.safety.sensitive import secret_kind, sensitive_kind

RULE = "permissions"

_RECURSIVE_LEVEL = {
    Scope.ROOT: Level.BLOCKED, Scope.SYSTEM_CRITICAL: Level.BLOCKED,
    Scope.HOME: Level.DANGEROUS, Scope.OTHER_HOME: Level.DANGEROUS, Scope.SYSTEM: Level.DANGEROUS,
    Scope.DEVICE: Level.DANGEROUS, Scope.DYNAMIC: Level.DANGEROUS, Scope.PARENT: Level.DANGEROUS,
}
_FILE_LEVEL = {
    Scope.ROOT: Level.DANGEROUS, Scope.SYSTEM_CRITICAL: Level.DANGEROUS,
    Scope.SYSTEM: Level.DANGEROUS, Scope.DEVICE: Level.DANGEROUS,
}


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog not in ("chmod", "chown", "chgrp", "setfacl", "chattr", "lchown"):
        return []
    recursive = has_short_flag(inv.args, "R") or has_long(inv.args, "--recursive")
    words = operands(inv.args, "" if prog == "chmod" else "mMx",
                     frozenset({"--reference", "--from"}))
    if prog == "chmod" and words and not has_long(inv.args, "--reference"):
        mode, words = words[0].unquoted, words[1:]
        # `chmod -w file`: a mode that looks like an option.
        if not words:
            return []
    elif prog == "chmod":
        mode = ""
    elif prog in ("setfacl", "chattr"):
        mode = " ".join(inv.argv)
        words = [w for w in words if not w.unquoted.startswith(("+", "-", "="))] if \
            prog == "chattr" else words[-1:]
    else:
        if has_long(inv.args, "--reference"):
            mode = ""
        elif words:
            mode, words = words[0].unquoted, words[1:]
        else:
            return []
    verb = {"chmod": "changes permissions of", "setfacl": "changes access rules of",
            "chattr": "changes attributes of", "chgrp": "changes the group of"}.get(
        prog, "changes the owner of")
    if recursive:
        verb = "recursively " + verb
    findings: list[Finding] = []
    for target in ctx.targets(inv, words):
        findings.append(_finding(prog, mode, target, ctx, recursive=recursive, verb=verb))
    return findings


def _finding(prog: str, mode: str, target: Target, ctx: Context, *, recursive: bool,
             verb: str) -> Finding:
    what = describe(target, ctx)
    level = Level.CAUTION
    reason = f"{verb} {what}"
    if recursive:
        level = _RECURSIVE_LEVEL.get(target.scope, Level.CAUTION)
        if target.scope is Scope.HOME_TREE and target.path is not None:
            level = max(level, Level.CAUTION)
    else:
        level = _FILE_LEVEL.get(target.scope, Level.CAUTION)
    loosens = prog == "chmod" and opens_to_others(mode)
    if prog == "chmod" and sets_id_bit(mode):
        level = max(level, Level.DANGEROUS)
        reason += ", setting the setuid/setgid bit (runs with the owner's rights)"
    if loosens and world_writable(mode):
        reason += ", making it writable by every user"
        if recursive or target.scope in (Scope.HOME, Scope.HOME_TREE, Scope.OUTSIDE):
            level = max(level, Level.DANGEROUS)
    if target.path is not None:
        secret = secret_kind(target.path, ctx.home)
        sensitive = sensitive_kind(target.path, ctx.home)
        if secret and loosens:
            level = max(level, Level.DANGEROUS)
            reason += f" — {secret} would be open to other users"
        elif (secret or sensitive) and (prog != "chmod" or world_writable(mode)):
            level = max(level, Level.DANGEROUS)
            reason += f" — {secret or sensitive}"
        elif sensitive and target.scope in (Scope.SYSTEM, Scope.SYSTEM_CRITICAL):
            level = max(level, Level.DANGEROUS)
    touches = () if target.path is None else (
        Touch(target.path, "permissions", recursive=recursive, glob=target.glob),)
    return Finding(level, reason, RULE, touches)


def _clauses(mode: str) -> list[tuple[str, str, str]]:
    """Symbolic mode `u+x,go-w` as (who, op, perms) triples."""
    found = []
    for clause in mode.split(","):
        for op in "+-=":
            if op in clause:
                who, _, perms = clause.partition(op)
                found.append((who or "a", op, perms))
                break
    return found


def _octal(mode: str) -> int | None:
    if mode and all(c in "01234567" for c in mode) and len(mode) <= 5:
        return int(mode, 8)
    return None


def opens_to_others(mode: str) -> bool:
    """The mode gives group or others read or write access."""
    value = _octal(mode)
    if value is not None:
        return bool(value & 0o066)
    return any(op in "+=" and ("o" in who or "a" in who or "g" in who) and (
        "r" in perms or "w" in perms) for who, op, perms in _clauses(mode))


def world_writable(mode: str) -> bool:
    value = _octal(mode)
    if value is not None:
        return bool(value & 0o002)
    return any(op in "+=" and ("o" in who or "a" in who) and "w" in perms
               for who, op, perms in _clauses(mode))


def sets_id_bit(mode: str) -> bool:
    value = _octal(mode)
    if value is not None:
        return bool(value & 0o6000)
    return any(op in "+=" and "s" in perms for _, op, perms in _clauses(mode))

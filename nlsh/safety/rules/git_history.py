"""Destroying git history or uncommitted work.

- dangerous: `push --force`/`-f`/`+ref`/`--mirror` (rewrites the remote), deleting remote
  branches (`push origin :b`, `push --delete`), `reset --hard`, `clean -f` (untracked files),
  `checkout .` / `checkout -- .` / `restore .` (discard all changes), `branch -D`,
  `filter-branch` / `filter-repo`, `reflog expire`, `stash clear`, `gc --prune=now`,
  `update-ref -d`, `switch --discard-changes`, `stash drop` (the stashed work is lost);
- caution: `push --force-with-lease` (safer, still rewrites), discarding changes to named files,
  `branch -d`, and every other writing subcommand (baseline).
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, has_long, has_short_flag
from nlsh.safety.rules.common import operands, quote
from nlsh.shellparse import Word

RULE = "git_history"

GLOBAL_WITH_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace",
                               "--exec-path", "--config-env"})


def split_git(args: tuple[Word, ...]) -> tuple[str | None, list[Word]]:
    """`git -C dir --no-pager push -f` -> ("push", [-f])."""
    i = 0
    while i < len(args):
        a = args[i].unquoted
        if a in GLOBAL_WITH_VALUE:
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return a, list(args[i + 1:])
    return None, []


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.program != "git":
        return []
    sub, rest = split_git(inv.args)
    if sub is None:
        return []
    handler = _HANDLERS.get(sub)
    return handler(rest) if handler else []


def _f(level: Level, reason: str) -> list[Finding]:
    return [Finding(level, reason, RULE)]


def _push(args: list[Word]) -> list[Finding]:
    argv = [w.unquoted for w in args]
    found: list[Finding] = []
    if "--mirror" in argv:
        found += _f(Level.DANGEROUS, "mirror-pushes, overwriting and deleting refs on the remote")
    if has_long(args, "--force") or has_short_flag(args, "f") or any(
            a.startswith("+") and len(a) > 1 for a in argv[1:]):
        found += _f(Level.DANGEROUS,
                    "force-pushes, rewriting history on the remote (others' commits can be lost)")
    elif has_long(args, "--force-with-lease", "--force-if-includes"):
        found += _f(Level.CAUTION,
                    "force-pushes with a lease: rewrites remote history, but only if nobody "
                    "pushed meanwhile")
    refs = operands(args, "o", frozenset({"--push-option", "--repo", "--receive-pack"}))
    deleted = [r.unquoted[1:] for r in refs[1:] if r.unquoted.startswith(":") and
               len(r.unquoted) > 1]
    if has_long(args, "--delete") or has_short_flag(args, "d"):
        deleted += [r.unquoted for r in refs[1:]]
    if deleted:
        found += _f(Level.DANGEROUS, "deletes " + ", ".join(quote(d) for d in deleted[:3]) +
                    " on the remote")
    if "--prune" in argv:
        found += _f(Level.DANGEROUS, "deletes remote branches that do not exist locally")
    return found


def _reset(args: list[Word]) -> list[Finding]:
    if has_long(args, "--hard"):
        return _f(Level.DANGEROUS, "discards all uncommitted changes (git reset --hard)")
    if has_long(args, "--merge", "--keep"):
        return _f(Level.CAUTION, "moves the branch and may drop local changes")
    return []


def _clean(args: list[Word]) -> list[Finding]:
    if has_short_flag(args, "n") or has_long(args, "--dry-run"):
        return []
    if has_short_flag(args, "f") or has_long(args, "--force"):
        what = "untracked files"
        if has_short_flag(args, "d"):
            what += " and directories"
        if has_short_flag(args, "x") or has_short_flag(args, "X"):
            what += ", including ignored ones (builds, .env files)"
        return _f(Level.DANGEROUS, f"permanently deletes {what} (git clean)")
    return []


def _discards_everything(paths: list[str]) -> bool:
    return any(p in (".", "*", ":/", "./", ":(top)", "/") for p in paths)


def _checkout(args: list[Word]) -> list[Finding]:
    argv = [w.unquoted for w in args]
    if "--" in argv:
        paths = argv[argv.index("--") + 1:]
    else:
        paths = [a for a in argv if not a.startswith("-")]
        paths = paths if paths and _discards_everything(paths) else []
    if has_short_flag(args, "f") or has_long(args, "--force"):
        return _f(Level.DANGEROUS, "switches branches, throwing away uncommitted changes")
    if _discards_everything(paths):
        return _f(Level.DANGEROUS, "discards all uncommitted changes in the work tree")
    if paths:
        return _f(Level.CAUTION, "discards uncommitted changes to " +
                  ", ".join(quote(p) for p in paths[:3]))
    return []


def _restore(args: list[Word]) -> list[Finding]:
    paths = [w.unquoted for w in operands(args, "sp", frozenset({"--source"}))]
    staged_only = has_long(args, "--staged") and not has_long(args, "--worktree") and not \
        has_short_flag(args, "W")
    if staged_only:
        return []
    if _discards_everything(paths):
        return _f(Level.DANGEROUS, "discards all uncommitted changes in the work tree")
    if paths:
        return _f(Level.CAUTION, "discards uncommitted changes to " +
                  ", ".join(quote(p) for p in paths[:3]))
    return []


def _switch(args: list[Word]) -> list[Finding]:
    if has_long(args, "--discard-changes", "--force") or has_short_flag(args, "f"):
        return _f(Level.DANGEROUS, "switches branches, throwing away uncommitted changes")
    return []


def _branch(args: list[Word]) -> list[Finding]:
    names = [w.unquoted for w in operands(args)]
    shown = ", ".join(quote(n) for n in names[:3]) or "branches"
    if has_short_flag(args, "D") or (
            (has_short_flag(args, "d") or has_long(args, "--delete"))
            and (has_short_flag(args, "f") or has_long(args, "--force"))):
        return _f(Level.DANGEROUS, f"force-deletes {shown}, even if not merged")
    if has_short_flag(args, "d") or has_long(args, "--delete"):
        return _f(Level.CAUTION, f"deletes the branch {shown}")
    if has_short_flag(args, "M") or has_short_flag(args, "C"):
        return _f(Level.CAUTION, "renames or copies a branch over an existing one")
    return []


def _rewrite(args: list[Word]) -> list[Finding]:
    return _f(Level.DANGEROUS, "rewrites the whole repository history")


def _reflog(args: list[Word]) -> list[Finding]:
    if args and args[0].unquoted in ("expire", "delete"):
        return _f(Level.DANGEROUS, "erases reflog entries, the safety net for lost commits")
    return []


def _stash(args: list[Word]) -> list[Finding]:
    # A dropped stash survives only as a dangling commit until `git gc`: finding it again
    # takes `git fsck --unreachable`, so both are treated as lost work.
    if args and args[0].unquoted == "clear":
        return _f(Level.DANGEROUS, "deletes every stash: the stashed changes are lost")
    if args and args[0].unquoted == "drop":
        which = next((quote(w.unquoted) for w in args[1:] if not w.unquoted.startswith("-")),
                     "the latest stash")
        return _f(Level.DANGEROUS, f"deletes {which}: its stashed changes are lost")
    return []


def _gc(args: list[Word]) -> list[Finding]:
    if any(a.unquoted in ("--prune=now", "--prune=all") for a in args):
        return _f(Level.DANGEROUS, "permanently removes unreachable commits")
    return []


def _update_ref(args: list[Word]) -> list[Finding]:
    if has_short_flag(args, "d"):
        return _f(Level.DANGEROUS, "deletes a ref directly")
    return []


def _rm(args: list[Word]) -> list[Finding]:
    paths = [w.unquoted for w in operands(args)]
    if (has_short_flag(args, "f") or has_long(args, "--force")) and _discards_everything(paths):
        return _f(Level.DANGEROUS, "removes every file from the work tree and index")
    return []


def _worktree(args: list[Word]) -> list[Finding]:
    if args and args[0].unquoted == "remove" and (has_long(args, "--force")
                                                  or has_short_flag(args, "f")):
        return _f(Level.DANGEROUS, "removes a worktree with its uncommitted changes")
    return []


_HANDLERS = {
    "push": _push, "reset": _reset, "clean": _clean, "checkout": _checkout,
    "restore": _restore, "switch": _switch, "branch": _branch, "filter-branch": _rewrite,
    "filter-repo": _rewrite, "reflog": _reflog, "stash": _stash, "gc": _gc,
    "update-ref": _update_ref, "rm": _rm, "worktree": _worktree,
}

"""Whole trees moved or synced away: `mv` and `rsync --delete`.

Rated by what they take away, like `rm` (the blast radius, measured on disk, raises a move or
sync that reaches the home directory, a system tree, a repository's history, or a huge tree):
- blocked: moving the root, the home directory or a system directory onto /dev/null; syncing
  an empty directory over the home directory, the root or a system directory with `--delete`
  (that is `rm -rf ~/*`);
- dangerous: moving anything onto /dev/null or another device (as root this replaces the
  device, and nothing is kept); moving the root, the home directory, another user's home or a
  system file or directory; `rsync --delete` into the home directory, the root or a system tree,
  or from an empty source into any directory;
- caution: `rsync --delete` elsewhere (files missing from the source are deleted), on another
  machine, and `rsync --remove-source-files`.
Plain moves inside the current directory stay at the baseline's caution.
"""

from __future__ import annotations

import os

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import (
    Invocation,
    has_long,
    has_short_flag,
    option_values,
    synthetic_word,
)
from nlsh.safety.paths import Scope, Target
from nlsh.safety.rules.common import DEV_SINKS, describe, operands, quote, shown_path
from nlsh.shellparse import Word

RULE = "moves_and_syncs"

_WHOLE = (Scope.ROOT, Scope.HOME, Scope.OTHER_HOME, Scope.SYSTEM_CRITICAL)
_RSYNC_DELETES = ("--delete", "--del", "--delete-before", "--delete-during", "--delete-delay",
                  "--delete-after", "--delete-excluded", "--delete-missing-args")
_RSYNC_WITH_VALUE = frozenset({
    "--rsh", "--exclude", "--include", "--filter", "--files-from", "--exclude-from",
    "--include-from", "--chmod", "--chown", "--rsync-path", "--log-file", "--password-file",
    "--temp-dir", "--backup-dir", "--suffix", "--compare-dest", "--copy-dest", "--link-dest",
    "--max-size", "--min-size", "--timeout", "--port", "--bwlimit", "--block-size",
    "--partial-dir", "--out-format", "--usermap", "--groupmap", "--info", "--debug",
    "--skip-compress", "--max-delete", "--modify-window", "--contimeout", "--address",
    "--sockopts", "--outbuf", "--remote-option", "--checksum-choice", "--compress-choice",
    "--compress-level", "--iconv", "--mkpath-mode", "--protocol", "--write-batch",
    "--only-write-batch", "--read-batch", "--stop-after", "--stop-at"})


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.program in ("mv", "gmv"):
        return _mv(inv, ctx)
    if inv.program == "rsync":
        return _rsync(inv, ctx)
    return []


# -- mv ----------------------------------------------------------------------------------------


def _mv(inv: Invocation, ctx: Context) -> list[Finding]:
    words = operands(inv.args, "tS", frozenset({"--target-directory", "--suffix"}))
    explicit = option_values(inv.args, "-t", "--target-directory")
    dest_word = explicit[0] if explicit else (words[-1] if len(words) >= 2 else None)
    sources = words if explicit else words[:-1]
    if dest_word is None:
        return []
    dest = ctx.target(dest_word)
    into_device = dest_word.unquoted in DEV_SINKS or dest.scope is Scope.DEVICE
    findings: list[Finding] = []
    for word in sources:
        for source in ctx.resolve_all([word]):
            findings += _move(source, dest, dest_word, into_device, ctx)
    return findings


def _move(source: Target, dest: Target, dest_word: Word, into_device: bool,
          ctx: Context) -> list[Finding]:
    what = describe(source, ctx)
    where = quote(dest_word.text)
    if into_device:
        level = Level.BLOCKED if source.scope in _WHOLE and not source.glob else Level.DANGEROUS
        return [Finding(level, f"moves {what} onto {where}, which keeps nothing (as root it "
                               "replaces the device itself)", RULE)]
    if source.scope in _WHOLE or source.scope is Scope.SYSTEM:
        return [Finding(Level.DANGEROUS, f"moves {what} to {where}: everything that expects it "
                                         "where it is breaks", RULE)]
    return []


# -- rsync -------------------------------------------------------------------------------------


def _rsync(inv: Invocation, ctx: Context) -> list[Finding]:
    args = inv.args
    if has_short_flag(args, "n") or has_long(args, "--dry-run", "--list-only"):
        return []
    words = operands(args, "efTB", _RSYNC_WITH_VALUE)
    if len(words) < 2:
        return []
    *sources, dest_word = words
    findings: list[Finding] = []
    if has_long(args, "--remove-source-files"):
        findings.append(Finding(Level.CAUTION, "deletes the source files once they are copied "
                                               "(--remove-source-files)", RULE))
    if has_long(args, *_RSYNC_DELETES):
        findings += _sync_delete(sources, dest_word, ctx)
    return findings


def _remote(word: Word) -> str | None:
    text = word.unquoted
    if text.startswith("rsync://"):
        return text[len("rsync://"):].split("/", 1)[0]
    head, sep, _ = text.partition(":")
    if sep and "/" not in head and head:
        return head
    return None


def _sync_delete(sources: list[Word], dest_word: Word, ctx: Context) -> list[Finding]:
    host = _remote(dest_word)
    if host is not None:
        return [Finding(Level.CAUTION, f"deletes files on {host} that are not in the source "
                                       "(--delete)", RULE)]
    dest = ctx.target(dest_word)
    findings: list[Finding] = []
    for word in sources:
        source = None if _remote(word) else ctx.target(word)
        contents_only = word.unquoted.endswith("/")
        receiving = dest
        if not contents_only and source is not None and source.path and dest.path:
            name = os.path.basename(source.path.rstrip("/"))
            receiving = ctx.target(synthetic_word(os.path.join(dest.path, name), dest_word))
        empty = source is not None and source.path is not None and _is_empty_dir(source.path)
        level = _sync_level(receiving.scope, empty)
        shown = _where(receiving, dest_word, ctx)
        if empty:
            reason = (f"empties {shown}: the source {quote(word.text)} is empty, so --delete "
                      "removes everything there")
        else:
            reason = f"deletes whatever in {shown} is not in {quote(word.text)} (--delete)"
        touches: tuple[Touch, ...] = ()
        # Measured only against a source that is here to compare with (else rsync fails).
        if receiving.path and source is not None and source.path and len(sources) == 1 and \
                os.path.isdir(source.path):
            touches = (Touch(receiving.path, "delete", recursive=True, kept_by=source.path),)
        findings.append(Finding(level, reason, RULE, touches))
    return findings


def _where(target: Target, word: Word, ctx: Context) -> str:
    """`~` (your home directory), `/usr` (a system directory), `~/proj/backup`."""
    shown = quote(shown_path(target.path, ctx) if target.path else word.text)
    suffix = {Scope.HOME: " (your home directory)", Scope.ROOT: " (the whole system)",
              Scope.SYSTEM_CRITICAL: " (a system directory)", Scope.SYSTEM: " (system files)",
              Scope.OTHER_HOME: " (another user's home directory)"}.get(target.scope, "")
    return shown + suffix


def _sync_level(scope: Scope, empty_source: bool) -> Level:
    if scope in _WHOLE:
        return Level.BLOCKED if empty_source else Level.DANGEROUS
    if scope in (Scope.SYSTEM, Scope.DYNAMIC) or empty_source:
        return Level.DANGEROUS
    return Level.CAUTION


def _is_empty_dir(path: str) -> bool:
    try:
        return os.path.isdir(path) and not os.listdir(path)
    except OSError:
        return False

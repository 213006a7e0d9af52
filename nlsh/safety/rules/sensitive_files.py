"""Overwriting or editing files that configure the system or your login: `/etc/*`, sudoers,
`/boot`, shell startup files (`~/.bashrc`, `~/.zshrc`, `~/.profile`), `~/.ssh/*`.

Covers truncating redirects (`>`), `tee`, `sed -i` / `perl -i`, `truncate`, `cp`/`mv`/`install`/
`ln -sf`/`rsync` onto them, `crontab -r`, and removing user accounts.
- dangerous: overwriting or in-place editing any of them; appending to system files, sudoers,
  or `~/.ssh/authorized_keys` (a new key can log in as you); `crontab -r`; `userdel`;
- caution: appending to your own shell startup file (`echo 'export X=1' >> ~/.bashrc`), and
  opening one in an editor.
Reading them (`cat ~/.bashrc`) is not this rule's business.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import Invocation, has_long, has_short_flag, option_values
from nlsh.safety.rules.common import DEV_SINKS, operands, quote, shown_path
from nlsh.safety.sensitive import sensitive_kind
from nlsh.shellparse import Word

RULE = "sensitive_files"

_EDITORS = frozenset({"vi", "vim", "nvim", "nano", "emacs", "pico", "micro", "joe", "ed", "ex",
                      "code", "gedit", "kate", "mcedit", "helix", "hx", "sudoedit", "visudo"})


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    findings = _redirects(inv, ctx)
    prog = inv.program
    if prog is None:
        return findings
    if prog == "tee":
        append = has_short_flag(inv.args, "a") or has_long(inv.args, "--append")
        findings += _writes(ctx, operands(inv.args), "appends to {}" if append else
                            "overwrites {}", append=append)
    elif prog in ("sed", "gsed") and _sed_in_place(inv):
        findings += _writes(ctx, _sed_files(inv), "edits {} in place")
    elif prog in ("perl", "ruby") and any(a.startswith("-") and "i" in a[1:] and
                                          not a.startswith("--") for a in inv.argv[:3]):
        files = operands(inv.args, "eE")
        if not any(a in ("-e", "-E") or (a.startswith("-") and a[-1] in "eE") for a in inv.argv):
            files = files[1:]  # no -e: the first operand is the script
        findings += _writes(ctx, files, "edits {} in place")
    elif prog == "truncate":
        findings += _writes(ctx, operands(inv.args, "sr", frozenset({"--size", "--reference"})),
                            "empties {}")
    elif prog in ("cp", "mv", "install", "rsync", "ln", "scp") and _destination(inv):
        if prog == "ln" and not (has_short_flag(inv.args, "f") or has_long(inv.args, "--force")):
            return findings
        dest = _destination(inv)
        assert dest is not None
        findings += _writes(ctx, _landing(inv, dest, ctx), "writes {}")
        if prog == "mv":
            sources = [w for w in operands(inv.args, "tS", frozenset({"--target-directory"}))
                       if w is not dest]
            findings += _writes(ctx, sources, "moves {} away")
    elif prog in _EDITORS:
        for target in ctx.resolve_all(operands(inv.args)):
            kind = sensitive_kind(target.path, ctx.home) if target.path else None
            if kind:
                findings.append(Finding(Level.CAUTION,
                                        f"opens {quote(shown_path(target.path or '', ctx))} "
                                        f"({kind}) in an editor", RULE))
    elif prog == "crontab" and any(a.startswith("-") and "r" in a for a in inv.argv):
        findings.append(Finding(Level.DANGEROUS, "deletes all your scheduled cron jobs", RULE))
    elif prog in ("userdel", "deluser", "groupdel", "delgroup"):
        findings.append(Finding(Level.DANGEROUS, f"{prog} removes a user account or group" + (
            " and its home directory" if has_short_flag(inv.args, "r")
            or has_long(inv.args, "--remove", "--remove-home") else ""), RULE))
    elif prog == "passwd" and any(a in ("-d", "--delete") for a in inv.argv):
        findings.append(Finding(Level.DANGEROUS, "removes a password, so the account needs none",
                                RULE))
    return findings


def _redirects(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for r in inv.redirects:
        if not r.writes_file or r.target is None:
            continue
        findings += _writes(ctx, [r.target], "appends to {}" if r.operator.endswith(">>") else
                            "overwrites {}", append=r.operator.endswith(">>"))
    return findings


def _writes(ctx: Context, words: Sequence[Word], verb: str, *, append: bool = False
            ) -> list[Finding]:
    findings: list[Finding] = []
    for target in ctx.resolve_all(words):
        if target.path is None or target.path in DEV_SINKS:
            continue
        path = target.path
        kind = sensitive_kind(path, ctx.home)
        if not kind:
            continue
        level = Level.DANGEROUS
        if append and kind == "your shell startup file":
            level = Level.CAUTION
        touches = () if append else (Touch(path, "overwrite", glob=target.glob),)
        shown = quote(shown_path(path, ctx))
        findings.append(Finding(level, verb.format(shown) + f" ({kind})", RULE, touches))
    return findings


def _landing(inv: Invocation, dest: Word, ctx: Context) -> list[Word]:
    """Where `cp SRC... DEST` writes: DEST itself, or DEST/basename(SRC) into a directory."""
    target = ctx.target(dest)
    into_dir = dest.unquoted.endswith("/") or bool(
        target.path and os.path.isdir(target.path)) or inv.program in ("scp", "rsync")
    if not into_dir or target.path is None:
        return [dest]
    sources = [w for w in operands(inv.args, "tS", frozenset({"--target-directory",
                                                             "--suffix"})) if w is not dest]
    landed: list[Word] = []
    for src in sources:
        name = posixpath.basename(src.unquoted.rstrip("/"))
        if name:
            path = posixpath.join(target.path, name)
            landed.append(Word(text=path, unquoted=path, has_expansion=False, has_glob=False,
                               start=dest.start, end=dest.end))
    return landed or [dest]


def _sed_in_place(inv: Invocation) -> bool:
    return any(a == "--in-place" or a.startswith("--in-place=") or (
        a.startswith("-") and not a.startswith("--") and "i" in a[1:].split("e")[0])
        for a in inv.argv)


def _sed_files(inv: Invocation) -> list[Word]:
    words = operands(inv.args, "ef", frozenset({"--expression", "--file"}))
    if option_values(inv.args, "-e", "--expression") or option_values(inv.args, "-f", "--file"):
        return words
    return words[1:]  # the first operand is the script


def _destination(inv: Invocation) -> Word | None:
    targets = option_values(inv.args, "-t", "--target-directory")
    if targets:
        return targets[0]
    words = operands(inv.args, "tSm" if inv.program == "install" else "t",
                     frozenset({"--target-directory", "--suffix", "--mode"}))
    return words[-1] if len(words) >= 2 else None

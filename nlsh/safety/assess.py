"""The risk of a whole command line: every invocation through every rule, then the blast radius."""

from __future__ import annotations

from collections.abc import Iterable

from nlsh import shellparse
from nlsh.records import Level, Risk
from nlsh.safety import blast_radius as blast
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import expand, static_assignments
from nlsh.safety.paths import default_cwd, default_home, normalise
from nlsh.safety.rules import RULES, privilege

MAX_COMMAND_CHARS = 200_000
MAX_REASONS = 8
GENERIC = "baseline"  # the rule whose program-level sentences give way to specific ones
REDIRECT = "baseline.redirect"


def assess(command: str, *, cwd: str | None = None, home: str | None = None,
           blast_radius: bool = True) -> Risk:
    """Judge a command without running it. Never raises."""
    try:
        return _assess(command, cwd=cwd, home=home, blast_radius=blast_radius)
    except Exception:  # a bug or a pathological input must never take the caller down
        return Risk(Level.CAUTION, ["nlsh could not analyse this command, so it cannot vouch "
                                    "for it"])


def assess_many(commands: Iterable[str], cwd: str | None = None, *, home: str | None = None,
                blast_radius: bool = True) -> list[Risk]:
    return [assess(c, cwd=cwd, home=home, blast_radius=blast_radius) for c in commands]


def findings_for(command: str, *, cwd: str | None = None, home: str | None = None
                 ) -> list[Finding]:
    """All findings, unsorted (for tests and debugging)."""
    if not isinstance(command, str):
        return [Finding(Level.CAUTION, "not a command", "input")]
    if len(command) > MAX_COMMAND_CHARS:
        return [Finding(Level.CAUTION, "the command is too long to check", "input")]
    if "\x00" in command:
        return [Finding(Level.CAUTION, "the command contains a NUL byte, which shells "
                                       "treat unpredictably", "input")]
    cwd = normalise(cwd or default_cwd(), "/")
    home = normalise(home or default_home(), "/")
    parsed = shellparse.parse(command)
    ctx = Context(cwd=cwd, home=home, parsed=parsed)
    ctx.invocations = expand(parsed)
    ctx.variables = static_assignments(parsed)
    findings: list[Finding] = []
    for rule in RULES:
        whole = getattr(rule, "check_command", None)
        if whole is not None:
            findings += whole(ctx)
    for inv in ctx.invocations:
        own: list[Finding] = []
        here = ctx.after_cd(inv.cwd)
        for rule in RULES:
            own += rule.check(inv, here)
        own += privilege.escalate(inv, own)
        own = _drop_generic(own)
        if inv.remote:
            # Paths name files over there: no local blast radius; say where it happens.
            own = [Finding(f.level, f"on {inv.remote}: {f.reason}" if f.reason else "", f.rule)
                   for f in own]
        findings += own
    return findings


def _drop_generic(findings: list[Finding]) -> list[Finding]:
    """"`rm` deletes files" says nothing once a rule has said what exactly it deletes."""
    specific = [f for f in findings if not f.rule.startswith(GENERIC) and f.rule != "privilege"]
    if not specific:
        return findings
    kept = []
    for f in findings:
        if f.rule == GENERIC:
            if f.touches:  # keep what it touches for the blast radius, not its sentence
                kept.append(Finding(f.level, "", f.rule, f.touches))
            continue
        # "writes output to `~/.bashrc`" repeats what "overwrites `~/.bashrc` (...)" says.
        quoted = _quoted(f.reason)
        if f.rule == REDIRECT and quoted and any(quoted in s.reason for s in specific):
            continue
        kept.append(f)
    return kept


def _quoted(reason: str) -> str | None:
    """The first `...` span of a reason."""
    start = reason.find("`")
    end = reason.find("`", start + 1)
    return reason[start:end + 1] if start >= 0 and end > start else None


def _assess(command: str, *, cwd: str | None, home: str | None, blast_radius: bool) -> Risk:
    if not command.strip():
        return Risk(Level.SAFE, [])
    cwd_abs = normalise(cwd or default_cwd(), "/")
    home_abs = normalise(home or default_home(), "/")
    findings = findings_for(command, cwd=cwd_abs, home=home_abs)
    level = max((f.level for f in findings), default=Level.SAFE)
    radius = None
    sentence = None
    touches = [t for f in findings for t in f.touches]
    if blast_radius and touches:
        measured = blast.measure(_unique(touches), cwd=cwd_abs, home=home_abs)
        if measured.existing:
            radius = measured.radius
            sentence = blast.describe(measured, home=home_abs)
            level = max(level, blast.level_for(measured, cwd=cwd_abs, home=home_abs))
    if sentence and sentence.startswith("overwrites"):
        # "overwrites notes.txt (2 kB)" already says what "overwrites `notes.txt`" says.
        findings = [f for f in findings
                    if not (f.rule == REDIRECT and f.reason.startswith("overwrites"))]
    reasons = _reasons(findings)
    if sentence:
        reasons.insert(0, sentence)
    if level is Level.SAFE and not reasons:
        reasons = ["only reads: nothing on disk or in the system is changed"]
    return Risk(level, reasons[:MAX_REASONS], radius)


def _unique(touches: list[Touch]) -> list[Touch]:
    seen: set[Touch] = set()
    out = []
    for t in touches:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _reasons(findings: list[Finding]) -> list[str]:
    """Most severe first, each sentence once."""
    ordered = sorted(findings, key=lambda f: -int(f.level))
    seen: set[str] = set()
    reasons = []
    for f in ordered:
        if f.level is Level.SAFE or not f.reason or f.reason in seen:
            continue
        seen.add(f.reason)
        reasons.append(f.reason)
    return reasons

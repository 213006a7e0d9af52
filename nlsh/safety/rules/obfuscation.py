"""Commands nlsh cannot see through: a program name computed at run time (`$CMD foo`,
`$(echo rm) -rf /`), a name hidden in a variable set on the same line, code that does not parse,
code nested deeper than nlsh follows, and invisible control or private-use characters.
All at least caution.

When the hidden name could be recovered (`x=rm; $x -rf /`), the other rules judge the real
program; this rule adds that the name was disguised.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.rules.common import quote

RULE = "obfuscation"


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    if inv.dynamic_name and inv.name is not None:
        findings.append(Finding(Level.CAUTION,
                                f"runs a command whose name is only known at run time "
                                f"({quote(inv.name.text)})", RULE))
    if inv.resolved_from is not None:
        findings.append(Finding(Level.CAUTION,
                                f"hides the program name {quote(inv.program or '')} behind "
                                f"{quote(inv.resolved_from)}", RULE))
    if inv.nesting_exceeded:
        findings.append(Finding(Level.CAUTION, "nests code too deeply for nlsh to check", RULE))
    if inv.program is None and inv.name is None and inv.parsed.has_error and inv.depth > 0:
        findings.append(Finding(Level.CAUTION,
                                f"the code given to {inv.via or 'a shell'} does not parse "
                                "cleanly, so it cannot be fully checked", RULE))
    return findings


def check_command(ctx: Context) -> list[Finding]:
    """Whole-command checks: the parse itself."""
    findings: list[Finding] = []
    if ctx.parsed.has_error:
        findings.append(Finding(Level.CAUTION, "the command does not parse cleanly as shell, so "
                                               "nlsh cannot fully check it", RULE))
    if ctx.parsed.has_odd_chars:
        findings.append(Finding(Level.CAUTION, "the command contains invisible or unusual "
                                               "characters (control or private-use)", RULE))
    return findings

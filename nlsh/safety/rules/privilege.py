"""Running as root or another user: `sudo`, `doas`, `su -c`, `pkexec`, `runuser`.

The command run this way keeps its own level, raised one step, and is at least caution: the same
mistake as root reaches the whole system. The raise stops at dangerous (`sudo reboot` is not
blocked); blocked comes only from the inner command itself (`sudo rm -rf /`). An interactive root
shell (`sudo -i`, `sudo -s`, `su -`) is caution before the raise, so dangerous after it.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation

RULE = "privilege"


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.root_shell:
        return [Finding(Level.CAUTION, f"opens an interactive shell as root ({inv.privileged})",
                        RULE)]
    return []


def escalate(inv: Invocation, findings: list[Finding]) -> list[Finding]:
    """The extra finding for a privileged invocation: its own level, one step higher."""
    if not inv.privileged:
        return []
    inner = max((f.level for f in findings), default=Level.SAFE)
    # Raising alone never reaches `blocked`: that is for wide, irrecoverable damage, which the
    # inner command's own findings say (`sudo rm -rf /` stays blocked through them).
    level = max(min(inner.raised(), Level.DANGEROUS), Level.CAUTION)
    what = f"`{inv.program}`" if inv.program and inv.program != inv.privileged else "it"
    if inv.root_shell:
        return [Finding(level, "everything typed in that shell runs as root", RULE)]
    return [Finding(level, f"runs {what} as root via {inv.privileged}, so mistakes reach the "
                           "whole system", RULE)]

"""Turning off the system's defences: flushing or disabling the firewall, disabling SELinux,
AppArmor or macOS protections, and disabling address-space randomisation.

Dangerous: the machine stays up, but is open to what those defences kept out.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation

RULE = "security_settings"


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    argv = inv.argv
    reason: str | None = None
    if prog in ("iptables", "ip6tables", "iptables-legacy", "iptables-nft") and any(
            a in ("-F", "--flush", "-X", "--delete-chain") for a in argv):
        reason = "flushes the firewall rules"
    elif prog in ("iptables", "ip6tables") and "-P" in argv and "ACCEPT" in argv:
        reason = "makes the firewall accept everything by default"
    elif prog == "nft" and argv[:2] == ["flush", "ruleset"]:
        reason = "flushes the firewall rules"
    elif prog == "ufw" and argv[:1] and argv[0] in ("disable", "reset"):
        reason = "turns the firewall off"
    elif prog == "setenforce" and argv[:1] and argv[0] in ("0", "Permissive", "permissive"):
        reason = "turns SELinux enforcement off"
    elif prog in ("aa-teardown", "aa-disable"):
        reason = "turns AppArmor protection off"
    elif prog == "spctl" and any(a in ("--master-disable", "--global-disable") for a in argv):
        reason = "lets any unsigned app run (Gatekeeper off)"
    elif prog == "csrutil" and argv[:1] == ["disable"]:
        reason = "turns System Integrity Protection off"
    elif prog == "sysctl" and any(a.replace(" ", "") in ("kernel.randomize_va_space=0",)
                                  for a in argv):
        reason = "turns off address-space randomisation"
    if reason is None:
        return []
    return [Finding(Level.DANGEROUS, reason, RULE)]

"""Risk analysis: how much damage a shell command could do, judged from its parse alone.

    from nlsh.safety import assess
    risk = assess("rm -rf ~/ build", cwd="/home/ana/src")   # records.Risk
    risk.level          # Level.BLOCKED
    risk.reasons        # ["recursively deletes your entire home directory (`~/`) — ..."]
    risk.blast_radius   # BlastRadius(files=..., bytes=..., includes_home=True, ...)

Nothing is executed: the command is parsed with tree-sitter-bash (`nlsh.shellparse`), wrappers
(`sudo`, `env`, `xargs`, `find -exec`, `bash -c`, ...) are looked through
(`nlsh.safety.invocations`), and each program that would run goes through the rule families in
`nlsh.safety.rules`, one module each. The whole command's level is the maximum over its parts.
"""

from nlsh.safety.assess import assess, assess_many, findings_for
from nlsh.safety.findings import Finding, Touch

__all__ = ["Finding", "Touch", "assess", "assess_many", "findings_for"]

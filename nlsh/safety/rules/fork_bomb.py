"""Fork bombs: a function that calls itself in a pipeline or in the background
(`:(){ :|:& };:`, `bomb(){ bomb | bomb & }; bomb`), and the one-liners other languages use
(`perl -e 'fork while fork'`).

Defining and calling one is blocked: the machine runs out of processes and freezes. Defining it
without calling it is dangerous. A function that only calls itself in the foreground recurses
until the shell fails: caution.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.programs import INTERPRETERS, SHELLS

RULE = "fork_bomb"

_LOOP_WORDS = ("while", "for", "loop", "until", "each", "repeat")


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    findings = _shell_function(inv, ctx)
    if inv.program in INTERPRETERS and inv.program not in SHELLS and inv.code_words:
        code = " ".join(w.unquoted for w in inv.code_words)
        if "fork" in code and any(word in code for word in _LOOP_WORDS):
            findings.append(Finding(Level.BLOCKED,
                                    f"starts processes endlessly with fork() in {inv.program} — a "
                                    "fork bomb that freezes the machine", RULE))
    return findings


def _shell_function(inv: Invocation, ctx: Context) -> list[Finding]:
    cmd = inv.command
    name = cmd.function
    if name is None or inv.program != name:
        return []
    spawning = cmd.pipeline_id is not None or cmd.background
    called = any(other.program == name and other.command.function != name
                 for other in ctx.invocations if other.parsed is inv.parsed)
    shown = f"`{name}`"
    if spawning:
        if called:
            return [Finding(Level.BLOCKED,
                            f"defines and runs a fork bomb: function {shown} starts copies of "
                            "itself until the machine freezes", RULE)]
        return [Finding(Level.DANGEROUS,
                        f"defines a fork bomb (function {shown} starts copies of itself)", RULE)]
    return [Finding(Level.CAUTION, f"function {shown} calls itself endlessly", RULE)]

"""The confirmation gate: the only way to obtain an `Approval`, and nothing runs without one.

Tiers: safe -> choosing "run" (Enter) runs; caution -> y/N; dangerous -> the user types
`yes` after seeing the reasons and blast radius; blocked -> never runs from nlsh.
No flag skips this.
The risk is always recomputed here from the exact text that will run (an edited command
is a new command).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nlsh.records import Level, Risk

_GATE_TOKEN = object()

Ask = Callable[[str], str]  # shows a prompt, returns what the user typed ("" on Enter)


@dataclass(frozen=True)
class Approval:
    """Proof that a human confirmed this exact command at its risk level."""

    command: str
    risk: Risk
    _token: object

    def __post_init__(self) -> None:
        if self._token is not _GATE_TOKEN:
            raise PermissionError("an Approval can only be issued by nlsh.gate.confirm")


class Blocked(Exception):
    """The command is blocked: nlsh will not run it."""

    def __init__(self, risk: Risk) -> None:
        super().__init__("; ".join(risk.reasons) or "blocked")
        self.risk = risk


PROMPTS = {
    Level.CAUTION: "This changes files or state. Run it? [y/N]: ",
    Level.DANGEROUS: "This is dangerous. Type 'yes' to run it: ",
}


def assess(command: str, cwd: str | None = None) -> Risk:
    from nlsh.safety import assess as analyse

    return analyse(command, cwd=cwd)


def accepted(level: Level, answer: str) -> bool:
    reply = answer.strip()
    if level is Level.SAFE:
        return reply == "" or reply.lower() in ("y", "yes")
    if level is Level.CAUTION:
        return reply.lower() in ("y", "yes")
    if level is Level.DANGEROUS:
        return reply == "yes"
    return False


def confirm(command: str, ask: Ask, *, cwd: str | None = None,
            show: Callable[[Risk], None] | None = None) -> Approval | None:
    """Ask at the tier the command's risk requires. None if the user declined.

    Raises Blocked for a blocked command: it cannot be approved at all.
    """
    risk = assess(command, cwd=cwd)
    if risk.level is Level.BLOCKED:
        raise Blocked(risk)
    if risk.level is not Level.SAFE:
        # A safe command was confirmed by choosing "run" (Enter); the rest are asked again.
        if show is not None:
            show(risk)
        if not accepted(risk.level, ask(PROMPTS[risk.level])):
            return None
    return Approval(command=command, risk=risk, _token=_GATE_TOKEN)

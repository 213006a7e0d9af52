"""Fix and revise: the deterministic edits they add to the candidates, and how they reorder
the ranked candidates (the pipeline calls both; everything else is in `fixes` and
`revisions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nlsh import fixes, revisions
from nlsh.records import Candidate

if TYPE_CHECKING:
    from nlsh.pipeline import SuggestRequest

EDIT_ORIGIN = "edit"  # a minimal edit made here, not by the model
# How much rewriting the whole failed (or revised) command costs a candidate, against a
# ranking score whose spread is a few units: enough that a small edit of the command outranks
# a new pipeline the model likes a little more.
DISTANCE_WEIGHT = 3.0


def previous_command(req: SuggestRequest) -> str | None:
    """The command being revised: the last one the conversation settled on."""
    for message in reversed(req.conversation):
        if message.role == "assistant" and message.content.strip():
            return message.content.strip()
    return None


def edits(req: SuggestRequest) -> list[str]:
    """Deterministic candidates for a fix or a revision (none for a plain suggestion)."""
    ctx = req.context
    if req.mode == "fix" and ctx.last_command:
        return fixes.minimal_edits(ctx.last_command, ctx.last_exit_status, ctx.last_error,
                                   ctx.cwd).edits
    previous = previous_command(req)
    if req.mode == "revise" and previous:
        return revisions.direct_edits(previous, req.request)
    return []


def reorder(req: SuggestRequest, ranked: list[Candidate]) -> list[Candidate]:
    """Fix: minimal edits first, then what edits the failed command, least changed first.
    Revise: what moves in the direction asked first (the flag added here, then the least
    rewritten), the unchanged command last."""
    ctx = req.context
    if req.mode == "fix" and ctx.last_command:
        return sorted(ranked, key=_fix_key(ctx.last_command, ranked), reverse=True)
    previous = previous_command(req)
    if req.mode == "revise" and previous:
        key = revisions.order_key(previous, req.request)
        return sorted(ranked, key=lambda c: (c.valid, *key(c.command), EDIT_ORIGIN in c.origins,
                                             _closeness(previous, c)), reverse=True)
    return ranked


FixKey = tuple[bool, bool, bool, bool, float]


def _fix_key(failed: str, ranked: list[Candidate]) -> Callable[[Candidate], FixKey]:
    related = fixes.programs_of(failed)
    for candidate in ranked:
        if EDIT_ORIGIN in candidate.origins:
            related |= fixes.programs_of(candidate.command)

    def key(c: Candidate) -> FixKey:
        same = revisions.unchanged(failed, c.command)
        shares = bool(fixes.programs_of(c.command) & related)
        return (c.valid, not same, EDIT_ORIGIN in c.origins, shares, _closeness(failed, c))
    return key


def _closeness(before: str, c: Candidate) -> float:
    """The ranking score less the cost of how much of `before` the candidate rewrote."""
    return c.score - DISTANCE_WEIGHT * fixes.edit_distance(before, c.command)

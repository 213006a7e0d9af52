"""Adaptive sampling: how many sampled answers a request draws, decided as they come in.

A request first draws the greedy answer and `FIRST_SAMPLES` samples. When they and the
retrieval agree (the samples say what the greedy answer says, and so does one of the commands
adapted from the most similar examples) more samples would mostly repeat them: the request
stops there. When only one of the two agrees, it draws up to half of the configured samples;
when neither does, all of them. Which commands count as the same is `candidates.normalize`.
"""

from __future__ import annotations

from collections.abc import Sequence

FIRST_SAMPLES = 2
# How many of the retrieved commands (best first) may confirm the greedy answer.
RETRIEVAL_AGREEMENT = 3


def first_round(configured: int) -> int:
    """Samples drawn with the greedy answer before anything is decided."""
    return min(configured, FIRST_SAMPLES)


def total_samples(configured: int, greedy: str | None, first: Sequence[str | None],
                  retrieved: Sequence[str]) -> int:
    """How many samples the request should have in all (at least what it has drawn).

    `greedy` and `first` are the commands extracted from the greedy answer and the first
    samples (None where no command could be extracted), `retrieved` the retrieved commands.
    """
    from nlsh.candidates import normalize

    drawn = len(first)
    if configured <= drawn:
        return drawn
    if greedy is None:
        return configured
    key = normalize(greedy)
    samples_agree = all(c is not None and normalize(c) == key for c in first)
    retrieval_agrees = any(normalize(c) == key for c in retrieved[:RETRIEVAL_AGREEMENT])
    if samples_agree and retrieval_agrees:
        return drawn
    if samples_agree or retrieval_agrees:
        return max(drawn, (configured + 1) // 2)
    return configured

"""Near-duplicate detection between eval requests and corpus requests.

The eval must not test what the corpus teaches: a request whose token set overlaps a corpus
request's by Jaccard >= 0.8, or whose normalised edit similarity is >= 0.85, counts as seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

JACCARD_LIMIT = 0.8
EDIT_LIMIT = 0.85
_TOKEN = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def levenshtein(a: str, b: str) -> int:
    """Edit distance, bit-parallel (Myers 1999, in Hyyrö's 2001 formulation): one pass over
    `b` with `a`'s positions as bits of an integer, so a pair costs O(len(b)) integer ops."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    positions: dict[str, int] = {}
    for i, ch in enumerate(a):
        positions[ch] = positions.get(ch, 0) | (1 << i)
    mask = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    plus, minus, score = mask, 0, len(a)
    for ch in b:
        eq = positions.get(ch, 0)
        xv = eq | minus
        xh = ((((eq & plus) + plus) & mask) ^ plus) | eq
        hplus = (minus | ~(xh | plus)) & mask
        hminus = plus & xh
        if hplus & last:
            score += 1
        elif hminus & last:
            score -= 1
        hplus = ((hplus << 1) | 1) & mask
        hminus = (hminus << 1) & mask
        plus = (hminus | ~(xv | hplus)) & mask
        minus = hplus & xv
    return score


def edit_similarity(a: str, b: str) -> float:
    """1 - levenshtein / longer length, on normalised text."""
    a, b = normalize(a), normalize(b)
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - levenshtein(a, b) / longest


@dataclass(frozen=True)
class NearestMatch:
    """A request's closest corpus requests, by each measure."""

    request: str
    jaccard: float
    jaccard_with: str
    edit: float
    edit_with: str

    @property
    def duplicate(self) -> bool:
        return self.jaccard >= JACCARD_LIMIT or self.edit >= EDIT_LIMIT


def bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _edit_bound(a: str, b: str, grams_a: frozenset[str], grams_b: frozenset[str]) -> float:
    """An upper bound of the edit similarity of a and b, from their sets of bigrams: one edit
    removes at most two bigram occurrences, so a bigram of one that the other lacks entirely
    costs at least half an edit; and the length difference costs one edit per character."""
    longest = max(len(a), len(b)) or 1
    missing = max(len(grams_a - grams_b), len(grams_b - grams_a))
    least = max(abs(len(a) - len(b)), (missing + 1) // 2)
    return 1.0 - least / longest


def nearest(requests: Sequence[str], corpus: Iterable[str],
            floor: float = 0.0) -> list[NearestMatch]:
    """For each request, the corpus request with the highest Jaccard and the one with the
    highest edit similarity. Exact for edit similarities above `floor`: pairs are measured in
    order of a cheap upper bound until the bound cannot beat the best found (or the floor);
    below it, 0.0 is reported."""
    pool = [(text, tokens(text), bigrams(text)) for text in sorted({normalize(c) for c in corpus})]
    found: list[NearestMatch] = []
    for request in requests:
        text, toks, grams = normalize(request), tokens(request), bigrams(normalize(request))
        best_jac, jac_with = 0.0, ""
        bounds = []
        size = len(text)
        for other, other_toks, other_grams in pool:
            jac = jaccard(toks, other_toks)
            if jac > best_jac:
                best_jac, jac_with = jac, other
            # The length difference alone rules out most pairs, before any set arithmetic.
            if abs(size - len(other)) >= (1.0 - floor) * max(size, len(other)):
                continue
            bound = _edit_bound(text, other, grams, other_grams)
            if bound > floor:
                bounds.append((bound, other))
        bounds.sort(reverse=True)
        best_edit, edit_with = 0.0, ""
        for bound, other in bounds:
            if bound <= best_edit:
                break
            edit = 1.0 - levenshtein(text, other) / (max(len(text), len(other)) or 1)
            if edit > best_edit:
                best_edit, edit_with = edit, other
        found.append(NearestMatch(request, best_jac, jac_with, best_edit, edit_with))
    return found

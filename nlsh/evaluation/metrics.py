"""The numbers an eval reports: pass@k, top-1, success@shown, random pick, latency."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PASS_AT = (1, 3, 8)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of P(at least one of k samples passes) from n samples, c passing.

    1 - C(n-c, k) / C(n, k), computed as a running product (Chen et al. 2021, "Evaluating
    Large Language Models Trained on Code", fig. 3) so that no huge binomials are formed.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in [0, 100]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class TaskScore:
    """One task's outcome, in the terms the summary averages."""

    task_id: str
    programs: tuple[str, ...]
    top1: bool  # the first ranked candidate passed
    at_shown: bool  # one of the candidates shown to the user passed
    greedy: bool  # the greedy sample's command passed
    pool_size: int  # candidates in the ranked pool
    pool_passed: int  # of which passed
    n: int  # raw sampled (non-greedy) answers
    c: int  # of which passed
    latency_s: float
    category: str = ""  # the dev set's category ("" for the lenient set)
    split: str = ""  # the dev set's split: dev | final
    lenient_top1: bool | None = None  # the lenient checks' verdict, where a task has them

    @property
    def random_pick(self) -> float:
        """Expected success of picking a ranked candidate uniformly at random (exact)."""
        return self.pool_passed / self.pool_size if self.pool_size else 0.0

    def pass_at(self, k: int) -> float | None:
        return pass_at_k(self.n, self.c, k) if 1 <= k <= self.n else None


@dataclass
class Summary:
    tasks: int = 0
    top1: float = 0.0
    at_shown: float = 0.0
    greedy: float = 0.0
    random_pick: float = 0.0
    ranking_gain: float = 0.0  # top1 - random_pick: what log-probability ranking buys
    oracle: float = 0.0  # some ranked candidate passed (what a perfect ranker would get)
    lenient_top1: float | None = None  # on the tasks that have lenient checks too
    pass_at: dict[str, float | None] = field(default_factory=dict)
    latency_p50_s: float | None = None
    latency_p95_s: float | None = None

    def to_dict(self) -> dict[str, object]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {
            "tasks": self.tasks,
            "top1": r(self.top1),
            "success_at_shown": r(self.at_shown),
            "greedy": r(self.greedy),
            "random_pick": r(self.random_pick),
            "ranking_gain": r(self.ranking_gain),
            "oracle": r(self.oracle),
            "lenient_top1": r(self.lenient_top1),
            "pass_at": {k: r(v) for k, v in self.pass_at.items()},
            "latency_p50_s": r(self.latency_p50_s),
            "latency_p95_s": r(self.latency_p95_s),
        }


def summarize(scores: Sequence[TaskScore], ks: Iterable[int] = PASS_AT) -> Summary:
    if not scores:
        return Summary()
    count = len(scores)

    def mean(values: Iterable[float]) -> float:
        return sum(values) / count

    top1 = mean(float(s.top1) for s in scores)
    random_pick = mean(s.random_pick for s in scores)
    pass_at: dict[str, float | None] = {}
    for k in ks:
        values = [s.pass_at(k) for s in scores]
        # pass@k is only defined when every task has at least k samples.
        defined = [v for v in values if v is not None]
        pass_at[str(k)] = sum(defined) / count if len(defined) == count else None
    latencies = [s.latency_s for s in scores]
    lenient = [s.lenient_top1 for s in scores if s.lenient_top1 is not None]
    return Summary(
        tasks=count,
        top1=top1,
        at_shown=mean(float(s.at_shown) for s in scores),
        greedy=mean(float(s.greedy) for s in scores),
        random_pick=random_pick,
        ranking_gain=top1 - random_pick,
        oracle=mean(float(s.pool_passed > 0) for s in scores),
        lenient_top1=sum(lenient) / len(lenient) if lenient else None,
        pass_at=pass_at,
        latency_p50_s=percentile(latencies, 50),
        latency_p95_s=percentile(latencies, 95),
    )


def by_program(scores: Sequence[TaskScore]) -> dict[str, Summary]:
    """A summary per program tag (a task with two programs counts for both)."""
    groups: dict[str, list[TaskScore]] = {}
    for score in scores:
        for program in score.programs:
            groups.setdefault(program, []).append(score)
    return {name: summarize(group) for name, group in sorted(groups.items())}


def by_field(scores: Sequence[TaskScore], name: str) -> dict[str, Summary]:
    """A summary per value of a score's field ("category", "split"); "" values left out."""
    groups: dict[str, list[TaskScore]] = {}
    for score in scores:
        value = getattr(score, name)
        if value:
            groups.setdefault(value, []).append(score)
    return {value: summarize(group) for value, group in sorted(groups.items())}

"""The last check before candidates are shown: try the best few in the sandbox.

Judging by execution, not text: a command that fails on the user's own files (`unxz` on a
gzip file, `cut -f` on a file it cannot find, a flag this version rejects at run time) is
wrong here however likely the model found it. Such a candidate is marked invalid, with what
it said, and ranks below the candidates of its standing that ran or were not tried (but not
below worse-standing ones: see `candidates.order_after_trials`); the trials run in
parallel, a second at most each, and leave the real files untouched (`nlsh.sandbox.trial`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from nlsh.candidates import order_after_trials
from nlsh.records import Candidate, Level, ShellContext
from nlsh.sandbox.trial import TrialRun, trial_run

PARALLEL_TRIALS = 3
# When the user asks whether something is valid, intact or the same, a command that reports
# "no" through its exit status and stderr (`jq empty broken.json`, `sha256sum -c`, `gzip -t`,
# `cmp`) is doing its job: its failure says nothing against it.
_ASKS_FOR_A_VERDICT = re.compile(
    r"\b(check|checks|checking|verify|verifies|validate|valid|invalid|test|tests|compare|"
    r"differ|differs|different|same|identical|corrupt|corrupted|broken|intact|lint|whether)\b",
    re.I)


def try_candidates(ranked: Sequence[Candidate], context: ShellContext, *, request: str,
                   tries: int) -> list[Candidate]:
    """`ranked` with the first `tries` valid candidates tried and those that failed moved
    below every other valid one. They stay in the list, marked, for the user to see why."""
    if _ASKS_FOR_A_VERDICT.search(request):
        return list(ranked)
    chosen = list(itertools.islice((c for c in ranked if c.valid and _may_try(c, context)),
                                   max(0, tries)))
    if not chosen:
        return list(ranked)
    with ThreadPoolExecutor(max_workers=min(PARALLEL_TRIALS, len(chosen))) as pool:
        runs = list(pool.map(lambda c: trial_run(c.command, cwd=context.cwd), chosen))
    for candidate, run in zip(chosen, runs, strict=True):
        if run is not None:
            candidate.trial = "failed" if run.failed else "passed"
        if run is not None and run.failed:
            candidate.valid = False
            candidate.problems.append(failure_note(run))
    return order_after_trials(ranked)


def _may_try(candidate: Candidate, context: ShellContext) -> bool:
    """Not what the safety rules block outright (a fork bomb is contained, but costs the
    machine); the sandbox contains everything else."""
    from nlsh.safety import assess

    return assess(candidate.command, cwd=context.cwd, blast_radius=False).level < Level.BLOCKED


def failure_note(run: TrialRun) -> str:
    return f"failed when tried here (exit status {run.exit_code}): {run.error[:120]}"

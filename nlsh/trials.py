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
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for

from nlsh.candidates import order_after_trials
from nlsh.records import Candidate, Level, ShellContext
from nlsh.sandbox.trial import TrialRun, trial_run

PARALLEL_TRIALS = 3
# How long the request waits for trials still running once the ranking is final. Trials
# start while the model scores retrieved commands (`TrialStage.start`), so most are done
# by then; one that is not is simply not used: it neither demotes nor delays its candidate.
STAGE_CAP_S = 0.3
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
    below every other valid one. They stay in the list, marked, for the user to see why.
    Waits for every trial (the pipeline uses `TrialStage` with its cap instead)."""
    return TrialStage(context, request=request, tries=tries, cap_s=None).finish(ranked)


class TrialStage:
    """Trial runs on a worker pool, started early and collected with a wall-clock cap.

    `start` tries candidates as soon as they are known (the model's own, while the retrieved
    ones are still being scored); `finish` tries whatever the final ranking adds, waits at
    most `cap_s`, and demotes only the candidates whose trial finished and failed.
    """

    def __init__(self, context: ShellContext, *, request: str, tries: int,
                 cap_s: float | None = STAGE_CAP_S) -> None:
        self.context, self.tries, self.cap_s = context, max(0, tries), cap_s
        self.skip = self.tries == 0 or bool(_ASKS_FOR_A_VERDICT.search(request))
        self._pool: ThreadPoolExecutor | None = None
        self._runs: dict[str, Future[TrialRun | None]] = {}
        self.unfinished: list[str] = []  # commands whose trial was still running at the cap

    def start(self, candidates: Sequence[Candidate]) -> None:
        """Try the first `tries` triable candidates of `candidates` (not tried already)."""
        if self.skip:
            return
        for candidate in self._chosen(candidates):
            if candidate.command not in self._runs:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=PARALLEL_TRIALS,
                                                    thread_name_prefix="nlsh-trial")
                self._runs[candidate.command] = self._pool.submit(
                    trial_run, candidate.command, cwd=self.context.cwd)

    def finish(self, ranked: Sequence[Candidate]) -> list[Candidate]:
        """`ranked` with the trials of its first `tries` triable candidates applied."""
        if self.skip:
            return list(ranked)
        chosen = self._chosen(ranked)
        self.start(chosen)
        waiting = [self._runs[c.command] for c in chosen]
        if waiting:
            wait_for(waiting, timeout=self.cap_s)
        demoted = False
        for candidate in chosen:
            future = self._runs[candidate.command]
            if not future.done():
                self.unfinished.append(candidate.command)
                continue
            run = None if future.exception() is not None else future.result()
            if run is not None:
                candidate.trial = "failed" if run.failed else "passed"
            if run is not None and run.failed:
                candidate.valid = False
                candidate.problems.append(failure_note(run))
                demoted = True
        if self._pool is not None:
            # Trials still running end by their own timeout; nobody waits for them.
            self._pool.shutdown(wait=False, cancel_futures=True)
        if not demoted:
            return list(ranked)
        return order_after_trials(ranked)  # stable: scores keep their order within a group

    def _chosen(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        return list(itertools.islice(
            (c for c in candidates if c.valid and _may_try(c, self.context)), self.tries))


def _may_try(candidate: Candidate, context: ShellContext) -> bool:
    """Not what the safety rules block outright (a fork bomb is contained, but costs the
    machine); the sandbox contains everything else."""
    from nlsh.safety import assess

    return assess(candidate.command, cwd=context.cwd, blast_radius=False).level < Level.BLOCKED


def failure_note(run: TrialRun) -> str:
    return f"failed when tried here (exit status {run.exit_code}): {run.error[:120]}"

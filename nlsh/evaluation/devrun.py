"""`nlsh eval --set dev`: the pipeline on the strict dev set, judged by `devset.StrictJudge`.

Per task the pipeline sees the world of the task's first seed (its listing, its git state,
$HOME pointing at the world's home directory while it runs, so that validation finds
`~/...` files); every ranked candidate and every sample is then judged on all the task's
worlds. Reported per category and per split (the final split is never used for tuning).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from nlsh.evaluation.devset import DevTask, StrictJudge, WorldRunner, default_scratch
from nlsh.evaluation.execution import SandboxUnavailable, Verdict
from nlsh.evaluation.fixtures import remove_tree
from nlsh.evaluation.harness import (
    EvalError,
    EvalRun,
    TaskOutcome,
    _finite,
    _progress_line,
    _round,
    seed_everything,
    task_seed,
)
from nlsh.evaluation.metrics import PASS_AT, TaskScore, by_field, by_program, summarize
from nlsh.evaluation.world import HOME, build_world


@contextlib.contextmanager
def world_context(task: DevTask, scratch: Path) -> Iterator[Any]:
    """The user's shell context in the task's first world, with $HOME set to its home."""
    from nlsh.context import gather_context

    holder = Path(tempfile.mkdtemp(prefix="nlsh-dev-ctx-", dir=scratch))
    saved = os.environ.get("HOME")
    try:
        binds = build_world(task.seeds[0], holder, time.time())
        home = Path(binds["/home"]) / HOME.rsplit("/", 1)[-1]
        cwd = home / task.cwd[len(HOME) + 1:] if task.cwd.startswith(HOME + "/") else home
        os.environ["HOME"] = str(home)
        yield gather_context(cwd=cwd, shell_path="/bin/bash",
                             last_command=task.last_command or None,
                             last_error=task.last_error or None)
    finally:
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved
        remove_tree(holder)


def evaluate_dev_task(task: DevTask, pipeline: Any, runner: WorldRunner, *, samples: int,
                      shown: int, scratch: Path, seed: int) -> TaskOutcome:
    from nlsh.pipeline import SuggestRequest

    seed_everything(task_seed(seed, task))
    if hasattr(pipeline.backend, "seed"):
        pipeline.backend.seed = task_seed(seed, task)
    with world_context(task, scratch) as context:
        started = time.perf_counter()
        result = pipeline.run(SuggestRequest(task.request, context, samples=samples,
                                             shown=None, mode=task.kind))
        latency = time.perf_counter() - started
    judge = StrictJudge(task, runner, scratch)
    ranked = list(result.suggestion.candidates)
    verdicts = [judge(c.command) for c in ranked]
    sampled = [s for s in result.samples if not s.greedy]
    greedy = next((s for s in result.samples if s.greedy), None)
    sample_verdicts = [judge(s.command) for s in sampled]
    greedy_verdict = judge(greedy.command) if greedy is not None else None
    score = TaskScore(
        task_id=task.id, programs=task.needs,
        top1=bool(verdicts) and verdicts[0].passed,
        at_shown=any(v.passed for v in verdicts[:shown]),
        greedy=greedy_verdict is not None and greedy_verdict.passed,
        pool_size=len(ranked), pool_passed=sum(v.passed for v in verdicts),
        n=len(sampled), c=sum(v.passed for v in sample_verdicts), latency_s=latency,
        category=task.category, split=task.split,
        lenient_top1=bool(ranked) and judge.lenient.get(ranked[0].command, False),
    )
    return TaskOutcome(task, score, _record(task, score, shown, result, verdicts, judge))


def _record(task: DevTask, score: TaskScore, shown: int, result: Any, verdicts: list[Verdict],
            judge: StrictJudge) -> dict[str, Any]:
    candidates = []
    for rank, (candidate, verdict) in enumerate(
            zip(result.suggestion.candidates, verdicts, strict=True), start=1):
        entry = candidate.to_dict()
        entry.pop("risk", None)
        entry.pop("explanation", None)
        entry.update(rank=rank, shown=rank <= shown, verdict=verdict.to_dict(),
                     lenient=judge.lenient.get(candidate.command, False))
        candidates.append(entry)
    samples = []
    for sample in result.samples:
        verdict = judge(sample.command)
        samples.append({"raw": sample.raw, "command": sample.command, "greedy": sample.greedy,
                        "mean_logprob": _finite(sample.mean_logprob), "passed": verdict.passed,
                        "why": verdict.to_dict()["why"]})
    return {
        **task.summary(),
        "latency_s": round(score.latency_s, 4),
        "timings": {k: round(v, 4) for k, v in result.suggestion.timings.items()},
        "top1": score.top1, "success_at_shown": score.at_shown, "oracle": score.pool_passed > 0,
        "lenient_top1": score.lenient_top1, "greedy": score.greedy,
        "random_pick": round(score.random_pick, 4), "n": score.n, "c": score.c,
        "pass_at": {str(k): _round(score.pass_at(k)) for k in PASS_AT},
        "candidates": candidates, "samples": samples,
    }


def failed_dev_outcome(task: DevTask, error: str) -> TaskOutcome:
    score = TaskScore(task.id, task.needs, False, False, False, 0, 0, 0, 0, 0.0,
                      category=task.category, split=task.split, lenient_top1=False)
    record = {**task.summary(), "error": error, "top1": False, "success_at_shown": False,
              "oracle": False, "candidates": [], "samples": []}
    return TaskOutcome(task, score, record, error)


def run_dev_tasks(tasks: Sequence[DevTask], pipeline: Any, runner: WorldRunner, *,
                  samples: int, shown: int, seed: int, progress: IO[str] | None = None,
                  run: EvalRun | None = None) -> EvalRun:
    """Evaluate in order, appending to `run` (an interrupted eval keeps what it has)."""
    run = run if run is not None else EvalRun()
    scratch = Path(tempfile.mkdtemp(prefix="nlsh-dev-", dir=default_scratch()))
    try:
        for index, task in enumerate(tasks, start=1):
            try:
                outcome = evaluate_dev_task(task, pipeline, runner, samples=samples,
                                            shown=shown, scratch=scratch, seed=seed)
            except SandboxUnavailable as exc:
                raise EvalError(str(exc)) from None
            except Exception as exc:  # one broken task must not lose an hour's run
                outcome = failed_dev_outcome(task, f"{type(exc).__name__}: {exc}")
            run.outcomes.append(outcome)
            if progress is not None:
                _progress_line(progress, index, len(tasks), outcome, run.outcomes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        run.finished = time.time()
    return run


def dev_breakdown(run: EvalRun) -> dict[str, Any]:
    """The dev set's extra report sections: per split, per category, per split x category."""
    scores = [o.score for o in run.outcomes]
    per_split = {name: s.to_dict() for name, s in by_field(scores, "split").items()}
    per_category = {name: s.to_dict() for name, s in by_field(scores, "category").items()}
    crossed = {
        split: {name: s.to_dict() for name, s in
                by_field([x for x in scores if x.split == split], "category").items()}
        for split in per_split
    }
    return {"by_split": per_split, "by_category": per_category,
            "by_split_category": crossed,
            "by_program": {name: s.to_dict() for name, s in by_program(scores).items()},
            "summary": summarize(scores).to_dict()}

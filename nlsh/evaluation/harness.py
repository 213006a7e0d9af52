"""`nlsh eval`: ask the pipeline for each task, run what it proposes in the task's fixture
(contained), and score the effects.

Per task: the ranked candidates (all of them, so that the random-pick baseline is exact) and
the raw samples (for pass@k) are judged; each distinct command runs once in a fresh fixture.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nlsh.evaluation.execution import CachedJudge, Runner, Verdict
from nlsh.evaluation.fixtures import build_fixture, remove_tree
from nlsh.evaluation.metrics import PASS_AT, TaskScore, by_program, pass_at_k, summarize
from nlsh.evaluation.tasks import Task

if TYPE_CHECKING:
    from nlsh.evaluation.devset import DevTask

REPORT_FORMAT = 1

# What `--without NAME` / `--baseline` turn off, as Settings overrides. A technique whose
# field Settings does not have (yet) cannot be turned off; the report says so.
TECHNIQUES: dict[str, tuple[str, Any]] = {
    "retrieval": ("examples", 0),  # retrieved corpus examples in the prompt (and as candidates)
    "dense": ("dense_retrieval", False),  # retrieval by meaning (sentence encoder) besides BM25
    "validation": ("validation", False),  # parse/PATH/flag checks that demote candidates
    "finetune": ("adapter", "none"),  # the embedded model's low-rank fine-tune on the corpus
    "trials": ("trials", 0),  # trial runs in the sandbox that demote failing candidates
    "adaptive": ("adaptive_sampling", False),  # fewer samples when greedy/retrieval agree
}


class EvalError(Exception):
    """The eval cannot start or go on; the message is one line, fit for the user."""


@dataclass
class TaskOutcome:
    task: Task | DevTask
    score: TaskScore
    record: dict[str, Any]
    error: str | None = None


@dataclass
class EvalRun:
    outcomes: list[TaskOutcome] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None


def technique_overrides(settings_fields: Sequence[str], disabled: Sequence[str]
                        ) -> tuple[dict[str, Any], dict[str, str]]:
    """Settings overrides that turn the named techniques off, and each technique's state."""
    unknown = sorted(set(disabled) - set(TECHNIQUES))
    if unknown:
        raise EvalError(f"unknown technique {unknown[0]!r}; known: {', '.join(TECHNIQUES)}")
    overrides: dict[str, Any] = {}
    states: dict[str, str] = {}
    for name, (setting, off_value) in TECHNIQUES.items():
        if name not in disabled:
            states[name] = "on"
        elif setting in settings_fields:
            overrides[setting] = off_value
            states[name] = "off"
        else:
            states[name] = f"on (cannot be turned off: Settings has no {setting!r})"
    return overrides, states


def seed_everything(seed: int) -> None:
    """Seed Python and, when the backend has loaded them, torch and numpy (never imported here
    just for this: the remote backend does not need them)."""
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def task_seed(seed: int, task: Task | DevTask) -> int:
    """A per-task seed, so that a task samples the same answers whether or not it runs alone."""
    return (seed * 1_000_003 + zlib.crc32(task.id.encode())) % 2**31


@contextlib.contextmanager
def context_for(task: Task, scratch: Path) -> Iterator[Any]:
    """The shell context the user would have in the task's directory.

    The directory stays while the pipeline runs: validation checks that the files a
    candidate reads exist there, as it would in the user's real directory.
    """
    from nlsh.context import gather_context

    holder = Path(tempfile.mkdtemp(prefix="nlsh-eval-ctx-", dir=scratch))
    root = holder / "work"
    try:
        root.mkdir()
        build_fixture(task.fixture, root, now=time.time())
        yield gather_context(cwd=root, shell_path="/bin/bash")
    finally:
        remove_tree(holder)


def evaluate_task(task: Task, pipeline: Any, runner: Runner, *, samples: int, shown: int,
                  scratch: Path, seed: int) -> TaskOutcome:
    from nlsh.pipeline import SuggestRequest

    seed_everything(task_seed(seed, task))
    if hasattr(pipeline.backend, "seed"):  # a backend that seeds each call itself
        pipeline.backend.seed = task_seed(seed, task)
    with context_for(task, scratch) as context:
        started = time.perf_counter()
        result = pipeline.run(SuggestRequest(task.request, context, samples=samples, shown=None))
        latency = time.perf_counter() - started
    judge = CachedJudge(task, runner, scratch)
    ranked = list(result.suggestion.candidates)
    verdicts = [judge(c.command) for c in ranked]
    sampled = [s for s in result.samples if not s.greedy]
    greedy = next((s for s in result.samples if s.greedy), None)
    sample_verdicts = [judge(s.command) for s in sampled]
    greedy_verdict = judge(greedy.command) if greedy is not None else None
    score = TaskScore(
        task_id=task.id,
        programs=task.programs,
        top1=bool(verdicts) and verdicts[0].passed,
        at_shown=any(v.passed for v in verdicts[:shown]),
        greedy=greedy_verdict is not None and greedy_verdict.passed,
        pool_size=len(ranked),
        pool_passed=sum(v.passed for v in verdicts),
        n=len(sampled),
        c=sum(v.passed for v in sample_verdicts),
        latency_s=latency,
    )
    record = _task_record(task, score, shown, result, verdicts, judge)
    return TaskOutcome(task, score, record)


def _task_record(task: Task, score: TaskScore, shown: int, result: Any,
                 verdicts: list[Verdict], judge: CachedJudge) -> dict[str, Any]:
    candidates = []
    pairs = zip(result.suggestion.candidates, verdicts, strict=True)
    for rank, (candidate, verdict) in enumerate(pairs, start=1):
        entry = candidate.to_dict()
        entry.pop("risk", None)
        entry.pop("explanation", None)
        entry.update(rank=rank, shown=rank <= shown, verdict=verdict.to_dict())
        candidates.append(entry)
    samples = []
    for sample in result.samples:
        verdict = judge(sample.command)
        samples.append({
            "raw": sample.raw,
            "command": sample.command,
            "greedy": sample.greedy,
            "mean_logprob": _finite(sample.mean_logprob),
            "passed": verdict.passed,
            "why": verdict.to_dict()["why"],
        })
    return {
        **task.summary(),
        "latency_s": round(score.latency_s, 4),
        "timings": {k: round(v, 4) for k, v in result.suggestion.timings.items()},
        "top1": score.top1,
        "success_at_shown": score.at_shown,
        "greedy": score.greedy,
        "random_pick": round(score.random_pick, 4),
        "n": score.n,
        "c": score.c,
        "pass_at": {str(k): _round(score.pass_at(k)) for k in PASS_AT},
        "candidates": candidates,
        "samples": samples,
    }


def failed_outcome(task: Task, error: str) -> TaskOutcome:
    score = TaskScore(task.id, task.programs, False, False, False, 0, 0, 0, 0, 0.0)
    record = {**task.summary(), "error": error, "top1": False, "success_at_shown": False,
              "candidates": [], "samples": []}
    return TaskOutcome(task, score, record, error)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _finite(value: float) -> float | None:
    return round(value, 6) if value == value and abs(value) != float("inf") else None


def run_tasks(tasks: Sequence[Task], pipeline: Any, runner: Runner, *, samples: int, shown: int,
              seed: int, progress: IO[str] | None = None,
              on_outcome: Callable[[TaskOutcome], None] | None = None,
              run: EvalRun | None = None) -> EvalRun:
    """Evaluate tasks in order, appending to `run` (so that an interrupted eval keeps what it
    has); a task whose evaluation raises is recorded as failed, with the error."""
    from nlsh.evaluation.execution import SandboxUnavailable

    run = run if run is not None else EvalRun()
    scratch = Path(tempfile.mkdtemp(prefix="nlsh-eval-"))
    try:
        for index, task in enumerate(tasks, start=1):
            try:
                outcome = evaluate_task(task, pipeline, runner, samples=samples, shown=shown,
                                        scratch=scratch, seed=seed)
            except SandboxUnavailable as exc:
                raise EvalError(str(exc)) from None
            except Exception as exc:  # one broken task must not lose an hour's run
                outcome = failed_outcome(task, f"{type(exc).__name__}: {exc}")
            run.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            if progress is not None:
                _progress_line(progress, index, len(tasks), outcome, run.outcomes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        run.finished = time.time()
    return run


def _progress_line(stream: IO[str], index: int, total: int, outcome: TaskOutcome,
                   done: list[TaskOutcome]) -> None:
    scores = [o.score for o in done]
    top1 = sum(s.top1 for s in scores) / len(scores)
    shown = sum(s.at_shown for s in scores) / len(scores)
    sampled = [s for s in scores if s.n]
    pass1 = sum(pass_at_k(s.n, s.c, 1) for s in sampled) / len(sampled) if sampled else 0.0
    mark = "error" if outcome.error else ("pass" if outcome.score.top1 else "fail")
    width = len(str(total))
    stream.write(
        f"[{index:>{width}}/{total}] {outcome.task.id:<34.34} {mark:<5} "
        f"c={outcome.score.c}/{outcome.score.n} {outcome.score.latency_s:5.1f}s | "
        f"top-1 {top1:6.1%}  shown {shown:6.1%}  pass@1 {pass1:6.1%}\n"
    )
    stream.flush()


def build_report(run: EvalRun, *, model: str, settings: dict[str, Any],
                 techniques: dict[str, str], seed: int, tasks_file: str,
                 selection: dict[str, Any]) -> dict[str, Any]:
    scores = [o.score for o in run.outcomes]
    finished = run.finished or time.time()
    return {
        "format": REPORT_FORMAT,
        "started": datetime.fromtimestamp(run.started, timezone.utc).isoformat(),
        "duration_s": round(finished - run.started, 1),
        "model": model,
        "settings": settings,
        "techniques": techniques,
        "seed": seed,
        "tasks_file": tasks_file,
        "selection": selection,
        "errors": sum(o.error is not None for o in run.outcomes),
        "summary": summarize(scores).to_dict(),
        "by_program": {name: s.to_dict() for name, s in by_program(scores).items()},
        "tasks": [o.record for o in run.outcomes],
    }


def settings_snapshot(settings: Any) -> dict[str, Any]:
    keep = ("model", "backend", "device", "samples", "temperature", "max_new_tokens", "shown",
            "examples", "retrieved", "dense_retrieval", "validation", "trials", "adapter")
    data = dataclasses.asdict(settings)
    return {k: data[k] for k in keep if k in data}

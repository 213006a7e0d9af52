"""`nlsh eval`: an execution-based benchmark of nlsh's suggestions.

Each task is an English request, a small directory fixture and checks on what a command
DOES there (its output, the files it leaves), so any correct command passes, not just the
one the task author wrote. Every command is run contained (`nlsh.sandbox.run_contained`,
namespace mode only) in a fresh copy of the fixture.

Entry point for the CLI: `cli_main(...)`, documented below; `python -m nlsh.evaluation --help`
runs it without the main CLI.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlsh.evaluation.harness import TECHNIQUES, EvalError, EvalRun

if TYPE_CHECKING:
    from nlsh.evaluation.execution import Runner
    from nlsh.evaluation.tasks import Task

__all__ = ["TECHNIQUES", "cli_main"]


def _fail(message: str, code: int) -> int:
    print(f"nlsh eval: {message}", file=sys.stderr)
    return code


def cli_main(
    model: str | None,
    samples: int,
    limit: int | None,
    out: Path,
    chart: Path | None,
    tasks_file: Path | None,
    seed: int,
    progress: bool,
    *,
    select: Sequence[str] = (),
    baseline: bool = False,
    without: Sequence[str] = (),
    shown: int | None = None,
    check_tasks: bool = False,
    jobs: int = 2,
    task_set: str = "lenient",
    split: str = "all",
) -> int:
    """Run the eval and write the report; returns the exit status.

    model       a model for Settings.model (None: the configured one)
    samples     sampled answers per task besides the greedy one (n of pass@k; >= 8 for pass@8)
    limit       evaluate only the first N tasks (after `select`)
    out         where the JSON report goes (every task, candidate, sample and verdict)
    chart       where the PNG chart goes (None: no chart)
    tasks_file  a task file (JSON lines) instead of the built-in nlsh/data/eval_tasks.jsonl
    seed        seeds sampling per task (the same task samples the same answers alone or not)
    progress    a line per task on stderr: task i/N, its outcome, running success rates
    select      shell-style patterns on task ids or program tags ("git.*", "jq", "find")
    baseline    turn every technique in TECHNIQUES off (see `without`)
    without     techniques to turn off: "retrieval" (Settings.examples = 0), "dense",
                "validation" (Settings.validation = False), "finetune" (Settings.adapter =
                "none"), "trials" (Settings.trials = 0), "adaptive" (Settings.adaptive_sampling =
                False: always every sample); see TECHNIQUES
    shown       candidates counted for success@shown (None: Settings.shown, default 3)
    check_tasks no model: check that every reference passes and every wrong command fails
    jobs        parallel sandboxed runs for check_tasks
    task_set    "lenient": the project's task file (checks on effects); "dev": the strict dev
                set (nlsh/data/devset.jsonl, or `tasks_file`), judged against references
    split       for the dev set: "dev", "final" (never used for tuning) or "all"

    Exit status: 0 done; 1 done but some tasks errored (or, with check_tasks, a task is
    broken); 2 bad input, or no sandbox (a sandbox lost mid-run still gets the partial
    report written); 130 interrupted (the partial report is written).
    """
    from nlsh.evaluation.execution import SandboxUnavailable, contained_runner
    from nlsh.evaluation.tasks import TaskError, load_tasks, select_tasks

    if samples < 1:
        return _fail("--samples must be at least 1", 2)
    if limit is not None and limit < 1:
        return _fail("--limit must be at least 1", 2)
    if task_set not in ("lenient", "dev"):
        return _fail(f"unknown task set {task_set!r}: use lenient or dev", 2)
    if split not in ("dev", "final", "all"):
        return _fail(f"unknown split {split!r}: use dev, final or all", 2)
    if task_set == "dev":
        return _dev_main(model, samples, limit, out, chart, tasks_file, seed, progress,
                         select=select, disabled=list(TECHNIQUES) if baseline else list(without),
                         shown=shown, check_tasks=check_tasks, jobs=jobs, split=split)
    try:
        loaded = load_tasks(tasks_file)
    except TaskError as exc:
        return _fail(str(exc), 2)
    tasks = select_tasks(loaded.tasks, list(select))
    if limit is not None:
        tasks = tasks[:limit]
    if not tasks:
        return _fail(f"no task matches {', '.join(select)}", 2)
    try:
        runner = contained_runner()
        with tempfile.TemporaryDirectory(prefix="nlsh-eval-probe-") as probe_dir:
            runner("true", Path(probe_dir), 10.0)
    except SandboxUnavailable as exc:
        return _fail(f"{exc}; refusing to run commands uncontained", 2)
    if check_tasks:
        return _check_tasks(tasks, runner, jobs, out)
    return _evaluate(tasks, loaded.source, runner, model=model, samples=samples, out=out,
                     chart=chart, seed=seed, progress=progress, select=select,
                     limit=limit, disabled=list(TECHNIQUES) if baseline else list(without),
                     shown=shown)


def _dev_main(model: str | None, samples: int, limit: int | None, out: Path, chart: Path | None,
              tasks_file: Path | None, seed: int, progress: bool, *, select: Sequence[str],
              disabled: list[str], shown: int | None, check_tasks: bool, jobs: int,
              split: str) -> int:
    from fnmatch import fnmatchcase

    from nlsh.evaluation.devset import (
        DevsetError,
        interleave,
        load_devset,
        select_split,
        world_runner,
    )
    from nlsh.evaluation.execution import SandboxUnavailable

    try:
        every = load_devset(tasks_file)
    except DevsetError as exc:
        return _fail(str(exc), 2)
    tasks = interleave(select_split(every, split))
    if select:
        tasks = [t for t in tasks if any(
            fnmatchcase(t.id, p) or fnmatchcase(t.category, p)
            or any(fnmatchcase(n, p) for n in t.needs) for p in select)]
    tasks = tasks[:limit] if limit is not None else tasks
    if not tasks:
        return _fail("no dev-set task matches the split and patterns given", 2)
    runner = world_runner()
    try:
        with tempfile.TemporaryDirectory(prefix="nlsh-dev-probe-") as probe:
            runner("true", _probe_binds(Path(probe)), "/", 10.0)
    except SandboxUnavailable as exc:
        return _fail(f"{exc}; refusing to run commands uncontained", 2)
    source = str(tasks_file) if tasks_file else "nlsh/data/devset.jsonl"
    if check_tasks:
        return _check_dev_tasks(tasks, runner, jobs, out)
    return _evaluate(tasks, source, runner, model=model, samples=samples, out=out,  # type: ignore[arg-type]
                     chart=chart, seed=seed, progress=progress, select=select, limit=limit,
                     disabled=disabled, shown=shown, dev_runner=runner, split=split)


def _probe_binds(holder: Path) -> dict[str, str]:
    from nlsh.evaluation.world import ROOTS, host_root

    binds = {}
    for root in ROOTS:
        place = host_root(holder, root)
        (place / "dev").mkdir(parents=True)
        binds[root] = str(place)
    return binds


def _check_dev_tasks(tasks: Sequence[Any], runner: Any, jobs: int, out: Path) -> int:
    import time
    from concurrent.futures import ThreadPoolExecutor

    from nlsh.evaluation.devset import reference_problems
    from nlsh.evaluation.report import write_json

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        found = list(pool.map(lambda t: reference_problems(t, runner), tasks))
    problems = [p for group in found for p in group]
    elapsed = time.perf_counter() - started
    write_json({"format": 1, "check_tasks": True, "set": "dev", "tasks": len(tasks),
                "wrong_commands": sum(len(t.wrong) for t in tasks),
                "seconds": round(elapsed, 1), "problems": problems}, out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(tasks)} dev-set tasks, {sum(len(t.wrong) for t in tasks)} wrong commands "
          f"checked in {elapsed:.1f}s: {len(problems)} problem(s); report: {out}")
    return 1 if problems else 0


def _evaluate(tasks: list[Task], source: str, runner: Runner, *, model: str | None, samples: int,
              out: Path, chart: Path | None, seed: int, progress: bool, select: Sequence[str],
              limit: int | None, disabled: list[str], shown: int | None,
              dev_runner: Any = None, split: str = "") -> int:
    from nlsh.backends import BackendError
    from nlsh.config import ConfigError, Settings, load_settings
    from nlsh.evaluation.harness import (
        build_report,
        run_tasks,
        settings_snapshot,
        technique_overrides,
    )
    from nlsh.evaluation.report import write_chart, write_json
    from nlsh.pipeline import Pipeline

    try:
        fields = [f.name for f in dataclasses.fields(Settings)]
        overrides, techniques = technique_overrides(fields, disabled)
        settings = load_settings({**overrides, "model": model, "samples": samples})
    except (ConfigError, EvalError) as exc:
        return _fail(str(exc), 2)
    if samples < 8:
        print(f"nlsh eval: note: {samples} samples per task: pass@k is reported only for "
              f"k <= {samples}", file=sys.stderr)
    shown_count = shown if shown is not None else settings.shown
    try:
        pipeline = Pipeline(settings)
    except BackendError as exc:
        return _fail(str(exc), 1)
    run = EvalRun()
    interrupted = False
    stopped: str | None = None
    try:
        if dev_runner is not None:
            from nlsh.evaluation.devrun import run_dev_tasks

            run_dev_tasks(tasks, pipeline, dev_runner, samples=samples,  # type: ignore[arg-type]
                          shown=shown_count, seed=seed,
                          progress=sys.stderr if progress else None, run=run)
        else:
            run_tasks(tasks, pipeline, runner, samples=samples, shown=shown_count, seed=seed,
                      progress=sys.stderr if progress else None, run=run)
    except EvalError as exc:  # the sandbox went away: keep what was measured, then stop
        stopped = str(exc)
    except KeyboardInterrupt:
        interrupted = True
    report = build_report(
        run, model=pipeline.backend.name,
        settings={**settings_snapshot(settings), "shown": shown_count},
        techniques=techniques, seed=seed, tasks_file=source,
        selection={"patterns": list(select), "limit": limit, "tasks": len(tasks),
                   "completed": len(run.outcomes), "interrupted": interrupted,
                   "stopped": stopped},
    )
    if dev_runner is not None:
        from nlsh.evaluation.devrun import dev_breakdown

        report.update(dev_breakdown(run), set="dev", split=split)
    write_json(report, out)
    if chart is not None and run.outcomes:
        write_chart(report, chart)
    _print_summary(report, out, chart)
    if stopped is not None:
        return _fail(f"stopped after {len(run.outcomes)} of {len(tasks)} tasks: {stopped}", 2)
    if interrupted:
        return 130
    return 1 if report["errors"] else 0


def _print_summary(report: dict[str, Any], out: Path, chart: Path | None) -> None:
    s = report["summary"]

    def pct(value: float | None) -> str:
        return "  n/a" if value is None else f"{value:6.1%}"

    shown = report["settings"]["shown"]
    lines = [
        f"model {report['model']}: {s['tasks']} tasks, {report['settings'].get('samples')} "
        f"samples each, techniques: "
        + ", ".join(f"{k} {v}" for k, v in report["techniques"].items()),
        f"  top-1 {pct(s['top1'])}   success@{shown} {pct(s['success_at_shown'])}   "
        f"oracle {pct(s.get('oracle'))}   "
        f"random pick {pct(s['random_pick'])}   ranking gain {s['ranking_gain'] * 100:+.1f} "
        f"points   greedy {pct(s['greedy'])}",
        "  " + "   ".join(f"pass@{k} {pct(v)}" for k, v in s["pass_at"].items()),
        f"  latency p50 {s['latency_p50_s'] or 0:.2f}s  p95 {s['latency_p95_s'] or 0:.2f}s",
    ]
    if report.get("set") == "dev":
        lines += _dev_lines(report, shown, pct)
    if report["errors"]:
        lines.append(f"  {report['errors']} task(s) failed with an error (see the report)")
    lines.append(f"report: {out}" + (f"   chart: {chart}" if chart else ""))
    print("\n".join(lines))


def _dev_lines(report: dict[str, Any], shown: int, pct: Any) -> list[str]:
    """The strict figures per split and category, the lenient column last."""
    within = f"within-{shown}"
    lines = [f"  strict dev set: {'':<15} {'tasks':>5} {'top-1':>7} {within:>9} "
             f"{'oracle':>7} {'pass@1':>7} {'pass@3':>7} {'lenient':>8}"]
    rows = [(f"split {k}", v) for k, v in report["by_split"].items()]
    rows += [(k, v) for k, v in report["by_category"].items()]
    for name, s in rows:
        lines.append(f"  {'':16}{name:<16.16} {s['tasks']:>5} {pct(s['top1']):>7} "
                     f"{pct(s['success_at_shown']):>9} {pct(s['oracle']):>7} "
                     f"{pct(s['pass_at'].get('1')):>7} {pct(s['pass_at'].get('3')):>7} "
                     f"{pct(s['lenient_top1']):>8}")
    return lines


def _check_tasks(tasks: list[Task], runner: Runner, jobs: int, out: Path) -> int:
    import time

    from nlsh.evaluation.execution import SandboxUnavailable
    from nlsh.evaluation.report import write_json
    from nlsh.evaluation.selfcheck import check_tasks

    started = time.perf_counter()
    try:
        checks = check_tasks(tasks, runner, jobs=jobs)
    except SandboxUnavailable as exc:
        return _fail(str(exc), 2)
    problems = [p for c in checks for p in c.problems]
    elapsed = time.perf_counter() - started
    write_json({
        "format": 1,
        "check_tasks": True,
        "tasks": len(checks),
        "wrong_commands": sum(len(c.wrong) for c in checks),
        "seconds": round(elapsed, 1),
        "problems": problems,
        "references": [{"id": c.task.id, **c.reference.to_dict()} for c in checks],
    }, out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(checks)} tasks, {sum(len(c.wrong) for c in checks)} wrong commands checked in "
          f"{elapsed:.1f}s: {len(problems)} problem(s); report: {out}")
    return 1 if problems else 0

"""Checking a task file against itself: every reference must pass, every listed wrong
command must fail. Used by the tests and by `nlsh eval --check-tasks`."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from nlsh.evaluation.execution import Runner, Verdict, judge_command
from nlsh.evaluation.tasks import Task


@dataclass
class TaskCheck:
    task: Task
    reference: Verdict
    wrong: list[Verdict] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.reference.passed:
            found.append(f"{self.task.id}: reference `{self.task.reference}` fails: "
                         + "; ".join(self.reference.reasons))
        for verdict in self.wrong:
            if verdict.passed:
                found.append(f"{self.task.id}: wrong command `{verdict.command}` passes")
        return found


def check_task(task: Task, runner: Runner) -> TaskCheck:
    return TaskCheck(
        task=task,
        reference=judge_command(task, task.reference, runner),
        wrong=[judge_command(task, command, runner) for command in task.wrong],
    )


def check_tasks(tasks: Sequence[Task], runner: Runner, jobs: int = 2) -> list[TaskCheck]:
    """All tasks, `jobs` at a time (the work is mostly waiting on sandboxed processes)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda t: check_task(t, runner), tasks))

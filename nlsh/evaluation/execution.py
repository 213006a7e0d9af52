"""Run a command under test in a fresh copy of its task's fixture, contained, and judge it.

Every command, whether a model wrote it or a task lists it as reference, runs through
`nlsh.sandbox.run_contained`: the fixture copy is writable, everything else read-only, no
network. Nothing here ever runs a command any other way.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlsh.evaluation.checks import Observation, ProbeResult, evaluate
from nlsh.evaluation.fixtures import build_fixture, remove_tree
from nlsh.evaluation.tasks import Task

OUTPUT_KEPT = 1500  # characters of stdout/stderr a verdict keeps for the report
WORKDIR_NAME = "work"


class SandboxUnavailable(Exception):
    """The contained runner cannot be used here; the message says why, in one line."""


@dataclass
class RunOutput:
    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    inner_workdir: str | None = None  # where the workdir appeared inside the sandbox, if known


Runner = Callable[[str, Path, float], RunOutput]


@dataclass
class Verdict:
    command: str
    passed: bool
    reasons: list[str] = field(default_factory=list)
    exit_code: int | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "passed": self.passed,
            "why": "; ".join(self.reasons) if self.reasons else "all checks passed",
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "seconds": round(self.seconds, 3),
        }


def contained_runner() -> Runner:
    """The sandbox's runner, adapted; SandboxUnavailable if it cannot contain commands here.

    The sandbox would fall back to a plain subprocess where namespaces are unavailable; the
    eval never allows that (mode="namespace"), and checks that it really was contained.
    """
    try:
        from nlsh.sandbox import SandboxError, run_contained
    except ImportError as exc:
        raise SandboxUnavailable(f"the sandbox is not available ({exc})") from None

    def run(command: str, workdir: Path, timeout_s: float) -> RunOutput:
        try:
            result: Any = run_contained(command, workdir=str(workdir), shell="bash",
                                        timeout_s=timeout_s, mode="namespace")
        except SandboxError as exc:
            raise SandboxUnavailable(f"cannot contain commands here: {exc}") from None
        if getattr(result, "mechanism", "namespace") != "namespace":
            raise SandboxUnavailable("the sandbox ran a command uncontained; refusing")
        return RunOutput(
            exit_code=result.exit_code,
            stdout=_text(result.stdout),
            stderr=_text(result.stderr),
            timed_out=bool(result.timed_out),
            inner_workdir=getattr(result, "workdir", None),
        )

    return run


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def judge_command(task: Task, command: str, runner: Runner, *,
                  scratch: Path | None = None) -> Verdict:
    """Build the task's fixture afresh, run `command` in it (contained), apply the checks."""
    started = time.perf_counter()
    holder = Path(tempfile.mkdtemp(prefix="nlsh-eval-", dir=scratch))
    root = holder / WORKDIR_NAME
    try:
        root.mkdir()
        build_fixture(task.fixture, root, now=time.time())
        run = runner(command, root, task.timeout_s)
        aliases = {str(root), os.path.realpath(root)}
        if run.inner_workdir:
            aliases.add(run.inner_workdir)

        def probe(query: str) -> ProbeResult:
            answer = runner(query, root, 10.0)
            return ProbeResult(None if answer.timed_out else answer.exit_code, answer.stdout)

        observation = Observation(
            root=root,
            exit_code=run.exit_code,
            stdout=run.stdout,
            timed_out=run.timed_out,
            fixture=task.fixture,
            workdir_aliases=sorted(aliases),
            probe=probe,
        )
        reasons = evaluate(task.checks, observation)
        return Verdict(
            command=command,
            passed=not reasons,
            reasons=reasons,
            exit_code=run.exit_code,
            timed_out=run.timed_out,
            stdout=run.stdout[:OUTPUT_KEPT],
            stderr=run.stderr[:OUTPUT_KEPT],
            seconds=time.perf_counter() - started,
        )
    finally:
        remove_tree(holder)


class CachedJudge:
    """Judges each distinct command of a task once (samples repeat themselves a lot)."""

    def __init__(self, task: Task, runner: Runner, scratch: Path | None = None) -> None:
        self.task = task
        self.runner = runner
        self.scratch = scratch
        self.verdicts: dict[str, Verdict] = {}

    def __call__(self, command: str | None) -> Verdict:
        if command is None or not command.strip():
            return Verdict(command=command or "", passed=False, reasons=["no command extracted"])
        if command not in self.verdicts:
            self.verdicts[command] = judge_command(self.task, command, self.runner,
                                                   scratch=self.scratch)
        return self.verdicts[command]

"""The records that flow through the pipeline.

context -> prompt -> backend (samples) -> candidates -> explain -> risk -> confirm -> execute.
Every record here is a plain dataclass that converts to and from JSON-able dicts,
because the daemon sends them over a socket.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field
from typing import Any


class Level(enum.IntEnum):
    """Risk levels, ordered so that max() gives the most severe."""

    SAFE = 0
    CAUTION = 1
    DANGEROUS = 2
    BLOCKED = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.strip().upper()]

    def raised(self, steps: int = 1) -> Level:
        return Level(min(int(self) + steps, int(Level.BLOCKED)))


@dataclass
class BlastRadius:
    """What a deleting / moving / overwriting / chmod-ing command would touch on disk."""

    files: int = 0
    bytes: int = 0
    git_repositories: int = 0
    includes_home: bool = False
    outside_cwd: bool = False
    paths: list[str] = field(default_factory=list)  # resolved top-level targets (bounded)
    truncated: bool = False  # the walk stopped early: figures are lower bounds

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlastRadius:
        return cls(**data)


@dataclass
class Risk:
    level: Level = Level.SAFE
    reasons: list[str] = field(default_factory=list)
    blast_radius: BlastRadius | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"level": self.level.label, "reasons": list(self.reasons)}
        if self.blast_radius is not None:
            data["blast_radius"] = self.blast_radius.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Risk:
        blast = data.get("blast_radius")
        return cls(
            level=Level.parse(data["level"]),
            reasons=list(data.get("reasons", [])),
            blast_radius=BlastRadius.from_dict(blast) if blast else None,
        )


@dataclass
class GitState:
    branch: str | None
    dirty: bool
    detached: bool = False


@dataclass
class ShellContext:
    """What the prompt may say about the user's machine. Never environment variable values."""

    os_name: str  # "Linux", "Darwin", ...
    userland: str  # "gnu", "bsd", "busybox"
    distro: str | None
    shell: str  # "bash", "zsh", "fish", ...
    shell_version: str | None
    cwd: str
    listing: list[str] = field(default_factory=list)  # escaped, bounded
    listing_omitted: int = 0
    git: GitState | None = None
    installed: list[str] = field(default_factory=list)  # relevant programs found on PATH
    last_command: str | None = None
    last_exit_status: int | None = None
    last_error: str | None = None  # captured stderr tail, when the hook has it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShellContext:
        data = dict(data)
        git = data.pop("git", None)
        return cls(git=GitState(**git) if git else None, **data)


@dataclass
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass
class Sample:
    """One answer from the backend, with the log-probability of each generated token."""

    text: str
    token_logprobs: list[float]
    greedy: bool = False

    @property
    def mean_logprob(self) -> float:
        if not self.token_logprobs:
            return -math.inf
        return sum(self.token_logprobs) / len(self.token_logprobs)

    @property
    def sum_logprob(self) -> float:
        return sum(self.token_logprobs)


@dataclass
class Candidate:
    command: str
    score: float
    mean_logprob: float
    valid: bool = True
    problems: list[str] = field(default_factory=list)
    risk: Risk = field(default_factory=Risk)
    explanation: str | None = None
    origins: list[str] = field(default_factory=list)  # "greedy", "sample", "retrieved", "history"
    votes: int = 0  # how many raw samples produced this command
    retrieval_rank: int | None = None  # 1 = adapted from the most similar retrieved example
    value_coverage: float = 1.0  # share of the request's values (files, numbers, ...) it uses
    # How the command keeps to the request (nlsh.fidelity): values it leaves out or brings
    # from nowhere, and marks the user sees ("goes beyond the request", "needs cpio ...").
    values_missing: list[str] = field(default_factory=list)
    values_foreign: list[str] = field(default_factory=list)
    beyond_request: bool = False  # a look-only request; this command changes things
    opposite: bool = False  # a deletion that spares what was named or deletes what was not
    misses_action: bool = False  # the request asks to delete; this command deletes nothing
    needs: list[str] = field(default_factory=list)  # programs to install before it can run
    marks: list[str] = field(default_factory=list)
    trial: str | None = None  # "passed" or "failed" when tried in the sandbox

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "score": _finite(self.score),
            "risk": self.risk.to_dict(),
            "valid": self.valid,
            "problems": list(self.problems),
            "explanation": self.explanation,
            "mean_logprob": _finite(self.mean_logprob),
            "origins": list(self.origins),
            "votes": self.votes,
            "retrieval_rank": self.retrieval_rank,
            "value_coverage": round(self.value_coverage, 4),
            "values_missing": list(self.values_missing),
            "values_foreign": list(self.values_foreign),
            "beyond_request": self.beyond_request,
            "opposite": self.opposite,
            "misses_action": self.misses_action,
            "needs": list(self.needs),
            "marks": list(self.marks),
            "trial": self.trial,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Candidate:
        return cls(
            command=data["command"],
            score=float(data["score"]),
            mean_logprob=float(data.get("mean_logprob", data["score"])),
            valid=bool(data.get("valid", True)),
            problems=list(data.get("problems", [])),
            risk=Risk.from_dict(data["risk"]),
            explanation=data.get("explanation"),
            origins=list(data.get("origins", [])),
            votes=int(data.get("votes", 0)),
            retrieval_rank=data.get("retrieval_rank"),
            value_coverage=float(data.get("value_coverage", 1.0)),
            values_missing=list(data.get("values_missing", [])),
            values_foreign=list(data.get("values_foreign", [])),
            beyond_request=bool(data.get("beyond_request", False)),
            opposite=bool(data.get("opposite", False)),
            misses_action=bool(data.get("misses_action", False)),
            needs=list(data.get("needs", [])),
            marks=list(data.get("marks", [])),
            trial=data.get("trial"),
        )


@dataclass
class Suggestion:
    """The answer to one request: ranked candidates, best first."""

    request: str
    model: str
    candidates: list[Candidate]
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        shown = self.candidates if limit is None else self.candidates[:limit]
        timings = {k: round(v, 4) for k, v in self.timings.items()}
        timings.setdefault("total_s", 0.0)
        return {
            "request": self.request,
            "model": self.model,
            "candidates": [c.to_dict() for c in shown],
            "timings": timings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        return cls(
            request=data["request"],
            model=data["model"],
            candidates=[Candidate.from_dict(c) for c in data["candidates"]],
            timings=dict(data.get("timings", {})),
        )


@dataclass
class ExplainedPart:
    text: str
    help: str | None
    source: str | None  # e.g. "man tar(1), OPTIONS" or "tar --help" or "bash(1), Pipelines"
    kind: str = "argument"  # "program", "subcommand", "option", "argument", "operator", ...
    start: int = 0  # byte offsets into the command, for underlining
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "help": self.help, "source": self.source, "kind": self.kind,
                "start": self.start, "end": self.end}


@dataclass
class Explanation:
    command: str
    risk: Risk
    parts: list[ExplainedPart]
    summary: str | None = None
    problem: str | None = None  # why the line does not parse; None when it does

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "parses": self.problem is None,
            "problem": self.problem,
            "risk": self.risk.to_dict(),
            "parts": [p.to_dict() for p in self.parts],
            "summary": self.summary,
        }


def _finite(value: float) -> float:
    """JSON has no -inf; a candidate the model never produced scores very low instead."""
    if math.isfinite(value):
        return round(value, 6)
    return -1e9

"""The model-side pipeline: prompt -> backend -> candidates -> trial runs -> risk -> one-line
explanation.

This is what the daemon runs. The client gathers the `ShellContext` (it knows the terminal)
and sends it; everything here is deterministic given the backend's samples.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from nlsh import candidates as cand
from nlsh import followup, prompting
from nlsh.backends import Backend, load_backend
from nlsh.config import Settings
from nlsh.records import Message, ShellContext, Suggestion

PROTOCOL_OPS = ("suggest", "summarize", "ping")


@dataclass
class SuggestRequest:
    request: str
    context: ShellContext
    samples: int | None = None  # sampled answers (besides greedy); None = settings
    shown: int | None = None  # candidates returned; None = all, ranked
    mode: str = "suggest"  # "suggest" | "fix" | "revise"
    conversation: list[Message] = field(default_factory=list)  # earlier turns, for "revise"
    history_pairs: list[tuple[str, str]] = field(default_factory=list)  # user's accepted pairs

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "context": self.context.to_dict(),
            "samples": self.samples,
            "shown": self.shown,
            "mode": self.mode,
            "conversation": [{"role": m.role, "content": m.content} for m in self.conversation],
            "history_pairs": [list(p) for p in self.history_pairs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuggestRequest:
        return cls(
            request=str(data["request"]),
            context=ShellContext.from_dict(data["context"]),
            samples=data.get("samples"),
            shown=data.get("shown"),
            mode=str(data.get("mode", "suggest")),
            conversation=[Message(**m) for m in data.get("conversation", [])],
            history_pairs=[(str(a), str(b)) for a, b in data.get("history_pairs", [])],
        )


@dataclass
class SampleOutcome:
    """One raw backend answer and the command extracted from it (for pass@k in `nlsh eval`)."""

    raw: str
    command: str | None
    mean_logprob: float
    greedy: bool


@dataclass
class PipelineResult:
    suggestion: Suggestion
    samples: list[SampleOutcome]


class Pipeline:
    """Holds the loaded backend (and retriever); answers requests. One per daemon."""

    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
        self.settings = settings
        self.backend = backend if backend is not None else load_backend(settings)
        self._retriever: Any = None

    @property
    def retriever(self) -> Any:
        if self._retriever is None:
            from nlsh.retrieval import Retriever

            dense = self.settings.dense_retrieval
            self._retriever = Retriever.default(dense=dense)
        return self._retriever

    def suggest(self, req: SuggestRequest) -> Suggestion:
        return self.run(req).suggestion

    def run(self, req: SuggestRequest) -> PipelineResult:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        n = self.settings.samples if req.samples is None else req.samples

        t = time.perf_counter()
        examples = self._examples(req)
        messages = prompting.build_messages(req, examples[: self.settings.examples])
        timings["prompt_s"] = time.perf_counter() - t

        t = time.perf_counter()
        samples = self.backend.generate(
            messages,
            n=n,
            temperature=self.settings.temperature,
            max_new_tokens=self.settings.max_new_tokens,
            stop=prompting.STOP_SEQUENCES,
            prefix=prompting.ANSWER_PREFIX,
        )
        timings["generate_s"] = time.perf_counter() - t

        t = time.perf_counter()
        pool = cand.pool_from_samples(samples, dialect=req.context.userland)
        retrieved = self._retrieved_commands(req, examples)
        extra = [c for c in retrieved if cand.normalize(c) not in pool.entries]
        if extra:
            scored = self.backend.score(messages, extra, prefix=prompting.ANSWER_PREFIX)
            pool.add_scored(extra, scored, origin="retrieved")
        pool.mark_retrieved(retrieved)
        for command in followup.edits(req):  # fix / revise: minimal edits made without the model
            pool.add(command, [], followup.EDIT_ORIGIN)
        timings["score_s"] = time.perf_counter() - t

        t = time.perf_counter()
        ranked = cand.rank(pool, context=req.context, request=req.request,
                           checking=self.settings.validation)
        ranked = followup.reorder(req, ranked)
        timings["check_s"] = time.perf_counter() - t

        t = time.perf_counter()
        if self.settings.trials:
            from nlsh.trials import try_candidates

            ranked = try_candidates(ranked, req.context, request=req.request,
                                    tries=self.settings.trials)
        shown = ranked if req.shown is None else ranked[: req.shown]
        timings["trial_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cand.annotate(shown, context=req.context)
        timings["annotate_s"] = time.perf_counter() - t

        timings["total_s"] = time.perf_counter() - started
        suggestion = Suggestion(
            request=req.request, model=self.backend.name, candidates=shown, timings=timings
        )
        outcomes = [
            SampleOutcome(s.text, cand.extract_command(s.text), s.mean_logprob, s.greedy)
            for s in samples
        ]
        return PipelineResult(suggestion, outcomes)

    def _examples(self, req: SuggestRequest) -> list[Any]:
        """The most similar corpus and history pairs, best first: the first few go into the
        prompt, and (adapted to the request) all of them into the candidates."""
        wanted = max(self.settings.examples, self.settings.retrieved)
        if self.settings.examples <= 0 or wanted <= 0:
            return []
        retriever = self.retriever
        if req.history_pairs:
            retriever.add_history(req.history_pairs)
        query = req.request or req.context.last_command or ""
        found: list[Any] = retriever.search(
            query, k=wanted, dialect=req.context.userland
        )
        return found

    def _retrieved_commands(self, req: SuggestRequest, examples: list[Any]) -> list[str]:
        """Retrieved commands with the request's own values put in, most similar first."""
        if req.mode != "suggest":
            return []
        from nlsh.retrieval import adapt_command

        chosen = examples[: self.settings.retrieved]
        return list(dict.fromkeys(adapt_command(example, req.request) for example in chosen))

    def summarize(self, command: str) -> str:
        """A one-sentence model-written summary of a command (labelled as such by callers)."""
        messages = prompting.build_summary_messages(command)
        samples = self.backend.generate(
            messages, n=0, temperature=0.0, max_new_tokens=60, stop=["\n"], prefix=""
        )
        return samples[0].text.strip() if samples else ""

    def handle(self, op: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The daemon's entry point: one JSON-able request in, one JSON-able answer out."""
        if op == "ping":
            return {"model": self.backend.name}
        if op == "suggest":
            req = SuggestRequest.from_dict(payload)
            result = self.run(req)
            data = result.suggestion.to_dict()
            if payload.get("with_samples"):
                data["samples"] = [s.__dict__ for s in result.samples]
            return data
        if op == "summarize":
            return {"summary": self.summarize(str(payload["command"]))}
        raise ValueError(f"unknown operation {op!r}")

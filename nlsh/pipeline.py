"""The model-side pipeline: prompt -> backend -> candidates -> trial runs -> risk -> one-line
explanation.

This is what the daemon runs. The client gathers the `ShellContext` (it knows the terminal)
and sends it; everything here is deterministic given the backend's samples.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nlsh import candidates as cand
from nlsh import followup, prompting
from nlsh.backends import Backend, load_backend
from nlsh.config import Settings
from nlsh.records import Message, Sample, ShellContext, Suggestion
from nlsh.trials import TrialStage

PROTOCOL_OPS = ("suggest", "summarize", "ping")

# Told the greedy answer as soon as it exists ({"command": str | None, "risk": {...} | None}),
# for surfaces where a person waits for the ranked set.
FirstAnswer = Callable[[dict[str, Any]], None]


class _Background:
    """A call run on its own thread (torch releases the GIL while it computes)."""

    def __init__(self, call: Any, *args: Any, **kwargs: Any) -> None:
        import threading

        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = call(*args, **kwargs)
            except BaseException as exc:  # re-raised in the caller's thread by `result`
                self._error = exc

        self._thread = threading.Thread(target=run, name="nlsh-score", daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


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


CODER_SCORED_RETRIEVED = 2


def models_answers_agree(pool: cand.Pool) -> bool:
    """Whether the model's own answers (greedy and samples) are one command, at least twice."""
    mine = [e for e in pool.entries.values() if {"greedy", "sample"} & set(e.origins)]
    return len(mine) == 1 and mine[0].votes >= 2


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

    def run(self, req: SuggestRequest, on_first: FirstAnswer | None = None) -> PipelineResult:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        n = self.settings.samples if req.samples is None else req.samples

        t = time.perf_counter()
        examples = self._examples(req)
        messages = self._messages(req, examples)
        timings["prompt_s"] = time.perf_counter() - t

        retrieved = self._retrieved_commands(req, examples)
        t = time.perf_counter()
        samples = self._generate(messages, n, retrieved, timings, on_first, req.context)
        timings["generate_s"] = time.perf_counter() - t

        t = time.perf_counter()
        pool = cand.pool_from_samples(samples, dialect=req.context.userland)
        pool.mark_retrieved(retrieved)
        extra = [c for c in retrieved if cand.normalize(c) not in pool.entries]
        code_model = prompting.profile_for(self.backend.name).name == "coder"
        # A code model is not second-guessed at length: scoring retrieved commands costs as
        # much as generating on a CPU (bench/bench_coder.py), so only the most similar few
        # are scored, and none when its own answers agree; the rest rank as typical.
        scored_count = len(extra)
        if code_model:
            scored_count = 0 if models_answers_agree(pool) else CODER_SCORED_RETRIEVED
        to_score, unscored = extra[:scored_count], extra[scored_count:]
        stage = TrialStage(req.context, request=req.request, tries=self.settings.trials)
        checked: dict[str, Any] = {}
        scoring = _Background(self.backend.score, messages, to_score,
                              prefix=prompting.ANSWER_PREFIX) if to_score else None
        if scoring is not None and not stage.skip:
            # While the model scores, the model's own candidates are checked and tried.
            stage.start(cand.rank(pool, context=req.context, request=req.request,
                                  checking=self.settings.validation, checked=checked,
                                  trust_model=code_model))
        if scoring is not None:
            pool.add_scored(to_score, scoring.result(), origin="retrieved")
        pool.add_scored(unscored, [Sample(c, []) for c in unscored], origin="retrieved")
        pool.mark_retrieved(retrieved)
        for command in followup.edits(req):  # fix / revise: minimal edits made without the model
            pool.add(command, [], followup.EDIT_ORIGIN)
        timings["score_s"] = time.perf_counter() - t

        t = time.perf_counter()
        ranked = cand.rank(pool, context=req.context, request=req.request,
                           checking=self.settings.validation, checked=checked,
                           trust_model=code_model)
        ranked = followup.reorder(req, ranked)
        timings["check_s"] = time.perf_counter() - t

        t = time.perf_counter()
        ranked = stage.finish(ranked)
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

    def _generate(self, messages: list[Message], n: int, retrieved: list[str],
                  timings: dict[str, float], on_first: FirstAnswer | None = None,
                  context: ShellContext | None = None) -> list[Sample]:
        """The greedy answer and up to `n` samples: with adaptive sampling, a first round of
        a few, then more only if they, the greedy answer and the retrieval disagree."""
        from nlsh import sampling

        started = time.perf_counter()
        first = sampling.first_round(n) if self.settings.adaptive_sampling else n
        samples = self._draw(messages, first, seed_offset=0)
        timings["first_answer_s"] = time.perf_counter() - started
        if on_first is not None and context is not None:
            on_first(first_answer(samples, context))
        if first < n:
            commands = [cand.extract_command(s.text) for s in samples]
            wanted = sampling.total_samples(n, commands[0], commands[1:], retrieved)
            if wanted > first:
                more = self._draw(messages, wanted - first, seed_offset=1)
                samples += [s for s in more if not s.greedy]
        timings["samples"] = float(sum(not s.greedy for s in samples))
        return samples

    def _draw(self, messages: list[Message], n: int, *, seed_offset: int) -> list[Sample]:
        options: dict[str, Any] = {}
        seed = getattr(self.backend, "seed", None)
        if seed_offset and isinstance(seed, int):
            options["seed"] = seed + seed_offset  # a seeded backend would repeat its draws
        return self.backend.generate(
            messages, n=n, temperature=self.settings.temperature,
            max_new_tokens=self.settings.max_new_tokens, stop=prompting.STOP_SEQUENCES,
            prefix=prompting.ANSWER_PREFIX, **options)

    def _messages(self, req: SuggestRequest, examples: list[Any]) -> list[Any]:
        """The prompt, laid out for the model's family (`prompting.profile_for`): a code
        model gets the compact layout, its example count unless the user set one, and the
        token budget."""
        profile = prompting.profile_for(self.backend.name)
        if self.settings.source_of("examples") != "default":
            profile = dataclasses.replace(profile, examples=self.settings.examples)
        messages = prompting.build_messages(req, examples[: self.settings.examples], profile)
        counter = getattr(self.backend, "count_prompt_tokens", None)
        if profile.budget_tokens is not None and counter is not None:
            messages = prompting.fit_budget(messages, counter, profile.budget_tokens)
        return messages

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

    def handle(self, op: str, payload: dict[str, Any],
               on_first: FirstAnswer | None = None) -> dict[str, Any]:
        """The daemon's entry point: one JSON-able request in, one JSON-able answer out
        (and, for "suggest", the greedy answer early through `on_first`)."""
        if op == "ping":
            return {"model": self.backend.name}
        if op == "suggest":
            req = SuggestRequest.from_dict(payload)
            result = self.run(req, on_first)
            data = result.suggestion.to_dict()
            if payload.get("with_samples"):
                data["samples"] = [s.__dict__ for s in result.samples]
            return data
        if op == "summarize":
            return {"summary": self.summarize(str(payload["command"]))}
        raise ValueError(f"unknown operation {op!r}")


def first_answer(samples: list[Sample], context: ShellContext) -> dict[str, Any]:
    """The greedy answer's command with a quick risk level (no blast-radius walk), shown
    while the rest is ranked; None/None when the model gave no command."""
    from nlsh.safety import assess

    greedy = next((s for s in samples if s.greedy), None)
    command = cand.extract_command(greedy.text) if greedy is not None else None
    if not command:
        return {"command": None, "risk": None}
    risk = assess(command, cwd=context.cwd, blast_radius=False)
    return {"command": command, "risk": risk.to_dict()}

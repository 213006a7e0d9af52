"""How the backend runs the model: a forward pass over a key/value state it can copy and shrink.

Two implementations share one small interface:
- `HFEngine` calls the transformers model (any causal LM), with a preallocated cache.
- `fastpath.FastEngine` runs Llama-family decoders (Llama, Qwen2, Mistral without sliding
  window) with its own lean forward pass, fused projections and low-bit weights.
The backend's decode loop only talks to this interface.

Which precision the fast path runs in on a CPU is measured, not guessed from flags
(`choose_cpu_precision`): at the first start the engines this machine can run are timed on
a few decoding steps, the fastest is kept, and the choice is cached beside the converted
weights (`ENGINE_CHOICE_FILE`), keyed by what it depends on (`machine_key`).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import torch


class Engine(Protocol):
    device: Any
    description: str

    def new_state(self, capacity: int) -> Any:
        """An empty key/value state for one row, with room for `capacity` positions."""
        ...

    def load_prefix(self, state: Any, layers: list[tuple[Any, Any]], length: int) -> None:
        """Fill an empty state with the first `length` positions of a saved one."""
        ...

    def snapshot(self, state: Any) -> list[tuple[Any, Any]]:
        """Per layer (keys, values) of a one-row state's filled part, safe to keep: later
        writes to `state` never change them."""
        ...

    def forward(self, state: Any, ids: torch.Tensor, *, last_only: bool) -> torch.Tensor:
        """Logits [rows, 1 or T, vocab] for `ids` [rows, T] appended to `state`."""
        ...

    def repeat(self, state: Any, rows: int) -> None: ...

    def select(self, state: Any, rows: torch.Tensor) -> None: ...

    def full_logits(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits for every position of right-padded rows `ids` [rows, T], no cache: with
        causal attention a real token never sees the padding after it."""
        ...


class HFEngine:
    """Any transformers causal LM, through its own forward and a (preallocated) cache."""

    def __init__(self, model: Any, *, preallocate_kv: bool = True) -> None:
        self.model = model
        self.device = next(model.parameters()).device
        self.preallocate_kv = preallocate_kv
        dtype = str(next(model.parameters()).dtype).removeprefix("torch.")
        self.description = f"transformers forward ({dtype})"

    def new_state(self, capacity: int) -> Any:
        from nlsh.backends.kvcache import new_cache

        return new_cache(self.model.config, capacity if self.preallocate_kv else None)

    def load_prefix(self, state: Any, layers: list[tuple[Any, Any]], length: int) -> None:
        for index, (keys, values) in enumerate(layers):
            state.update(keys[:, :, :length], values[:, :, :length], index)

    def snapshot(self, state: Any) -> list[tuple[Any, Any]]:
        # Preallocated layers write later positions past these views; DynamicLayer makes new
        # tensors on every update: either way the views stay as they are.
        return [(layer.keys, layer.values) for layer in state.layers]

    def forward(self, state: Any, ids: torch.Tensor, *, last_only: bool) -> torch.Tensor:
        out = self.model(input_ids=ids, past_key_values=state, use_cache=True,
                         logits_to_keep=1 if last_only else 0)
        return out.logits

    def repeat(self, state: Any, rows: int) -> None:
        state.batch_repeat_interleave(rows)

    def select(self, state: Any, rows: torch.Tensor) -> None:
        state.batch_select_indices(rows)

    def full_logits(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=ids, use_cache=False).logits


# ---------------------------------------------------------------------- measured choice

ENGINE_CHOICE_FILE = "nlsh-engine.json"
# What a request decodes: greedy + 8 samples over a prompt of a few hundred tokens.
MEASURE_ROWS = 9
MEASURE_PROMPT = 160
MEASURE_STEPS = 6
MEASURE_ROUNDS = 2


@dataclass
class EngineChoice:
    """The precision chosen, the median seconds per decoding step of every engine measured
    (None: it failed to build or run), and whether it came from the cache."""

    precision: str
    step_s: dict[str, float | None] = field(default_factory=dict)
    cached: bool = False

    def summary(self) -> str:
        timed = ", ".join(f"{name} {value * 1000:.0f} ms" if value is not None
                          else f"{name} failed" for name, value in self.step_s.items())
        how = "cached" if self.cached else "measured now"
        return f"{self.precision} ({how}; per decoding step: {timed})" if timed else \
            f"{self.precision} ({how})"


def cpu_precisions(*, native_bf16: bool, int4_kernels: bool) -> list[str]:
    """The CPU engines worth timing: fp32 always; 4-bit weights with fp32 activations where
    torch has the int4 kernels; bf16 activations (4-bit and plain) only where the CPU computes
    bf16 natively (emulated bf16 is several times slower than fp32)."""
    found = ["fp32"]
    if int4_kernels:
        found.append("int4-fp32")
        if native_bf16:
            found.append("int4")
    if native_bf16:
        found.append("bf16")
    return found


def machine_key() -> dict[str, str]:
    """What a measured choice depends on, computed without importing torch: the CPU, torch's
    version, the overrides that change which kernels run, and the core count."""
    from importlib import metadata

    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "?"
    return {
        "cpu": _cpu_model(),
        "torch": torch_version,
        "cores": str(os.cpu_count() or 0),
        **{name: os.environ.get(name, "") for name in (
            "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "NLSH_CPU_BF16", "OMP_NUM_THREADS")},
    }


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        import platform

        return platform.processor() or platform.machine()
    name, flags = "", ""
    for line in text.splitlines():
        if line.startswith(("model name", "Model")) and not name:
            name = line.split(":", 1)[-1].strip()
        elif line.startswith(("flags", "Features")) and not flags:
            flags = line.split(":", 1)[-1].strip()
    wanted = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "asimd", "bf16", "sve")
    return f"{name} [{' '.join(f for f in flags.split() if f in wanted)}]"


def _entries(directory: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads((directory / ENGINE_CHOICE_FILE).read_text())
    except (OSError, ValueError):
        return []
    found = data.get("choices") if isinstance(data, dict) else None
    return [entry for entry in found or [] if isinstance(entry, dict)]


def cached_choice(directory: Path | None,
                  candidates: Sequence[str] | None = None) -> EngineChoice | None:
    """The choice cached in `directory` for this machine among `candidates` (None: none, or
    made only for other machines or among other engines). One file keeps a choice per
    machine key, so an emulated profile does not overwrite the native one."""
    if directory is None:
        return None
    key = machine_key()
    for entry in _entries(directory):
        if entry.get("machine") != key:
            continue
        step_s = {str(k): (float(v) if v is not None else None)
                  for k, v in (entry.get("step_s") or {}).items()}
        precision = entry.get("precision")
        if not isinstance(precision, str):
            continue
        if candidates is not None and sorted(step_s) != sorted(candidates):
            continue  # measured among other engines (another model file, another torch)
        return EngineChoice(precision, step_s, cached=True)
    return None


def _save_choice(directory: Path, choice: EngineChoice) -> None:
    path = directory / ENGINE_CHOICE_FILE
    key = machine_key()
    entry = {"machine": key, "precision": choice.precision, "step_s": choice.step_s,
             "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    kept = [e for e in _entries(directory) if e.get("machine") != key][-7:]
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        staging.write_text(json.dumps({"choices": [*kept, entry]}, indent=2) + "\n")
        os.replace(staging, path)
    except OSError:  # a read-only model directory: measure again next start
        staging.unlink(missing_ok=True)


def choose_cpu_precision(build: Callable[[str], Any], precisions: Sequence[str], *,
                         directory: Path | None, quiet: bool = False) -> EngineChoice:
    """The fastest of `precisions` (cached in `directory`, else measured and cached).

    `build(precision)` makes an engine; one that raises while being built or run is skipped.
    The engines are timed in alternating rounds, so a burst of load from another process
    does not fall on one engine alone.
    """
    found = cached_choice(directory, precisions)
    if found is not None:
        return found
    if not quiet:
        print(f"nlsh: timing the CPU engines ({', '.join(precisions)}), first start only…",
              file=sys.stderr, flush=True)
    engines: dict[str, Any] = {}
    samples: dict[str, list[float]] = {name: [] for name in precisions}
    failed: set[str] = set()
    for name in precisions:
        try:
            engines[name] = build(name)
        except Exception:  # a broken engine is skipped, not fatal
            failed.add(name)
    for _ in range(MEASURE_ROUNDS):
        for name, engine in engines.items():
            if name in failed:
                continue
            try:
                samples[name].extend(decode_step_seconds(engine))
            except Exception:
                failed.add(name)
    engines.clear()
    step_s: dict[str, float | None] = {
        name: None if name in failed or not samples[name] else statistics.median(samples[name])
        for name in precisions}
    timed = {name: value for name, value in step_s.items() if value is not None}
    if not timed:
        raise RuntimeError("no CPU engine could run this model")
    choice = EngineChoice(min(timed, key=lambda name: timed[name]), step_s)
    if directory is not None:
        _save_choice(directory, choice)
    return choice


def decode_step_seconds(engine: Any, *, rows: int = MEASURE_ROWS, prompt: int = MEASURE_PROMPT,
                        steps: int = MEASURE_STEPS) -> list[float]:
    """Seconds per decoding step of `rows` rows after a `prompt`-token prefill, as a request
    runs them (the first step, which warms caches up, is not counted)."""
    import torch

    with torch.inference_mode():
        state = engine.new_state(prompt + steps + 1)
        ids = torch.arange(prompt, device=engine.device)[None] % 100 + 10
        logits = engine.forward(state, ids, last_only=True)[:, -1]
        engine.repeat(state, rows)
        token = logits.argmax(-1).expand(rows)[:, None].contiguous()
        times = []
        for step in range(steps + 1):
            started = time.perf_counter()
            logits = engine.forward(state, token, last_only=True)[:, -1]
            token = logits.float().argmax(-1)[:, None]
            if step:
                times.append(time.perf_counter() - started)
        return times


def cached_choice_for(model: str) -> EngineChoice | None:
    """The cached CPU engine choice for a `model` setting, without loading anything (for
    `nlsh config`): the embedded model and GGUF files keep it with their converted weights,
    a model directory in itself."""
    from nlsh.backends import embedded

    try:
        if model == "embedded":
            directory = embedded.converted_dir(embedded.embedded_gguf_path(),
                                               embedded.EMBEDDED_NAME)
        elif model.endswith(".gguf"):
            gguf = Path(model).expanduser().resolve()
            directory = embedded.converted_dir(gguf, gguf.name.removesuffix(".gguf"))
        else:
            directory = Path(model).expanduser()
        return cached_choice(directory) if directory.is_dir() else None
    except Exception:  # a missing model is reported by the commands that load it
        return None

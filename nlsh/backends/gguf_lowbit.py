"""K-quant GGUF files (Q4_K_M and the like) converted tensor by tensor into nlsh's low-bit layout.

Dequantising a 1.5B-parameter Q4_K_M file to fp32 (what transformers does) needs about 11 GB at
its peak and leaves a 6.7 GB cache, only for the fast path to quantise it back to 4 bits at
every start. This module goes from the file's blocks to the layout the CPU kernels want, one
tensor at a time, without ever holding the model in fp32:

- Q4_K weights are already 4-bit affine in groups of 32 (w = d*sc*q - dmin*m), exactly what
  `lowbit`'s int4 layout stores (w = q*scale + min): the nibbles are copied, the 6-bit scales
  and mins multiplied out. Nothing is lost but the bf16 rounding of scale and zero.
- Q6_K and other types are dequantised a few rows at a time and quantised to 4 bits (min/max
  per group of 32), or, for the output projection, to int8 per row.
- q/k/v and gate/up are fused here once, as the fast path runs them.

The converted checkpoint is one safetensors file (about 1 GB for Qwen2.5-Coder-1.5B) beside
config.json and the tokenizer; `load_engine` builds a `fastpath.FastEngine` from it directly,
with no transformers model in memory. Supported architectures: qwen2 (llama permutes q/k rows
in GGUF; not handled here, such files take the transformers route).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import torch

LOWBIT_FILE = "lowbit.safetensors"
LOWBIT_FORMAT = 1
GROUP = 32
SUPPORTED_ARCHITECTURES = ("qwen2",)
# Weight types that make a file worth this route (the 4-bit K-quant mixes).
K_QUANTS = ("Q4_K", "Q5_K", "Q6_K")
_ROWS_PER_CHUNK = 4096

Progress = Callable[[int, int, str], None]  # (bytes done, bytes in all, what now)


def suitable(gguf: Path, quantization: str | None) -> bool:
    """Whether `gguf` takes this route: a supported architecture with K-quant weights."""
    if quantization not in K_QUANTS:
        return False
    return architecture(gguf) in SUPPORTED_ARCHITECTURES


def architecture(gguf: Path) -> str | None:
    from gguf import GGUFReader

    field = GGUFReader(str(gguf)).fields.get("general.architecture")
    return None if field is None else str(field.contents())


def is_lowbit_checkpoint(directory: Path) -> bool:
    return (directory / LOWBIT_FILE).is_file() and (directory / "config.json").is_file()


# ---------------------------------------------------------------------- block decoding


def q4k_groups(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q4_K blocks [rows, n*144] bytes → (q uint8 [rows, n*256] in 0..15, scale and minimum
    float32 [rows, n*8]) with w = q * scale + minimum, group by group of 32."""
    import numpy as np
    from gguf.quants import Q4_K

    rows = blocks.shape[0]
    flat = np.ascontiguousarray(blocks).reshape(-1, 144)
    d = flat[:, 0:2].copy().view(np.float16).astype(np.float32)
    dmin = flat[:, 2:4].copy().view(np.float16).astype(np.float32)
    sc, m = Q4_K.get_scale_min(flat[:, 4:16])
    scale = d * sc.astype(np.float32)  # [blocks, 8]
    minimum = -(dmin * m.astype(np.float32))
    qs = flat[:, 16:].reshape(-1, 4, 1, 32) >> np.array([0, 4], dtype=np.uint8).reshape(1, 1, 2, 1)
    q = (qs & np.uint8(0x0F)).reshape(rows, -1)
    return q, scale.reshape(rows, -1), minimum.reshape(rows, -1)


def dequantized_rows(tensor: Any, start: int, stop: int) -> np.ndarray:
    """Rows start..stop of a GGUF tensor as float32 [rows, columns]."""
    import numpy as np
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    data = np.asarray(tensor.data if len(tensor.shape) < 2 else tensor.data[start:stop])
    kind = GGMLQuantizationType(tensor.tensor_type)
    return np.asarray(dequantize(data, kind), dtype=np.float32).reshape(-1, int(tensor.shape[0]))


def int4_groups(tensor: Any, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows start..stop as 4-bit groups (q, scale, minimum): exact for Q4_K, re-quantised
    (min/max per group) for every other type."""
    import numpy as np
    from gguf import GGMLQuantizationType

    if GGMLQuantizationType(tensor.tensor_type) == GGMLQuantizationType.Q4_K:
        return q4k_groups(np.asarray(tensor.data[start:stop]))
    weights = dequantized_rows(tensor, start, stop)
    rows, columns = weights.shape
    groups = weights.reshape(rows, columns // GROUP, GROUP)
    low = groups.min(axis=-1)
    scale = np.maximum((groups.max(axis=-1) - low) / 15, 1e-12)
    q = np.clip(np.rint((groups - low[..., None]) / scale[..., None]), 0, 15)
    return q.astype(np.uint8).reshape(rows, columns), scale, low


def pack_nibbles(q: np.ndarray) -> np.ndarray:
    """[rows, K] values 0..15 → [rows, K/2] bytes: even columns low nibble, odd high."""
    import numpy as np

    return (q[:, 0::2] | (q[:, 1::2] << np.uint8(4))).astype(np.uint8)


def unpack_nibbles(packed: torch.Tensor) -> torch.Tensor:
    """The inverse of `pack_nibbles`, as int32 [rows, K] (what torch's int4 packer takes)."""
    import torch

    low = (packed & 0x0F).to(torch.int32)
    high = (packed >> 4).to(torch.int32)
    return torch.stack((low, high), dim=-1).reshape(packed.shape[0], -1)


# ---------------------------------------------------------------------- conversion


def _rows(tensor: Any) -> int:
    return int(tensor.shape[-1]) if len(tensor.shape) > 1 else 1


def _chunks(rows: int) -> Iterator[tuple[int, int]]:
    for start in range(0, rows, _ROWS_PER_CHUNK):
        yield start, min(rows, start + _ROWS_PER_CHUNK)


class _Writer:
    """Collects converted tensors and reports progress by the source bytes consumed."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.out: dict[str, Any] = {}
        self.done = 0
        self.total = total
        self.progress = progress

    def advance(self, nbytes: int, label: str) -> None:
        self.done += nbytes
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def int4(self, name: str, tensors: list[Any]) -> None:
        """One int4 linear from one or more GGUF weights stacked by rows (a fused q/k/v)."""
        import numpy as np
        import torch

        packed, scales, minimums = [], [], []
        for tensor in tensors:
            for start, stop in _chunks(_rows(tensor)):
                q, scale, minimum = int4_groups(tensor, start, stop)
                packed.append(pack_nibbles(q))
                scales.append(scale.astype(np.float32))
                minimums.append(minimum.astype(np.float32))
            self.advance(int(tensor.n_bytes), name)
        scale_t = torch.from_numpy(np.concatenate(scales))
        minimum_t = torch.from_numpy(np.concatenate(minimums))
        # The kernel computes w = (q - 8) * scale + zero: zero = minimum + 8 * scale.
        self.out[f"{name}.packed"] = torch.from_numpy(np.concatenate(packed))
        pairs = torch.stack((scale_t, minimum_t + 8 * scale_t), dim=-1)
        self.out[f"{name}.scales_and_zeros"] = pairs.transpose(0, 1).contiguous().to(
            torch.bfloat16)

    def int8(self, name: str, tensor: Any) -> None:
        """Per-row symmetric int8 (the output projection)."""
        import numpy as np
        import torch

        values, scales = [], []
        for start, stop in _chunks(_rows(tensor)):
            weights = dequantized_rows(tensor, start, stop)
            scale = np.maximum(np.abs(weights).max(axis=1) / 127, 1e-12)
            values.append(np.clip(np.rint(weights / scale[:, None]), -127, 127).astype(np.int8))
            scales.append(scale.astype(np.float32))
        self.out[f"{name}.weight_int8"] = torch.from_numpy(np.concatenate(values))
        self.out[f"{name}.scale"] = torch.from_numpy(np.concatenate(scales))
        self.advance(int(tensor.n_bytes), name)

    def dense(self, name: str, tensors: list[Any]) -> None:
        import numpy as np
        import torch

        parts = [dequantized_rows(t, 0, _rows(t)).reshape(-1) for t in tensors]  # 1-D: small
        self.out[name] = torch.from_numpy(np.concatenate(parts).astype(np.float32))
        self.advance(sum(int(t.n_bytes) for t in tensors), name)


def convert(gguf: Path, directory: Path, progress: Progress | None = None) -> None:
    """Write `directory`/lowbit.safetensors, config.json and the tokenizer for `gguf`."""
    from gguf import GGUFReader

    reader = GGUFReader(str(gguf))
    tensors = {t.name: t for t in reader.tensors}
    config = _write_config_and_tokenizer(gguf, directory)
    writer = _Writer(sum(int(t.n_bytes) for t in reader.tensors), progress)
    writer.int4("embed", [tensors["token_embd.weight"]])
    for index in range(int(config["num_hidden_layers"])):
        block = f"blk.{index}."
        name = f"layers.{index}."
        attention = [tensors[block + part + ".weight"] for part in ("attn_q", "attn_k", "attn_v")]
        writer.int4(name + "qkv", attention)
        biases = [tensors.get(block + part + ".bias") for part in ("attn_q", "attn_k", "attn_v")]
        if all(b is not None for b in biases):
            writer.dense(name + "qkv.bias", [b for b in biases if b is not None])
        writer.int4(name + "output", [tensors[block + "attn_output.weight"]])
        writer.int4(name + "gate_up", [tensors[block + "ffn_gate.weight"],
                                       tensors[block + "ffn_up.weight"]])
        writer.int4(name + "down", [tensors[block + "ffn_down.weight"]])
        writer.dense(name + "input_norm", [tensors[block + "attn_norm.weight"]])
        writer.dense(name + "post_norm", [tensors[block + "ffn_norm.weight"]])
    writer.dense("norm", [tensors["output_norm.weight"]])
    writer.int8("lm_head", tensors.get("output.weight", tensors["token_embd.weight"]))
    writer.advance(0, "writing the cache")
    write_safetensors(writer.out, directory / LOWBIT_FILE,
                      {"format": "nlsh-lowbit", "version": str(LOWBIT_FORMAT)})


_SAFETENSORS_DTYPES = {"torch.float32": "F32", "torch.bfloat16": "BF16", "torch.uint8": "U8",
                       "torch.int8": "I8", "torch.float16": "F16", "torch.int32": "I32"}


def write_safetensors(tensors: dict[str, Any], path: Path, metadata: dict[str, str]) -> None:
    """A safetensors file written tensor by tensor (safetensors' own save_file builds the
    whole file in memory first: one more copy of the model at the conversion's peak)."""
    header: dict[str, Any] = {"__metadata__": metadata}
    offset = 0
    for name, tensor in tensors.items():
        size = tensor.numel() * tensor.element_size()
        header[name] = {"dtype": _SAFETENSORS_DTYPES[str(tensor.dtype)],
                        "shape": list(tensor.shape), "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with path.open("wb") as handle:
        handle.write(len(encoded).to_bytes(8, "little"))
        handle.write(encoded)
        for tensor in tensors.values():
            # Bytes as stored (bf16 has no numpy dtype: viewed as raw bytes).
            handle.write(_raw_bytes(tensor))


def _raw_bytes(tensor: Any) -> bytes:
    """A tensor's bytes as stored (bf16 has no numpy dtype: viewed as bytes first)."""
    import torch

    return bytes(tensor.contiguous().view(-1).view(torch.uint8).numpy().tobytes())


def _write_config_and_tokenizer(gguf: Path, directory: Path) -> dict[str, Any]:
    from transformers import AutoConfig, AutoTokenizer

    config = AutoConfig.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    data: dict[str, Any] = config.to_dict()
    data.pop("quantization_config", None)
    data["dtype"] = "float32"
    data["nlsh_lowbit"] = {"format": LOWBIT_FORMAT, "group_size": GROUP}
    (directory / "config.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tokenizer.save_pretrained(str(directory))
    return data


# ---------------------------------------------------------------------- loading


def load_model_and_engine(directory: Path, activations: str = "bf16") -> tuple[Any, Any]:
    """A weightless transformers model (config, generation settings: what the backend reads)
    and a FastEngine running the converted weights. `activations`: "bf16" or "fp32" between
    the int4 products (the products themselves take bf16 inputs: torch's int4 CPU kernel is
    two orders of magnitude slower on fp32 ones)."""
    import torch
    from safetensors import safe_open
    from transformers import AutoConfig, AutoModelForCausalLM

    from nlsh.backends.fastpath import LowbitEngine

    config = AutoConfig.from_pretrained(str(directory))
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    rotary = type(model.model.rotary_emb)(config=config)  # real buffers, on the CPU
    with safe_open(str(directory / LOWBIT_FILE), framework="pt") as handle:
        # Read tensor by tensor as the engine asks: each file copy is freed once repacked.
        tensors = _LazyTensors(handle)
        engine = LowbitEngine(config, tensors, rotary, activations=activations)  # type: ignore[arg-type]
    return model, engine


class _LazyTensors:
    """The mapping LowbitEngine reads (`[name]`, `.get(name)`), over an open safetensors file."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self._names = set(handle.keys())

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        # A copy in torch's own (64-byte aligned) memory: a tensor read from the file sits at
        # the file's offset, and torch's int8 kernel faults on rows that are not aligned.
        return self._handle.get_tensor(name).clone()

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self._names else default

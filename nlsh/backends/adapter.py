"""Low-rank adapters (LoRA): a fine-tune shipped as a few megabytes instead of a whole model.

A fine-tuned linear layer computes `W x + scale * B (A x)`, with A [rank, in] and B [out, rank]
trained and W frozen. The delta stays a separate side path at inference rather than being
merged into W: the embedded model's weights sit exactly on their 4-bit grid, and re-quantising
`W + delta` rounds most of a small delta away.

The file is safetensors: `<module>.lora_A` and `<module>.lora_B` per adapted module, with the
rank, alpha and what the adapter was trained on in the metadata.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlsh.backends import BackendError, first_line

if TYPE_CHECKING:
    import torch

TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class LowRankAdapter:
    rank: int
    alpha: float
    # module name (as in model.named_modules()) -> (A [rank, in], B [out, rank])
    weights: dict[str, tuple[Any, Any]]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return self.alpha / self.rank


def save_adapter(adapter: LowRankAdapter, path: Path) -> None:
    from safetensors.torch import save_file

    tensors: dict[str, Any] = {}
    for name, (a, b) in adapter.weights.items():
        tensors[f"{name}.lora_A"] = a.detach().to("cpu").contiguous()
        tensors[f"{name}.lora_B"] = b.detach().to("cpu").contiguous()
    metadata = {"rank": str(adapter.rank), "alpha": str(adapter.alpha),
                "info": json.dumps(adapter.info, sort_keys=True)}
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    save_file(tensors, str(staging), metadata=metadata)
    staging.replace(path)


def read_info(path: Path) -> dict[str, Any]:
    """What an adapter file says it was trained on, read from its header alone."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            info: dict[str, Any] = json.loads((handle.metadata() or {}).get("info", "{}"))
    except Exception as exc:  # safetensors raises its own error type for a damaged header
        raise BackendError(f"cannot read the adapter {path}: {first_line(exc)}") from None
    return info


def load_adapter(path: Path) -> LowRankAdapter:
    """Read an adapter file; BackendError (one line) if it is missing or not an adapter."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
        rank, alpha = int(metadata["rank"]), float(metadata["alpha"])
        info = json.loads(metadata.get("info", "{}"))
    except Exception as exc:  # safetensors raises its own error type for a damaged header
        raise BackendError(f"cannot read the adapter {path}: {first_line(exc)}") from None
    weights: dict[str, tuple[Any, Any]] = {}
    for key, a in tensors.items():
        if key.endswith(".lora_A"):
            name = key.removesuffix(".lora_A")
            b = tensors.get(f"{name}.lora_B")
            if b is None or a.shape[0] != rank or b.shape[1] != rank:
                raise BackendError(f"the adapter {path} is damaged at {name}")
            weights[name] = (a, b)
    if not weights:
        raise BackendError(f"the adapter {path} adapts no layer")
    return LowRankAdapter(rank, alpha, weights, info)


def _lora_class() -> Any:
    import torch

    class LoRALinear(torch.nn.Module):
        """A frozen linear layer (`base`, any module mapping x to W x) plus a trainable
        low-rank delta."""

        def __init__(self, base: Any, rank: int, alpha: float) -> None:
            super().__init__()
            self.base = base
            self.rank, self.alpha = rank, alpha
            weight = base.weight
            self.lora_A = torch.nn.Parameter(
                torch.empty(rank, base.in_features, dtype=weight.dtype, device=weight.device))
            self.lora_B = torch.nn.Parameter(
                torch.zeros(base.out_features, rank, dtype=weight.dtype, device=weight.device))
            torch.nn.init.kaiming_uniform_(self.lora_A, a=5**0.5)

        @property
        def in_features(self) -> int:
            return int(self.base.in_features)

        @property
        def out_features(self) -> int:
            return int(self.base.out_features)

        @property
        def weight(self) -> torch.Tensor:
            return self.base.weight

        @property
        def bias(self) -> torch.Tensor | None:
            return getattr(self.base, "bias", None)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            a, b = self.lora_A.to(x.dtype), self.lora_B.to(x.dtype)
            return self.base(x) + (x @ a.T @ b.T) * (self.alpha / self.rank)

    return LoRALinear


@functools.cache
def lora_linear_class() -> Any:
    return _lora_class()


def attach(model: Any, adapter: LowRankAdapter | None = None, *, rank: int = 16,
           alpha: float = 32.0, targets: tuple[str, ...] = TARGETS) -> list[str]:
    """Wrap the target linear layers of `model` in place; returns the wrapped names.

    With `adapter`, its trained A/B are loaded (every adapted module must exist with the same
    shapes); without, fresh ones (B = 0, so the model is unchanged) are made for training.
    """
    import torch

    lora = lora_linear_class()
    if adapter is not None:
        rank, alpha = adapter.rank, adapter.alpha
    wrapped: list[str] = []
    for name, module in list(model.named_modules()):
        if not isinstance(module, torch.nn.Linear) or name.rpartition(".")[2] not in targets:
            continue
        if adapter is not None and name not in adapter.weights:
            continue
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        layer = lora(module, rank, alpha)
        if adapter is not None:
            a, b = adapter.weights[name]
            if tuple(a.shape) != tuple(layer.lora_A.shape) or \
                    tuple(b.shape) != tuple(layer.lora_B.shape):
                raise BackendError(f"the adapter does not fit this model at {name}")
            with torch.no_grad():
                layer.lora_A.copy_(a)
                layer.lora_B.copy_(b)
            layer.requires_grad_(False)
        setattr(parent, child, layer)
        wrapped.append(name)
    if adapter is not None and len(wrapped) != len(adapter.weights):
        missing = sorted(set(adapter.weights) - set(wrapped))[0]
        raise BackendError(f"the adapter does not fit this model: no layer {missing}")
    return wrapped


def extract(model: Any, info: dict[str, Any] | None = None) -> LowRankAdapter:
    """The trained adapter of a model that `attach` wrapped."""
    lora = lora_linear_class()
    weights: dict[str, tuple[Any, Any]] = {}
    rank, alpha = 0, 0.0
    for name, module in model.named_modules():
        if isinstance(module, lora):
            weights[name] = (module.lora_A.detach().clone(), module.lora_B.detach().clone())
            rank, alpha = module.rank, module.alpha
    if not weights:
        raise ValueError("the model has no adapted layers")
    return LowRankAdapter(rank, alpha, weights, dict(info or {}))


def plain(module: Any) -> Any:
    """The frozen layer inside an adapted one (the layer itself if it is not adapted)."""
    return module.base if isinstance(module, lora_linear_class()) else module


def delta(module: Any) -> tuple[Any, Any] | None:
    """(A, scale * B) of an adapted layer, None for a plain one."""
    if not isinstance(module, lora_linear_class()):
        return None
    return module.lora_A.detach(), module.lora_B.detach() * (module.alpha / module.rank)

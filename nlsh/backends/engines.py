"""How the backend runs the model: a forward pass over a key/value state it can copy and shrink.

Two implementations share one small interface:
- `HFEngine` calls the transformers model (any causal LM), with a preallocated cache.
- `fastpath.FastEngine` runs Llama-family decoders (Llama, Qwen2, Mistral without sliding
  window) with its own lean forward pass, fused projections and low-bit weights.
The backend's decode loop only talks to this interface.
"""

from __future__ import annotations

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

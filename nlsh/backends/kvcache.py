"""A key/value cache that is allocated once per request instead of growing token by token.

transformers' DynamicCache appends each new token with torch.cat, which copies the whole cache
of every layer at every step: with 9 rows and a 250-token prompt that is ~100 MB of copying
per token on a small model, about as much memory traffic as its weights. Here each layer owns
one buffer sized for the prompt plus the answer; a step writes one slot and attention reads a
view of the filled part. Only plain full-attention layers are replaced; any other layer type
(sliding window, linear attention) keeps transformers' own implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


def new_cache(config: Any, capacity: int | None) -> Any:
    """A DynamicCache for `config`; with `capacity`, its full-attention layers preallocate."""
    from transformers import DynamicCache
    from transformers.cache_utils import DynamicLayer

    cache = DynamicCache(config=config)
    if capacity is not None and cache.layers and all(
        type(layer) is DynamicLayer for layer in cache.layers
    ):
        cache.layers = [_preallocated_layer(capacity) for _ in cache.layers]
    return cache


def _preallocated_layer(capacity: int) -> Any:
    # The class is built on first use so that importing this module does not import torch.
    global _LAYER_CLASS
    if _LAYER_CLASS is None:
        _LAYER_CLASS = _make_layer_class()
    return _LAYER_CLASS(capacity)


_LAYER_CLASS: Any = None


def _make_layer_class() -> type:
    import torch
    from transformers.cache_utils import DynamicLayer

    class PreallocatedLayer(DynamicLayer):
        """A DynamicLayer whose keys/values are views of one buffer of `capacity` positions."""

        def __init__(self, capacity: int) -> None:
            super().__init__()
            self.capacity = capacity
            self.length = 0
            self.key_buffer: torch.Tensor | None = None
            self.value_buffer: torch.Tensor | None = None

        def lazy_initialization(self, key_states: torch.Tensor,
                                value_states: torch.Tensor) -> None:
            self.dtype, self.device = key_states.dtype, key_states.device
            batch, heads, _, key_dim = key_states.shape
            value_dim = value_states.shape[-1]
            self.key_buffer = key_states.new_empty((batch, heads, self.capacity, key_dim))
            self.value_buffer = value_states.new_empty((batch, heads, self.capacity, value_dim))
            self.length = 0
            self._expose()
            self.is_initialized = True

        def _expose(self) -> None:
            assert self.key_buffer is not None and self.value_buffer is not None
            self.keys = self.key_buffer[:, :, : self.length]
            self.values = self.value_buffer[:, :, : self.length]

        def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any,
                   **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            assert self.key_buffer is not None and self.value_buffer is not None
            added = key_states.shape[-2]
            end = self.length + added
            if end > self.capacity:
                self._grow(max(end, 2 * self.capacity))
                assert self.key_buffer is not None and self.value_buffer is not None
            self.key_buffer[:, :, self.length:end] = key_states
            self.value_buffer[:, :, self.length:end] = value_states
            self.length = end
            self._expose()
            return self.key_buffer[:, :, :end], self.value_buffer[:, :, :end]

        def _grow(self, capacity: int) -> None:
            """More positions than planned (never in nlsh's own use): copy into a larger buffer."""
            assert self.key_buffer is not None and self.value_buffer is not None
            pad = capacity - self.capacity
            shape = list(self.key_buffer.shape)
            shape[2] = pad
            self.key_buffer = torch.cat([self.key_buffer, self.key_buffer.new_empty(shape)], 2)
            shape = list(self.value_buffer.shape)
            shape[2] = pad
            self.value_buffer = torch.cat([self.value_buffer, self.value_buffer.new_empty(shape)],
                                          2)
            self.capacity = capacity

        def get_seq_length(self) -> int:
            return self.length if self.is_initialized else 0

        def crop(self, tokens_to_remove: int) -> None:
            if tokens_to_remove > 0:
                raise ValueError("crop takes a negative count of tokens to remove")
            if tokens_to_remove and self.is_initialized:
                self.length = max(0, self.length + tokens_to_remove)
                self._expose()

        def batch_repeat_interleave(self, repeats: int) -> None:
            if self.is_initialized:
                assert self.key_buffer is not None and self.value_buffer is not None
                self.key_buffer = self.key_buffer.repeat_interleave(repeats, dim=0)
                self.value_buffer = self.value_buffer.repeat_interleave(repeats, dim=0)
                self._expose()

        def batch_select_indices(self, indices: torch.Tensor) -> None:
            if self.is_initialized:
                assert self.key_buffer is not None and self.value_buffer is not None
                self.key_buffer = self.key_buffer[indices]
                self.value_buffer = self.value_buffer[indices]
                self._expose()

        def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
            self.batch_select_indices(beam_idx)

        def reset(self) -> None:
            self.length = 0
            if self.is_initialized:
                self._expose()

    return PreallocatedLayer

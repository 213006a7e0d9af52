"""Low-bit weights for CPU decoding: 4-bit groupwise and 8-bit per-row Linear layers.

On a CPU, decoding one token reads every weight once, so its speed is bounded by how many
bytes the weights take. The embedded model is a Q4_1 GGUF: its block weights are 4-bit
(w = d*q + m per group of 32, q in 0..15) and its tied embedding/output matrix is Q8_0. Run in
fp32 after conversion, it reads 8x more bytes per token than llama.cpp does.

`Int4Linear` stores weights the way torch's CPU int4 kernel wants them: 4-bit values with a
bf16 scale and zero per group of 32 along the input dimension. For weights that came from a
Q4_1 file this is (up to the bf16 rounding of scale and zero) the file's own quantisation: in
every Q4_1 block the smallest weight has q=0 and the largest q=15, so min/max per group give
back d and m. `Int8Linear` is per-row symmetric int8 (used for the output projection, which
is Q8_0 in the file). Activations are bf16, like llama.cpp's 8-bit activations for its dot
products.

torch's kernels for these (`_weight_int4pack_mm_for_cpu`, `_weight_int8pack_mm`) are private
ops; `available()` says whether this torch has them, and callers fall back to plain bf16.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

GROUP_SIZE = 32


def available() -> bool:
    import torch

    ops = torch.ops.aten
    return all(hasattr(ops, name) for name in (
        "_convert_weight_to_int4pack_for_cpu", "_weight_int4pack_mm_for_cpu",
        "_weight_int8pack_mm"))


def quantize_linear_layers(model: Any, *, group_size: int = GROUP_SIZE,
                           output_layer: str = "lm_head") -> dict[str, int]:
    """Replace the model's Linear layers in place: 4-bit for the transformer blocks, 8-bit for
    `output_layer`, then cast what is left (embeddings, norms) to bf16.

    Rotary-embedding buffers stay fp32 (only parameters are cast). Layers whose input size is
    not a multiple of `group_size` stay bf16. Returns counts of each kind, for `describe()`.
    """
    import torch

    counts = {"int4": 0, "int8": 0, "bf16": 0}
    replacements: list[tuple[Any, str, Any]] = []
    for name, module in model.named_modules():
        if not isinstance(module, torch.nn.Linear):
            continue
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        if name == output_layer:
            replacements.append((parent, child, Int8Linear.from_linear(module)))
            counts["int8"] += 1
        elif module.in_features % group_size == 0:
            replacements.append((parent, child, Int4Linear.from_linear(module, group_size)))
            counts["int4"] += 1
        else:
            counts["bf16"] += 1
    for parent, child, replacement in replacements:
        setattr(parent, child, replacement)
    if counts["int8"]:
        # The output layer no longer shares its weight with the input embedding.
        model.config.tie_word_embeddings = False
    for parameter in model.parameters():
        if parameter.is_floating_point():
            parameter.data = parameter.data.to(torch.bfloat16)
    return counts


class _Lazy:
    """Builds the nn.Module subclasses on first use, so importing this module stays cheap."""

    int4: Any = None
    int8: Any = None


def _classes() -> tuple[Any, Any]:
    if _Lazy.int4 is None:
        _Lazy.int4, _Lazy.int8 = _make_classes()
    return _Lazy.int4, _Lazy.int8


class Int4Linear:
    """Namespace for the lazily built 4-bit Linear; see `from_linear`."""

    @staticmethod
    def from_linear(linear: Any, group_size: int = GROUP_SIZE) -> Any:
        return _classes()[0](linear, group_size)


class Int8Linear:
    """Namespace for the lazily built 8-bit Linear; see `from_linear`."""

    @staticmethod
    def from_linear(linear: Any) -> Any:
        return _classes()[1](linear)


def int4_weights(weight: torch.Tensor, group_size: int) -> tuple[torch.Tensor, torch.Tensor,
                                                                torch.Tensor]:
    """(q in 0..15 as int32 [N, K], scale [N, K/g], minimum [N, K/g]) with w ≈ q*scale + min."""
    import torch

    rows, columns = weight.shape
    groups = weight.detach().float().reshape(rows, columns // group_size, group_size)
    low = groups.amin(dim=-1)
    scale = ((groups.amax(dim=-1) - low) / 15).clamp(min=1e-12)
    q = torch.round((groups - low[..., None]) / scale[..., None]).clamp(0, 15)
    return q.to(torch.int32).reshape(rows, columns), scale, low


def _make_classes() -> tuple[Any, Any]:
    import torch

    class _Int4Linear(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear, group_size: int) -> None:
            super().__init__()
            self.in_features, self.out_features = linear.in_features, linear.out_features
            self.group_size = group_size
            q, scale, low = int4_weights(linear.weight, group_size)
            # The kernel computes w = (q - 8) * scale + zero, so zero = min + 8 * scale.
            scales_and_zeros = torch.stack([scale, low + 8 * scale], dim=-1)
            self.register_buffer("packed", torch.ops.aten._convert_weight_to_int4pack_for_cpu(
                q.contiguous(), 1))
            self.register_buffer("scales_and_zeros",
                                 scales_and_zeros.transpose(0, 1).contiguous().to(torch.bfloat16))
            bias = linear.bias
            self.bias = None if bias is None else torch.nn.Parameter(
                bias.detach().to(torch.bfloat16), requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
            out = torch.ops.aten._weight_int4pack_mm_for_cpu(
                flat, self.packed, self.group_size, self.scales_and_zeros)
            if self.bias is not None:
                out = out + self.bias
            return out.reshape(*x.shape[:-1], self.out_features)

        def extra_repr(self) -> str:
            return (f"in_features={self.in_features}, out_features={self.out_features}, "
                    f"group_size={self.group_size}, bits=4")

    class _Int8Linear(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            self.in_features, self.out_features = linear.in_features, linear.out_features
            weight = linear.weight.detach().float()
            scale = (weight.abs().amax(dim=1) / 127).clamp(min=1e-12)
            q = torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8)
            self.register_buffer("weight_int8", q.contiguous())
            self.register_buffer("scale", scale.to(torch.bfloat16))
            bias = linear.bias
            self.bias = None if bias is None else torch.nn.Parameter(
                bias.detach().to(torch.bfloat16), requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
            out = torch.ops.aten._weight_int8pack_mm(flat, self.weight_int8, self.scale)
            if self.bias is not None:
                out = out + self.bias
            return out.reshape(*x.shape[:-1], self.out_features)

        def extra_repr(self) -> str:
            return f"in_features={self.in_features}, out_features={self.out_features}, bits=8"

    return _Int4Linear, _Int8Linear


class PackedInt4:
    """An int4 linear read from a converted checkpoint (`gguf_lowbit`): `name.packed` (two
    4-bit values a byte) and `name.scales_and_zeros` (bf16, the kernel's layout), repacked
    once for torch's kernel. Inputs are cast to bf16 for the product and the output back to
    `dtype`. It also serves as a 4-bit embedding table (`rows`)."""

    def __init__(self, tensors: dict[str, torch.Tensor], name: str, dtype: torch.dtype, *,
                 bias: torch.Tensor | None = None, lookup: bool = False) -> None:
        import torch

        from nlsh.backends.gguf_lowbit import unpack_nibbles

        nibbles = tensors[f"{name}.packed"]
        self.scales_and_zeros = tensors[f"{name}.scales_and_zeros"]
        self.out_features = int(nibbles.shape[0])
        self.in_features = int(nibbles.shape[1]) * 2
        self.dtype = dtype
        self.bias = None if bias is None else bias.to(dtype)
        self._unpack = unpack_nibbles
        self._torch = torch
        # A lookup table keeps the plain nibbles (rows are read one by one); a linear keeps
        # only the kernel's own packing.
        self.nibbles = nibbles if lookup else None
        self.packed = None if lookup else torch.ops.aten._convert_weight_to_int4pack_for_cpu(
            unpack_nibbles(nibbles), 1)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        torch = self._torch
        flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
        out = torch.ops.aten._weight_int4pack_mm_for_cpu(
            flat, self.packed, GROUP_SIZE, self.scales_and_zeros).to(self.dtype)
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], self.out_features)

    def rows(self, ids: torch.Tensor) -> torch.Tensor:
        """Rows `ids` of the weight matrix, dequantised: an embedding lookup."""
        flat = ids.reshape(-1)
        assert self.nibbles is not None, "not built as a lookup table"
        q = self._unpack(self.nibbles[flat]).float()
        pairs = self.scales_and_zeros[:, flat].float()  # [groups, n, 2]
        scale = pairs[..., 0].transpose(0, 1).repeat_interleave(GROUP_SIZE, dim=1)
        zero = pairs[..., 1].transpose(0, 1).repeat_interleave(GROUP_SIZE, dim=1)
        values = (q - 8) * scale + zero
        return values.to(self.dtype).reshape(*ids.shape, self.in_features)


class PackedInt8:
    """A per-row int8 linear read from a converted checkpoint (`name.weight_int8`,
    `name.scale`); bf16 into torch's kernel, `dtype` out."""

    def __init__(self, tensors: dict[str, torch.Tensor], name: str,
                 dtype: torch.dtype) -> None:
        import torch

        self.weight = tensors[f"{name}.weight_int8"]
        self.scale = tensors[f"{name}.scale"].to(torch.bfloat16)
        self.dtype = dtype
        self._torch = torch

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        torch = self._torch
        flat = x.reshape(-1, x.shape[-1]).to(torch.bfloat16)
        out = torch.ops.aten._weight_int8pack_mm(flat, self.weight, self.scale).to(self.dtype)
        return out.reshape(*x.shape[:-1], self.weight.shape[0])

"""A lean forward pass for Llama-family decoders, for fast decoding on small machines.

transformers' generic forward costs a few dozen small torch calls and Python frames per layer
(masks, cache objects, output records); for a 135M model on a CPU that overhead is about a
third of each decoding step. This engine reads the weights of a loaded transformers model and
runs the same computation with fewer, bigger operations:
- q/k/v projections fused into one matrix, gate/up into another (4 matrix products a layer
  instead of 7);
- weights in the requested precision: fp32, bf16, or 4-bit groupwise (`lowbit`), with bf16
  activations for "int4" and "bf16"; "int4-fp32" keeps the activations in fp32 outside the
  low-bit products (a CPU without native bf16 only emulates it; `engines` measures which
  engine is fastest on this machine);
- key/value buffers allocated once per request, rows repeated/selected in place;
- rotary cos/sin computed once per position (by the model's own rotary module, so every
  rope variant transformers supports is honoured) and kept in a table.

Supported: model types llama, qwen2 and mistral with SiLU MLPs and full attention in every
layer. `unsupported_reason` says why another model is not, and the backend then uses
`engines.HFEngine`. Tests compare logits with transformers' own forward.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from nlsh.backends import adapter

if TYPE_CHECKING:
    import torch

SUPPORTED_TYPES = ("llama", "qwen2", "mistral")
# 4-bit weights with bf16 activations, and with fp32 activations (for CPUs without native bf16).
LOW_BIT = ("int4", "int4-fp32")


def unsupported_reason(model: Any) -> str | None:
    """None if FastEngine can run `model`, else a short reason."""
    config = model.config
    model_type = getattr(config, "model_type", None)
    if model_type not in SUPPORTED_TYPES:
        return f"model type {model_type!r}"
    if getattr(config, "hidden_act", "silu") != "silu":
        return f"activation {config.hidden_act!r}"
    layer_types = getattr(config, "layer_types", None) or []
    if any(kind != "full_attention" for kind in layer_types):
        return "sliding-window layers"
    if model_type == "mistral" and getattr(config, "sliding_window", None):
        return "sliding-window attention"
    try:
        first = model.model.layers[0]
        _ = (first.self_attn.q_proj, first.self_attn.k_proj, first.self_attn.v_proj,
             first.self_attn.o_proj, first.mlp.gate_proj, first.mlp.up_proj,
             first.mlp.down_proj, first.input_layernorm, first.post_attention_layernorm,
             model.model.embed_tokens, model.model.norm, model.model.rotary_emb, model.lm_head)
    except (AttributeError, IndexError, TypeError):
        return "unexpected module layout"
    if getattr(first.self_attn, "scaling", None) not in (None, first.self_attn.head_dim ** -0.5):
        return "non-standard attention scaling"
    return None


@dataclass
class KVState:
    """Key/value buffers [rows, kv_heads, capacity, head_dim] per layer; `length` filled.

    `decoder` is the static decoder whose buffers these are, once decoding moved there.
    """

    keys: list[Any]
    values: list[Any]
    length: int = 0
    decoder: Any = None


@dataclass
class _Layer:
    input_norm: Any
    qkv: Any
    output: Any
    post_norm: Any
    gate_up: Any
    down: Any


class FastEngine:
    """See the module docstring. `static_decoding` (default: on CUDA) decodes single tokens
    with fixed-shape buffers so that `compile_static` can turn each step into a CUDA graph."""

    def __init__(self, model: Any, precision: str = "fp32", *,
                 static_decoding: bool | None = None, compile_static: bool | None = None,
                 static_capacity: int = 2048) -> None:
        import torch

        reason = unsupported_reason(model)
        if reason is not None:
            raise ValueError(f"FastEngine cannot run this model: {reason}")
        config = model.config
        self.device = next(model.parameters()).device
        source_dtype = next(model.parameters()).dtype
        self.dtype = {"int4": torch.bfloat16, "bf16": torch.bfloat16, "int4-fp32": torch.float32,
                      "fp32": torch.float32}.get(precision, source_dtype)
        self.precision = precision
        if precision in LOW_BIT and self.device.type != "cpu":
            raise ValueError("int4 weights are for the CPU")
        self.heads = int(config.num_attention_heads)
        self.kv_heads = int(config.num_key_value_heads)
        first = model.model.layers[0].self_attn
        self.head_dim = int(first.head_dim)
        self.scale = self.head_dim ** -0.5
        self.float32 = torch.float32
        self.eps = float(model.model.norm.variance_epsilon)
        # A copy: the model's own modules may be freed (moved to "meta") once this is built.
        self.rotary = copy.deepcopy(model.model.rotary_emb)
        self._cos: torch.Tensor | None = None
        self._sin: torch.Tensor | None = None
        self.embed = model.model.embed_tokens.weight.detach().to(self.dtype)
        self.layers = [self._fuse(layer) for layer in model.model.layers]
        self.norm = model.model.norm.weight.detach().to(self.dtype)
        self.lm_head = self._output_layer(model)
        on_gpu = self.device.type == "cuda"
        self.static_decoding = on_gpu if static_decoding is None else static_decoding
        self.compile_static = on_gpu if compile_static is None else compile_static
        limit = int(getattr(config, "max_position_embeddings", static_capacity) or static_capacity)
        self.static_capacity = min(static_capacity, limit)
        # A fixed-size batch cannot drop finished rows; they keep decoding, ignored.
        self.shrinks_rows = not self.static_decoding
        self._decoders: dict[int, tuple[Any, Any]] = {}
        mode = ", static decoding" + (" compiled" if self.compile_static else "")
        self.description = (f"fast path ({precision}, {len(self.layers)} layers"
                            f"{mode if self.static_decoding else ''})")

    # ------------------------------------------------------------------ building

    def _linear(self, weight: torch.Tensor, bias: torch.Tensor | None, *,
                bits: int | None = None) -> Any:
        import torch

        from nlsh.backends import lowbit

        weight = weight.detach()
        bias = None if bias is None else bias.detach()
        if self.precision in LOW_BIT and (bits == 8 or weight.shape[1] % lowbit.GROUP_SIZE == 0):
            linear = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None,
                                     device="meta")
            linear.weight = torch.nn.Parameter(weight, requires_grad=False)
            if bias is not None:
                linear.bias = torch.nn.Parameter(bias, requires_grad=False)
            if bits == 8:
                return _activations_in(lowbit.Int8Linear.from_linear(linear), self.dtype)
            return _activations_in(lowbit.Int4Linear.from_linear(linear), self.dtype)
        return _Dense(weight.to(self.dtype), None if bias is None else bias.to(self.dtype))

    def _fuse(self, layer: Any) -> _Layer:
        import torch

        attention, mlp = layer.self_attn, layer.mlp
        adapted = (attention.q_proj, attention.k_proj, attention.v_proj)
        parts = tuple(adapter.plain(p) for p in adapted)
        biases = [p.bias for p in parts]
        if any(b is not None for b in biases):
            bias = torch.cat([b.detach() if b is not None else
                              torch.zeros(p.out_features, device=p.weight.device)
                              for p, b in zip(parts, biases, strict=True)])
        else:
            bias = None
        qkv = self._linear(torch.cat([p.weight.detach() for p in parts]), bias)
        gate, up = adapter.plain(mlp.gate_proj), adapter.plain(mlp.up_proj)
        gate_up_bias = None
        if gate.bias is not None and up.bias is not None:
            gate_up_bias = torch.cat([gate.bias, up.bias])
        gate_up = self._linear(torch.cat([gate.weight.detach(), up.weight.detach()]),
                               gate_up_bias)
        output, down = adapter.plain(attention.o_proj), adapter.plain(mlp.down_proj)
        return _Layer(
            input_norm=layer.input_layernorm.weight.detach().to(self.dtype),
            qkv=self._with_delta(qkv, adapted),
            output=self._with_delta(self._linear(output.weight, output.bias),
                                    (attention.o_proj,)),
            post_norm=layer.post_attention_layernorm.weight.detach().to(self.dtype),
            gate_up=self._with_delta(gate_up, (mlp.gate_proj, mlp.up_proj)),
            down=self._with_delta(self._linear(down.weight, down.bias), (mlp.down_proj,)),
        )

    def _with_delta(self, linear: Any, modules: tuple[Any, ...]) -> Any:
        """`linear` (the fused frozen weights of `modules`) plus their low-rank deltas, fused
        too: A stacked, B block-diagonal, so one pair of thin products serves all of them."""
        import torch

        deltas = [adapter.delta(m) for m in modules]
        if all(d is None for d in deltas):
            return linear
        downs, ups = [], []
        for module, found in zip(modules, deltas, strict=True):
            plain = adapter.plain(module)
            if found is None:  # not adapted: a zero delta keeps the block layout
                found = (torch.zeros(1, plain.in_features), torch.zeros(plain.out_features, 1))
            downs.append(found[0].float())
            ups.append(found[1].float())
        a = torch.cat(downs).to(self.device, self.dtype)
        b = torch.block_diag(*ups).to(self.device, self.dtype)
        return _LowRank(linear, a.T.contiguous(), b.T.contiguous())

    def _output_layer(self, model: Any) -> Any:
        head = model.lm_head
        return self._linear(head.weight, head.bias, bits=8)

    # ------------------------------------------------------------------ state

    def new_state(self, capacity: int, rows: int = 1) -> KVState:
        import torch

        shape = (rows, self.kv_heads, capacity, self.head_dim)
        make = lambda: torch.empty(shape, dtype=self.dtype, device=self.device)  # noqa: E731
        return KVState([make() for _ in self.layers], [make() for _ in self.layers])

    def load_prefix(self, state: KVState, layers: list[tuple[Any, Any]], length: int) -> None:
        for index, (keys, values) in enumerate(layers):
            state.keys[index][:, :, :length] = keys[:, :, :length]
            state.values[index][:, :, :length] = values[:, :, :length]
        state.length = length

    def snapshot(self, state: KVState) -> list[tuple[Any, Any]]:
        # Views: later steps write positions past `length`, and repeat/select make new buffers.
        end = state.length
        return [(k[:, :, :end], v[:, :, :end]) for k, v in zip(state.keys, state.values,
                                                                strict=True)]

    def repeat(self, state: KVState, rows: int) -> None:
        end = state.length
        state.keys = [_repeat_rows(k, rows, end) for k in state.keys]
        state.values = [_repeat_rows(v, rows, end) for v in state.values]

    def select(self, state: KVState, rows: torch.Tensor) -> None:
        state.keys = [k[rows] for k in state.keys]
        state.values = [v[rows] for v in state.values]

    # ------------------------------------------------------------------ forward

    def _rope(self, start: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        """cos/sin [count, head_dim] for positions start..start+count-1, from a growing table."""
        import torch

        needed = start + count
        if self._cos is None or self._cos.shape[0] < needed:
            size = max(needed, 256, 2 * (0 if self._cos is None else self._cos.shape[0]))
            positions = torch.arange(size, device=self.device)[None]
            probe = torch.zeros(1, dtype=torch.float32, device=self.device)
            cos, sin = self.rotary(probe, positions)
            self._cos, self._sin = cos[0].to(self.dtype), sin[0].to(self.dtype)
        assert self._cos is not None and self._sin is not None
        return self._cos[start:needed], self._sin[start:needed]

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        import torch.nn.functional as F

        return F.embedding(ids, self.embed)

    def _norm(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """RMSNorm as transformers computes it (in fp32, scaled after casting back), with
        torch's fused kernel: a few operations per call instead of seven."""
        import torch.nn.functional as F

        if x.dtype == weight.dtype == self.float32:
            return F.rms_norm(x, (x.shape[-1],), weight, self.eps)
        return weight * F.rms_norm(x.float(), (x.shape[-1],), None, self.eps).to(x.dtype)

    def forward(self, state: KVState, ids: torch.Tensor, *, last_only: bool) -> torch.Tensor:
        if self.static_decoding and ids.shape[1] == 1 and self._attach(state, ids.shape[0]):
            return self._static_step(state, ids)
        return self._forward(state, ids, last_only=last_only)

    def forward_packed(self, state: KVState, ids: torch.Tensor, positions: torch.Tensor,
                       mask: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        """Logits [len(keep), vocab] for several continuations of the state's one row packed
        into one sequence `ids` [1, T]: token t sits at position `positions[t]` and sees the
        key/value slots where `mask[t]` [state.length + T] is true. Only the packed positions
        in `keep` go through the output layer. For scoring: no padding, no copy of the shared
        prompt per continuation, no logits nobody reads."""
        return self._forward(state, ids, last_only=False, positions=positions, mask=mask,
                             keep=keep)

    def _forward(self, state: KVState, ids: torch.Tensor, *, last_only: bool,
                 positions: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                 keep: torch.Tensor | None = None) -> torch.Tensor:
        import torch
        import torch.nn.functional as F

        rows, count = ids.shape
        start, end = state.length, state.length + count
        if end > state.keys[0].shape[2]:
            raise ValueError("the key/value state is full")
        if positions is None:
            cos, sin = self._rope(start, count)
        else:
            cos, sin = self._rope(0, int(positions.max()) + 1)
            cos, sin = cos[positions], sin[positions]
        if mask is None and count > 1 and start > 0:
            # New positions see everything before them and themselves.
            mask = torch.ones(count, end, dtype=torch.bool, device=self.device).tril(start)
        causal = mask is None and count > 1 and start == 0
        x = self._embed(ids)
        q_size, kv_size = self.heads * self.head_dim, self.kv_heads * self.head_dim
        heads = self.heads + self.kv_heads
        cos, sin = cos[:, None], sin[:, None]  # [count, 1, head_dim]: broadcast over heads
        for index, layer in enumerate(self.layers):
            h = self._norm(x, layer.input_norm)
            qk, v = layer.qkv(h).split((q_size + kv_size, kv_size), dim=-1)
            # q and k heads rotated together: one set of rotary operations, not two.
            qk = _rotate(qk.view(rows, count, heads, self.head_dim), cos, sin).transpose(1, 2)
            q, k = qk.split((self.heads, self.kv_heads), dim=1)
            v = v.view(rows, count, self.kv_heads, self.head_dim).transpose(1, 2)
            keys, values = state.keys[index], state.values[index]
            keys[:, :, start:end] = k
            values[:, :, start:end] = v
            attended = F.scaled_dot_product_attention(
                q, keys[:, :, :end], values[:, :, :end], attn_mask=mask, is_causal=causal,
                scale=self.scale, enable_gqa=self.heads != self.kv_heads)
            x = x + layer.output(attended.transpose(1, 2).reshape(rows, count, q_size))
            h = self._norm(x, layer.post_norm)
            gate, up = layer.gate_up(h).chunk(2, dim=-1)
            x = x + layer.down(F.silu(gate) * up)
        state.length = end
        if last_only:
            x = x[:, -1:]
        elif keep is not None:
            x = x[0, keep]
        return self.lm_head(self._norm(x, self.norm))

    def full_logits(self, ids: torch.Tensor) -> torch.Tensor:
        state = self.new_state(ids.shape[1], rows=ids.shape[0])
        return self._forward(state, ids, last_only=False)

    # ------------------------------------------------------------------ static decoding

    def decoder(self, rows: int) -> tuple[Any, Any]:
        """The static decoder for `rows` rows, and what to call to run one step (compiled
        into a CUDA graph when `compile_static`). Built on first use; `warm_up` builds it
        ahead of the first request."""
        import torch

        if rows not in self._decoders:
            module = _static_decoder_class()(self, rows, self.static_capacity)
            run = module
            if self.compile_static:
                run = torch.compile(module, mode="reduce-overhead", fullgraph=True,
                                    dynamic=False)
            self._decoders[rows] = (module, run)
        return self._decoders[rows]

    def _attach(self, state: KVState, rows: int) -> bool:
        """Move `state` into the static decoder's buffers (once per request); False if it
        does not fit, and the step then runs the ordinary way."""
        module, _ = self.decoder(rows)
        if state.decoder is module:
            return True
        if state.keys[0].shape[2] > module.capacity or state.keys[0].shape[0] != rows:
            return False
        end = state.length
        for index in range(len(self.layers)):
            module.keys[index][:, :, :end] = state.keys[index][:, :, :end]
            module.values[index][:, :, :end] = state.values[index][:, :, :end]
        state.keys, state.values, state.decoder = module.keys, module.values, module
        return True

    def _static_step(self, state: KVState, ids: torch.Tensor) -> torch.Tensor:
        module, run = self.decoder(ids.shape[0])
        module.buffer("tokens").copy_(ids)
        module.buffer("position").fill_(state.length)
        logits = run()
        state.length += 1
        # A CUDA graph reuses its output memory on the next replay.
        return logits.clone()

    def warm_up(self, rows: tuple[int, ...]) -> None:
        """Build (and compile) the static decoders for these batch sizes now."""
        import torch

        with torch.inference_mode():
            for count in rows:
                state = self.new_state(2, rows=count)
                ids = torch.zeros((count, 1), dtype=torch.long, device=self.device)
                self._forward(state, ids, last_only=True)
                for _ in range(3):  # compilation, then graph capture, then a replay
                    self.forward(state, ids, last_only=True)
                    state.length = 1


class LowbitEngine(FastEngine):
    """A FastEngine over weights already in the low-bit layout (`gguf_lowbit`'s checkpoint):
    fused int4 linears, an int8 output layer, and a 4-bit embedding table whose rows are
    dequantised as they are looked up. No transformers model is ever materialised.

    `activations` is the dtype between the products: "bf16", or "fp32" for CPUs that only
    emulate bf16 (the int4 products still take bf16 inputs; see `lowbit.PackedInt4`)."""

    def __init__(self, config: Any, tensors: dict[str, Any], rotary: Any, *,
                 activations: str = "bf16") -> None:
        import torch

        from nlsh.backends import lowbit

        self.device = torch.device("cpu")
        self.dtype = torch.bfloat16 if activations == "bf16" else torch.float32
        self.precision = "int4" if activations == "bf16" else "int4-fp32"
        self.heads = int(config.num_attention_heads)
        self.kv_heads = int(config.num_key_value_heads)
        self.head_dim = int(getattr(config, "head_dim", None)
                            or config.hidden_size // config.num_attention_heads)
        self.scale = self.head_dim ** -0.5
        self.float32 = torch.float32
        self.eps = float(config.rms_norm_eps)
        self.rotary = rotary
        self._cos = None
        self._sin = None
        self._embed_table = lowbit.PackedInt4(tensors, "embed", self.dtype, lookup=True)
        self.embed = None
        self.layers = []
        for index in range(int(config.num_hidden_layers)):
            name = f"layers.{index}."
            self.layers.append(_Layer(
                input_norm=tensors[name + "input_norm"].to(self.dtype),
                qkv=lowbit.PackedInt4(tensors, name + "qkv", self.dtype,
                                      bias=tensors.get(name + "qkv.bias")),
                output=lowbit.PackedInt4(tensors, name + "output", self.dtype),
                post_norm=tensors[name + "post_norm"].to(self.dtype),
                gate_up=lowbit.PackedInt4(tensors, name + "gate_up", self.dtype),
                down=lowbit.PackedInt4(tensors, name + "down", self.dtype),
            ))
        self.norm = tensors["norm"].to(self.dtype)
        self.lm_head = lowbit.PackedInt8(tensors, "lm_head", self.dtype)
        self.static_decoding = False
        self.compile_static = False
        self.static_capacity = int(getattr(config, "max_position_embeddings", 2048) or 2048)
        self.shrinks_rows = True
        self._decoders = {}
        self.description = f"fast path ({self.precision}, {len(self.layers)} layers, from GGUF)"

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self._embed_table.rows(ids)


_DECODER_CLASS: Any = None


def _static_decoder_class() -> Any:
    global _DECODER_CLASS
    if _DECODER_CLASS is None:
        _DECODER_CLASS = _make_static_decoder_class()
    return _DECODER_CLASS


def _make_static_decoder_class() -> Any:
    import torch
    import torch.nn.functional as F

    class StaticDecoder(torch.nn.Module):
        """One decoding step with every shape fixed: `rows` rows, attention over all
        `capacity` slots with a mask of the filled ones, the new key/value written with
        index_copy_ at `position`. Inputs are buffers (tokens, position) so a compiled
        CUDA graph sees the same addresses on every replay."""

        def __init__(self, engine: FastEngine, rows: int, capacity: int) -> None:
            super().__init__()
            self.engine, self.rows, self.capacity = engine, rows, capacity
            shape = (rows, engine.kv_heads, capacity, engine.head_dim)
            self.keys: list[torch.Tensor] = []
            self.values: list[torch.Tensor] = []
            for index in range(len(engine.layers)):
                for kind, store in (("k", self.keys), ("v", self.values)):
                    buffer = torch.zeros(shape, dtype=engine.dtype, device=engine.device)
                    self.register_buffer(f"{kind}{index}", buffer)
                    store.append(buffer)
            cos, sin = engine._rope(0, capacity)
            self.register_buffer("cos", cos.clone())
            self.register_buffer("sin", sin.clone())
            self.register_buffer("slots", torch.arange(capacity, device=engine.device))
            self.register_buffer("tokens", torch.zeros((rows, 1), dtype=torch.long,
                                                       device=engine.device))
            self.register_buffer("position", torch.zeros(1, dtype=torch.long,
                                                         device=engine.device))

        def buffer(self, name: str) -> torch.Tensor:
            # Plain attribute access (traceable by torch.compile), typed for mypy.
            return cast("torch.Tensor", getattr(self, name))

        def forward(self) -> torch.Tensor:
            engine = self.engine
            rows, head_dim = self.rows, engine.head_dim
            q_size, kv_size = engine.heads * head_dim, engine.kv_heads * head_dim
            position = self.buffer("position")
            cos = self.buffer("cos").index_select(0, position)
            sin = self.buffer("sin").index_select(0, position)
            visible = (self.buffer("slots") <= position).view(1, 1, 1, self.capacity)
            x = engine._embed(self.buffer("tokens"))
            for index, layer in enumerate(engine.layers):
                h = engine._norm(x, layer.input_norm)
                q, k, v = layer.qkv(h).split((q_size, kv_size, kv_size), dim=-1)
                q = q.view(rows, 1, engine.heads, head_dim).transpose(1, 2)
                k = k.view(rows, 1, engine.kv_heads, head_dim).transpose(1, 2)
                v = v.view(rows, 1, engine.kv_heads, head_dim).transpose(1, 2)
                q, k = _rotate(q, cos, sin), _rotate(k, cos, sin)
                keys, values = self.keys[index], self.values[index]
                keys.index_copy_(2, position, k)
                values.index_copy_(2, position, v)
                attended = F.scaled_dot_product_attention(
                    q, keys, values, attn_mask=visible, scale=engine.scale,
                    enable_gqa=engine.heads != engine.kv_heads)
                x = x + layer.output(attended.transpose(1, 2).reshape(rows, 1, q_size))
                h = engine._norm(x, layer.post_norm)
                gate, up = layer.gate_up(h).chunk(2, dim=-1)
                x = x + layer.down(F.silu(gate) * up)
            return engine.lm_head(engine._norm(x, engine.norm))

    return StaticDecoder


def _activations_in(module: Any, dtype: torch.dtype) -> Any:
    """A low-bit layer inside a network whose activations are `dtype`. The low-bit kernels
    take bf16 activations (with fp32 ones torch falls back to a reference kernel some 40x
    slower), so only the layer's input is cast: norms, attention and the residual stream
    stay in `dtype`, which is what matters on a CPU that emulates bf16."""
    import torch

    return module if dtype == torch.bfloat16 else _CastOutput(module, dtype)


class _CastOutput:
    def __init__(self, module: Any, dtype: torch.dtype) -> None:
        self.module, self.dtype = module, dtype

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.module(x).to(self.dtype)


class _Dense:
    """A plain (possibly fused) Linear: y = x W^T + b."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        self.weight, self.bias = weight, bias

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        import torch.nn.functional as F

        return F.linear(x, self.weight, self.bias)


class _LowRank:
    """A linear layer plus a low-rank delta: y = base(x) + (x A^T) B^T."""

    def __init__(self, base: Any, a_t: torch.Tensor, b_t: torch.Tensor) -> None:
        self.base, self.a_t, self.b_t = base, a_t, b_t

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a_t) @ self.b_t


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    import torch

    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


def _repeat_rows(buffer: torch.Tensor, rows: int, filled: int) -> torch.Tensor:
    """`rows` copies of a one-row buffer (only the filled part is copied)."""
    import torch

    out = torch.empty((rows, *buffer.shape[1:]), dtype=buffer.dtype, device=buffer.device)
    out[:, :, :filled] = buffer[:, :, :filled]
    return out

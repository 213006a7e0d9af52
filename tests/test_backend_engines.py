"""The engines under the backend: the fast path against transformers' forward, static
(fixed-shape) decoding against ordinary decoding, and the low-bit weights.

Tiny randomly initialised models built here; the SmolLM2 tokenizer is not needed (token ids
are fed directly).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from nlsh.backends import lowbit
from nlsh.backends.engines import HFEngine
from nlsh.backends.fastpath import FastEngine, unsupported_reason
from nlsh.backends.transformers_local import (
    TransformersBackend,
    apply_precision,
    build_engine,
    default_cpu_threads,
    threads_for_now,
)
from nlsh.records import Message

VOCAB = 300
needs_lowbit = pytest.mark.skipif(not lowbit.available(),
                                  reason="this torch build has no int4/int8 CPU kernels")


def tiny(kind: str = "llama", seed: int = 0, **overrides):
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    settings = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                    initializer_range=0.3, tie_word_embeddings=True)
    settings.update(overrides)
    torch.manual_seed(seed)
    if kind == "qwen2":
        return Qwen2ForCausalLM(Qwen2Config(**settings)).eval()
    return LlamaForCausalLM(LlamaConfig(**settings)).eval()


def hf_logits(model, ids):
    with torch.inference_mode():
        return model(input_ids=ids).logits.float()


PROMPT = torch.tensor([[5, 17, 42, 99, 3, 250, 7, 61, 8, 120]])


@pytest.mark.parametrize("kind", ["llama", "qwen2"])
def test_fast_path_logits_match_transformers(kind):
    model = tiny(kind)
    if kind == "qwen2":  # q/k/v biases are fused into one projection: make them matter
        with torch.no_grad():
            for layer in model.model.layers:
                layer.self_attn.q_proj.bias.normal_(0, 0.5)
                layer.self_attn.v_proj.bias.normal_(0, 0.5)
    engine = FastEngine(model, "fp32")
    with torch.inference_mode():
        ours = engine.full_logits(PROMPT)
    assert torch.allclose(ours, hf_logits(model, PROMPT), atol=1e-4)


def test_fast_path_incremental_decoding_matches_one_forward():
    model = tiny()
    engine = FastEngine(model, "fp32")
    full = hf_logits(model, PROMPT)
    with torch.inference_mode():
        state = engine.new_state(PROMPT.shape[1])
        first = engine.forward(state, PROMPT[:, :4], last_only=True)
        middle = engine.forward(state, PROMPT[:, 4:7], last_only=False)  # a chunk after a past
        steps = [engine.forward(state, PROMPT[:, i:i + 1], last_only=True)
                 for i in range(7, PROMPT.shape[1])]
    assert torch.allclose(first[0, -1], full[0, 3], atol=1e-4)
    assert torch.allclose(middle[0], full[0, 4:7], atol=1e-4)
    for offset, logits in enumerate(steps):
        assert torch.allclose(logits[0, -1], full[0, 7 + offset], atol=1e-4)


def test_static_decoding_matches_ordinary_decoding():
    model = tiny(seed=3)
    dynamic = FastEngine(model, "fp32")
    static = FastEngine(model, "fp32", static_decoding=True, compile_static=False,
                        static_capacity=64)
    assert not static.shrinks_rows
    with torch.inference_mode():
        results = []
        for engine in (dynamic, static):
            state = engine.new_state(PROMPT.shape[1] + 6)
            engine.forward(state, PROMPT, last_only=True)
            engine.repeat(state, 3)
            token = torch.tensor([[4], [9], [200]])
            logits = [engine.forward(state, token + step, last_only=True) for step in range(6)]
            results.append(torch.stack(logits))
    assert torch.allclose(results[0], results[1], atol=1e-4)


def test_static_decoding_through_the_backend_gives_the_same_answers(embedded_tokenizer):
    tokenizer = embedded_tokenizer
    model = tiny(seed=4, vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                 initializer_range=0.5)
    plain = TransformersBackend(model, tokenizer, name="tiny")
    static = TransformersBackend(model, tokenizer, name="tiny")
    static.engine = FastEngine(model, "fp32", static_decoding=True, compile_static=False,
                               static_capacity=512)
    from nlsh.records import Message

    messages = [Message("user", "list the files here")]
    a = plain.generate(messages, n=3, temperature=1.0, max_new_tokens=8, stop=[" "], seed=2)
    b = static.generate(messages, n=3, temperature=1.0, max_new_tokens=8, stop=[" "], seed=2)
    assert [x.text for x in a] == [y.text for y in b]
    for x, y in zip(a, b, strict=True):
        assert x.token_logprobs == pytest.approx(y.token_logprobs, abs=1e-4)


def test_unsupported_models_use_the_transformers_engine():
    model = tiny(hidden_act="gelu")
    assert unsupported_reason(model) == "activation 'gelu'"
    engine = build_engine(model, "fp32")
    assert isinstance(engine, HFEngine)
    assert isinstance(build_engine(tiny(), "fp32"), FastEngine)
    assert isinstance(build_engine(tiny(), "fp32", fast_path=False), HFEngine)


def q4_1_weight(rows: int, columns: int, seed: int = 0) -> torch.Tensor:
    """A weight exactly as a Q4_1 file stores it: per 32 inputs, w = d*q + m, and every
    group uses both q=0 and q=15."""
    generator = torch.Generator().manual_seed(seed)
    groups = columns // 32
    q = torch.randint(0, 16, (rows, groups, 32), generator=generator)
    q[..., 0], q[..., 1] = 0, 15
    d = (torch.rand(rows, groups, 1, generator=generator) * 0.02 + 0.001)
    m = -torch.rand(rows, groups, 1, generator=generator) * 0.1
    # fp16 scale and minimum, as in the file (bf16-representable so the test is exact)
    d, m = d.to(torch.bfloat16).float(), m.to(torch.bfloat16).float()
    return (q * d + m).reshape(rows, columns)


@needs_lowbit
def test_int4_weights_recover_a_q4_1_matrix():
    weight = q4_1_weight(48, 128)
    q, scale, low = lowbit.int4_weights(weight, 32)
    rebuilt = (q.reshape(48, 4, 32) * scale[..., None] + low[..., None]).reshape(48, 128)
    assert torch.allclose(rebuilt, weight, atol=1e-6)
    linear = torch.nn.Linear(128, 48, bias=True)
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.normal_()
    x = torch.randn(5, 128)
    ours = lowbit.Int4Linear.from_linear(linear)(x.bfloat16()).float()
    expected = x.bfloat16().float() @ weight.T + linear.bias
    assert (ours - expected).abs().max() < 0.02 * expected.abs().max()


@needs_lowbit
def test_int8_output_layer_is_close():
    linear = torch.nn.Linear(64, 300, bias=False)
    x = torch.randn(3, 64)
    ours = lowbit.Int8Linear.from_linear(linear)(x).float()
    expected = linear(x).detach()
    assert (ours - expected).abs().max() < 0.02 * expected.abs().max()


@needs_lowbit
def test_int4_fast_path_matches_int4_transformers_model():
    """The same 4-bit weights, fused (fast path) or per projection (transformers' modules)."""
    model = tiny(seed=5)
    fast = FastEngine(model, "int4")
    with torch.inference_mode():
        ours = fast.full_logits(PROMPT)
    apply_precision(model, "int4")
    reference = hf_logits(model, PROMPT)
    assert (ours.float() - reference).abs().max() < 0.05 * reference.abs().max()
    assert torch.equal(ours.argmax(-1), reference.argmax(-1))


@needs_lowbit
def test_int4_loses_nothing_on_a_model_whose_weights_are_already_4_bit():
    """Like the embedded model (a Q4_1 file): int4 is then as close to the exact result as
    plain bf16 is; the only differences left are bf16 arithmetic and the int8 output layer."""
    model = tiny(seed=6, tie_word_embeddings=False)
    with torch.no_grad():
        for index, layer in enumerate(model.model.layers):
            for linear in (layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj,
                           layer.self_attn.o_proj, layer.mlp.gate_proj, layer.mlp.up_proj,
                           layer.mlp.down_proj):
                rows, columns = linear.weight.shape
                linear.weight.copy_(q4_1_weight(rows, columns, seed=index) * 10)
    exact = hf_logits(model, PROMPT)
    with torch.inference_mode():
        low = FastEngine(model, "int4").full_logits(PROMPT).float()
        half = FastEngine(model, "bf16").full_logits(PROMPT).float()
    low_error = ((low - exact).norm() / exact.norm()).item()
    half_error = ((half - exact).norm() / exact.norm()).item()
    assert low_error < 2 * half_error + 0.01
    assert low_error < 0.05


def test_bf16_precision_runs_the_fast_path_in_bf16():
    engine = FastEngine(tiny(), "bf16")
    assert engine.dtype == torch.bfloat16
    with torch.inference_mode():
        logits = engine.full_logits(PROMPT)
    assert logits.dtype == torch.bfloat16 and torch.isfinite(logits.float()).all()


def test_default_threads_adapt_unless_omp_num_threads_is_set(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert default_cpu_threads() == "adaptive"
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert default_cpu_threads() is None


@pytest.mark.skipif(not Path("/proc/loadavg").exists(), reason="needs Linux's /proc/loadavg")
def test_adaptive_threads_give_way_to_busy_processes(embedded_tokenizer):
    """With as many busy processes as cores, the next model call runs on one thread."""
    before = torch.get_num_threads()
    cores = max(2, before)  # at least two, so that "one thread" is a decision, not the default
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(0.3)
        assert threads_for_now(cores) == 1
        tokenizer = embedded_tokenizer
        model = tiny(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64)
        torch.set_num_threads(cores)  # what an idle machine would give it
        backend = TransformersBackend(model, tokenizer, name="tiny", threads="adaptive")
        backend.generate([Message("user", "hi")], n=1, temperature=1.0, max_new_tokens=2,
                         stop=[])
        assert torch.get_num_threads() == 1
    finally:
        for process in busy:
            process.kill()
            process.wait()
        torch.set_num_threads(before)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_compiled_static_decoding_on_gpu_matches_eager():
    model = tiny().to("cuda", torch.bfloat16)
    eager = FastEngine(model, "as-loaded", static_decoding=True, compile_static=False,
                       static_capacity=64)
    compiled = FastEngine(model, "as-loaded", static_decoding=True, compile_static=True,
                          static_capacity=64)
    compiled.warm_up((2,))
    prompt = PROMPT.to("cuda")
    outs = []
    with torch.inference_mode():
        for engine in (eager, compiled):
            state = engine.new_state(32)
            engine.forward(state, prompt, last_only=True)
            engine.repeat(state, 2)
            token = torch.tensor([[4], [9]], device="cuda")
            outs.append(torch.stack([engine.forward(state, token + i, last_only=True)
                                     for i in range(5)]).float())
    assert torch.allclose(outs[0], outs[1], atol=0.05)

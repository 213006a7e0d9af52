"""The K-quant GGUF route: Q4_K/Q6_K blocks → nlsh's low-bit layout, streamed, and the engine
that runs it; on a tiny Qwen2 GGUF these tests write block by block (tests/tiny_gguf.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tiny_gguf import q4k_bytes, q6k_bytes, write_tiny_qwen2

from nlsh.backends import embedded, gguf_lowbit


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-gguf") / "tiny-qwen2-coder.gguf"
    return write_tiny_qwen2(out, embedded.embedded_gguf_path())


@pytest.fixture(scope="module")
def converted(tiny_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-lowbit")
    progress: list[tuple[int, int, str]] = []
    gguf_lowbit.convert(tiny_gguf, out, lambda done, total, label: progress.append(
        (done, total, label)))
    # Progress advances to the whole file, never backwards.
    dones = [p[0] for p in progress]
    assert dones == sorted(dones) and dones[-1] == progress[-1][1]
    return out


def _reader_tensor(gguf: Path, name: str):  # type: ignore[no-untyped-def]
    from gguf import GGUFReader

    return next(t for t in GGUFReader(str(gguf)).tensors if t.name == name)


def test_q4k_groups_are_exactly_the_files_weights():
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    blocks = q4k_bytes(8, 512, np.random.default_rng(1))
    q, scale, minimum = gguf_lowbit.q4k_groups(blocks)
    assert q.shape == (8, 512) and scale.shape == minimum.shape == (8, 16)
    assert q.max() <= 15
    ours = (q.reshape(8, 16, 32) * scale[..., None] + minimum[..., None]).reshape(8, 512)
    theirs = dequantize(blocks, GGMLQuantizationType.Q4_K)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_other_types_are_requantised_within_half_a_step(tiny_gguf: Path):
    tensor = _reader_tensor(tiny_gguf, "blk.0.ffn_down.weight")  # Q6_K
    assert tensor.tensor_type.name == "Q6_K"
    exact = gguf_lowbit.dequantized_rows(tensor, 0, 16)
    q, scale, minimum = gguf_lowbit.int4_groups(tensor, 0, 16)
    groups = q.reshape(16, -1, 32) * scale[..., None] + minimum[..., None]
    error = np.abs(groups.reshape(16, -1) - exact).reshape(16, -1, 32).max(axis=-1)
    assert (error <= scale / 2 + 1e-6).all()


def test_nibbles_round_trip():
    import torch

    q = np.random.default_rng(2).integers(0, 16, size=(5, 64), dtype=np.uint8)
    packed = gguf_lowbit.pack_nibbles(q)
    assert packed.shape == (5, 32)
    back = gguf_lowbit.unpack_nibbles(torch.from_numpy(packed))
    assert back.dtype == torch.int32
    assert (back.numpy() == q).all()


def test_q6k_bytes_dequantise_to_small_weights():
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    weights = dequantize(q6k_bytes(4, 256, np.random.default_rng(3)), GGMLQuantizationType.Q6_K)
    assert np.isfinite(weights).all() and 0 < np.abs(weights).max() < 10


def _engine(converted: Path, activations: str = "fp32"):  # type: ignore[no-untyped-def]
    return gguf_lowbit.load_model_and_engine(converted, activations)[1]


def test_the_fused_linears_compute_the_files_weights(converted: Path, tiny_gguf: Path):
    import torch

    engine = _engine(converted)
    # Layer 1 is all Q4_K: only the bf16 rounding of inputs, scales and zeros differs.
    parts = [_reader_tensor(tiny_gguf, f"blk.1.attn_{p}.weight") for p in ("q", "k", "v")]
    weight = torch.from_numpy(np.concatenate(
        [gguf_lowbit.dequantized_rows(t, 0, int(t.shape[-1])) for t in parts]))
    bias = torch.from_numpy(np.concatenate([
        gguf_lowbit.dequantized_rows(_reader_tensor(tiny_gguf, f"blk.1.attn_{p}.bias"), 0, 1)[0]
        for p in ("q", "k", "v")]))
    x = torch.randn(3, weight.shape[1], generator=torch.Generator().manual_seed(0))
    expected = x @ weight.T + bias
    got = engine.layers[1].qkv(x)
    assert got.dtype == torch.float32
    relative = (got - expected).norm() / expected.norm()
    assert relative < 0.02


def test_embedding_rows_are_dequantised_on_lookup(converted: Path, tiny_gguf: Path):
    import torch

    engine = _engine(converted)
    table = _reader_tensor(tiny_gguf, "token_embd.weight")
    ids = torch.tensor([[0, 7, 1999]])
    got = engine._embed(ids)
    assert got.shape == (1, 3, 256)
    for position, token in enumerate(ids[0].tolist()):
        row = torch.from_numpy(gguf_lowbit.dequantized_rows(table, token, token + 1)[0])
        assert (got[0, position] - row).norm() / row.norm() < 0.01


def test_the_engine_agrees_with_transformers_on_the_dequantised_file(converted: Path,
                                                                       tiny_gguf: Path):
    import torch
    from transformers import AutoModelForCausalLM

    reference = AutoModelForCausalLM.from_pretrained(
        str(tiny_gguf.parent), gguf_file=tiny_gguf.name, dtype=torch.float32).eval()
    ids = torch.tensor([[5, 300, 42, 1024, 9, 77, 1500, 3]])
    with torch.inference_mode():
        expected = reference(input_ids=ids).logits[0]
        engine = _engine(converted)
        got = engine.full_logits(ids)[0].float()
    # Q6_K layers are re-quantised to 4 bits: close, not equal.
    cosine = torch.nn.functional.cosine_similarity(got, expected, dim=-1)
    assert cosine.min() > 0.97, cosine


def test_the_cache_keeps_the_low_bit_layout(tiny_gguf: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert embedded.uses_lowbit_route(tiny_gguf)
    directory = embedded.ensure_converted(tiny_gguf, "tiny-coder", quiet=True)
    assert directory.name.startswith("tiny-coder-lowbit-")
    assert embedded.is_converted(directory)
    assert not (directory / embedded.WEIGHTS_FILE).exists()  # no fp32 copy
    weights = (directory / gguf_lowbit.LOWBIT_FILE).stat().st_size
    # Smaller than the file itself would be in fp16, let alone fp32.
    from gguf import GGUFReader

    parameters = sum(int(np.prod(t.shape)) for t in GGUFReader(str(tiny_gguf)).tensors)
    assert weights < parameters * 2 * 0.5
    info = embedded.source_info(tiny_gguf, directory)
    assert info["layout"] == "lowbit"
    shutil.rmtree(directory)


def test_the_backend_renders_the_qwen_chat_template(converted: Path):
    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.records import Message

    backend = TransformersBackend.load(str(converted), name="tiny-qwen2-coder", threads=1)
    text = backend.render_prompt([Message("system", "Be brief."), Message("user", "list files"),
                                  Message("assistant", "ls"), Message("user", "count them")])
    assert text == ("<|im_start|>system\nBe brief.<|im_end|>\n"
                    "<|im_start|>user\nlist files<|im_end|>\n"
                    "<|im_start|>assistant\nls<|im_end|>\n"
                    "<|im_start|>user\ncount them<|im_end|>\n"
                    "<|im_start|>assistant\n")
    answers = backend.generate([Message("user", "list files")], n=2, temperature=1.0,
                               max_new_tokens=4, stop=["\n"], seed=0)
    assert len(answers) == 3 and answers[0].greedy
    assert all(len(a.token_logprobs) <= 4 for a in answers)
    assert backend.describe()["engine"].startswith("fast path (int4")


def test_an_adapter_is_refused_for_a_low_bit_checkpoint(converted: Path, tmp_path: Path):
    from nlsh.backends import BackendError
    from nlsh.backends.transformers_local import TransformersBackend

    with pytest.raises(BackendError, match="adapter"):
        TransformersBackend.load(str(converted), adapter_path=tmp_path / "x.safetensors")


def test_every_weight_the_kernels_read_is_64_byte_aligned(converted: Path):
    """Tensors read from the file sit at its (8-byte aligned) offsets; torch's int8 kernel
    faulted (SIGSEGV, general protection) on the output layer's misaligned rows."""
    engine = _engine(converted, "bf16")
    tensors = [engine.lm_head.weight, engine.lm_head.scale, engine._embed_table.nibbles,
               engine._embed_table.scales_and_zeros, engine.norm]
    for layer in engine.layers:
        for linear in (layer.qkv, layer.output, layer.gate_up, layer.down):
            tensors += [linear.packed, linear.scales_and_zeros]
        tensors += [layer.input_norm, layer.post_norm]
    misaligned = [t.shape for t in tensors if t.data_ptr() % 64]
    assert misaligned == []

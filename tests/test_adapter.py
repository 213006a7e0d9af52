"""Low-rank adapters: the side path in the fast engine against transformers' forward through the
adapted modules, the file format, fitting checks, and the shipped fine-tune of the embedded
model. Tiny randomly initialised models built here (token ids fed directly)."""

from __future__ import annotations

import pytest
import torch

from nlsh.backends import BackendError, adapter, lowbit
from nlsh.backends.fastpath import FastEngine
from nlsh.backends.transformers_local import apply_precision, resolve_adapter

VOCAB = 300
PROMPT = torch.tensor([[5, 17, 42, 99, 3, 250, 7, 61, 8, 120]])


def tiny(seed: int = 0):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=256, initializer_range=0.3,
                         tie_word_embeddings=True)
    return LlamaForCausalLM(config).eval()


def trained_adapter(model, seed: int = 1, size: float = 0.3) -> adapter.LowRankAdapter:
    """An adapter as if trained: B no longer zero, so it changes the model's output."""
    adapter.attach(model, rank=4, alpha=8.0)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.requires_grad and parameter.dim() == 2 and parameter.shape[1] == 4:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * size)
    return adapter.extract(model, {"note": "test"})


def logits(model):
    with torch.inference_mode():
        return model(input_ids=PROMPT).logits.float()


def test_a_fresh_adapter_leaves_the_model_unchanged():
    model = tiny()
    before = logits(model)
    wrapped = adapter.attach(model, rank=4, alpha=8.0)
    assert len(wrapped) == 2 * 7
    assert torch.allclose(logits(model), before)


def test_fast_path_with_an_adapter_matches_transformers_forward():
    model = tiny()
    base = logits(model)
    trained_adapter(model)
    reference = logits(model)
    assert (reference - base).abs().max() > 0.1  # the adapter matters
    with torch.inference_mode():
        ours = FastEngine(model, "fp32").full_logits(PROMPT)
    assert torch.allclose(ours, reference, atol=1e-4)


def test_only_some_layers_adapted_still_fuse_correctly():
    model = tiny(seed=2)
    adapter.attach(model, rank=4, alpha=8.0, targets=("v_proj", "up_proj"))
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("lora_B"):
                parameter.normal_(0, 0.3)
    with torch.inference_mode():
        ours = FastEngine(model, "fp32").full_logits(PROMPT)
    assert torch.allclose(ours, logits(model), atol=1e-4)


def four_bit_tiny(seed: int):
    """A tiny model whose block weights sit exactly on a Q4_1 grid, like the embedded one."""
    model = tiny(seed)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if parameter.dim() == 2 and "layers" in name:
                rows, columns = parameter.shape
                groups = columns // 32
                q = torch.randint(0, 16, (rows, groups, 32), generator=generator)
                q[..., 0], q[..., 1] = 0, 15
                d = (torch.rand(rows, groups, 1, generator=generator) * 0.2 + 0.01)
                m = -torch.rand(rows, groups, 1, generator=generator)
                d, m = d.to(torch.bfloat16).float(), m.to(torch.bfloat16).float()
                parameter.copy_((q * d + m).reshape(rows, columns))
    return model


@pytest.mark.skipif(not lowbit.available(), reason="no int4 CPU kernels in this torch")
def test_the_delta_survives_4_bit_weights():
    """Merged into weights on a 4-bit grid a small delta mostly rounds away; kept beside them
    it moves the output as it does in full precision."""
    model = four_bit_tiny(seed=3)
    base = logits(model)
    trained = trained_adapter(model, size=0.05)
    exact_shift = logits(model) - base
    with torch.inference_mode():
        shift = (FastEngine(model, "int4").full_logits(PROMPT).float()
                 - FastEngine(four_bit_tiny(seed=3), "int4").full_logits(PROMPT).float())
    merged = four_bit_tiny(seed=3)
    with torch.no_grad():
        for name, (a, b) in trained.weights.items():
            merged.get_submodule(name).weight += b @ a * trained.scale
    with torch.inference_mode():
        merged_shift = (FastEngine(merged, "int4").full_logits(PROMPT).float()
                        - FastEngine(four_bit_tiny(seed=3), "int4").full_logits(PROMPT).float())

    def agreement(found):
        return torch.nn.functional.cosine_similarity(found.flatten(), exact_shift.flatten(),
                                                     dim=0).item()

    assert agreement(shift) > 0.98
    assert agreement(merged_shift) < agreement(shift) - 0.1


@pytest.mark.skipif(not lowbit.available(), reason="no int4 CPU kernels in this torch")
def test_transformers_engine_keeps_the_adapter_through_int4():
    """Models the fast path cannot run quantise each projection inside its adapted layer."""
    model = four_bit_tiny(seed=4)
    trained_adapter(model, size=0.05)
    with torch.inference_mode():
        fast = FastEngine(model, "int4").full_logits(PROMPT).float()
    apply_precision(model, "int4")
    assert isinstance(model.model.layers[0].self_attn.q_proj, adapter.lora_linear_class())
    assert type(model.model.layers[0].self_attn.q_proj.base).__name__ == "_Int4Linear"
    reference = logits(model)
    assert (fast - reference).abs().max() < 0.05 * reference.abs().max()
    assert torch.equal(fast.argmax(-1), reference.argmax(-1))


def test_adapter_file_round_trip(tmp_path):
    model = tiny()
    saved = trained_adapter(model)
    path = tmp_path / "a.safetensors"
    adapter.save_adapter(saved, path)
    loaded = adapter.load_adapter(path)
    assert (loaded.rank, loaded.alpha, loaded.info) == (4, 8.0, {"note": "test"})
    fresh = tiny()
    adapter.attach(fresh, loaded)
    assert torch.allclose(logits(fresh), logits(model), atol=1e-5)
    assert not any(p.requires_grad for n, p in fresh.named_parameters() if "lora" in n)


def test_an_adapter_for_another_model_is_refused(tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    saved = trained_adapter(tiny())
    wider = LlamaForCausalLM(LlamaConfig(vocab_size=VOCAB, hidden_size=96, intermediate_size=128,
                                         num_hidden_layers=2, num_attention_heads=4,
                                         num_key_value_heads=2))
    with pytest.raises(BackendError, match="does not fit this model"):
        adapter.attach(wider, saved)
    deeper = LlamaForCausalLM(LlamaConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=128,
                                          num_hidden_layers=1, num_attention_heads=4,
                                          num_key_value_heads=2))
    with pytest.raises(BackendError, match=r"no layer model\.layers\.1"):
        adapter.attach(deeper, saved)


def test_a_file_that_is_not_an_adapter_is_a_one_line_error(tmp_path):
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not safetensors at all")
    with pytest.raises(BackendError) as caught:
        adapter.load_adapter(junk)
    assert "\n" not in str(caught.value)
    with pytest.raises(BackendError, match="does not exist"):
        resolve_adapter(str(tmp_path / "missing.safetensors"), "embedded")


def test_adapter_setting_selects_the_file():
    from nlsh import paths
    from nlsh.backends import embedded

    shipped = paths.data_file(embedded.ADAPTER_FILE)
    assert resolve_adapter("none", "embedded") is None
    assert resolve_adapter("auto", "HuggingFaceTB/SmolLM2-360M-Instruct") is None
    assert resolve_adapter("auto", "embedded") == shipped
    assert resolve_adapter(str(shipped), "some/other-model") == shipped


def test_the_shipped_fine_tune_fits_the_embedded_model_and_says_what_it_was_trained_on():
    from nlsh import paths
    from nlsh.backends import embedded

    path = paths.data_file(embedded.ADAPTER_FILE)
    shipped = adapter.load_adapter(path)
    assert path.stat().st_size < 8_000_000
    assert shipped.info["base"] == embedded.adapter_base_identity()
    assert {"corpus_sha256", "plan", "steps", "final_loss"} <= set(shipped.info)
    assert len(shipped.weights) == 30 * len(adapter.TARGETS)  # every projection of 30 layers


def test_embedded_backend_runs_with_the_fine_tune(embedded_backend):
    assert embedded_backend.name.endswith("+smollm2-135m-nlsh")
    engine = embedded_backend.engine
    assert type(engine.layers[0].qkv).__name__ == "_LowRank"


def test_a_missing_adapter_is_a_one_line_cli_error(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, NLSH_ADAPTER=str(tmp_path / "missing.safetensors"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"))
    result = subprocess.run([sys.executable, "-m", "nlsh", "--no-daemon", "suggest", "--json",
                             "list the files"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"nlsh: adapter file {tmp_path / 'missing.safetensors'} does not exist"]

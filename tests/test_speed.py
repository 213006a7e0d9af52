"""Issue 15's speed work, checked for correctness (timings live in bench/, never here):
the CPU engine chosen by measurement and cached, scoring as one packed forward, the trial
stage's cap, adaptive sampling."""

from __future__ import annotations

import shutil

import pytest
import torch

from nlsh.backends import BackendError, engines, lowbit
from nlsh.backends.engines import HFEngine, choose_cpu_precision, cpu_precisions
from nlsh.backends.fastpath import FastEngine
from nlsh.backends.transformers_local import (
    TransformersBackend,
    cpu_has_native_bf16,
    measured_cpu_precision,
)
from nlsh.records import Candidate, Message
from nlsh.sampling import first_round, total_samples

# -- engine choice -----------------------------------------------------------------------------


def tiny(vocab: int = 300, seed: int = 0):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=vocab, hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=512, initializer_range=0.3,
                         tie_word_embeddings=True)
    return LlamaForCausalLM(config).eval()


@pytest.fixture
def clean_overrides(monkeypatch):
    for name in ("NLSH_CPU_BF16", "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA"):
        monkeypatch.delenv(name, raising=False)


def test_the_override_hides_or_claims_native_bf16(monkeypatch):
    monkeypatch.setenv("NLSH_CPU_BF16", "0")
    assert cpu_has_native_bf16() is False
    monkeypatch.setenv("NLSH_CPU_BF16", "1")
    assert cpu_has_native_bf16() is True
    monkeypatch.setenv("NLSH_CPU_BF16", "maybe")
    with pytest.raises(BackendError, match="NLSH_CPU_BF16"):
        cpu_has_native_bf16()


def test_engines_with_bf16_activations_are_timed_only_where_bf16_is_native():
    assert cpu_precisions(native_bf16=False, int4_kernels=True) == ["fp32", "int4-fp32"]
    assert cpu_precisions(native_bf16=True, int4_kernels=True) == [
        "fp32", "int4-fp32", "int4", "bf16"]
    assert cpu_precisions(native_bf16=False, int4_kernels=False) == ["fp32"]


@pytest.mark.skipif(not lowbit.available(), reason="no int4 CPU kernels in this torch")
def test_the_measured_choice_is_cached_with_the_weights_and_reused(tmp_path, monkeypatch,
                                                                   clean_overrides):
    monkeypatch.setenv("NLSH_CPU_BF16", "0")
    model = tiny()
    first = measured_cpu_precision(model, "Q4_1", str(tmp_path))
    assert first is not None and not first.cached
    assert sorted(first.step_s) == ["fp32", "int4-fp32"]  # no emulated bf16 engine
    assert all(v is not None and v > 0 for v in first.step_s.values())
    assert first.precision == min(first.step_s, key=lambda k: first.step_s[k] or 0)
    assert (tmp_path / engines.ENGINE_CHOICE_FILE).is_file()

    def must_not_build(precision: str):
        raise AssertionError(f"rebuilt {precision} although the choice was cached")

    again = choose_cpu_precision(must_not_build, ["fp32", "int4-fp32"], directory=tmp_path)
    assert again.cached and again.precision == first.precision
    # Another machine profile (here: native bf16 claimed) is measured anew, and kept beside.
    monkeypatch.setenv("NLSH_CPU_BF16", "1")
    other = measured_cpu_precision(model, "Q4_1", str(tmp_path))
    assert other is not None and not other.cached
    assert sorted(other.step_s) == ["bf16", "fp32", "int4", "int4-fp32"]
    monkeypatch.setenv("NLSH_CPU_BF16", "0")
    back = choose_cpu_precision(must_not_build, ["fp32", "int4-fp32"], directory=tmp_path)
    assert back.cached and back.precision == first.precision


def test_a_broken_engine_is_skipped(tmp_path, clean_overrides):
    model = tiny()

    class FailsToRun:
        device = torch.device("cpu")

        def new_state(self, capacity):
            raise RuntimeError("kernel missing")

    def build(precision: str):
        if precision == "int4-fp32":
            raise RuntimeError("cannot pack")
        if precision == "bf16":
            return FailsToRun()
        return FastEngine(model, precision)

    choice = choose_cpu_precision(build, ["fp32", "int4-fp32", "bf16"], directory=tmp_path,
                                  quiet=True)
    assert choice.precision == "fp32"
    assert choice.step_s["int4-fp32"] is None and choice.step_s["bf16"] is None
    assert "int4-fp32 failed" in choice.summary()
    with pytest.raises(RuntimeError, match="no CPU engine"):
        choose_cpu_precision(lambda p: FailsToRun(), ["fp32"], directory=None, quiet=True)


def test_load_measures_once_and_reports_the_choice(tiny_model_dir, tmp_path, clean_overrides):
    directory = tmp_path / "model"
    shutil.copytree(tiny_model_dir, directory)
    # Other tests load the shared tiny model too, which caches their measurement beside it.
    (directory / engines.ENGINE_CHOICE_FILE).unlink(missing_ok=True)
    backend = TransformersBackend.load(str(directory), device="cpu")
    assert backend.engine_choice is not None and not backend.engine_choice.cached
    assert backend.engine.precision == backend.engine_choice.precision
    assert backend.describe()["engine_choice"].startswith(backend.engine_choice.precision)
    again = TransformersBackend.load(str(directory), device="cpu")
    assert again.engine_choice is not None and again.engine_choice.cached
    assert engines.cached_choice(directory) is not None


@pytest.mark.skipif(not lowbit.available(), reason="no int4 CPU kernels in this torch")
def test_int4_with_fp32_activations_computes_in_fp32_and_matches_int4():
    model = tiny(seed=3)
    ids = torch.tensor([[5, 17, 42, 99, 3, 250, 7, 61]])
    fp32_act = FastEngine(model, "int4-fp32")
    bf16_act = FastEngine(model, "int4")
    with torch.inference_mode():
        a = fp32_act.full_logits(ids)
        b = bf16_act.full_logits(ids).float()
    assert a.dtype == torch.float32
    assert torch.allclose(a, b, atol=0.1 * b.abs().max().item())


# -- scoring -----------------------------------------------------------------------------------

MESSAGES = [Message("system", "Answer with one shell command."),
            Message("user", "show the five biggest files here")]
CONTINUATIONS = ["du -ah . | sort -rh | head -n 5", "ls -S | head -5", "",
                 "find . -type f -printf '%s %p\\n' | sort -n | tail -5", "ls"]


@pytest.fixture
def scoring_model(embedded_tokenizer):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(7)
    config = LlamaConfig(vocab_size=len(embedded_tokenizer), hidden_size=32,
                         intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, max_position_embeddings=1024,
                         tie_word_embeddings=True, initializer_range=0.5)
    return LlamaForCausalLM(config).eval()


def test_packed_scoring_equals_scoring_each_continuation_alone(scoring_model,
                                                               embedded_tokenizer):
    packed = TransformersBackend(scoring_model, embedded_tokenizer, name="tiny",
                                 precision="fp32")
    assert isinstance(packed.engine, FastEngine)
    together = packed.score(MESSAGES, CONTINUATIONS)
    alone = [packed.score(MESSAGES, [c])[0] for c in CONTINUATIONS]
    padded = TransformersBackend(scoring_model, embedded_tokenizer, name="tiny",
                                 precision="fp32", fast_path=False)
    assert isinstance(padded.engine, HFEngine)  # the padded batch of before
    before = padded.score(MESSAGES, CONTINUATIONS)
    assert together[2].token_logprobs == []
    for a, b, c in zip(together, alone, before, strict=True):
        assert len(a.token_logprobs) == len(b.token_logprobs) == len(c.token_logprobs)
        assert a.token_logprobs == pytest.approx(b.token_logprobs, abs=1e-4)
        assert a.token_logprobs == pytest.approx(c.token_logprobs, abs=1e-4)
    assert any(len(s.token_logprobs) > 3 for s in together)


def test_packed_scoring_plan_sees_only_its_own_row():
    from nlsh.backends.transformers_local import packed_scoring_plan

    plan = packed_scoring_plan(3, [[1, 2, 3, 10, 11, 12], [1, 2, 3, 20, 21]], [4, 4])
    assert plan.ids == [10, 11, 20]  # each row's last token predicts nothing read
    assert plan.positions == [3, 4, 3]  # both rows continue the same prompt
    assert plan.keep == [0, 1, 2] and plan.targets == [11, 12, 21] and plan.counts == [2, 1]
    assert plan.mask.tolist() == [
        [True, True, True, True, False, False],
        [True, True, True, True, True, False],
        [True, True, True, False, False, True],
    ]


# -- trials ------------------------------------------------------------------------------------

def _needs_sandbox():
    from nlsh.sandbox import namespace_problem

    problem = namespace_problem()
    return pytest.mark.skipif(problem is not None, reason=f"no sandbox here: {problem}")


def _candidates(*commands: str) -> list[Candidate]:
    return [Candidate(command=c, score=-i, mean_logprob=-i) for i, c in enumerate(commands)]


@_needs_sandbox()
def test_a_trial_unfinished_at_the_cap_does_not_demote_its_candidate(tmp_path):
    from nlsh.context import gather_context
    from nlsh.trials import TrialStage

    context = gather_context(cwd=tmp_path, shell_path="/bin/bash")
    stage = TrialStage(context, request="wait a little", tries=3, cap_s=0.0)
    ranked = _candidates("sleep 30", "ls")
    shown = stage.finish(ranked)
    assert "sleep 30" in stage.unfinished
    assert [c.command for c in shown] == ["sleep 30", "ls"]
    assert shown[0].valid and shown[0].problems == []


@_needs_sandbox()
def test_trials_started_early_demote_a_failing_candidate_at_the_end(tmp_path):
    from nlsh.context import gather_context
    from nlsh.trials import TrialStage

    context = gather_context(cwd=tmp_path, shell_path="/bin/bash")
    stage = TrialStage(context, request="show the notes", tries=3, cap_s=None)
    stage.start(_candidates("cat notes.txt"))  # started while the model would score
    shown = stage.finish(_candidates("cat notes.txt", "ls"))
    assert stage.unfinished == []
    assert [c.command for c in shown] == ["ls", "cat notes.txt"]
    assert not shown[1].valid and "failed when tried here" in shown[1].problems[0]


# -- adaptive sampling -------------------------------------------------------------------------

def test_sampling_stops_early_when_greedy_samples_and_retrieval_agree():
    assert first_round(8) == 2 and first_round(1) == 1
    assert total_samples(8, "ls -la", ["ls  -la", "ls -la"], ["du -sh", "ls -la"]) == 2


@pytest.mark.parametrize(("greedy", "first", "retrieved", "wanted"), [
    ("ls -la", ["ls -la", "ls -la"], ["du -sh"], 4),  # the model agrees, retrieval does not
    ("ls -la", ["ls -l", "ls -la"], ["ls -la"], 4),  # retrieval agrees, one sample does not
    ("ls -la", ["ls -l", "ls -t"], ["du -sh"], 8),  # nobody agrees: every sample
    (None, [None, None], ["ls"], 8),  # no command in the greedy answer
    ("ls -la", ["ls -la", None], ["ls -la"], 4),  # a sample without a command disagrees
])
def test_sampling_draws_more_when_they_disagree(greedy, first, retrieved, wanted):
    assert total_samples(8, greedy, first, retrieved) == wanted


def test_sampling_never_draws_fewer_than_configured_rounds():
    assert total_samples(2, "ls", ["pwd", "id"], []) == 2
    assert total_samples(0, "ls", [], []) == 0


def test_a_converted_directory_keeps_its_gguf_quantization(tiny_model_dir, tmp_path):
    from nlsh.backends.transformers_local import resolve_model_source

    directory = tmp_path / "converted"
    shutil.copytree(tiny_model_dir, directory)
    assert resolve_model_source(str(directory)).gguf_quantization is None
    (directory / "nlsh-source.json").write_text('{"gguf": "x.gguf", "weight_quantization": "Q4_1"}')
    assert resolve_model_source(str(directory)).gguf_quantization == "Q4_1"


def test_config_and_daemon_status_show_the_cached_engine(tmp_path, clean_overrides):
    from nlsh.backends.engines import EngineChoice, _save_choice, cached_choice_for
    from nlsh.daemon.commands import status_rows

    assert cached_choice_for(str(tmp_path)) is None
    _save_choice(tmp_path, EngineChoice("int4-fp32", {"fp32": 0.4, "int4-fp32": 0.2}))
    found = cached_choice_for(str(tmp_path))
    assert found is not None and found.precision == "int4-fp32" and found.cached
    assert found.summary().startswith("int4-fp32 (cached; per decoding step: fp32 400 ms")
    rows = dict(status_rows({"state": "ready", "model": "m", "engine": found.summary()}))
    assert rows["engine"] == found.summary()

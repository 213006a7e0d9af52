"""`nlsh eval` end to end on the real pipeline with a tiny randomly initialised model (the
real tokenizer, retrieval, candidates and sandbox; only the weights are random), and the
command-line entry point's handling of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlsh.evaluation import cli_main
from nlsh.evaluation.harness import build_report, run_tasks, technique_overrides
from nlsh.evaluation.metrics import pass_at_k
from nlsh.evaluation.report import write_chart, write_json
from nlsh.evaluation.tasks import load_tasks, select_tasks
from nlsh.sandbox import namespace_problem

NAMESPACE_PROBLEM = namespace_problem()
needs_sandbox = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"eval commands only ever run contained; no sandbox here: {NAMESPACE_PROBLEM}")


@pytest.fixture(scope="module")
def tiny_pipeline(embedded_tokenizer):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.config import Settings
    from nlsh.pipeline import Pipeline

    tokenizer = embedded_tokenizer
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=2048, tie_word_embeddings=True,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, initializer_range=0.5)
    backend = TransformersBackend(LlamaForCausalLM(config).eval(), tokenizer, name="tiny-random")
    settings = Settings(model="tiny-random", device="cpu", samples=8, max_new_tokens=12,
                        examples=3)
    return Pipeline(settings, backend=backend)


@needs_sandbox
def test_a_run_scores_every_candidate_and_sample_consistently(tiny_pipeline, tmp_path: Path
                                                               ) -> None:
    from nlsh.evaluation.execution import contained_runner

    tasks = select_tasks(load_tasks().tasks, ["find.name.txt-recursive", "wc.lines.one-file",
                                              "git.count.commits"])
    lines: list[str] = []

    class Lines:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    run = run_tasks(tasks, tiny_pipeline, contained_runner(), samples=8, shown=3, seed=7,
                    progress=Lines())  # type: ignore[arg-type]
    assert [o.task.id for o in run.outcomes] == [t.id for t in tasks]
    assert all(o.error is None for o in run.outcomes), [o.error for o in run.outcomes]
    assert len(lines) == 3 and lines[2].startswith("[3/3] git.count.commits")
    report = build_report(run, model="tiny-random", settings={"samples": 8, "shown": 3},
                          techniques={"retrieval": "on"}, seed=7, tasks_file="builtin",
                          selection={})
    for task in report["tasks"]:
        candidates, samples = task["candidates"], task["samples"]
        assert candidates, "retrieval alone puts candidates in the pool"
        assert task["top1"] == candidates[0]["verdict"]["passed"]
        assert task["success_at_shown"] == any(c["verdict"]["passed"] for c in candidates[:3])
        passed = sum(c["verdict"]["passed"] for c in candidates)
        assert task["random_pick"] == pytest.approx(passed / len(candidates), abs=1e-4)
        sampled = [s for s in samples if not s["greedy"]]
        assert task["n"] == len(sampled) == 8
        assert task["c"] == sum(s["passed"] for s in sampled)
        assert task["pass_at"]["3"] == pytest.approx(pass_at_k(8, task["c"], 3), abs=1e-4)
        for candidate in candidates:
            verdict = candidate["verdict"]
            assert (verdict["why"] == "all checks passed") == verdict["passed"], verdict
    # The tiny model writes noise, but retrieval brings real commands: some must pass, which
    # shows verdicts flow into the figures (a run where nothing can pass would prove little).
    assert any(c["verdict"]["passed"] for t in report["tasks"] for c in t["candidates"])
    summary = report["summary"]
    assert summary["tasks"] == 3
    assert summary["top1"] == pytest.approx(sum(t["top1"] for t in report["tasks"]) / 3, abs=1e-4)
    assert set(report["by_program"]) >= {"find", "wc", "git"}
    write_json(report, tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text())["summary"] == summary
    write_chart(report, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_technique_switches_map_to_settings_or_say_why_not() -> None:
    overrides, states = technique_overrides(["examples", "samples"], ["retrieval", "validation"])
    assert overrides == {"examples": 0}
    assert states["retrieval"] == "off"
    assert states["validation"].startswith("on (cannot be turned off")
    overrides, states = technique_overrides(["examples", "validation"], [])
    assert overrides == {} and set(states.values()) == {"on"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"samples": 0}, "--samples must be at least 1"),
    ({"limit": 0}, "--limit must be at least 1"),
    ({"tasks_file": Path("/nonexistent/tasks.jsonl")}, "cannot read task file"),
    ({"select": ["no-such-task-*"]}, "no task matches"),
    ({"without": ["telepathy"]}, "unknown technique 'telepathy'"),
])
def test_bad_input_is_one_line_and_exit_2(kwargs: dict, message: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    args = {"model": None, "samples": 8, "limit": None, "out": tmp_path / "r.json",
            "chart": None, "tasks_file": None, "seed": 0, "progress": False}
    args.update({k: v for k, v in kwargs.items() if k in args})
    extra = {k: v for k, v in kwargs.items() if k not in args}
    if "without" in extra and NAMESPACE_PROBLEM is not None:
        pytest.skip(f"reaching the technique check needs the sandbox: {NAMESPACE_PROBLEM}")
    code = cli_main(**args, **extra)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_malformed_task_file_names_the_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "tasks.jsonl"
    bad.write_text('{"id": "a", "request": "x", "reference": "true", "checks": '
                   '[{"check": "stdout", "mode": "psychic"}]}\n')
    code = cli_main(None, 8, None, tmp_path / "r.json", None, bad, 0, False)
    assert code == 2
    assert f"{bad}:1 (a): check 'stdout': mode must be one of" in capsys.readouterr().err


@needs_sandbox
def test_check_tasks_mode_reports_a_broken_task(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    tasks = tmp_path / "tasks.jsonl"
    good = {"id": "ok", "request": "say hi", "reference": "echo hi", "wrong": ["echo ho"],
            "checks": [{"check": "stdout", "mode": "exact", "expect": "hi"}]}
    broken = {**good, "id": "broken", "reference": "echo hello"}
    tasks.write_text(json.dumps(good) + "\n" + json.dumps(broken) + "\n")
    code = cli_main(None, 8, None, tmp_path / "check.json", None, tasks, 0, False,
                    check_tasks=True)
    captured = capsys.readouterr()
    assert code == 1
    assert "broken: reference `echo hello` fails" in captured.err
    report = json.loads((tmp_path / "check.json").read_text())
    assert report["tasks"] == 2 and len(report["problems"]) == 1

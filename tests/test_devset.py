"""The strict dev set: its file is up to date, far from the corpus, split; its worlds differ
per seed and land at their real paths inside the sandbox; its judge is strict (references
pass, plausible wrong commands fail, in every category) and its report has the strict
figures per category and split."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from nlsh.evaluation.devset import (
    KINDS,
    DevTask,
    StrictJudge,
    load_devset,
    normalize_stdout,
    parse_devtask,
    reference_problems,
    select_split,
    world_runner,
)
from nlsh.evaluation.metrics import TaskScore, by_field, summarize
from nlsh.evaluation.world import HOME, build_world, generate
from nlsh.sandbox import SandboxError, namespace_problem, run_contained

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "nlsh" / "data" / "corpus.jsonl"
NAMESPACE_PROBLEM = namespace_problem()
needs_sandbox = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"dev-set commands only ever run contained; no sandbox here: {NAMESPACE_PROBLEM}")


@pytest.fixture(scope="module")
def tasks() -> list[DevTask]:
    return load_devset()


@pytest.fixture(scope="module")
def runner():
    return world_runner()


def by_id(tasks: list[DevTask], ident: str) -> DevTask:
    return next(t for t in tasks if t.id == ident)


# -- the file ------------------------------------------------------------------------------

def test_devset_file_is_generated_from_the_sources() -> None:
    result = subprocess.run([sys.executable, "scripts/make_devset.py", "--check"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_at_least_300_tasks_a_third_final_every_category_in_both(tasks: list[DevTask]) -> None:
    assert len(tasks) >= 300
    assert len({t.id for t in tasks}) == len(tasks)
    final = select_split(tasks, "final")
    assert 0.25 <= len(final) / len(tasks) <= 0.42, len(final)
    categories = Counter(t.category for t in tasks)
    assert len(categories) >= 8, categories
    for category in categories:
        splits = {t.split for t in tasks if t.category == category}
        assert splits == {"dev", "final"}, category
    assert all(t.kind in KINDS and len(t.seeds) >= 4 for t in tasks)


def test_requests_are_in_the_registers_the_corpus_lacks(tasks: list[DevTask]) -> None:
    def share(pattern: str) -> float:
        return sum(bool(re.search(pattern, t.request)) for t in tasks) / len(tasks)

    assert share(r"(^|\s)(/[a-z]+|~/)") > 0.5  # absolute or home paths
    assert share(r"\d|\b(three|five|seven|ten)\b") > 0.25  # numbers, sizes, dates
    assert share(r"\?|^(how many|which|what|where|is|are|who|when)\b") > 0.15  # questions
    assert share(r"\b(and|then)\b") > 0.05  # several steps, said so
    assert sum("|" in t.reference or "&&" in t.reference for t in tasks) / len(tasks) > 0.3
    words = sorted(len(t.request.split()) for t in tasks)
    assert words[0] <= 6 and words[-1] >= 20  # terse and wordy


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[._-][a-z0-9]+)*", text.lower())


def _within_one(a: list[str], b: list[str]) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return previous[-1] <= 1


def test_no_request_is_within_one_word_of_a_corpus_request(tasks: list[DevTask]) -> None:
    corpus = {tuple(_words(json.loads(line)["request"]))
              for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()}
    close = [(t.id, " ".join(c)) for t in tasks for c in corpus
             if _within_one(_words(t.request), list(c))]
    assert close == []


def test_the_distance_test_catches_a_one_word_change() -> None:
    assert _within_one(_words("find files larger than 2GB"), _words("find files bigger than 2GB"))
    assert _within_one(_words("find files larger than 2GB"), _words("find files larger than"))
    assert not _within_one(_words("find files larger than 2GB"),
                           _words("find big files larger than 3GB"))


def test_a_malformed_task_is_a_one_line_error() -> None:
    from nlsh.evaluation.devset import DevsetError

    good = {"id": "x", "request": "r", "reference": "true", "category": "c", "split": "dev"}
    parse_devtask(good)
    for bad in ({**good, "split": "test"}, {**good, "stdout": "fuzzy"}, {**good, "seeds": [1]},
                {**good, "colour": 1}, {k: v for k, v in good.items() if k != "split"}):
        with pytest.raises(DevsetError):
            parse_devtask(bad)


# -- the worlds ----------------------------------------------------------------------------

def test_worlds_are_deterministic_per_seed_and_differ_between_seeds() -> None:
    now = time.time()

    def shape(seed: int) -> list[tuple[str, int]]:
        return [(e.path, len(e.data or b"") + (e.sparse or 0)) for e in generate(seed, now)]

    assert shape(3) == shape(3)
    assert len({tuple(shape(seed)) for seed in range(4)}) == 4


@needs_sandbox
def test_a_world_is_seen_at_its_real_paths_and_changes_stay_in_it(tmp_path: Path) -> None:
    binds = build_world(0, tmp_path, time.time())
    result = run_contained(
        "pwd; echo $HOME; ls /srv/app; echo new > /srv/app/logs/x.log", workdir=str(
            Path(binds["/home"]) / "dev"), mode="namespace", binds=binds, cwd=HOME,
        env={"HOME": HOME})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [HOME, HOME]
    assert {"logs", "config", "data"} <= set(lines[2:])
    assert (Path(binds["/srv"]) / "app" / "logs" / "x.log").read_text() == "new\n"
    assert not Path("/srv/app/logs/x.log").exists()


def test_binds_need_the_namespace_sandbox(tmp_path: Path) -> None:
    with pytest.raises(SandboxError):
        run_contained("true", workdir=str(tmp_path), mode="none", binds={"/srv": str(tmp_path)})


# -- the judge -------------------------------------------------------------------------------

def test_stdout_modes() -> None:
    assert normalize_stdout("b  \na\n\n", "exact") == "b\na"
    assert normalize_stdout("b\na\n", "unordered") == "a\nb"
    strip = ("/srv/app/logs/", "./")
    assert (normalize_stdout("/srv/app/logs/a.log\n./b.log\n", "paths", strip)
            == normalize_stdout("b.log\na.log", "paths", strip))
    assert normalize_stdout("42 access.log\n", "number") == "42"
    assert normalize_stdout("anything", "ignore") == ""


# One task per category, with the plausible wrong commands the issue lists: the judge must
# reject them on the generated worlds, and the reference must pass its own judge.
SAMPLE = {
    "find": "find.invoices-today",  # -mtime -7 for "today"
    "count": "count.log-files",  # ls | wc -l counts the folder too
    "aggregate": "agg.top-ips",  # ascending instead of descending
    "search": "search.errors-last5",  # head instead of tail
    "extract": "extract.names-sorted",  # sort -r
    "fileops": "ops.rm-gz-logs",  # deletes everything but the .gz files
    "archive": "arc.extract-fonts",  # gunzip for extract
    "perms": "perm.env-600",
    "git": "git.clean-dry",  # git clean -f for "which files would clean remove"
    "json": "json.big-orders",
    "disk": "disk.smallest-logs",
}


@needs_sandbox
def test_every_category_has_a_sample_that_rejects_its_wrong_commands(
        tasks: list[DevTask]) -> None:
    assert set(SAMPLE) == {t.category for t in tasks}
    for ident in SAMPLE.values():
        task = by_id(tasks, ident)
        assert task.wrong, ident
        assert reference_problems(task, world_runner()) == [], ident


@needs_sandbox
def test_the_judge_accepts_other_correct_forms(tasks: list[DevTask], runner) -> None:
    accepted = {
        "find.logs-list": ["ls /srv/app/logs/*.log", "cd /srv/app/logs && find . -maxdepth 1 "
                           "-name '*.log' -type f"],
        "count.access-lines": ["wc -l /srv/app/logs/access.log", "cat /srv/app/logs/access.log "
                               "| wc -l"],
        "count.errors-app": ["grep ERROR /srv/app/logs/app.log | wc -l"],
        "arc.tar-invoices": ["cd ~/documents && tar czf ~/invoices.tar.gz invoices"],
    }
    for ident, commands in accepted.items():
        judge = StrictJudge(by_id(tasks, ident), runner)
        for command in commands:
            verdict = judge(command)
            assert verdict.passed, (ident, command, verdict.reasons)


@needs_sandbox
def test_the_judge_rejects_doing_more_or_less_than_asked(tasks: list[DevTask], runner) -> None:
    judge = StrictJudge(by_id(tasks, "ops.cp-report"), runner)
    more = judge("cp ~/documents/report.csv ~/documents/report-backup.csv; rm ~/notes/todo.txt")
    assert not more.passed and "lacks /home/dev/notes/todo.txt" in " ".join(more.reasons)
    listing = StrictJudge(by_id(tasks, "ops.rm-old-logs-30"), runner)
    assert not listing("find /srv/app/logs -type f -mtime +30").passed
    hard_coded = StrictJudge(by_id(tasks, "count.log-files"), runner)
    answer = hard_coded.expected(hard_coded.task.seeds[0]).stdout
    assert not hard_coded(f"echo {answer}").passed  # right on one world, wrong on another


@pytest.mark.skipif(os.environ.get("NLSH_TEST_SLOW") != "1",
                    reason="the whole dev set's self-check takes minutes: NLSH_TEST_SLOW=1")
@needs_sandbox
def test_every_reference_passes_and_every_wrong_command_fails(tasks: list[DevTask]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda t: reference_problems(t, world_runner()), tasks))
    assert [p for group in found for p in group] == []


# -- the figures -----------------------------------------------------------------------------

def test_oracle_and_breakdowns_per_category_and_split() -> None:
    def score(ident: str, top1: bool, passed: int, category: str, split: str) -> TaskScore:
        return TaskScore(ident, (), top1, top1, top1, 4, passed, 0, 0, 1.0, category=category,
                         split=split, lenient_top1=True)

    scores = [score("a", True, 2, "find", "dev"), score("b", False, 1, "find", "final"),
              score("c", False, 0, "git", "final")]
    summary = summarize(scores)
    assert summary.top1 == pytest.approx(1 / 3)
    assert summary.oracle == pytest.approx(2 / 3)
    assert summary.lenient_top1 == 1.0
    assert set(by_field(scores, "split")) == {"dev", "final"}
    assert by_field(scores, "category")["find"].oracle == 1.0
    assert by_field(scores, "category")["git"].oracle == 0.0


# -- a run -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_pipeline(embedded_tokenizer):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.config import Settings
    from nlsh.pipeline import Pipeline

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(embedded_tokenizer), hidden_size=32,
                         intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, max_position_embeddings=2048,
                         tie_word_embeddings=True, bos_token_id=1, eos_token_id=2,
                         pad_token_id=2, initializer_range=0.5)
    backend = TransformersBackend(LlamaForCausalLM(config).eval(), embedded_tokenizer,
                                  name="tiny-random")
    settings = Settings(model="tiny-random", device="cpu", samples=3, max_new_tokens=12,
                        examples=3, trials=0)
    return Pipeline(settings, backend=backend)


@needs_sandbox
def test_a_dev_run_reports_strict_figures_per_category_and_split(
        tiny_pipeline, tasks: list[DevTask], runner, tmp_path: Path) -> None:
    from nlsh.evaluation.devrun import dev_breakdown, run_dev_tasks
    from nlsh.evaluation.report import write_chart

    chosen = [by_id(tasks, "count.access-lines"), by_id(tasks, "find.logs-list")]
    chosen += [next(t for t in tasks if t.split != chosen[0].split)]
    home_before = os.environ.get("HOME")
    run = run_dev_tasks(chosen, tiny_pipeline, runner, samples=3, shown=3, seed=1)
    assert os.environ.get("HOME") == home_before  # restored after each task
    assert [o.error for o in run.outcomes] == [None] * 3
    report = dev_breakdown(run)
    for outcome in run.outcomes:
        record = outcome.record
        candidates = record["candidates"]
        assert record["top1"] == bool(candidates and candidates[0]["verdict"]["passed"])
        assert record["oracle"] == any(c["verdict"]["passed"] for c in candidates)
        assert record["success_at_shown"] == any(c["verdict"]["passed"] for c in candidates[:3])
    assert set(report["by_split"]) == {t.split for t in chosen}
    assert set(report["by_category"]) == {t.category for t in chosen}
    summary = report["summary"]
    assert summary["oracle"] >= summary["success_at_shown"] >= summary["top1"]
    write_chart({**report, "model": "tiny-random", "settings": {"samples": 3, "shown": 3}},
                tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"

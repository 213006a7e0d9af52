"""The real code model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 1.1 GB) end to end: only with
NLSH_TEST_CODER=1 and the file present (NLSH_TEST_CODER_GGUF, or /work/coder/…). Its first
run converts the file into the cache (minutes on a small CPU)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CODER = Path(os.environ.get("NLSH_TEST_CODER_GGUF",
                            "/work/coder/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"))

pytestmark = [
    pytest.mark.coder,
    pytest.mark.skipif(os.environ.get("NLSH_TEST_CODER") != "1" or not CODER.is_file(),
                       reason="set NLSH_TEST_CODER=1 (and have the coder GGUF) to run"),
]


def test_the_coder_answers_a_request_with_the_requests_own_values(tmp_path: Path):
    from nlsh.config import Settings
    from nlsh.context import gather_context
    from nlsh.pipeline import Pipeline, SuggestRequest

    (tmp_path / "notes.txt").write_text("a\nb\nc\nd\n")
    pipeline = Pipeline(Settings(model=str(CODER), samples=2, adapter="none", trials=0))
    assert pipeline.backend.describe()["engine"].startswith("fast path (int4")
    request = "show the first 3 lines of notes.txt"
    result = pipeline.run(SuggestRequest(request=request,
                                         context=gather_context(tmp_path)))
    top = result.suggestion.candidates[0].command
    assert "notes.txt" in top and ("head" in top or "sed" in top or "awk" in top), top
    greedy = next(s for s in result.samples if s.greedy)
    assert greedy.command is not None and "notes.txt" in greedy.command

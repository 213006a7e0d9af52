"""The real embedded model, end to end through the CLI: `suggest --json`, `suggest`, `explain`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nlsh.shellparse import parse

LEVELS = {"safe", "caution", "dangerous", "blocked"}


def run_nlsh(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(cwd / ".data")  # keep the user's history out of it
    env["XDG_STATE_HOME"] = str(cwd / ".state")
    return subprocess.run([sys.executable, "-m", "nlsh", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    (root / "notes.txt").write_text("one\ntwo\nthree\n")
    (root / "app.log").write_text("".join(f"line {i}\n" for i in range(50)))
    (root / "photos").mkdir()
    return root


@pytest.mark.model
@pytest.mark.parametrize("request_text", [
    "count the lines in notes.txt",
    "show the last 20 lines of app.log",
    "compress the photos folder into photos.tar.gz",
])
def test_suggest_json_has_ranked_valid_candidates(request_text: str, workdir: Path) -> None:
    result = run_nlsh("--no-daemon", "suggest", "--json", request_text, cwd=workdir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # stdout is exactly one JSON object
    assert set(data) == {"request", "model", "candidates", "timings"}
    assert data["request"] == request_text
    assert data["model"].endswith("+smollm2-135m-nlsh")  # the embedded model with its fine-tune
    assert data["timings"]["total_s"] > 0
    candidates = data["candidates"]
    assert 1 <= len(candidates) <= 3
    assert candidates[0]["valid"], candidates
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    for c in candidates:
        assert {"command", "score", "risk", "valid", "problems", "explanation"} <= set(c)
        assert c["risk"]["level"] in LEVELS and isinstance(c["risk"]["reasons"], list)
        if c["valid"]:
            assert not parse(c["command"]).has_error and c["problems"] == []


@pytest.mark.model
def test_suggest_prints_only_the_top_command(workdir: Path) -> None:
    result = run_nlsh("--no-daemon", "suggest", "-n", "1", "list the files here by size",
                      cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and not parse(lines[0]).has_error


def test_explain_json_is_grounded_without_a_model(workdir: Path) -> None:
    result = run_nlsh("explain", "--json", "tar -xzvf a.tgz -C /tmp", cwd=workdir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "tar -xzvf a.tgz -C /tmp" and data["summary"] is None
    assert data["risk"]["level"] in LEVELS
    by_text = {p["text"].split()[0]: p for p in data["parts"]}  # "-f a.tgz": option + value
    for flag in ("-x", "-z", "-v", "-f", "-C"):
        assert by_text[flag]["help"] and "tar" in by_text[flag]["source"]
    assert "extract" in by_text["-x"]["help"].lower()
    assert "gzip" in by_text["-z"]["help"].lower()

"""`nlsh preview` on its own: at a terminal it offers to apply replayable changes (through the
gate, as the menu's `p` does); with --json or no terminal it claims no such thing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from nlsh.sandbox import namespace_problem
from nlsh.tui.oneshot import preview_command

NAMESPACE_PROBLEM = namespace_problem()
needs_namespaces = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None, reason=f"no sandbox here: {NAMESPACE_PROBLEM}")
COMMAND = "echo hi > b.txt"


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.txt").write_text("alpha\n")
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHELL", "/bin/bash")
    monkeypatch.chdir(root)
    return root


def answers(*replies: str) -> tuple[Callable[[str], str], list[str]]:
    asked: list[str] = []
    queue = list(replies)

    def ask(question: str) -> str:
        asked.append(question)
        return queue.pop(0) if queue else ""

    return ask, asked


@needs_namespaces
def test_at_a_terminal_it_offers_and_applies_through_the_gate(
        proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ask, asked = answers("y", "y")
    assert preview_command(COMMAND, as_json=False, interactive=True, ask=ask) == 0
    assert (proj / "b.txt").read_text() == "hi\n"
    assert asked[0].startswith("apply exactly these changes")
    assert len(asked) == 2  # the gate asked as well: the command writes a file
    err = capsys.readouterr().err
    assert "Can apply these changes exactly" in err and "applied 1 change" in err


@needs_namespaces
def test_at_a_terminal_declining_applies_nothing(proj: Path) -> None:
    ask, asked = answers("n")
    assert preview_command(COMMAND, as_json=False, interactive=True, ask=ask) == 0
    assert not (proj / "b.txt").exists() and len(asked) == 1


@needs_namespaces
def test_without_a_terminal_it_neither_asks_nor_claims(proj: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-m", "nlsh", "preview", "--", COMMAND], cwd=proj,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "b.txt" in done.stderr
    assert "Can apply" not in done.stderr and "apply exactly" not in done.stderr
    assert "Nothing was applied" in done.stderr
    assert not (proj / "b.txt").exists()


@needs_namespaces
def test_json_keeps_its_keys_and_asks_nothing(proj: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    ask, asked = answers("y", "y")
    assert preview_command(COMMAND, as_json=True, interactive=True, ask=ask) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recommendation"] == "replay" and data["limits_hit"] == []
    assert asked == [] and not (proj / "b.txt").exists()

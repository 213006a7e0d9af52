"""Bad input gets one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def nlsh(*args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlsh", *args], input=None if stdin is None else stdin.decode(),
        capture_output=True, text=True, timeout=timeout, env=env,
    )


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "run")
    (tmp_path / "run").mkdir(mode=0o700)
    return env


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("nlsh: ")
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize(("args", "phrase"), [
    (["suggest", ""], "empty request"),
    (["suggest", "   "], "empty request"),
    (["suggest", "x" * 100_000], "too long"),
    (["suggest", "list \x01 files"], "control characters"),
    (["suggest", "list \x1b[31m files"], "control characters"),
    (["suggest", "list \x7f files"], "control characters"),
    (["", ""], "empty request"),
    (["explain", ""], "empty command"),
])
def test_bad_requests(args: list[str], phrase: str, isolated_env: dict[str, str]) -> None:
    line = assert_one_line_error(nlsh(*args, env=isolated_env), 2)
    assert phrase in line


def test_invalid_utf8_request(isolated_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "nlsh", "suggest", b"caf\xe9 \xff".decode(
        "utf-8", "surrogateescape")], capture_output=True, text=True, env=isolated_env)
    assert "not valid UTF-8" in assert_one_line_error(result, 2)


def test_non_tty_stdin_for_the_interactive_menu(isolated_env: dict[str, str]) -> None:
    line = assert_one_line_error(nlsh("list", "files", env=isolated_env), 2)
    assert "needs a terminal" in line and "nlsh suggest" in line


@pytest.mark.parametrize(("model", "phrase"), [
    ("/nonexistent/model.gguf", "does not exist"),
    ("./no/such/dir", "does not exist"),
    ("not a model name!", "neither"),
    ("nlsh-test/this-model-does-not-exist", "not available offline"),
])
def test_missing_or_unknown_model(model: str, phrase: str, isolated_env: dict[str, str]) -> None:
    env = {**isolated_env, "HF_HUB_OFFLINE": "1"}
    result = nlsh("--no-daemon", "--model", model, "suggest", "list files", env=env)
    line = assert_one_line_error(result, 2)
    assert phrase in line


def test_bad_option_value_is_one_line(isolated_env: dict[str, str]) -> None:
    result = nlsh("suggest", "-n", "0", "list files", env=isolated_env)
    assert_one_line_error(result, 2)


def test_help_and_config_do_not_load_torch(isolated_env: dict[str, str]) -> None:
    probe = ("import sys; from nlsh.cli import main\n"
             "for args in (['--help'], ['config'], ['explain', '--json', 'ls -la']):\n"
             "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
             "print('HEAVY', sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=isolated_env, timeout=60)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_config_shows_sources(tmp_path: Path, isolated_env: dict[str, str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text("samples = 5\n")
    env = {**isolated_env, "NLSH_CONFIG": str(config), "NLSH_MODEL": "embedded"}
    result = nlsh("config", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["samples"] == {"value": 5, "source": f"file {config}"}
    assert data["model"]["source"] == "env NLSH_MODEL"
    result = nlsh("--model", "/m", "config", "--json", env=env)
    model = json.loads(result.stdout)["model"]
    assert (model["value"], model["source"], model["resolved"]) == ("/m", "command line", "/m")

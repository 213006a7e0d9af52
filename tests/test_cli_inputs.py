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


# -- invisible controls: refused in requests, escaped wherever a command is printed ------------

HIDDEN = ["\u0085", "\u009b", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("char", HIDDEN)
def test_c1_controls_and_bidi_overrides_are_refused_in_requests(
        char: str, isolated_env: dict[str, str]) -> None:
    # A model that cannot load: were the request let through, the error would be about it.
    env = {**isolated_env, "NLSH_MODEL": "/nonexistent/model.gguf", "NLSH_USE_DAEMON": "0"}
    line = assert_one_line_error(nlsh("suggest", f"list{char} files", env=env), 2)
    assert "invisible or control characters" in line and f"U+{ord(char):04X}" in line
    assert char not in line


def test_explain_shows_hidden_characters_escaped(isolated_env: dict[str, str]) -> None:
    command = "echo \u202eabc\u0085 done"
    result = nlsh("explain", command, env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in HIDDEN), result.stdout
    assert "echo \\u202eabc\\u0085 done" in result.stdout
    as_json = nlsh("explain", "--json", command, env=isolated_env)
    assert not any(ch in as_json.stdout for ch in HIDDEN)
    assert json.loads(as_json.stdout)["command"] == command  # escaped, not altered


def test_history_shows_hidden_characters_escaped(isolated_env: dict[str, str]) -> None:
    from nlsh.history import History
    from nlsh.records import Candidate

    # An edited command can hold anything; old entries may hold what requests once could.
    path = Path(isolated_env["XDG_DATA_HOME"]) / "nlsh" / "history.sqlite3"
    store = History(path)
    entry = store.record_request("list \u202efiles", cwd=None, model=None,
                                 candidates=[Candidate("ls \u2066x", -1.0, -1.0)])
    store.record_outcome(entry, chosen="rm \u202e\u009b1 x", edited=True, action="decline")
    store.close()
    result = nlsh("history", env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in HIDDEN), result.stdout
    assert "list \\u202efiles" in result.stdout
    assert "decline: rm \\u202e\\u009b1 x  [edited]" in result.stdout
    as_json = nlsh("history", "--json", env=isolated_env)
    assert not any(ch in as_json.stdout for ch in HIDDEN)
    assert json.loads(as_json.stdout)["chosen"] == "rm \u202e\u009b1 x"


# -- unusable directories: one clear line; explain needs no cache ------------------------------


def _unwritable(path: Path, request: pytest.FixtureRequest) -> None:
    """`path` (a directory) made unwritable, for root too (immutable), undone after the test."""
    if os.geteuid() != 0:
        path.chmod(0o500)
        request.addfinalizer(lambda: path.chmod(0o700))
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a directory unwritable as root here: {made.stderr!r}")
    request.addfinalizer(lambda: subprocess.run(["chattr", "-i", str(path)], check=False))


@pytest.mark.parametrize("how", ["file", "unwritable"])
def test_explain_works_without_a_usable_cache(how: str, isolated_env: dict[str, str],
                                              request: pytest.FixtureRequest) -> None:
    cache = Path(isolated_env["XDG_CACHE_HOME"])
    cache.mkdir(parents=True)
    if how == "file":
        (cache / "nlsh").write_text("not a directory\n")
    else:
        _unwritable(cache, request)
    result = nlsh("explain", "ls -la", env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "list directory contents" in result.stdout and result.stderr == ""
    data = json.loads(nlsh("explain", "--json", "ls -la", env=isolated_env).stdout)
    assert data["parts"][0]["help"]


def test_a_data_directory_that_is_a_file_is_one_clear_line(
        isolated_env: dict[str, str]) -> None:
    data = Path(isolated_env["XDG_DATA_HOME"])
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("not a directory\n")
    line = assert_one_line_error(nlsh("history", env=isolated_env), 2)
    assert f"{data} is a file, not a directory" in line and "XDG_DATA_HOME" in line


def test_a_local_share_that_is_a_file_is_one_clear_line(
        tmp_path: Path, isolated_env: dict[str, str]) -> None:
    home = tmp_path / "home"
    (home / ".local").mkdir(parents=True)
    (home / ".local" / "share").write_text("not a directory\n")
    env = {**isolated_env, "HOME": str(home)}
    del env["XDG_DATA_HOME"]
    line = assert_one_line_error(nlsh("history", env=env), 2)
    assert f"{home}/.local/share is a file" in line


def test_an_unwritable_data_directory_is_one_clear_line(
        isolated_env: dict[str, str], request: pytest.FixtureRequest) -> None:
    data = Path(isolated_env["XDG_DATA_HOME"])
    data.mkdir(parents=True)
    _unwritable(data, request)
    line = assert_one_line_error(nlsh("history", env=isolated_env), 2)
    assert f"cannot use {data}/nlsh" in line


# -- explain says when a line does not parse ---------------------------------------------------


def test_explain_says_the_line_does_not_parse(isolated_env: dict[str, str]) -> None:
    result = nlsh("explain", "echo 'hello", env=isolated_env)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert "does not parse" in first and "single quote at column 6 is never closed" in first
    data = json.loads(nlsh("explain", "--json", "echo 'hello", env=isolated_env).stdout)
    assert data["parses"] is False and "never closed" in data["problem"]
    fine = json.loads(nlsh("explain", "--json", "echo 'hello'", env=isolated_env).stdout)
    assert fine["parses"] is True and fine["problem"] is None
    assert "does not parse" not in nlsh("explain", "echo 'hello'", env=isolated_env).stdout


# -- configuration errors ----------------------------------------------------------------------


@pytest.mark.parametrize(("content", "phrase"), [
    ('samples = "many"', "samples must be an integer, got 'many'"),
    ('temperature = "hot"', "temperature must be a number, got 'hot'"),
    ('history = "maybe"', "history must be true or false, got 'maybe'"),
    ("bogus = 1\nsampels = 3\ntemprature = 0.2\n",
     "unknown settings 'bogus', 'sampels' (did you mean 'samples'?), "
     "'temprature' (did you mean 'temperature'?)"),
])
def test_config_errors_read_well_and_name_every_unknown_key(
        content: str, phrase: str, tmp_path: Path, isolated_env: dict[str, str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text(content + "\n")
    line = assert_one_line_error(nlsh("config", env={**isolated_env,
                                                     "NLSH_CONFIG": str(config)}), 2)
    assert line == f"nlsh: {config}: {phrase}"

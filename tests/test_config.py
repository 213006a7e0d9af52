"""Effective configuration: defaults < file < environment < command line, with sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.config import ConfigError, load_settings


def test_precedence_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('model = "from-file"\nsamples = 4\ntemperature = 0.5\n')
    monkeypatch.setenv("NLSH_CONFIG", str(config))
    settings = load_settings({"samples": 6}, environ={"NLSH_MODEL": "/models/env-model"})
    assert settings.model == "/models/env-model"
    assert settings.source_of("model") == "env NLSH_MODEL"
    assert settings.samples == 6 and settings.source_of("samples") == "command line"
    assert settings.temperature == 0.5 and settings.source_of("temperature").startswith("file ")
    assert settings.source_of("shown") == "default"


@pytest.mark.parametrize(("content", "message"), [
    ('samples = "many"', "samples must be an integer"),
    ("bogus = 1", "unknown setting 'bogus'"),
    ("this is = not toml =", "cannot read config file"),
    ("shown = 0", "shown must be between"),
    ("trials = -1", "trials must be between 0 and 32"),
    ('backend = "cloud"', "backend must be"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     content: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content + "\n")
    monkeypatch.setenv("NLSH_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={})


def test_bad_environment_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLSH_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="NLSH_TEMPERATURE"):
        load_settings(environ={"NLSH_TEMPERATURE": "hot"})

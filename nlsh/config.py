"""Effective configuration: defaults < config file < environment < command line, with provenance."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlsh import paths

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """Bad configuration; the message is one line, fit for the user."""


@dataclass
class Settings:
    # "auto" (the coder tier on a GPU when it is installed, else embedded: nlsh.models.choice),
    # a tier ("embedded", "coder"), a Hugging Face id, a local directory, or a .gguf file.
    model: str = "auto"
    # The fine-tune applied to the local model: "auto" (nlsh's own adapter for the embedded
    # model, none for others), "none", or the path of an adapter file (scripts/finetune.py).
    adapter: str = "auto"
    backend: str = "local"  # "local" (transformers) or "openai" (OpenAI-compatible server)
    device: str = "auto"  # "auto", "cpu", "cuda", "mps"
    samples: int = 8  # sampled answers per request, besides the greedy one
    # Draw 2 samples first and the rest only when they, greedy and retrieval disagree.
    adaptive_sampling: bool = True
    temperature: float = 0.5  # 0.8 before: same top-1, half the pass@k (bench/eval.md)
    max_new_tokens: int = 48
    shown: int = 3  # candidates shown to the user
    examples: int = 4  # retrieved examples put into the prompt
    retrieved: int = 8  # retrieved commands (adapted to the request) added to the candidates
    dense_retrieval: bool = True  # match requests by meaning too (if the encoder is installed)
    validation: bool = True  # check candidates against this machine (off only to measure it)
    trials: int = 6  # best candidates tried in the sandbox before they are shown (0: none)
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_api_key_env: str = "OPENAI_API_KEY"
    openai_timeout_s: float = 30.0
    key: str = "^G"  # shell-widget key binding
    idle_timeout_s: int = 900  # the daemon exits after this long without requests
    use_daemon: bool = True
    history: bool = True
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def source_of(self, name: str) -> str:
        return self.sources.get(name, "default")

    def as_table(self) -> list[tuple[str, Any, str]]:
        return [
            (f.name, getattr(self, f.name), self.source_of(f.name))
            for f in dataclasses.fields(self)
            if f.name != "sources"
        ]


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name != "sources"}
ENV_PREFIX = "NLSH_"


def _coerce(name: str, raw: Any, origin: str) -> Any:
    default = getattr(Settings(), name)
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        kind = _KIND_NAMES.get(type(default), f"a {type(default).__name__}")
        raise ConfigError(f"{origin}: {name} must be {kind}, got {raw!r}") from None


_KIND_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


def unknown_settings_message(names: list[str]) -> str:
    """`unknown settings 'sampels' (did you mean 'samples'?), 'bogus'`: every one named."""
    import difflib

    described = []
    for name in names:
        close = difflib.get_close_matches(name, list(_FIELDS), n=1, cutoff=0.75)
        described.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    noun = "setting" if len(names) == 1 else "settings"
    return f"unknown {noun} {', '.join(described)}"


def _validate(settings: Settings) -> None:
    if settings.backend not in ("local", "openai"):
        raise ConfigError(f"backend must be 'local' or 'openai', got {settings.backend!r}")
    if settings.device not in ("auto", "cpu", "cuda", "mps"):
        raise ConfigError(f"device must be auto, cpu, cuda or mps, got {settings.device!r}")
    if not 0 <= settings.trials <= 32:
        raise ConfigError(f"trials must be between 0 and 32, got {settings.trials}")
    if not 0 <= settings.samples <= 64:
        raise ConfigError(f"samples must be between 0 and 64, got {settings.samples}")
    if not 1 <= settings.shown <= 20:
        raise ConfigError(f"shown must be between 1 and 20, got {settings.shown}")
    if not 0.0 <= settings.temperature <= 5.0:
        raise ConfigError(f"temperature must be between 0 and 5, got {settings.temperature}")
    if not 4 <= settings.max_new_tokens <= 512:
        raise ConfigError(
            f"max_new_tokens must be between 4 and 512, got {settings.max_new_tokens}")
    for name in ("examples", "retrieved"):
        if not 0 <= getattr(settings, name) <= 32:
            raise ConfigError(f"{name} must be between 0 and 32, got {getattr(settings, name)}")
    if not settings.model.strip():
        raise ConfigError("model must not be empty")


def read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    unknown = [name for name in data if name not in _FIELDS]  # in the file's order
    if unknown:
        raise ConfigError(f"{path}: {unknown_settings_message(unknown)}")
    return data


def load_settings(overrides: dict[str, Any] | None = None,
                  environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then the config file, then NLSH_* variables, then command-line overrides."""
    env = os.environ if environ is None else environ
    settings = Settings()
    file = paths.config_file()
    for name, raw in read_config_file(file).items():
        setattr(settings, name, _coerce(name, raw, str(file)))
        settings.sources[name] = f"file {file}"
    for name in _FIELDS:
        var = ENV_PREFIX + name.upper()
        if var in env:
            setattr(settings, name, _coerce(name, env[var], var))
            settings.sources[name] = f"env {var}"
    for name, raw in (overrides or {}).items():
        if raw is None:
            continue
        if name not in _FIELDS:
            raise ConfigError(unknown_settings_message([name]))
        setattr(settings, name, _coerce(name, raw, "command line"))
        settings.sources[name] = "command line"
    _validate(settings)
    return settings

"""Where nlsh keeps its files. All per-user, created on demand with user-only permissions."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

APP = "nlsh"


def _ensure(path: Path, mode: int = 0o700) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=mode)
    return path


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def config_file() -> Path:
    override = os.environ.get("NLSH_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def cache_dir() -> Path:
    return _ensure(Path(platformdirs.user_cache_dir(APP)))


def data_dir() -> Path:
    return _ensure(Path(platformdirs.user_data_dir(APP)))


def state_dir() -> Path:
    return _ensure(Path(platformdirs.user_state_dir(APP)))


def runtime_dir() -> Path:
    """A 0700 directory for the daemon socket: $XDG_RUNTIME_DIR/nlsh, else a per-uid temp dir."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    usable = base and os.path.isdir(base)
    path = Path(base) / APP if usable and base else Path(f"/tmp/{APP}-{os.getuid()}")
    _ensure(path)
    os.chmod(path, 0o700)
    return path


def package_resource(name: str) -> Path:
    """`prompts` or `shell_hooks`: in the wheel when installed, at the repo root in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / name
    if installed.is_dir():
        return installed
    return here.parent / name


def data_file(name: str) -> Path:
    return Path(__file__).resolve().parent / "data" / name


def installed_package_dirs(package: str) -> list[Path]:
    """Where an installed package's files are, found without importing it (its imports may
    be missing on purpose: the model packages are installed with --no-deps)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    return [Path(location) for location in (spec.submodule_search_locations or [])] if spec \
        else []

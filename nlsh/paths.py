"""Where nlsh keeps its files. All per-user, created on demand with user-only permissions."""

from __future__ import annotations

import errno
import importlib.util
import os
from pathlib import Path

import platformdirs

APP = "nlsh"


class UnusableDirectory(OSError):
    """A directory nlsh needs is a file, cannot be made, or cannot be written; `strerror` is
    one line for the user, naming the path and what to do."""

    def __str__(self) -> str:  # that line alone, without "[Errno 20]" and the path again
        return str(self.strerror)


def _ensure(path: Path, mode: int = 0o700, variable: str | None = None) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=mode)
    except OSError as exc:
        raise _unusable(path, _why(path, exc), variable) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise _unusable(path, "it is not writable", variable)
    return path


def _why(path: Path, exc: OSError) -> str:
    for blocker in (path, *path.parents):
        if blocker.exists() and not blocker.is_dir():
            return f"{blocker} is a file, not a directory"
    return exc.strerror or str(exc)


def _unusable(path: Path, why: str, variable: str | None) -> UnusableDirectory:
    fix = f"move it aside or point {variable} elsewhere" if variable else "move it aside"
    return UnusableDirectory(errno.ENOTDIR, f"cannot use {path}: {why}; {fix}", str(path))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def config_file() -> Path:
    override = os.environ.get("NLSH_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def cache_path() -> Path:
    """Where the cache lives, without creating it (readers that can do without it)."""
    return Path(platformdirs.user_cache_dir(APP))


def cache_dir() -> Path:
    return _ensure(cache_path(), variable="XDG_CACHE_HOME")


def data_dir() -> Path:
    return _ensure(Path(platformdirs.user_data_dir(APP)), variable="XDG_DATA_HOME")


def state_dir() -> Path:
    return _ensure(Path(platformdirs.user_state_dir(APP)), variable="XDG_STATE_HOME")


def runtime_dir() -> Path:
    """A 0700 directory for the daemon socket: $XDG_RUNTIME_DIR/nlsh, else a per-uid temp dir."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    usable = base and os.path.isdir(base)
    path = Path(base) / APP if usable and base else Path(f"/tmp/{APP}-{os.getuid()}")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)  # the daemon checks who owns it
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

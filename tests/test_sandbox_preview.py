"""Effect previews of real destructive commands, in the real sandbox.

Every preview is checked three ways: the real tree is byte-for-byte (and mtime-for-mtime)
unchanged afterwards; the reported changes equal what running the command for real on an
identical copy does; and apply_changes() turns the previewed tree into that real result.
"""

from __future__ import annotations

import hashlib
import http.server
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from nlsh.sandbox import (
    PreviewResult,
    SandboxError,
    StaleTreeError,
    apply_changes,
    namespace_problem,
    preview,
    render_preview,
)
from nlsh.sandbox.changes import MAX_CHANGES, remove_tree

# The interpreter itself, not a virtualenv's link to it: a venv under /tmp is hidden by the
# sandbox's private /tmp (these scripts need only the standard library).
STDLIB_PYTHON = os.path.realpath(sys.executable)

BIN = bytes(range(256)) * 4


NAMESPACE_PROBLEM = namespace_problem()
needs_namespaces = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"unprivileged user namespaces / overlayfs unavailable here: {NAMESPACE_PROBLEM}",
)
MODES = [pytest.param("namespace", marks=needs_namespaces), "copy"]


def make_tree(base: Path) -> tuple[Path, Path]:
    """A small project and a home directory with a little of everything."""
    proj, home = base / "proj", base / "home"
    (proj / "sub" / "deep").mkdir(parents=True)
    (proj / "emptydir").mkdir()
    home.mkdir()
    (proj / "a.txt").write_text("alpha\n")
    (proj / "b.txt").write_text("banana\n")
    (proj / "f.txt").write_text("aaa bbb\n")
    (proj / "with space.txt").write_text("s\n")
    (proj / ".hidden").write_text("h\n")
    (proj / "sub" / "c.txt").write_text("cherry\n")
    (proj / "sub" / "deep" / "d.bin").write_bytes(BIN)
    (proj / "link").symlink_to("a.txt")
    (home / ".profile").write_text("export X=1\n")
    return proj, home


def snapshot(root: Path, strict: bool = False) -> dict[str, tuple[object, ...]]:
    """path -> what it is; `strict` also records mtimes, so that even a touch shows."""
    found: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            rel = str(path.relative_to(root))
            mode = stat.S_IMODE(info.st_mode)
            if path.is_symlink():
                entry: tuple[object, ...] = ("symlink", os.readlink(path))
            elif path.is_dir():
                entry = ("dir", mode)
            else:
                entry = ("file", mode, info.st_size, hashlib.sha256(path.read_bytes()).hexdigest())
            if strict and not path.is_symlink():
                entry += (info.st_mtime_ns,)
            found[rel] = entry
    return found


def both(proj: Path, home: Path, strict: bool = False) -> dict[str, tuple[object, ...]]:
    return {**{f"proj/{k}": v for k, v in snapshot(proj, strict).items()},
            **{f"home/{k}": v for k, v in snapshot(home, strict).items()}}


def real_changes(before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]],
                 proj: Path, home: Path) -> set[tuple[str, str, int | None]]:
    """What really happened, in the preview's terms: (path as shown, kind, bytes)."""
    def shown(key: str) -> str:
        area, rel = key.split("/", 1)
        return rel if area == "proj" else str(home / rel)

    def size(entry: tuple[object, ...]) -> int | None:
        return entry[2] if entry[0] == "file" else None  # type: ignore[return-value]

    result = set()
    for key in before.keys() - after.keys():
        result.add((shown(key), "deleted", size(before[key])))
    for key in after.keys() - before.keys():
        result.add((shown(key), "added", size(after[key])))
    for key in before.keys() & after.keys():
        if before[key] != after[key]:
            result.add((shown(key), "modified", size(after[key])))
    return result


def reported(result: PreviewResult) -> set[tuple[str, str, int | None]]:
    return {(c.path, c.kind, c.bytes) for c in result.changes}


def run_for_real(command: str, proj: Path, home: Path) -> None:
    env = dict(os.environ, HOME=str(home))
    subprocess.run(["bash", "-c", command], cwd=proj, env=env, check=False,
                   capture_output=True, timeout=30)


@pytest.fixture
def twin_trees(tmp_path: Path) -> tuple[tuple[Path, Path], tuple[Path, Path]]:
    """Two identical trees: one to preview (and replay onto), one to run the command on."""
    return make_tree(tmp_path / "previewed"), make_tree(tmp_path / "real")


DESTRUCTIVE = [
    "rm -rf ./*",
    "find . -delete",
    "sed -i 's/a/b/' f.txt",
    "> b.txt",
    "mv a.txt moved.txt",
    "mkdir -p x/y && echo hi > x/y/z",
    "touch ~/newfile",
    "rm -r sub && echo new > sub2.txt",
    "chmod 600 f.txt",
    "ln -sfn b.txt link",
    "mv sub moved_sub",
    "echo more >> 'with space.txt'",
    "cp -r sub sub_copy && rm sub_copy/c.txt",
    "echo hello > ~/.profile && mkdir ~/.config",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("command", DESTRUCTIVE)
def test_preview_reports_exactly_what_a_real_run_does(
        mode: str, command: str, twin_trees: tuple[tuple[Path, Path], tuple[Path, Path]]) -> None:
    (proj, home), (real_proj, real_home) = twin_trees
    before_strict = both(proj, home, strict=True)
    before = both(proj, home)
    result = preview(command, cwd=str(proj), env=dict(os.environ, HOME=str(home)), mode=mode)
    if mode == "copy" and "~" in command:
        # Copy mode contains only the working directory: it must refuse rather than touch HOME.
        assert not result.supported and "outside the copied directory" in (result.reason or "")
        assert both(proj, home, strict=True) == before_strict
        return
    assert result.supported, result.reason
    assert result.mechanism == ("overlay" if mode == "namespace" else "copy")
    assert result.exit_code == 0, result.output
    assert both(proj, home, strict=True) == before_strict, "the preview touched the real tree"

    run_for_real(command, real_proj, real_home)
    # Keys are "proj/..." and "home/...", so the two trees' snapshots compare directly.
    expected = real_changes(before, both(real_proj, real_home), proj, home)
    assert reported(result) == expected

    assert result.recommendation == "replay", result.recommendation_reason
    apply_changes(result)
    assert both(proj, home) == both(real_proj, real_home)


@needs_namespaces
def test_hand_checked_changes(tmp_path: Path) -> None:
    """The oracle above is itself code: a few results spelled out by hand."""
    proj, home = make_tree(tmp_path)
    env = dict(os.environ, HOME=str(home))
    expectations = {
        "sed -i 's/a/b/' f.txt": {("f.txt", "modified", 8)},
        "mkdir -p x/y && echo hi > x/y/z": {("x", "added", None), ("x/y", "added", None),
                                            ("x/y/z", "added", 3)},
        "touch ~/newfile": {(str(home / "newfile"), "added", 0)},
        "mv a.txt b.txt": {("a.txt", "deleted", 6), ("b.txt", "modified", 6)},
        "rm -r sub": {("sub", "deleted", None), ("sub/c.txt", "deleted", 7),
                      ("sub/deep", "deleted", None), ("sub/deep/d.bin", "deleted", 1024)},
        "echo same > f2 && rm f.txt && cat f2 > /dev/null": {("f2", "added", 5),
                                                             ("f.txt", "deleted", 8)},
    }
    for command, expected in expectations.items():
        assert reported(preview(command, cwd=str(proj), env=env)) == expected, command


@needs_namespaces
def test_metadata_only_changes_are_reported_as_such(tmp_path: Path) -> None:
    proj, home = make_tree(tmp_path)
    env = dict(os.environ, HOME=str(home))
    touched = preview("touch a.txt", cwd=str(proj), env=env)
    assert [(c.path, c.kind, c.detail) for c in touched.changes] == [
        ("a.txt", "modified", "timestamps only")]
    chmodded = preview("chmod 640 a.txt", cwd=str(proj), env=env)
    assert [(c.path, c.detail) for c in chmodded.changes] == [("a.txt", "mode")]
    # Opened for appending but nothing written: overlayfs copies it up, yet nothing changed.
    untouched = preview(": >> a.txt", cwd=str(proj), env=env)
    assert untouched.changes == []
    # Replaced by a new directory with the same file: only the dropped subdirectory is news.
    rebuilt = preview("rm -rf sub && mkdir sub && printf 'cherry\\n' > sub/c.txt",
                      cwd=str(proj), env=env)
    assert {(c.path, c.kind, c.detail) for c in rebuilt.changes} == {
        ("sub/c.txt", "modified", "timestamps only"), ("sub/deep", "deleted", None),
        ("sub/deep/d.bin", "deleted", None)}


@needs_namespaces
@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give files to other users")
def test_root_previews_keep_other_users_files(twin_trees: tuple[tuple[Path, Path],
                                                                tuple[Path, Path]]) -> None:
    (proj, home), (real_proj, real_home) = twin_trees
    for tree in (proj, real_proj):
        os.chown(tree / "f.txt", 54321, 54322)
    command = "sed -i s/aaa/zzz/ f.txt && chown 777:778 b.txt && ls -n f.txt | cut -d' ' -f3,4"
    result = preview(command, cwd=str(proj), env=dict(os.environ, HOME=str(home)))
    assert result.output == "54321 54322\n"
    assert {(c.path, c.detail) for c in result.changes} == {("f.txt", "content"),
                                                            ("b.txt", "owner")}
    run_for_real(command, real_proj, real_home)
    apply_changes(result)
    for name in ("f.txt", "b.txt"):
        mine, theirs = (proj / name).stat(), (real_proj / name).stat()
        assert (mine.st_uid, mine.st_gid) == (theirs.st_uid, theirs.st_gid)
    assert both(proj, home) == both(real_proj, real_home)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"reachable\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _CountingHandler.hits = 0
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@needs_namespaces
def test_network_is_blocked_inside_but_works_outside(tmp_path: Path, http_server: int) -> None:
    proj, home = make_tree(tmp_path)
    url = f"http://127.0.0.1:{http_server}/"
    fetch = (f"{STDLIB_PYTHON} -c \"import urllib.request; "
             f"print(urllib.request.urlopen('{url}', timeout=5).read().decode(), end='')\"")
    outside = subprocess.run(["bash", "-c", fetch], capture_output=True, text=True, timeout=30)
    assert outside.stdout == "reachable\n" and _CountingHandler.hits == 1

    inside = preview(fetch, cwd=str(proj), env=dict(os.environ, HOME=str(home)))
    assert inside.supported and inside.exit_code != 0
    assert "Connection refused" in inside.output
    connect = f"{STDLIB_PYTHON} -c \"import socket; socket.create_connection(('127.0.0.1', " \
              f"{http_server}))\""
    assert preview(connect, cwd=str(proj)).exit_code != 0
    assert _CountingHandler.hits == 1, "a request from the sandbox reached the server"
    assert any("network" in limit.lower() for limit in inside.limits)


@needs_namespaces
def test_network_commands_recommend_a_real_run(tmp_path: Path, http_server: int) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    proj, _ = make_tree(tmp_path)
    result = preview(f"curl -s -o page.html http://127.0.0.1:{http_server}/", cwd=str(proj))
    assert result.exit_code != 0 and result.changes == []
    assert result.recommendation == "run" and "curl" in (result.recommendation_reason or "")
    assert _CountingHandler.hits == 0


@pytest.mark.parametrize("command", [
    "dd if=/dev/zero of=/dev/sda bs=1M count=1",
    "kill -9 1",
    "reboot",
    "pkill -f python",
    "mkfs.ext4 /dev/sdb1",
    "systemctl stop ssh",
    "mount /dev/sdb1 /mnt",
    "cat disk.img > /dev/nvme0n1",
    "touch x && shutdown -h now",
    "sudo rm -rf build",
    "echo $(poweroff)",
])
def test_uncontainable_commands_are_refused(command: str, tmp_path: Path) -> None:
    proj, home = make_tree(tmp_path)
    before = both(proj, home, strict=True)
    result = preview(command, cwd=str(proj), env=dict(os.environ, HOME=str(home)))
    assert result.supported is False and result.mechanism == "none"
    assert result.reason and result.exit_code is None and result.changes == []
    assert result.recommendation is None
    assert both(proj, home, strict=True) == before


def test_refusal_is_about_programs_not_text(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    # Words that merely mention refused programs or devices do not make a command refusable.
    for command in ("echo reboot kill mkfs > notes.txt", "grep -c kill a.txt",
                    "head -c 16 /dev/urandom > noise.bin"):
        result = preview(command, cwd=str(proj), mode="copy")
        assert result.supported, (command, result.reason)


@needs_namespaces
def test_timeout_stops_the_preview(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    result = preview("echo started > s.txt; sleep 100", cwd=str(proj), timeout_s=1)
    assert result.timed_out and result.exit_code is None
    assert reported(result) == {("s.txt", "added", 8)}
    assert result.recommendation == "run"
    assert any("stopped after" in limit for limit in result.limits)


@needs_namespaces
def test_output_is_bounded(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    result = preview("yes | head -c 300000; echo tail-marker >&2", cwd=str(proj))
    assert result.output_truncated and len(result.output) == 64 * 1024
    assert "tail-marker" not in result.output


@needs_namespaces
def test_change_list_is_bounded_and_then_not_replayable(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    count = MAX_CHANGES + 50
    result = preview(f"mkdir many && cd many && seq {count} | xargs touch", cwd=str(proj))
    assert result.exit_code == 0 and result.changes_truncated
    assert len(result.changes) == MAX_CHANGES
    assert result.recommendation == "run" and not result.replayable
    with pytest.raises(SandboxError):
        apply_changes(result)
    assert not (proj / "many").exists()


@needs_namespaces
def test_preview_of_a_failing_command_advises_a_real_run(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    result = preview("echo partial > p.txt; touch /etc/nlsh-preview-test", cwd=str(proj))
    assert result.exit_code == 1 and "Read-only file system" in result.output
    assert reported(result) == {("p.txt", "added", 8)}
    assert result.recommendation == "run" and "exit 1" in (result.recommendation_reason or "")
    assert not os.path.exists("/etc/nlsh-preview-test")


@pytest.mark.parametrize("mode", MODES)
def test_apply_refuses_when_the_tree_changed(mode: str, tmp_path: Path) -> None:
    proj, home = make_tree(tmp_path)
    env = dict(os.environ, HOME=str(home))
    result = preview("sed -i 's/alpha/omega/' a.txt && echo new > n.txt", cwd=str(proj),
                     env=env, mode=mode)
    assert reported(result) == {("a.txt", "modified", 6), ("n.txt", "added", 4)}
    (proj / "a.txt").write_text("edited by the user\n")
    with pytest.raises(StaleTreeError, match=r"a\.txt"):
        apply_changes(result)
    assert (proj / "a.txt").read_text() == "edited by the user\n"
    assert not (proj / "n.txt").exists()

    again = preview("echo new > n.txt", cwd=str(proj), env=env, mode=mode)
    (proj / "n.txt").write_text("someone else's\n")
    with pytest.raises(StaleTreeError, match=r"n\.txt"):
        apply_changes(again)
    assert (proj / "n.txt").read_text() == "someone else's\n"


@needs_namespaces
def test_captured_changes_are_cleaned_up(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    result = preview("rm -rf sub; echo x > y", cwd=str(proj))
    state = result._state_dir
    assert state is not None and os.path.isdir(state)
    result.discard()
    assert not os.path.exists(state)
    with pytest.raises(SandboxError):
        apply_changes(result)
    applied = preview("echo x > y", cwd=str(proj))
    state = applied._state_dir
    apply_changes(applied)
    assert (proj / "y").read_text() == "x\n" and state and not os.path.exists(state)


def test_copy_mode_is_chosen_by_the_environment(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    proj, home = make_tree(tmp_path)
    monkeypatch.setenv("NLSH_SANDBOX", "copy")
    before = both(proj, home, strict=True)
    result = preview("rm a.txt && pwd", cwd=str(proj), env=dict(os.environ, HOME=str(home)))
    assert result.mechanism == "copy"
    assert reported(result) == {("a.txt", "deleted", 6)}
    assert result.output == f"{proj}\n"  # the copy's path is shown as the real one
    assert any("copy" in limit for limit in result.limits)
    assert both(proj, home, strict=True) == before
    for escaping in ("rm -rf /tmp/elsewhere", "cat ../x", "rm -rf \"$HOME\"/x", "cd .. && ls",
                     "curl -O http://example.com/"):
        refused = preview(escaping, cwd=str(proj))
        assert not refused.supported and refused.reason, escaping
    monkeypatch.setenv("NLSH_SANDBOX", "none")
    off = preview("ls", cwd=str(proj))
    assert not off.supported and off.mechanism == "none"


def test_json_and_human_output(tmp_path: Path) -> None:
    proj, _ = make_tree(tmp_path)
    result = preview("rm -r sub && echo hi > new.txt && echo done", cwd=str(proj))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["supported"] is True and data["exit_code"] == 0 and data["output"] == "done\n"
    assert {"path": "new.txt", "kind": "added", "bytes": 3, "type": "file", "detail": None} \
        in data["changes"]
    assert data["mechanism"] in ("overlay", "copy") and data["limits"]
    assert data["recommendation"] == "replay"

    console = Console(record=True, width=120, color_system=None)
    render_preview(result, console)
    text = console.export_text()
    assert "sub/deep/" in text and "new.txt" in text and "1 added, 4 deleted" in text
    refused = preview("reboot", cwd=str(proj))
    console = Console(record=True, width=120, color_system=None)
    render_preview(refused, console)
    assert "Cannot preview" in console.export_text()


def test_bad_input_gives_a_reason_not_a_traceback(tmp_path: Path) -> None:
    assert "not a directory" in (preview("ls", cwd=str(tmp_path / "missing")).reason or "")
    assert "shell not found" in (preview("ls", cwd=str(tmp_path), shell="nosuchsh").reason or "")
    assert "does not parse" in (preview("echo 'unterminated", cwd=str(tmp_path)).reason or "")
    assert "unknown sandbox mode" in (preview("ls", cwd=str(tmp_path), mode="vm").reason or "")


# -- as an unprivileged user -------------------------------------------------------------------

NONROOT_UID = 54321
NONROOT_SCRIPT = """
import json, sys
from nlsh.sandbox import preview, run_contained

proj, home = sys.argv[1], sys.argv[2]
result = preview("rm -r sub && sed -i s/alpha/omega/ a.txt && touch ~/made", cwd=proj,
                 env={"HOME": home, "PATH": "/usr/bin:/bin"})
contained = run_contained("id -u > who.txt", workdir=proj)
print(json.dumps({"preview": result.to_dict(), "contained": contained.mechanism}))
"""


def _stage_packages(site: Path) -> None:
    """nlsh and its parser, copied where the other user can read them."""
    for name in ("nlsh", "tree_sitter", "tree_sitter_bash"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations
        shutil.copytree(next(iter(spec.submodule_search_locations)), site / name,
                        ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.skipif(os.geteuid() != 0, reason="already running as a non-root user: every "
                    "other sandbox test exercises that case")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is missing")
@needs_namespaces
def test_preview_works_for_a_non_root_user() -> None:
    base = Path(tempfile.mkdtemp(prefix="nlsh-nonroot-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        _stage_packages(base / "site")
        proj, home = make_tree(base / "user")
        for folder, dirs, files in os.walk(base):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.lchown(name, NONROOT_UID, NONROOT_UID)
        before = both(proj, home, strict=True)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(base / "site"),
               "TMPDIR": "/tmp"}
        done = subprocess.run(
            ["setpriv", f"--reuid={NONROOT_UID}", f"--regid={NONROOT_UID}", "--clear-groups",
             "--inh-caps=-all", sys.executable, "-c", NONROOT_SCRIPT, str(proj), str(home)],
            env=env, cwd=base, capture_output=True, text=True, timeout=120)
        if done.returncode != 0 and "Permission denied" in done.stderr and not done.stdout:
            pytest.skip(f"this Python cannot be run by another user: {done.stderr.strip()}")
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        got = data["preview"]
        assert got["mechanism"] == "overlay" and data["contained"] == "namespace"
        assert {(c["path"], c["kind"], c["bytes"]) for c in got["changes"]} == {
            ("sub", "deleted", None), ("sub/c.txt", "deleted", 7), ("sub/deep", "deleted", None),
            ("sub/deep/d.bin", "deleted", 1024), ("a.txt", "modified", 6),
            (str(home / "made"), "added", 0)}
        assert (proj / "who.txt").read_text() == f"{NONROOT_UID}\n"
        (proj / "who.txt").unlink()
        assert both(proj, home, strict=True) == before
    finally:
        remove_tree(str(base))

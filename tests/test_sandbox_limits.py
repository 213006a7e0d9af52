"""The sandbox's hard limits, in the real sandbox: what the risk rules block never runs there,
and a runaway (processes, memory, CPU, one huge file, many files, endless output) is stopped
and named. Limits are set small here so that each test takes a moment."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rich.console import Console

from nlsh.sandbox import Limits, namespace_problem, preview, render_preview
from nlsh.sandbox.changes import remove_tree
from nlsh.sandbox.trial import trial_run

NAMESPACE_PROBLEM = namespace_problem()
needs_namespaces = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"unprivileged user namespaces / overlayfs unavailable here: {NAMESPACE_PROBLEM}",
)
# The interpreter itself: a virtualenv's link under /tmp is hidden by the private /tmp.
STDLIB_PYTHON = os.path.realpath(sys.executable)
NONROOT_UID = 65534

BLOCKED = [
    "echo ran > marker; :(){ :|:& };:",
    "echo ran > marker; bomb(){ bomb | bomb & }; bomb",
    "echo ran > marker && chmod -R 777 /",
]


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.txt").write_text("alpha\n")
    (tmp_path / "home").mkdir()
    return root


def run_preview(command: str, proj: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    env = dict(os.environ, HOME=str(proj.parent / "home"))
    return preview(command, cwd=str(proj), env=env, timeout_s=8, **kwargs)  # type: ignore[arg-type]


def rendered(result) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    render_preview(result, Console(file=buffer, width=200))
    return buffer.getvalue()


@pytest.mark.parametrize("command", BLOCKED)
def test_blocked_commands_are_refused_by_preview_unrun(command: str, proj: Path) -> None:
    # Contained or not, a run would leave `marker` among the changes and an exit status.
    result = run_preview(command, proj)
    assert not result.supported and result.exit_code is None
    assert "blocks this command" in (result.reason or "")
    assert result.changes == [] and result.output == ""
    assert not (proj / "marker").exists()
    assert "Cannot preview: nlsh blocks this command" in rendered(result)


@pytest.mark.parametrize("command", BLOCKED)
def test_blocked_commands_are_never_tried(command: str, proj: Path) -> None:
    # A trial that ran returns what it did; None means it was not started at all.
    assert trial_run(command, cwd=str(proj), timeout_s=2) is None
    assert not (proj / "marker").exists()


@needs_namespaces
def test_a_normal_command_still_previews_without_hitting_a_limit(proj: Path) -> None:
    result = run_preview("echo hi > b.txt; cat a.txt", proj)
    assert result.supported and result.exit_code == 0 and result.limits_hit == []
    assert result.output == "alpha\n"
    assert [(c.path, c.kind) for c in result.changes] == [("b.txt", "added")]
    assert result.recommendation == "replay"
    assert result.to_dict()["limits_hit"] == []


@needs_namespaces
def test_a_process_spawning_loop_is_stopped_by_the_process_limit(proj: Path) -> None:
    result = run_preview("for i in $(seq 500); do sleep 30 & done; wait", proj,
                         limits=Limits(processes=32))
    assert result.limits_hit == ["processes (32)"]
    assert not result.timed_out and result.exit_code == 128 + 9
    assert result.recommendation == "run" and not result.replayable
    assert result.to_dict()["limits_hit"] == ["processes (32)"]
    assert "stopped by the sandbox's limit on processes (32)" in rendered(result)


@needs_namespaces
def test_pid_numbers_are_capped_where_the_kernel_allows_it(proj: Path) -> None:
    # A hard cap that binds root as well (whom RLIMIT_NPROC exempts): pid_max per namespace.
    result = run_preview("cat /proc/sys/kernel/pid_max", proj, limits=Limits(processes=32))
    with open("/proc/sys/kernel/pid_max") as handle:
        outside = handle.read()
    if result.output == outside:
        pytest.skip("this kernel has one pid_max for all pid namespaces (before 6.14)")
    assert result.output == f"{300 + 32 + 2}\n"


@needs_namespaces
def test_trials_are_stopped_by_the_process_limit_too(proj: Path) -> None:
    run = trial_run("for i in $(seq 500); do sleep 30 & done; wait", cwd=str(proj),
                    timeout_s=8, limits=Limits(processes=32))
    assert run is not None and run.limits_hit == ["processes"] and not run.timed_out
    assert not run.failed  # meeting the sandbox's limit says nothing against the command


@needs_namespaces
def test_writing_one_endless_file_is_stopped_by_the_file_size_limit(proj: Path) -> None:
    result = run_preview("yes > big.txt", proj, limits=Limits(file_bytes=1 << 20))
    assert result.limits_hit == ["file size (1 MiB per file)"]
    assert result.exit_code == 128 + 25  # SIGXFSZ
    assert [(c.path, c.bytes) for c in result.changes] == [("big.txt", 1 << 20)]
    assert not result.replayable


@needs_namespaces
def test_writing_many_files_is_stopped_by_the_disk_limit(proj: Path) -> None:
    result = run_preview("for i in $(seq 12); do head -c 1M /dev/zero > f$i; done", proj,
                         limits=Limits(disk_bytes=4 << 20))
    assert result.limits_hit == ["disk (4 MiB written in all)"]
    assert not result.replayable and result.recommendation == "run"


@needs_namespaces
def test_the_private_tmp_is_no_bigger_than_the_disk_limit(proj: Path) -> None:
    result = run_preview("head -c 8M /dev/zero > /tmp/fill", proj,
                         limits=Limits(disk_bytes=4 << 20))
    assert "No space left on device" in result.output
    assert result.limits_hit == ["disk (4 MiB written in all)"]


@needs_namespaces
def test_a_memory_hog_is_stopped_by_the_memory_limit(proj: Path) -> None:
    result = run_preview(f"{STDLIB_PYTHON} -c 'bytearray(1 << 30)'", proj,
                         limits=Limits(memory_bytes=128 << 20))
    assert "MemoryError" in result.output
    assert result.limits_hit == ["memory (128 MiB)"]


@needs_namespaces
def test_memory_is_bounded_in_all_not_only_per_process(proj: Path) -> None:
    # Six processes of 40 MiB each: every one under the limit, together over it.
    hog = f"{STDLIB_PYTHON} -c 'import time; b = b\"x\" * (40 << 20); time.sleep(20)'"
    result = run_preview(f"for i in 1 2 3 4 5 6; do {hog} & done; wait", proj,
                         limits=Limits(memory_bytes=128 << 20))
    assert result.limits_hit == ["memory (128 MiB)"]
    assert not result.timed_out and result.exit_code == 128 + 9


@needs_namespaces
def test_a_cpu_hog_is_stopped_by_the_cpu_limit(proj: Path) -> None:
    result = run_preview("while :; do :; done", proj, limits=Limits(cpu_s=1))
    assert not result.timed_out and result.exit_code == 128 + 24  # SIGXCPU
    assert result.limits_hit == ["cpu (1 s of CPU per process)"]


@needs_namespaces
def test_endless_output_is_cut_with_a_note(proj: Path) -> None:
    result = run_preview("yes | head -c 200000", proj)
    assert result.output_truncated and len(result.output) == 64 * 1024
    assert "Output beyond 64 KiB is not shown." in result.limits
    assert "Output beyond 64 KiB is not shown." in rendered(result)


RUNNER_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import runner
spec = runner.LaunchSpec(executable="/bin/bash", cwd=sys.argv[2], env={"PATH": "/usr/bin:/bin"},
                         argv=["bash", "-c", "for i in $(seq 500); do sleep 30 & done; wait"],
                         writable=[sys.argv[2]], limits=runner.Limits(processes=16))
raw = runner.launch(spec, stdin=None, timeout_s=8, merge_output=True)
print(json.dumps({"limits_hit": raw.limits_hit, "timed_out": raw.timed_out}))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start a process as another user")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is missing")
@needs_namespaces
def test_the_process_limit_holds_for_a_non_root_user() -> None:
    # For other users RLIMIT_NPROC caps the forks as well; both must end in the same report.
    base = Path(tempfile.mkdtemp(prefix="nlsh-limits-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        source = Path(__file__).resolve().parents[1] / "nlsh" / "sandbox"
        for name in ("runner.py", "_inner.py"):
            shutil.copy(source / name, base / name)
        work = base / "work"
        work.mkdir()
        os.chown(work, NONROOT_UID, NONROOT_UID)
        done = subprocess.run(
            ["setpriv", f"--reuid={NONROOT_UID}", f"--regid={NONROOT_UID}", "--clear-groups",
             "--inh-caps=-all", STDLIB_PYTHON, "-I", "-c", RUNNER_SCRIPT, str(base), str(work)],
            cwd=base, capture_output=True, text=True, timeout=60)
        if done.returncode != 0 and "Permission denied" in done.stderr and not done.stdout:
            pytest.skip(f"this Python cannot be run by another user: {done.stderr.strip()}")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {"limits_hit": ["processes"], "timed_out": False}
    finally:
        remove_tree(str(base))


def test_the_copy_fallback_keeps_the_per_process_limits(proj: Path) -> None:
    # No namespaces there, but the helper sets the rlimits before it starts the shell.
    result = run_preview("yes > big.txt", proj, mode="copy", limits=Limits(file_bytes=1 << 20))
    assert result.mechanism == "copy" and result.exit_code == 128 + 25
    assert result.limits_hit == ["file size (1 MiB per file)"]
    assert [(c.path, c.bytes) for c in result.changes] == [("big.txt", 1 << 20)]
    assert any("not the number of processes" in limit for limit in result.limits)

"""History survives: a corrupt database is moved aside, never lost, and a new one works; a
locked or full one is left alone, and a request is recorded later or skipped with one notice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlsh.history import EntryOutcome, History, HistoryUnavailable, Recorder
from nlsh.records import Candidate


def _candidate(command: str) -> Candidate:
    return Candidate(command=command, score=-0.5, mean_logprob=-0.5)


def test_records_request_outcome_and_lists_recent(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite3")
    entry = store.record_request("list files", cwd="/tmp", model="m",
                                 candidates=[_candidate("ls"), _candidate("ls -la")])
    store.record_outcome(entry, chosen="ls -la", edited=False, action="run", exit_status=0)
    [latest] = store.recent(5)
    assert latest.request == "list files"
    assert latest.candidates == ["ls", "ls -la"]
    assert (latest.chosen, latest.action, latest.exit_status) == ("ls -la", "run", 0)
    assert store.accepted_pairs() == [("list files", "ls -la")]
    store.close()


def test_uses_wal_and_user_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert path.stat().st_mode & 0o077 == 0


def test_corrupt_database_is_moved_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    notices: list[str] = []
    store = History(path, notify=notices.append)
    store.record_request("after", cwd=None, model=None, candidates=[])
    assert [e.request for e in store.recent()] == ["after"]
    store.close()
    moved = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    assert len(notices) == 1 and str(moved[0]) in notices[0]


def test_truncated_real_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = History(path)
    for i in range(200):
        store.record_request(f"request {i}", cwd=None, model=None, candidates=[])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 200 + data[300:])  # damage the header and page 1
    notices: list[str] = []
    store = History(path, notify=notices.append)
    assert store.recent() == []
    store.close()
    assert notices and any(".corrupt-" in p.name for p in tmp_path.iterdir())


# -- a locked, full or unusable database never costs an answer ---------------------------------

# Another program holding the database: `mode` "write" holds a write transaction (WAL readers
# carry on, writers wait); "exclusive" takes the whole file (PRAGMA locking_mode=EXCLUSIVE), so
# even reading is refused. It prints "locked" once it holds the lock and lets go at EOF on stdin.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO requests (created, request) VALUES (0, 'written by the locker')")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


class Locker:
    """A second process holding a real sqlite lock on the history database."""

    def __init__(self, path: Path, mode: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), mode],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def lockers() -> Iterator[list[Locker]]:
    held: list[Locker] = []
    yield held
    for locker in held:
        locker.release()


def _database_with_one_entry(path: Path) -> None:
    store = History(path)
    store.record_request("before", cwd=None, model=None, candidates=[_candidate("ls")])
    store.close()


def _requests(path: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(path) as conn:
        return [(str(r), c, a) for r, c, a in
                conn.execute("SELECT request, chosen, action FROM requests ORDER BY id")]


def test_a_write_blocked_by_another_process_is_made_later_with_its_outcome(
        tmp_path: Path, lockers: list[Locker]) -> None:
    path = tmp_path / "h.sqlite3"
    _database_with_one_entry(path)
    locker = Locker(path, "write")
    lockers.append(locker)
    notices: list[str] = []
    recorder = Recorder(path, notify=notices.append)
    entry = recorder.begin("list files", cwd="/tmp", model="m", candidates=[_candidate("ls")])
    assert entry.id is None  # locked: kept in memory, nothing raised
    locker.release()
    recorder.finish(entry, EntryOutcome(chosen="ls -la", edited=True, action="decline"))
    assert _requests(path) == [("before", None, None), ("list files", "ls -la", "decline")]
    assert notices == [] and recorder.skipped == 0


def test_a_database_locked_throughout_is_skipped_with_one_notice_and_kept(
        tmp_path: Path, lockers: list[Locker]) -> None:
    path = tmp_path / "h.sqlite3"
    _database_with_one_entry(path)
    locker = Locker(path, "write")
    lockers.append(locker)
    notices: list[str] = []
    recorder = Recorder(path, notify=notices.append)
    for request in ("first", "second"):
        entry = recorder.begin(request, cwd=None, model=None, candidates=[])
        recorder.finish(entry, EntryOutcome(chosen="ls", action="run", exit_status=0))
    final = recorder.begin("third", cwd=None, model=None, candidates=[], final=True)
    assert final.id is None and recorder.skipped == 3
    assert len(notices) == 1 and "database is locked" in notices[0], notices
    locker.release()
    assert _requests(path) == [("before", None, None)]  # the locker rolled back; ours skipped
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]  # nothing moved aside


def test_an_exclusively_locked_database_is_not_mistaken_for_a_corrupt_one(
        tmp_path: Path, lockers: list[Locker]) -> None:
    path = tmp_path / "h.sqlite3"
    _database_with_one_entry(path)
    before = path.read_bytes()
    lockers.append(Locker(path, "exclusive"))
    notices: list[str] = []
    with pytest.raises(HistoryUnavailable, match="locked"):
        History(path, notify=notices.append)
    assert notices == []
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert path.read_bytes() == before
    lockers[0].release()
    assert [e.request for e in History(path).recent()] == ["before"]


def test_a_full_database_skips_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = History(path)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # sqlite's own SQLITE_FULL
    with pytest.raises(HistoryUnavailable, match="full"):
        store.record_request("x" * 20_000, cwd=None, model=None, candidates=[])
    store.close()
    assert _requests(path) == []


# -- through the real CLI: the answer survives whatever state history is in --------------------


def _cli_env(root: Path, model_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLSH_")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(root / var.lower())
    env.update({"NLSH_CONFIG": str(root / "absent.toml"), "NLSH_MODEL": str(model_dir),
                "NLSH_SAMPLES": "2", "NLSH_MAX_NEW_TOKENS": "8", "NLSH_TRIALS": "0",
                "NLSH_DENSE_RETRIEVAL": "0", "NLSH_USE_DAEMON": "0",
                "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    return env


def _nlsh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nlsh", *args], env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


def _notices(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("nlsh: ")]


def test_suggest_answers_while_another_process_holds_the_history(
        tmp_path: Path, tiny_model_dir: Path, lockers: list[Locker]) -> None:
    env = _cli_env(tmp_path, tiny_model_dir)
    path = tmp_path / "xdg_data_home" / "nlsh" / "history.sqlite3"
    _database_with_one_entry(path)
    lockers.append(Locker(path, "write"))
    result = _nlsh(env, "suggest", "list the files here")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()  # the answer
    notices = _notices(result.stderr)
    assert len(notices) == 1 and "history not recorded: database is locked" in notices[0]
    assert "internal error" not in result.stderr

    lockers[0].release()
    lockers.append(Locker(path, "exclusive"))  # now even reading is refused
    listed = _nlsh(env, "history")
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    assert _notices(listed.stderr) == [listed.stderr.strip()]
    assert "cannot read the history: database is locked" in listed.stderr
    lockers[1].release()
    assert _requests(path) == [("before", None, None)]  # kept, not moved aside


@pytest.mark.parametrize("blocked", ["xdg_data_home", "xdg_cache_home/nlsh"])
def test_suggest_answers_when_a_directory_is_a_file(blocked: str, tmp_path: Path,
                                                     tiny_model_dir: Path) -> None:
    env = {**_cli_env(tmp_path, tiny_model_dir), "NLSH_DENSE_RETRIEVAL": "1"}
    (tmp_path / blocked).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocked).write_text("not a directory\n")
    result = _nlsh(env, "suggest", "list the files here")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "internal error" not in result.stderr
    if blocked == "xdg_data_home":  # history is optional: one notice
        [notice] = _notices(result.stderr)
        assert "history not recorded" in notice and "is a file, not a directory" in notice

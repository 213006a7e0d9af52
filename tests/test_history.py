"""History survives: a corrupt database is moved aside, never lost, and a new one works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nlsh.history import History
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

"""Every request, its candidates, what was chosen, edited and run, in SQLite (WAL mode).

A corrupt or unreadable database is moved aside (never deleted) and a fresh one started,
with a one-line notice, so the user keeps both their old data and a working tool.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nlsh import paths
from nlsh.records import Candidate

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    created REAL NOT NULL,
    request TEXT NOT NULL,
    cwd TEXT,
    model TEXT,
    mode TEXT NOT NULL DEFAULT 'suggest',
    candidates TEXT NOT NULL DEFAULT '[]',
    chosen TEXT,
    edited INTEGER NOT NULL DEFAULT 0,
    action TEXT,
    exit_status INTEGER
);
CREATE INDEX IF NOT EXISTS requests_created ON requests(created);
"""


class HistoryError(Exception):
    """History could not be opened even after moving a bad file aside."""


@dataclass
class HistoryEntry:
    id: int
    created: float
    request: str
    cwd: str | None
    model: str | None
    mode: str
    candidates: list[str]
    chosen: str | None
    edited: bool
    action: str | None  # "run", "copy", "cancel", "preview", "blocked"
    exit_status: int | None


def default_path() -> Path:
    return paths.data_dir() / "history.sqlite3"


class History:
    def __init__(self, path: Path | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = path or default_path()
        self.notify = notify or (lambda message: None)
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            moved = self._move_aside()
            self.notify(f"history database was unreadable ({exc}); moved it to {moved} "
                        "and started a new one")
            try:
                return self._connect()
            except sqlite3.DatabaseError as again:
                raise HistoryError(f"cannot open history at {self.path}: {again}") from None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=5.0)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            conn.execute("SELECT count(*) FROM requests").fetchone()
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        self.path.chmod(0o600)
        return conn

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 0
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                source.rename(Path(str(target) + suffix))
        return target

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._conn:
            yield self._conn

    def record_request(self, request: str, *, cwd: str | None, model: str | None,
                       candidates: Sequence[Candidate], mode: str = "suggest") -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO requests (created, request, cwd, model, mode, candidates) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), request, cwd, model, mode,
                 json.dumps([c.command for c in candidates])),
            )
            return int(cursor.lastrowid or 0)

    def record_outcome(self, entry_id: int, *, chosen: str | None, edited: bool,
                       action: str, exit_status: int | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE requests SET chosen=?, edited=?, action=?, exit_status=? WHERE id=?",
                (chosen, int(edited), action, exit_status, entry_id),
            )

    def recent(self, limit: int = 20) -> list[HistoryEntry]:
        rows = self._conn.execute(
            "SELECT id, created, request, cwd, model, mode, candidates, chosen, edited, action, "
            "exit_status FROM requests ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_entry(row) for row in rows]

    def accepted_pairs(self, limit: int = 500) -> list[tuple[str, str]]:
        """(request, command) pairs the user ran successfully: local personalization."""
        rows = self._conn.execute(
            "SELECT request, chosen FROM requests WHERE action='run' AND exit_status=0 "
            "AND chosen IS NOT NULL AND mode='suggest' ORDER BY id DESC LIMIT ?",
            (limit,)).fetchall()
        return [(str(r), str(c)) for r, c in rows]

    def close(self) -> None:
        self._conn.close()


def _entry(row: tuple[object, ...]) -> HistoryEntry:
    (id_, created, request, cwd, model, mode, candidates, chosen, edited, action,
     exit_status) = row
    return HistoryEntry(
        id=int(id_),  # type: ignore[call-overload]
        created=float(created),  # type: ignore[arg-type]
        request=str(request),
        cwd=None if cwd is None else str(cwd),
        model=None if model is None else str(model),
        mode=str(mode),
        candidates=list(json.loads(str(candidates))),
        chosen=None if chosen is None else str(chosen),
        edited=bool(edited),
        action=None if action is None else str(action),
        exit_status=None if exit_status is None else int(exit_status),  # type: ignore[call-overload]
    )

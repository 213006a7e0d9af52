"""Every request, its candidates, what was chosen, edited and run, in SQLite (WAL mode).

A corrupt or unreadable database is moved aside (never deleted) and a fresh one started,
with a one-line notice, so the user keeps both their old data and a working tool.

History is optional: a database that is locked by another program, full, read-only or in an
unusable directory is left as it is, and `Recorder` writes the request later (with its
outcome) or skips it with one notice. It never costs the user an answer.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nlsh import paths
from nlsh.records import Candidate

T = TypeVar("T")

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


# How long a write waits for another program's transaction. Ours take milliseconds; a
# longer wait means something holds the database, and the user's answer must not wait for it.
BUSY_WAIT_S = 1.0
# sqlite's primary result codes that mean "not now" or "not here", not "damaged": the file is
# kept as it is (never moved aside) and the write is retried later or skipped.
_UNAVAILABLE_CODES = frozenset({
    3,  # SQLITE_PERM
    5,  # SQLITE_BUSY
    6,  # SQLITE_LOCKED
    8,  # SQLITE_READONLY
    10,  # SQLITE_IOERR
    13,  # SQLITE_FULL
    14,  # SQLITE_CANTOPEN
    15,  # SQLITE_PROTOCOL
})


class HistoryError(Exception):
    """History could not be opened even after moving a bad file aside."""


class HistoryUnavailable(HistoryError):
    """The database is locked, full, read-only or cannot be opened: try later or skip it."""


def _unavailable(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _UNAVAILABLE_CODES
    text = str(exc).lower()  # an error raised without a code (older sqlite3 modules)
    return any(word in text for word in ("locked", "busy", "full", "readonly", "read-only",
                                         "unable to open", "disk i/o"))


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
    action: str | None  # "run", "apply", "copy", "cancel", "decline", "blocked"; None: suggest
    exit_status: int | None


@dataclass
class PendingEntry:
    """A request's row before it is written (it may be written later, with its outcome)."""

    request: str
    cwd: str | None
    model: str | None
    mode: str
    candidates: list[str]
    created: float
    id: int | None = None  # the row, once written


@dataclass
class EntryOutcome:
    """What the user did with the candidates: the command chosen (as run, after any edit)."""

    chosen: str | None = None
    edited: bool = False
    action: str | None = None
    exit_status: int | None = None


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
        except OSError as exc:  # its directory cannot be made or entered
            raise HistoryUnavailable(f"cannot use {self.path}: {exc.strerror or exc}") from None
        except sqlite3.DatabaseError as exc:
            if _unavailable(exc):
                raise HistoryUnavailable(f"{exc} ({self.path})") from None
            moved = self._move_aside()
            self.notify(f"history database was unreadable ({exc}); moved it to {moved} "
                        "and started a new one")
            try:
                return self._connect()
            except (sqlite3.DatabaseError, OSError) as again:
                raise HistoryError(f"cannot open history at {self.path}: {again}") from None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_WAIT_S)
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
        try:
            with self._conn:
                yield self._conn
        except sqlite3.DatabaseError as exc:
            raise HistoryUnavailable(f"{exc} ({self.path})") from None

    def record_request(self, request: str, *, cwd: str | None, model: str | None,
                       candidates: Sequence[Candidate], mode: str = "suggest",
                       created: float | None = None) -> int:
        return self.insert(PendingEntry(
            request=request, cwd=cwd, model=model, mode=mode,
            candidates=[c.command for c in candidates],
            created=time.time() if created is None else created))

    def insert(self, entry: PendingEntry, outcome: EntryOutcome | None = None) -> int:
        """A new row for `entry`, with its outcome when that is already known."""
        done = outcome or EntryOutcome()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO requests (created, request, cwd, model, mode, candidates, chosen, "
                "edited, action, exit_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.created, entry.request, entry.cwd, entry.model, entry.mode,
                 json.dumps(entry.candidates), done.chosen, int(done.edited), done.action,
                 done.exit_status),
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
        rows = self._read(
            "SELECT id, created, request, cwd, model, mode, candidates, chosen, edited, action, "
            "exit_status FROM requests ORDER BY id DESC LIMIT ?", (limit,))
        return [_entry(row) for row in rows]

    def accepted_pairs(self, limit: int = 500) -> list[tuple[str, str]]:
        """(request, command) pairs the user ran successfully: local personalization."""
        rows = self._read(
            "SELECT request, chosen FROM requests WHERE action='run' AND exit_status=0 "
            "AND chosen IS NOT NULL AND mode='suggest' ORDER BY id DESC LIMIT ?", (limit,))
        return [(str(r), str(c)) for r, c in rows]

    def _read(self, sql: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            return list(self._conn.execute(sql, args).fetchall())
        except sqlite3.DatabaseError as exc:
            raise HistoryUnavailable(f"{exc} ({self.path})") from None

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


class Recorder:
    """Writes requests and their outcomes, never at the cost of an answer.

    A request is written at once when the database allows; when it is locked, full,
    read-only or unusable, the request waits in memory and is written with its outcome. When
    that fails too, it is skipped, and the user is told once (per recorder) why.
    """

    def __init__(self, path: Path | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.notify = notify or (lambda message: None)
        self.skipped = 0
        self._told = False

    def begin(self, request: str, *, cwd: str | None, model: str | None,
              candidates: Sequence[Candidate], mode: str = "suggest",
              final: bool = False) -> PendingEntry:
        """The request's entry; `final` when no outcome will follow (skip now if it fails)."""
        entry = PendingEntry(request=request, cwd=cwd, model=model, mode=mode,
                             candidates=[c.command for c in candidates], created=time.time())
        try:
            entry.id = self._use(lambda store: store.insert(entry))
        except HistoryError as exc:
            if final:
                self._skip(exc)
        return entry

    def finish(self, entry: PendingEntry, outcome: EntryOutcome) -> None:
        """Record what became of `entry`: an update, or the whole row if it was not written."""
        def write(store: History) -> None:
            if entry.id is None:
                entry.id = store.insert(entry, outcome)
            else:
                store.record_outcome(entry.id, chosen=outcome.chosen, edited=outcome.edited,
                                     action=outcome.action or "cancel",
                                     exit_status=outcome.exit_status)
        try:
            self._use(write)
        except HistoryError as exc:
            self._skip(exc)

    def _use(self, work: Callable[[History], T]) -> T:
        try:
            store = History(self.path, notify=self.notify)
        except OSError as exc:  # the data directory is unusable (paths.UnusableDirectory)
            raise HistoryUnavailable(str(exc.strerror or exc)) from None
        try:
            return work(store)
        finally:
            store.close()

    def _skip(self, exc: HistoryError) -> None:
        self.skipped += 1
        if not self._told:
            self._told = True
            self.notify(f"history not recorded: {exc}; carrying on without it")

"""The SQLite back end: one file (WAL) per project, shared by annotators and kernels on one machine.

Rules:
- one connection per `Store`, opened with `check_same_thread=False` and used only under the store's lock;
- every write is one `BEGIN IMMEDIATE` transaction: writers of all processes are serialised by the file lock, so
  holding a task (`_lock_task`) needs nothing more;
- `synchronous=FULL`: a commit is fsynced before `save_annotation` returns, so it survives a power cut, not only a
  SIGKILL.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from ._base import LEASE_SECONDS, StoreBase
from ._schema import Annotation, now_iso, owner_alive, schema, session_owner

__all__ = ["LEASE_SECONDS", "Annotation", "Store", "now_iso", "owner_alive", "session_owner"]


def _set_wal(db: sqlite3.Connection, wait_s: float = 30.0) -> None:
    """Switch the file to WAL, retrying while another process holds it.

    Changing the journal mode needs the file to itself, and SQLite answers "database is locked" at once (its busy
    timeout is not applied) when two processes open a new file at the same moment; a file already in WAL needs no
    change.
    """
    deadline = time.monotonic() + wait_s
    pause = 0.005
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


class Store(StoreBase):
    """SQLite-backed annotations, task hashes, leases and submit acknowledgements."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__()
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        _set_wal(self._db)
        self._db.execute("PRAGMA synchronous=FULL")
        # in one immediate transaction: kernels opening a new file at once wait for each other's schema
        self._db.executescript("BEGIN IMMEDIATE;\n" + ";\n".join(schema("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL"))
                               + ";\nCOMMIT;")
        self._migrate()
        self.id = self._meta_setdefault("store_id", os.urandom(6).hex())

    def _tx(self, fn, *args):
        """Run `fn(cursor, *args)` in one immediate transaction (serialised across processes)."""
        with self._lock:
            cur = self._db.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                out = fn(cur, *args)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            return out

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _insert(self, c: Any, sql: str, args: tuple) -> int:
        c.execute(sql, args)
        return c.lastrowid

    def _columns(self, table: str, cursor: Any = None) -> set[str]:
        with self._lock:
            return {r[1] for r in (cursor or self._db).execute(f"PRAGMA table_info({table})")}

    def close(self) -> None:
        """Close the connection; the file stays."""
        with self._lock:
            self._db.close()

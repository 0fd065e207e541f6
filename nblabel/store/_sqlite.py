"""The durable store: one SQLite file (WAL) per project, shared by annotators and kernels.

Rules:
- a submit is durable when `save_annotation` returns: it commits before returning;
- one connection per `Store`, usable from any thread (widget messages arrive on a kernel subshell thread), every
  statement under `self._lock`;
- each annotator has at most one live (not deleted) annotation per task; undo marks a row deleted, never drops it;
- several processes may open the same file: leases keep two sessions of one annotator off the same task;
- overlap: with a limit of n annotators per task, a lease is granted only while fewer than n other annotators
  hold the task (a live non-cancelled answer, or a live lease); the count and the grant are one immediate
  transaction, so kernels and annotators racing for the last slot cannot both win;
- ground truth: at most one annotation per task carries `ground_truth`.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from .._errors import TaskChanged

import msgspec

_decode = msgspec.json.Decoder().decode  # several times faster than json.loads, integers of any size kept

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_key TEXT NOT NULL,
    annotator TEXT NOT NULL,
    result TEXT NOT NULL,
    was_cancelled INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    lead_time REAL,
    parent_prediction INTEGER,
    prediction TEXT,
    unique_id TEXT NOT NULL,
    ground_truth INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS live_annotation ON annotations (task_key, annotator) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS annotations_by_annotator ON annotations (annotator, deleted);
CREATE TABLE IF NOT EXISTS served (task_key TEXT PRIMARY KEY, fields_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
    task_key TEXT NOT NULL, annotator TEXT NOT NULL, owner TEXT NOT NULL, expires REAL NOT NULL,
    PRIMARY KEY (task_key, annotator));
CREATE TABLE IF NOT EXISTS acks (uid TEXT PRIMARY KEY, annotation_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, task_key TEXT NOT NULL, digest TEXT NOT NULL UNIQUE);
"""

LEASE_SECONDS = 600.0  # a crashed kernel's tasks come back to its annotator's other sessions after this


def session_owner() -> str:
    """A lease owner id: host and pid first, so a dead kernel's leases can be recognised and taken over."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_alive(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: trust the expiry time
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def now_iso() -> str:
    """UTC timestamp as Label Studio writes it."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Annotation:
    """One stored annotation row."""

    id: int
    task_key: str
    annotator: str
    result: list
    was_cancelled: bool
    deleted: bool
    created_at: str
    updated_at: str
    lead_time: float | None
    parent_prediction: int | None
    prediction: dict | None
    unique_id: str
    ground_truth: bool = False

    def snapshot(self) -> dict:
        """What undo needs to put this row back as it was."""
        return {"result": self.result, "was_cancelled": self.was_cancelled, "deleted": self.deleted,
                "updated_at": self.updated_at, "lead_time": self.lead_time,
                "parent_prediction": self.parent_prediction, "prediction": self.prediction}


_COLUMNS = ("id, task_key, annotator, result, was_cancelled, deleted, created_at, updated_at, lead_time, "
            "parent_prediction, prediction, unique_id, ground_truth")


def _loads(text: str) -> Any:
    """A stored JSON text; what msgspec refuses (NaN, Infinity, a lone surrogate: json.dumps writes them) by json."""
    try:
        return _decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def _row(r: tuple) -> Annotation:
    return Annotation(r[0], r[1], r[2], _loads(r[3]), bool(r[4]), bool(r[5]), r[6], r[7], r[8], r[9],
                      _loads(r[10]) if r[10] else None, r[11], bool(r[12]))


class Store:
    """SQLite-backed annotations, task hashes, leases and submit acknowledgements."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: the commit is fsynced before submit() returns, so it survives a power cut, not only a SIGKILL.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self.id = self._meta_setdefault("store_id", uuid.uuid4().hex[:12])

    def _migrate(self) -> None:
        """Columns added since a store file was first made."""
        with self._lock:
            have = {r[1] for r in self._db.execute("PRAGMA table_info(annotations)")}
            if "fields_hash" not in have:  # the `$fields` an answer was given on (NULL in older rows: see served)
                self._db.execute("ALTER TABLE annotations ADD COLUMN fields_hash TEXT")
            if "ground_truth" not in have:
                self._db.execute("ALTER TABLE annotations ADD COLUMN ground_truth INTEGER NOT NULL DEFAULT 0")

    # -- plumbing --------------------------------------------------------------------------------------------
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

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta ------------------------------------------------------------------------------------------------
    def meta(self, key: str) -> Any:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: Any) -> None:
        self._tx(lambda c: c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value))))

    def _meta_setdefault(self, key: str, value: Any) -> Any:
        def run(c):
            c.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, json.dumps(value)))
            return json.loads(c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])
        return self._tx(run)

    # -- annotations -----------------------------------------------------------------------------------------
    def live_status(self, annotator: str) -> dict[str, bool]:
        """task_key → was_cancelled for this annotator's live annotations (the queue's starting point)."""
        rows = self._query("SELECT task_key, was_cancelled FROM annotations WHERE annotator = ? AND deleted = 0 "
                           "ORDER BY updated_at", (annotator,))
        return {k: bool(c) for k, c in rows}

    def live(self, task_key: str, annotator: str) -> Annotation | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0",
                           (task_key, annotator))
        return _row(rows[0]) if rows else None

    def get(self, annotation_id: int) -> Annotation | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,))
        return _row(rows[0]) if rows else None

    def iter_live(self) -> Iterator[Annotation]:
        """Every live annotation of every annotator, oldest first."""
        for r in self._query(f"SELECT {_COLUMNS} FROM annotations WHERE deleted = 0 ORDER BY id"):
            yield _row(r)

    def save_annotation(self, task_key: str, annotator: str, result: list, *, was_cancelled: bool = False,
                        lead_time: float | None = None, parent_prediction: int | None = None,
                        prediction: dict | None = None, uid: str | None = None, fields_hash: str | None = None,
                        ) -> tuple[Annotation, dict | None, bool]:
        """Insert or update the annotator's live annotation of a task; committed on return.

        Returns (the row, the row's snapshot before this call or None if it was new, whether `uid` was seen before:
        a re-sent submit is acknowledged again without writing twice). `fields_hash`: the hash of the task's
        `$fields` the answer was given on (see `answer_hashes`).
        """
        def run(c):
            if uid is not None:
                seen = c.execute("SELECT annotation_id FROM acks WHERE uid = ?", (uid,)).fetchone()
                if seen:
                    row = c.execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (seen[0],)).fetchone()
                    return _row(row), None, True
            stamp = now_iso()
            body = (json.dumps(result, ensure_ascii=False), int(was_cancelled), stamp, lead_time, parent_prediction,
                    json.dumps(prediction) if prediction else None, fields_hash)
            old = c.execute(f"SELECT {_COLUMNS} FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0",
                            (task_key, annotator)).fetchone()
            if old:
                c.execute("UPDATE annotations SET result = ?, was_cancelled = ?, updated_at = ?, lead_time = ?, "
                          "parent_prediction = ?, prediction = ?, fields_hash = ? WHERE id = ?", (*body, old[0]))
                ann_id = old[0]
            else:
                c.execute("INSERT INTO annotations (result, was_cancelled, updated_at, lead_time, parent_prediction, "
                          "prediction, fields_hash, task_key, annotator, created_at, unique_id) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                          (*body, task_key, annotator, stamp, str(uuid.uuid4())))
                ann_id = c.lastrowid
            if uid is not None:
                c.execute("INSERT INTO acks VALUES (?, ?)", (uid, ann_id))
            c.execute("DELETE FROM leases WHERE task_key = ? AND annotator = ?", (task_key, annotator))
            row = c.execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (ann_id,)).fetchone()
            return _row(row), (_row(old).snapshot() if old else None), False
        return self._tx(run)

    def restore(self, annotation_id: int, snapshot: dict | None) -> Annotation:
        """Put a row back to `snapshot` (None: mark it deleted). Used by undo and redo."""
        def run(c):
            if snapshot is None:
                c.execute("UPDATE annotations SET deleted = 1 WHERE id = ?", (annotation_id,))
            else:
                row = c.execute("SELECT task_key, annotator FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
                if not snapshot["deleted"]:
                    # Another live row for the same task (made after an undo) would break the one-live-row rule.
                    c.execute("UPDATE annotations SET deleted = 1 WHERE task_key = ? AND annotator = ? AND deleted = 0 "
                              "AND id != ?", (row[0], row[1], annotation_id))
                c.execute("UPDATE annotations SET result = ?, was_cancelled = ?, deleted = ?, updated_at = ?, "
                          "lead_time = ?, parent_prediction = ?, prediction = ? WHERE id = ?",
                          (json.dumps(snapshot["result"], ensure_ascii=False), int(snapshot["was_cancelled"]),
                           int(snapshot["deleted"]), snapshot["updated_at"], snapshot["lead_time"],
                           snapshot["parent_prediction"],
                           json.dumps(snapshot["prediction"]) if snapshot["prediction"] else None, annotation_id))
            return _row(c.execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)).fetchone())
        return self._tx(run)

    # -- served tasks ----------------------------------------------------------------------------------------
    def check_served(self, task_key: str, fields_hash: str, task_id: Any) -> None:
        """Remember a task's `$fields` hash when first served; raise `TaskChanged` if it differs later.

        Also for a task shown but not answered: a browser's outbox may still hold an answer given on the old
        fields (replayed after a restart), and only this check stands between it and the new ones."""
        def run(c):
            row = c.execute("SELECT fields_hash FROM served WHERE task_key = ?", (task_key,)).fetchone()
            if row is None:
                c.execute("INSERT INTO served VALUES (?, ?)", (task_key, fields_hash))
            elif row[0] != fields_hash:
                raise TaskChanged(
                    f"task {task_id!r} changed since it was first labeled in this store ({self.path}): its labeled "
                    "fields differ. Use a new store, or give changed rows new ids (index labels).")
        self._tx(run)

    def answer_hashes(self) -> dict[str, set[str]]:
        """task_key → the `$fields` hashes its live answers were given on (older rows: the hash when first served)."""
        out: dict[str, set[str]] = {}
        rows = self._query("SELECT task_key, COALESCE(fields_hash, (SELECT s.fields_hash FROM served s "
                           "WHERE s.task_key = annotations.task_key)) FROM annotations WHERE deleted = 0")
        for key, h in rows:
            if h is not None:
                if key in out:
                    out[key].add(h)
                else:
                    out[key] = {h}
        return out

    # -- leases ----------------------------------------------------------------------------------------------
    def try_lease(self, task_key: str, annotator: str, owner: str, limit: int | None = None) -> str:
        """Reserve a task for one session: "ok", "done" (annotated meanwhile), "taken" (another session of this
        annotator has it) or "full" (`limit` other annotators answered or hold it)."""
        def run(c):
            live = c.execute("SELECT 1 FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0 "
                             "AND was_cancelled = 0",
                             (task_key, annotator)).fetchone()
            if live:
                return "done"
            now = time.time()
            row = c.execute("SELECT owner, expires FROM leases WHERE task_key = ? AND annotator = ?",
                            (task_key, annotator)).fetchone()
            if row and row[0] != owner and row[1] > now and _owner_alive(row[0]):
                return "taken"
            if limit is not None and not (row and row[0] == owner) \
                    and self._others(c, task_key, annotator, now) >= limit:
                return "full"
            c.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?)",
                      (task_key, annotator, owner, now + LEASE_SECONDS))
            return "ok"
        return self._tx(run)

    @staticmethod
    def _others(c, task_key: str, annotator: str, now: float) -> int:
        """Other annotators holding a task: a live, non-cancelled answer or a live lease (dead owners' do not)."""
        answered = {r[0] for r in c.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE task_key = ? AND annotator != ? AND deleted = 0 "
            "AND was_cancelled = 0", (task_key, annotator))}
        for who, holder in c.execute("SELECT annotator, owner FROM leases WHERE task_key = ? AND annotator != ? "
                                     "AND expires > ?", (task_key, annotator, now)):
            if who not in answered and _owner_alive(holder):
                answered.add(who)
        return len(answered)

    def answer_counts(self) -> dict[str, int]:
        """task_key → distinct annotators with a live, non-cancelled answer."""
        return dict(self._query("SELECT task_key, COUNT(DISTINCT annotator) FROM annotations WHERE deleted = 0 "
                                "AND was_cancelled = 0 GROUP BY task_key"))

    def set_ground_truth(self, task_key: str, annotation_id: int | None) -> None:
        """Star one live annotation of a task as its ground truth (None: clear the task's star)."""
        def run(c):
            if annotation_id is not None:
                row = c.execute("SELECT task_key, deleted FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
                if row is None or row[1]:
                    raise KeyError(f"no live annotation with id {annotation_id!r}")
                if row[0] != task_key:
                    raise ValueError(f"annotation {annotation_id} belongs to another task")
            c.execute("UPDATE annotations SET ground_truth = 0 WHERE task_key = ?", (task_key,))
            if annotation_id is not None:
                c.execute("UPDATE annotations SET ground_truth = 1 WHERE id = ?", (annotation_id,))
        self._tx(run)

    def renew_leases(self, owner: str) -> None:
        self._tx(lambda c: c.execute("UPDATE leases SET expires = ? WHERE owner = ?",
                                     (time.time() + LEASE_SECONDS, owner)))

    def release(self, owner: str, task_key: str | None = None) -> None:
        if task_key is None:
            self._tx(lambda c: c.execute("DELETE FROM leases WHERE owner = ?", (owner,)))
        else:
            self._tx(lambda c: c.execute("DELETE FROM leases WHERE owner = ? AND task_key = ?", (owner, task_key)))

    # -- predictions -----------------------------------------------------------------------------------------
    def prediction_id(self, task_key: str, digest: str) -> int:
        """A stable integer id for a prediction (what `parent_prediction` points to)."""
        def run(c):
            c.execute("INSERT OR IGNORE INTO predictions (task_key, digest) VALUES (?, ?)", (task_key, digest))
            return c.execute("SELECT id FROM predictions WHERE digest = ?", (digest,)).fetchone()[0]
        return self._tx(run)

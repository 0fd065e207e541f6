"""The store contract, written once in the SQL both back ends speak (`?` parameters, `ON CONFLICT`).

Rules:
- a submit is durable when `save_annotation` returns: it commits before returning;
- every statement runs under `self._lock` (widget messages arrive on a kernel subshell thread);
- each annotator has at most one live (not deleted) annotation per task; undo marks a row deleted, never drops it;
- several processes (or machines) may share a store: leases keep two sessions of one annotator off the same task;
- overlap: with a limit of n annotators per task, a lease is granted only while fewer than n other annotators
  hold the task (a live non-cancelled answer, or a live lease); the count and the grant are one transaction that
  holds the task (`_lock_task`), so kernels and annotators racing for the last slot cannot both win;
- ground truth: at most one annotation per task carries `ground_truth`.

A back end supplies the connection: `_tx` (one transaction, serialised per task at least), `_query`, `_insert`
(the new row's id), `_lock_task`, and the schema (SQLite: `_columns` for `_migrate`).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any, Callable, Iterator

from .._errors import TaskChanged
from ._schema import ADDED_COLUMNS, COLUMNS, Annotation, now_iso, owner_alive, row

# The `$fields` hash an answer was given on; rows older than that column: the hash when its task was first served.
_ANSWER_HASH = ("COALESCE(fields_hash, (SELECT s.fields_hash FROM served s "
                "WHERE s.task_key = annotations.task_key))")
LEASE_SECONDS = 600.0  # a crashed kernel's tasks come back to its annotator's other sessions after this


class StoreBase:
    """Annotations, task hashes, leases and submit acknowledgements over one database connection."""

    path: str  # where the store is, as messages show it (never a password)
    id: str  # names the browser's outbox: stable for the life of the store

    def __init__(self) -> None:
        self._lock = threading.RLock()

    # -- what a back end supplies ----------------------------------------------------------------------------
    def _tx(self, fn: Callable, *args: Any) -> Any:
        """Run `fn(cursor, *args)` in one transaction, committed before returning."""
        raise NotImplementedError

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def _insert(self, c: Any, sql: str, args: tuple) -> int:
        """Run an INSERT and return the new row's id."""
        raise NotImplementedError

    def _lock_task(self, c: Any, task_key: str) -> None:
        """Hold `task_key` until the transaction ends (a back end whose transactions are all serialised: no-op)."""

    def _columns(self, table: str) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection; the data stays."""
        raise NotImplementedError

    # -- set-up ----------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Columns added since a store was first made."""
        have = {t: self._columns(t) for t in {t for t, _, _ in ADDED_COLUMNS}}
        for table, column, definition in ADDED_COLUMNS:
            if column not in have[table]:
                self._tx(self._add_column, table, column, definition)

    def _add_column(self, c: Any, table: str, column: str, definition: str) -> None:
        # checked again inside the transaction: another kernel opening the same old store may have added it
        if column not in self._columns(table, c):
            c.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    # -- meta ------------------------------------------------------------------------------------------------
    def meta(self, key: str) -> Any:
        """A stored project setting (the config's signature, the store id), None if unset."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: Any) -> None:
        """Store a project setting."""
        self._tx(lambda c: c.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                                     "excluded.value", (key, json.dumps(value))))

    def _meta_setdefault(self, key: str, value: Any) -> Any:
        def run(c):
            c.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", (key, json.dumps(value)))
            return json.loads(c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])
        return self._tx(run)

    # -- annotations -----------------------------------------------------------------------------------------
    def live_status(self, annotator: str) -> dict[str, bool]:
        """task_key → was_cancelled for this annotator's live annotations (the queue's starting point)."""
        rows = self._query("SELECT task_key, was_cancelled FROM annotations WHERE annotator = ? AND deleted = 0 "
                           "ORDER BY updated_at", (annotator,))
        return {k: bool(c) for k, c in rows}

    def live(self, task_key: str, annotator: str) -> Annotation | None:
        """The annotator's live annotation of a task, if any."""
        rows = self._query(f"SELECT {COLUMNS} FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0",
                           (task_key, annotator))
        return row(rows[0]) if rows else None

    def get(self, annotation_id: int) -> Annotation | None:
        """One annotation row by id (deleted or not)."""
        rows = self._query(f"SELECT {COLUMNS} FROM annotations WHERE id = ?", (annotation_id,))
        return row(rows[0]) if rows else None

    def iter_live(self) -> Iterator[Annotation]:
        """Every live annotation of every annotator, oldest first."""
        for r in self._query(f"SELECT {COLUMNS} FROM annotations WHERE deleted = 0 ORDER BY id"):
            yield row(r)

    def live_rows(self, hashes: bool = False) -> list[tuple]:
        """`iter_live` as raw rows of `COLUMNS` (JSON still text): for bulk readers that decode all at once.

        `hashes=True` appends each row's `$fields` hash as `answer_hashes` gives it (None where it has none): a
        reader that checks the answers as well saves the second query."""
        extra = f", {_ANSWER_HASH}" if hashes else ""
        return self._query(f"SELECT {COLUMNS}{extra} FROM annotations WHERE deleted = 0 ORDER BY id")

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
            self._lock_task(c, task_key)
            if uid is not None:
                seen = c.execute("SELECT annotation_id FROM acks WHERE uid = ?", (uid,)).fetchone()
                if seen:
                    found = c.execute(f"SELECT {COLUMNS} FROM annotations WHERE id = ?", (seen[0],)).fetchone()
                    return row(found), None, True
            stamp = now_iso()
            body = (json.dumps(result, ensure_ascii=False), int(was_cancelled), stamp, lead_time, parent_prediction,
                    json.dumps(prediction) if prediction else None, fields_hash)
            old = c.execute(f"SELECT {COLUMNS} FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0",
                            (task_key, annotator)).fetchone()
            if old:
                c.execute("UPDATE annotations SET result = ?, was_cancelled = ?, updated_at = ?, lead_time = ?, "
                          "parent_prediction = ?, prediction = ?, fields_hash = ? WHERE id = ?", (*body, old[0]))
                ann_id = old[0]
            else:
                ann_id = self._insert(
                    c, "INSERT INTO annotations (result, was_cancelled, updated_at, lead_time, parent_prediction, "
                    "prediction, fields_hash, task_key, annotator, created_at, unique_id) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (*body, task_key, annotator, stamp, str(uuid.uuid4())))
            if uid is not None:
                c.execute("INSERT INTO acks VALUES (?, ?)", (uid, ann_id))
            c.execute("DELETE FROM leases WHERE task_key = ? AND annotator = ?", (task_key, annotator))
            new = c.execute(f"SELECT {COLUMNS} FROM annotations WHERE id = ?", (ann_id,)).fetchone()
            return row(new), (row(old).snapshot() if old else None), False
        return self._tx(run)

    def restore(self, annotation_id: int, snapshot: dict | None) -> Annotation:
        """Put a row back to `snapshot` (None: mark it deleted). Used by undo and redo."""
        def run(c):
            found = c.execute("SELECT task_key, annotator FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
            if found is None:
                raise KeyError(f"no annotation with id {annotation_id!r}")
            self._lock_task(c, found[0])
            if snapshot is None:
                c.execute("UPDATE annotations SET deleted = 1 WHERE id = ?", (annotation_id,))
            else:
                if not snapshot["deleted"]:
                    # Another live row for the same task (made after an undo) would break the one-live-row rule.
                    c.execute("UPDATE annotations SET deleted = 1 WHERE task_key = ? AND annotator = ? AND deleted = 0 "
                              "AND id != ?", (found[0], found[1], annotation_id))
                c.execute("UPDATE annotations SET result = ?, was_cancelled = ?, deleted = ?, updated_at = ?, "
                          "lead_time = ?, parent_prediction = ?, prediction = ? WHERE id = ?",
                          (json.dumps(snapshot["result"], ensure_ascii=False), int(snapshot["was_cancelled"]),
                           int(snapshot["deleted"]), snapshot["updated_at"], snapshot["lead_time"],
                           snapshot["parent_prediction"],
                           json.dumps(snapshot["prediction"]) if snapshot["prediction"] else None, annotation_id))
            return row(c.execute(f"SELECT {COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)).fetchone())
        return self._tx(run)

    # -- served tasks ----------------------------------------------------------------------------------------
    def check_served(self, task_key: str, fields_hash: str, task_id: Any) -> None:
        """Remember a task's `$fields` hash when first served; raise `TaskChanged` if it differs later.

        Also for a task shown but not answered: a browser's outbox may still hold an answer given on the old
        fields (replayed after a restart), and only this check stands between it and the new ones."""
        def run(c):
            c.execute("INSERT INTO served VALUES (?, ?) ON CONFLICT DO NOTHING", (task_key, fields_hash))
            first = c.execute("SELECT fields_hash FROM served WHERE task_key = ?", (task_key,)).fetchone()[0]
            if first != fields_hash:
                raise TaskChanged(
                    f"task {task_id!r} changed since it was first labeled in this store ({self.path}): its labeled "
                    "fields differ. Use a new store, or give changed rows new ids (index labels).")
        self._tx(run)

    def answer_hashes(self) -> list[tuple[str, str]]:
        """(task_key, the `$fields` hash it was given on) per live answer that has one (older rows: the hash when
        the task was first served)."""
        return self._query(f"SELECT task_key, h FROM (SELECT task_key, {_ANSWER_HASH} AS h FROM annotations "
                           "WHERE deleted = 0) AS answered WHERE h IS NOT NULL")

    # -- leases ----------------------------------------------------------------------------------------------
    def try_lease(self, task_key: str, annotator: str, owner: str, limit: int | None = None) -> str:
        """Reserve a task for one session: "ok", "done" (annotated meanwhile), "taken" (another session of this
        annotator has it) or "full" (`limit` other annotators answered or hold it)."""
        def run(c):
            self._lock_task(c, task_key)
            live = c.execute("SELECT 1 FROM annotations WHERE task_key = ? AND annotator = ? AND deleted = 0 "
                             "AND was_cancelled = 0", (task_key, annotator)).fetchone()
            if live:
                return "done"
            now = time.time()
            held = c.execute("SELECT owner, expires FROM leases WHERE task_key = ? AND annotator = ?",
                             (task_key, annotator)).fetchone()
            if held and held[0] != owner and held[1] > now and owner_alive(held[0]):
                return "taken"
            if limit is not None and not (held and held[0] == owner) \
                    and self._others(c, task_key, annotator, now) >= limit:
                return "full"
            c.execute("INSERT INTO leases VALUES (?, ?, ?, ?) ON CONFLICT (task_key, annotator) DO UPDATE SET "
                      "owner = excluded.owner, expires = excluded.expires",
                      (task_key, annotator, owner, now + LEASE_SECONDS))
            return "ok"
        return self._tx(run)

    @staticmethod
    def _others(c, task_key: str, annotator: str, now: float) -> int:
        """Other annotators holding a task: a live, non-cancelled answer or a live lease (dead owners' do not)."""
        answered = {r[0] for r in c.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE task_key = ? AND annotator != ? AND deleted = 0 "
            "AND was_cancelled = 0", (task_key, annotator)).fetchall()}
        for who, holder in c.execute("SELECT annotator, owner FROM leases WHERE task_key = ? AND annotator != ? "
                                     "AND expires > ?", (task_key, annotator, now)).fetchall():
            if who not in answered and owner_alive(holder):
                answered.add(who)
        return len(answered)

    def answer_counts(self) -> dict[str, int]:
        """task_key → distinct annotators with a live, non-cancelled answer."""
        return dict(self._query("SELECT task_key, COUNT(DISTINCT annotator) FROM annotations WHERE deleted = 0 "
                                "AND was_cancelled = 0 GROUP BY task_key"))

    def set_ground_truth(self, task_key: str, annotation_id: int | None) -> None:
        """Star one live annotation of a task as its ground truth (None: clear the task's star)."""
        def run(c):
            self._lock_task(c, task_key)
            if annotation_id is not None:
                found = c.execute("SELECT task_key, deleted FROM annotations WHERE id = ?",
                                  (annotation_id,)).fetchone()
                if found is None or found[1]:
                    raise KeyError(f"no live annotation with id {annotation_id!r}")
                if found[0] != task_key:
                    raise ValueError(f"annotation {annotation_id} belongs to another task")
            c.execute("UPDATE annotations SET ground_truth = 0 WHERE task_key = ?", (task_key,))
            if annotation_id is not None:
                c.execute("UPDATE annotations SET ground_truth = 1 WHERE id = ?", (annotation_id,))
        self._tx(run)

    def renew_leases(self, owner: str) -> None:
        """Push back the expiry of every lease `owner` holds."""
        self._tx(lambda c: c.execute("UPDATE leases SET expires = ? WHERE owner = ?",
                                     (time.time() + LEASE_SECONDS, owner)))

    def release(self, owner: str, task_key: str | None = None) -> None:
        """Give up `owner`'s leases (one task's, or all)."""
        if task_key is None:
            self._tx(lambda c: c.execute("DELETE FROM leases WHERE owner = ?", (owner,)))
        else:
            self._tx(lambda c: c.execute("DELETE FROM leases WHERE owner = ? AND task_key = ?", (owner, task_key)))

    # -- predictions -----------------------------------------------------------------------------------------
    def prediction_id(self, task_key: str, digest: str) -> int:
        """A stable integer id for a prediction (what `parent_prediction` points to)."""
        def run(c):
            c.execute("INSERT INTO predictions (task_key, digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                      (task_key, digest))
            return c.execute("SELECT id FROM predictions WHERE digest = ?", (digest,)).fetchone()[0]
        return self._tx(run)

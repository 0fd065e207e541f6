"""Review records: what a reviewer decided about each annotation of a task, kept beside the annotations.

Rules:
- one record per reviewed annotation *version* (its `updated_at` when reviewed): `accepted` (the annotation is
  the version the reviewer accepted), `fixed` (the reviewer accepted another version), `rejected` (with the
  comment and what happens next, `requeue` or `remove`);
- an annotation re-answered after its review (a rejected task its annotator corrected) has a newer version with
  no record: the task needs review again;
- records of one review share the browser request's id (`uid`): a review re-sent after a reconnect is stored once;
  undo marks them deleted, never drops them;
- records are written in the store's own transactions, so "acknowledged" means committed here as for answers; the
  table is part of the store's schema (`_schema.py`), on either back end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ._base import StoreBase
from ._schema import now_iso

OUTCOMES = ("accepted", "fixed", "rejected")
REJECT_ACTIONS = ("requeue", "remove")
_COLUMNS = ("id, task_key, annotation_id, annotation_version, annotator, reviewer, outcome, result, comment, "
            "reject_action, created_at, uid")


@dataclass(frozen=True)
class Review:
    """One stored review record."""

    id: int
    task_key: str
    annotation_id: int
    annotation_version: str
    annotator: str
    reviewer: str
    outcome: str
    result: list | None
    comment: str | None
    reject_action: str | None
    created_at: str
    uid: str | None

    def label_studio(self, reviewer_email: str) -> dict:
        """The record as Label Studio's annotation review (`accepted`, `result`, `comment`, `reject_action`), plus
        `outcome` (accepted / fixed / rejected), which Label Studio spreads over `accepted` and the fixed result."""
        out = {"id": self.id, "annotation": self.annotation_id, "accepted": self.outcome != "rejected",
               "outcome": self.outcome, "created_by": {"email": reviewer_email}, "created_at": self.created_at,
               "comment": self.comment}
        if self.outcome == "fixed":
            out["result"] = self.result
        if self.outcome == "rejected":
            out["reject_action"] = self.reject_action
            out["remove_from_queue"] = self.reject_action == "remove"
        return out


def _review(r: tuple) -> Review:
    return Review(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]) if r[7] else None, r[8], r[9], r[10],
                  r[11])


class Reviews:
    """The review records of one store (the table is made on first use)."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store

    def seen(self, uid: str) -> list[Review]:
        """The records a review request with this id stored (empty: not seen yet)."""
        return [_review(r) for r in self.store._query(
            f"SELECT {_COLUMNS} FROM reviews WHERE uid = ? AND deleted = 0 ORDER BY id", (uid,))]

    def record(self, task_key: str, reviewer: str, outcomes: list[tuple[int, str, str, str]], *,
               result: list | None, comment: str | None, reject_action: str | None, uid: str | None) -> list[Review]:
        """Store one review of a task: `outcomes` = (annotation id, its version, its annotator, outcome) each.
        Committed on return; a `uid` seen before returns its records without writing again."""
        def run(c):
            if uid is not None:
                rows = c.execute(f"SELECT {_COLUMNS} FROM reviews WHERE uid = ? AND deleted = 0 ORDER BY id",
                                 (uid,)).fetchall()
                if rows:
                    return [_review(r) for r in rows]
            stamp, body = now_iso(), json.dumps(result, ensure_ascii=False) if result is not None else None
            ids = []
            for annotation_id, version, annotator, outcome in outcomes:
                if outcome not in OUTCOMES:
                    raise ValueError(f"review outcome {outcome!r}: expected one of {', '.join(OUTCOMES)}")
                ids.append(self.store._insert(
                    c, "INSERT INTO reviews (task_key, annotation_id, annotation_version, annotator, reviewer, "
                       "outcome, result, comment, reject_action, created_at, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (task_key, annotation_id, version, annotator, reviewer, outcome, body, comment,
                     reject_action if outcome == "rejected" else None, stamp, uid)))
            marks = ",".join("?" * len(ids))
            return [_review(r) for r in c.execute(f"SELECT {_COLUMNS} FROM reviews WHERE id IN ({marks}) ORDER BY id",
                                                  tuple(ids)).fetchall()] if ids else []
        return self.store._tx(run)

    def withdraw(self, ids: list[int], deleted: bool = True) -> None:
        """Undo (`deleted`) or redo a review's records."""
        if ids:
            marks = ",".join("?" * len(ids))
            self.store._tx(lambda c: c.execute(f"UPDATE reviews SET deleted = ? WHERE id IN ({marks})",
                                               (int(deleted), *ids)))

    def pending(self, reviewer: str) -> set[str]:
        """Tasks with a live answer by someone else whose current version this reviewer has not reviewed."""
        rows = self.store._query(
            "SELECT DISTINCT a.task_key FROM annotations a WHERE a.deleted = 0 AND a.was_cancelled = 0 "
            "AND a.annotator != ? AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.annotation_id = a.id "
            "AND r.annotation_version = a.updated_at AND r.reviewer = ? AND r.deleted = 0)", (reviewer, reviewer))
        return {r[0] for r in rows}

    def returned(self, annotator: str) -> dict[str, Review]:
        """This annotator's live answers whose current version was rejected with `requeue`: task key → the
        rejection (the newest, when several reviewers rejected it)."""
        rows = self.store._query(
            f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))} FROM reviews r "
            "JOIN annotations a ON a.id = r.annotation_id WHERE a.annotator = ? AND a.deleted = 0 "
            "AND r.annotation_version = a.updated_at AND r.deleted = 0 AND r.outcome = 'rejected' "
            "AND r.reject_action = 'requeue' ORDER BY r.id", (annotator,))
        return {rv.task_key: rv for rv in map(_review, rows)}

    def by_annotation(self) -> dict[int, list[Review]]:
        """annotation id → its live review records, oldest first (for exports)."""
        out: dict[int, list[Review]] = {}
        for r in self.store._query(f"SELECT {_COLUMNS} FROM reviews WHERE deleted = 0 ORDER BY id"):
            rv = _review(r)
            out.setdefault(rv.annotation_id, []).append(rv)
        return out

    def all(self) -> list[Review]:
        """Every live review record, oldest first."""
        return [_review(r) for r in self.store._query(f"SELECT {_COLUMNS} FROM reviews WHERE deleted = 0 ORDER BY id")]

"""What both back ends store: the tables, the annotation row, lease owners and timestamps.

Rules:
- one schema text for SQLite and PostgreSQL; only the auto-increment id and the float type differ between the two
  (PostgreSQL's REAL is 4 bytes: an epoch-seconds lease expiry would lose minutes), so they are filled in per back end;
- flags are INTEGER 0/1 on both, so every statement reads the same on both;
- JSON values (results, predictions, meta) are stored as text: the store never queries inside them.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import msgspec

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotations (
    id {id},
    task_key TEXT NOT NULL,
    annotator TEXT NOT NULL,
    result TEXT NOT NULL,
    was_cancelled INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    lead_time {real},
    parent_prediction INTEGER,
    prediction TEXT,
    unique_id TEXT NOT NULL,
    ground_truth INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS live_annotation ON annotations (task_key, annotator) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS annotations_by_annotator ON annotations (annotator, deleted);
CREATE TABLE IF NOT EXISTS served (task_key TEXT PRIMARY KEY, fields_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
    task_key TEXT NOT NULL, annotator TEXT NOT NULL, owner TEXT NOT NULL, expires {real} NOT NULL,
    PRIMARY KEY (task_key, annotator));
CREATE TABLE IF NOT EXISTS acks (uid TEXT PRIMARY KEY, annotation_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    id {id}, task_key TEXT NOT NULL, digest TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS reviews (
    id {id},
    task_key TEXT NOT NULL,
    annotation_id BIGINT NOT NULL,
    annotation_version TEXT NOT NULL,
    annotator TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'fixed', 'rejected')),
    result TEXT,
    comment TEXT,
    reject_action TEXT,
    created_at TEXT NOT NULL,
    uid TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS reviews_by_annotation ON reviews (annotation_id, deleted);
CREATE INDEX IF NOT EXISTS reviews_by_uid ON reviews (uid);
"""

# Columns added since the first store files were made: (table, column, definition). Added by `ALTER TABLE`.
ADDED_COLUMNS = (
    ("annotations", "fields_hash", "TEXT"),  # the `$fields` an answer was given on (NULL in older rows: see served)
    ("annotations", "ground_truth", "INTEGER NOT NULL DEFAULT 0"),
)


def schema(id_type: str, real_type: str) -> list[str]:
    """The schema's statements for one back end."""
    text = SCHEMA.format(id=id_type, real=real_type)
    return [s.strip() for s in text.split(";") if s.strip()]


def session_owner() -> str:
    """A lease owner id: host and pid first, so a dead kernel's leases can be recognised and taken over."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str) -> bool:
    """False only for an owner on this machine whose process is gone (another machine: trust the expiry)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
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


COLUMNS = ("id, task_key, annotator, result, was_cancelled, deleted, created_at, updated_at, lead_time, "
           "parent_prediction, prediction, unique_id, ground_truth")


_decode = msgspec.json.Decoder().decode  # several times faster than json.loads, integers of any size kept


def loads_text(text: str) -> Any:
    """A stored JSON text; what msgspec refuses (NaN, Infinity, a lone surrogate: json.dumps writes them) by json."""
    try:
        return _decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def loads_many(texts: list[str]) -> list:
    """Many stored JSON texts at once: one decode of them joined as a JSON array (a call per text costs more
    than the text), text by text when that does not give exactly one value per text (NaN, a damaged row)."""
    if texts:
        try:
            values = _decode("[" + ",".join(texts) + "]")
        except msgspec.DecodeError:
            values = None
        if values is not None and len(values) == len(texts):
            return values
    return [loads_text(t) for t in texts]


def row(r: tuple) -> Annotation:
    """An `Annotation` from a row of `COLUMNS`."""
    return Annotation(r[0], r[1], r[2], loads_text(r[3]), bool(r[4]), bool(r[5]), r[6], r[7], r[8], r[9],
                      loads_text(r[10]) if r[10] else None, r[11], bool(r[12]))

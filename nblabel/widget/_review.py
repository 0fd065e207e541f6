"""Review mode's desk: what a reviewer sees of a task, and what accepting or rejecting it stores.

Rules:
- a task's answers under review are the live, non-cancelled answers of everyone but the reviewer;
- the editable answer starts as the task's ground truth when one is starred, else the consensus of the answers
  (`nblabel.consensus`: majority per control, regions matched across annotators);
- accept stores the version the reviewer submits: every answer equal to it (same items, ignoring region ids and
  origins) is `accepted`, every other one `fixed`; the accepted version becomes the task's ground truth — the
  equal answer when there is one, else a new answer by the reviewer holding the fixed version;
- reject stores `rejected` with the comment for the chosen annotators' answers (all when none is named);
  `on_reject="requeue"` sends the task back to each of them, pre-filled with their answer and the comment;
  `"remove"` withdraws their answer (kept in the store, marked deleted);
- every step is idempotent under the request's id, so a review re-sent from the browser's outbox is stored once;
- undo takes the last review back whole: its records, the ground-truth star, a fixed answer it made, answers it
  removed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..config._parse import Config
from ..quality._consensus import consensus
from ..results._validate import normalize_result, strip_origins
from ..store._reviews import REJECT_ACTIONS, Review, Reviews
from ..store._schema import COLUMNS, row
from ..store._sqlite import Annotation, Store
from ..tasks._source import TaskSource

MODES = ("label", "review")


@dataclass
class ReviewAction:
    """One review as undo needs it."""

    key: str
    records: list[int]
    star_before: int | None  # the task's ground-truth annotation before the review
    star_after: int | None
    made: int | None = None  # a fixed answer the review created
    removed: list[tuple[int, dict]] = field(default_factory=list)  # (annotation id, its snapshot)


def _items(result: list[dict]) -> list[str]:
    """A result as comparable items: region ids, origins and scores do not make two versions differ."""
    keep = ("from_name", "to_name", "type", "value")
    return sorted(json.dumps({k: it.get(k) for k in keep}, sort_keys=True) for it in result)


def same_version(a: list[dict], b: list[dict]) -> bool:
    """Whether two results say the same thing."""
    return Counter(_items(a)) == Counter(_items(b))


class Desk:
    """The reviewer's side of the store for one session."""

    def __init__(self, config: Config, source: TaskSource, store: Store, reviewer: str, *,
                 on_reject: str = "requeue") -> None:
        if on_reject not in REJECT_ACTIONS:
            raise ValueError(f"on_reject={on_reject!r}: expected one of {', '.join(REJECT_ACTIONS)}")
        self.config, self.source, self.store, self.reviewer, self.on_reject = config, source, store, reviewer, on_reject
        self.reviews = Reviews(store)

    # -- what the reviewer sees ------------------------------------------------------------------------------
    def under_review(self, key: str) -> list[Annotation]:
        """The answers a review of `key` judges, oldest first (one query)."""
        rows = self.store._query(f"SELECT {COLUMNS} FROM annotations WHERE task_key = ? AND deleted = 0 "
                                 "AND was_cancelled = 0 AND annotator != ? ORDER BY id", (key, self.reviewer))
        return [row(r) for r in rows]

    def answers(self, key: str, anns: list[Annotation] | None = None) -> list[dict]:
        """The answers as the browser shows them: annotator, annotation id, the whole result (regions with their
        values, for the overlays). `anns`: `under_review(key)` when the caller read it already."""
        return [{"annotator": a.annotator, "annotation_id": a.id, "result": strip_origins(a.result)}
                for a in (self.under_review(key) if anns is None else anns)]

    def star(self, key: str) -> Annotation | None:
        """The task's ground-truth annotation, if one is starred."""
        rows = self.store._query(f"SELECT {COLUMNS} FROM annotations WHERE task_key = ? AND deleted = 0 "
                                 "AND ground_truth = 1", (key,))
        return row(rows[0]) if rows else None

    def prefill(self, key: str, anns: list[Annotation] | None = None) -> tuple[list | None, str | None]:
        """The editable answer a review starts from: (result, "ground_truth" | "consensus"), (None, None) when the
        task has nothing to review. `anns`: `under_review(key)` when the caller read it already."""
        star = self.star(key)
        if star is not None and not star.was_cancelled:
            return strip_origins(star.result), "ground_truth"
        if anns is None:
            anns = self.under_review(key)
        if not anns:
            return None, None
        if len(anns) == 1:
            return strip_origins(anns[0].result), "consensus"
        task = {"id": 0, "data": {}, "annotations": [
            {"id": a.id, "completed_by": {"email": f"{a.annotator}@nblabel.local"}, "result": a.result,
             "was_cancelled": False} for a in anns]}
        merged = consensus([task], self.config)["annotations"].iloc[0]
        return (strip_origins(merged[0]["result"]) if merged else []), "consensus"

    # -- what the reviewer decides ---------------------------------------------------------------------------
    def accept(self, key: str, result: list, *, lead_time: float | None, uid: str | None,
               fields_hash: str | None) -> tuple[int, ReviewAction | None]:
        """Accept `result` for task `key` → (the ground-truth annotation id, the action; None: a replay)."""
        anns = self.under_review(key)
        if not anns:
            raise ValueError(f"task {key!r} has no answer to review")
        result = normalize_result(result, self.config, self.source.data(key, self.config.fields))
        if uid is not None and (done := self.reviews.seen(uid)):
            star = self.star(key)
            return (star.id if star else done[0].annotation_id), None
        equal = [a for a in anns if same_version(a.result, result)]
        before = self.star(key)
        made = None
        if equal:
            star_id = equal[0].id
        else:
            row, _, _ = self.store.save_annotation(key, self.reviewer, result, lead_time=lead_time, uid=uid,
                                                   fields_hash=fields_hash)
            star_id = made = row.id
        outcomes = [(a.id, a.updated_at, a.annotator, "accepted" if a in equal else "fixed") for a in anns]
        records = self.reviews.record(key, self.reviewer, outcomes, result=result, comment=None, reject_action=None,
                                      uid=uid)
        self.store.set_ground_truth(key, star_id)
        return star_id, ReviewAction(key, [r.id for r in records], before.id if before else None, star_id, made)

    def reject(self, key: str, comment: str, annotators: list[str] | None, *, uid: str | None
               ) -> tuple[int, ReviewAction | None]:
        """Reject the answers of `annotators` (None or empty: all) → (the first rejected annotation id, action)."""
        if uid is not None and (done := self.reviews.seen(uid)):
            return done[0].annotation_id, None
        anns = self.under_review(key)
        chosen = [a for a in anns if not annotators or a.annotator in annotators]
        if not chosen:
            who = ", ".join(map(repr, annotators or [])) or "anyone"
            raise ValueError(f"task {key!r} has no answer by {who} to reject")
        records = self.reviews.record(key, self.reviewer, [(a.id, a.updated_at, a.annotator, "rejected")
                                                           for a in chosen],
                                      result=None, comment=comment or None, reject_action=self.on_reject, uid=uid)
        star = self.star(key)
        action = ReviewAction(key, [r.id for r in records], star.id if star else None, star.id if star else None)
        if self.on_reject == "remove":
            for a in chosen:
                action.removed.append((a.id, a.snapshot()))
                self.store.restore(a.id, None)
        return chosen[0].id, action

    def undo(self, action: ReviewAction) -> None:
        """Take a review back whole."""
        self.reviews.withdraw(action.records)
        for annotation_id, snapshot in action.removed:
            self.store.restore(annotation_id, snapshot)
        if action.made is not None:
            self.store.restore(action.made, None)
        self.store.set_ground_truth(action.key, action.star_before if self._live(action.star_before) else None)

    def redo(self, action: ReviewAction) -> None:
        """Apply an undone review again."""
        self.reviews.withdraw(action.records, deleted=False)
        if action.made is not None:
            made = self.store.get(action.made)
            if made is not None:
                self.store.restore(action.made, {**made.snapshot(), "deleted": False})
        for annotation_id, _ in action.removed:
            self.store.restore(annotation_id, None)
        self.store.set_ground_truth(action.key, action.star_after if self._live(action.star_after) else None)

    def _live(self, annotation_id: int | None) -> bool:
        ann = None if annotation_id is None else self.store.get(annotation_id)
        return ann is not None and not ann.deleted

    # -- the annotator's side --------------------------------------------------------------------------------
    def returned(self, annotator: str) -> dict[str, Review]:
        """Tasks sent back to `annotator` (their answer rejected with requeue), with the rejection."""
        return self.reviews.returned(annotator)


def review_options(mode: str, **options) -> dict | None:
    """The `Labeler(mode=...)` settings the parts are built with: None to label, the review options to review."""
    if mode not in MODES:
        raise ValueError(f"mode={mode!r}: expected 'label' or 'review'")
    return None if mode == "label" else options


def note(rejection: Review) -> str:
    """What an annotator reads on a task sent back to them."""
    why = f": {rejection.comment}" if rejection.comment else ""
    return f"Rejected by {rejection.reviewer}{why} — correct your answer and submit it again."


def review_stats(reviews: Reviews, reviewer: str | None = None) -> pd.DataFrame:
    """Per annotator: reviewed, accepted, fixed, rejected, and the share accepted as given."""
    rows = [r for r in reviews.all() if reviewer is None or r.reviewer == reviewer]
    frame = pd.DataFrame([(r.annotator, r.outcome) for r in rows], columns=["annotator", "outcome"])
    counts = pd.crosstab(frame["annotator"], frame["outcome"]) if len(frame) else pd.DataFrame()
    out = pd.DataFrame(index=pd.Index(sorted(set(frame["annotator"])), name="annotator"))
    for outcome in ("accepted", "fixed", "rejected"):
        out[outcome] = counts[outcome] if outcome in counts else 0
    out = out.fillna(0).astype(int)
    out.insert(0, "reviewed", out.sum(axis=1))
    out["accepted_share"] = (out["accepted"] / out["reviewed"]).round(3) if len(out) else []
    return out

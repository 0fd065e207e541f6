"""A reviewer's decisions: accept (or fix and accept), reject, skip — and taking them back.

Rules:
- a submit in review mode accepts its result (`_review.Desk.accept`); with a rejection decision it rejects the
  named annotators' answers (`Desk.reject`); the store work is idempotent under the request id;
- a skip stores nothing: the task comes back after the others, as a skipped task does when labeling;
- the cursor hears a review as an answer, so back / undo / redo and the browser's flags work as they do when
  labeling; undo takes the whole review back and shows the task again with the version that was accepted.
"""

from __future__ import annotations

from typing import Any

from .._errors import QueueEmpty
from ._answers import Answers
from ._history import Action
from ._review import Desk, ReviewAction


class ReviewAnswers(Answers):
    """`Answers` for a reviewer."""

    desk: Desk

    def headless(self, key: str | None, result: list | None, *, cancelled: bool = False) -> dict:
        """`Labeler.submit` (accept `result`, None: the pre-filled consensus / ground truth) and `Labeler.skip`."""
        if key is None:
            raise QueueEmpty("nothing left to review")
        if cancelled:
            self.skip(key)
            return {"task": key, "outcome": "skipped"}
        if result is None:
            result, _ = self.serving.prefill(key)
        annotation_id = self.decide(key, result or [], None, lead_time=self.progress.lead_time(key), uid=None)
        return {"task": key, "outcome": "accepted", "ground_truth": annotation_id}

    def reject(self, key: str | None, comment: str, annotators: list[str] | None) -> dict:
        """`Labeler.reject` of the task on screen."""
        if key is None:
            raise QueueEmpty("nothing left to review")
        first = self.decide(key, [], ("reject", comment, list(annotators or [])),
                            lead_time=self.progress.lead_time(key), uid=None)
        return {"task": key, "outcome": "rejected", "annotation_id": first}

    def skip(self, key: str) -> None:
        self.cursor.queue.mark_done(key, True)
        self.progress.answered(key)
        self.changed(None, None)

    def decide(self, key: str, result: list, rejection: tuple[str, str, list[str]] | None, *,
               lead_time: float | None, uid: str | None, age_s: float | None = None) -> int:
        """Store one review of `key` (`rejection`: ("reject", comment, annotators) or None: accept `result`) → the
        annotation id the ack names (the ground truth, or the first rejected answer)."""
        self.serving.check(key)
        if rejection is not None:
            annotation_id, review = self.desk.reject(key, rejection[1], rejection[2], uid=uid)
        else:
            annotation_id, review = self.desk.accept(key, result, lead_time=lead_time, uid=uid,
                                                     fields_hash=self.serving.fields_hash(key))
        if review is not None:
            after = {"result": result, "was_cancelled": False, "review": review}
            self.cursor.answered(Action(key, annotation_id, None, after), False)
            self.progress.answered(key, age_s)
            self.changed(None, None)
        return annotation_id

    def from_browser(self, key: str, result: list | None, lead_time: float | None, uid: str,
                     age_s: float | None = None, review: Any = None) -> int:
        """A review (`result`, `review`) or skip (None) the browser sent → the annotation id its ack names."""
        if not self.source.has(key):
            raise KeyError(f"unknown task key {key!r}")
        if result is None:
            self.skip(key)
            return 0
        rejection = None if review is None else (review.action, review.comment, review.annotators)
        return self.decide(key, result, rejection, lead_time=lead_time, uid=uid, age_s=age_s)

    def undo(self) -> bool:
        """Take the last review back whole; its task comes first again."""
        def apply(action: Action) -> None:
            review: ReviewAction = action.after["review"]
            self.desk.undo(review)
        return self.cursor.undo(apply) is not None

    def redo(self) -> bool:
        """Apply the last undone review again."""
        return self.cursor.redo(lambda action: self.desk.redo(action.after["review"])) is not None

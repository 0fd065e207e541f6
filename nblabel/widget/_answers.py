"""Answers: storing one annotator's submits and skips, and taking them back (undo) or re-applying them (redo).

Rules:
- a result is validated against the config and the task (`results._validate.normalize_result`), then matched to the
  suggestion that was shown (origins, `parent_prediction`) before it is saved;
- the store decides whether an answer is new: a submit repeated with the same `uid` (a re-sent outbox entry)
  returns the stored annotation and changes nothing else;
- a new answer is heard, in this order, by the suggestions (a Learner learns, the log counts), the cursor (history,
  queue, focus) and the progress; undo and redo put the store back first and let the cursor follow.
"""

from __future__ import annotations

from collections.abc import Callable

from .._errors import QueueEmpty
from ..config._parse import Config
from ..results._validate import normalize_result, with_origins
from ..store._sqlite import Store
from ..suggest._view import SuggestionView
from ..tasks._ids import id_from_key, plain_id
from ..tasks._source import TaskSource
from . import _output
from ._cursor import Cursor
from ._history import Action
from ._progress import Progress
from ._serving import Serving


class Answers:
    """Commit, undo and redo for one session."""

    def __init__(self, config: Config, source: TaskSource, store: Store, annotator: str, email: str,
                 suggestions: SuggestionView, cursor: Cursor, progress: Progress, serving: Serving) -> None:
        self.config, self.source, self.store, self.annotator, self.email = config, source, store, annotator, email
        self.suggestions, self.cursor, self.progress, self.serving = suggestions, cursor, progress, serving
        # told of every change of the answers: (new annotation with its `task` id, or None; an undone annotation id)
        self.changed: Callable[[dict | None, int | None], None] = lambda annotation, withdrawn: None

    def headless(self, key: str | None, result: list | None, *, cancelled: bool = False) -> dict:
        """`Labeler.submit` (`result` None: accept the shown suggestion) and `Labeler.skip` of the task `key` on
        screen (None: nothing is left)."""
        if key is None:
            raise QueueEmpty("nothing left to skip" if cancelled else
                             f"nothing left to label: every task has an annotation by {self.annotator!r}")
        if cancelled:
            return self.commit(key, [], cancelled=True, lead_time=self.progress.lead_time(key))
        self.serving.check(key)
        if result is None:
            self.suggestions.show(key, wait=True)
            result, _ = self.serving.prefill(key)
            if result is None:
                raise ValueError(self.suggestions.missing(key))
        return self.commit(key, result, cancelled=False, lead_time=self.progress.lead_time(key))

    def commit(self, key: str, result: list, *, cancelled: bool, lead_time: float | None,
               uid: str | None = None, age_s: float | None = None) -> dict:
        """Store an answer for `key` (durable on return) → the Label Studio annotation dict."""
        if not cancelled:
            result = normalize_result(result, self.config, self.source.data(key, self.config.fields))
        shown, pid = self.suggestions.shown(key)
        if not cancelled:
            result = with_origins(result, shown["result"] if shown else None)
        pred_meta = {k: shown.get(k) for k in ("model_version", "score") if k in shown} if shown else None
        row, before, repeated = self.store.save_annotation(
            key, self.annotator, result, was_cancelled=cancelled, lead_time=lead_time,
            parent_prediction=pid if shown else None, prediction=pred_meta, uid=uid,
            fields_hash=self.serving.fields_hash(key))
        if not repeated:
            self.suggestions.answered(key, row.result, cancelled, shown, pid)
            self.cursor.answered(Action(key, row.id, before, row.snapshot()), cancelled)
            self.progress.answered(key, age_s)
        ann = _output.ls_annotation(row, self.email)
        if not repeated:
            self.changed({**ann, "task": plain_id(id_from_key(key))}, None)
        return ann

    def from_browser(self, key: str, result: list | None, lead_time: float | None, uid: str,
                     age_s: float | None = None, review: object = None) -> int:
        """A submit (`result`) or skip (None) the browser sent → the annotation id; KeyError for an unknown task."""
        if not self.source.has(key):
            raise KeyError(f"unknown task key {key!r}")
        if review is not None:
            raise ValueError("a review decision needs a Labeler in mode='review'")
        self.serving.check(key)  # an outbox replayed into a re-run cell: the task may hold other data now
        return self.commit(key, [] if result is None else result, cancelled=result is None, lead_time=lead_time,
                           uid=uid, age_s=age_s)["id"]

    def reject(self, key: str | None, comment: str, annotators: list[str] | None) -> dict:
        """Only a reviewer rejects."""
        raise RuntimeError("reject() needs a Labeler in mode='review'")

    def set_ground_truth(self, key: str, task_id: object, annotation_id: int | None) -> None:
        """Star an annotation of a task as its ground truth; None clears it."""
        if not self.source.has(key):
            raise KeyError(f"no task with id {task_id!r}")
        self.store.set_ground_truth(key, None if annotation_id is None else int(annotation_id))

    def undo(self) -> bool:
        """Withdraw the last answer (kept in the store, marked deleted); False when there is none."""
        def apply(action: Action) -> None:
            self.store.restore(action.annotation_id, action.before)
            self.suggestions.withdrawn(action.key, removed=action.created)
        action = self.cursor.undo(apply)
        if action is not None:
            self.changed(None, action.annotation_id)  # after the cursor moved: the counts are the new ones
        return action is not None

    def redo(self) -> bool:
        """Re-apply the last undone answer; False when there is none."""
        def apply(action: Action) -> None:
            self.store.restore(action.annotation_id, action.after)
            self.suggestions.restored(action.key, action.after["result"], action.after["was_cancelled"])
        action = self.cursor.redo(apply)
        if action is not None:
            self.changed(None, None)
        return action is not None

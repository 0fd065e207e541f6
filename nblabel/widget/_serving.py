"""Serving tasks to the annotator: checked on first serve, pre-filled, and packed for the browser.

Rules:
- the first serve of a task in a session checks its `$fields` exist and hashes them against the hash stored when
  the task was first served (a changed task raises `TaskChanged`); nothing hashes the whole source;
- a task shows, pre-filled, the annotator's live answer, else an answer they just withdrew (undo), else the shown
  suggestion; in review mode an undone review, else the task's ground truth or the consensus (`_review.Desk`),
  and the answers under review beside it;
- an answer sent back by a reviewer shows why (`review_note`) until it is answered again;
- the browser gets only the `$fields` the config uses, local media as markers, and never waits on a model: the
  window is packed from what the suggestion worker has ready.
"""

from __future__ import annotations

from ..config._parse import Config
from ..results._validate import strip_origins
from ..store._default import check_served
from ..store._sqlite import Annotation, Store
from ..suggest._view import SuggestionView
from ..tasks._ids import id_from_key, plain_id
from ..tasks._media import MediaError, MediaServer, fields_hash
from ..tasks._source import ListSource, TaskSource
from . import _protocol as proto
from ._cursor import Cursor
from ._progress import Progress
from ._review import Desk, note


def check_columns(config: Config, source: TaskSource) -> None:
    """The config's `$fields` exist in the data (a list of dicts: in its first task; each task is checked again
    when first served)."""
    if isinstance(source, ListSource):
        first = source.key_at(0)
        if first is not None:
            config.check_fields(source.raw_keys(first))
    else:
        config.check_fields(source.columns)


class Serving:
    """What the annotator's screen is given of each task, headless (`current`) or in the browser."""

    def __init__(self, config: Config, source: TaskSource, store: Store, media: MediaServer, annotator: str,
                 suggestions: SuggestionView, cursor: Cursor, progress: Progress, *, keys: dict, remote: str,
                 prefetch: int, view_token: str, desk: Desk, mode: str = "label", returned: dict | None = None) -> None:
        self.config, self.source, self.store, self.media, self.annotator = config, source, store, media, annotator
        self.suggestions, self.cursor, self.progress = suggestions, cursor, progress
        self.keys, self.remote, self.prefetch, self.view_token = keys, remote, prefetch, view_token
        self.desk, self.mode = desk, mode
        self.returned = returned or {}  # task key → the rejection that sent the annotator's answer back
        self._served: set[str] = set()
        self._intro: dict | None = None

    def check(self, key: str) -> None:
        """First serve of a task in this session: its `$fields` exist and did not change since first labeled."""
        if key in self._served:
            return
        if isinstance(self.source, ListSource):
            self.config.check_fields(self.source.raw_keys(key))
        check_served(self.store, self.source, self.config, key, self.fields_hash(key))
        self._served.add(key)

    def fields_hash(self, key: str) -> str:
        """The hash of the task's `$fields` the store keeps with each answer."""
        return fields_hash(self.source.data(key, self.config.fields))

    def prefill(self, key: str, wait: bool = False, under_review: list[Annotation] | None = None
                ) -> tuple[list | None, str | None]:
        """What the task shows pre-selected, and where it comes from ("annotation" / "prediction"; in review mode
        "annotation" for an undone review, "ground_truth" / "consensus"; `under_review`: the answers judged, when
        the caller read them already)."""
        if self.mode == "review":
            if key in self.cursor.withdrawn:
                return strip_origins(self.cursor.withdrawn[key]), "annotation"
            return self.desk.prefill(key, under_review)
        live = self.store.live(key, self.annotator)
        if live is not None and not live.was_cancelled:
            return strip_origins(live.result), "annotation"
        if key in self.cursor.withdrawn:
            return strip_origins(self.cursor.withdrawn[key]), "annotation"
        shown, _ = self.suggestions.shown(key, wait=wait)
        if shown is not None and not self.suggestions.is_hint(shown):
            return strip_origins(shown["result"]), "prediction"
        return None, None

    def current(self, key: str) -> dict:
        """Headless `current`: waits for the task's suggestion (at most the predictor's timeout)."""
        self.check(key)
        self.progress.seen(key)
        self.suggestions.settle()
        preds = self.suggestions.predictions(key, wait=True)
        self.suggestions.show(key, wait=True)
        self.suggestions.want(self.lookahead(key))
        return {"id": plain_id(id_from_key(key)), "data": self.source.data(key), "predictions": preds}

    def start(self) -> None:
        """Start the suggestion worker on the first tasks: by the time the browser says hello the first batch is
        usually ready (a score order computes its ranking when the first task is asked for)."""
        if self.suggestions.worker is not None and not self.cursor.queue.unscored:
            head = self.cursor.queue.head()
            if head is not None:
                self.suggestions.want(self.lookahead(head))

    def lookahead(self, key: str) -> list[str]:
        queue = self.cursor.queue
        return self.suggestions.lookahead(key, queue.window, queue.done)

    # -- the browser -----------------------------------------------------------------------------------------
    def intro(self) -> dict:
        """The part of every `state` that never changes: config tree, keys, the outbox's localStorage key, and what
        task HTML and config styles may load (`remote`)."""
        if self._intro is None:
            self._intro = {"config": self.config.to_json(), "keys": self.keys, "remote": self.remote,
                           "view_token": self.view_token, "mode": self.mode,
                           "outbox_key": f"nblabel-outbox:{self.store.id}:{self.annotator}"}
        return self._intro

    def payload(self, key: str) -> proto.Task:
        self.check(key)
        shown, pid = self.suggestions.show(key, wait=False)  # never wait on a model here: the worker runs ahead
        judged = self.desk.under_review(key) if self.mode == "review" else None  # read once for prefill and list
        prefill, origin = self.prefill(key, under_review=judged)
        live = self.store.live(key, self.annotator)
        data = self.media.markers(key, self.source.data(key, self.config.fields))  # local media → markers
        answers = None if judged is None else [proto.AnswerShown(**a) for a in self.desk.answers(key, judged)]
        return proto.Task(key=key, id=plain_id(id_from_key(key)), data=data, prefill=prefill, prefill_from=origin,
                          prediction=None if shown is None else _shown(shown, pid),
                          hint=strip_origins(shown["result"]) if self.suggestions.is_hint(shown) and not live else None,
                          refused=None if shown is not None else self.suggestions.refusal(key),
                          annotation_id=live.id if live else None,
                          skipped_before=bool(live and live.was_cancelled), answers=answers,
                          review_note=self._note(key, live))

    def _note(self, key: str, live) -> str | None:
        """Why the annotator sees this task again: their answer, as it is now, was rejected."""
        rejection = self.returned.get(key)
        if rejection is None or live is None or live.updated_at != rejection.annotation_version:
            return None
        return note(rejection)

    def window(self) -> list[proto.Task]:
        """The task on screen first, then the prefetched window in queue order."""
        current = self.cursor.key()
        keys = [] if current is None else [current]
        keys += [k for k in self.cursor.queue.fill(self.prefetch + 1) if k != current]
        keys = keys[: self.prefetch + 1]
        if keys:
            self.suggestions.want(self.lookahead(keys[0]))
        return [self.payload(k) for k in keys]

    def media_data(self, key: str) -> dict:
        """The media fields of a task, for a `media` request: only values the task holds are ever served."""
        if not self.source.has(key):
            raise MediaError(f"unknown task key {key!r}")
        return self.source.data(key, [f for f in self.config.fields if f in self.media.fields])

    def status(self) -> proto.Status:
        can_undo, can_redo, can_back = self.cursor.flags()
        panel = self.suggestions.panel()
        return proto.Status(progress=proto.Progress(**self.progress.counts()), can_undo=can_undo,
                            can_redo=can_redo, can_back=can_back, notice=self.suggestions.error,
                            suggest=None if panel is None else proto.Panel(**panel))


def _shown(shown: dict, pid: int | None) -> proto.Shown:
    version, score = shown.get("model_version"), shown.get("score")
    return proto.Shown(id=pid, model_version=None if version is None else str(version),
                       score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None)

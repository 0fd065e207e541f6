"""What one annotator's session was shown of the suggestions: the suggestion per task, scores, accepted vs corrected.

Rules:
- the suggestion shown for a task is fixed once the annotator saw it (until it is answered), so origins and
  `parent_prediction` match what was on screen even if the model changed meanwhile;
- the browser path never waits on a model: a task sent before its suggestion was computed is remembered as *bare*,
  and when the worker reports it ready the Labeler pushes a new `state`;
- the queue's score orders rank by the shown suggestion's `score`; with a `Learner` the token that tells the queue
  to re-rank is the model version;
- every answer is logged (`SuggestionLog`) for `suggestion_stats()` and the live panel; a Learner hears it too;
- when the model version changes, tasks sent ahead to the browser (not those on screen) are un-fixed and computed
  again, so they show the new model's suggestion; the worker asks without blocking on the Labeler's lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from ..config._parse import Config
from ..store._sqlite import Store
from ..tasks._ids import id_from_key, plain_id
from ..tasks._source import ListSource, TaskSource
from ._options import Suggest
from ._shown import Suggestions, prediction_digest
from ._stats import SuggestionLog

SCORE_ORDERS = ("uncertain", "confident")


def task_dict(source: TaskSource, key: str) -> dict:
    """The task as predictors get it: `{"id", "data"}` (code-point offsets)."""
    return {"id": plain_id(id_from_key(key)), "data": source.data(key)}


def has_task_predictions(source: TaskSource) -> bool:
    """Whether tasks of a list source carry their own predictions (Label Studio tasks)."""
    return isinstance(source, ListSource) and any(extras.get("predictions") for _, _, extras in source.loaded())


class SuggestionView:
    """The suggestions of one session: `Suggestions` plus what was shown and what became of it."""

    def __init__(self, suggestions: Suggestions, store: Store, source: TaskSource, annotator: str,
                 task_of: Callable[[str], dict], has_predictor: bool) -> None:
        self.suggestions = suggestions
        self.store, self.source, self.annotator, self.task_of = store, source, annotator, task_of
        self.has_predictor = has_predictor
        self.log = SuggestionLog()
        self._shown: dict[str, tuple[dict | None, int | None]] = {}  # fixed once seen, per task key
        self._bare: set[str] = set()  # sent to the browser before their suggestion was ready
        self._closed = False

    @classmethod
    def build(cls, suggest: Suggest, config: Config, data: Any, source: TaskSource, store: Store, annotator: str, *,
              on_ready: Callable[[list[str]], None], on_version: Callable[[], bool]) -> SuggestionView:
        """The view over the suggestions `suggest` describes (`on_ready` / `on_version`: the worker's callbacks)."""
        task_of = partial(task_dict, source)
        suggestions = Suggestions(suggest.predictor, config, data, suggest.threshold,
                                  ids=getattr(source, "index", None), task_of=task_of, timeout=suggest.timeout,
                                  batch_size=suggest.batch, labels=suggest.labels, hint_below=suggest.hint_below,
                                  on_ready=on_ready, on_version=on_version)
        return cls(suggestions, store, source, annotator, task_of, has_predictor=suggest.predictor is not None)

    def queue_hooks(self, order: str) -> dict:
        """The queue's hooks for `order`: a score order ranks by the shown suggestion's score, and re-ranks when
        a Learner's model version changes."""
        scored = order in SCORE_ORDERS
        if scored and not self.has_predictor and not has_task_predictions(self.source):
            raise ValueError(f"order={order!r} needs a predictor with scores (predictor= or task predictions)")
        return {"score": self.score if scored else None,
                "score_many": self.score_many if self.worker is not None else None,
                "rescore": self.rescore_token if self.suggestions.learner is not None else None}

    @property
    def error(self) -> str | None:
        """The predictor's last failure (shown as a notice), or None."""
        return self.suggestions.error

    @property
    def worker(self):
        return self.suggestions.worker

    # -- what a task shows -----------------------------------------------------------------------------------
    def predictions(self, key: str, wait: bool = False) -> list[dict]:
        """Predictions of a task; `wait=False` takes only what the background worker has ready (never blocks)."""
        return self.suggestions.for_task(key, self.source.extras(key), partial(self.task_of, key), wait=wait)

    def shown(self, key: str, wait: bool = False) -> tuple[dict | None, int | None]:
        """The suggestion shown for `key` and its stored prediction id: the fixed one once the annotator saw it."""
        if key in self._shown:
            return self._shown[key]
        best = self.suggestions.shown(self.predictions(key, wait=wait))
        if best is None:
            return None, None
        pid = best.get("id") if isinstance(best.get("id"), int) else self.store.prediction_id(
            key, prediction_digest(key, best))
        return best, pid

    def show(self, key: str, wait: bool) -> tuple[dict | None, int | None]:
        """Fix what the annotator is shown for `key` (a newer model version may not change it under their eyes)."""
        if key not in self._shown:
            shown = self.shown(key, wait=wait)
            if shown[0] is None and not wait and not self.suggestions.ready(key):
                self._bare.add(key)  # the worker will tell us when it is computed
                return shown
            self._shown[key] = shown
            self._bare.discard(key)
        return self._shown[key]

    def is_hint(self, shown: dict | None) -> bool:
        """A low-scored Choices suggestion: named beside the options, never pre-selected (`hint_below`)."""
        return self.suggestions.is_hint(shown)

    def refusal(self, key: str) -> str | None:
        """Why the task's suggestion is not shown although it has one (its items break the config), or None."""
        return self.suggestions.refusal(self.predictions(key))

    def missing(self, key: str) -> str:
        """The error of a headless `submit()` without a result when no suggestion can be accepted."""
        return self.suggestions.missing(self.predictions(key))

    def loading(self, scoring: int) -> str | None:
        """What the widget says while it waits for the first state (`scoring`: tasks a score order must rank)."""
        return self.suggestions.loading(scoring=scoring)

    def version_changed(self, lock: threading.RLock, on_screen: Callable[[], set]) -> bool:
        """Worker thread: the model version changed; tasks sent ahead get the new model's suggestion, the tasks
        `on_screen` keep theirs. False: `lock` is busy (a cell may hold it while it waits on the worker): ask again."""
        if not lock.acquire(blocking=False):
            return False
        try:
            if not self._closed:
                self.suggestions.refresh_shown(self._shown, self._bare, keep=on_screen())
        finally:
            lock.release()
        return True

    def any_bare(self, keys: Iterable[str]) -> bool:
        """Whether one of `keys` (just computed) went to the browser without its suggestion."""
        return not self._bare.isdisjoint(keys)

    # -- the queue's score orders ----------------------------------------------------------------------------
    def score(self, key: str) -> float | None:
        best = self.suggestions.shown(self.predictions(key, wait=True))
        return None if best is None or best.get("score") is None else float(best["score"])

    def score_many(self, keys: list[str]) -> list[float | None]:
        self.suggestions.compute(keys)
        return [self.score(k) for k in keys]

    def rescore_token(self) -> Any:
        return self.suggestions.model_version

    # -- the worker ------------------------------------------------------------------------------------------
    def lookahead(self, key: str, window: list[str], done: set[str]) -> list[str]:
        """Tasks after `key` the worker may compute ahead: the leased window, then source order past it."""
        worker = self.suggestions.worker
        if worker is None:
            return []
        window = [k for k in window if k != key]
        pos = self.source.position(window[-1] if window else key)
        ahead = []
        if pos is not None:
            for p in range(pos + 1, pos + 1 + worker.batch_size * 2):
                k = self.source.key_at(p)
                if k is None:
                    break
                if k not in done:
                    ahead.append(k)
        return window + ahead

    def want(self, keys: list[str]) -> None:
        self.suggestions.want(keys)

    def settle(self) -> None:
        """A due retrain finishes first (headless `current`: simulations are deterministic)."""
        self.suggestions.settle()

    def warm_up(self, key: str | None, budget: float = 0.5) -> None:
        """Give the worker a moment for the task about to be painted: a task painted without its suggestion would
        keep an empty draft when the suggestion arrives."""
        worker = self.suggestions.worker
        if worker is not None and key is not None and not self.suggestions.ready(key):
            worker.get(key, wait=True, timeout=min(budget, worker.timeout))

    # -- answers ---------------------------------------------------------------------------------------------
    def answered(self, key: str, result: list[dict], cancelled: bool, shown: dict | None, pid: int | None) -> None:
        """A new answer was stored for `key` (not a repeated submit)."""
        if not cancelled:
            self.suggestions.observe(key, partial(self.task_of, key), result)
            self.log.record(key, result, shown, pid)
        else:
            self.suggestions.forget(key)
        self._shown.pop(key, None)

    def withdrawn(self, key: str, *, removed: bool) -> None:
        """An answer was undone; `removed`: the task has no answer any more (not an edit put back)."""
        self.log.withdraw(key)
        if removed:
            self.suggestions.forget(key)

    def restored(self, key: str, result: list[dict], cancelled: bool) -> None:
        """An undone answer was re-applied (redo)."""
        if not cancelled:
            self.suggestions.observe(key, partial(self.task_of, key), result)

    def resume(self) -> None:
        """A Labeler on a store with answers (a re-run, a resumed session): a Learner starts from them, and the log
        holds the answers that had a suggestion."""
        if self.suggestions.learner is not None:
            for key, cancelled in self.store.live_status(self.annotator).items():
                if not cancelled and self.source.has(key):
                    live = self.store.live(key, self.annotator)
                    if live is not None:
                        self.suggestions.observe(key, partial(self.task_of, key), live.result)
        if self.has_predictor:
            self.log.resume(a for a in self.store.iter_live() if a.annotator == self.annotator)

    def panel(self) -> dict | None:
        """Data for the live suggestion panel (None without a predictor)."""
        if not self.has_predictor:
            return None
        return {**self.log.panel(), "model_version": self.suggestions.model_version, "error": self.suggestions.error}

    def close(self) -> None:
        self._closed = True
        self.suggestions.close()

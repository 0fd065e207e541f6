"""What one annotator's session was shown of the suggestions: the suggestion per task, scores, accepted vs corrected.

Rules:
- the suggestion shown for a task is fixed once the annotator saw it (until it is answered), so origins and
  `parent_prediction` match what was on screen even if the model changed meanwhile;
- the browser path never waits on a model: a task sent before its suggestion was computed is remembered as *bare*,
  and when the worker reports it ready the Labeler pushes a new `state`;
- the queue's score orders rank by the shown suggestion's `score`; with a `Learner` the token that tells the queue
  to re-rank is the model version;
- every answer is logged (`SuggestionLog`) for `suggestion_stats()` and the live panel; a Learner hears it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from ..store._sqlite import Store
from ..tasks._source import ListSource, TaskSource
from ._shown import Suggestions, prediction_digest
from ._stats import SuggestionLog


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
        self.suggestions.close()

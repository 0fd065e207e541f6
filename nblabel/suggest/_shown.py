"""Suggestions: the predictions a task carries, and the one the annotator is shown.

Rules:
- every source (Label Studio task predictions, a column, a Series, a callable, a transformers pipeline, an ML
  backend URL, a `Learner`) is normalised to Label Studio prediction dicts `{"result", "score", "model_version"}`
  (`suggest/_sources.py`), so the labeling loop sees one shape only;
- columns and Series are looked up directly (cheap); anything that runs a model goes through the background
  `Worker` (`suggest/_worker.py`): batches ahead of the annotator, cached per task and model version, a
  timeout, and failures turned into a message instead of an exception;
- a `Learner` also hears every answer (`observe` / `forget`).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Callable

import pandas as pd

from ..config._parse import Config
from ..tasks._ids import id_from_key
from ._learner import Learner
from ._ml_backend import MLBackend
from ._pipelines import PipelinePredictor, is_pipeline
from ._sources import RefusedPrediction, as_prediction_list, checked_prediction
from ._sources import to_prediction as simple_prediction  # noqa: F401 (re-export)
from ._worker import Worker

_URL = re.compile(r"^https?://")
# A choice suggestion scored below this is a hint beside the options, not a selection: near a coin flip,
# pre-selecting invites accepting it unread.
HINT_BELOW = 0.6


def make_batch_predictor(predictor: Any, config: Config, *, labels: dict | None = None,
                         batch_size: int = 32) -> Callable[[list[dict]], list] | None:
    """A callable `tasks -> one value per task` for anything that runs a model (None for columns/Series)."""
    if isinstance(predictor, str) and _URL.match(predictor):
        return MLBackend(predictor, config)
    if isinstance(predictor, Learner):
        return predictor.bind(config)
    if is_pipeline(predictor):
        return PipelinePredictor(predictor, config, labels=labels, batch_size=batch_size)
    if isinstance(predictor, (MLBackend, PipelinePredictor)):
        return predictor
    if callable(predictor) and not isinstance(predictor, (str, pd.Series)):
        return predictor
    return None


class Suggestions:
    """Predictions per task key, from the task itself and the `predictor=` argument."""

    def __init__(self, predictor: Any, config: Config, data: Any, threshold: float | None = None,
                 ids: pd.Index | None = None, *, task_of: Callable[[str], dict] | None = None,
                 timeout: float = 30.0, batch_size: int = 16, labels: dict | None = None,
                 on_ready: Callable[[list[str]], None] | None = None, hint_below: float | None = HINT_BELOW,
                 on_version: Callable[[], bool] | None = None) -> None:
        self.config, self.threshold, self.hint_below = config, threshold, hint_below
        self._column: pd.Series | None = None
        self.worker = None
        self.learner = None
        self._predict = None
        if predictor is None:
            return
        batch = make_batch_predictor(predictor, config, labels=labels, batch_size=batch_size)
        if batch is not None:
            self._predict = batch
            self.learner = batch if isinstance(batch, Learner) else None
            self.worker = Worker(batch, lambda: getattr(batch, "model_version", None), task_of,
                                 lambda value, task: as_prediction_list(value, config, task),
                                 batch_size=batch_size, timeout=timeout, on_ready=on_ready, on_version=on_version)
        elif isinstance(predictor, str):
            if not isinstance(data, pd.DataFrame) or predictor not in data.columns:
                raise ValueError(f"predictor={predictor!r} is not a column of the data")
            # a column belongs to its row: index it by task id (which may come from id_column=)
            self._column = pd.Series(data[predictor].to_numpy(), index=ids if ids is not None else data.index)
        elif isinstance(predictor, pd.Series):
            self._column = predictor
        else:
            raise TypeError("predictor= must be a column name, a Series, a callable, a transformers pipeline, "
                            f"an ML backend URL or an nblabel.Learner, not {type(predictor).__name__}")

    @property
    def error(self) -> str | None:
        if self.learner is not None and self.learner.error:
            return self.learner.error
        return self.worker.error if self.worker is not None else None

    @property
    def model_version(self) -> str | None:
        return getattr(self._predict, "model_version", None) if self._predict is not None else None

    def for_task(self, key: str, task_extras: dict, task: Callable[[], dict] | None = None,
                 wait: bool = True) -> list[dict]:
        """All predictions of a task (from the task first, then the predictor), normalised."""
        preds = [p for p in task_extras.get("predictions", []) if isinstance(p, dict) and "result" in p]
        if preds:  # Label Studio task predictions: ids and checks as for a predictor's (see _sources.py)
            data = task()["data"] if task is not None else None
            preds = [checked_prediction(p, self.config, data) for p in preds]
        if self._column is not None:
            try:
                value = self._column.loc[id_from_key(key)]
            except (KeyError, TypeError):
                value = None
            preds += as_prediction_list(value, self.config, task() if task is not None else None)
        elif self.worker is not None:
            preds += self.worker.get(key, wait=wait) or []
        return preds

    def loading(self, scoring: int | None = None) -> str | None:
        """What the widget says while it waits for the first state (None: nothing slow is pending).

        `scoring`: the number of tasks an uncertainty order must score before the first task (0: none)."""
        status = getattr(self.learner, "status", None)
        steps = [status.rstrip("…")] if status else []
        if scoring:
            steps.append(f"scoring {scoring:,} tasks to put the least certain first")
        if not steps:
            return None
        text = ", then ".join(steps) + "…"
        return text[0].upper() + text[1:]

    def refresh_shown(self, shown: dict[str, tuple[dict | None, Any]], bare: set[str], keep: set) -> list[str]:
        """The model version changed: un-fix the suggestion of every task in `shown` but those on screen (`keep`)
        when it came from another version or there was none, so the browser's prefetched tasks get the new model's.
        They join `bare` (the owner pushes them again once computed) and are computed now; returns them."""
        version = self.model_version
        stale = [k for k, (pred, _) in shown.items()
                 if k not in keep and (pred is None or pred.get("model_version") != version)]
        for key in stale:
            del shown[key]
            bare.add(key)
        self.want(stale)
        return stale

    def ready(self, key: str) -> bool:
        """Whether the predictor already answered for this task (columns always have)."""
        return self.worker is None or self.worker.has(key)

    def want(self, keys: list[str]) -> None:
        if self.worker is not None:
            self.worker.want(keys)

    def compute(self, keys: list[str]) -> None:
        if self.worker is not None:
            self.worker.compute(keys)

    def observe(self, key: str, task: Callable[[], dict], result: list[dict]) -> None:
        if self.learner is not None:
            self.learner.observe(key, task(), result)

    def forget(self, key: str) -> None:
        if self.learner is not None:
            self.learner.forget(key)

    def settle(self) -> None:
        if self.learner is not None:
            self.learner.settle()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()

    def column_predictions(self, index) -> list[list[dict]] | None:
        """Predictions for every row of a frame at once (None when they must come task by task)."""
        if self.worker is not None:
            return None
        if self._column is None:
            return [[] for _ in range(len(index))]
        aligned = self._column.reindex(index)
        return [as_prediction_list(v, self.config) for v in aligned.tolist()]

    def shown(self, preds: list[dict]) -> dict | None:
        """The one prediction shown: the newest (`created_at`), then the highest score, then the first listed.

        None when there is none, when its score is below `threshold`, or when it was refused (its items break the
        config's rules: see `refusal`).
        """
        best = _best(preds)
        if best is None or isinstance(best, RefusedPrediction):
            return None
        if self.threshold is not None and _score(best) < self.threshold:
            return None
        return best

    def is_hint(self, pred: dict | None) -> bool:
        """Whether the shown `pred` is only a hint: a Choices-only suggestion whose `score` is below `hint_below`.

        Region suggestions (spans, boxes) stay drawn whatever their score: each region is visibly a proposal, with
        its own score in the region list, and drawing them is most of the work a suggestion saves."""
        if pred is None or self.hint_below is None or pred.get("score") is None:
            return False
        items = pred.get("result") or []
        return bool(items) and all(isinstance(i, dict) and i.get("type") == "choices" for i in items) \
            and _score(pred) < self.hint_below

    def refusal(self, preds: list[dict]) -> str | None:
        """Why the suggestion of a task is not shown although it has one (None: shown, or there is none)."""
        best = _best(preds)
        return best.reason if isinstance(best, RefusedPrediction) else None

    def missing(self, preds: list[dict]) -> str:
        """The message of a headless `submit()` with no result when no suggestion can be accepted."""
        why = self.refusal(preds)
        hint = self.shown(preds)
        if why is None and hint is not None and self.is_hint(hint):
            why = (f"the suggestion is only a hint (score {_score(hint):.2f} < hint_below={self.hint_below:g}): "
                   "it is shown beside the options, not selected")
        return ("no suggestion to accept for this task" + (f" ({why})" if why else "") + ": pass a result list, "
                "e.g. lab.submit([{'from_name': ..., 'to_name': ..., 'type': ..., 'value': ...}])")


def _best(preds: list[dict]) -> dict | None:
    if not preds:
        return None
    ranked = sorted(enumerate(preds), key=lambda ip: (str(ip[1].get("created_at") or ""),
                                                      _score(ip[1]), -ip[0]), reverse=True)
    return ranked[0][1]


def _score(pred: dict) -> float:
    try:
        return float(pred.get("score")) if pred.get("score") is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def prediction_digest(key: str, pred: dict) -> str:
    """A stable digest of one prediction of one task (for its integer id in the store)."""
    body = json.dumps([key, pred.get("model_version"), pred.get("result")], sort_keys=True, default=str)
    return hashlib.sha1(body.encode()).hexdigest()

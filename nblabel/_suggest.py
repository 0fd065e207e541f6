"""Suggestions: the predictions a task carries, and the one the annotator is shown.

Rule: every source (Label Studio task predictions, a column, a Series, a callable) is normalised to Label Studio
prediction dicts `{"result", "score", "model_version"}` here, so the labeling loop sees one shape only.
The learning loop, ML backends and transformers pipelines build on this (a later issue).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Callable

import pandas as pd

from ._config import Config
from ._results import region_id
from ._task_ids import id_from_key

_URL = re.compile(r"^https?://")


def simple_prediction(value: Any, config: Config) -> dict | None:
    """A prediction dict from a full prediction, a result list, or a plain label (optionally `(label, score)`)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dict) and "result" in value:
        return dict(value)
    if isinstance(value, list) and all(isinstance(v, dict) for v in value) and value:
        return {"result": list(value)}
    score = None
    if isinstance(value, tuple) and len(value) == 2:
        value, score = value
    control = next(iter(config.controls.values()), None)
    if control is None:
        return None
    payload = {"choices": [value]} if control.type == "choices" else \
        {"text": [str(value)]} if control.type == "textarea" else {control.type: value}
    pred = {"result": [{"id": region_id(), "from_name": control.name, "to_name": control.to_name[0],
                        "type": control.type, "value": payload}]}
    if score is not None:
        pred["score"] = float(score)
    return pred


def as_prediction_list(value: Any, config: Config) -> list[dict]:
    if isinstance(value, list) and value and all(isinstance(v, dict) and "result" in v for v in value):
        return [dict(v) for v in value]
    pred = simple_prediction(value, config)
    return [pred] if pred else []


class Suggestions:
    """Predictions per task key, from the task itself and the `predictor=` argument."""

    def __init__(self, predictor: Any, config: Config, data: Any, threshold: float | None = None,
                 ids: pd.Index | None = None) -> None:
        self.config, self.threshold = config, threshold
        self._column: pd.Series | None = None
        self._callable: Callable | None = None
        self.error: str | None = None
        self._cache: dict[str, list[dict]] = {}  # callable predictions per task key: a model runs once per task
        if predictor is None:
            return
        if isinstance(predictor, str):
            if _URL.match(predictor):
                raise NotImplementedError("Label Studio ML backends (predictor='http…') are not supported yet")
            if not isinstance(data, pd.DataFrame) or predictor not in data.columns:
                raise ValueError(f"predictor={predictor!r} is not a column of the data")
            # a column belongs to its row: index it by task id (which may come from id_column=)
            self._column = pd.Series(data[predictor].to_numpy(), index=ids if ids is not None else data.index)
        elif isinstance(predictor, pd.Series):
            self._column = predictor
        elif callable(predictor):
            self._callable = predictor
        else:
            raise TypeError(f"predictor= must be a column name, a Series or a callable, not {type(predictor).__name__}")

    def for_task(self, key: str, task_extras: dict, task: Callable[[], dict]) -> list[dict]:
        """All predictions of a task (from the task first, then the predictor), normalised."""
        preds = [p for p in task_extras.get("predictions", []) if isinstance(p, dict) and "result" in p]
        if self._column is not None:
            try:
                value = self._column.loc[id_from_key(key)]
            except (KeyError, TypeError):
                value = None
            preds += as_prediction_list(value, self.config)
        elif self._callable is not None:
            if key not in self._cache:
                try:
                    out = self._callable([task()])
                    self._cache[key] = as_prediction_list(out[0] if isinstance(out, (list, tuple)) else out,
                                                          self.config)
                    self.error = None
                except Exception as exc:  # a broken model must not stop labeling
                    self.error = f"predictor failed: {type(exc).__name__}: {exc}"
                    return preds
            preds += self._cache[key]
        return preds

    def column_predictions(self, index) -> list[list[dict]] | None:
        """Predictions for every row of a frame at once (None when they must come task by task)."""
        if self._callable is not None:
            return None
        if self._column is None:
            return [[] for _ in range(len(index))]
        aligned = self._column.reindex(index)
        return [as_prediction_list(v, self.config) for v in aligned.tolist()]

    def shown(self, preds: list[dict]) -> dict | None:
        """`predictions[0]` by MISSION's rule: newest model version, then highest score; hidden below threshold."""
        if not preds:
            return None
        ranked = sorted(enumerate(preds), key=lambda ip: (str(ip[1].get("created_at") or ""),
                                                          _score(ip[1]), -ip[0]), reverse=True)
        best = ranked[0][1]
        if self.threshold is not None and _score(best) < self.threshold:
            return None
        return best


def _score(pred: dict) -> float:
    try:
        return float(pred.get("score")) if pred.get("score") is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def digest(key: str, pred: dict) -> str:
    """A stable digest of one prediction of one task (for its integer id in the store)."""
    body = json.dumps([key, pred.get("model_version"), pred.get("result")], sort_keys=True, default=str)
    return hashlib.sha1(body.encode()).hexdigest()

"""`nblabel.prelabel(data, config, predictor)`: one Label Studio prediction per task, no widget.

Rules:
- a pipeline or a Learner gets the whole data in one call and runs its model in batches of `batch_size` over
  the inputs sorted by length (so padding stays small), which is what makes it faster than calling the model
  task by task; any other predictor is called in batches of `batch_size` tasks;
- the answer is a pandas Series aligned with the data (index = task ids); a task without a suggestion is None;
- a predictor that raises raises here: batch pre-labeling is a script, not an interactive session.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..config._parse import Config, parse_config
from ..tasks._ids import id_from_key, plain_id
from ..tasks._source import make_source
from . import _direct, _ray
from ._learner import Learner
from ._pipelines import PipelinePredictor
from ._shown import make_batch_predictor
from ._sources import as_prediction_list


def prelabel(data: Any, config: str | Config, predictor: Any, *, batch_size: int = _direct.BATCH_SIZE,
             labels: dict[str, str] | None = None, id_column: str | None = None, engine: str = "local",
             concurrency: int | None = None) -> Any:
    """Predictions for every task: a Series of LS prediction dicts (or None), aligned with `data`.

    `engine="ray"` runs the model in Ray actors (`concurrency` of them, default 1): give `predictor` as a
    zero-argument factory so each actor loads the model once; `data` may then also be a `ray.data.Dataset`
    (the answer is that Dataset with a `predictions` column of JSON text). A `Learner` embeds on Ray and
    predicts here.
    """
    cfg = config if isinstance(config, Config) else parse_config(config)
    if engine not in ("local", "ray"):
        raise ValueError(f'engine={engine!r}: use "local" (this process) or "ray"')
    if engine == "ray":
        if not isinstance(predictor, Learner):
            return _ray.prelabel(data, cfg, predictor, batch_size=batch_size, labels=labels, id_column=id_column,
                                 concurrency=concurrency)
        # A Learner's embeddings are computed on Ray; its head is tiny and predicts here, from those vectors.
        _ray.embed_tasks(data, cfg, predictor, batch_size=batch_size, id_column=id_column, concurrency=concurrency)
    source = make_source(data, id_column)
    if isinstance(predictor, str) and not predictor.startswith(("http://", "https://")):
        if not isinstance(data, pd.DataFrame):
            raise ValueError(f"predictor={predictor!r} names a column, but the data is not a DataFrame")
        predict = None
        column = data[predictor]
    elif isinstance(predictor, pd.Series):
        predict, column = None, predictor
    else:
        predict = make_batch_predictor(predictor, cfg, labels=labels, batch_size=batch_size)
        if predict is None:
            raise TypeError(f"cannot pre-label with {type(predictor).__name__}")
    keys = list(source.iter_keys())
    ids = [plain_id(id_from_key(k)) for k in keys]
    index = data.index if isinstance(data, pd.DataFrame) and id_column is None else \
        pd.Index(ids, tupleize_cols=False)
    out: list[dict | None] = []
    if predict is None:
        values = column.reindex(index).tolist() if isinstance(column, pd.Series) else list(column)
        for key, value in zip(keys, values):
            preds = as_prediction_list(value, cfg, {"data": source.data(key)})
            out.append(preds[0] if preds else None)
    else:
        # a pipeline or a Learner batches on the model itself, over the whole input sorted by length: hand it
        # everything at once (cutting first would sort, and pad, each cut on its own)
        step = max(len(keys), 1) if isinstance(predict, (PipelinePredictor, Learner)) else batch_size
        for i in range(0, len(keys), step):
            chunk = keys[i:i + step]
            tasks = [{"id": plain_id(id_from_key(k)), "data": source.data(k)} for k in chunk]
            raw = predict(tasks)
            if len(raw) != len(tasks):
                raise ValueError(f"the predictor returned {len(raw)} predictions for {len(tasks)} tasks")
            for value, task in zip(raw, tasks):
                preds = as_prediction_list(value, cfg, task)
                out.append(preds[0] if preds else None)
    return pd.Series(out, index=index, dtype=object, name="predictions")

"""Pre-labeling on Ray: `prelabel(..., engine="ray")` runs the model in Ray Data actors.

Rules:
- a model is loaded once per actor, never pickled with its weights: pass a zero-argument *factory*
  (`lambda: pipeline("text-classification", model=path)`); a transformers pipeline given as the object itself is
  refused with that advice. A plain batch callable (`tasks -> values`) is shipped to the actors as it is.
- only the config's `$fields` travel to the cluster (one narrow pandas frame, plus each row's position), and the
  answers come back in input order: the same Series the in-process path returns, region ids aside (fresh per call).
- a `ray.data.Dataset` in gives a Dataset out: its rows plus a `predictions` column holding each prediction as
  JSON text (Arrow cannot hold Label Studio's free-form result dicts without inventing null keys).
- a `Learner` computes its embeddings on the actors (each loads the encoder from its folder once) and predicts
  in-process from those vectors: its head is tiny and lives in this process.
- Ray is started on first use (`ray.init()` without the dashboard) unless the caller started it.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np
import orjson
import pandas as pd

from ..config._parse import Config, parse_config
from ..tasks._ids import id_from_key, plain_id
from ..tasks._source import make_source
from ._learner import Learner, _make_encoder, normalise_rows
from ._pipelines import PipelinePredictor, is_pipeline
from ._shown import make_batch_predictor
from ._sources import as_prediction_list

_POS = "__nblabel_pos"


def is_factory(predictor: Any) -> bool:
    """A callable that takes no arguments: it builds the predictor (on each actor)."""
    if not callable(predictor) or isinstance(predictor, type):
        return False
    try:
        params = inspect.signature(predictor).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


def _ray():
    try:
        import ray
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('engine="ray" needs Ray: pip install "nblabel[ray]"') from None
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    return ray


class _Predict:
    """One Ray actor: builds the predictor once, then answers batches of rows."""

    def __init__(self, make: Callable[[], Any], xml: str, labels: dict | None, batch_size: int,
                 fields: tuple[str, ...]) -> None:
        self.config = parse_config(xml)
        self.fields = fields
        self.predict = make_batch_predictor(make(), self.config, labels=labels, batch_size=batch_size)
        if self.predict is None:
            raise TypeError("the factory did not return a predictor nblabel can run")

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        columns = {f: batch[f].tolist() for f in self.fields if f in batch.columns}
        ids = batch["id"].tolist() if "id" in batch.columns else [None] * len(batch)
        tasks = [{"id": i, "data": {f: v[n] for f, v in columns.items()}} for n, i in enumerate(ids)]
        raw = self.predict(tasks)
        if len(raw) != len(tasks):
            raise ValueError(f"the predictor returned {len(raw)} predictions for {len(tasks)} tasks")
        out = []
        for value, task in zip(raw, tasks):
            preds = as_prediction_list(value, self.config, task)
            out.append(orjson.dumps(preds[0], option=orjson.OPT_SERIALIZE_NUMPY).decode() if preds else None)
        return batch.assign(predictions=out)


def _maker(predictor: Any) -> Callable[[], Any]:
    """What each actor calls once to get its predictor."""
    if is_pipeline(predictor) or isinstance(predictor, PipelinePredictor):
        raise TypeError('engine="ray" loads the model once per actor: pass a factory instead of the pipeline, '
                        'e.g. prelabel(df, config, lambda: pipeline("text-classification", model=path), engine="ray")')
    if isinstance(predictor, Learner):
        raise TypeError("a Learner predicts in-process from embeddings computed on Ray (see embed_tasks)")
    if is_factory(predictor):
        return predictor
    if isinstance(predictor, str) and not predictor.startswith(("http://", "https://")):
        raise ValueError(f'predictor={predictor!r} names a column: a column runs no model, use engine="local"')
    if callable(predictor) or isinstance(predictor, str):  # a batch callable, or an ML backend's URL
        return lambda: predictor
    raise TypeError(f"cannot pre-label with {type(predictor).__name__} on Ray")


def prelabel(data: Any, config: Config, predictor: Any, *, batch_size: int, labels: dict | None,
             id_column: str | None, concurrency: int | None) -> Any:
    """`prelabel` on Ray: a Series for a DataFrame or task list, a Dataset for a `ray.data.Dataset`. A `Learner`
    is not run here: `embed_tasks` computes its embeddings, then it predicts in-process."""
    make = _maker(predictor)
    ray = _ray()

    def mapped(ds: Any) -> Any:
        return ds.map_batches(_Predict, fn_constructor_kwargs=dict(make=make, xml=config.xml, labels=labels,
                              batch_size=batch_size, fields=config.fields), batch_size=batch_size,
                              batch_format="pandas", compute=ray.data.ActorPoolStrategy(size=concurrency or 1))

    if isinstance(data, ray.data.Dataset):
        return mapped(data)
    frame, index = _narrow(data, config, id_column)
    ds = mapped(ray.data.from_pandas(frame))
    answers = ds.select_columns([_POS, "predictions"]).to_pandas()
    order = np.argsort(answers[_POS].to_numpy(), kind="stable")
    texts = answers["predictions"].to_numpy()[order]
    values = [orjson.loads(t) if isinstance(t, (str, bytes)) else None for t in texts]  # Arrow gives NaN for None
    return pd.Series(values, index=index, dtype=object, name="predictions")


def _narrow(data: Any, config: Config, id_column: str | None) -> tuple[pd.DataFrame, pd.Index]:
    """Only the `$fields` the config reads, each row's position and id: what the actors need."""
    source = make_source(data, id_column)
    keys = list(source.iter_keys())
    ids = [plain_id(id_from_key(k)) for k in keys]
    if isinstance(data, pd.DataFrame) and id_column is None:
        index = data.index
        frame = pd.DataFrame({f: data[f].to_numpy() for f in config.fields if f in data.columns})
    else:
        index = pd.Index(ids, tupleize_cols=False)
        rows = [source.data(k, config.fields) for k in keys]
        frame = pd.DataFrame({f: [r.get(f) for r in rows] for f in config.fields})
    frame[_POS] = np.arange(len(keys))
    # Arrow columns hold one type: ids of one plain type travel as they are, anything else as its JSON text
    plain = ids and all(type(i) is type(ids[0]) for i in ids) and isinstance(ids[0], (int, str))
    frame["id"] = ids if plain else [orjson.dumps(i).decode() for i in ids]
    return frame, index


class _Embed:
    """One Ray actor: loads the encoder once, then embeds batches of texts as the Learner does."""

    def __init__(self, encoder: Any, max_length: int) -> None:
        self.encode = _make_encoder(encoder, max_length)

    def __call__(self, batch: dict) -> dict:
        vecs = np.asarray(self.encode(list(batch["text"])), dtype=np.float32)
        return {"text": batch["text"], "vector": vecs}


def embed(learner: Any, texts: list[str], *, concurrency: int | None = None, batch_size: int | None = None) -> int:
    """Fill `learner`'s embedding cache for `texts` on Ray actors; returns how many texts were embedded."""
    if learner._encoder_arg is None:
        return 0  # the sparse learner has no embeddings to compute
    if not isinstance(learner._encoder_arg, (str, bytes)) and not hasattr(learner._encoder_arg, "__fspath__"):
        raise TypeError('engine="ray" loads the encoder once per actor: give Learner(encoder=) a model folder')
    missing = sorted({t for t in texts if t not in learner._vectors}, key=len)
    if not missing:
        return 0  # nothing to compute: Ray is not even started
    ray = _ray()
    size = batch_size or learner.batch_size
    ds = ray.data.from_items([{"text": t} for t in missing])
    ds = ds.map_batches(_Embed, fn_constructor_kwargs=dict(encoder=str(learner._encoder_arg),
                        max_length=learner.max_length), batch_size=size, batch_format="numpy",
                        compute=ray.data.ActorPoolStrategy(size=concurrency or 1))
    done = 0
    for batch in ds.iter_batches(batch_size=4096, batch_format="numpy"):
        vecs = normalise_rows(np.asarray(batch["vector"], dtype=np.float32))
        learner._vectors.update(zip(batch["text"].tolist(), vecs))
        done += len(vecs)
    return done


def embed_tasks(data: Any, config: Config, learner: Any, *, batch_size: int, id_column: str | None,
                concurrency: int | None) -> int:
    """Embed, on Ray, the text every task of `data` gives `learner` under `config`; returns how many were new."""
    predict = learner.bind(config)
    frame, _ = _narrow(data, config, id_column)
    texts = ["" if v is None else str(v) for v in frame[predict.field].tolist()] if predict.field in frame else []
    return embed(learner, texts, concurrency=concurrency, batch_size=batch_size)

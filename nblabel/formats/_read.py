"""Label Studio exports back into a DataFrame: `read_label_studio`.

Rules:
- accepted: a JSON export (task list), the REST API shapes (`{"tasks": [...]}` pages, one task from
  `/api/tasks/{id}`), a list of task dicts, and — with `config=` — JSON_MIN, CSV and TSV exports, whose records
  (one per annotation) are regrouped by task `id`;
- the frame has one row per task, indexed by task id: the data fields as columns (first-seen order), then
  `annotations`, `predictions`, one simple column per control (with a config), and `meta` when any task has one;
  `df.attrs["nblabel"]` records the config and which columns are data, so `export` can write the frame back;
- a task lacking a data key another task has gets `pd.NA` there (written back as "no such key"); columns keep
  Python values unless every value has one numpy-friendly type, so ints never turn into floats;
- offsets in files are UTF-16 and become code points (`offsets="code points"` reads them as they are);
- quick exports hold predictions as ids only: those are dropped with a warning.
"""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

import pandas as pd

from ..widget._output import _latest
from ._frame import convert_items, paused_gc, resolve_config, text_fields, texts_for
from ._jsonio import loads
from ._records import is_records, read_csv, regroup

_SPACE = re.compile(rb"\s*")
_UTF16 = {"utf-16", "utf16", "utf_16"}
_CODE_POINTS = {"code points", "code-points", "codepoints", "code_points"}


# ------------------------------------------------------------------------------------------------ loading
def _load(src: Any) -> tuple[Any, str]:
    """(parsed content, kind): kind is "json" for JSON values, "csv" for rows of a CSV/TSV file."""
    if isinstance(src, (list, dict)):
        return src, "json"
    if isinstance(src, bytes):
        return loads(src), "json"
    if isinstance(src, str) and not os.path.exists(src) and src.lstrip()[:1] in ("[", "{"):
        return loads(src), "json"
    if isinstance(src, (str, os.PathLike)):
        with open(src, "rb") as fh:
            raw = fh.read()
        start = _SPACE.match(raw).end()  # no lstrip(): that would copy the whole file
        head = raw[start:start + 1]
        if head in (b"[", b"{"):
            return loads(raw), "json"
        return read_csv(raw.decode("utf-8-sig")), "csv"
    if hasattr(src, "read"):
        return _load(src.read())
    raise TypeError(f"read_label_studio() takes a path, JSON text, bytes, a list of tasks or a task dict, "
                    f"not {type(src).__name__}")


# ------------------------------------------------------------------------------------------------ tasks
def _tasks(content: Any, kind: str, config: Any) -> list[dict]:
    if kind == "csv":
        if config is None:
            raise ValueError("a CSV/TSV export holds one record per annotation: pass config= (the labeling config "
                             "XML) so its control columns can be turned back into results")
        return regroup(content, config, from_csv=True)
    if isinstance(content, dict):
        if isinstance(content.get("tasks"), list):  # REST API page: GET /api/tasks
            content = content["tasks"]
        elif isinstance(content.get("data"), dict):  # one task: GET /api/tasks/{id}
            content = [content]
        else:
            raise ValueError("expected a Label Studio task list, a task, or an API page {'tasks': [...]}; "
                             f"got a dict with keys {sorted(content)[:10]}")
    if not isinstance(content, list):
        raise ValueError(f"expected a list of Label Studio tasks, got {type(content).__name__}")
    if is_records(content):
        if config is None:
            raise ValueError("this is a JSON_MIN export (one flat record per annotation): pass config= (the labeling "
                             "config XML) so its control keys can be turned back into results")
        return regroup(content, config, from_csv=False)
    return content  # flat dicts (no "data") are wrapped by the readers, as Label Studio wraps them on import


def _column(values: list, index: pd.Index) -> pd.Series:
    """Keep numpy dtypes only for uniform columns: [1, None] must not become [1.0, nan], and a pd.NA
    ("no such key") must survive, which only an object column guarantees."""
    kinds = {type(v) for v in values}
    if kinds and (kinds <= {int} or kinds == {float} or kinds == {bool} or kinds == {str}):
        return pd.Series(values, index=index)
    return pd.Series(values, index=index, dtype=object)


def read_label_studio(src: Any, config: Any = None, *, offsets: str = "utf-16") -> pd.DataFrame:
    """A Label Studio export (or API response) as a DataFrame, one row per task, indexed by task id.

    `config` (labeling config XML) is required for JSON_MIN, CSV and TSV, and adds the simple columns
    (one per control, as `Labeler.to_pandas()` has them). Text offsets become code points unless
    `offsets="code points"` says the file already holds code points.
    """
    mode = str(offsets).lower()
    if mode not in _UTF16 | _CODE_POINTS:
        raise ValueError(f"offsets={offsets!r}: expected 'utf-16' (Label Studio files) or 'code points'")
    cfg = resolve_config(None, config)
    with paused_gc():
        return _read(src, cfg, mode)


def _read(src: Any, cfg: Any, mode: str) -> pd.DataFrame:
    content, kind = _load(src)
    tasks = _tasks(content, kind, cfg)
    fields = text_fields(cfg)
    convert = mode in _UTF16
    ids, datas, annotations, predictions, metas = [], [], [], [], []
    dropped = 0
    for pos, task in enumerate(tasks):
        data = task.get("data") if type(task) is dict else None
        if type(data) is not dict:
            if not isinstance(data, dict):
                task = {"data": task}  # Label Studio wraps a flat dict into {"data": dict} on import
            data = task["data"]
        get = task.get
        ident = get("id", pos)
        if type(ident) is list:
            ident = tuple(ident)
        anns = get("annotations")
        if not anns:
            anns = []  # a fresh list per row: cells must not share one
        elif not (len(anns) == 1 and type(anns[0]) is dict):
            anns = [a for a in anns if isinstance(a, dict)]
        preds = get("predictions")
        if preds:
            full = [p for p in preds if isinstance(p, dict)]
            dropped += len(preds) - len(full)
        else:
            full = []
        if convert and (anns or full):
            texts = texts_for(data, fields)
            if texts is not None:
                anns = convert_items(anns, texts, False)
                full = convert_items(full, texts, False)
        ids.append(ident)
        datas.append(data)
        annotations.append(anns)
        predictions.append(full)
        meta = get("meta")
        metas.append(meta if type(meta) is dict else {})
    if len(set(ids)) != len(ids):
        seen: set = set()
        dup = next(i for i in ids if i in seen or seen.add(i))
        raise ValueError(f"duplicate task id {dup!r} in the export")
    if dropped:
        warnings.warn(f"{dropped} prediction(s) are ids only (a quick JSON export keeps prediction ids, not "
                      "predictions); they were dropped. Export a snapshot with predictions, or use the API "
                      "(/api/tasks) to keep them.", UserWarning, stacklevel=3)
    return _build(ids, datas, annotations, predictions, metas, cfg)


def simple_values(result: list, controls: dict) -> dict[str, Any]:
    """Every control's simple value from one result, in one pass; the same values as `_output.simple_value`
    (JSON_MIN's style: a single choice or one text as is, anything else a list of value copies)."""
    items: dict[str, list] = {}
    for r in result or ():
        name = r.get("from_name")
        control = controls.get(name)
        if control is not None and r.get("type") == control.type:
            if name in items:
                items[name].append(r)
            else:
                items[name] = [r]
    out = {}
    for name, rs in items.items():
        control = controls[name]
        if control.type == "choices":
            choices = [c for r in rs for c in r["value"].get("choices", [])]
            out[name] = choices[0] if control.single and len(choices) == 1 else choices
        elif control.type == "textarea":
            texts = [t for r in rs for t in r["value"].get("text", [])]
            out[name] = texts[0] if len(texts) == 1 else texts
        else:
            out[name] = [dict(r["value"]) for r in rs]
    return out


def _build(ids: list, datas: list, annotations: list, predictions: list, metas: list, cfg: Any) -> pd.DataFrame:
    keys: dict[str, None] = {}
    for d in datas:
        for k in d:
            if k not in keys:
                keys[k] = None
    index = pd.MultiIndex.from_tuples(ids) if ids and all(isinstance(i, tuple) for i in ids) else pd.Index(ids)
    df = pd.DataFrame({k: _column([d.get(k, pd.NA) for d in datas], index) for k in keys}, index=index)
    data_columns = list(keys)
    df["annotations"] = pd.Series(annotations, index=index, dtype=object)
    df["predictions"] = pd.Series(predictions, index=index, dtype=object)
    if cfg is not None:
        controls = cfg.controls
        latest = [(a[0] if len(a) == 1 and not a[0].get("was_cancelled") else _latest(a)) if a else None
                  for a in annotations]
        values = [simple_values(a.get("result"), controls) if a else _NONE for a in latest]
        for name in controls:
            column = f"{name}_label" if name in keys else name
            df[column] = pd.Series([v.get(name) for v in values], index=index, dtype=object)
    meta_column = None
    if any(metas):
        meta_column = "meta" if "meta" not in df.columns else "_meta"
        df[meta_column] = pd.Series(metas, index=index, dtype=object)
    df.attrs["nblabel"] = {"config": cfg.xml if cfg is not None else None, "data_columns": data_columns,
                           "meta_column": meta_column}
    return df


_NONE: dict = {}

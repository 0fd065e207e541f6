"""Label Studio exports back into a DataFrame: `read_label_studio`.

Rules:
- accepted: a JSON export (task list), the REST API shapes (`{"tasks": [...]}` pages, one task from
  `/api/tasks/{id}`), a list of task dicts, and — with `config=` — JSON_MIN, CSV and TSV exports, whose records
  (one per annotation) are regrouped by task `id`;
- the frame has one row per task, indexed by task id, built as `Labeler.to_pandas()` builds its own
  (`results._table`: data columns, `annotations`, `predictions`, simple columns with a config, `meta` when any
  task has one); `df.attrs["nblabel"]` records what `export` needs to write the frame back;
- offsets in files are UTF-16 and become code points (`offsets="code points"` reads them as they are);
- quick exports hold predictions as ids only: those are dropped with a warning;
- a task's `agreement` (Label Studio Enterprise exports) goes to `df.attrs["nblabel"]["agreement"]` (task id →
  value), so JSON_MIN, CSV and TSV write it back as the converter does.
"""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

import pandas as pd

from ..results._table import records_frame, task_frame
from ._frame import convert_items, paused_gc, resolve_config, text_fields, texts_for
from . import _narrow
from ._jsonio import loads
from ._records import is_records, read_csv, regroup

LEADING_SPACE = re.compile(rb"\s*")
_UTF16 = {"utf-16", "utf16", "utf_16"}
_CODE_POINTS = {"code points", "code-points", "codepoints", "code_points"}


# ------------------------------------------------------------------------------------------------ loading
def load(src: Any, typed: bool = False) -> tuple[Any, str]:
    """(parsed content, kind): kind is "json" for JSON values, "csv" for rows of a CSV/TSV file; with `typed`,
    "structs" for a JSON export decoded as `FullTask`s (the common shape: a list of tasks with a `data` object
    each)."""
    if isinstance(src, (list, dict)):
        return src, "json"
    if isinstance(src, bytes):
        return _json(src, typed)
    if isinstance(src, str) and not os.path.exists(src) and src.lstrip()[:1] in ("[", "{"):
        return _json(src, typed)
    if isinstance(src, (str, os.PathLike)):
        with open(src, "rb") as fh:
            raw = fh.read()
        start = LEADING_SPACE.match(raw).end()  # no lstrip(): that would copy the whole file
        head = raw[start:start + 1]
        if head in (b"[", b"{"):
            return _json(raw, typed)
        return read_csv(raw.decode("utf-8-sig")), "csv"
    if hasattr(src, "read"):
        return load(src.read(), typed)
    raise TypeError(f"read_label_studio() takes a path, JSON text, bytes, a list of tasks or a task dict, "
                    f"not {type(src).__name__}")


def _json(raw: bytes | str, typed: bool) -> tuple[Any, str]:
    if not typed:
        return loads(raw), "json"
    # typed first: no dict per task, and the keys nobody reads (drafts, file_upload, ...) are skipped unbuilt;
    # any other shape (API page, JSON_MIN records, flat data dicts) gets the generic decode
    structs = _narrow.full_tasks(raw)
    if structs is not None:
        return structs, "structs"
    return loads(raw), "json"


# ------------------------------------------------------------------------------------------------ tasks
def tasks_of(content: Any, kind: str, config: Any) -> list:
    if kind == "structs":
        return content
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
    content, kind = load(src, typed=True)
    tasks = tasks_of(content, kind, cfg)
    fields = text_fields(cfg)
    convert = mode in _UTF16
    if kind == "structs":
        return _frame_of(*_rows_of_structs(tasks, fields, convert), cfg)
    ids, datas, annotations, predictions, metas = [], [], [], [], []
    dropped = 0
    agreements: dict = {}
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
        if not anns or type(anns) is not list:
            anns = []  # a fresh list per row: cells must not share one (and no list: no annotations)
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
        if anns and "agreement" in task:  # a Label Studio Enterprise export's task agreement, written back as is
            agreements[ident] = task["agreement"]
    return _frame_of(ids, datas, annotations, predictions, metas, dropped, agreements, cfg)


def _rows_of_structs(tasks: list, fields: Any, convert: bool) -> tuple:
    """`_read`'s columns from `FullTask`s (one loop, attributes instead of lookups; same rules)."""
    ids, datas, annotations, predictions, metas = [], [], [], [], []
    dropped = 0
    agreements: dict = {}
    unset = _narrow.UNSET
    one = fields[0] if fields is not None and len(fields) == 1 else None
    for pos, task in enumerate(tasks):
        data = task.data
        ident = task.id
        if ident is unset:
            ident = pos
        elif type(ident) is list:
            ident = tuple(ident)
        anns = task.annotations
        if not anns:
            anns = []
        elif not (len(anns) == 1 and type(anns[0]) is dict):
            anns = [a for a in anns if isinstance(a, dict)]
        preds = task.predictions
        if preds:
            full = [p for p in preds if isinstance(p, dict)]
            dropped += len(preds) - len(full)
        else:
            full = []
        if convert and (anns or full):
            if one is not None:  # one text field (the usual config): `texts_for` inline
                value = data.get(one[1])
                texts = {one[0]: value} if type(value) is str and not value.isascii() else None
            else:
                texts = texts_for(data, fields)
            if texts is not None:
                anns = convert_items(anns, texts, False)
                full = convert_items(full, texts, False)
        ids.append(ident)
        datas.append(data)
        annotations.append(anns)
        predictions.append(full)
        meta = task.meta
        metas.append(meta if type(meta) is dict else {})
        if anns and task.agreement is not unset:
            agreements[ident] = task.agreement
    return ids, datas, annotations, predictions, metas, dropped, agreements


def _frame_of(ids: list, datas: list, annotations: list, predictions: list, metas: list, dropped: int,
              agreements: dict, cfg: Any) -> pd.DataFrame:
    if len(set(ids)) != len(ids):
        seen: set = set()
        dup = next(i for i in ids if i in seen or seen.add(i))
        raise ValueError(f"duplicate task id {dup!r} in the export")
    if dropped:
        warnings.warn(f"{dropped} prediction(s) are ids only (a quick JSON export keeps prediction ids, not "
                      "predictions); they were dropped. Export a snapshot with predictions, or use the API "
                      "(/api/tasks) to keep them.", UserWarning, stacklevel=3)
    index = pd.MultiIndex.from_tuples(ids) if ids and all(isinstance(i, tuple) for i in ids) else pd.Index(ids)
    return task_frame(records_frame(datas, index), annotations, predictions, cfg, meta=metas,
                      info={"agreement": agreements} if agreements else None)

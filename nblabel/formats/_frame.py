"""A DataFrame seen as Label Studio tasks: what every exporter reads.

Rules:
- data columns are the ones `df.attrs["nblabel"]["data_columns"]` names; without attrs, every column except
  `annotations`, `predictions` and the config's simple columns;
- ids come from the index (a plain Python value; a tuple for a MultiIndex) or from `id_column`;
- cells are made JSON-safe column by column (fast paths for numpy dtypes); a `pd.NA` cell means "this task has no
  such key" and is left out, which is how `read_label_studio` keeps tasks with different keys lossless;
- offsets stay code points here; `utf16_result` converts at the moment a file is written.
"""

from __future__ import annotations

import gc
import json
import math
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import count, repeat
from typing import Any, Iterator

import numpy as np
import pandas as pd

from ..config._parse import Config, parse_config
from ..results._offsets import convert_result
from ..tasks._ids import plain_id
from ..tasks._source import json_safe

RESERVED = ("annotations", "predictions")
_MISSING = object()  # a pd.NA cell: the task has no such key


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while a whole export is parsed or built: it allocates millions of
    containers that all stay alive, and the collector would walk them again and again for nothing (about a
    third of the time of a 20,000-task export). On the way out the new objects go straight to the oldest
    generation (freeze, enable, unfreeze: two O(1) list moves) instead of being walked by the first young
    collection after `gc.enable()`; they are still collected, at the next full collection. A collector that
    was already off, or objects the caller froze, are left as they were."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.enable()
                gc.unfreeze()
            else:
                gc.enable()


@dataclass
class Frame:
    """One entry per row, in row order."""

    ids: list
    data: list[dict]
    annotations: list[list[dict]]
    predictions: list[list[dict]]
    meta: list[dict]
    config: Config | None
    utf16: bool = False  # offsets in `annotations` / `predictions` are UTF-16 (tasks straight from a file)
    agreement: bool = False  # write each task's agreement (percent) where it has two or more annotations
    carried: dict | None = None  # task id -> the `agreement` a Label Studio export gave the task (written as is)

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self) -> Iterator[tuple[Any, dict, list[dict]]]:
        """(id, data, annotations) per task: what most writers read, in one pass."""
        return zip(self.ids, self.data, self.annotations)


def resolve_config(df: pd.DataFrame | None, config: Any) -> Config | None:
    """`config=` (XML or a parsed Config) wins over the config recorded in `df.attrs`."""
    if config is None and df is not None:
        config = (df.attrs.get("nblabel") or {}).get("config")
    if config is None or isinstance(config, Config):
        return config
    return parse_config(config)


def data_columns(df: pd.DataFrame, config: Config | None) -> list:
    info = df.attrs.get("nblabel") or {}
    recorded = info.get("data_columns")
    if recorded is not None:
        wanted = {str(c) for c in recorded}
        return [c for c in df.columns if str(c) in wanted]
    skip = set(RESERVED)
    if config is not None:
        fields = set(config.fields)
        for name in config.controls:
            # A control's simple column, unless the config reads it as data ($name).
            if name not in fields:
                skip.add(name)
            skip.add(f"{name}_label")
    return [c for c in df.columns if str(c) not in skip and not _repeated(config, str(c))]


def _repeated(config: Config | None, column: str) -> bool:
    """A column of a `<Repeater>`'s control (`labels_0`, or `labels_0_label`) that the config does not read."""
    if config is None:
        return False
    for name in (column, column[:-6] if column.endswith("_label") else None):
        control = config.controls.get(name) if name else None
        if control is not None and control.repeat and name not in config.fields:
            return True
    return False


def _column_values(series: pd.Series) -> tuple[list, bool]:
    """JSON-safe values of one column, and whether any cell is missing (pd.NA)."""
    values = series.tolist()
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iub":
            return values, False  # tolist() already gives Python ints / bools
        if dtype.kind == "f":
            return [v if not (math.isnan(v) or math.isinf(v)) else None for v in values], False
    out = []
    missing = False
    for v in values:
        if type(v) is str:
            out.append(v)
        elif v is pd.NA:
            out.append(_MISSING)
            missing = True
        else:
            out.append(json_safe(v))
    return out, missing


def _listish(value: Any) -> list:
    """An `annotations` / `predictions` cell as a list (NaN/None → []; JSON text after a CSV round trip)."""
    if isinstance(value, list):
        return value
    if isinstance(value, (tuple, np.ndarray)):
        return list(value)
    if isinstance(value, str) and value.strip().startswith("["):
        return json.loads(value)
    return []


def _ids(df: pd.DataFrame, id_column: Any) -> list:
    index = pd.Index(df[id_column]) if id_column is not None else df.index
    if isinstance(index, pd.RangeIndex):
        return list(range(index.start, index.stop, index.step))
    if isinstance(index.dtype, np.dtype) and index.dtype.kind in "iu":
        return index.tolist()
    return [plain_id(v) for v in index.tolist()]


def read_frame(df: pd.DataFrame, config: Any = None, id_column: Any = None) -> Frame:
    cfg = resolve_config(df, config)
    info = df.attrs.get("nblabel") or {}
    if id_column is None:
        id_column = info.get("id_column")
    columns = [c for c in data_columns(df, cfg) if c != id_column]
    names = [str(c) for c in columns]
    n = len(df)
    col_values = []
    gappy = []
    for c in columns:
        values, missing = _column_values(df[c])
        col_values.append(values)
        gappy.append(missing)
    if col_values:
        data = [dict(zip(names, row)) for row in zip(*col_values)]
        if any(gappy):
            data = [{k: v for k, v in d.items() if v is not _MISSING} for d in data]
    else:
        data = [{} for _ in range(n)]
    annotations = ([_listish(v) for v in df["annotations"].tolist()] if "annotations" in df.columns
                   else [[] for _ in range(n)])
    predictions = ([_listish(v) for v in df["predictions"].tolist()] if "predictions" in df.columns
                   else [[] for _ in range(n)])
    meta_column = info.get("meta_column")
    if meta_column is not None and meta_column in df.columns:
        meta = [v if isinstance(v, dict) else {} for v in df[meta_column].tolist()]
    else:
        meta = [{} for _ in range(n)]
    carried = info.get("agreement")
    return Frame(_ids(df, id_column), data, annotations, predictions, meta, cfg,
                 carried=carried if isinstance(carried, dict) else None)


class _TaskFrame(Frame):
    """A Frame over Label Studio task dicts as a JSON export holds them. `rows()` reads each task once, in the
    loop of the writer (a CONLL2003 or JSON_MIN export touches nothing else); the five columns are built on first
    use, for the other writers. Tasks that are not `{"data": {...}, ...}` dicts are read as Label Studio
    imports them: a flat dict (or any other value) is the data of a task without id or annotations."""

    def __init__(self, tasks: list, config: Config | None, shaped: bool = False) -> None:
        self.tasks = tasks
        self.config = config
        self.utf16 = True
        self.shaped = shaped  # every task is known to be a dict with a `data` dict and a list (or no) annotations

    def __len__(self) -> int:
        return len(self.tasks)

    def rows(self) -> Iterator[tuple[Any, dict, list[dict]]]:
        if self.shaped:  # no checks needed: one C-level pass (no id: the position, as below)
            tasks = self.tasks
            return zip(map(dict.get, tasks, repeat("id"), count()), map(dict.__getitem__, tasks, repeat("data")),
                       map(dict.get, tasks, repeat("annotations"), repeat(_EMPTY)))
        return self._rows()

    def _rows(self) -> Iterator[tuple[Any, dict, list[dict]]]:
        for pos, task in enumerate(self.tasks):
            data = task.get("data") if type(task) is dict else None
            if type(data) is dict:
                yield task.get("id", pos), data, task.get("annotations") or _EMPTY
            else:
                yield self._task(pos, task)[:3]

    @staticmethod
    def _task(pos: int, task: Any) -> tuple[Any, dict, list, list, dict]:
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            return pos, task, _EMPTY, _EMPTY, _EMPTY_META  # Label Studio wraps flat dicts on import
        get = task.get
        meta = get("meta")
        return (get("id", pos), task["data"], get("annotations") or _EMPTY, get("predictions") or _EMPTY,
                meta if type(meta) is dict else _EMPTY_META)

    @cached_property
    def _columns(self) -> tuple[list, ...]:
        columns: tuple[list, ...] = ([], [], [], [], [])
        appends = [c.append for c in columns]
        for pos, task in enumerate(self.tasks):
            for append, value in zip(appends, self._task(pos, task)):
                append(value)
        return columns

    @cached_property
    def carried(self) -> dict | None:  # type: ignore[override]
        """Task id -> the `agreement` of the tasks that have one and annotations (the converter's rule)."""
        out = {}
        for pos, task in enumerate(self.tasks):
            if type(task) is dict and "agreement" in task and task.get("annotations"):
                out[task.get("id", pos)] = task["agreement"]
        return out or None

    ids = property(lambda self: self._columns[0])  # type: ignore[assignment]
    data = property(lambda self: self._columns[1])  # type: ignore[assignment]
    annotations = property(lambda self: self._columns[2])  # type: ignore[assignment]
    predictions = property(lambda self: self._columns[3])  # type: ignore[assignment]
    meta = property(lambda self: self._columns[4])  # type: ignore[assignment]


def frame_from_tasks(tasks: list[dict], config: Any = None, shaped: bool = False) -> Frame:
    """A Frame straight from Label Studio task dicts (a JSON export), offsets left in UTF-16: file to file
    without a DataFrame in between. Lists are taken as they are (no copies): a quick export's prediction ids
    are skipped by the writers that read predictions. `shaped`: the caller checked every task's shape."""
    return _TaskFrame(tasks, resolve_config(None, config), shaped)


_EMPTY: list = []
_EMPTY_META: dict = {}


# ------------------------------------------------------------------------------------------------ offsets
class _GuessTexts:
    """Object name → text when no config says which field an object shows: the field of the same name, else the
    task's only text field. (Most configs name the object after its field: `<Text name="text" value="$text"/>`.)"""

    __slots__ = ("data",)

    def __init__(self, data: dict) -> None:
        self.data = data

    def get(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        if isinstance(value, str):
            return value
        texts = [v for v in self.data.values() if isinstance(v, str)]
        return texts[0] if len(texts) == 1 else default


def text_fields(config: Config | None) -> list[tuple[str, str]] | None:
    """(object name, data field) for every object reading a field; None without a config."""
    if config is None:
        return None
    return [(o.name, o.field) for o in config.objects.values() if o.field]


def texts_for(data: dict, fields: list[tuple[str, str]] | None) -> Any:
    """The texts that need offset conversion in one task (only non-ASCII ones), or None if there are none."""
    if fields is None:
        if all(not isinstance(v, str) or v.isascii() for v in data.values()):
            return None
        return _GuessTexts(data)
    out = None
    for name, field in fields:
        value = data.get(field)
        if isinstance(value, str) and not value.isascii():
            if out is None:
                out = {}
            out[name] = value
    return out


def convert_items(items: list[dict], texts: Any, to_utf16: bool) -> list[dict]:
    """Annotations or predictions with their results' offsets converted (copies; the input is not touched)."""
    if texts is None or not items:
        return items
    return [
        {**a, "result": convert_result(a["result"], texts, to_utf16)} if isinstance(a, dict) and a.get("result") else a
        for a in items
    ]

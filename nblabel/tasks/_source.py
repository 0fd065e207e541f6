"""Task sources: the user's data seen as tasks, looked up one at a time and never copied.

Rule: opening a source is O(1) in the number of rows except for the duplicate-id check pandas does with its own
hash table; rows are read (and converted to JSON-safe values) only when a task is served or exported.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from ._ids import id_from_key, plain_id, task_key
from ._media import fields_hashes
from ._row_hashes import RowHashes


def json_safe(value: Any) -> Any:
    """A cell value as a JSON-safe Python value: NaN/NA/NaT → None, numpy → Python, timestamps → ISO text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.generic):
        return json_safe(value.item())
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.size < 10_000:
        return [json_safe(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class TaskSource:
    """Uniform access to tasks: `key_at(position)`, `data(key)`, `extras(key)`."""

    total: int | None
    columns: list[str]

    def key_at(self, pos: int) -> str | None:
        raise NotImplementedError

    def position(self, key: str) -> int | None:
        raise NotImplementedError

    def data(self, key: str, fields: Iterable[str] | None = None) -> dict:
        raise NotImplementedError

    def extras(self, key: str) -> dict:
        """Label Studio extras kept from the input: `annotations`, `predictions`, `meta` (empty for plain data)."""
        return {}

    def has(self, key: str) -> bool:
        return self.position(key) is not None

    def field_hashes(self, keys: list[str], fields: Iterable[str]) -> list[str | None]:
        """`fields_hash(data(key, fields))` for each key, in order; None for a key absent from the data."""
        fields = list(fields)
        found = [k for k in dict.fromkeys(keys) if self.has(k)]  # a task answered by several: read once
        rows = [self.data(k, fields) for k in found]
        by_key = dict(zip(found, fields_hashes({name: [row[name] for row in rows] for name in fields}, len(found))))
        return [by_key.get(k) for k in keys]

    def iter_keys(self) -> Iterator[str]:
        pos = 0
        while (key := self.key_at(pos)) is not None:
            yield key
            pos += 1


class FrameSource(TaskSource):
    """A pandas DataFrame: the index (or `id_column`) gives ids; rows are read lazily by position."""

    def __init__(self, frame: pd.DataFrame, id_column: str | None = None) -> None:
        if id_column is not None:
            if id_column not in frame.columns:
                shown = ", ".join(map(str, frame.columns[:20]))
                raise KeyError(f"id_column={id_column!r} is not a column (columns: {shown})")
            index = pd.Index(frame[id_column])
        else:
            index = frame.index
        if not isinstance(index, pd.MultiIndex) and index.hasnans:
            raise ValueError("a task id cannot be NaN: the index has missing labels (use df.reset_index())")
        if not index.is_unique:
            dup = index[index.duplicated()][0]
            where = f"column {id_column!r}" if id_column else "the DataFrame index"
            raise ValueError(f"duplicate task id {plain_id(dup)!r} in {where}: task ids must be unique "
                             "(use df.reset_index(), or id_column= naming a unique column)")
        self.frame = frame
        self.index = index
        self.total = len(frame)
        self.columns = [str(c) for c in frame.columns]
        self._positions: dict[str, int] = {}  # keys served so far → position; tiny compared to the frame
        self._series: dict[str, pd.Series] = {}
        self._row_hashes = RowHashes()

    def key_at(self, pos: int) -> str | None:
        if pos >= self.total:
            return None
        key = task_key(self.index[pos])
        self._positions[key] = pos
        return key

    def position(self, key: str) -> int | None:
        pos = self._positions.get(key)
        if pos is not None:
            return pos
        try:
            loc = self.index.get_loc(id_from_key(key))
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(loc, (int, np.integer)):
            return None
        self._positions[key] = int(loc)
        return int(loc)

    def data(self, key: str, fields: Iterable[str] | None = None) -> dict:
        pos = self.position(key)
        if pos is None:
            raise KeyError(f"no task with id {id_from_key(key)!r}")
        names = self.columns if fields is None else fields
        out = {}
        for name in names:
            series = self._series.get(name)
            if series is None:
                series = self._series[name] = self.frame[self._column(name)]
            out[name] = json_safe(series.iat[pos])
        return out

    def field_hashes(self, keys: list[str], fields: Iterable[str]) -> np.ndarray:
        """An object array aligned with `keys` (None where absent). Vectorised over the keys (one index lookup,
        one take per column), and rows whose values did not change since the last call keep their hash
        (`_row_hashes`): checking every stored answer against the frame at open and at each write-back must not
        cost a Python-level row read, nor a hash, nor a dict entry, per unchanged answer."""
        fields = list(fields)
        out = np.full(len(keys), None, dtype=object)
        if not keys:
            return out
        pos = self._positions_of(keys)
        found = np.flatnonzero(pos >= 0)
        columns = {name: self.frame[self._column(name)] for name in fields}

        def read(name: str, positions: np.ndarray) -> list:
            return list(map(json_safe, columns[name].iloc[positions].tolist()))

        out[found] = self._row_hashes.hashes(columns, pos[found], read)
        return out

    def _positions_of(self, keys: list[str]) -> np.ndarray:
        """Row position of each key, -1 where absent: one vectorised index lookup."""
        if all(map(str.isdigit, keys)):  # integer ids, the common case: converted without a call per key
            ids: list = list(map(int, keys))
        else:
            ids = [int(k) if k.isdigit() else id_from_key(k) for k in keys]
        try:
            pos = np.asarray(self.index.get_indexer(ids if not isinstance(self.index, pd.MultiIndex)
                                                    else pd.MultiIndex.from_tuples(ids)))
        except (TypeError, ValueError):
            pos = np.full(len(keys), -1)
        for i in np.flatnonzero(pos < 0):  # ids the vector lookup cannot match (dates as text…): one by one
            pos[i] = p if (p := self.position(keys[i])) is not None else -1
        return pos

    def refresh(self) -> None:
        """Read columns anew: the frame may have been edited in place (copy-on-write keeps the old columns here)."""
        self._series.clear()

    def _column(self, name: str) -> Any:
        """Column labels may be non-strings (ints); config fields are strings."""
        if name in self.frame.columns:
            return name
        for col in self.frame.columns:
            if str(col) == name:
                return col
        raise KeyError(name)


class ListSource(TaskSource):
    """A list (or a lazily consumed iterator) of dicts: Label Studio tasks or plain data."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._iter: Iterator[Any] | None = None
        if isinstance(items, (list, tuple)):
            self.total = len(items)
            self._pending: list[Any] = list(items)
        else:
            self.total = None
            self._pending = []
            self._iter = iter(items)
        self._tasks: list[tuple[str, dict, dict]] = []  # (key, data, extras) in order
        self._positions: dict[str, int] = {}
        self._consumed = 0
        # A list is in memory already: index it now so duplicate ids fail at once. Iterators stay lazy.
        first = self._load(len(self._pending) - 1 if self.total else 0)
        first = self._tasks[0] if self._tasks else None
        self.columns = list(first[1]) if first else []

    def _load(self, pos: int) -> tuple[str, dict, dict] | None:
        while len(self._tasks) <= pos:
            if self._consumed < len(self._pending):
                item = self._pending[self._consumed]
                self._pending[self._consumed] = None  # keep one copy only
            elif self._iter is not None:
                try:
                    item = next(self._iter)
                except StopIteration:
                    self._iter = None
                    self.total = len(self._tasks)
                    return None
            else:
                return None
            self._add(item, self._consumed)
            self._consumed += 1
        return self._tasks[pos]

    def _add(self, item: Any, pos: int) -> None:
        if not isinstance(item, dict):
            raise TypeError(f"task {pos} is a {type(item).__name__}; tasks must be dicts "
                            "(plain data or Label Studio tasks)")
        if isinstance(item.get("data"), dict):
            data = item["data"]
            ident = item.get("id", pos)
            extras = {k: item[k] for k in ("annotations", "predictions", "meta") if k in item}
        else:
            data, ident, extras = item, pos, {}
        key = task_key(ident)
        if key in self._positions:
            raise ValueError(f"duplicate task id {plain_id(ident)!r} (tasks {self._positions[key]} and {pos})")
        self._positions[key] = len(self._tasks)
        self._tasks.append((key, data, extras))

    def key_at(self, pos: int) -> str | None:
        task = self._load(pos)
        return task[0] if task else None

    def position(self, key: str) -> int | None:
        return self._positions.get(key)

    def data(self, key: str, fields: Iterable[str] | None = None) -> dict:
        pos = self._positions.get(key)
        if pos is None:
            raise KeyError(f"no task with id {id_from_key(key)!r}")
        data = self._tasks[pos][1]
        names = list(data) if fields is None else fields
        return {name: json_safe(data.get(name)) for name in names}

    def raw_keys(self, key: str) -> list[str]:
        return list(self._tasks[self._positions[key]][1])

    def extras(self, key: str) -> dict:
        pos = self._positions.get(key)
        return self._tasks[pos][2] if pos is not None else {}

    def loaded(self) -> list[tuple[str, dict, dict]]:
        """Every task read so far (all of them for a list; for a generator, those consumed)."""
        return self._tasks


def make_source(data: Any, id_column: str | None = None) -> TaskSource:
    """The right `TaskSource` for what the user passed."""
    if isinstance(data, pd.DataFrame):
        return FrameSource(data, id_column)
    if hasattr(data, "to_pandas") and type(data).__module__.startswith("polars"):
        # polars: one conversion is unavoidable (pandas-backed lookups); Arrow-backed, so it shares buffers.
        return FrameSource(data.to_pandas(), id_column)
    if isinstance(data, pd.Series):
        raise TypeError("pass a DataFrame, not a Series: use series.to_frame()")
    if isinstance(data, (str, bytes, dict)):
        raise TypeError("tasks must be a DataFrame, a list of dicts or an iterator of dicts, "
                        f"not {type(data).__name__}")
    if id_column is not None:
        raise TypeError("id_column= applies to DataFrames; give list tasks an `id` (Label Studio tasks) instead")
    return ListSource(data)

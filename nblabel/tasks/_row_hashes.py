"""The `$fields` hash of a DataFrame's rows, remembered between checks while the rows keep their values.

Every stored answer is checked against its row when a Labeler opens and again at each write-back
(`store._default.check_answers`): the frame may have been edited in between. Hashing 100,000 answered rows takes
~0.3 s; comparing the columns with the values they had at the last check takes ~10 ms. So:

- a row's hash is reused only when every field of that row compares equal (`==`, element by element, position by
  position) to the value it had when the hash was taken; any other row is hashed again;
- only columns whose values cannot change without the comparison seeing it take part: numeric / boolean dtypes,
  and object columns holding nothing but `str` (immutable). A column holding anything else (lists, dicts, media,
  missing values next to text) could be mutated in place behind an equal-looking object: then nothing is kept
  and every row is hashed each time, as before;
- the values compared against are a copy taken at the check (the frame's own arrays may be edited in place);
- a frame whose length changed starts afresh.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from ._media import fields_hashes


class RowHashes:
    """Hashes of a frame's rows (by position) and the field values they were taken from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # checks may come from the kernel's main thread and a widget thread
        self._fields: tuple[str, ...] | None = None
        self._values: dict[str, np.ndarray] = {}
        self._hashes: np.ndarray | None = None  # object array, one slot per row: None = not hashed

    def hashes(self, columns: dict[str, pd.Series], positions: np.ndarray, read: Any) -> list[str]:
        """The hash of each row at `positions`; `columns`: field → the frame's column now; `read(name, positions)`
        gives the JSON-safe values `fields_hash` is taken over."""
        names = tuple(columns)
        if not names:
            return fields_hashes({}, len(positions))
        values = {name: _comparable(series) for name, series in columns.items()}
        total = len(next(iter(columns.values())))
        with self._lock:
            if any(v is None for v in values.values()):
                self._fields, self._values, self._hashes = None, {}, None
                return _hash(names, read, positions)
            hashes = self._reusable(names, values, total)
            wanted = hashes[positions] if len(positions) else np.empty(0, dtype=object)
            missing = np.unique(positions[pd.isna(wanted)])  # a row answered by several is hashed once
            if len(missing):
                hashes[missing] = _hash(names, read, missing)
            self._fields, self._values, self._hashes = names, values, hashes
            return hashes[positions].tolist()

    def _reusable(self, names: tuple[str, ...], values: dict[str, np.ndarray], total: int) -> np.ndarray:
        """The remembered hashes with every row whose values changed cleared (all cleared when nothing fits)."""
        old = self._hashes
        if old is None or self._fields != names or len(old) != total:
            return np.full(total, None, dtype=object)
        hashes = old.copy()
        for name in names:
            with np.errstate(invalid="ignore"):
                changed = np.asarray(values[name] != self._values[name], dtype=bool)  # NaN != NaN: hashed again
            hashes[changed] = None
        return hashes


def _comparable(series: pd.Series) -> np.ndarray | None:
    """A copy of the column's values when equality can tell every change apart; None otherwise."""
    if series.dtype.kind in "iub" or series.dtype.kind == "f":
        return series.to_numpy(copy=True)
    if series.dtype.kind == "O" or isinstance(series.dtype, pd.StringDtype):
        values = series.to_numpy(dtype=object, copy=True)
        return values if set(map(type, values)) <= {str} else None
    return None


def _hash(names: tuple[str, ...], read: Any, positions: np.ndarray) -> list[str]:
    return fields_hashes({name: read(name, positions) for name in names}, len(positions))

"""Task identity: a task's id is a plain Python value; the store and the browser use its JSON text as key.

Rule: ids are converted once, at the boundary (`plain_id`), so numpy scalars, pandas timestamps and tuples of
them all become values that compare, hash and serialise the same way everywhere.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd


def plain_id(value: Any) -> Any:
    """The task id as a plain, JSON-able Python value (a tuple for a MultiIndex label)."""
    if isinstance(value, tuple):
        return tuple(plain_id(v) for v in value)
    if isinstance(value, (str, bool, int)) or value is None:
        return value
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("a task id cannot be NaN")
        return int(value) if value.is_integer() else value
    if isinstance(value, np.generic):
        return plain_id(value.item())
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        return tuple(plain_id(v) for v in value)
    raise TypeError(f"a task id must be a str, number, date or tuple of them, not {type(value).__name__}: {value!r}")


def task_key(value: Any) -> str:
    """Canonical text key of a task id (JSON; a tuple is written as a list)."""
    if type(value) is int:  # the common id: its JSON text is its decimal text
        return str(value)
    return json.dumps(plain_id(value), ensure_ascii=False, separators=(",", ":"))


def id_from_key(key: str) -> Any:
    """The plain id back from its key."""
    if key.isdigit() and key.isascii() and (key[0] != "0" or len(key) == 1):  # an integer's key, without JSON
        return int(key)
    return _tuples(json.loads(key))


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value

"""Every pair of annotations that share a task, enumerated without a loop over tasks.

Rule: rows are sorted by task; the pairs (i, j), i < j, come from comparing the task column with itself shifted by
1, 2, … up to the largest number of annotations on one task (a handful), each shift one numpy comparison.
"""

from __future__ import annotations

import numpy as np


def within(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i < j) with `units[i] == units[j]`; `units` sorted ascending."""
    n = len(units)
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if np.any(units[1:] < units[:-1]):
        raise ValueError("rows must be sorted by task")
    first, second = [], []
    idx = np.arange(n - 1, dtype=np.int64)
    d = 1
    while len(idx):
        same = units[idx] == units[idx + d]
        idx = idx[same]
        first.append(idx)
        second.append(idx + d)
        d += 1
        idx = idx[idx + d < n]
    return np.concatenate(first), np.concatenate(second)


def group_mean(groups: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(mean, count) of `values` per group code, NaN values left out; mean NaN where a group has none."""
    ok = ~np.isnan(values)
    if ok.all():  # the common case: no copies of the pair arrays
        count = np.bincount(groups, minlength=size)
        total = np.bincount(groups, weights=values, minlength=size)
    else:
        count = np.bincount(groups[ok], minlength=size)
        total = np.bincount(groups[ok], weights=values[ok], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan), count

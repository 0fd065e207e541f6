"""Annotations of several annotators read into one long table: what every quality measure works on.

Rules:
- accepted: a `Labeler` (read through its public `to_pandas()`), a DataFrame with an `annotations` column
  (`to_pandas()`, `read_label_studio()`, `label_studio.pull()`), or a list of Label Studio task dicts;
- one row per annotation (`Answers.table`), tasks coded by their position, so the measures are numpy over
  integer codes; `Answers.live()` keeps, per task and annotator, the latest non-cancelled annotation;
- an annotator is named by `completed_by`: an email (the `@nblabel.local` placeholder domain dropped, so a
  Labeler's annotator names come back), a user id, or "unknown";
- the loops over annotations are C-level `map`s over dicts (a million annotations read in well under a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd

from ..config._parse import Config, parse_config

_PLACEHOLDER = "@nblabel.local"


@dataclass
class Table:
    """Annotations as parallel arrays (row = annotation); `take` selects rows."""

    task: np.ndarray  # task position
    rater: np.ndarray  # annotator code (index into `Answers.annotators`)
    cancelled: np.ndarray
    ground_truth: np.ndarray
    result: list  # LS result lists
    source: np.ndarray  # row of `Answers.anns` each row came from

    def __len__(self) -> int:
        return len(self.task)

    def take(self, rows: np.ndarray) -> "Table":
        """The rows `rows`, in that order."""
        return Table(self.task[rows], self.rater[rows], self.cancelled[rows], self.ground_truth[rows],
                     [self.result[r] for r in rows.tolist()], self.source[rows])


@dataclass
class Answers:
    """Every annotation of a project as one table, with the config and the tasks it came from."""

    config: Config | None
    frame: pd.DataFrame  # the tasks (data columns + annotations), what consensus writes back to
    table: Table  # one row per annotation, in task order
    annotators: list[str]  # names by annotator code
    anns: list[dict]  # the annotation dicts, by `Table.source`

    @property
    def ids(self) -> pd.Index:
        """Task ids by position."""
        return self.frame.index

    def field(self, key: str) -> list:
        """One key of every annotation dict (lead_time, updated_at, …), by table row."""
        return _pluck(self.anns, key)

    def live(self) -> Table:
        """Latest non-cancelled annotation per (task, annotator), ordered by task."""
        t = self.table
        rows = np.flatnonzero(~t.cancelled)
        key = t.task[rows] * (len(self.annotators) + 1) + t.rater[rows]
        if len(key) and np.bincount(key).max() > 1:
            # An annotator with several annotations of one task (possible in Label Studio): the latest counts.
            stamp = np.array([str(s or "") for s in _pluck([self.anns[i] for i in rows.tolist()], "updated_at")])
            order = np.lexsort((stamp, key))
            last = np.r_[key[order][1:] != key[order][:-1], True]
            rows = rows[np.sort(order[last])]
        return t.take(rows) if len(rows) != len(t) else t


def _pluck(dicts: list, key: str) -> list:
    try:
        return list(map(dict.get, dicts, repeat(key)))
    except TypeError:
        return [d.get(key) if isinstance(d, dict) else None for d in dicts]


def annotator_name(who: Any) -> str:
    """`completed_by` (an `{"email"}` dict, a user id, or an email) as an annotator name."""
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who is None:
        return "unknown"
    who = str(who)
    return who[: -len(_PLACEHOLDER)] if who.endswith(_PLACEHOLDER) else who


def _from_labeler(data: Any) -> pd.DataFrame:
    return data.to_pandas()


def _frame_of_tasks(tasks: list) -> pd.DataFrame:
    ids, rows, anns = [], [], []
    for pos, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise TypeError(f"task {pos}: expected a Label Studio task dict, not {type(task).__name__}")
        ident = task.get("id", pos)
        ids.append(tuple(ident) if isinstance(ident, list) else ident)
        rows.append(task.get("data", {}))
        anns.append(list(task.get("annotations") or []))
    frame = pd.DataFrame(rows, index=pd.Index(ids, tupleize_cols=False))
    frame["annotations"] = pd.Series(anns, index=frame.index, dtype=object)
    return frame


def load(data: Any, config: Any = None) -> Answers:
    """Read `data` (Labeler, DataFrame or Label Studio task list) into `Answers`."""
    if hasattr(data, "to_pandas") and hasattr(data, "annotator"):
        data = _from_labeler(data)
    if isinstance(data, list):
        frame = _frame_of_tasks(data)
    elif isinstance(data, pd.DataFrame):
        if "annotations" not in data.columns:
            raise ValueError("the DataFrame has no `annotations` column: pass Labeler.to_pandas(), "
                             "read_label_studio(...) or label_studio.pull(...) output")
        frame = data
    else:
        raise TypeError(f"expected a Labeler, a DataFrame with an `annotations` column or a list of Label Studio "
                        f"tasks, not {type(data).__name__}")
    if config is None:
        config = (frame.attrs.get("nblabel") or {}).get("config")
    if config is not None and not isinstance(config, Config):
        config = parse_config(config)
    table, names, anns = _table(frame["annotations"].tolist())
    return Answers(config, frame, table, names, anns)


def _table(cells: list) -> tuple[Table, list[str], list[dict]]:
    """One row per annotation dict of the `annotations` cells (each a list; None / NaN count as none)."""
    if not all(map(list.__instancecheck__, cells)):
        cells = [a if isinstance(a, list) else [] for a in cells]
    counts = np.fromiter(map(len, cells), np.int64, len(cells))
    anns = list(chain.from_iterable(cells))
    try:
        results = list(map(dict.get, anns, repeat("result")))
    except TypeError:
        bad = next(a for a in anns if not isinstance(a, dict))
        raise TypeError(f"an annotation must be a Label Studio annotation dict, not {type(bad).__name__}: "
                        f"{bad!r}") from None
    if not all(map(list.__instancecheck__, results)):
        results = [r if isinstance(r, list) else [] for r in results]
    codes, names = _names(_pluck(anns, "completed_by"))
    n = len(anns)
    table = Table(np.repeat(np.arange(len(cells), dtype=np.int64), counts), codes, _flag(anns, "was_cancelled"),
                  _flag(anns, "ground_truth"), results, np.arange(n, dtype=np.int64))
    return table, names, anns


def _flag(anns: list, key: str) -> np.ndarray:
    """A boolean key of every annotation (absent = False); all-False, the common case, without a second pass."""
    values = _pluck(anns, key)
    return np.array(values, dtype=bool) if any(values) else np.zeros(len(values), bool)


def _names(who: list) -> tuple[np.ndarray, list[str]]:
    """Annotator codes and names, each distinct `completed_by` resolved once (few annotators, many annotations)."""
    try:
        keys = list(map(dict.get, who, repeat("email")))  # the common shape: every completed_by an {"email"}
    except TypeError:
        keys = [w.get("email") if isinstance(w, dict) else w for w in who]
    if None in keys:  # no email: a user id, a username, or nothing
        keys = [k if k is not None else annotator_name(w) for k, w in zip(keys, who)]
    index: dict = {}
    try:
        codes = np.fromiter(map(index.setdefault, keys, map(len, repeat(index))), np.int64, len(keys))
    except TypeError:  # an unhashable email value
        keys, index = [annotator_name(w) for w in who], {}
        codes = np.fromiter(map(index.setdefault, keys, map(len, repeat(index))), np.int64, len(keys))
    names = [annotator_name(k) for k in index]
    categories = list(dict.fromkeys(names))  # "alice" and "alice@nblabel.local" are one annotator
    remap = np.array([categories.index(n) for n in names], dtype=np.int64)
    return (remap[codes] if len(codes) else codes), categories

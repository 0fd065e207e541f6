"""Annotations of several annotators read into one long table: what every quality measure works on.

Rules:
- accepted: a `Labeler` (read through its public `to_pandas()`), a DataFrame with an `annotations` column
  (`to_pandas()`, `read_label_studio()`, `label_studio.pull()`), or a list of Label Studio task dicts;
- one row per annotation (`Answers.table`), tasks coded by their position, so the measures are numpy over
  integer codes; `Answers.live()` keeps, per task and annotator, the latest non-cancelled annotation;
- an annotator is named by `completed_by`: an email (the `@nblabel.local` placeholder domain dropped, so a
  Labeler's annotator names come back), a user id, or "unknown";
- one walk reads everything the measures need: per annotation its task, annotator, flags and result list, per
  result item its annotation row and control (`Answers.items`), so no measure walks the dicts again;
- the walk is C-level `map` pipelines over the dicts, each annotation and item visited once per key while it is
  in cache (a Python loop over a million annotations costs more than the whole report); the rare shapes
  (no email, a non-dict item) take a slower, general path.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
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
                     pick(self.result, rows), self.source[rows])


@dataclass
class Items:
    """Every result item of every annotation as parallel arrays (row = item, in annotation order)."""

    ann: np.ndarray  # the annotation (row of `Answers.anns`) each item belongs to
    control: np.ndarray  # control code (index into `controls`)
    controls: list  # `from_name` by control code (None: an item without one)
    types: dict  # from_name -> the `type` of its first item
    items: list  # the item dicts

    def __len__(self) -> int:
        return len(self.ann)


def pick(seq: list, rows: np.ndarray) -> list:
    """`[seq[r] for r in rows]` at C speed."""
    if len(rows) == 0:
        return []
    if len(rows) == 1:
        return [seq[int(rows[0])]]
    return list(itemgetter(*rows.tolist())(seq))


@dataclass
class Answers:
    """Every annotation of a project as one table, with the config and the tasks it came from."""

    config: Config | None
    frame: pd.DataFrame  # the tasks (data columns + annotations), what consensus writes back to
    table: Table  # one row per annotation, in task order
    annotators: list[str]  # names by annotator code
    anns: list[dict]  # the annotation dicts, by `Table.source`
    items: Items  # every result item, by annotation

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
        every = not t.cancelled.any()  # nothing cancelled, the usual case: no row gathers
        rows = np.arange(len(t), dtype=np.int64) if every else np.flatnonzero(~t.cancelled)
        key = t.task * (len(self.annotators) + 1) + t.rater if every else \
            t.task[rows] * (len(self.annotators) + 1) + t.rater[rows]
        if len(key) and np.bincount(key).max() > 1:
            # An annotator with several annotations of one task (possible in Label Studio): the latest counts.
            stamp = np.array([str(s or "") for s in _pluck(pick(self.anns, rows), "updated_at")])
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
    return Answers(config, frame, table, names, anns, _items(table.result))


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
    codes, names = _names(anns)
    n = len(anns)
    table = Table(np.repeat(np.arange(len(cells), dtype=np.int64), counts), codes, _flag(anns, "was_cancelled"),
                  _flag(anns, "ground_truth"), results, np.arange(n, dtype=np.int64))
    return table, names, anns


def _codes(keys: Any, index: dict, n: int) -> np.ndarray:
    """Code of each key (`keys` an iterator), new keys numbered in order of first appearance into `index`."""
    return np.fromiter(map(index.setdefault, keys, map(len, repeat(index))), np.int64, n)


def codes_of(keys: list) -> tuple[np.ndarray, list]:
    """(code of each key, distinct keys by code), codes numbered in order of first appearance.

    Few distinct keys (annotators, controls, choices), the common case: a C-level `set` finds them and one
    lookup per key codes it; many: one `setdefault` per key. Raises TypeError for an unhashable key.
    """
    distinct = set(keys)
    if len(distinct) == 1:
        return np.zeros(len(keys), np.int64), [keys[0]]
    if len(distinct) <= 64:
        order = sorted(distinct, key=keys.index)
        index = dict(zip(order, range(len(order))))
        return np.fromiter(map(index.__getitem__, keys), np.int64, len(keys)), order
    index = {}
    return _codes(iter(keys), index, len(keys)), list(index)


def _items(results: list) -> Items:
    """The result items of every annotation, with their annotation row and control code."""
    lens = np.fromiter(map(len, results), np.int64, len(results))
    ann = np.repeat(np.arange(len(results), dtype=np.int64), lens)
    items = list(chain.from_iterable(results))
    try:
        control, controls = codes_of(list(map(dict.get, items, repeat("from_name"))))
    except TypeError:  # a non-dict item (or an unhashable name): read it as "no control"
        names = [it.get("from_name") if isinstance(it, dict) else None for it in items]
        control, controls = codes_of([n if isinstance(n, str) or n is None else str(n) for n in names])
    first = np.full(len(controls), -1, np.int64)
    first[control[::-1]] = np.arange(len(control) - 1, -1, -1, dtype=np.int64)  # last write wins: the first one
    types = {}
    for name, at in zip(controls, first.tolist()):
        it = items[at]
        types[name] = it.get("type") if isinstance(it, dict) else None
    return Items(ann, control, controls, types, items)


def _flag(anns: list, key: str) -> np.ndarray:
    """A boolean key of every annotation (absent = False); all-False, the common case, builds no list."""
    if not any(map(dict.get, anns, repeat(key))):
        return np.zeros(len(anns), bool)
    return np.array(_pluck(anns, key), dtype=bool)


def _names(anns: list) -> tuple[np.ndarray, list[str]]:
    """Annotator codes and names, each distinct `completed_by` resolved once (few annotators, many annotations)."""
    try:  # the common shape, every completed_by an {"email"}: one pipeline from annotation to email
        codes, keys = codes_of(list(map(dict.get, map(dict.get, anns, repeat("completed_by")), repeat("email"))))
    except TypeError:  # a user id, an unhashable email, or no completed_by
        keys = [None]
    if None in keys and len(anns):
        who = _pluck(anns, "completed_by")
        emails = [w.get("email") if isinstance(w, dict) else w for w in who]
        try:
            codes, keys = codes_of([k if k is not None else annotator_name(w) for k, w in zip(emails, who)])
        except TypeError:  # an unhashable email value
            codes, keys = codes_of(list(map(annotator_name, who)))
    names = [annotator_name(k) for k in keys]
    categories = list(dict.fromkeys(names))  # "alice" and "alice@nblabel.local" are one annotator
    remap = np.array([categories.index(n) for n in names], dtype=np.int64)
    return (remap[codes] if len(codes) else codes), categories

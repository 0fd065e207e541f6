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
_ANN = ("task", "annotator", "id", "was_cancelled", "ground_truth", "lead_time", "created_at", "updated_at",
        "result")


@dataclass
class Answers:
    """Every annotation of a project as one table, with the config and the tasks it came from."""

    config: Config | None
    ids: list  # task ids by position
    frame: pd.DataFrame  # the tasks (data columns + annotations), what consensus writes back to
    table: pd.DataFrame  # one row per annotation, columns `_ANN` (+ `origins`)

    def live(self) -> pd.DataFrame:
        """Latest non-cancelled annotation per (task, annotator), ordered by task."""
        t = self.table
        t = t[~t["was_cancelled"].to_numpy(bool)]
        key = t["task"].to_numpy(np.int64) * (len(self.annotators) + 1) + t["annotator"].cat.codes.to_numpy()
        if len(np.unique(key)) != len(key):
            # An annotator with several annotations of one task (possible in Label Studio): the latest counts.
            stamp = t["updated_at"].fillna("").astype(str).to_numpy()
            order = np.lexsort((stamp, key))
            last = np.r_[key[order][1:] != key[order][:-1], True]
            t = t.iloc[np.sort(order[last])]
        return t

    @property
    def annotators(self) -> list[str]:
        """Annotator names in first-seen order."""
        return list(self.table["annotator"].cat.categories)


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
    return Answers(config, list(frame.index), frame, _table(frame["annotations"].tolist()))


def _table(columns: list) -> pd.DataFrame:
    """One row per annotation dict of the `annotations` cells (each a list; None / NaN count as none)."""
    counts = np.fromiter((len(a) if isinstance(a, list) else 0 for a in columns), np.int64, len(columns))
    anns = list(chain.from_iterable(a for a in columns if isinstance(a, list) and a))
    bad = next((a for a in anns if not isinstance(a, dict)), None)
    if bad is not None:
        raise TypeError(f"an annotation must be a Label Studio annotation dict, not {type(bad).__name__}: {bad!r}")
    get = dict.get
    who = list(map(get, anns, repeat("completed_by")))
    names = _names(who)
    results = [r if isinstance(r, list) else [] for r in map(get, anns, repeat("result"))]
    out = pd.DataFrame({
        "task": np.repeat(np.arange(len(columns), dtype=np.int64), counts),
        "annotator": names,
        "id": list(map(get, anns, repeat("id"))),
        "was_cancelled": np.fromiter(map(bool, map(get, anns, repeat("was_cancelled"))), bool, len(anns)),
        "ground_truth": np.fromiter(map(bool, map(get, anns, repeat("ground_truth"))), bool, len(anns)),
        "lead_time": pd.to_numeric(pd.Series(list(map(get, anns, repeat("lead_time"))), dtype=object),
                                   errors="coerce").to_numpy(float),
        "created_at": list(map(get, anns, repeat("created_at"))),
        "updated_at": list(map(get, anns, repeat("updated_at"))),
    })
    out["result"] = pd.Series(results, index=out.index, dtype=object)
    return out


def _names(who: list) -> pd.Categorical:
    """Annotator names, resolved once per distinct `completed_by` (a few annotators, many annotations)."""
    try:
        keys = list(map(dict.get, who, repeat("email")))  # the common shape: every completed_by an {"email"}
    except TypeError:
        keys = [w.get("email") if isinstance(w, dict) else w for w in who]
    for i in [i for i, k in enumerate(keys) if not isinstance(k, (str, int))]:
        keys[i] = annotator_name(who[i])
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    names = [annotator_name(u) for u in uniques]
    categories = list(dict.fromkeys(names))  # "alice" and "alice@nblabel.local" are one annotator
    remap = np.array([categories.index(n) for n in names], dtype=np.int64)
    return pd.Categorical.from_codes(remap[codes] if len(codes) else codes, categories=categories)

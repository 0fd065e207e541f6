"""Annotations as a table: the one place that decides what a DataFrame of tasks holds.

Rules (shared by `Labeler.to_pandas()` and `read_label_studio`):
- a task's *latest* annotation is its newest non-cancelled one by `updated_at` (the first of equals wins);
  entries that are not dicts are ignored;
- the *simple value* of a control, from the latest annotation's result (results whose `from_name` is the control
  and whose `type` is its type, in result order): Choices → every chosen value, the value itself when the control
  is single-choice and exactly one was chosen; TextArea → every text, the text itself when there is exactly one;
  any other control → the list of its results' `value` dicts (copies). No such result → None;
- the frame: one row per task, the data columns first, then `annotations`, `predictions`, one simple column per
  control (`<name>_label` when a data column has the control's name), then `meta` when asked;
  `df.attrs["nblabel"]` records the config XML and which columns are data;
- data built from task dicts keeps their first-seen key order; a task lacking a key another task has gets
  `pd.NA` there ("no such key", which exporters leave out); a column keeps Python values unless every value has
  one numpy-friendly type, so ints never turn into floats.
"""

from __future__ import annotations

from itertools import chain, repeat
from typing import Any, Iterable

import pandas as pd

__all__ = ["latest", "records_frame", "simple_values", "task_frame"]


def latest(annotations: Iterable[Any]) -> dict | None:
    """The newest non-cancelled annotation (by `updated_at`), or None."""
    if type(annotations) is list and len(annotations) == 1:  # the common case, without the max()
        only = annotations[0]
        return only if type(only) is dict and not only.get("was_cancelled") else None
    live = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(live, key=_updated) if live else None


def _updated(annotation: dict) -> Any:
    return annotation.get("updated_at") or ""


def simple_values(result: Any, controls: dict, types: dict | None = None) -> dict[str, Any]:
    """Every control's simple value from one result list, in one pass; controls without a result are absent.
    `types`: control name → result type, when the caller has it at hand for many calls."""
    items: dict[str, list] = {}
    if types is None:
        types = {name: c.type for name, c in controls.items()}
    for r in result or ():
        name = r.get("from_name")
        kind = types.get(name)
        if kind is None:  # not a plain name: a <Repeater>'s concrete name resolves through `controls`
            control = controls.get(name)
            kind = control.type if control is not None else None
        if kind is not None and r.get("type") == kind:
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


def _column(values: list, index: pd.Index) -> pd.Series:
    """Keep numpy dtypes only for uniform columns: [1, None] must not become [1.0, nan], and a pd.NA
    ("no such key") must survive, which only an object column guarantees."""
    kinds = {type(v) for v in values}
    if kinds and (kinds <= {int} or kinds == {float} or kinds == {bool} or kinds == {str}):
        return pd.Series(values, index=index)
    return pd.Series(values, index=index, dtype=object)


def records_frame(datas: list[dict], index: pd.Index) -> pd.DataFrame:
    """The data columns of tasks given as dicts (one per row, aligned with `index`)."""
    keys = dict.fromkeys(chain.from_iterable(datas))  # every key, in order of first appearance
    return pd.DataFrame({k: _column(list(map(dict.get, datas, repeat(k), repeat(pd.NA))), index) for k in keys},
                        index=index)


def task_frame(data: pd.DataFrame, annotations: list[list[dict]], predictions: list[list[dict]], config: Any,
               *, meta: list[dict] | None = None, info: dict | None = None) -> pd.DataFrame:
    """`data` (the data columns, one row per task; the caller's own frame, columns are added to it) with the
    annotation columns. `config`: a parsed Config, or None for no simple columns. `meta`: a `meta` column
    (`_meta` if a data column is named so) when any task has one. `info`: more keys for `attrs["nblabel"]`."""
    index = data.index
    data_columns = [str(c) for c in data.columns]
    data["annotations"] = pd.Series(annotations, index=index, dtype=object)
    data["predictions"] = pd.Series(predictions, index=index, dtype=object)
    if config is not None:
        controls = config.controls
        types = {name: c.type for name, c in controls.items()}
        columns: dict[str, list] = {}
        for row, anns in enumerate(annotations):
            if not anns:
                continue
            if type(anns) is list and len(anns) == 1:  # `latest` of one, inline: most tasks have one answer
                chosen = anns[0]
                if type(chosen) is not dict or chosen.get("was_cancelled"):
                    continue
            else:
                chosen = latest(anns)
                if chosen is None:
                    continue
            result = chosen.get("result")
            if result:
                for name, value in simple_values(result, controls, types).items():
                    if name not in columns:
                        columns[name] = [None] * len(annotations)
                    columns[name][row] = value
        # a <Repeater>'s controls: one column per index seen
        for name in config.repeated_names([*controls, *columns]):
            column = f"{name}_label" if name in data_columns else name
            # object dtype: None, lists and str stay as they are
            values = columns.get(name)
            data[column] = pd.Series(values if values is not None else [None] * len(annotations), index=index,
                                     dtype=object)
    attrs: dict[str, Any] = {"config": config.xml if config is not None else None, "data_columns": data_columns}
    if meta is not None:
        meta_column = None
        if any(meta):
            meta_column = "meta" if "meta" not in data.columns else "_meta"
            data[meta_column] = pd.Series(meta, index=index, dtype=object)
        attrs["meta_column"] = meta_column
    attrs.update(info or {})
    data.attrs["nblabel"] = attrs
    return data

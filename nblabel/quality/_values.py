"""What each control answered in each annotation: one column of values per control, over the live annotations.

Rules:
- a control's kind decides how its answers are held: "category" (Choices, Taxonomy, DateTime, Pairwise,
  Ranker: one integer code per answer), "number" (Rating, Number), "text" (TextArea: a code per distinct text),
  "regions" (every span / shape / mask / track control: the result items), "per_region" (a classification
  control answering for regions, `perRegion="true"` or values carrying a region's geometry: the items);
- a classification answer is held only for the annotations that gave one; a region control holds every live
  annotation (no regions is an answer: "nothing to mark here");
- several items of one classification control in one annotation are merged (choices united; otherwise the
  last one counts);
- without a config the controls are read from the results (`from_name`, `type`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from ._data import codes_of, pick

KINDS = {"choices": "category", "taxonomy": "category", "datetime": "category", "pairwise": "category",
         "ranker": "category", "rating": "number", "number": "number", "textarea": "text"}
SKIP = {"relation"}  # links between regions: agreement is on the regions themselves
_SEP = "\x1f"
_REGION_KEYS = ("start", "x", "points", "ranges", "sequence", "rle", "globalOffsets")


@dataclass
class Column:
    """One control's answers over the live annotations (rows index `Answers.live()`)."""

    name: str
    type: str
    tag: str | None
    kind: str
    single: bool  # one choice per answer (Choices choice="single")
    row: np.ndarray  # live rows holding an answer
    codes: np.ndarray | None = None  # category / text: one code per answer
    uniques: list | None = None  # code -> value (category: tuple of labels or str; text: str)
    numbers: np.ndarray | None = None  # number: one value per answer
    objects: list | None = None  # regions / per_region: the control's result items per answer
    attrs: dict | None = None  # the control's XML attributes

    def labels_of(self, code: int) -> tuple:
        """The labels an answer code stands for (per-label agreement)."""
        v = self.uniques[code]
        if self.type == "taxonomy":
            return tuple(" / ".join(map(str, p)) for p in v)
        return v if isinstance(v, tuple) else (v,)


def _pluck(dicts: list, key: str) -> list:
    try:
        return list(map(dict.get, dicts, repeat(key)))
    except TypeError:  # a non-dict somewhere: read it as "no such key"
        return [d.get(key) if isinstance(d, dict) else None for d in dicts]


def controls_of(config: Any, items_types: dict[str, str]) -> list[tuple[str, str, str | None, bool, dict]]:
    """(name, type, tag, single, attrs) of every control to measure, config order first."""
    out = []
    if config is not None:
        # a <Repeater>'s controls are measured per concrete name answered (labels_0, labels_2), not as the template
        for c in map(config.controls.__getitem__, config.repeated_names([*config.controls, *items_types])):
            if c.type not in SKIP:
                out.append((c.name, c.type, c.tag, c.single, dict(c.node.attrs)))
    known = {o[0] for o in out}
    for name, typ in items_types.items():
        if name not in known and typ not in SKIP and name is not None:
            out.append((name, typ, None, typ != "choices", {}))
    return out


def columns(live: Any, answers: Any) -> dict[str, Column]:
    """A `Column` per control over the live annotations `live`, from the loader's result items."""
    items, n_live, n_anns = answers.items, len(live), len(answers.anns)
    if n_live == n_anns:  # every annotation is live (live rows are sorted, distinct): item rows are live rows
        rows, keep = items.ann, None
    else:
        pos = np.full(n_anns, -1, np.int64)
        pos[live.source] = np.arange(n_live, dtype=np.int64)
        rows = pos[items.ann]
        keep = np.flatnonzero(rows >= 0)
        rows = rows[keep]
    codes = items.control if keep is None else items.control[keep]
    every = keep is None and len(items.controls) <= 1
    by_name = {u: k for k, u in enumerate(items.controls) if u is not None}
    out = {}
    for name, typ, tag, single, attrs in controls_of(answers.config, items.types):
        k = by_name.get(name)
        if k is None:
            sel, mine = np.empty(0, np.int64), []
        elif every:
            sel, mine = np.arange(len(codes), dtype=np.int64), items.items
        else:
            sel = np.flatnonzero(codes == k)
            mine = pick(items.items, sel if keep is None else keep[sel])
        if typ is None:
            typ = mine[0].get("type") if mine else "choices"
        kind = KINDS.get(typ, "regions")
        if kind != "regions" and (attrs.get("perRegion", "").lower() == "true" or _has_regions(mine)):
            kind = "per_region"
        out[name] = _column(name, typ, tag, kind, single, attrs, rows[sel], mine, n_live)
    return out


def _has_regions(items: list) -> bool:
    for it in items[:50]:
        value = it.get("value") if isinstance(it, dict) else None
        if isinstance(value, dict) and any(k in value for k in _REGION_KEYS):
            return True
    return False


def _column(name, typ, tag, kind, single, attrs, rows: np.ndarray, items: list, n_live: int) -> Column:
    col = Column(name, typ, tag, kind, single, np.empty(0, np.int64), attrs=attrs)
    if kind in ("regions", "per_region"):
        groups: list[list] = [[] for _ in range(n_live)]
        for r, it in zip(rows.tolist(), items):
            groups[r].append(it)
        col.row = np.arange(n_live, dtype=np.int64) if kind == "regions" else np.unique(rows)
        col.objects = groups if kind == "regions" else [groups[r] for r in col.row.tolist()]
        return col
    several = len(rows) > 1 and bool(np.any(rows[1:] == rows[:-1]))
    if typ == "choices" and not several:
        fused = _choice_codes(items, single)
        if fused is not None:
            col.row, (col.codes, index) = rows, fused
            col.uniques = [_decode(typ, u, single) for u in index]
            return col
    values = _pluck(items, "value")
    if several:
        rows, values = _merge(rows, values, typ)
    col.row = rows
    if kind == "number":
        key = "rating" if typ == "rating" else "number"
        nums = pd.to_numeric(pd.Series(_pluck(values, key), dtype=object), errors="coerce").to_numpy(float)
        keep = ~np.isnan(nums)
        col.row, col.numbers = rows[keep], nums[keep]
        return col
    keys = _keys(typ, values, single)
    if None in keys:
        keep = np.fromiter((k is not None for k in keys), bool, len(keys))
        rows, keys = rows[keep], [k for k in keys if k is not None]
    index: dict = {}
    col.row = rows
    col.codes = np.fromiter(map(index.setdefault, keys, map(len, repeat(index))), np.int64, len(keys))
    col.uniques = [_decode(typ, u, single) for u in index]
    return col


def _choice_codes(items: list, single: bool) -> tuple[np.ndarray, list] | None:
    """Codes of the choice keys, item to code in one pipeline; None when some item is not the plain shape."""
    lists = map(dict.get, map(dict.get, items, repeat("value")), repeat("choices"))
    try:
        return codes_of(list(map(_SEP.join, lists if single else map(sorted, map(set, lists)))))
    except TypeError:
        return None


def _merge(rows: np.ndarray, values: list, typ: str) -> tuple[np.ndarray, list]:
    merged: dict[int, dict] = {}
    for r, v in zip(rows.tolist(), values):
        if not isinstance(v, dict):
            continue
        if r in merged and typ in ("choices", "taxonomy"):
            prev = merged[r]
            merged[r] = {typ: list(prev.get(typ) or []) + list(v.get(typ) or [])}
        else:
            merged[r] = v
    keys = sorted(merged)
    return np.asarray(keys, dtype=np.int64), [merged[r] for r in keys]


def _keys(typ: str, values: list, single: bool) -> list:
    """One hashable text key per answer (None: not a readable answer)."""
    if typ == "choices":
        lists = _pluck(values, "choices")
        try:
            if single:
                return list(map(_SEP.join, lists))
            return list(map(_SEP.join, map(sorted, map(set, lists))))
        except TypeError:
            return [(_SEP.join(c) if single else _SEP.join(sorted(set(c))))
                    if isinstance(c, list) and all(isinstance(x, str) for x in c) else None for c in lists]
    if typ == "textarea":
        texts = _pluck(values, "text")
        return ["\n".join(map(str, t)) if isinstance(t, list) else (t if isinstance(t, str) else None)
                for t in texts]
    if typ == "taxonomy":
        return [json.dumps(sorted(map(list, p))) if isinstance(p, list) else None for p in _pluck(values, "taxonomy")]
    key = {"datetime": "datetime", "pairwise": "selected", "ranker": "ranker"}.get(typ, typ)
    return [json.dumps(v, sort_keys=True) if v is not None else None for v in _pluck(values, key)]


def _decode(typ: str, key: str, single: bool) -> Any:
    if typ == "choices":
        return key if single else tuple(key.split(_SEP)) if key else ()
    if typ == "textarea":
        return key
    if typ == "taxonomy":
        return tuple(tuple(p) for p in json.loads(key))
    return json.loads(key)

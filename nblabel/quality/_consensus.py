"""`consensus()` and `ground_truth()`: one answer per task from several annotators, and the starred ones.

Rules:
- per control: choices and other categories by (weighted) majority, `tie` when the top answers are equally
  supported (the first annotator's answer in the store order wins); numbers by the (weighted) median; text by
  the medoid (the answer with the highest summed edit similarity to the others);
- spans and shapes are matched across annotators (the same matching as agreement: overlap for spans, IoU ≥ 0.5
  for shapes) and kept where more than half of the task's annotators drew them, with the majority label and the
  geometry of the member most similar to the others; per-region answers are voted per kept region
  (`_consensus_regions`);
- `method="weighted"` weighs each annotator by their mean agreement with the others (`agreement().pairs`);
- the consensus annotation has `completed_by = {"email": "consensus@nblabel.local"}`.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from ._agreement import report
from ._data import Answers, load
from ._metrics import edit_similarity
from ._consensus_regions import Cluster, answers_on, merge_answers, merge_regions
from ._values import _REGION_KEYS, KINDS, SKIP, controls_of

CONSENSUS_EMAIL = "consensus@nblabel.local"


def _simple(items: list[dict], typ: str, single: bool) -> Any:
    """JSON_MIN's value style for a control's items (single choice → "Positive", one text → "…", else a list)."""
    if not items:
        return None
    if typ == "choices":
        choices = [c for r in items for c in (r.get("value") or {}).get("choices", [])]
        return choices[0] if single and len(choices) == 1 else choices
    if typ == "textarea":
        texts = [t for r in items for t in (r.get("value") or {}).get("text", [])]
        return texts[0] if len(texts) == 1 else texts
    if typ in ("rating", "number", "datetime") and len(items) == 1:
        return (items[0].get("value") or {}).get(typ)
    return [dict(r.get("value") or {}) for r in items]


def _weights(answers: Answers, method: str) -> np.ndarray:
    if method == "majority":
        return np.ones(len(answers.annotators))
    if method != "weighted":
        raise ValueError(f"method={method!r}: expected 'majority' or 'weighted'")
    pairs = report(answers).pairs
    w = np.nanmean(pairs.to_numpy(), axis=1) if len(pairs) else np.ones(0)
    w = np.where(np.isnan(w), np.nanmean(w) if np.isfinite(w).any() else 1.0, w)
    return np.maximum(w, 1e-6)


def _key(item: dict) -> str:
    value = {k: v for k, v in (item.get("value") or {}).items()}
    if item.get("type") == "choices" and isinstance(value.get("choices"), list):
        value["choices"] = sorted(value["choices"])
    return json.dumps(value, sort_keys=True, default=str)


def _vote(answers: list[tuple[float, list[dict]]], typ: str) -> tuple[list[dict], bool]:
    """answers: (weight, items) per annotator that answered. Returns (items, tie)."""
    kind = KINDS.get(typ, "regions")
    if kind == "number":
        key = typ
        vals = [(float((it[0].get("value") or {}).get(key)), w, it) for w, it in answers
                if it and isinstance((it[0].get("value") or {}).get(key), (int, float))]
        if not vals:
            return [], False
        vals.sort(key=lambda v: v[0])
        total, acc = sum(w for _, w, _ in vals), 0.0
        for v, w, it in vals:
            acc += w
            if acc >= total / 2:
                out = copy.deepcopy(it[:1])
                out[0]["value"][key] = int(v) if typ == "rating" and float(v).is_integer() else v
                return out, False
    if kind == "text":
        texts = ["\n".join(map(str, (it[0].get("value") or {}).get("text", []))) for _, it in answers]
        sums = [sum(w * edit_similarity(t, u) for (w, _), u in zip(answers, texts)) for t in texts]
        best = int(np.argmax(sums))
        return copy.deepcopy(answers[best][1]), sums.count(sums[best]) > 1 and len(set(texts)) > 1
    support: dict[str, float] = defaultdict(float)
    first: dict[str, list[dict]] = {}
    for w, items in answers:
        k = _key(items[0]) if len(items) == 1 else "|".join(sorted(map(_key, items)))
        support[k] += w
        first.setdefault(k, items)
    ranked = sorted(support.items(), key=lambda kv: -kv[1])
    tie = len(ranked) > 1 and np.isclose(ranked[0][1], ranked[1][1])
    return copy.deepcopy(first[ranked[0][0]]), bool(tie)


def _per_region(typ: str, attrs: dict, per_ann: list) -> bool:
    """A control answered once per region: declared `perRegion`, or a non-region control whose items carry a place."""
    if KINDS.get(typ, "regions") == "regions":
        return False
    if attrs.get("perRegion", "").lower() == "true":
        return True
    return any(isinstance(it.get("value"), dict) and any(k in it["value"] for k in _REGION_KEYS)
               for _, items in per_ann[:3] for it in items[:3])


def consensus(data: Any, config: Any = None, method: str = "majority") -> pd.DataFrame:
    """A frame like `Labeler.to_pandas()` with one consensus annotation per annotated task.

    Columns `consensus_<control>` hold the simple value of each control's consensus and `tie` says whether a
    vote was tied somewhere in the task. `method`: "majority" or "weighted" (see the module rules).
    """
    answers = load(data, config)
    weights = _weights(answers, method)
    live = answers.live()
    controls = [c for c in controls_of(answers.config, {r.get("from_name"): r.get("type")
                                                         for res in live.result[:1000] for r in res})
                if c[1] not in SKIP]
    n = len(answers.ids)
    anns: list[list] = [[] for _ in range(n)]
    ties = np.zeros(n, bool)
    simple = {name: [None] * n for name, *_ in controls}
    starts = np.flatnonzero(np.r_[True, live.task[1:] != live.task[:-1]]) if len(live) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(live)]
    for s, e in zip(starts.tolist(), ends.tolist()):
        t = int(live.task[s])
        rows = range(s, e)
        result: list[dict] = []
        placed: list[tuple[str, Cluster]] = []  # (object, kept region cluster) for the per-region answers
        later = []
        for name, typ, _tag, single, attrs in controls:
            per_ann = [(float(weights[live.rater[r]]), [it for it in live.result[r] if it.get("from_name") == name])
                       for r in rows]
            if _per_region(typ, attrs, per_ann):
                later.append((name, typ, attrs, per_ann))
                continue
            if KINDS.get(typ, "regions") == "regions":
                items, kept = merge_regions(per_ann)
                placed.extend(((c.item or {}).get("to_name"), c) for c in kept)
                tie = False
            else:
                given = [(w, it) for w, it in per_ann if it]
                if not given:
                    continue
                items, tie = _vote(given, typ)
            ties[t] |= tie
            result.extend(items)
            simple[name][t] = _simple(items, typ, single)
        for name, typ, attrs, per_ann in later:
            objects = set(filter(None, str(attrs.get("toName", "")).split(",")))
            mine = [c for obj, c in placed if not objects or obj in objects]
            items, tie = merge_answers(per_ann, mine, typ, _vote)
            ties[t] |= tie
            result.extend(items)
            simple[name][t] = answers_on(items)
        anns[t] = [{"id": None, "completed_by": {"email": CONSENSUS_EMAIL}, "result": result,
                    "was_cancelled": False, "ground_truth": False, "lead_time": None,
                    "parent_prediction": None, "result_count": len(result)}]
    out = answers.frame.copy(deep=False)
    data_columns = (out.attrs.get("nblabel") or {}).get("data_columns") or []
    out["annotations"] = pd.Series(anns, index=out.index, dtype=object)
    for name, *_ in controls:
        values = pd.Series(simple[name], index=out.index, dtype=object)
        column = f"{name}_label" if name in data_columns else name
        if column in out.columns or answers.config is not None:
            out[column] = values
        out[f"consensus_{name}"] = values
    out["tie"] = ties
    out.attrs = dict(answers.frame.attrs)
    return out


def ground_truth(data: Any, config: Any = None) -> pd.DataFrame:
    """The ground-truth annotation (`ground_truth: true`) of each task that has one: task id → annotation id,
    annotator and one simple value column per control."""
    answers = load(data, config)
    t = answers.table
    rows = np.flatnonzero(t.ground_truth & ~t.cancelled)
    controls = controls_of(answers.config, {r.get("from_name"): r.get("type") for x in rows for r in t.result[x]})
    records = []
    for r in rows.tolist():
        rec = {"annotation_id": answers.anns[t.source[r]].get("id"), "annotator": answers.annotators[t.rater[r]]}
        for name, typ, _tag, single, _attrs in controls:
            rec[name] = _simple([it for it in t.result[r] if it.get("from_name") == name], typ, single)
        records.append(rec)
    index = answers.ids[t.task[rows]] if len(rows) else answers.ids[:0]
    return pd.DataFrame(records, index=index, columns=["annotation_id", "annotator", *[c[0] for c in controls]])

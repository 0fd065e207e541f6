"""Pairwise agreement of two annotations, per control, as Label Studio scores it (0–1).

Default metric per control kind (override with `agreement(..., metrics={name: "jaccard" | callable})`):

| control | metric | a pair of answers scores |
|---|---|---|
| single Choices, Taxonomy, DateTime, Pairwise, Ranker | "exact" | 1 if equal, else 0 |
| multiple Choices | "jaccard" | shared choices / all choices of both |
| Rating, Number | "numeric" | 1 − difference / range (Rating 1..maxRating; Number min..max, else seen range) |
| TextArea | "edit" | 1 − Levenshtein distance / longer length (texts joined by newlines) |
| spans (Labels, HyperTextLabels, ParagraphLabels, TimeSeriesLabels, TimelineLabels) | "overlap_f1" |
|   | | F1 of spans matched by overlap and label |
| shapes, keypoints, brush, video tracks | "iou_f1" | F1 of regions matched by IoU ≥ 0.5 and label |
| per-region Choices / TextArea / Rating / Number | "region" | the answers of regions matched by geometry |

Rules: a classification pair counts when at least one of the two answered (the other scores 0); a region pair
always counts (no regions on both sides is agreement); a custom callable gets the two annotations' result items
of that control (lists of dicts) and returns a number in 0–1.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ._regions import SPAN_KINDS, match_answers, match_regions, regions
from ._values import Column

NAMES = ("exact", "jaccard", "numeric", "edit", "overlap_f1", "iou_f1", "exact_f1", "region")


def default_metric(col: Column) -> str:
    """Label Studio's default metric for a control (see the module table)."""
    if col.kind == "category":
        return "jaccard" if col.type == "choices" and not col.single else "exact"
    if col.kind == "number":
        return "numeric"
    if col.kind == "text":
        return "edit"
    if col.kind == "per_region":
        return "region"
    return "overlap_f1" if _span_control(col) else "iou_f1"


def _span_control(col: Column) -> bool:
    if col.type in ("labels", "hypertextlabels", "paragraphlabels", "timeserieslabels", "timelinelabels"):
        return True
    for items in (col.objects or [])[:20]:
        for r in regions(items):
            return r.kind in SPAN_KINDS
    return False


def levenshtein(a: str, b: str) -> int:
    """Edit distance; one numpy pass per character of `a` (the in-row dependency is a running minimum)."""
    if a == b:
        return 0
    if not a or not b:
        return max(len(a), len(b))
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(b) + 1)
    row = steps.copy()
    for ch in a:
        sub = row[:-1] + (bb != ord(ch))
        t = np.empty_like(row)
        t[0] = row[0] + 1
        t[1:] = np.minimum(row[1:] + 1, sub)
        row = np.minimum.accumulate(t - steps) + steps
    return int(row[-1])


def edit_similarity(a: str, b: str) -> float:
    """1 − Levenshtein distance / length of the longer text; two empty texts agree fully."""
    longest = max(len(a), len(b))
    return 1.0 - levenshtein(a, b) / longest if longest else 1.0


def _jaccard(a: Any, b: Any) -> float:
    sa, sb = set(a if isinstance(a, tuple) else (a,)), set(b if isinstance(b, tuple) else (b,))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def numeric_range(col: Column) -> float:
    """The span a numeric difference is divided by."""
    attrs = col.attrs or {}
    try:
        if col.type == "rating":
            return max(float(attrs.get("maxRating", 5)) - 1, 1.0)
        if "min" in attrs and "max" in attrs and float(attrs["max"]) > float(attrs["min"]):
            return float(attrs["max"]) - float(attrs["min"])
    except ValueError:
        pass
    spread = float(np.ptp(col.numbers)) if len(col.numbers) else 0.0
    return spread if spread > 0 else 1.0


def _by_code_pairs(ca: np.ndarray, cb: np.ndarray, fn: Callable[[int, int], float]) -> np.ndarray:
    """`fn` over distinct (code, code) pairs only, spread back to every pair."""
    if not len(ca):
        return np.empty(0)
    k = int(max(ca.max(), cb.max())) + 1
    keys, inverse = np.unique(ca * k + cb, return_inverse=True)
    return np.array([fn(int(x // k), int(x % k)) for x in keys], dtype=float)[inverse]


def scores(col: Column, i: np.ndarray, j: np.ndarray, n_live: int, metric: Any, results: list | None = None,
           ) -> tuple[np.ndarray, dict]:
    """Score of each live pair (i, j) for one control, NaN where the pair does not count; plus details
    (`mean_iou` / `exact_f1` arrays, per-label counts) for region metrics."""
    details: dict = {}
    if len(col.row) == n_live and col.kind in ("category", "number", "text") and isinstance(metric, str) \
            and metric != "region":  # every live annotation answered (rows are distinct): answer = live row
        pa, pb = i, j
        either = both = slice(None)
        out = np.empty(len(i))
    else:
        pos = np.full(n_live, -1, dtype=np.int64)
        pos[col.row] = np.arange(len(col.row))
        pa, pb = pos[i], pos[j]
        either = (pa >= 0) | (pb >= 0)
        both = (pa >= 0) & (pb >= 0)
        out = np.full(len(i), np.nan)
    if callable(metric):
        name = col.name
        for k in np.flatnonzero(either if col.kind != "regions" else np.ones(len(i), bool)).tolist():
            a = [r for r in results[i[k]] if r.get("from_name") == name]
            b = [r for r in results[j[k]] if r.get("from_name") == name]
            out[k] = float(metric(a, b))
        return out, details
    if metric in ("overlap_f1", "iou_f1", "exact_f1") and col.kind == "regions":
        return _region_scores(col, pa, pb, metric, out, details)
    if metric == "region" or col.kind == "per_region":
        return _per_region(col, pa, pb, either, out), details
    out[either] = 0.0
    if metric == "numeric":
        if col.numbers is None:
            raise ValueError(f"metric 'numeric' needs a Rating or Number control, not {col.type!r} ({col.name})")
        out[both] = np.clip(1 - np.abs(col.numbers[pa[both]] - col.numbers[pb[both]]) / numeric_range(col), 0, 1)
        return out, details
    if col.codes is None:
        raise ValueError(f"metric {metric!r} does not apply to control {col.name!r} ({col.type})")
    ca, cb = col.codes[pa[both]], col.codes[pb[both]]
    # per-label agreement reads the codes of every counted pair (−1: that side did not answer)
    if isinstance(both, slice):
        details["codes_a"], details["codes_b"] = ca, cb
    else:
        details["codes_a"] = np.where(pa >= 0, col.codes[np.maximum(pa, 0)], -1)[either] if len(col.codes) \
            else pa[either]
        details["codes_b"] = np.where(pb >= 0, col.codes[np.maximum(pb, 0)], -1)[either] if len(col.codes) \
            else pb[either]
    if metric == "exact":
        out[both] = ca == cb
    elif metric == "jaccard":
        out[both] = _by_code_pairs(ca, cb, lambda x, y: _jaccard(col.uniques[x], col.uniques[y]))
    elif metric == "edit":
        out[both] = _by_code_pairs(ca, cb, lambda x, y: edit_similarity(str(col.uniques[x]), str(col.uniques[y])))
    else:
        raise ValueError(f"metric={metric!r}: expected one of {', '.join(NAMES)} or a callable")
    return out, details


def _region_scores(col: Column, pa, pb, metric: str, out: np.ndarray, details: dict):
    regs = [regions(items) for items in col.objects]
    iou = np.full(len(pa), np.nan)
    exact = np.full(len(pa), np.nan)
    labels: dict[str, list[int]] = {}
    for k, (x, y) in enumerate(zip(pa.tolist(), pb.tolist())):
        m = match_regions(regs[x], regs[y])
        out[k] = m.exact if metric == "exact_f1" else m.score
        iou[k], exact[k] = m.mean_iou, m.exact
        for lab, (hit, total) in m.labels.items():
            acc = labels.setdefault(lab, [0, 0])
            acc[0] += hit
            acc[1] += total
    details.update(mean_iou=iou, exact_f1=exact, labels=labels)
    return out, details


def _answer_agreement(col: Column) -> Callable[[dict, dict], float]:
    if col.type == "choices":
        return lambda a, b: _jaccard(tuple(a.get("choices") or ()), tuple(b.get("choices") or ()))
    if col.type in ("rating", "number"):
        key = col.type
        span = max(float((col.attrs or {}).get("maxRating", 5)) - 1, 1.0) if key == "rating" else None

        def numeric(a, b):
            try:
                x, y = float(a.get(key)), float(b.get(key))
            except (TypeError, ValueError):
                return 0.0
            return max(0.0, 1 - abs(x - y) / span) if span else float(x == y)
        return numeric
    if col.type == "textarea":
        return lambda a, b: edit_similarity("\n".join(map(str, a.get("text") or [])),
                                            "\n".join(map(str, b.get("text") or [])))
    return lambda a, b: float(a.get(col.type) == b.get(col.type))


def _per_region(col: Column, pa, pb, either, out: np.ndarray) -> np.ndarray:
    regs = [regions(items, with_labels=False) for items in col.objects]
    agree = _answer_agreement(col)
    for k in np.flatnonzero(either).tolist():
        a = regs[pa[k]] if pa[k] >= 0 else []
        b = regs[pb[k]] if pb[k] >= 0 else []
        score = match_answers(a, b, agree)
        out[k] = 0.0 if math.isnan(score) else score
    return out

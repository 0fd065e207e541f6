"""Two annotators' regions of one control, matched one to one: the F1 agreement of spans and shapes.

Rules:
- regions match only on the same object (`to_name`), the same image of a list / page (`item_index`,
  `pageIndex`) and the same label set; the most similar pairs are taken first (greedy by similarity), each
  region at most once;
- a pair matches when its similarity reaches the threshold: any overlap for spans (`> 0`), IoU ≥ 0.5 for
  shapes, masks and tracks, similarity ≥ 0.5 for keypoints; a region without geometry must be equal;
- agreement of two annotations = F1 = 2·matched / (regions of one + regions of the other); both empty → 1;
- per-region answers (`perRegion` controls) are matched by their region's geometry alone and score
  2·Σ agreement of the matched answers / (answers of one + answers of the other).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from ._shapes import geometry, similarity

SPAN_KINDS = ("span", "frames")


@dataclass(frozen=True)
class Region:
    """One region read from a result item."""

    where: tuple
    kind: str
    geom: Any = field(compare=False)
    labels: tuple
    value: dict = field(compare=False)


@dataclass
class PairMatch:
    """How two annotations' regions of one control agree."""

    score: float  # F1 of matched regions
    mean_iou: float  # mean similarity of the matched pairs (NaN without any)
    exact: float  # F1 of regions equal in geometry and label
    labels: dict[str, list[int]]  # label -> [2 x matched, regions of both with the label]


def _labels(item: dict) -> tuple:
    value = item.get("value") or {}
    key = item.get("type")
    got = value.get(key) if key else None
    if got is None:
        got = next((v for k, v in value.items() if k.endswith("labels") and isinstance(v, list)), None)
    return tuple(sorted(map(str, got))) if isinstance(got, list) else ()


def regions(items: list[dict], with_labels: bool = True) -> list[Region]:
    """The regions of result items, geometry read once."""
    out = []
    for it in items:
        value = it.get("value") if isinstance(it.get("value"), dict) else {}
        kind, geom = geometry(value)
        where = (it.get("to_name"), it.get("item_index", value.get("item_index")), value.get("pageIndex"))
        out.append(Region(where, kind, geom, _labels(it) if with_labels else (), value))
    return out


def threshold_for(kind: str) -> float:
    """Default similarity a pair needs to match: any overlap for spans, 0.5 otherwise, equality for values."""
    return 0.0 if kind in SPAN_KINDS else (1.0 if kind == "value" else 0.5)


def _matches(a: list[Region], b: list[Region], threshold: float | None) -> list[tuple[int, int, float]]:
    cand = []
    for i, ra in enumerate(a):
        for j, rb in enumerate(b):
            if ra.where != rb.where or ra.kind != rb.kind or ra.labels != rb.labels:
                continue
            sim = similarity(ra.kind, ra.geom, rb.geom)
            need = threshold_for(ra.kind) if threshold is None else threshold
            if sim > need or (sim >= need and need > 0):
                cand.append((sim, i, j))
    cand.sort(key=lambda c: -c[0])
    used_a, used_b, out = set(), set(), []
    for sim, i, j in cand:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, sim))
    return out


def _exact(a: list[Region], b: list[Region]) -> float:
    def key(r: Region):
        g = r.geom
        return (r.where, r.kind, r.labels, g if isinstance(g, (tuple, str)) else repr(g))
    common = sum((Counter(map(key, a)) & Counter(map(key, b))).values())
    return 2 * common / (len(a) + len(b)) if a or b else 1.0


def match_regions(a: list[Region], b: list[Region], threshold: float | None = None) -> PairMatch:
    """F1 of two annotations' regions of one control (see the module rules)."""
    if not a and not b:
        return PairMatch(1.0, math.nan, 1.0, {})
    pairs = _matches(a, b, threshold)
    labels: dict[str, list[int]] = {}
    for r in a + b:
        for lab in r.labels or ("",):
            labels.setdefault(lab, [0, 0])[1] += 1
    for i, _, _ in pairs:
        for lab in a[i].labels or ("",):
            labels[lab][0] += 2
    mean = sum(s for _, _, s in pairs) / len(pairs) if pairs else math.nan
    return PairMatch(2 * len(pairs) / (len(a) + len(b)), mean, _exact(a, b), labels)


def match_answers(a: list[Region], b: list[Region], agree: Callable[[dict, dict], float],
                  threshold: float | None = None) -> float:
    """Agreement of per-region answers: regions matched by geometry, their answers compared by `agree`."""
    if not a and not b:
        return math.nan
    pairs = _matches(a, b, threshold)
    return 2 * sum(agree(a[i].value, b[j].value) for i, j, _ in pairs) / (len(a) + len(b))

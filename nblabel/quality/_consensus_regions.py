"""Consensus of spans, shapes and the answers attached to them: regions matched across annotators.

Rules:
- a task's regions of one control are clustered across annotators (overlap for spans, IoU ≥ 0.5 for shapes:
  the matching agreement uses), at most one region per annotator in a cluster; a cluster is kept when more than
  half of the task's (weighted) annotators drew it, with the majority label and the geometry of the member most
  similar to the others (its `id` too, so answers attached to it stay attached);
- a per-region answer (`perRegion` control) belongs to the region of its annotator with the same `id`, else to
  that annotator's region it overlaps most; each kept cluster's answers are voted like a whole-task answer of
  the control's type, an annotator of the cluster who gave none voting for none; the winner is written with the
  consensus region's `id` and geometry;
- per-region answers with no region control to hang on (a config that only has per-region controls) are
  clustered by their own geometry first, with the same majority rule.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ._regions import Region, _labels, regions, threshold_for
from ._shapes import similarity

# The value keys that carry a region's place, copied from the consensus region onto its answers.
_PLACE = ("x", "y", "width", "height", "rotation", "points", "radiusX", "radiusY", "start", "end", "text",
          "startOffset", "endOffset", "globalOffsets", "ranges", "sequence", "item_index", "pageIndex")


@dataclass
class Cluster:
    """Regions of different annotators matched as one; `item` is the consensus version once decided."""

    members: list[tuple[int, float, Region, dict]] = field(default_factory=list)  # (slot, weight, region, item)
    item: dict | None = None

    def weight(self) -> float:
        """Summed weight of the annotators who drew it."""
        return sum(m[1] for m in self.members)


def _fits(reg: Region, seed: Region) -> float:
    """Similarity of two regions when they can match (same object and kind), else -1."""
    if seed.where != reg.where or seed.kind != reg.kind:
        return -1.0
    sim = similarity(reg.kind, seed.geom, reg.geom)
    need = threshold_for(reg.kind)
    return sim if sim > need or (need > 0 and sim >= need) else -1.0


def cluster(answers: list[tuple[float, list[dict]]]) -> list[Cluster]:
    """Regions of every annotator (slot = position in `answers`) grouped greedily by their first member."""
    clusters: list[Cluster] = []
    for slot, (w, items) in enumerate(answers):
        for reg, item in zip(regions(items, with_labels=False), items):
            best, best_sim = None, -1.0
            for c in clusters:
                if any(m[0] == slot for m in c.members):
                    continue
                sim = _fits(reg, c.members[0][2])
                if sim > best_sim:
                    best, best_sim = c, sim
            if best is None:
                clusters.append(Cluster([(slot, w, reg, item)]))
            else:
                best.members.append((slot, w, reg, item))
    return clusters


def majority(clusters: list[Cluster], total: float) -> list[Cluster]:
    """The clusters drawn by more than half of `total` weight, each given its consensus item."""
    kept = []
    for c in clusters:
        if c.weight() * 2 <= total:
            continue
        sims = [sum(similarity(m[2].kind, m[2].geom, o[2].geom) for o in c.members) for m in c.members]
        item = copy.deepcopy(c.members[int(np.argmax(sims))][3])
        labels: Counter = Counter()
        for _, w, _, it in c.members:
            labels[_labels(it)] += w
        top = labels.most_common(1)[0][0]
        key = item.get("type")
        if top and key in (item.get("value") or {}):
            item["value"][key] = list(top)
        c.item = item
        kept.append(c)
    return kept


def merge_regions(answers: list[tuple[float, list[dict]]]) -> tuple[list[dict], list[Cluster]]:
    """(consensus items, their clusters) of one region control."""
    kept = majority(cluster(answers), sum(w for w, _ in answers))
    return [c.item for c in kept], kept


def _own_answer(member: tuple, answers: list[dict]) -> dict | None:
    """The member annotator's per-region answer for the member's region: same id, else most overlapping."""
    _, _, reg, item = member
    rid = item.get("id")
    if rid is not None:
        for a in answers:
            if a.get("id") == rid:
                return a
    best, best_sim = None, -1.0
    for a, r in zip(answers, regions(answers, with_labels=False)):
        sim = _fits(r, reg)
        if sim > best_sim:
            best, best_sim = a, sim
    return best


def _answer_key(typ: str) -> str:
    """The value key holding a control's answer (a TextArea answers in `text`)."""
    return "text" if typ == "textarea" else typ


def _placed(winner: dict, region: dict, typ: str) -> dict:
    """The winning answer moved onto the consensus region (its id, object and geometry).

    The answer's own key is left alone: a per-region TextArea's `text` is the answer, not the span's text.
    """
    own = _answer_key(typ)
    out = copy.deepcopy(winner)
    if region.get("id") is not None:
        out["id"] = region["id"]
    out["to_name"] = region.get("to_name", out.get("to_name"))
    value = dict(out.get("value") or {})
    place = region.get("value") or {}
    for k in _PLACE:
        if k == own:
            continue
        value.pop(k, None)
        if k in place:
            value[k] = copy.deepcopy(place[k])
    out["value"] = value
    return out


def _answer_only(item: dict, typ: str) -> dict:
    """The item without its place, so that votes compare answers and not where each annotator drew."""
    own = _answer_key(typ)
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    return {**item, "value": {k: v for k, v in value.items() if k == own or k not in _PLACE}}


def merge_answers(per_slot: list[tuple[float, list[dict]]], clusters: list[Cluster], typ: str,
                  vote: Callable[[list, str], tuple[list[dict], bool]]) -> tuple[list[dict], bool]:
    """Consensus per-region answers of one control over the kept region `clusters` (see the module rules).

    `per_slot`: (weight, this control's items) per annotator, slots as in the clusters; with no clusters the
    answers are clustered by their own geometry. Returns (items, tie).
    """
    if not clusters:
        clusters = majority(cluster(per_slot), sum(w for w, _ in per_slot))
    out, tie = [], False
    for c in clusters:
        given, silent = [], 0.0
        for m in c.members:
            own = _own_answer(m, per_slot[m[0]][1])
            if own is None:
                silent += m[1]
            else:
                given.append((m[1], [_answer_only(own, typ)]))
        if not given or silent * 2 > c.weight():
            continue  # most of the region's annotators gave it no answer
        items, t = vote(given, typ)
        tie |= t
        out.extend(_placed(it, c.item or c.members[0][3], typ) for it in items[:1])
    return out, tie


def answers_on(items: list[dict]) -> Any:
    """JSON_MIN's style for per-region answers: one value dict per region."""
    return [dict(r.get("value") or {}) for r in items] if items else None

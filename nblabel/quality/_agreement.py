"""`agreement()`: how well several annotators agree, per control, per task, per annotator pair and per label.

Rules:
- only tasks with at least two live (latest, not cancelled) annotations count;
- every pair of annotations of a task is scored per control (`_metrics`); Label Studio's pairwise scoring: a
  task's agreement is the mean over its pairs, a control's the mean over its tasks; its consensus scoring: the
  share of a task's annotators agreeing (score ≥ `threshold`) with the best-supported answer;
- a pair's overall score is the mean over the controls it has a score for; a task's `overall` the mean of its
  pairs' overall scores;
- the reliability coefficients (`_reliability`) come with every classification control that is not per region.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._html import report_html
from ._data import Answers, load
from ._metrics import default_metric, scores
from ._pairs import group_mean, within
from ._reliability import alpha, cohen_by_pair, fleiss, percent
from ._values import Column, columns

_LEVELS = {"rating": "ordinal", "number": "interval"}


@dataclass
class AgreementReport:
    """What `agreement()` returns: DataFrames, and a compact HTML table in the notebook.

    summary: one row per control: metric, value, consensus_value, n_tasks, n_pairs (+ percent, cohen_kappa,
    fleiss_kappa, krippendorff_alpha for classification controls; mean_iou / exact_f1 for region controls).
    per_task: task id × control agreement, plus `overall`. pairs: annotator × annotator mean pair agreement.
    per_label: (control, label) → value (specific agreement: 2·both / either), support.
    ground_truth: annotator → agreement with the ground-truth annotation, overall and per control.
    """

    summary: pd.DataFrame
    per_task: pd.DataFrame
    pairs: pd.DataFrame
    per_label: pd.DataFrame
    ground_truth: pd.DataFrame
    overall: float
    _pairs_by_control: dict = field(default_factory=dict, repr=False)

    def pairs_for(self, control: str) -> pd.DataFrame:
        """Annotator × annotator matrix of one control's pair agreement."""
        if control not in self._pairs_by_control:
            raise KeyError(f"no control {control!r} in this report (controls: {', '.join(self._pairs_by_control)})")
        return self._pairs_by_control[control]

    def worst(self, n: int = 10) -> pd.DataFrame:
        """The `n` tasks with the lowest overall agreement."""
        return self.per_task.sort_values("overall", kind="stable").head(n)

    def _repr_html_(self) -> str:

        return report_html(self)


@dataclass
class _Scored:
    col: Column
    metric: Any
    s: np.ndarray
    details: dict


def agreement(data: Any, config: Any = None, *, metrics: dict | None = None, threshold: float = 0.5,
              ) -> AgreementReport:
    """Agreement between annotators of `data` (a Labeler, a DataFrame with `annotations`, or Label Studio tasks).

    `config` (XML) when `data` does not carry one; `metrics` maps a control name to a metric name of
    `nblabel.quality._metrics` ("exact", "jaccard", "numeric", "edit", "overlap_f1", "iou_f1", "exact_f1",
    "region") or to a callable `(items_a, items_b) -> 0..1`; `threshold`: the pair score that counts as agreeing in
    consensus scoring.
    """
    answers = load(data, config)
    return report(answers, metrics=metrics, threshold=threshold)


def report(answers: Answers, *, metrics: dict | None = None, threshold: float = 0.5) -> AgreementReport:
    """The report over already loaded `Answers`."""
    live = answers.live()
    task = live.task
    keep = np.bincount(task, minlength=len(answers.ids))[task] >= 2
    if not keep.all():
        live = live.take(np.flatnonzero(keep))
        task = live.task
    names = answers.annotators
    raters = live.rater
    cols = columns(live, answers)
    unknown = set(metrics or {}) - set(cols)
    if unknown:
        raise KeyError(f"metrics= names no control {sorted(unknown)} (controls: {', '.join(cols)})")
    i, j = within(task)
    results = live.result if any(callable(m) for m in (metrics or {}).values()) else None
    scored = []
    for name, col in cols.items():
        metric = (metrics or {}).get(name) or default_metric(col)
        s, details = scores(col, i, j, len(live), metric, results)
        scored.append(_Scored(col, metric, s, details))
    n_tasks = len(answers.ids)
    pair_task = task[i]
    used = task[_run_starts(task)] if len(task) else task
    per_task = {}
    rows = []
    for sc in scored:
        mean, count = group_mean(pair_task, sc.s, n_tasks)
        per_task[sc.col.name] = mean[used]
        rows.append(_summary_row(sc, mean, count, task, raters, i, j, threshold))
    if len(scored) == 1:  # one control: a pair's overall score is that control's, and so is a task's
        pair_overall, overall_task = scored[0].s, mean
    else:
        matrix = np.column_stack([sc.s for sc in scored]) if scored else np.full((len(i), 0), np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            pair_overall = np.nanmean(matrix, axis=1) if matrix.shape[1] else np.full(len(i), np.nan)
        overall_task, _ = group_mean(pair_task, pair_overall, n_tasks)
    per_task["overall"] = overall_task[used]
    index = answers.frame.index[used]
    per_task_df = pd.DataFrame(per_task, index=index)
    summary = pd.DataFrame(rows, index=pd.Index([sc.col.name for sc in scored], name="control"))
    pairs = _pair_matrix(raters[i], raters[j], pair_overall, names)
    by_control = {sc.col.name: pairs.copy() if len(scored) == 1 else _pair_matrix(raters[i], raters[j], sc.s, names)
                  for sc in scored}
    gt = live.ground_truth
    truth = _ground_truth(gt, raters, i, j, pair_overall, scored, names)
    overall = float(np.nanmean(per_task_df["overall"])) if per_task_df["overall"].notna().any() else np.nan
    return AgreementReport(summary, per_task_df, pairs, _per_label(scored), truth, overall, by_control)


def _summary_row(sc: _Scored, mean, count, task, raters, i, j, threshold) -> dict:
    col, s = sc.col, sc.s
    has = count > 0
    valid = ~np.isnan(s)
    row = {"metric": sc.metric if isinstance(sc.metric, str) else getattr(sc.metric, "__name__", "custom"),
           "value": float(np.mean(mean[has])) if has.any() else np.nan,
           "consensus_value": _consensus_value(s, valid, task, i, j, threshold),
           "n_tasks": int(has.sum()), "n_pairs": int(valid.sum())}
    if col.kind in ("category", "number"):
        row.update(_coefficients(col, task, raters, i, j))
    if "mean_iou" in sc.details:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            row["mean_iou"] = float(np.nanmean(sc.details["mean_iou"][valid])) if valid.any() else np.nan
            row["exact_f1"] = float(np.nanmean(sc.details["exact_f1"][valid])) if valid.any() else np.nan
    return row


def _consensus_value(s, valid, task, i, j, threshold) -> float:
    """Mean over tasks of the share of annotators agreeing with the best-supported answer."""
    if not valid.any():
        return np.nan
    n_live = len(task)
    vi, vj = (i, j) if valid.all() else (i[valid], j[valid])
    ok = s[valid] >= threshold
    support = 1 + np.bincount(vi[ok], minlength=n_live) + np.bincount(vj[ok], minlength=n_live)
    part = np.zeros(n_live, bool)
    part[vi] = True
    part[vj] = True
    whole = part.all()  # every live row is in a counted pair, the usual case: no copies
    t = task if whole else task[part]  # sorted: each task's rows are one run
    starts = _run_starts(t)
    best = np.maximum.reduceat(support if whole else support[part], starts)
    return float(np.mean(best / np.diff(np.r_[starts, len(t)])))


def _run_starts(sorted_codes: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])


def _coefficients(col: Column, task, raters, i, j) -> dict:
    """percent, mean Cohen's kappa, Fleiss' kappa, Krippendorff's alpha over one control's answers."""
    everyone = len(col.row) == len(task)  # every annotation answered: the answers are the live rows
    units = task if everyone else task[col.row]
    who = raters if everyone else raters[col.row]
    if col.kind == "number":
        values, codes = col.numbers, np.unique(col.numbers, return_inverse=True)[1].astype(np.int64)
    else:
        values = codes = col.codes
    ii, jj = (i, j) if everyone else within(units)
    level = _LEVELS.get(col.type, "nominal")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        same = codes[ii] == codes[jj]  # computed once, read by every coefficient
        kappas = cohen_by_pair(who, codes, ii, jj, quadratic=col.kind == "number", same=same)
        return {"percent": percent(codes, ii, jj, same),
                "cohen_kappa": float(np.nanmean(kappas)) if kappas.notna().any() else np.nan,
                "fleiss_kappa": fleiss(units, codes, ii, jj, same),
                "krippendorff_alpha": alpha(units, values if level == "interval" else codes, ii, jj, level,
                                            None if level == "interval" else same)}


def _pair_matrix(ra: np.ndarray, rb: np.ndarray, s: np.ndarray, names: list[str]) -> pd.DataFrame:
    r = len(names)
    both = np.r_[ra * r + rb, rb * r + ra]
    mean, _ = group_mean(both, np.r_[s, s], r * r)
    mean = mean.reshape(r, r)
    np.fill_diagonal(mean, np.nan)  # agreement with oneself is not measured
    return pd.DataFrame(mean, index=pd.Index(names, name="annotator"), columns=pd.Index(names, name="annotator"))


def _ground_truth(gt, raters, i, j, overall, scored, names) -> pd.DataFrame:
    """Each annotator's mean agreement with the ground-truth annotation of the tasks that have one."""
    one = gt[i] != gt[j]
    if not one.any():
        return pd.DataFrame(columns=["agreement", "n_tasks"], index=pd.Index([], name="annotator"))
    other = np.where(gt[i], raters[j], raters[i])[one]
    r = len(names)
    mean, count = group_mean(other, overall[one], r)
    out = {"agreement": mean, "n_tasks": count}
    for sc in scored:
        out[sc.col.name] = group_mean(other, sc.s[one], r)[0]
    frame = pd.DataFrame(out, index=pd.Index(names, name="annotator"))
    return frame[frame["n_tasks"] > 0]


def _per_label(scored: list[_Scored]) -> pd.DataFrame:
    rows, index = [], []
    for sc in scored:
        counts = sc.details.get("labels") if "labels" in sc.details else _label_counts(sc)
        for label, (hit, total) in (counts or {}).items():
            index.append((sc.col.name, label))
            rows.append({"value": hit / total if total else np.nan, "support": total})
    idx = pd.MultiIndex.from_tuples(index, names=["control", "label"]) if index else \
        pd.MultiIndex.from_arrays([[], []], names=["control", "label"])
    return pd.DataFrame(rows, index=idx, columns=["value", "support"])


def _label_counts(sc: _Scored) -> dict | None:
    """Specific agreement counts per label of a category control: [2·pairs with both, answers in pairs]."""
    col = sc.col
    if col.kind != "category" or col.type not in ("choices", "taxonomy") or sc.details.get("codes_a") is None:
        return None
    ca, cb = sc.details["codes_a"], sc.details["codes_b"]
    k = len(col.uniques) + 1  # code k − 1: no answer
    ca, cb = np.where(ca < 0, k - 1, ca), np.where(cb < 0, k - 1, cb)
    if k * k <= 4 * len(ca) + 65_536:  # few distinct answers, the usual case: a bincount, no sort
        n = np.bincount(ca * k + cb, minlength=k * k)
        keys = np.flatnonzero(n)
        n = n[keys]
    else:
        keys, n = np.unique(ca * k + cb, return_counts=True)
    labels = [col.labels_of(c) for c in range(k - 1)] + [()]
    out: dict[str, list[int]] = {}
    for key, cnt in zip(keys.tolist(), n.tolist()):
        la, lb = set(labels[key // k]), set(labels[key % k])
        for lab in la | lb:
            acc = out.setdefault(str(lab), [0, 0])
            acc[0] += 2 * cnt * (lab in la and lab in lb)
            acc[1] += cnt * ((lab in la) + (lab in lb))
    return out


def task_percent(cells: list, config: Any = None) -> list[float | None]:
    """Each task's overall agreement in percent (Label Studio Enterprise's task `agreement`), None for tasks
    with fewer than two live annotations; `cells`: the `annotations` list of each task."""
    if not any(isinstance(a, list) and len(a) >= 2 for a in cells):
        return [None] * len(cells)  # nothing to compare: the common single-annotator export stays free
    frame = pd.DataFrame(index=pd.RangeIndex(len(cells)))
    frame["annotations"] = pd.Series(list(cells), index=frame.index, dtype=object)
    per_task = report(load(frame, config)).per_task["overall"]
    out: list[float | None] = [None] * len(cells)
    for pos, value in zip(per_task.index.tolist(), per_task.tolist()):
        if value == value:  # not NaN
            out[pos] = 100.0 * value
    return out

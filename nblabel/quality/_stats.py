"""`annotator_stats()`: per annotator, how much, how fast and how well.

Rules:
- done / skipped count each annotator's latest annotation per task (cancelled = skipped);
- `median_lead_time` in seconds over done annotations; `tasks_per_hour` = done / hours spent on them (the sum of
  their lead times);
- agreement with the others: the annotator's mean pair agreement (`agreement().pairs`); with consensus and with
  ground truth: the mean agreement of their annotations with the consensus annotation / the ground-truth one
  on the same task (the consensus is that of every annotator, theirs included);
- `accepted_suggestions`: share of done annotations made with a suggestion shown (`parent_prediction`) whose
  every region came back unchanged (`origin: "prediction"`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._agreement import report
from ._consensus import CONSENSUS_EMAIL, consensus
from ._data import Answers, load


def _latest_rows(answers: Answers) -> np.ndarray:
    """Rows of each annotator's latest annotation per task, cancelled ones included."""
    t = answers.table
    key = t.task * (len(answers.annotators) + 1) + t.rater
    stamp = np.array([str(s or "") for s in answers.field("updated_at")])
    order = np.lexsort((stamp, key))
    last = np.r_[key[order][1:] != key[order][:-1], True] if len(order) else np.zeros(0, bool)
    return np.sort(order[last])


def _with_consensus(answers: Answers, cons: pd.DataFrame) -> pd.DataFrame:
    """Tasks holding every live annotation plus the consensus one, starred as ground truth."""
    live = answers.live()
    anns: list[list] = [[] for _ in range(len(answers.ids))]
    for r in range(len(live)):
        a = answers.anns[live.source[r]]
        anns[live.task[r]].append({**a, "ground_truth": False})
    for pos, cell in enumerate(cons["annotations"].tolist()):
        if cell and anns[pos]:
            anns[pos].append({**cell[0], "ground_truth": True})
    frame = pd.DataFrame(index=answers.ids)
    frame["annotations"] = pd.Series(anns, index=frame.index, dtype=object)
    return frame


def annotator_stats(data: Any, config: Any = None) -> pd.DataFrame:
    """One row per annotator: done, skipped, median_lead_time, tasks_per_hour, agreement, agreement_consensus,
    agreement_ground_truth, accepted_suggestions (see the module rules)."""
    answers = load(data, config)
    rows = _latest_rows(answers)
    t = answers.table
    who = t.rater[rows]
    cancelled = t.cancelled[rows]
    lead = pd.to_numeric(pd.Series([answers.anns[t.source[r]].get("lead_time") for r in rows.tolist()],
                                   dtype=object), errors="coerce").to_numpy(float)
    names = answers.annotators
    out = pd.DataFrame(index=pd.Index(names, name="annotator"))
    out["done"] = np.bincount(who[~cancelled], minlength=len(names))
    out["skipped"] = np.bincount(who[cancelled], minlength=len(names))
    done_lead = pd.Series(lead[~cancelled]).groupby(who[~cancelled]).median()
    out["median_lead_time"] = done_lead.reindex(range(len(names))).to_numpy()
    hours = pd.Series(np.nan_to_num(lead[~cancelled])).groupby(who[~cancelled]).sum().reindex(range(len(names)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tasks_per_hour"] = np.where(hours.to_numpy() > 0, out["done"] / (hours.to_numpy() / 3600), np.nan)
    rep = report(answers)
    out["agreement"] = np.nanmean(rep.pairs.to_numpy(), axis=1) if len(names) > 1 and rep.pairs.notna().any().any() \
        else np.nan
    cons = consensus(answers.frame, answers.config)
    versus = report(load(_with_consensus(answers, cons), answers.config)).ground_truth
    versus = versus.drop(index=[n for n in versus.index if n == CONSENSUS_EMAIL.split("@")[0]], errors="ignore")
    out["agreement_consensus"] = versus["agreement"].reindex(out.index) if len(versus) else np.nan
    gt = rep.ground_truth
    out["agreement_ground_truth"] = gt["agreement"].reindex(out.index) if len(gt) else np.nan
    out["accepted_suggestions"] = _accepted(answers, rows[~cancelled], who[~cancelled], len(names))
    return out


def _accepted(answers: Answers, rows: np.ndarray, who: np.ndarray, n: int) -> np.ndarray:
    shown = np.zeros(n)
    kept = np.zeros(n)
    for r, w in zip(rows.tolist(), who.tolist()):
        ann = answers.anns[answers.table.source[r]]
        if ann.get("parent_prediction") is None:
            continue
        shown[w] += 1
        result = answers.table.result[r]
        kept[w] += bool(result) and all(it.get("origin") == "prediction" for it in result)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(shown > 0, kept / np.maximum(shown, 1), np.nan)

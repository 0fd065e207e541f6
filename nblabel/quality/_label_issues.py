"""`find_label_issues`: the answers most likely wrong, worst first, for a Choices control (spans and boxes: see
`_label_issues_regions`).

Rules:
- the data is a Labeler, a DataFrame from `to_pandas()` / `read_label_studio()` (its `annotations`, else the
  control's simple column), or a Label Studio task list; each annotator's latest non-cancelled answer counts;
- probabilities are out of sample: k-fold over a `Learner` (default `Learner()`), or the user's `pred_probs` /
  probability callable taken as given (see `_pred_probs`);
- one answer per task: confident learning (cleanlab `find_label_issues`, multi-label for `choice="multiple"`);
  several annotators on some task: CROWDLAB (`get_label_quality_multiannotator`) on the majority vote, with a
  consensus per task and a quality per annotator;
- `quality` is cleanlab's label quality score of the given label (0–1, low = likely wrong); rows sort by it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..config._parse import Config
from ..formats._frame import resolve_config
from ..suggest._learner import Learner
from ..suggest._sources import object_field
from ..tasks._ids import plain_id
from . import _label_issues_regions as _regions
from . import _pred_probs
from ._data import Answers, load

_TEXT_OBJECTS = {"text", "hypertext", "paragraphs"}


def find_label_issues(data: Any, config: Any = None, predictor: Any = None, folds: int = 5, *,
                      pred_probs: Any = None, control: str | None = None, seed: int = 0) -> pd.DataFrame:
    """Labels that are probably wrong, worst first.

    Returns one row per answered task: `task_id, control, given, suggested, quality, is_issue`. `quality` is in
    [0, 1], low = likely wrong; `is_issue` is cleanlab's confident-learning verdict. `predictor` is a
    `nblabel.Learner` (cross-validated with `folds` folds over its cached features; None = `Learner()`), or a
    callable / object with `predict_proba` that takes a list of Label Studio task dicts and returns one row of
    class probabilities per task, in config order (it must not have been trained on these labels);
    `pred_probs=` gives such an array directly: one row per task of the data or per answered task, or a
    DataFrame indexed by task id with one column per class.

    With several annotators on a task, `given` is the majority vote, `suggested` CROWDLAB's consensus and
    `quality` CROWDLAB's score of the majority label; extra columns `answers` ({annotator: label}),
    `agreement` and `consensus_quality`. `df.attrs["annotators"]` then holds a frame indexed by annotator
    (`quality`, `agreement`, `n_labeled`, `worst_class`) and `df.attrs["answers"]` one row per answer
    (`task_id, annotator, label, quality`).

    `control=` naming a `<Labels>` over `<Text>` scores spans per token: `pred_probs` (or what `predictor` returns)
    holds, per task, an array tokens × classes over `nblabel.quality.word_tokens(text)`, columns "O" then the
    labels in config order. Rows: every token cleanlab flags, and each task's worst token otherwise, with
    `token, start, end` (offsets in Label Studio's UTF-16 units); `df.attrs["tasks"]` has per task its
    `quality` and `n_issues`. `control=` naming a `<RectangleLabels>` scores each image: per task, the model's
    boxes as Label Studio result items with a `score`; `given` / `suggested` list the box labels (suggested:
    predicted boxes scored at least 0.5). With several annotators these rows are per (task, annotator), with an
    `annotator` column.
    """
    frame, cfg = _frame(data, config)
    target = _control(cfg, control)
    if target.type != "choices":
        if isinstance(predictor, Learner):
            raise ValueError(f'the Learner scores Choices, not <{target.tag} name="{target.name}">: pass '
                             f"pred_probs= or a predictor callable")
        return _regions.region_issues(frame, cfg, target, pred_probs, predictor)
    ids, tasks, answers, positions = _answers(frame, cfg, target)
    if not ids:
        raise ValueError(f'no task has an answer for <Choices name="{target.name}">: nothing to check')
    classes, multiple = target.options, not target.single
    several = any(len(a) > 1 for a in answers)
    if several and multiple:
        raise ValueError("several annotators on a multiple-choice control: CROWDLAB covers single choice only")
    given = [_majority(a) for a in answers] if several else [next(iter(a.values())) for a in answers]
    if not multiple and len({g[0] for a in answers for g in a.values()}) < 2:
        raise ValueError("every answer has the same label: label issues need at least two classes in use")
    if pred_probs is not None:
        if not isinstance(pred_probs, pd.DataFrame) and len(pred_probs) == len(frame) != len(ids):
            pred_probs = np.asarray(pred_probs)[positions]  # one row per task of the data: keep the answered ones
        P = _pred_probs.given_probs(pred_probs, ids, len(classes), classes)
    elif predictor is not None and not isinstance(predictor, Learner):
        if not callable(predictor) and not hasattr(predictor, "predict_proba"):
            raise TypeError(f"predictor must be a nblabel.Learner or a probability callable, not "
                            f"{type(predictor).__name__}")
        P = _pred_probs.called_probs(predictor, tasks, len(classes), classes)
    else:
        learner = (predictor if predictor is not None else Learner()).bind(cfg)
        if learner.control.name != target.name:
            raise ValueError(f'the Learner predicts <Choices name="{learner.control.name}">, not "{target.name}"')
        texts = [learner._text(t) for t in tasks]
        lexical = any(cfg.objects[n].tag.lower() in _TEXT_OBJECTS for n in target.to_name if n in cfg.objects)
        P = _pred_probs.learner_views(learner, texts, given, folds, lexical, seed)
    if several:
        return _crowdlab(ids, target.name, classes, answers, given, P)
    return _confident(ids, target.name, classes, multiple, given, P)


# -- inputs ------------------------------------------------------------------------------------------------------
def _frame(data: Any, config: Any) -> tuple[pd.DataFrame, Config]:
    from ..formats import read_label_studio
    if hasattr(data, "to_pandas") and hasattr(data, "config"):  # a Labeler, read through its public face
        return data.to_pandas(), resolve_config(None, config) or data.config
    if isinstance(data, pd.DataFrame):
        cfg = resolve_config(data, config)
        if cfg is None:
            raise ValueError("pass config= (the labeling config XML): this DataFrame does not record one")
        return data, cfg
    if isinstance(data, (list, tuple)):
        if config is None:
            raise ValueError("pass config= (the labeling config XML) with a Label Studio task list")
        return read_label_studio(list(data), config), resolve_config(None, config)
    raise TypeError(f"find_label_issues() takes a Labeler, a DataFrame or a Label Studio task list, "
                    f"not {type(data).__name__}")


def _control(cfg: Config, name: str | None) -> Any:
    if name is not None:
        found = cfg.controls.get(name)
        if found is None:
            raise ValueError(f'control={name!r}: the config has no control named "{name}"')
        if found.type != "choices" and found.type not in _regions.SPAN_TYPES + _regions.BOX_TYPES:
            raise ValueError(f'control={name!r}: find_label_issues has no method for <{found.tag}>; it checks '
                             f"Choices, Labels over Text (per token) and RectangleLabels (per image)")
        return found
    found = next((c for c in cfg.controls.values() if c.type == "choices"), None)
    found = found or next((c for c in cfg.controls.values()
                           if c.type in _regions.SPAN_TYPES + _regions.BOX_TYPES), None)
    if found is None:
        raise ValueError("find_label_issues checks Choices, Labels over Text and RectangleLabels: the config has "
                         "none of them")
    return found


def _answers(frame: pd.DataFrame, cfg: Config, control: Any) -> tuple[list, list[dict], list[dict], list[int]]:
    """(task ids, task dicts, {annotator: label}, row positions) for every task with an answer on `control`."""
    field = object_field(cfg, control)
    options = set(control.options)
    values = frame[field].tolist() if field in frame.columns else [None] * len(frame)
    if "annotations" in frame.columns:
        per_task = _from_annotations(load(frame), control)
    else:
        column = control.name if control.name in frame.columns else f"{control.name}_label"
        if column not in frame.columns:
            raise ValueError(f'the frame has neither an "annotations" column nor a "{control.name}" column')
        per_task = [{"annotator": v} if v is not None and not (isinstance(v, float) and np.isnan(v)) else {}
                    for v in frame[column].tolist()]
    ids, tasks, answers, positions = [], [], [], []
    for pos, (label, value, got) in enumerate(zip(frame.index, values, per_task)):
        cleaned = {}
        for who, chosen in got.items():
            picked = tuple(chosen) if isinstance(chosen, (list, tuple)) else (chosen,)
            unknown = [c for c in picked if c not in options]
            if unknown:
                raise ValueError(f"task {plain_id(label)!r}: {unknown[0]!r} is not a choice of "
                                 f'<Choices name="{control.name}"> ({", ".join(control.options)})')
            if not picked and control.single:
                continue
            cleaned[who] = tuple(c for c in control.options if c in picked) if not control.single else picked[:1]
        if cleaned:
            ids.append(plain_id(label))
            tasks.append({"id": plain_id(label), "data": {field: value}})
            answers.append(cleaned)
            positions.append(pos)
    return ids, tasks, answers, positions


def _from_annotations(answers: Answers, control: Any) -> list[dict]:
    """Per task {annotator: chosen values}: each annotator's latest (`updated_at`, else `created_at`; the later
    of equals) non-cancelled annotation that chose something on `control`, read from the loader's columns."""
    per_task: list[dict] = [{} for _ in range(len(answers.ids))]
    items = answers.items
    if control.name not in items.controls:
        return per_task
    chosen: dict[int, list] = {}
    code = items.controls.index(control.name)
    for x in np.flatnonzero(items.control == code).tolist():
        item = items.items[x]
        if item.get("type") == "choices":
            value = item.get("value") or {}
            chosen.setdefault(int(items.ann[x]), []).extend(value.get("choices", []))
    t = answers.table
    latest: dict[tuple[int, str], str] = {}
    for row in sorted(chosen):
        if t.cancelled[row] or not chosen[row]:
            continue
        ann = answers.anns[row]
        task, who = int(t.task[row]), answers.annotators[t.rater[row]]
        stamp = str(ann.get("updated_at") or ann.get("created_at") or "")
        if (task, who) not in latest or stamp >= latest[task, who]:
            latest[task, who] = stamp
            per_task[task][who] = chosen[row]
    return per_task


def _majority(answers: dict) -> tuple[str, ...]:
    # ties go to the first answer seen; CROWDLAB's consensus (the `suggested` column) settles them with the model
    return Counter(answers.values()).most_common(1)[0][0]


# -- methods -----------------------------------------------------------------------------------------------------
def _confident(ids: list, name: str, classes: tuple, multiple: bool, given: list, P: np.ndarray) -> pd.DataFrame:
    from cleanlab.filter import find_label_issues as cl_find
    index = {c: i for i, c in enumerate(classes)}
    if multiple:
        from cleanlab.multilabel_classification import get_label_quality_scores
        labels = [[index[c] for c in label] for label in given]
        from cleanlab.multilabel_classification.filter import find_label_issues as cl_find_multi
        quality = get_label_quality_scores(labels, P)
        flagged = cl_find_multi(labels, P)
        suggested = [[c for c, p in zip(classes, row) if p >= 0.5] or [classes[int(np.argmax(row))]] for row in P]
        given_out: list = [list(g) for g in given]
    else:
        from cleanlab.rank import get_label_quality_scores
        labels, P = _present(np.array([index[g[0]] for g in given]), P)
        quality = get_label_quality_scores(labels.codes, P.normalized)
        flagged = cl_find(labels.codes, P.normalized)
        suggested = [classes[labels.present[int(i)]] for i in np.argmax(P.normalized, axis=1)]
        given_out = [g[0] for g in given]
    return _result(ids, name, given_out, suggested, quality, flagged)


class _Coded:
    """Labels recoded to the classes actually used (cleanlab wants every class it is given to occur)."""

    def __init__(self, codes: np.ndarray, present: np.ndarray, normalized: np.ndarray | None = None) -> None:
        self.codes, self.present, self.normalized = codes, present, normalized


def _present(labels: np.ndarray, P: np.ndarray) -> tuple[_Coded, _Coded]:
    present = np.unique(labels)
    if len(present) < 2:
        raise ValueError("every answer has the same label: label issues need at least two classes in use")
    codes = np.searchsorted(present, labels)
    sub = P[:, present] + 1e-12
    return _Coded(codes, present), _Coded(codes, present, sub / sub.sum(axis=1, keepdims=True))


def _crowdlab(ids: list, name: str, classes: tuple, answers: list[dict], given: list, P: np.ndarray) -> pd.DataFrame:
    from cleanlab.filter import find_label_issues as cl_find
    from cleanlab.multiannotator import get_label_quality_multiannotator
    index = {c: i for i, c in enumerate(classes)}
    annotators = sorted({who for a in answers for who in a})
    matrix = pd.DataFrame([[index[a[w][0]] if w in a else np.nan for w in annotators] for a in answers],
                          columns=annotators, dtype=float)
    majority = np.array([index[g[0]] for g in given])
    coded, probs = _present(np.concatenate([majority, matrix.stack().to_numpy(dtype=int)]), P)
    k = len(majority)
    matrix = matrix.apply(lambda col: col.map(lambda v: v if np.isnan(v) else float(np.searchsorted(coded.present, v))))
    out = get_label_quality_multiannotator(matrix, probs.normalized, consensus_method=["majority_vote", "best_quality"],
                                           verbose=False)
    quality = out["label_quality"]
    consensus = [classes[coded.present[int(c)]] for c in quality["consensus_label_best_quality"]]
    flagged = cl_find(coded.codes[:k], probs.normalized)
    majority_labels = [g[0] for g in given]
    frame = _result(ids, name, majority_labels, consensus, quality["consensus_quality_score"].to_numpy(),
                    flagged | (np.array(consensus) != majority_labels),
                    extra={"answers": [{w: a[w][0] for w in a} for a in answers],
                           "agreement": quality["annotator_agreement"].to_numpy(),
                           "consensus_quality": quality["consensus_quality_score_best_quality"].to_numpy()})
    stats = out["annotator_stats"]
    frame.attrs["annotators"] = pd.DataFrame({
        "quality": stats["annotator_quality"], "agreement": stats["agreement_with_consensus"],
        "n_labeled": stats["num_examples_labeled"],
        "worst_class": [classes[coded.present[int(c)]] for c in stats["worst_class"]]}, index=stats.index)
    frame.attrs["annotators"].index.name = "annotator"
    detailed = out["detailed_label_quality"]
    rows = [(ids[i], w, answers[i][w][0], float(detailed.iloc[i][f"quality_annotator_{w}"]))
            for i in range(k) for w in annotators if w in answers[i]]
    frame.attrs["answers"] = pd.DataFrame(rows, columns=["task_id", "annotator", "label", "quality"])
    return frame


def _result(ids: list, name: str, given: list, suggested: list, quality: np.ndarray, flagged: np.ndarray,
            extra: dict | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"task_id": pd.Series(ids, dtype=object), "control": name,
                          "given": pd.Series(given, dtype=object), "suggested": pd.Series(suggested, dtype=object),
                          "quality": np.asarray(quality, dtype=float), "is_issue": np.asarray(flagged, dtype=bool),
                          **(extra or {})})
    # worst first; a stable sort keeps the data order among equal scores
    return frame.sort_values("quality", kind="stable").reset_index(drop=True)

"""`find_label_issues` for regions: spans of a Labels control over Text (per token) and RectangleLabels boxes.

Rules:
- the answers are each annotator's latest non-cancelled annotation of a task (every such annotation counts, one
  with no region on the control says "nothing here"); the scores are the user's, given as `pred_probs=` or by a
  `predictor` callable, and are taken as out of sample;
- spans: a text is cut into words by the tokeniser of the CONLL2003 export (Label Studio's patched Treebank
  tokeniser, `span_tokenize`), a token's given class is the label of the span covering it (BIO collapsed to the
  label; "O" outside every span); the scores are one array per task, tokens × classes with classes "O" then the
  control's labels in config order; cleanlab's `token_classification` finds and scores the token issues;
- boxes: the model's boxes per task are Label Studio result items with a `score`; given and predicted boxes are
  axis-aligned `[x1, y1, x2, y2]` in pixels when the image size is known (`original_width`/`original_height`),
  else in percent, the same unit for both within a task; cleanlab's `object_detection` scores each image;
- scores of the wrong shape, a label the control does not have, or an unsupported control: a ValueError.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from ..formats._conll import bio_tags
from ..formats._treebank import span_tokenize
from ..results._offsets import codepoint_to_utf16
from ..tasks._ids import plain_id
from ._data import load

SPAN_TYPES = ("labels",)
BOX_TYPES = ("rectanglelabels",)


def region_issues(frame: pd.DataFrame, cfg: Any, control: Any, pred_probs: Any, predictor: Any) -> pd.DataFrame:
    """Label issues of a Labels (per token) or RectangleLabels (per image) control: see `find_label_issues`."""
    if control.type not in SPAN_TYPES + BOX_TYPES:
        raise ValueError(f'find_label_issues has no method for <{control.tag} name="{control.name}">: it checks '
                         f"Choices, Labels over Text (per token) and RectangleLabels (per image)")
    if pred_probs is None and predictor is None:
        raise ValueError(f'<{control.tag} name="{control.name}">: pass pred_probs= or a predictor callable; the '
                         f"built-in Learner scores Choices only")
    if predictor is not None and not callable(predictor) and not hasattr(predictor, "predict_proba"):
        raise TypeError(f"predictor must be a callable (or have predict_proba) for <{control.tag}>, "
                        f"not {type(predictor).__name__}")
    obj = next((cfg.objects[n] for n in control.to_name if n in cfg.objects), None)
    field = obj.field if obj is not None else None
    if field is None:
        raise ValueError(f'<{control.tag} name="{control.name}"> labels no object that reads a task field')
    if control.type in SPAN_TYPES and obj.tag != "Text":
        raise ValueError(f"token label issues need <Labels> over a <Text> object, not <{obj.tag}>")
    if "annotations" not in frame.columns:
        raise ValueError("region label issues read the `annotations` column: pass Labeler.to_pandas(), "
                         "read_label_studio(...) output or a Label Studio task list")
    entries = _entries(frame, control)
    if not entries:
        raise ValueError(f'no task has an answer for <{control.tag} name="{control.name}">: nothing to check')
    positions = sorted({pos for pos, _, _ in entries})
    ids = [plain_id(frame.index[p]) for p in positions]
    values = frame[field].tolist() if field in frame.columns else [None] * len(frame)
    if pred_probs is not None:
        scores = _aligned(pred_probs, frame, positions)
    else:
        call = getattr(predictor, "predict_proba", predictor)
        scores = list(call([{"id": i, "data": {field: values[p]}} for i, p in zip(ids, positions)]))
        if len(scores) != len(positions):
            raise ValueError(f"the predictor returned {len(scores)} results for {len(positions)} tasks")
    by_pos = dict(zip(positions, scores))
    several = len({who for _, who, _ in entries}) > 1 and len(entries) > len(positions)
    if control.type in SPAN_TYPES:
        return _spans(entries, frame, values, by_pos, control, several)
    return _boxes(entries, frame, by_pos, control, several)


def _entries(frame: pd.DataFrame, control: Any) -> list[tuple[int, str, list[dict]]]:
    """(task position, annotator, the control's result items) per live annotation, in task order."""
    answers = load(frame)
    live = answers.live()
    out = []
    for task, rater, result in zip(live.task.tolist(), live.rater.tolist(), live.result):
        items = [i for i in result or [] if isinstance(i, dict) and i.get("from_name") == control.name
                 and i.get("type") == control.type]
        out.append((int(task), answers.annotators[rater], items))
    return out


def _aligned(pred_probs: Any, frame: pd.DataFrame, positions: list[int]) -> list:
    """The user's per-task scores aligned with `positions`: a mapping (or Series) by task id, or a list with one
    entry per task of the data or per answered task."""
    if isinstance(pred_probs, (Mapping, pd.Series)):
        out = []
        for p in positions:
            key = plain_id(frame.index[p])
            if key not in pred_probs:
                raise ValueError(f"pred_probs has nothing for task {key!r}")
            out.append(pred_probs[key])
        return out
    if isinstance(pred_probs, np.ndarray) and pred_probs.dtype != object:
        raise ValueError("pred_probs for regions is a list with one entry per task (a tokens × classes array, or "
                         "a list of scored boxes), or a mapping task id -> entry, not one array")
    seq = list(pred_probs)
    if len(seq) == len(frame):
        return [seq[p] for p in positions]
    if len(seq) == len(positions):
        return seq
    raise ValueError(f"pred_probs has {len(seq)} entries; expected one per task ({len(frame)}) or one per "
                     f"answered task ({len(positions)})")


def _frame_out(rows: dict, several: bool, annotators: list) -> pd.DataFrame:
    if several:
        rows = {"task_id": rows.pop("task_id"), "annotator": annotators, **rows}
    frame = pd.DataFrame(rows)
    frame["task_id"] = frame["task_id"].astype(object)
    return frame.sort_values("quality", kind="stable").reset_index(drop=True)  # worst first


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """`(token, start, end)` of each word of `text` as token label issues cut it (and the CONLL2003 export does):
    Label Studio's patched Treebank tokeniser. `start`/`end` are Python string positions (code points); a
    token-scores array for `find_label_issues` has one row per entry, in this order."""
    return [(text[s:e], s, e) for s, e in span_tokenize(text)]


# -- spans -------------------------------------------------------------------------------------------------------
def token_classes(control: Any) -> tuple[str, ...]:
    """The columns of a token score array: "O", then the control's labels in config order."""
    return ("O",) + tuple(control.options)


def token_probs(P: Any, n_tokens: int, classes: tuple[str, ...], task: Any) -> np.ndarray:
    """One task's tokens × classes scores, checked."""
    P = np.asarray(P, dtype=float)
    if P.shape != (n_tokens, len(classes)):
        raise ValueError(f"pred_probs of task {task!r} has shape {P.shape}; expected {(n_tokens, len(classes))} "
                         f"(one row per token of the text, columns {list(classes)})")
    if not np.isfinite(P).all() or (P < 0).any() or (P > 1).any() or \
            (n_tokens and not np.allclose(P.sum(axis=1), 1.0, atol=1e-3)):
        raise ValueError(f"pred_probs of task {task!r} must hold probabilities in [0, 1], each row summing to 1")
    return P


def token_labels(bounds: list[tuple[int, int]], items: list[dict], classes: tuple[str, ...], task: Any) -> list[int]:
    """The given class of each token: the label of the span covering it (code-point offsets), 0 ("O") outside."""
    index = {c: i for i, c in enumerate(classes)}
    spans = []
    for item in items:
        value = item.get("value") or {}
        for label in value.get("labels") or []:
            if label not in index or label == "O":
                raise ValueError(f"task {task!r}: {label!r} is not a label of "
                                 f"<Labels name=\"{item.get('from_name')}\">")
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and value.get("labels"):
            spans.append(value)
    return [0 if tag == "O" else index[tag[2:]] for tag in bio_tags(bounds, spans)]


def _spans(entries: list, frame: pd.DataFrame, values: list, by_pos: dict, control: Any,
           several: bool) -> pd.DataFrame:
    from cleanlab.token_classification.filter import find_label_issues as cl_find
    from cleanlab.token_classification.rank import get_label_quality_scores
    classes = token_classes(control)
    labels, probs, kept = [], [], []
    tokens_of: dict[int, list] = {}
    for pos, who, items in entries:
        task = plain_id(frame.index[pos])
        text = values[pos] if isinstance(values[pos], str) else ""
        if pos not in tokens_of:
            tokens_of[pos] = span_tokenize(text)
        bounds = tokens_of[pos]
        P = token_probs(by_pos[pos], len(bounds), classes, task)
        if not bounds:  # an empty text has no token to be wrong about
            continue
        labels.append(token_labels(bounds, items, classes, task))
        probs.append(P)
        kept.append((pos, who, task, text))
    if not kept:
        raise ValueError("no answered task has a token to check")
    sentence, token_scores = get_label_quality_scores(labels, probs)
    flagged = set(map(tuple, cl_find(labels, probs)))
    picked = []
    for i in range(len(kept)):
        mine = [j for j in range(len(labels[i])) if (i, j) in flagged]
        picked += [(i, j) for j in mine] or [(i, int(np.argmin(token_scores[i].to_numpy())))]
    rows: dict[str, list] = {k: [] for k in ("task_id", "control", "given", "suggested", "quality", "is_issue",
                                              "token", "start", "end")}
    for i, j in picked:
        pos, _, task, text = kept[i]
        s, e = tokens_of[pos][j]
        for key, v in (("task_id", task), ("control", control.name), ("given", classes[labels[i][j]]),
                       ("suggested", classes[int(np.argmax(probs[i][j]))]),
                       ("quality", float(token_scores[i].iloc[j])), ("is_issue", (i, j) in flagged),
                       ("token", text[s:e]), ("start", codepoint_to_utf16(text, s)),
                       ("end", codepoint_to_utf16(text, e))):
            rows[key].append(v)
    out = _frame_out(rows, several, [kept[i][1] for i, _ in picked])
    per_task = {"task_id": [k[2] for k in kept], "quality": np.asarray(sentence, dtype=float),
                "n_issues": [sum((i, j) in flagged for j in range(len(labels[i]))) for i in range(len(kept))]}
    out.attrs["tasks"] = _frame_out(per_task, several, [k[1] for k in kept])
    return out


# -- boxes -------------------------------------------------------------------------------------------------------
def _number(v: Any, what: str, task: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"task {task!r}: a box has {what}={v!r}; expected a finite number")
    return float(v)


def _box(item: dict, size: tuple[float, float], task: Any) -> tuple[list[float], str]:
    """An item's axis-aligned `[x1, y1, x2, y2]` (the hull of a rotated box) in the task's unit, and its label."""
    value = item.get("value") if isinstance(item, dict) else None
    if not isinstance(value, dict):
        raise ValueError(f"task {task!r}: a box must be a Label Studio result item with a `value`, not {item!r}")
    x, y, w, h = (_number(value.get(k), k, task) for k in ("x", "y", "width", "height"))
    labels = value.get("rectanglelabels") or value.get("labels") or []
    if len(labels) != 1:
        raise ValueError(f"task {task!r}: a box needs exactly one label, it has {labels!r}")
    sx, sy = size[0] / 100.0, size[1] / 100.0
    angle = math.radians(_number(value.get("rotation") or 0.0, "rotation", task))
    # Label Studio rotates about the top-left corner, in pixel space
    c, s = math.cos(angle), math.sin(angle)
    pts = [(x * sx + dx * c - dy * s, y * sy + dx * s + dy * c)
           for dx, dy in ((0, 0), (w * sx, 0), (w * sx, h * sy), (0, h * sy))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return [min(xs), min(ys), max(xs), max(ys)], labels[0]


def _size(items: list) -> tuple[float, float]:
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("original_width"), (int, float)) \
                and isinstance(item.get("original_height"), (int, float)) and item["original_width"] > 0 \
                and item["original_height"] > 0:
            return float(item["original_width"]), float(item["original_height"])
    return 100.0, 100.0  # no image size anywhere: percent for both sides


def _predicted(entry: Any, control: Any, task: Any) -> list:
    """A task's predicted box items (a prediction dict's `result` too); items of other controls are left out."""
    if isinstance(entry, dict) and "result" in entry:
        entry = entry["result"]
    if not isinstance(entry, (list, tuple)):
        raise ValueError(f"pred_probs of task {task!r} must be a list of scored Label Studio box items, "
                         f"not {type(entry).__name__}")
    return [i for i in entry if not isinstance(i, dict) or i.get("from_name", control.name) == control.name]


def box_arrays(given: list, predicted: list, classes: tuple[str, ...], task: Any) -> tuple[dict, list]:
    """cleanlab's object-detection inputs for one image: `{"bboxes", "labels"}` and per class an (M, 5) array of
    `[x1, y1, x2, y2, score]`."""
    index = {c: i for i, c in enumerate(classes)}
    size = _size(list(given) + list(predicted))
    boxes, codes = [], []
    for item in given:
        box, label = _box(item, size, task)
        if label not in index:
            raise ValueError(f"task {task!r}: {label!r} is not a label of the control ({', '.join(classes)})")
        boxes.append(box)
        codes.append(index[label])
    per_class: list[list] = [[] for _ in classes]
    for item in predicted:
        box, label = _box(item, size, task)
        if label not in index:
            raise ValueError(f"pred_probs of task {task!r}: {label!r} is not a label of the control")
        score = item.get("score", (item.get("value") or {}).get("score"))
        score = _number(score, "score", task)
        if not 0 <= score <= 1:
            raise ValueError(f"pred_probs of task {task!r}: a box score must be in [0, 1], not {score}")
        per_class[index[label]].append(box + [score])
    labels = {"bboxes": np.array(boxes, dtype=float).reshape(-1, 4), "labels": np.array(codes, dtype=int)}
    return labels, [np.array(rows, dtype=float).reshape(-1, 5) for rows in per_class]


_POOL_LOCK = threading.Lock()


class _InProcessPool:
    """The part of `multiprocessing.Pool` cleanlab's object-detection finder uses, run in this process."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes

    def starmap(self, fn, args) -> list:
        """`fn(*a)` for each `a` of `args`, in order."""
        return [fn(*a) for a in args]

    def close(self) -> None:
        """Nothing to close: no worker was started."""


@contextmanager
def _no_fork_pool():
    """cleanlab's object-detection finder computes its per-class average precision in a one-process
    `multiprocessing.Pool` on every call with more than one image: a fork of the whole process, threads and all
    (a notebook kernel's, a Playwright driver's pipes in the test suite), for no parallelism, and its worker was
    seen outliving the call and holding those pipes open. The call runs with that Pool computed in process; the
    lock keeps two calls from swapping the name under each other."""
    import cleanlab.object_detection.filter as cl_filter
    with _POOL_LOCK:
        real, cl_filter.Pool = cl_filter.Pool, _InProcessPool
        try:
            yield
        finally:
            cl_filter.Pool = real


def _boxes(entries: list, frame: pd.DataFrame, by_pos: dict, control: Any, several: bool) -> pd.DataFrame:
    from cleanlab.object_detection.filter import find_label_issues as cl_find
    from cleanlab.object_detection.rank import get_label_quality_scores
    classes = tuple(control.options)
    labels, predictions, tasks = [], [], []
    for pos, _, items in entries:
        task = plain_id(frame.index[pos])
        lab, pred = box_arrays(items, _predicted(by_pos[pos], control, task), classes, task)
        labels.append(lab)
        predictions.append(pred)
        tasks.append(task)
    quality = get_label_quality_scores(labels, predictions, verbose=False)
    with _no_fork_pool():
        flagged = cl_find(labels, predictions)
    rows = {"task_id": tasks, "control": control.name,
            "given": [[classes[c] for c in lab["labels"]] for lab in labels],
            "suggested": [[classes[k] for k, arr in enumerate(pred) for s in arr[:, 4] if s >= 0.5]
                          for pred in predictions],
            "quality": np.asarray(quality, dtype=float), "is_issue": np.asarray(flagged, dtype=bool)}
    return _frame_out(rows, several, [who for _, who, _ in entries])

"""Simple predictor values → Label Studio predictions.

Rule: whatever a column, Series or callable returns is normalised here to one shape,
`{"result": [...], "score"?, "model_version"?}`, against the config, so the rest of nblabel sees Label Studio
predictions only. Accepted values, per task:
- a prediction dict (`{"result": ...}`), a list of them, or a bare LS result list;
- a label (str/int/bool) for the config's first control, `(label, score)`;
- spans for a Labels control: a list of `(start, end, label)` or `(start, end, label, score)`, offsets in code
  points (Python's), the text filled in from the task;
- boxes for a RectangleLabels control: a list of `(x, y, width, height, label)` or `(…, label, score)`, in percent
  of the image (Label Studio's units: 0–100 from the top-left corner);
- `None` / NaN: no suggestion.

Every prediction leaves here with an `id` on each result item (Label Studio gives imported items ids the same way):
derived from the item itself, so the same prediction gets the same ids however often it is looked up. A
prediction whose items break the config's rules (the rules an answer obeys) is a `RefusedPrediction`: kept in the
task's predictions, never shown or accepted, and it says which item was refused and why.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..config._parse import Config, Control
from ..results._validate import ID_CHARS, check_result


def first_control(config: Config, kinds: tuple[str, ...] | None = None) -> Control | None:
    for control in config.controls.values():
        if kinds is None or control.type in kinds:
            return control
    return None


def object_field(config: Config, control: Control) -> str | None:
    """The data field of the object a control labels (`$text` → "text")."""
    for name in control.to_name:
        obj = config.objects.get(name)
        if obj is not None and obj.field:
            return obj.field
    return None


def choice_item(control: Control, label: Any, score: float | None = None) -> dict:
    payload = ({"choices": list(label) if isinstance(label, (list, tuple)) else [label]}
               if control.type == "choices" else
               {"text": [str(label)]} if control.type == "textarea" else {control.type: label})
    item = {"from_name": control.name, "to_name": control.to_name[0] if control.to_name else
            control.name, "type": control.type, "value": payload}
    if score is not None:
        item["score"] = float(score)
    return item


def span_item(control: Control, start: int, end: int, label: str, text: str | None,
              score: float | None = None) -> dict:
    value = {"start": int(start), "end": int(end), control.type: [label]}
    if text is not None:
        value["text"] = text[int(start):int(end)]
    item = {"from_name": control.name, "to_name": control.to_name[0], "type": control.type,
            "value": value}
    if score is not None:
        item["score"] = float(score)
    return item


def _is_span(v: Any) -> bool:
    return (isinstance(v, (tuple, list)) and len(v) in (3, 4) and _is_int(v[0]) and _is_int(v[1])
            and isinstance(v[2], str))


def _is_box(v: Any) -> bool:
    return (isinstance(v, (tuple, list)) and len(v) in (5, 6) and all(_is_number(x) for x in v[:4])
            and isinstance(v[4], str) and (len(v) == 5 or v[5] is None or _is_number(v[5])))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or type(v).__name__.startswith(("int", "float"))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) or type(v).__name__.startswith("int")


def to_prediction(value: Any, config: Config, task: dict | None = None) -> dict | None:
    """One prediction dict for one task's predictor value (None: no suggestion)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dict):
        if "result" in value:
            return dict(value)
        raise ValueError(f"a prediction dict needs a 'result' key, got keys {sorted(value)}")
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return {"result": list(value)}
    if isinstance(value, list) and not value:
        return None
    if isinstance(value, (list, tuple)) and value and all(_is_span(v) for v in value):
        return _spans(value, config, task)
    if isinstance(value, (list, tuple)) and value and all(_is_box(v) for v in value):
        return _boxes(value, config)
    score = None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], (int, float)) \
            and not isinstance(value[1], bool) and not _is_span(value):
        value, score = value
    control = first_control(config)
    if control is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    pred = {"result": [choice_item(control, value)]}
    if score is not None:
        pred["score"] = float(score)
    return pred


def _spans(spans, config: Config, task: dict | None) -> dict:
    control = first_control(config, tuple(t for t in _span_types(config)))
    if control is None:
        raise ValueError("(start, end, label) spans need a Labels control in the config")
    field = object_field(config, control)
    text = (task or {}).get("data", {}).get(field) if field else None
    items, scores = [], []
    for span in spans:
        score = float(span[3]) if len(span) == 4 and span[3] is not None else None
        items.append(span_item(control, span[0], span[1], span[2], text if isinstance(text, str) else None, score))
        if score is not None:
            scores.append(score)
    pred = {"result": items}
    if scores:
        pred["score"] = sum(scores) / len(scores)
    return pred


def _boxes(boxes, config: Config) -> dict:
    control = first_control(config, ("rectanglelabels",))
    if control is None:
        raise ValueError("(x, y, width, height, label) boxes need a <RectangleLabels> control in the config")
    items, scores = [], []
    for box in boxes:
        x, y, w, h = (float(v) for v in box[:4])
        item = {"from_name": control.name, "to_name": control.to_name[0], "type": "rectanglelabels",
                "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [box[4]]}}
        if len(box) == 6 and box[5] is not None:
            item["score"] = float(box[5])
            scores.append(item["score"])
        items.append(item)
    pred = {"result": items}
    if scores:
        pred["score"] = min(scores)  # the suggestion is as sure as its least sure box (as the detection adapter)
    return pred


def _span_types(config: Config) -> list[str]:
    return [c.type for c in config.controls.values() if c.type in ("labels", "hypertextlabels")]


def as_prediction_list(value: Any, config: Config, task: dict | None = None) -> list[dict]:
    """All predictions of one task: a list of prediction dicts stays a list; anything else is one or none.

    Each comes out with item ids and checked against the config (`checked_prediction`)."""
    if isinstance(value, list) and value and all(isinstance(v, dict) and "result" in v for v in value):
        preds = [dict(v) for v in value]
    else:
        pred = to_prediction(value, config, task)
        preds = [pred] if pred else []
    data = (task or {}).get("data") if isinstance((task or {}).get("data"), dict) else None
    return [checked_prediction(p, config, data) for p in preds]


class RefusedPrediction(dict):
    """A prediction that cannot be shown: the dict it came as (outputs keep it), plus `reason`, why not."""

    def __init__(self, pred: dict, reason: str) -> None:
        super().__init__(pred)
        self.reason = reason

    def __reduce__(self):  # pickles (and copies) keep the reason
        return (RefusedPrediction, (dict(self), self.reason))


def checked_prediction(pred: dict, config: Config, data: dict | None = None) -> dict:
    """`pred` with an id on every result item, or a `RefusedPrediction` when an item breaks the config's rules.

    The rules are the answer rules (`check_result`, spans checked against `data` when given): whatever is
    shown must be something the annotator could submit unchanged. An item without an `id` gets one from its own
    content, so the region can be drawn, selected and matched to the answer."""
    if isinstance(pred, RefusedPrediction):
        return pred
    result = pred.get("result")
    if not isinstance(result, list):
        return RefusedPrediction(pred, _refusal(pred, f"`result` must be a list, not {type(result).__name__}"))
    pred = {**pred, "result": with_item_ids(result)}
    try:
        check_result(pred["result"], config, data)
    except ValueError as exc:
        return RefusedPrediction(pred, _refusal(pred, str(exc)))
    return pred


def with_item_ids(result: list) -> list:
    """`result` with an `id` on each dict item that has none: a short digest of the item and its position."""
    out = []
    for i, item in enumerate(result):
        if isinstance(item, dict) and item.get("id") in (None, ""):
            body = json.dumps([i, item], sort_keys=True, default=str).encode()
            digits = int.from_bytes(hashlib.blake2b(body, digest_size=8).digest(), "big")
            rid = ""
            for _ in range(10):  # 10 characters like the editor's ids: 64 ** 10 values
                digits, r = divmod(digits, len(ID_CHARS))
                rid += ID_CHARS[r]
            item = {"id": rid, **item} if "id" not in item else {**item, "id": rid}
        out.append(item)
    return out


def _refusal(pred: dict, why: str) -> str:
    version = pred.get("model_version")
    return f"suggestion{f' ({version})' if version else ''} not shown: {why}"

"""Label Studio result lists: checked against the config before they are stored, and matched to the suggestion.

Rules:
- a result that names an unknown control (or, inside a `<Repeater>`, an item the task's list does not have), the
  wrong object or type, or a label the config does not have is a
  `ValueError` with the reason: it is never stored as a silent wrong label;
- origins: each item is matched to the shown prediction by region `id`, else by
  `(from_name, to_name, type)`; equal value → "prediction", edited → "prediction-changed", new → "manual".
"""

from __future__ import annotations

import copy
import math
import numbers
import secrets
import string
from typing import Any

from .._brief import brief, listing
from ..config._parse import Config
from ..config._repeat import out_of_range
from ._geometry import check_geometry

ID_CHARS = string.ascii_letters + string.digits + "_-"  # the characters of a region id
# result type → the key of its payload inside `value`, when not the type itself
_VALUE_KEY = {"textarea": "text", "pairwise": "selected"}
# Region types whose `value` is geometry only (Label Studio's split format: the label comes in a `labels` item).
_NO_LABEL_KEY = {"rectangle", "polygon", "keypoint", "ellipse", "brush", "videorectangle", "magicwand"}


# byte -> one of the 64 id characters (each character for 4 of the 256 byte values: uniform)
_ID_TABLE = bytes(ord(ID_CHARS[b % len(ID_CHARS)]) for b in range(256))


def region_id() -> str:
    """A 10-character region id, like the Label Studio editor's nanoid(10): 10 random bytes mapped to 64
    characters in one `translate` (one `secrets.choice` per character cost ~6 µs an id, a third of a
    pre-labelled span's checks)."""
    return secrets.token_bytes(10).translate(_ID_TABLE).decode("ascii")


def normalize_result(result: Any, config: Config, data: dict | None = None) -> list[dict]:
    """A validated deep copy of `result` with region ids filled in.

    With the task's `data`, text spans are checked against the text they label (code points): `0 <= start < end <=
    len(text)` and `value["text"]`, when given, equal to `text[start:end]`.
    """
    out = [copy.deepcopy(_dict_item(i, item)) for i, item in enumerate(_items(result))]
    check_result(out, config, data)
    for item in out:
        if "id" not in item and item.get("type") != "relation":  # a relation is named by the ids it joins
            item["id"] = region_id()
    return out


def check_result(result: Any, config: Config, data: dict | None = None) -> None:
    """`normalize_result`'s checks alone, without copying or touching `result`: a `ValueError` with the reason
    when an item breaks the config's rules (what is shown as a suggestion is checked so, not stored)."""
    allowed: dict[str, set] = {}  # per control, for this call: the options of a span label are read per item
    for i, item in enumerate(_items(result)):
        if _dict_item(i, item).get("type") == "relation":
            for key in ("from_id", "to_id"):
                if not isinstance(item.get(key), str):
                    raise ValueError(f"result[{i}] (relation) needs a string {key!r}")
            continue
        if _is_chat_message(f"result[{i}]", item, config):
            continue
        _check_item(i, item, config, allowed)
        if data is not None:
            _check_repeat(f"result[{i}]", item, config, data)
            _check_span(f"result[{i}]", item, config, data)


def _dict_item(i: int, item: Any) -> dict:
    if not isinstance(item, dict):
        raise ValueError(f"result[{i}] must be a dict, not {type(item).__name__}")
    return item


def _items(result: Any) -> list:
    """The result list of a result or of an annotation dict holding one."""
    if isinstance(result, dict) and "result" in result:
        result = result["result"]
    if not isinstance(result, list):
        raise ValueError(f"a result must be a list of Label Studio result items, not {type(result).__name__}")
    return result


def _is_chat_message(where: str, item: dict, config: Config) -> bool:
    """A message added to a `<Chat>` (self-referencing: from_name == to_name == the Chat's name)."""
    if item.get("type") != "chatmessage":
        return False
    obj = config.objects.get(item.get("from_name"))
    if obj is None or obj.tag != "Chat" or item.get("to_name") != obj.name:
        raise ValueError(f"{where}: a chatmessage needs from_name == to_name == the name of a <Chat>")
    msg = (item.get("value") or {}).get("chatmessage")
    if not isinstance(msg, dict) or not isinstance(msg.get("role"), str) or not isinstance(msg.get("content"), str):
        raise ValueError(f"{where}: value['chatmessage'] must be {{'role': str, 'content': str, ...}}")
    return True


def _check_item(i: int, item: dict, config: Config, allowed: dict[str, set]) -> None:
    where = f"result[{i}]"
    name = item.get("from_name")
    control = config.controls.get(name) if isinstance(name, str) else None
    if control is None:
        raise ValueError(f"{where}: from_name={brief(name)} is not a control of the config "
                         f"(controls: {listing(config.controls)})")
    if control.repeat and not control.index:
        example = name.replace(control.repeat[-1].flag, "0")
        raise ValueError(f"{where}: from_name={brief(name)} is the template of a <Repeater>'s controls: "
                         f"name one item's control, e.g. {example!r}")
    to_name = item.get("to_name")
    if to_name not in control.to_name and to_name != control.name:
        raise ValueError(f"{where}: to_name={brief(to_name)} is not what <{control.tag} name=\"{name}\"> labels "
                         f"(toName: {listing(control.to_name)})")
    if item.get("type") != control.type:
        raise ValueError(f"{where}: type={brief(item.get('type'))} does not match <{control.tag}> "
                         f"(expected {control.type!r})")
    value = item.get("value")
    if not isinstance(value, dict):
        raise ValueError(f"{where}: `value` must be a dict")
    _check_value(where, control, value, allowed)
    check_geometry(where, item, control, config)


def _check_repeat(where: str, item: dict, config: Config, data: dict) -> None:
    """A control inside a `<Repeater>` answers for one item of the task's list: that item must exist."""
    control = config.controls[item["from_name"]]
    if control.repeat:
        why = out_of_range(control.name, control.repeat, control.index, data)
        if why is not None:
            raise ValueError(f"{where}: from_name={why}")


def _check_value(where: str, control, value: dict, allowed: dict[str, set]) -> None:
    attrs = control.node.attrs
    key = _VALUE_KEY.get(control.type, control.type)
    if control.type in _NO_LABEL_KEY:
        return  # geometry only: checked by _geometry.check
    if key not in value:
        raise ValueError(f"{where}: value of <{control.tag} name=\"{control.name}\"> needs key {key!r}")
    payload = value[key]
    if control.type in ("choices", "labels", "taxonomy") or control.type.endswith("labels"):
        if not isinstance(payload, list):
            raise ValueError(f"{where}: value[{key!r}] must be a list")
        if not control.dynamic:
            flat = [p for entry in payload for p in (entry if isinstance(entry, list) else [entry])]
            options = allowed.get(control.name)
            if options is None:
                options = allowed[control.name] = _allowed_values(control)
            unknown = [p for p in flat if p not in options]
            if unknown:
                raise ValueError(f"{where}: {brief(unknown[0])} is not an option of "
                                 f"<{control.tag} name=\"{control.name}\"> "
                                 f"(options: {listing(control.options)})")
        nested = any(isinstance(entry, list) for entry in payload)  # allowNested paths: a parent brings its children
        if control.type == "choices" and control.single and len(payload) > 1 and not nested:
            raise ValueError(f"{where}: <Choices name=\"{control.name}\"> allows one choice, got {len(payload)}")
    elif control.type == "pairwise":
        if payload not in ("left", "right"):
            raise ValueError(f"{where}: value['selected'] must be 'left' or 'right', got {brief(payload)}")
    elif control.type == "ranker":
        if not isinstance(payload, dict) or not all(isinstance(v, list) for v in payload.values()):
            raise ValueError(f"{where}: value['ranker'] must map a column name to a list of item ids")
    elif control.type == "textarea":
        if not isinstance(payload, list) or not all(isinstance(t, str) for t in payload):
            raise ValueError(f"{where}: value['text'] must be a list of strings")
    elif control.type == "rating":
        top = int(attrs.get("maxRating", "5") or 5)
        if isinstance(payload, bool) or not isinstance(payload, numbers.Integral) or not 0 <= payload <= top:
            raise ValueError(f"{where}: rating must be an integer from 0 to {top}, got {brief(payload)}")
    elif control.type == "number":
        if isinstance(payload, bool) or not isinstance(payload, numbers.Real) or not math.isfinite(payload):
            raise ValueError(f"{where}: number must be a finite number, got {brief(payload)}")
        for bound, ok in (("min", lambda b: payload >= b), ("max", lambda b: payload <= b)):
            if attrs.get(bound) not in (None, "") and not ok(float(attrs[bound])):
                raise ValueError(f"{where}: number {payload} is outside {bound}={attrs[bound]}")


def _check_span(where: str, item: dict, config: Config, data: dict) -> None:
    """A `labels` region on a Text object must lie inside the task text and quote it exactly."""
    obj = config.objects.get(item.get("to_name"))
    value = item["value"]
    if obj is None or obj.tag != "Text" or item.get("type") != "labels":
        return
    if "start" not in value or "end" not in value:  # nothing to draw: a label without its span
        raise ValueError(f"{where}: a span on <Text name=\"{obj.name}\"> needs value['start'] and value['end'] "
                         "(code-point offsets)")
    text = data.get(obj.field) if obj.field else None
    if not isinstance(text, str):
        return
    start, end = value.get("start"), value.get("end")
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (start, end)):
        raise ValueError(f"{where}: span start/end must be integers, got {brief(start)}, {brief(end)}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: span [{start}, {end}) is not inside the text of {obj.name!r} "
                         f"({len(text)} characters; offsets count code points)")
    if "text" in value and value["text"] != text[start:end]:
        raise ValueError(f"{where}: value['text']={brief(value['text'])} is not "
                         f"text[{start}:{end}]={brief(text[start:end])} "
                         f"(offsets count code points, not UTF-16 units)")


def _allowed_values(control) -> set[str]:
    """Option values plus their `alias`es: Label Studio writes the alias into results when one is set."""
    allowed = set(control.options)
    stack = list(control.node.children)
    while stack:
        node = stack.pop()
        if node.kind == "option" and node.attrs.get("alias"):
            allowed.add(node.attrs["alias"])
        stack.extend(node.children)
    return allowed


def with_origins(result: list[dict], shown: list[dict] | None) -> list[dict]:
    """`result` with `origin` set by comparing it to the shown prediction's result (None: all manual)."""
    by_id = {r.get("id"): r for r in shown or () if r.get("id") is not None}
    by_slot = {(r.get("from_name"), r.get("to_name"), r.get("type")): r for r in shown or ()}
    out = []
    for item in result:
        match = by_id.get(item.get("id")) if item.get("id") is not None else None
        if match is None:
            match = by_slot.get((item.get("from_name"), item.get("to_name"), item.get("type")))
        if match is None:
            origin = "manual"
        elif _same(item, match):
            origin = "prediction"
        else:
            origin = "prediction-changed"
        out.append({**item, "origin": origin})
    return out


def _same(a: dict, b: dict) -> bool:
    if a.get("type") == "relation":
        return all(a.get(k) == b.get(k) for k in ("from_id", "to_id", "direction", "labels"))
    return a.get("value") == b.get("value")


def strip_origins(result: list[dict]) -> list[dict]:
    """The result as the UI should show it pre-filled (origins are recomputed on submit)."""
    return [{k: v for k, v in item.items() if k not in ("origin", "score")} for item in result]

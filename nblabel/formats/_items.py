"""One export item per annotation, as Label Studio's converter makes them.

Rule (matches `Converter.annotation_result_from_task` and `Converter.get_data` in label_studio_sdk 2.1.2):
- a task without annotations gives one item with no output and no annotator;
- cancelled (`was_cancelled`) or `skipped` annotations are dropped; a task whose annotations are all cancelled
  gives no item at all;
- the others give one item each, newest `created_at` first (a stable sort, as the converter's);
- an item's output maps each control name to the values of its results, in result order; each value is a copy of
  the result's `value` plus `original_width` / `original_height` when the result has them. Results of names
  that are not controls (relations, unknown names) are dropped; a `<Repeater>`'s concrete names (`labels_0`,
  `labels_1`…) are controls, kept under those names (the converter matches them to `labels_{{idx}}` the same way
  when given the schema a Label Studio server gives it). The control's tag (`Choices`, `Labels`, ...)
  travels beside the values instead of inside them (the converter adds a `type` key only to pop it again).
Without a config every named result is kept and its tag is the canonical tag of its `type`, so single choices
still print as `"Positive"` (the converter, given no config, keeps the lowercase type and prints a list).
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from ..config._repeat import Names
from ..config._tags import lookup
from ._frame import Frame, convert_items, text_fields, texts_for


class Item(NamedTuple):
    id: Any
    data: dict
    outputs: dict  # control name -> list of value dicts
    tags: dict  # control name -> tag ("Choices", "Labels", ...)
    annotation: dict  # {} for a task without annotations


def _created(annotation: dict) -> Any:
    value = annotation.get("created_at")
    return "" if value is None else value


def _cancelled(annotation: dict) -> bool:
    return bool(annotation.get("was_cancelled") or annotation.get("skipped"))


def control_tags(frame: Frame) -> dict[str, str] | None:
    return schema_of(frame.config)


def schema_of(config: Any) -> dict[str, str] | None:
    """Control name -> tag, or None without a config."""
    if config is None:
        return None
    plain = {name: c.tag for name, c in config.controls.items()}
    if not any(c.repeat for c in config.controls.values()):
        return plain
    tags = Names(lambda n: c.tag if (c := config.controls.get(n)) is not None else None)
    tags.update(plain)
    return tags  # a repeated control's concrete names (`labels_0`) are found too


_NO_ANNOTATION: dict = {}


def item_annotations(annotations: list) -> list:
    """The annotations a task exports, newest first: `[{}]` for a task without any (one empty item), `[]` when
    all are cancelled (no item at all)."""
    if not annotations:
        return [_NO_ANNOTATION]
    if len(annotations) == 1 and type(annotations[0]) is dict:
        return [] if _cancelled(annotations[0]) else annotations
    live = [a for a in annotations if isinstance(a, dict) and not _cancelled(a)]
    live.sort(key=_created, reverse=True)
    return live


def outputs_of(result: Any, schema: dict[str, str] | None) -> tuple[dict[str, list], dict[str, str]]:
    """(control name -> values, control name -> tag) of one annotation's result."""
    outputs: dict[str, list] = {}
    tags: dict[str, str] = {}
    for r in result or ():
        name = r.get("from_name")
        if not name:
            continue  # relations
        if schema is not None:
            tag = schema.get(name)
            if tag is None:
                if r.get("type") != "chatmessage":
                    continue
                tag = "chatmessage"  # Chat messages carry their own name; the converter keeps them
        else:
            info = lookup(str(r.get("type") or ""))
            tag = info.tag if info is not None else str(r.get("type") or "unknown")
        value = r.get("value") or {}
        # Values are shared with the frame, never mutated; copied only to add the image size.
        if "original_width" in r or "original_height" in r:
            value = dict(value)
            if "original_width" in r:
                value["original_width"] = r["original_width"]
            if "original_height" in r:
                value["original_height"] = r["original_height"]
        if name in outputs:
            outputs[name].append(value)
        else:
            outputs[name] = [value]
        tags[name] = tag
    return outputs, tags


def chosen_annotations(frame: Frame, utf16: bool) -> Iterator[tuple[Any, dict, list]]:
    """(task id, data, annotations to export) per task, offsets converted as asked."""
    fields = text_fields(frame.config) if utf16 != frame.utf16 else None
    for ident, data, anns in frame.rows():
        if len(anns) == 1 and type(anns[0]) is dict:  # the common case, inlined
            a = anns[0]
            if a.get("was_cancelled") or a.get("skipped"):
                continue
            chosen = anns
        else:
            chosen = item_annotations(anns)
            if not chosen or chosen[0] is _NO_ANNOTATION:
                yield ident, data, chosen
                continue
        if fields is not None:
            chosen = convert_items(chosen, texts_for(data, fields), utf16)
        yield ident, data, chosen


def iter_items(frame: Frame, utf16: bool) -> Iterator[Item]:
    """Items in task order, text offsets in UTF-16 (`utf16=True`, for files) or code points."""
    schema = control_tags(frame)
    for ident, data, chosen in chosen_annotations(frame, utf16):
        for annotation in chosen:
            outputs, tags = outputs_of(annotation.get("result"), schema)
            yield Item(ident, data, outputs, tags, annotation)


FLAT = frozenset(("Choices", "TextArea", "Chat", "chatmessage"))  # tags prettify changes; others stay lists


def prettify(values: list[dict], tag: str) -> Any:
    """JSON_MIN's value style in files (converter `prettify_result`): one Choices/TextArea region with one entry →
    that entry; a single Choices/TextArea region → its value; anything else → the list of values.

    Not the rule of a DataFrame's simple columns (`results._table.simple_values`), which gathers a control's
    choices or texts across its regions (a multiple-choice answer is a list of labels, never a value dict): a
    file must match the converter's bytes, a column is read by code, so the two rules differ on purpose."""
    flat = tag in ("Choices", "TextArea")
    if flat:
        key = "choices" if tag == "Choices" else "text"
        out = []
        for v in values:
            entries = v.get(key)
            out.append(entries[0] if isinstance(entries, list) and len(entries) == 1 else v)
        return out[0] if len(out) == 1 else out
    if tag in ("Chat", "chatmessage"):
        return [v.get("chatmessage", v) for v in values]
    return values


def annotator(annotation: dict, default: Any = None, int_id: bool = False) -> Any:
    """Converter `get_annotator`: the email of a `completed_by` dict, an int id kept as int only when asked,
    anything else as text."""
    who = annotation.get("completed_by", {})
    if isinstance(who, dict):
        return who.get("email", default)
    if int_id and isinstance(who, int):
        return who
    return str(who)

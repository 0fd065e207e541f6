"""JSON_MIN: one flat record per annotation, as Label Studio's `convert_to_json_min` writes it.

Rule: record = the task's data keys, then `id`, then one key per control (JSON_MIN value style, see
`_items.prettify`), then `annotator` (email, or the int user id), `annotation_id`, `created_at`, `updated_at`,
`lead_time`, and `agreement` (percent) for a task with two or more annotations (or, from a Label Studio export, the
task's own `agreement`, for every record of a task with annotations, as the converter copies it). Written as `[`,
the records indented two spaces and separated by `,` newline, `]` — the converter's byte layout (`ujson`, `/`
escaped). Text offsets are UTF-16.

Two inputs, one record rule (`_record`): a Frame (a DataFrame, or task dicts), and for a file-to-file export the
tasks `_narrow.task_structs` decodes, read by attribute (a third of the time of the dict path).
"""

from __future__ import annotations

from typing import Any

from ._frame import Frame
from ._items import FLAT, chosen_annotations, control_tags, item_annotations, outputs_of, prettify, schema_of
from ._jsonio import dumps_records
from ._narrow import UNSET, as_dict
from ..quality._agreement import task_percent


def agreement_by_id(frame: Frame) -> dict:
    """Task id → agreement percent, for the tasks that have one (two or more annotations); without `agreement=`,
    the agreement a Label Studio export gave its tasks, carried through as the converter carries it."""
    if not frame.agreement:
        return dict(frame.carried or {})
    percents = task_percent(frame.annotations, frame.config)
    return {i: p for i, p in zip(frame.ids, percents) if p is not None}


def _record(data: dict, ident: Any, result: Any, who: Any, annotation_id: Any, created_at: Any, updated_at: Any,
            lead_time: Any, schema: dict | None) -> dict:
    # Keys set one by one in the converter's order: a key already present (a data key named "id", or like a
    # control) keeps its place and takes the later value, exactly as the converter's successive assignments.
    record = {**data}
    if ident is not None:
        record["id"] = ident
    if result:
        outputs, tags = outputs_of(result, schema)
        for name, values in outputs.items():
            tag = tags[name]
            record[name] = values if tag not in FLAT else prettify(values, tag)
    record["annotator"] = who.get("email") if type(who) is dict else (who if isinstance(who, int) else str(who))
    record["annotation_id"] = annotation_id
    record["created_at"] = created_at
    record["updated_at"] = updated_at
    record["lead_time"] = lead_time
    return record


def records(frame: Frame) -> list[dict]:
    schema = control_tags(frame)
    out = [_record(data, ident, a.get("result"), a.get("completed_by", _NOBODY), a.get("id"), a.get("created_at"),
                   a.get("updated_at"), a.get("lead_time"), schema)
           for ident, data, chosen in chosen_annotations(frame, utf16=True) for a in chosen]
    agreement = agreement_by_id(frame)
    if agreement:
        for record in out:
            if record.get("id") in agreement:
                record["agreement"] = agreement[record["id"]]
    return out


def struct_records(tasks: list, config: Any) -> list[dict]:
    """Records of tasks from `_narrow.task_structs` (offsets stay UTF-16: nothing to convert)."""
    schema = schema_of(config)
    out = []
    append = out.append
    for pos, task in enumerate(tasks):
        ident = pos if task.id is UNSET else task.id
        annotations = task.annotations
        if len(annotations) == 1:  # the common case, by attribute
            a = annotations[0]
            if not (a.was_cancelled or a.skipped):
                append(_record(task.data, ident, a.result, a.completed_by, a.id, a.created_at, a.updated_at,
                               a.lead_time, schema))
            continue
        for a in item_annotations([as_dict(a) for a in annotations]):  # none, or several: the dict rule
            append(_record(task.data, ident, a.get("result"), a.get("completed_by", _NOBODY), a.get("id"),
                           a.get("created_at"), a.get("updated_at"), a.get("lead_time"), schema))
    return out


_NOBODY: dict = {}


def write(frame: Frame, path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(dumps_records(records(frame)))


def write_structs(tasks: list, config: Any, path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(dumps_records(struct_records(tasks, config)))

"""JSON_MIN, CSV and TSV exports back into tasks: one record per annotation, regrouped by task `id`.

Rules (the inverse of `_json_min` / `_csv`): a record's control keys become results (`from_name` = the control,
`to_name` its first object (Pairwise: itself), `type` its result type; image sizes move back to the result);
JSON_MIN's flattened values (`"Positive"`, a single TextArea text) become regions again; the other keys are the
task's data (`_data_<key>` is `<key>`). CSV cells: quoted cells are text, bare cells numbers (the writer quoted all but
numbers), `""` is None for the annotation fields; cells holding JSON lists or dicts are parsed. The annotator
becomes `completed_by`: an int id, else `{"email": ...}`. A record with no annotation id and no control values
is a task without annotations, and so is one whose annotation id, annotator and creation time are all empty: then
every key is data, also one named like a control. A Chat's messages (under the Chat's name) become chatmessage
results (a Chat named like its own data field: from CSV when the data is `_data_<name>`, from JSON_MIN when every
message has the `createdAt` an editor stamps); `history` (CSV) goes back to its annotation and `agreement` to its
task. Region ids are not in these formats, so results have none.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

RECORD_KEYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")


def read_csv(text: str) -> list[dict]:
    """Rows of a Label Studio CSV/TSV export. Reading twice (as written, and with QUOTE_NONNUMERIC) tells
    quoted text from bare numbers and keeps `12` an int where csv alone would give 12.0."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    raw = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    typed = list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC))
    if not raw:
        return []
    header = raw[0]
    rows = []
    for cells, kinds in zip(raw[1:], typed[1:]):
        row = {}
        for name, cell, kind in zip(header, cells, kinds):
            row[name] = _number(cell) if isinstance(kind, float) else cell
        rows.append(row)
    return rows


def is_records(items: list) -> bool:
    """JSON_MIN records have the annotation keys at the top level and no `data` dict."""
    return bool(items) and all(isinstance(r, dict) and "data" not in r and all(k in r for k in RECORD_KEYS)
                               for r in items[:50])


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _who(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)  # CSV writes user ids as text
    if isinstance(value, str):
        return {"email": value}
    return value


def _cell_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _regions(value: Any, control: Any, from_csv: bool) -> list[dict]:
    """JSON_MIN's value style back to region values (inverse of `_items.prettify`)."""
    if value is None or (from_csv and value == ""):
        return []
    flat_key = {"Choices": "choices", "TextArea": "text"}.get(control.tag)
    if from_csv and isinstance(value, str) and not (flat_key == "choices" and value in control.options):
        value = _cell_json(value)
    if flat_key:
        entries = value if isinstance(value, list) else [value]
        return [e if isinstance(e, dict) else {flat_key: [e]} for e in entries]
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _result(name: str, control: Any, value: dict) -> dict:
    value = dict(value)
    # Pairwise results name the control itself as to_name (the editor's shape), every other one its first object
    to_name = control.to_name[0] if control.to_name and control.type != "pairwise" else name
    item: dict[str, Any] = {"from_name": name, "to_name": to_name, "type": control.type}
    for key in ("original_width", "original_height"):
        if key in value:
            item[key] = value.pop(key)
    item["value"] = value
    return item


def _chat_results(name: str, value: Any, from_csv: bool) -> list[dict]:
    """A Chat's messages (JSON_MIN / CSV: the list of `{role, content, ...}`) back into chatmessage results."""
    if from_csv:
        value = _cell_json(value)
    if not isinstance(value, list):
        return []
    return [{"from_name": name, "to_name": name, "type": "chatmessage", "value": {"chatmessage": m}}
            for m in value if isinstance(m, dict)]


def regroup(records: list[dict], config: Any, from_csv: bool) -> list[dict]:
    """JSON_MIN / CSV records (one per annotation) → tasks."""
    controls = config.controls
    # Chat objects write their messages under their own name. One named like its own data field is ambiguous in
    # JSON_MIN (the converter writes the messages over the data value): there the key holds the annotation's
    # messages when every message carries `createdAt` (the editor stamps each message it adds; task data does not).
    chats = {n for n, o in config.objects.items() if o.tag == "Chat"}
    skip = set(RECORD_KEYS) | {"id", "agreement", "history"} | {f"{n}_transcript" for n in set(controls) | chats}
    blank = (lambda v: v is None or v == "") if from_csv else (lambda v: v is None)
    tasks: dict[Any, dict] = {}
    for pos, record in enumerate(records):
        ident = record.get("id", pos)
        if from_csv:
            ident = _cell_json(ident)  # a tuple id is written as a JSON list
        if isinstance(ident, list):
            ident = tuple(ident)
        # annotation id, annotator and creation time all empty: the record of a task without annotations, whose
        # keys are all data, also those named like a control (a CSV names a data key that collides `_data_<key>`)
        unannotated = all(blank(record.get(k)) for k in ("annotation_id", "annotator", "created_at"))
        chat_keys = {n for n in chats if n in record and (from_csv and f"_data_{n}" in record
                                                          or not _is_field(config, n)
                                                          or not from_csv and _stamped(record[n]))}
        data = {}
        for key, value in record.items():
            if key in skip or (key in controls and not unannotated) or (key in chat_keys and not unannotated):
                continue
            if unannotated and (key in controls or key in chats) and (f"_data_{key}" in record or blank(value)):
                continue  # the empty control cell (beside the data column, when a data key collides)
            if from_csv:
                key = key[6:] if key.startswith("_data_") else key
                value = _cell_json(value)
            data[key] = value
        task = tasks.get(ident)
        if task is None:
            task = tasks[ident] = {"id": ident, "data": data, "annotations": []}
        if "agreement" in record and not blank(record["agreement"]):
            task["agreement"] = record["agreement"]
        if unannotated:
            continue
        result = [_result(name, controls[name], v)
                  for name in config.repeated_names(record)
                  for v in _regions(record[name], controls[name], from_csv)]
        for name in sorted(chat_keys, key=list(record).index):  # after the controls' results, as config order
            result.extend(_chat_results(name, record[name], from_csv))
        if blank(record.get("annotation_id")) and not result:
            continue  # the record of a task without annotations
        annotation: dict[str, Any] = {"id": None if blank(record.get("annotation_id")) else record["annotation_id"]}
        who = _who(record.get("annotator"))
        if who is not None:
            annotation["completed_by"] = who
        annotation["result"] = result
        annotation["was_cancelled"] = False
        for key in ("created_at", "updated_at", "lead_time"):
            annotation[key] = None if blank(record.get(key)) else record[key]
        history = _cell_json(record.get("history")) if from_csv else record.get("history")
        if isinstance(history, list) and history:
            annotation["history"] = history
        task["annotations"].append(annotation)
    return list(tasks.values())


def _stamped(value: Any) -> bool:
    """Messages an editor added: a non-empty list of message dicts, each with its `createdAt`."""
    return isinstance(value, list) and bool(value) and all(isinstance(m, dict) and "createdAt" in m for m in value)


def _is_field(config: Any, name: str) -> bool:
    """Whether the config reads a data field of this name."""
    return name in set(config.fields)

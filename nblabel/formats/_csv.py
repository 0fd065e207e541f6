"""CSV and TSV: JSON_MIN's records as a table, as Label Studio's `exports/csv2.convert` writes them.

Rule: columns = every key any record has (data keys, `id`, control names, `annotator`, `annotation_id`,
`created_at`, `updated_at`, `lead_time`, `agreement` when a task has two or more annotations or a Label Studio
export gave it one, `history` when an annotation has a non-empty one (compact JSON), `<name>_transcript` beside a
Chat control's column: its messages as `role: content` lines), sorted; a data key that is also a control name
becomes `_data_<key>`. Cells: control values that are not text are compact JSON; data values that are dicts or lists
are compact JSON; `annotator` is always text (`"1"` for user 1). Quoting is `csv.QUOTE_NONNUMERIC` (numbers
bare, everything else quoted, missing cells `""`), lines end with CRLF. TSV is the same with tabs.
"""

from __future__ import annotations

import csv
from typing import Any

from ._frame import Frame
from ._items import annotator, iter_items, prettify
from ._json_min import agreement_by_id
from ._jsonio import dumps_cell
from ..tasks._media import _exportable, export_value

_ALWAYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")


def _row(item: Any, colliding: set) -> dict:
    row: dict[str, Any] = {}
    if item.id is not None:
        row["id"] = dumps_cell(list(item.id)) if isinstance(item.id, tuple) else item.id
    for name, values in item.outputs.items():
        pretty = prettify(values, item.tags[name])
        row[name] = pretty if isinstance(pretty, str) else dumps_cell(pretty)
        if item.tags[name] in ("Chat", "chatmessage"):
            row[f"{name}_transcript"] = transcript(pretty)
    for key, value in item.data.items():
        column = f"_data_{key}" if key in colliding else key
        if _exportable(value):  # a Path / bytes / PIL / numpy image: its path or a data: URI, as in JSON
            value = export_value(value)
        row[column] = dumps_cell(value) if isinstance(value, (dict, list)) else value
    a = item.annotation
    row["annotator"] = annotator(a)
    row["annotation_id"] = a.get("id")
    row["created_at"] = a.get("created_at")
    row["updated_at"] = a.get("updated_at")
    row["lead_time"] = a.get("lead_time")
    if a.get("history"):
        row["history"] = dumps_cell(a["history"])
    return row


def transcript(messages: Any) -> str:
    """A Chat's messages as text, one `role: content` line each (the converter's `generate_chat_transcript`)."""
    lines = []
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict):
            continue
        role, content = str(message.get("role", "")), str(message.get("content", ""))
        lines.append((f"{role}: {content}" if content else f"{role}:") if role else content)
    return "\n".join(lines)


def write(frame: Frame, path: str, delimiter: str = ",") -> None:
    items = list(iter_items(frame, utf16=True))
    data_keys: set = set()
    output_keys: set = set()
    for item in items:
        data_keys.update(item.data)
        output_keys.update(item.outputs)
    colliding = data_keys & output_keys  # decided over the whole export, so every row has the same columns
    rows = [_row(item, colliding) for item in items]
    agreement = agreement_by_id(frame)
    if agreement:
        for item, row in zip(items, rows):
            if item.id in agreement:
                row["agreement"] = agreement[item.id]
    columns = set(_ALWAYS)
    for row in rows:
        columns.update(row)
    header = sorted(columns)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        writer.writerow(header)
        # None and absent cells are written as the empty *string*, which QUOTE_NONNUMERIC quotes: `""`.
        writer.writerows([["" if (v := row.get(c)) is None else v for c in header] for row in rows])

"""JSON_MIN: one flat record per annotation, as Label Studio's `convert_to_json_min` writes it.

Rule: record = the task's data keys, then `id`, then one key per control (JSON_MIN value style, see
`_items.prettify`), then `annotator` (email, or the int user id), `annotation_id`, `created_at`, `updated_at`,
`lead_time`. Written as `[`, the records indented two spaces and separated by `,` newline, `]` — the
converter's byte layout (`ujson`, `/` escaped). Text offsets are UTF-16.
"""

from __future__ import annotations

from ._frame import Frame
from ._items import annotator, iter_items, prettify
from ._jsonio import dumps_records


def records(frame: Frame) -> list[dict]:
    out = []
    for item in iter_items(frame, utf16=True):
        record = dict(item.data)
        if item.id is not None:
            record["id"] = item.id
        tags = item.tags
        for name, values in item.outputs.items():
            record[name] = prettify(values, tags[name])
        a = item.annotation
        record["annotator"] = annotator(a, int_id=True)
        record["annotation_id"] = a.get("id")
        record["created_at"] = a.get("created_at")
        record["updated_at"] = a.get("updated_at")
        record["lead_time"] = a.get("lead_time")
        out.append(record)
    return out


def write(frame: Frame, path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(dumps_records(records(frame)))

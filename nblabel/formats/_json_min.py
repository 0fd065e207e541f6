"""JSON_MIN: one flat record per annotation, as Label Studio's `convert_to_json_min` writes it.

Rule: record = the task's data keys, then `id`, then one key per control (JSON_MIN value style, see
`_items.prettify`), then `annotator` (email, or the int user id), `annotation_id`, `created_at`, `updated_at`,
`lead_time`. Written as `[`, the records indented two spaces and separated by `,` newline, `]` — the
converter's byte layout (`ujson`, `/` escaped). Text offsets are UTF-16.
"""

from __future__ import annotations

from ._frame import Frame
from ._items import FLAT, chosen_annotations, control_tags, outputs_of, prettify
from ._jsonio import dumps_records


def records(frame: Frame) -> list[dict]:
    # The item loop of `_items.iter_items`, flattened: this is the hot path of a JSON_MIN export. Keys are set
    # one by one in the converter's order; a key already present (a data key named "id", or like a control)
    # keeps its place and takes the later value, exactly as the converter's successive assignments.
    schema = control_tags(frame)
    out = []
    append = out.append
    for ident, data, chosen in chosen_annotations(frame, utf16=True):
        for a in chosen:
            record = {**data}
            if ident is not None:
                record["id"] = ident
            result = a.get("result")
            if result:
                outputs, tags = outputs_of(result, schema)
                for name, values in outputs.items():
                    tag = tags[name]
                    record[name] = values if tag not in FLAT else prettify(values, tag)
            who = a.get("completed_by", _NOBODY)
            record["annotator"] = who.get("email") if type(who) is dict else (
                who if isinstance(who, int) else str(who))
            record["annotation_id"] = a.get("id")
            record["created_at"] = a.get("created_at")
            record["updated_at"] = a.get("updated_at")
            record["lead_time"] = a.get("lead_time")
            append(record)
    return out


_NOBODY: dict = {}


def write(frame: Frame, path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(dumps_records(records(frame)))

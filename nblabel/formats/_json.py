"""JSON: the Label Studio task list, as a server's JSON export or `Labeler.to_label_studio()` writes it.

Rule: one task per row, `{"id"?, "data", "annotations", "predictions", "meta"}`, written compact as Label Studio
writes it (`ujson` style: no spaces, `/` escaped, non-ASCII as UTF-8). `id` is written only when the task id is
an int (Label Studio assigns its own ids otherwise); `meta.nblabel_id` always carries the nblabel id so a round
trip through a server keeps identity. Text offsets are converted to UTF-16. A task with two or more annotations
gets `agreement` (percent, as Label Studio Enterprise writes it: `nblabel.agreement`'s overall per-task score); a
task read from a Label Studio export keeps the `agreement` it had.
"""

from __future__ import annotations

from typing import Any, Iterator

from ._frame import Frame, convert_items, text_fields, texts_for
from ._stream import write_json_array
from ..quality._agreement import task_percent


def tasks(frame: Frame) -> list[dict]:
    """The frame's rows as Label Studio task dicts (the JSON export's items)."""
    return list(iter_tasks(frame))


def iter_tasks(frame: Frame) -> Iterator[dict]:
    """`tasks`, one at a time: a file writer dumps and drops them as they come."""
    fields = text_fields(frame.config)
    convert = not frame.utf16  # tasks read straight from a file hold UTF-16 offsets already
    if frame.agreement:
        agreement = task_percent(frame.annotations, frame.config)
    else:  # what a Label Studio export gave its tasks, written back as is
        carried = frame.carried or {}
        agreement = [carried.get(i) for i in frame.ids] if carried else [None] * len(frame)
    for ident, data, anns, predictions, meta, percent in zip(
        frame.ids, frame.data, frame.annotations, frame.predictions, frame.meta, agreement
    ):
        task: dict[str, Any] = {}
        if type(ident) is int:
            task["id"] = ident
        task["data"] = data
        texts = texts_for(data, fields) if convert and (anns or predictions) else None
        task["annotations"] = convert_items(anns, texts, True)
        if predictions and not all(isinstance(p, dict) for p in predictions):
            predictions = [p for p in predictions if isinstance(p, dict)]  # a quick export's prediction ids
        task["predictions"] = convert_items(predictions, texts, True)
        task["meta"] = {**meta, "nblabel_id": list(ident) if isinstance(ident, tuple) else ident}
        if percent is not None:
            task["agreement"] = percent
        yield task


def write(frame: Frame, path: str) -> None:
    write_json_array(iter_tasks(frame), path)

"""Label Studio JSON exports decoded with only the keys a record writer reads (JSON_MIN, CONLL2003).

Why: a file-to-file export spends half its time parsing the export and freeing what it parsed. msgspec, given
the shape of a task as TypedDicts, builds the same plain dicts as `orjson.loads` about a third faster here, and
never builds the keys no such writer reads (a server export carries some forty per task: `predictions`,
`drafts`, `updated_by`, `ground_truth`, region ids, ...).

Rule: the narrow decode is only a shortcut. Whenever its result could differ from what the full decode gives
those writers, `tasks` returns None and the caller decodes the file as usual: msgspec not installed, a file that
is not a list of task objects (an API page, JSON_MIN records, flat data dicts), a field of another type than
Label Studio writes (a `result` that is not a list of objects), or invalid JSON (the full decode then gives its
own error).
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, TypedDict

try:  # a dependency; without it every file takes the full decode
    import msgspec
except ImportError:  # pragma: no cover - exercised only without msgspec
    msgspec = None  # type: ignore[assignment]


class _Region(TypedDict, total=False):
    from_name: Any  # which control: JSON_MIN keys, CONLL2003's first Labels control
    to_name: Any  # which object: the text whose offsets are converted
    type: Any  # chat messages are kept by type
    value: Any
    original_width: Any
    original_height: Any


class _Annotation(TypedDict, total=False):
    id: Any
    completed_by: Any
    result: list[_Region]
    was_cancelled: Any
    skipped: Any
    created_at: Any
    updated_at: Any
    lead_time: Any


class _Task(TypedDict, total=False):
    id: Any
    data: Any
    annotations: list[_Annotation]


_decoder = msgspec.json.Decoder(list[_Task]) if msgspec is not None else None

# JSON_MIN reads tasks as structs (attributes, no hash lookups; `_json_min.struct_records`). A default stands for
# an absent key and reads as `dict.get` would: None, False, no regions, no annotator ({}), no id (UNSET).
UNSET = msgspec.UNSET if msgspec is not None else object()
if msgspec is not None:
    class AnnotationStruct(msgspec.Struct):
        id: Any = None
        completed_by: Any = msgspec.field(default_factory=dict)
        result: list[_Region] = []
        was_cancelled: Any = False
        skipped: Any = False
        created_at: Any = None
        updated_at: Any = None
        lead_time: Any = None

    class TaskStruct(msgspec.Struct):
        data: dict
        id: Any = msgspec.UNSET
        annotations: list[AnnotationStruct] = []

    _struct_decoder = msgspec.json.Decoder(list[TaskStruct])

    class FullTask(msgspec.Struct):
        """A task with every key `read_label_studio` keeps, its annotations and predictions as plain JSON
        values (all their keys); the task's other keys are skipped unbuilt. Defaults read as absent keys."""
        data: dict
        id: Any = msgspec.UNSET
        annotations: list | None = None  # anything else: the full decode, whose rules handle odd values
        predictions: list | None = None
        meta: Any = None
        agreement: Any = msgspec.UNSET

    _full_decoder = msgspec.json.Decoder(list[FullTask])
else:  # pragma: no cover - exercised only without msgspec
    _struct_decoder = _full_decoder = None


def tasks(raw: bytes) -> list[dict] | None:
    """The tasks of a Label Studio JSON export with the keys record writers read, or None: decode in full.
    Every task returned is a dict with a `data` dict and, when it has any, a list of annotation dicts."""
    if _decoder is None:
        return None
    try:
        out = _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    # A task without a `data` object is a flat data dict (or not a task): only the full decode keeps its keys.
    if out and not set(map(type, map(dict.get, out, repeat("data")))) <= {dict}:
        return None
    return out


def task_structs(raw: bytes) -> list | None:
    """The tasks of a Label Studio JSON export as `TaskStruct`s, or None: decode in full (as for `tasks`)."""
    if _struct_decoder is None:
        return None
    try:
        return _struct_decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def full_tasks(raw: bytes | str) -> list | None:
    """The tasks of a Label Studio JSON export as `FullTask`s, or None: decode in full (anything that is not a
    list of objects each with a `data` object, or invalid JSON, whose error the full decode then gives)."""
    if _full_decoder is None:
        return None
    try:
        return _full_decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def as_dict(annotation: Any) -> dict:
    """An `AnnotationStruct` as the annotation dict the general rules read (defaults read as absent keys)."""
    return msgspec.structs.asdict(annotation)

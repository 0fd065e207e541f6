"""`export`: a DataFrame, a list of Label Studio tasks or an export file, written in a Label Studio format.

Rule: the writers (one module per format) read a `Frame`; this module picks the writer, builds the frame the
cheapest way the input allows (an export file meant for JSON_MIN or CONLL2003 is decoded narrowly, see
`_narrow`) and makes the folders single-file formats need.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .._errors import UnsupportedFormat
from . import _brush_out, _coco, _conll, _csv, _json, _json_min, _narrow, _voc, _yolo
from ._frame import frame_from_tasks, paused_gc, read_frame, resolve_config
from ._read import LEADING_SPACE, load, tasks_of
from ._stream import write_json_array

__all__ = ["FORMATS", "export"]

#: format name -> what `path` names
FORMATS = {
    "JSON": "file", "JSON_MIN": "file", "CSV": "file", "TSV": "file", "CONLL2003": "file",
    "COCO": "file or folder", "YOLO": "folder", "YOLO_OBB": "folder", "VOC": "folder",
    "BRUSH_TO_PNG": "folder", "BRUSH_TO_COCO": "folder",
}


def format_name(format: str) -> str:
    """The canonical name of an export format (`UnsupportedFormat` for an unknown one)."""
    fmt = str(format).upper().replace("-", "_")
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"format={format!r}: expected one of {', '.join(FORMATS)}")
    return fmt


def export(df: Any, path: str | os.PathLike, format: str = "JSON", config: Any = None, *,
           id_column: Any = None, agreement: bool | None = None) -> str:
    """Write `df` (a DataFrame with an `annotations` column, e.g. `Labeler.to_pandas()` or
    `read_label_studio(...)`) in a Label Studio export format. Returns the path written.

    `df` may also be a list of Label Studio task dicts or the path of a Label Studio export (JSON; JSON_MIN, CSV
    and TSV with `config=`): converted file to file, as `label_studio_sdk.converter` does, without a DataFrame.

    `config` (XML) overrides the config recorded in `df.attrs["nblabel"]`; JSON_MIN, CSV, TSV, CONLL2003, COCO,
    YOLO, VOC and the BRUSH_TO_* formats need one. Single-file formats write `path`; YOLO, VOC and BRUSH_TO_PNG
    write a folder laid out as Label Studio lays it out; COCO writes `path` if it ends in `.json`, else
    `path/result.json`; BRUSH_TO_COCO writes `path/result_coco.json`.

    `agreement`: JSON, JSON_MIN, CSV and TSV give a task with two or more annotations its `agreement` (percent,
    as Label Studio Enterprise writes it). None (default): for a Labeler's frame (`to_pandas()`), not for Label
    Studio files and frames read from them (written as the open-source converter writes them).
    """
    fmt = format_name(format)
    with paused_gc():
        if isinstance(df, pd.DataFrame):
            frame = read_frame(df, config, id_column=id_column)
        elif isinstance(df, (list, str, os.PathLike)):
            # Label Studio tasks (a list, or a JSON export file): converted file to file, offsets untouched.
            tasks, shape = (df, "dicts") if isinstance(df, list) else _load_tasks(df, config, fmt)
            if shape == "structs":
                _json_min.write_structs(tasks, resolve_config(None, config), _file_path(path))
                return str(Path(path))
            frame = frame_from_tasks(tasks, config, shape == "shaped")
        else:
            raise TypeError(f"export() takes a DataFrame (e.g. lab.to_pandas() or read_label_studio(...)), a list "
                            f"of Label Studio tasks or the path of a JSON export, not {type(df).__name__}")
        if agreement is None:
            attrs = df.attrs.get("nblabel") if isinstance(df, pd.DataFrame) else None
            agreement = bool(isinstance(attrs, dict) and attrs.get("annotator") is not None)
        frame.agreement = bool(agreement)
        return _write(frame, fmt, os.fspath(path))


def write_json_tasks(tasks: Iterable[dict], path: str | os.PathLike) -> str:
    """Label Studio task dicts as a JSON export, written as given (and while they come, when an iterator gives
    them): for tasks already in the JSON writer's shape (`Labeler.to_label_studio()`'s, with `agreement` where the
    frame path gives one), so no frame is built from them. Returns the path written."""
    target = _file_path(path)
    write_json_array(tasks, target)
    return str(Path(target))


# Writers that read only ids, data and the annotations' records: a file for them is decoded narrowly (_narrow).
_RECORD_WRITERS = ("JSON_MIN", "CONLL2003")


def _load_tasks(src: str | os.PathLike, config: Any, fmt: str) -> tuple[list, str]:
    """The tasks of an export file and their shape: "structs" (`_narrow.task_structs`, for JSON_MIN), "shaped"
    (dicts whose shape is known, see `frame_from_tasks`) or "dicts" (anything JSON holds)."""
    if fmt in _RECORD_WRITERS:
        with open(src, "rb") as fh:
            raw = fh.read()
        start = LEADING_SPACE.match(raw).end()  # type: ignore[union-attr]  # no lstrip(): it would copy the file
        # a task's own agreement is written as it is, and the narrow decode does not keep it
        if raw[start:start + 1] == b"[" and not (fmt == "JSON_MIN" and b'"agreement"' in raw):
            if fmt == "JSON_MIN":
                structs = _narrow.task_structs(raw)
                if structs is not None:
                    return structs, "structs"
            tasks = _narrow.tasks(raw)
            if tasks is not None:
                return tasks, "shaped"
    content, kind = load(src)
    return tasks_of(content, kind, resolve_config(None, config)), "dicts"


def _file_path(path: str | os.PathLike) -> str:
    """A single-file format's path, its folder made."""
    path = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return path


def _write(frame: Any, fmt: str, path: str) -> str:
    if fmt not in ("JSON", "JSON_MIN", "CSV", "TSV") and frame.config is None:
        raise UnsupportedFormat(f"format={fmt!r} needs the labeling config: pass config=<View>...</View> "
                                "(a frame from Labeler.to_pandas() records it in df.attrs)")
    if FORMATS[fmt] == "file":
        path = _file_path(path)
    if fmt == "JSON":
        _json.write(frame, path)
    elif fmt == "JSON_MIN":
        _json_min.write(frame, path)
    elif fmt in ("CSV", "TSV"):
        _csv.write(frame, path, delimiter="," if fmt == "CSV" else "\t")
    elif fmt == "CONLL2003":
        _conll.write(frame, path)
    elif fmt == "COCO":
        path = _coco.write(frame, path)
    elif fmt in ("YOLO", "YOLO_OBB"):
        _yolo.write(frame, path, obb=fmt == "YOLO_OBB")
    elif fmt == "VOC":
        _voc.write(frame, path)
    elif fmt == "BRUSH_TO_PNG":
        _brush_out.write_png(frame, path)
    elif fmt == "BRUSH_TO_COCO":
        path = _brush_out.write_coco(frame, path)
    return str(Path(path))

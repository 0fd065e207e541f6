"""Write-back: annotations out as pandas and as Label Studio JSON.

Rules (MISSION "DataFrames out", "Offsets"):
- `to_pandas` never mutates the input; text offsets stay in code points;
- Label Studio artefacts (`to_label_studio`, files) carry UTF-16 offsets and `completed_by: {"email": ...}`;
- one pass over the store groups annotations by task; rows are read only once.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..tasks._media import export_data
from ..results._offsets import convert_result
from ..store._default import check_answers
from ..store._sqlite import Annotation
from ..tasks._ids import id_from_key, plain_id
from ..tasks._source import FrameSource, json_safe

if TYPE_CHECKING:
    from ._labeler import Labeler


def ls_annotation(ann: Annotation, email: str) -> dict:
    """A stored annotation as a Label Studio annotation dict (offsets as stored: code points)."""
    return {
        "id": ann.id, "completed_by": {"email": email}, "result": ann.result,
        "was_cancelled": ann.was_cancelled, "ground_truth": False,
        "created_at": ann.created_at, "updated_at": ann.updated_at, "draft_created_at": None,
        "lead_time": ann.lead_time, "prediction": ann.prediction or {}, "result_count": len(ann.result),
        "unique_id": ann.unique_id, "import_id": None, "last_action": None, "bulk_created": False,
        "updated_by": None, "parent_prediction": ann.parent_prediction, "parent_annotation": None,
        "last_created_by": None,
    }


def describe(lab: "Labeler") -> str:
    """The plain-text repr: who labels, how far along, and where the answers are kept."""
    if "_closed" not in lab.__dict__:
        return "Labeler(not constructed)"
    p = lab.progress
    done = f"{p['done']}/{p['total']} done" if p["total"] is not None else f"{p['done']} done"
    skipped = f", {p['skipped']} skipped" if p["skipped"] else ""
    path = lab._store.path
    if path != ":memory:":
        try:
            rel = os.path.relpath(path)
            path = rel if not rel.startswith("..") else path
        except ValueError:  # another drive (Windows)
            pass
    closed = f", {lab._closed_reason}" if lab._closed else ""
    return f"Labeler(annotator={lab.annotator!r}, {done}{skipped}, store={path!r}{closed})"


def _grouped(lab: "Labeler") -> dict[str, list[dict]]:
    if isinstance(lab._source, FrameSource):
        lab._source.refresh()  # what is written out is the frame as it is now …
    check_answers(lab._store, lab._source, lab._config)  # … and its answers must be to these rows
    groups: dict[str, list[dict]] = defaultdict(list)
    for ann in lab._store.iter_live():
        groups[ann.task_key].append(ls_annotation(ann, lab._email(ann.annotator)))
    return groups


def simple_value(result: list[dict], control) -> Any:
    """JSON_MIN's value style for one control: single choice → "Positive", one text → "…", else a list."""
    items = [r for r in result if r.get("from_name") == control.name and r.get("type") == control.type]
    if not items:
        return None
    if control.type == "choices":
        choices = [c for r in items for c in r["value"].get("choices", [])]
        return choices[0] if control.single and len(choices) == 1 else choices
    if control.type == "textarea":
        texts = [t for r in items for t in r["value"].get("text", [])]
        return texts[0] if len(texts) == 1 else texts
    return [{k: v for k, v in r["value"].items()} for r in items]


def _latest(annotations: list[dict]) -> dict | None:
    live = [a for a in annotations if not a.get("was_cancelled")]
    return max(live, key=lambda a: a.get("updated_at") or "") if live else None


def to_pandas(lab: "Labeler") -> pd.DataFrame:
    source = lab._source
    groups = _grouped(lab)
    if isinstance(source, FrameSource):
        # Vectorised over the frame: only rows with annotations are touched one by one.
        out = source.frame.copy(deep=False)
        annotations: list[list[dict]] = [[] for _ in range(len(out))]
        for key, anns in groups.items():
            pos = source.position(key)
            if pos is not None:
                annotations[pos] = anns
        predictions = lab._suggest.column_predictions(source.index)
        if predictions is None:
            predictions = [lab._predictions(k) for k in source.iter_keys()]
    else:
        tasks = source.loaded()
        keys = [k for k, _, _ in tasks]
        out = pd.DataFrame([d for _, d, _ in tasks], index=pd.Index([id_from_key(k) for k in keys], tupleize_cols=False))
        annotations = [list(extras.get("annotations", [])) + groups.get(key, []) for key, _, extras in tasks]
        predictions = [lab._predictions(key) for key in keys]
    data_columns = [str(c) for c in out.columns]
    out["annotations"] = pd.Series(annotations, index=out.index, dtype=object)
    out["predictions"] = pd.Series(predictions, index=out.index, dtype=object)
    latest = [_latest(a) for a in annotations]
    for name, control in lab._config.controls.items():
        column = f"{name}_label" if name in data_columns else name
        values = [simple_value(a["result"], control) if a else None for a in latest]
        out[column] = pd.Series(values, index=out.index, dtype=object)  # keep None, lists and str as they are
    out.attrs["nblabel"] = {"config": lab._config.xml, "data_columns": data_columns, "annotator": lab.annotator}
    return out


def _texts(lab: "Labeler", data: dict) -> dict[str, str]:
    """Object name → the text it shows, for offset conversion."""
    out = {}
    for name, obj in lab._config.objects.items():
        if obj.field and isinstance(data.get(obj.field), str):
            out[name] = data[obj.field]
    return out


def to_label_studio(lab: "Labeler") -> list[dict]:
    source = lab._source
    groups = _grouped(lab)
    tasks = []
    for key in source.iter_keys():
        data = source.data(key)
        extras = source.extras(key)
        texts = _texts(lab, data)
        ident = plain_id(id_from_key(key))
        task: dict[str, Any] = {}
        if isinstance(ident, int) and not isinstance(ident, bool):
            task["id"] = ident
        task["data"] = export_data(data)  # a path stays its string; bytes / PIL / numpy become a data: URI
        anns = list(extras.get("annotations", [])) + groups.get(key, [])
        task["annotations"] = [{**a, "result": convert_result(a.get("result", []), texts, to_utf16=True)} for a in anns]
        task["predictions"] = [{**p, "result": convert_result(p.get("result", []), texts, to_utf16=True)}
                               for p in lab._predictions(key)]
        meta = extras.get("meta") if isinstance(extras.get("meta"), dict) else {}
        task["meta"] = {**meta, "nblabel_id": json_safe(ident)}
        tasks.append(task)
    return tasks


def export(lab: "Labeler", path: str | os.PathLike, format: str = "JSON") -> str:
    """`Labeler.export`: the frame `to_pandas` gives, written by `nblabel.formats.export`."""
    from ..formats import export as export_frame

    return export_frame(to_pandas(lab), path, format, config=lab._config.xml)

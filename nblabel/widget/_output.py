"""Write-back: the annotations of a store over a task source, out as pandas and as Label Studio JSON.

Rules:
- `to_pandas` never mutates the input; text offsets stay in code points; the frame is built by
  `results._table.task_frame`, the same rules `read_label_studio` follows;
- Label Studio artefacts (`to_label_studio`, files) carry UTF-16 offsets and `completed_by: {"email": ...}`;
- one pass over the store groups annotations by task; rows are read only once;
- a DataFrame source of plain columns (text, integers, booleans, finite floats) and integer ids is written
  column by column; any other source task by task, with the same result; its JSON export writes those tasks
  straight, with the `agreement` the frame path gives them (the same bytes), making the answers' dicts a chunk of
  tasks at a time as the file is written (over 100,000 answers: a third less time and under a third of the memory
  of building every task first and dumping them at once, bench/bench_read.py).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from ..config._parse import Config
from ..formats._export import export as export_frame
from ..formats._export import format_name, write_json_tasks
from ..formats._frame import paused_gc
from ..quality._agreement import task_percent
from ..results._offsets import convert_result
from ..results._table import records_frame, task_frame
from ..store._default import check_answers
from ..store._backend import is_url
from ..store._schema import loads_many, loads_text
from ..store._sqlite import Annotation, Store
from ..tasks._ids import id_from_key, plain_id
from ..tasks._media import export_data
from ..tasks._source import FrameSource, TaskSource, json_safe

_CHUNK = 500  # tasks whose answers are made at once by a streamed write-back (one decode each)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # name@domain.tld: used as it is


def annotator_email(annotator: str, emails: dict[str, str]) -> str:
    """The email `completed_by` carries for `annotator`: `emails[annotator]`, else the name itself when it is an
    email (a Label Studio server matches users by email), else `<name>@nblabel.local`."""
    if annotator in emails:
        return emails[annotator]
    return annotator if _EMAIL.fullmatch(annotator) else f"{annotator}@nblabel.local"


def ls_annotation(ann: Annotation, email: str) -> dict:
    """A stored annotation as a Label Studio annotation dict (offsets as stored: code points)."""
    return {
        "id": ann.id, "completed_by": {"email": email}, "result": ann.result,
        "was_cancelled": ann.was_cancelled, "ground_truth": ann.ground_truth,
        "created_at": ann.created_at, "updated_at": ann.updated_at, "draft_created_at": None,
        "lead_time": ann.lead_time, "prediction": ann.prediction or {}, "result_count": len(ann.result),
        "unique_id": ann.unique_id, "import_id": None, "last_action": None, "bulk_created": False,
        "updated_by": None, "parent_prediction": ann.parent_prediction, "parent_annotation": None,
        "last_created_by": None,
    }


def describe(lab: Any) -> str:
    """The plain-text repr: who labels, how far along, and where the answers are kept."""
    if "_closed" not in lab.__dict__:
        return "Labeler(not constructed)"
    p = lab.progress
    done = f"{p['done']}/{p['total']} done" if p["total"] is not None else f"{p['done']} done"
    skipped = f", {p['skipped']} skipped" if p["skipped"] else ""
    path = lab._store.path
    if path != ":memory:" and not is_url(path):
        try:
            rel = os.path.relpath(path)
            path = rel if not rel.startswith("..") else path
        except ValueError:  # another drive (Windows)
            pass
    closed = f", {lab._closed_reason}" if lab._closed else ""
    return f"Labeler(annotator={lab.annotator!r}, {done}{skipped}, store={path!r}{closed})"


@dataclass
class Writeback:
    """What write-back reads: the store, the tasks, the config, and how to name annotators and find predictions.

    `predictions(key)` gives a task's predictions without waiting for a model; `column_predictions(index)` gives
    them for every row of a DataFrame source at once, or None when they must be asked task by task."""

    store: Store
    source: TaskSource
    config: Config
    annotator: str
    emails: dict[str, str]
    predictions: Callable[[str], list[dict]]
    column_predictions: Callable[[Any], list | None]
    reviews: Any = None  # `store._reviews.Reviews`: review records go out on the annotations they judge

    def _rows(self) -> list[tuple]:
        """The live answers as raw store rows (each with its `$fields` hash last), checked against the tasks."""
        if isinstance(self.source, FrameSource):
            self.source.refresh()  # what is written out is the frame as it is now …
        rows = self.store.live_rows(hashes=True)  # one query for both
        # … and its answers must be to these rows
        check_answers(self.store, self.source, self.config, ([r[1] for r in rows], [r[-1] for r in rows]))
        return rows

    def _grouped(self, rows: list[tuple] | None = None, judged: dict | None = None) -> dict[str, list[dict]]:
        """Task key → its answers as Label Studio annotation dicts (oldest first), from `rows` (`_rows()`'s or a
        part of them; all of them by default). `judged`: `_judged()`, when the caller has it for several calls."""
        if rows is None:
            rows = self._rows()
        if judged is None:
            judged = self._judged()
        groups: dict[str, list[dict]] = defaultdict(list)
        emails: dict[str, str] = {}  # a few annotators, many annotations: each email worked out once
        results = loads_many([r[3] for r in rows])  # one decode for all, not one per row
        # the dict `ls_annotation` makes of `row(r)`, built from the raw row (no Annotation in between)
        for r, result in zip(rows, results):
            annotator = r[2]
            email = emails.get(annotator)
            if email is None:
                email = emails[annotator] = annotator_email(annotator, self.emails)
            out = {
                "id": r[0], "completed_by": {"email": email}, "result": result,
                "was_cancelled": bool(r[4]), "ground_truth": bool(r[12]),
                "created_at": r[6], "updated_at": r[7], "draft_created_at": None,
                "lead_time": r[8], "prediction": (loads_text(r[10]) if r[10] else None) or {},
                "result_count": len(result), "unique_id": r[11], "import_id": None, "last_action": None,
                "bulk_created": False, "updated_by": None, "parent_prediction": r[9], "parent_annotation": None,
                "last_created_by": None,
            }
            if r[0] in judged:
                out["reviews"] = [x.label_studio(annotator_email(x.reviewer, self.emails)) for x in judged[r[0]]]
            groups[r[1]].append(out)
        return groups

    def _judged(self) -> dict:
        """Annotation id → its review records."""
        return self.reviews.by_annotation() if self.reviews is not None else {}

    def to_pandas(self) -> pd.DataFrame:
        """A new DataFrame: data + `annotations` + `predictions` + one simple column per control."""
        with paused_gc():  # a cell per task and control, all kept: collections would walk them for nothing
            return self._frame()

    def _frame(self) -> pd.DataFrame:
        source = self.source
        groups = self._grouped()
        if isinstance(source, FrameSource):
            # Vectorised over the frame: only rows with annotations are touched one by one.
            out = source.frame.copy(deep=False)
            annotations: list[list[dict]] = [[] for _ in range(len(out))]
            for pos, anns in zip(_positions(source, list(groups)), groups.values()):
                if pos >= 0:
                    annotations[pos] = anns
            predictions = self.column_predictions(source.index)
            if predictions is None:
                predictions = [self.predictions(k) for k in source.iter_keys()]
        else:
            tasks = source.loaded()
            keys = [k for k, _, _ in tasks]
            index = pd.Index([id_from_key(k) for k in keys], tupleize_cols=False)
            out = records_frame([d for _, d, _ in tasks], index)
            annotations = [list(extras.get("annotations", [])) + groups.get(key, []) for key, _, extras in tasks]
            predictions = [self.predictions(key) for key in keys]
        return task_frame(out, annotations, predictions, self.config, info={"annotator": self.annotator})

    def _texts(self, data: dict) -> dict[str, str]:
        """Object name → the text it shows, for offset conversion."""
        out = {}
        for name, obj in self.config.objects.items():
            if obj.field and isinstance(data.get(obj.field), str):
                out[name] = data[obj.field]
        return out

    def to_label_studio(self) -> list[dict]:
        """Label Studio task dicts (UTF-16 offsets), importable into a Label Studio server."""
        with paused_gc():  # dicts per task and annotation, all kept: collections would walk them for nothing
            return self._tasks()

    def _tasks(self) -> list[dict]:
        source = self.source
        plain = self._plain_columns(source) if isinstance(source, FrameSource) else None
        if plain is not None:
            return list(self._frame_tasks(source, plain, self._rows()))
        groups = self._grouped()
        tasks = []
        for key in source.iter_keys():
            data = source.data(key)
            extras = source.extras(key)
            texts = self._texts(data)
            ident = plain_id(id_from_key(key))
            task: dict[str, Any] = {}
            if isinstance(ident, int) and not isinstance(ident, bool):
                task["id"] = ident
            task["data"] = export_data(data)  # a path stays its string; bytes / PIL / numpy become a data: URI
            anns = list(extras.get("annotations", [])) + groups.get(key, [])
            task["annotations"] = [{**a, "result": convert_result(a.get("result", []), texts, to_utf16=True)}
                                   for a in anns]
            task["predictions"] = [{**p, "result": convert_result(p.get("result", []), texts, to_utf16=True)}
                                   for p in self.predictions(key)]
            meta = extras.get("meta") if isinstance(extras.get("meta"), dict) else {}
            task["meta"] = {**meta, "nblabel_id": json_safe(ident)}
            tasks.append(task)
        return tasks

    def _plain_columns(self, source: FrameSource) -> tuple[dict[str, list], list] | None:
        """(column → values, predictions per row) of a DataFrame that can be written column by column; None when a
        column or the ids are not plain (read before the store, so a source that is not plain costs no store read)."""
        index = source.index
        if isinstance(index, pd.MultiIndex) or index.dtype.kind not in "iu":
            return None
        frame = source.frame
        columns = {}
        for name in source.columns:
            values = _plain(frame[source._column(name)])
            if values is None:
                return None
            columns[name] = values
        predictions = self.column_predictions(index)
        return None if predictions is None else (columns, predictions)

    def _frame_tasks(self, source: FrameSource, plain: tuple[dict[str, list], list], rows: list[tuple],
                     agreement: bool = False) -> Iterator[dict]:
        """`to_label_studio` of a DataFrame read column by column (`plain`: what `_plain_columns` gave; `rows`:
        `_rows()`'s), a task at a time. The answers' dicts are made `_CHUNK` tasks at a time, as the tasks are
        asked for, and let go with their task: a file writer that drops what it wrote holds a chunk of tasks, not
        the whole export. `agreement`: tasks with two or more answers get the `agreement` a JSON export of the
        frame writes; it is scored over all of them at once, so when some task has two answers, all answers are
        made first."""
        index = source.index
        columns, predictions = plain
        ids = index.tolist()
        keys = list(map(str, ids))  # an integer's task key is its JSON text
        names = list(columns)
        fields = [(o.name, o.field) for o in self.config.objects.values() if o.field in columns]
        by_key: dict[str, list[tuple]] = defaultdict(list)
        for r in rows:
            by_key[r[1]].append(r)
        percents: Iterable = repeat(None)
        groups: dict[str, list[dict]] | None = None  # every answer made up front (agreement), else per chunk
        judged = self._judged()
        if agreement and any(len(by_key.get(k, ())) > 1 for k in keys):  # among this frame's tasks
            groups = self._grouped(rows, judged)
            # scored before the offsets below turn to UTF-16: the frame path scores the code-point answers
            percents = task_percent([groups.get(k, []) for k in keys], self.config)
        rows_of_task = zip(*columns.values()) if names else (() for _ in ids)
        chunk: dict[str, list[dict]] = {}
        for n, (ident, key, row, preds, percent) in enumerate(zip(ids, keys, rows_of_task, predictions, percents)):
            if groups is not None:
                anns = groups.pop(key, None)
            else:
                if n % _CHUNK == 0:  # the next chunk's answers, in one decode
                    chunk = self._grouped([r for k in keys[n:n + _CHUNK] for r in by_key.get(k, ())], judged)
                anns = chunk.pop(key, None)
            if anns is None:
                anns = []
            data = dict(zip(names, row))
            texts = {name: data[field] for name, field in fields
                     if type(data[field]) is str and not data[field].isascii()}
            if texts:  # the dicts are this call's own: changed in place
                for a in anns:
                    a["result"] = convert_result(a["result"], texts, to_utf16=True)
                preds = [{**p, "result": convert_result(p.get("result", []), texts, to_utf16=True)} for p in preds]
            else:  # nothing to convert: fresh lists all the same, as the task-by-task path gives
                preds = [{**p, "result": list(p.get("result", []))} for p in preds]
            task = {"id": ident, "data": data, "annotations": anns, "predictions": preds,
                    "meta": {"nblabel_id": ident}}
            if percent is not None:
                task["agreement"] = percent
            yield task

    def export(self, path: str | os.PathLike, format: str = "JSON") -> str:
        """The frame `to_pandas` gives, written by `nblabel.formats.export`. JSON of a plain DataFrame source: its
        tasks written straight, each as it is made (the same bytes, in less time and memory; see the module rules)."""
        if format_name(format) == "JSON" and isinstance(self.source, FrameSource):
            with paused_gc():  # a dict per answer, all kept until their task is written
                plain = self._plain_columns(self.source)
                if plain is not None:
                    return write_json_tasks(self._frame_tasks(self.source, plain, self._rows(), agreement=True),
                                            path)
        return export_frame(self.to_pandas(), path, format, config=self.config.xml)


def _plain(series: pd.Series) -> list | None:
    """A column's cells as Python values when writing them needs no conversion (text, integers, booleans,
    finite floats); None for anything else (missing values, media, nested values), which goes task by task."""
    kind = series.dtype.kind
    if kind in "iub":
        return series.tolist()
    if kind == "f":
        values = series.to_numpy()
        return series.tolist() if np.isfinite(values).all() else None
    values = series.tolist()
    return values if set(map(type, values)) <= {str} else None


def _positions(source: FrameSource, keys: list[str]) -> list[int]:
    """Row position of each task key (−1: not in the frame), one vectorised index lookup for integer ids."""
    index = source.index
    if keys and not isinstance(index, pd.MultiIndex) and index.dtype.kind in "iu" and all(map(str.isdigit, keys)):
        return np.asarray(index.get_indexer(list(map(int, keys)))).tolist()
    found = map(source.position, keys)
    return [-1 if p is None else p for p in found]

"""File-to-file JSON_MIN and CONLL2003 decode the export narrowly (formats/_narrow.py): the files written must be
the ones the full decode gives, and every input the narrow decode cannot read exactly must take the full one."""

from __future__ import annotations

import json

import pytest

import nblabel
from nblabel.formats import _narrow
from test_formats_support import NER_CONFIG, WNUT_CONFIG, needs_wnut, ner_export, wnut_sentences, wnut_task
from test_formats_tabular import RICH_CONFIG, _rich_tasks

pytestmark = pytest.mark.skipif(_narrow.msgspec is None, reason="msgspec not installed: nothing to compare")


def _both(tmp_path, monkeypatch, src, fmt: str, config: str) -> tuple[bytes, bytes]:
    """(narrow, full) bytes of one file-to-file export; JSON_MIN's two narrow decodes (structs, then dicts) must
    agree as well."""
    narrow = open(nblabel.export(src, tmp_path / f"narrow.{fmt}", fmt, config=config), "rb").read()
    monkeypatch.setattr(_narrow, "_struct_decoder", None)
    dicts = open(nblabel.export(src, tmp_path / f"dicts.{fmt}", fmt, config=config), "rb").read()
    monkeypatch.setattr(_narrow, "_decoder", None)  # as without msgspec
    full = open(nblabel.export(src, tmp_path / f"full.{fmt}", fmt, config=config), "rb").read()
    monkeypatch.undo()
    assert dicts == full
    return narrow, full


def _file(tmp_path, tasks, name="tasks.json"):
    path = tmp_path / name
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["JSON_MIN", "CONLL2003"])
@needs_wnut
def test_wnut_with_emoji_same_files(tmp_path, monkeypatch, fmt):
    tasks = [wnut_task(i, s, emoji="😀" if i % 3 == 0 else "") for i, s in enumerate(wnut_sentences(200))]
    for t in tasks[::7]:  # what a server export also carries: keys no record writer reads
        t.update(predictions=[{"result": [], "score": 0.5}], meta={"m": 1}, drafts=[], updated_by=3)
        t["annotations"][0].update(ground_truth=True, unique_id="u", prediction={})
    del tasks[1]["id"], tasks[2]["annotations"], tasks[3]["annotations"][0]["completed_by"]  # absent keys
    tasks[4]["annotations"].append({**tasks[4]["annotations"][0], "id": 9999, "created_at": "2030-01-01"})
    tasks[5]["annotations"][0]["was_cancelled"] = True
    narrow, full = _both(tmp_path, monkeypatch, _file(tmp_path, tasks), fmt, WNUT_CONFIG)
    assert narrow == full and len(narrow) > 5000


def test_awkward_tasks_same_json_min(tmp_path, monkeypatch):
    """Several annotators, cancelled ones, relations, a data key named like a control, nested data, emoji."""
    narrow, full = _both(tmp_path, monkeypatch, _file(tmp_path, _rich_tasks()), "JSON_MIN", RICH_CONFIG)
    assert narrow == full


def test_ner_export_same_files(tmp_path, monkeypatch):
    for fmt in ("JSON_MIN", "CONLL2003"):
        narrow, full = _both(tmp_path, monkeypatch, ner_export(tmp_path), fmt, NER_CONFIG)
        assert narrow == full


@pytest.mark.parametrize("content", [
    [{"text": "a flat data dict"}],  # Label Studio wraps it: the data is the whole dict
    [{"id": 1, "data": {"text": "x"}, "annotations": [{"id": 2, "result": None}]}],  # result not a list
    [{"id": 1, "data": {"text": "x"}, "annotations": None}],
    [{"id": 1, "data": "not an object"}],
    {"tasks": [{"id": 1, "data": {"text": "x"}}]},  # an API page
    [{"text": "a JSON_MIN record", "id": 1, "label": [], "annotator": 1}],
])
def test_what_it_cannot_read_exactly_goes_to_the_full_decode(content):
    raw = json.dumps(content).encode()
    assert _narrow.tasks(raw) is None


def test_a_plain_export_is_read_narrowly():
    tasks = [{"id": 1, "data": {"text": "x"}, "predictions": [{"result": []}], "meta": {},
              "annotations": [{"id": 2, "completed_by": 1, "ground_truth": False, "was_cancelled": False,
                               "result": [{"id": "r", "from_name": "l", "to_name": "text", "type": "labels",
                                           "value": {"start": 0, "end": 1, "labels": ["A"]}}]}]}]
    assert _narrow.tasks(json.dumps(tasks).encode()) == [
        {"id": 1, "data": {"text": "x"},
         "annotations": [{"id": 2, "completed_by": 1, "was_cancelled": False,
                          "result": [{"from_name": "l", "to_name": "text", "type": "labels",
                                      "value": {"start": 0, "end": 1, "labels": ["A"]}}]}]}]
    assert _narrow.tasks(b"[1, 2") is None  # invalid JSON: the full decode reports it


def test_flat_dicts_export_as_the_full_decode(tmp_path, monkeypatch):
    config = ('<View><Text name="text" value="$text"/>'
              '<Choices name="c" toName="text"><Choice value="a"/></Choices></View>')
    narrow, full = _both(tmp_path, monkeypatch, _file(tmp_path, [{"text": "one"}, {"text": "two"}]), "JSON_MIN",
                         config)
    assert narrow == full and b"one" in narrow


def test_shaped_rows_are_the_checked_rows():
    from nblabel.formats._frame import frame_from_tasks

    tasks = _narrow.tasks(json.dumps(_rich_tasks() + [{"data": {"text": "no id, no annotations"}}]).encode())
    assert tasks is not None
    shaped = list(frame_from_tasks(tasks, shaped=True).rows())
    assert shaped == list(frame_from_tasks(tasks).rows())
    assert shaped[-1] == (len(tasks) - 1, {"text": "no id, no annotations"}, [])


def test_structs_read_absent_keys_as_dict_get():
    tasks = _narrow.task_structs(b'[{"data": {"t": 1}, "annotations": [{"result": []}]}]')
    assert tasks is not None and tasks[0].id is _narrow.UNSET
    assert _narrow.as_dict(tasks[0].annotations[0]) == {
        "id": None, "completed_by": {}, "result": [], "was_cancelled": False, "skipped": False,
        "created_at": None, "updated_at": None, "lead_time": None}
    for bad in (b'[{"text": "flat"}]', b'[{"data": {}, "annotations": null}]', b'{"tasks": []}', b"[1"):
        assert _narrow.task_structs(bad) is None

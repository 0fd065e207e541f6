"""Write-back: to_pandas, to_label_studio, export JSON; shapes checked with label_studio_sdk's LabelInterface."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import nblabel
from helpers import CONFIG, FULL_CONFIG, NER_CONFIG, choice, frame

LabelInterface = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface


def test_to_pandas_never_mutates_and_has_all_columns():
    df = frame(3)
    snapshot = df.copy()
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:")
    lab.submit(choice("Positive"))
    out = lab.to_pandas()
    pd.testing.assert_frame_equal(df, snapshot)
    assert list(out.columns) == ["text", "annotations", "predictions", "sentiment"]
    assert out["sentiment"].tolist() == ["Positive", None, None]
    assert out["annotations"].tolist()[1:] == [[], []]
    assert out.attrs["nblabel"]["data_columns"] == ["text"]
    assert out.attrs["nblabel"]["config"] == CONFIG
    assert out is not df


def test_simple_column_colliding_with_data_column_is_renamed():
    df = pd.DataFrame({"text": ["a"], "sentiment": ["gold"]})
    lab = nblabel.Labeler(df, CONFIG, store=":memory:")
    lab.submit(choice("Negative"))
    out = lab.to_pandas()
    assert out.loc[0, "sentiment"] == "gold" and out.loc[0, "sentiment_label"] == "Negative"


def test_skipped_task_has_annotation_but_no_simple_value():
    lab = nblabel.Labeler(frame(2), CONFIG, store=":memory:")
    lab.skip()
    out = lab.to_pandas()
    assert out.loc[0, "annotations"][0]["was_cancelled"] is True
    assert out.loc[0, "sentiment"] is None


def test_to_label_studio_validates_with_label_interface():
    li = LabelInterface(FULL_CONFIG)
    lab = nblabel.Labeler(frame(3), FULL_CONFIG, annotator="alice", store=":memory:",
                          annotator_emails={"alice": "alice@lab.org"})
    lab.submit([
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Neutral"]}},
        {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["Price", "Quality"]}},
        {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["ok"]}},
        {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}},
        {"from_name": "score", "to_name": "text", "type": "number", "value": {"number": 3}},
    ])
    lab.skip()
    tasks = lab.to_label_studio()
    assert len(tasks) == 3
    first = tasks[0]
    assert first["id"] == 0 and first["data"] == {"text": "review number 0"}
    assert first["meta"]["nblabel_id"] == 0
    ann = first["annotations"][0]
    assert ann["completed_by"] == {"email": "alice@lab.org"}
    assert li.validate_annotation(ann) is True
    for key in ("id", "result", "was_cancelled", "ground_truth", "created_at", "updated_at", "lead_time",
                "parent_prediction", "unique_id"):
        assert key in ann
    assert tasks[1]["annotations"][0]["was_cancelled"] is True
    json.dumps(tasks)  # plain JSON all the way down


def test_export_json_roundtrips(tmp_path):
    lab = nblabel.Labeler(frame(2), CONFIG, store=":memory:")
    lab.submit(choice("Positive"))
    path = lab.export(tmp_path / "out.json", format="JSON")
    data = json.loads(open(path, encoding="utf-8").read())
    assert data == json.loads(json.dumps(lab.to_label_studio()))
    with pytest.raises(NotImplementedError, match="CONLL2003"):
        lab.export(tmp_path / "x.conll", format="CONLL2003")


def test_text_offsets_are_code_points_in_python_and_utf16_in_label_studio():
    text = "Hi 👨‍👩‍👧 Ann 🇫🇷 in Paris"
    start = text.index("Paris")
    lab = nblabel.Labeler(pd.DataFrame({"text": [text]}), NER_CONFIG, store=":memory:")
    span = {"from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["LOC"]}}
    lab.submit([span])
    value = lab.to_pandas().loc[0, "annotations"][0]["result"][0]["value"]
    assert text[value["start"]:value["end"]] == "Paris"
    ls_value = lab.to_label_studio()[0]["annotations"][0]["result"][0]["value"]
    utf16 = text.encode("utf-16-le")
    assert utf16[2 * ls_value["start"]:2 * ls_value["end"]].decode("utf-16-le") == "Paris"
    assert ls_value["start"] > value["start"]


def test_tuple_ids_and_string_ids_export_in_meta():
    df = pd.DataFrame({"text": ["a"]}, index=pd.MultiIndex.from_tuples([("x", 1)]))
    lab = nblabel.Labeler(df, CONFIG, store=":memory:")
    task = lab.to_label_studio()[0]
    assert "id" not in task and task["meta"]["nblabel_id"] == ["x", 1]


def test_plain_frame_writes_the_same_tasks_column_by_column_as_task_by_task(tmp_path):
    # Plain columns and integer ids take the column-by-column path; a nested cell sends the same frame task by
    # task. Both must write the same Label Studio tasks (offsets in UTF-16 where a text has astral characters).
    text = "Hi 👨‍👩‍👧 Ann in Paris"
    df = pd.DataFrame({"text": [text, "plain Paris"], "n": [3, 4], "f": [0.5, 1.5], "b": [True, False]},
                      index=[7, 9])
    store = str(tmp_path / "s.sqlite")
    plain = nblabel.Labeler(df, NER_CONFIG, store=store, annotator="ann")
    for t in (text, "plain Paris"):
        start = t.index("Paris")
        plain.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["LOC"]}}])
    nested = nblabel.Labeler(df.assign(extra=[[1], [2]]), NER_CONFIG, store=store, annotator="ann")
    fast, slow = plain.to_label_studio(), nested.to_label_studio()
    for task in slow:
        task["data"].pop("extra")
    assert json.dumps(fast) == json.dumps(slow)  # same values, same key order
    assert [t["id"] for t in fast] == [7, 9]
    value = fast[0]["annotations"][0]["result"][0]["value"]
    assert text.encode("utf-16-le")[2 * value["start"]:2 * value["end"]].decode("utf-16-le") == "Paris"
    assert fast[0]["data"] == {"text": text, "n": 3, "f": 0.5, "b": True}


def test_export_json_of_a_plain_frame_writes_what_the_frame_path_writes(tmp_path):
    # A Labeler's JSON export is its to_pandas frame written by nblabel.export: the same bytes, `agreement` on the
    # tasks with two or more answers, and a nested data column changes nothing else.
    text = "Hi 👨‍👩‍👧 Ann in Paris"
    df = pd.DataFrame({"text": [text, "plain Paris", "no answer"], "n": [3, 4, 5]}, index=[7, 9, 11])
    store = str(tmp_path / "s.sqlite")
    for who, label, grow in (("ann", "LOC", 0), ("bob", "LOC", 1), ("cy", "PER", 0)):
        lab = nblabel.Labeler(df, NER_CONFIG, store=store, annotator=who)
        for t in (text, "plain Paris"):
            start = t.index("Paris") - grow
            lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                         "value": {"start": start, "end": t.index("Paris") + 5, "text": t[start:t.index("Paris") + 5],
                                   "labels": [label]}}])
    fast = tmp_path / "fast.json"
    assert lab.export(fast, "json") == str(fast)
    slow = nblabel.export(lab.to_pandas(), tmp_path / "slow.json", "JSON")
    assert fast.read_bytes() == open(slow, "rb").read()
    tasks = json.loads(fast.read_bytes())
    assert [("agreement" in t) for t in tasks] == [True, True, False]
    # a frame with a nested cell is written through the frame: the same tasks but for that column
    nested = nblabel.Labeler(df.assign(extra=[[1], [2], [3]]), NER_CONFIG, store=store, annotator="cy")
    other = json.loads(open(nested.export(tmp_path / "nested.json", "JSON"), "rb").read())
    for task in other:
        task["data"].pop("extra")
    assert other == tasks


def test_streamed_export_over_many_chunks_writes_what_the_frame_path_writes(tmp_path, monkeypatch):
    # The DataFrame write-back makes its answers a few tasks at a time (here 2): across chunk edges, with skips,
    # a second annotator on some rows, astral text and answers to rows this (filtered) frame does not have, the
    # export's bytes are the frame path's and to_label_studio (chunked: it scores no agreement) the task-by-task
    # path's.
    from nblabel.widget import _output
    monkeypatch.setattr(_output, "_CHUNK", 2)
    texts = [f"{'😀 ' * (i % 3)}Paris {i}" for i in range(9)]
    df = pd.DataFrame({"text": texts, "n": range(9)}, index=range(100, 109))
    store = str(tmp_path / "s.sqlite")
    lab = nblabel.Labeler(df, NER_CONFIG, store=store, annotator="ann")
    for i, t in enumerate(texts):
        if i in (3, 4):
            lab.skip()
            continue
        start = t.index("Paris")
        lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                     "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["LOC"]}}])
    bob = nblabel.Labeler(df, NER_CONFIG, store=store, annotator="bob")
    for _ in range(3):  # two answers on the first rows: the export scores agreement over all answers at once
        bob.submit([])
    part = df.drop(index=[101, 106])  # answered rows missing from this frame: not written, not checked
    lab = nblabel.Labeler(part, NER_CONFIG, store=store, annotator="ann")
    fast = tmp_path / "fast.json"
    lab.export(fast, "JSON")
    slow = nblabel.export(lab.to_pandas(), tmp_path / "slow.json", "JSON")
    assert fast.read_bytes() == open(slow, "rb").read()
    tasks = json.loads(fast.read_bytes())
    assert [t["id"] for t in tasks] == part.index.tolist()
    assert [len(t["annotations"]) for t in tasks] == [2, 2, 1, 1, 1, 1, 1]  # the two skips are kept, cancelled
    assert [t["annotations"][0]["was_cancelled"] for t in tasks] == [False, False, True, True, False, False, False]
    assert [t["annotations"][-1]["completed_by"]["email"] for t in tasks[:3]] == [
        "bob@nblabel.local", "bob@nblabel.local", "ann@nblabel.local"]  # answers in the order given
    assert [("agreement" in t) for t in tasks] == [True, True, False, False, False, False, False]
    for task in tasks:
        value = task["annotations"][0]["result"][0]["value"] if task["annotations"][0]["result"] else None
        if value:
            text = task["data"]["text"]
            assert text.encode("utf-16-le")[2 * value["start"]:2 * value["end"]].decode("utf-16-le") == "Paris"
    single = nblabel.Labeler(part.drop(index=[100, 102]), NER_CONFIG, store=store, annotator="ann")
    single.export(fast, "JSON")  # one answer per task: answers made a chunk at a time as the file is written
    assert fast.read_bytes() == open(nblabel.export(single.to_pandas(), slow, "JSON"), "rb").read()
    assert [len(t["annotations"]) for t in json.loads(fast.read_bytes())] == [1, 1, 1, 1, 1]
    nested = nblabel.Labeler(part.assign(extra=[[1]] * len(part)), NER_CONFIG, store=store, annotator="ann")
    by_task = nested.to_label_studio()
    for task in by_task:
        task["data"].pop("extra")
    assert json.dumps(lab.to_label_studio()) == json.dumps(by_task)

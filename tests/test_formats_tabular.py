"""JSON, JSON_MIN, CSV, TSV: byte-identical to a Label Studio 1.23 server's exports (captured files) and to
label_studio_sdk's converter (run live)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import nblabel
from helpers import NER_CONFIG as LAB_NER_CONFIG
from test_formats_support import (  # noqa: F401
    NER_CONFIG, NER_TASKS, TEXT_CONFIG, converter, golden, needs_golden, ner_export,
)

SERVER = [("JSON_MIN", "server-exports/text_JSON_MIN.json"), ("CSV", "server-exports/text_CSV.csv"),
          ("TSV", "server-exports/text_TSV.tsv")]
CONVERTER = [("JSON_MIN", "result.json"), ("CSV", "result.csv"), ("TSV", "result.csv")]  # the file it writes


def _server_frame():
    from test_formats_support import LS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the quick export's prediction ids
        return nblabel.read_label_studio(LS / "server-exports/text_JSON.json", config=TEXT_CONFIG)


@needs_golden
@pytest.mark.parametrize("fmt,gold", SERVER)
def test_server_exports_byte_identical(tmp_path, fmt, gold):
    out = nblabel.export(_server_frame(), tmp_path / "out", format=fmt)
    assert open(out, "rb").read() == golden(gold)


@pytest.mark.parametrize("fmt,written", CONVERTER)
def test_converter_outputs_byte_identical(tmp_path, converter, fmt, written):  # noqa: F811
    ref = (converter(NER_TASKS, NER_CONFIG, fmt, tmp_path) / written).read_bytes()
    src = ner_export(tmp_path)
    df = nblabel.read_label_studio(src, config=NER_CONFIG)
    out = nblabel.export(df, tmp_path / "out", format=fmt)
    assert open(out, "rb").read() == ref
    # File to file, without a DataFrame, gives the same bytes.
    direct = nblabel.export(str(src), tmp_path / "direct", fmt, config=NER_CONFIG)
    assert open(direct, "rb").read() == ref


RICH_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
  <Choices name="text_kind" toName="text"><Choice value="x"/></Choices>
  <TextArea name="note" toName="text"/>
  <Rating name="stars" toName="text"/>
</View>"""


def _rich_tasks():
    def ann(aid, who, created, result, cancelled=False):
        return {"id": aid, "completed_by": who, "result": result, "was_cancelled": cancelled,
                "created_at": created, "updated_at": created, "lead_time": 2.5}
    span = {"id": "s", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": 3, "end": 8, "text": "Paris", "labels": ["LOC"]}}
    emoji_span = {"id": "e", "from_name": "ner", "to_name": "text", "type": "labels",
                  "value": {"start": 5, "end": 10, "text": "Paris", "labels": ["LOC"]}}  # UTF-16: 😀 counts 2
    return [
        {"id": 1, "data": {"text": "In Paris", "meta_url": "https://x.org/a/b", "nested": {"k": [1, 2]},
                           "note": "data key colliding with a control"},
         "annotations": [
             ann(10, 1, "2024-01-01T00:00:00Z", [span, {"from_name": "topics", "to_name": "text", "type": "choices",
                                                        "value": {"choices": ["a", "b"]}}]),
             ann(11, {"id": 2, "email": "b@x.org"}, "2024-02-01T00:00:00Z",
                 [{"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}},
                  {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["one", "two"]}},
                  {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 3}},
                  {"from_id": "s", "to_id": "s", "type": "relation", "direction": "right"}]),
             ann(12, 3, "2024-03-01T00:00:00Z", [], cancelled=True),
         ]},
        {"id": 2, "data": {"text": "I 😀 Paris, é", "meta_url": None, "nested": [], "note": ""},
         "annotations": [ann(13, 1, "2024-01-05T00:00:00Z", [emoji_span,
                                                             {"from_name": "text_kind", "to_name": "text",
                                                              "type": "choices", "value": {"choices": ["x"]}}])]},
        {"id": 3, "data": {"text": "all skipped", "meta_url": "", "nested": {}, "note": "n"},
         "annotations": [ann(14, 1, "2024-01-05T00:00:00Z", [], cancelled=True)]},
        {"id": 4, "data": {"text": "nothing yet", "meta_url": "", "nested": {}, "note": "n"}, "annotations": []},
    ]


@pytest.mark.parametrize("fmt", ["JSON_MIN", "CSV", "TSV"])
def test_same_bytes_as_the_converter_on_awkward_tasks(tmp_path, converter, fmt):  # noqa: F811
    """Several annotators (newest first), cancelled ones dropped, multi-choice, two-entry TextArea, relations,
    a data key colliding with a control, URLs (escaped slashes), nested data, emoji (UTF-16 offsets kept)."""
    tasks = _rich_tasks()
    ref = converter(tasks, RICH_CONFIG, fmt, tmp_path)
    ref_file = ref / ("result.json" if fmt == "JSON_MIN" else "result.csv")
    df = nblabel.read_label_studio(tasks, config=RICH_CONFIG)
    out = nblabel.export(df, tmp_path / f"mine_{fmt}", fmt)
    assert open(out, "rb").read() == ref_file.read_bytes()


def test_json_is_compact_label_studio_json_with_utf16_offsets(tmp_path):
    text = "I 😀 Paris"
    lab = nblabel.Labeler(pd.DataFrame({"text": [text, "b/c"]}), LAB_NER_CONFIG, store=":memory:",
                          annotator="ann")
    lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": 4, "end": 9, "text": "Paris", "labels": ["LOC"]}}])
    path = lab.export(tmp_path / "out.json", format="JSON")
    raw = open(path, "rb").read()
    assert raw.startswith(b'[{"id":0,"data":{"text":"I \xf0\x9f\x98\x80 Paris"},"annotations":[')
    assert b'"b\\/c"' in raw  # slashes escaped, as Label Studio writes them
    tasks = json.loads(raw)
    assert tasks == json.loads(json.dumps(lab.to_label_studio()))
    value = tasks[0]["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (5, 10)  # UTF-16
    assert tasks[0]["annotations"][0]["completed_by"] == {"email": "ann@nblabel.local"}
    assert tasks[1]["meta"] == {"nblabel_id": 1} and tasks[1]["annotations"] == []


@pytest.mark.parametrize("fmt", ["JSON", "JSON_MIN", "CSV", "TSV"])
def test_labeler_export_is_export_of_to_pandas(tmp_path, fmt):
    lab = nblabel.Labeler(pd.DataFrame({"text": ["a 😀 Paris", "b"]}), LAB_NER_CONFIG, store=":memory:")
    lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": 4, "end": 9, "text": "Paris", "labels": ["LOC"]}}])
    a = lab.export(tmp_path / "lab", format=fmt)
    b = nblabel.export(lab.to_pandas(), tmp_path / "frame", format=fmt)
    assert open(a, "rb").read() == open(b, "rb").read()


def test_json_min_empty_export_matches_the_converter_layout(tmp_path):
    df = nblabel.read_label_studio([{"id": 1, "data": {"text": "x"},
                                     "annotations": [{"id": 1, "was_cancelled": True, "result": []}]}],
                                   config=LAB_NER_CONFIG)
    out = nblabel.export(df, tmp_path / "x.json", "JSON_MIN")
    assert open(out, "rb").read() == b"[\n\n]"


def test_a_plain_frame_exports_without_attrs(tmp_path):
    """A frame the user built: data columns are all but annotations/predictions/simple columns."""
    df = pd.DataFrame({"text": ["hello"], "sentiment": ["Positive"],
                       "annotations": [[{"id": 1, "result": [{"from_name": "sentiment", "to_name": "text",
                                                              "type": "choices",
                                                              "value": {"choices": ["Positive"]}}]}]]})
    cfg = ('<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text">'
           '<Choice value="Positive"/></Choices></View>')
    out = nblabel.export(df, tmp_path / "x.json", "JSON_MIN", config=cfg)
    assert json.loads(open(out, "rb").read()) == [
        {"text": "hello", "id": 0, "sentiment": "Positive", "annotator": None, "annotation_id": 1,
         "created_at": None, "updated_at": None, "lead_time": None}]


def test_unknown_or_impossible_format_is_a_clear_error(tmp_path):
    df = pd.DataFrame({"text": ["a"]})
    with pytest.raises(ValueError, match="expected one of JSON, JSON_MIN"):
        nblabel.export(df, tmp_path / "x", "XML")
    with pytest.raises(NotImplementedError, match="CONLL2003.*needs the labeling config"):
        nblabel.export(df, tmp_path / "x", "CONLL2003")
    with pytest.raises(TypeError, match="DataFrame"):
        nblabel.export(42, tmp_path / "x", "JSON")

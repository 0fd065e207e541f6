"""read_label_studio: full JSON exports, REST API shapes, JSON_MIN/CSV/TSV with a config; round trips lose
nothing (emoji included)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import nblabel
from helpers import NER_CONFIG
from test_formats_support import LS, TEXT_CONFIG, golden, needs_golden


def _quiet_read(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nblabel.read_label_studio(*args, **kwargs)


@needs_golden
def test_full_json_export():
    with pytest.warns(UserWarning, match="2 prediction\\(s\\) are ids only"):
        df = nblabel.read_label_studio(LS / "server-exports/text_JSON.json", config=TEXT_CONFIG)
    assert df.index.tolist() == [1, 2, 3, 4]
    assert list(df.columns) == ["text", "annotations", "predictions", "label", "sentiment", "summary", "rating",
                                "meta"]
    assert df.loc[1, "text"] == "Ann works at IBM."
    assert df.loc[1, "sentiment"] == "Positive" and df.loc[1, "summary"] == "employment"
    assert df.loc[1, "rating"] == [{"rating": 4}] and df.loc[2, "sentiment"] is None
    assert [v["text"] for v in df.loc[1, "label"]] == ["Ann", "IBM"]
    assert len(df.loc[1, "annotations"][0]["result"]) == 6  # relation kept
    assert df["predictions"].tolist() == [[], [], [], []]  # ids dropped
    assert df.loc[1, "meta"] == {"source": "df_row_0"}
    assert df.attrs["nblabel"]["data_columns"] == ["text"]
    plain = _quiet_read(LS / "server-exports/text_JSON.json")  # no config: no simple columns
    assert list(plain.columns) == ["text", "annotations", "predictions", "meta"]


@needs_golden
def test_rest_api_shapes():
    one = nblabel.read_label_studio(LS / "server-exports/task1.json", config=TEXT_CONFIG)
    assert one.index.tolist() == [1]
    prediction = one.loc[1, "predictions"][0]
    assert prediction["model_version"] == "ner-v1" and prediction["result"][0]["value"]["text"] == "Ann"
    assert one.loc[1, "annotations"][0]["completed_by"]["email"] == "research@example.com"
    page = nblabel.read_label_studio(json.loads(golden("server-exports/text_api_tasks.json")))
    assert page.index.tolist() == [1, 2, 3, 4] and page.loc[3, "text"] == "Flat dict task without data key"


@needs_golden
@pytest.mark.parametrize("fmt,gold", [("JSON_MIN", "server-exports/text_JSON_MIN.json"),
                                      ("CSV", "server-exports/text_CSV.csv"), ("TSV", "server-exports/text_TSV.tsv")])
def test_record_formats_regroup_and_round_trip_byte_for_byte(tmp_path, fmt, gold):
    df = nblabel.read_label_studio(LS / gold, config=TEXT_CONFIG)
    full = _quiet_read(LS / "server-exports/text_JSON.json", config=TEXT_CONFIG)
    assert df.index.tolist() == [1, 2, 3, 4] and df["text"].tolist() == full["text"].tolist()
    ann = df.loc[1, "annotations"][0]
    assert ann["id"] == 1 and ann["completed_by"] == 1 and ann["lead_time"] == 12.5
    strip = lambda result: [{k: r[k] for k in ("from_name", "to_name", "type", "value")}  # noqa: E731
                            for r in result if r["type"] != "relation"]
    assert ann["result"] == strip(full.loc[1, "annotations"][0]["result"])
    assert df["annotations"].tolist()[1:] == [[], [], []]
    out = nblabel.export(df, tmp_path / "again", fmt)
    assert open(out, "rb").read() == golden(gold)


@needs_golden
def test_record_formats_need_a_config():
    with pytest.raises(ValueError, match="JSON_MIN export.*config="):
        nblabel.read_label_studio(LS / "server-exports/text_JSON_MIN.json")
    with pytest.raises(ValueError, match="CSV/TSV export.*config="):
        nblabel.read_label_studio(LS / "server-exports/text_TSV.tsv")


def _emoji_tasks():
    text = "Hi 👨‍👩‍👧 Ann 🇫🇷 in Paris"
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    start = units(text[:text.index("Paris")])
    span = {"id": "p", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["LOC"]}}
    return [{"id": 7, "data": {"text": text, "n": 1},
             "annotations": [{"id": 3, "completed_by": {"email": "a@x.org"}, "result": [span],
                              "was_cancelled": False, "created_at": "2024-01-01T00:00:00Z", "lead_time": 1.0}],
             "predictions": [{"id": 9, "model_version": "m", "score": 0.5, "result": [dict(span, id="q")]}],
             "meta": {"source": "s"}},
            {"id": 8, "data": {"text": "plain", "extra": "only here", "n": None},
             "annotations": [], "predictions": []}]


def test_offsets_become_code_points_and_come_back_as_utf16(tmp_path):
    tasks = _emoji_tasks()
    df = nblabel.read_label_studio(tasks, config=NER_CONFIG)
    text = df.loc[7, "text"]
    for column in ("annotations", "predictions"):
        value = df.loc[7, column][0]["result"][0]["value"]
        assert text[value["start"]:value["end"]] == "Paris"
    raw = nblabel.read_label_studio(tasks, config=NER_CONFIG, offsets="code points")
    assert raw.loc[7, "annotations"][0]["result"][0]["value"]["start"] == tasks[0]["annotations"][0]["result"][0][
        "value"]["start"]
    # JSON round trip: what was read is written back (plus meta.nblabel_id), emoji offsets included.
    path = nblabel.export(df, tmp_path / "back.json", "JSON")
    back = json.loads(open(path, "rb").read())
    for task, original in zip(back, tasks):
        assert task["meta"].pop("nblabel_id") == original["id"]
        assert task == {**original, "meta": original.get("meta", {})}
    again = nblabel.read_label_studio(path, config=NER_CONFIG)
    pd.testing.assert_frame_equal(again.drop(columns="meta"), df.drop(columns="meta"))


def test_different_keys_and_ints_survive():
    df = nblabel.read_label_studio(_emoji_tasks())
    assert df.loc[7, "extra"] is pd.NA  # the first task has no such key
    assert df["n"].tolist() == [1, None]  # not [1.0, nan]


def test_labeler_round_trip(tmp_path):
    text = "I 😀 Paris"
    lab = nblabel.Labeler(pd.DataFrame({"text": [text, "b"]}), NER_CONFIG, store=":memory:", annotator="ann")
    lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": 4, "end": 9, "text": "Paris", "labels": ["LOC"]}}])
    mine = lab.to_pandas()
    back = nblabel.read_label_studio(lab.export(tmp_path / "x.json"), config=NER_CONFIG)
    assert back["text"].tolist() == mine["text"].tolist()
    assert back["annotations"].tolist() == mine["annotations"].tolist()
    assert back["ner"].tolist() == mine["ner"].tolist()
    assert back["meta"].tolist() == [{"nblabel_id": 0}, {"nblabel_id": 1}]


def test_json_min_round_trip_with_emoji(tmp_path):
    df = nblabel.read_label_studio(_emoji_tasks(), config=NER_CONFIG)
    path = nblabel.export(df, tmp_path / "min.json", "JSON_MIN")
    back = nblabel.read_label_studio(path, config=NER_CONFIG)
    value = back.loc[7, "annotations"][0]["result"][0]["value"]
    assert back.loc[7, "text"][value["start"]:value["end"]] == "Paris"
    assert back.loc[7, "annotations"][0]["completed_by"] == {"email": "a@x.org"}
    assert open(nblabel.export(back, tmp_path / "again.json", "JSON_MIN"), "rb").read() == open(path, "rb").read()


def test_bad_inputs_are_clear():
    with pytest.raises(ValueError, match="duplicate task id 1"):
        nblabel.read_label_studio([{"id": 1, "data": {}}, {"id": 1, "data": {}}])
    with pytest.raises(ValueError, match="offsets="):
        nblabel.read_label_studio([], offsets="bytes")
    with pytest.raises(TypeError, match="path, JSON text"):
        nblabel.read_label_studio(3.5)
    flat = nblabel.read_label_studio([{"text": "a"}, {"text": "b"}])  # flat dicts are wrapped, as LS does
    assert flat["text"].tolist() == ["a", "b"] and flat.index.tolist() == [0, 1]


def test_simple_values_follow_one_rule():
    from nblabel.config._parse import parse_config
    from nblabel.results._table import simple_values
    config = parse_config("""<View><Text name="text" value="$text"/>
      <Choices name="one" toName="text"><Choice value="a"/><Choice value="b"/></Choices>
      <Choices name="many" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
      <TextArea name="note" toName="text"/><Rating name="stars" toName="text"/>
      <Labels name="ner" toName="text"><Label value="X"/></Labels></View>""")
    r = lambda name, kind, value: {"from_name": name, "to_name": "text", "type": kind, "value": value}  # noqa: E731
    span = {"start": 0, "end": 1, "labels": ["X"]}
    cases = [
        ([], {}),
        # a single choice as is, a multiple-choice answer always a list
        ([r("one", "choices", {"choices": ["a"]}), r("many", "choices", {"choices": ["a"]})],
         {"one": "a", "many": ["a"]}),
        # texts and choices gathered across results; one text as is, several a list
        ([r("many", "choices", {"choices": ["a"]}), r("many", "choices", {"choices": ["b"]}),
          r("note", "textarea", {"text": ["x", "y"]})], {"many": ["a", "b"], "note": ["x", "y"]}),
        # other controls: their value dicts; a result of the wrong type for its control is no value
        ([r("note", "textarea", {"text": ["x"]}), r("stars", "rating", {"rating": 2}), r("ner", "choices", {})],
         {"note": "x", "stars": [{"rating": 2}]}),
        ([r("ner", "labels", span), r("one", "textarea", {"text": ["?"]}), r("gone", "choices", {"choices": ["a"]})],
         {"ner": [span]}),
    ]
    for result, expected in cases:
        values = simple_values(result, config.controls)
        assert values == expected
    assert values["ner"][0] is not span  # copies: editing the frame's cell never edits the annotation


def test_read_label_studio_and_to_pandas_give_the_same_frame(tmp_path):
    config = ('<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="a"/>'
              '<Choice value="b"/></Choices></View>')
    tasks = [{"id": 1, "data": {"text": "x"}}, {"id": 2, "data": {"text": "y", "n": 3}}]
    lab = nblabel.Labeler(tasks, config, store=":memory:", annotator="a")
    lab.submit([{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["b"]}}])
    mine = lab.to_pandas()
    back = nblabel.read_label_studio(lab.to_label_studio(), config=config)
    assert mine["c"].tolist() == back["c"].tolist() == ["b", None]
    assert mine["text"].tolist() == back["text"].tolist() == ["x", "y"]
    assert mine["n"].tolist()[1] == back["n"].tolist()[1] == 3
    assert mine["n"].tolist()[0] is pd.NA and back["n"].tolist()[0] is pd.NA  # no such key, not NaN
    assert mine.attrs["nblabel"]["data_columns"] == back.attrs["nblabel"]["data_columns"] == ["text", "n"]
    # so the export of a Labeler gives back the tasks it was given, with no key added
    written = json.loads(open(lab.export(tmp_path / "out.json"), encoding="utf-8").read())
    assert [t["data"] for t in written] == [{"text": "x"}, {"text": "y", "n": 3}]


@pytest.mark.parametrize("fmt", ["JSON", "JSON_MIN", "CSV", "TSV"])
def test_tuple_ids_round_trip(tmp_path, fmt):
    config = ('<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="a"/>'
              '</Choices></View>')
    df = pd.DataFrame({"text": ["x", "y"]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]))
    back = nblabel.read_label_studio(nblabel.export(df, tmp_path / "out", fmt, config=config), config=config)
    if fmt == "JSON":  # LS JSON keeps non-int ids in meta only: Label Studio numbers tasks itself
        assert back["meta"].tolist() == [{"nblabel_id": ["a", 1]}, {"nblabel_id": ["b", 2]}]
    else:
        assert back.index.tolist() == [("a", 1), ("b", 2)] and back["text"].tolist() == ["x", "y"]


def test_task_columns_read_as_label_studio_imports_them():
    """File-to-file exports read task lists without a DataFrame: a missing id is the position, null or absent
    annotations/predictions are none, a meta that is not a dict is none, and a flat dict is a task's data."""
    from nblabel.formats._frame import frame_from_tasks

    ann = [{"id": 1, "result": []}]
    tasks = [{"id": 7, "data": {"t": "a"}, "annotations": ann, "predictions": None, "meta": {"m": 1}},
             {"data": {"t": "b"}, "annotations": None, "meta": "x"},
             {"id": None, "data": {"t": "c"}, "annotations": [], "predictions": [{"result": []}]}]
    frame = frame_from_tasks(tasks)
    assert (frame.ids, frame.data) == ([7, 1, None], [{"t": "a"}, {"t": "b"}, {"t": "c"}])
    assert (frame.annotations, frame.predictions) == ([ann, [], []], [[], [], [{"result": []}]])
    assert frame.meta == [{"m": 1}, {}, {}] and len(frame) == 3 and frame.utf16
    assert list(frame_from_tasks(tasks).rows()) == list(zip(frame.ids, frame.data, frame.annotations))
    flat = frame_from_tasks([{"t": "d"}, tasks[0]])  # a flat dict: wrapped, as Label Studio wraps it
    assert (flat.ids, flat.data, flat.annotations) == ([0, 7], [{"t": "d"}, {"t": "a"}], [[], ann])
    assert list(frame_from_tasks([{"t": "d"}, tasks[0]]).rows()) == [(0, {"t": "d"}, []), (7, {"t": "a"}, ann)]


def _odd_tasks():
    """Shapes a real export rarely has, each beside a plain task."""
    res = [{"id": "r", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": 2, "end": 5, "text": "ann", "labels": ["PER"]}}]
    plain = {"id": 1, "data": {"text": "🙂 ann"}, "annotations": [{"id": 1, "result": res}], "drafts": [],
             "file_upload": "x.json", "meta": {"k": 1}, "agreement": 75.0}
    return [
        plain,
        {"id": 2, "data": {"text": "bob"}, "annotations": None, "predictions": [7, 8], "meta": "not a dict"},
        {"id": 30, "data": {"text": "ann"}, "annotations": [{"id": 2, "result": res, "was_cancelled": True},
                                                           {"id": 3, "result": [], "updated_at": "2025"}, "x"]},
        {"data": {"text": "no id"}},
        {"id": None, "data": {"text": "null id"}},
        {"id": 60, "data": {"text": "annotations not a list"}, "annotations": {"not": "a list"}},
        {"text": "a flat data dict"},
    ]


@pytest.mark.parametrize("drop", [None, 5, 6])
def test_typed_decoding_reads_as_the_generic_path(tmp_path, drop):
    """A JSON file is decoded into typed task structs when its tasks fit the common shape, else generically:
    either way the frame is the one the same tasks give as Python objects."""
    tasks = [t for i, t in enumerate(_odd_tasks()) if drop is None or i < drop]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with warnings.catch_warnings(record=True) as from_file:
        warnings.simplefilter("always")
        got = nblabel.read_label_studio(path, config=NER_CONFIG)
    with warnings.catch_warnings(record=True) as from_list:
        warnings.simplefilter("always")
        want = nblabel.read_label_studio(json.loads(path.read_text()), config=NER_CONFIG)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs and [str(w.message) for w in from_file] == [str(w.message) for w in from_list]
    assert got.attrs["nblabel"]["agreement"] == {1: 75.0}
    assert got.loc[1, "annotations"][0]["result"][0]["value"]["start"] == 1  # UTF-16 2 → code point 1
    assert "drafts" not in got.columns and got.loc[2, "predictions"] == []

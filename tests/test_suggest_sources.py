"""Simple predictor values → Label Studio predictions, and the Labeler showing them."""

import pandas as pd
import pytest

import nblabel
from nblabel.config._parse import parse_config
from nblabel.suggest._sources import as_prediction_list, to_prediction
from helpers import deliver, task_payload

CHOICES = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
NER = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
<Text name="text" value="$text"/></View>"""


def test_label_and_label_score():
    cfg = parse_config(CHOICES)
    p = to_prediction("Positive", cfg)
    assert p["result"][0]["value"] == {"choices": ["Positive"]} and "score" not in p
    p = to_prediction(("Negative", 0.25), cfg)
    assert p["result"][0]["value"] == {"choices": ["Negative"]} and p["score"] == 0.25
    assert p["result"][0]["from_name"] == "sentiment" and p["result"][0]["to_name"] == "text"
    assert to_prediction(None, cfg) is None and to_prediction(float("nan"), cfg) is None


def test_spans_fill_text_in_code_points():
    cfg = parse_config(NER)
    task = {"data": {"text": "😀 Ann works at IBM"}}
    p = to_prediction([(2, 5, "PER"), (15, 18, "ORG", 0.5)], cfg, task)
    values = [r["value"] for r in p["result"]]
    assert values[0] == {"start": 2, "end": 5, "labels": ["PER"], "text": "Ann"}
    assert values[1]["text"] == "IBM" and p["result"][1]["score"] == 0.5
    assert p["score"] == 0.5


def test_prediction_dicts_pass_through():
    cfg = parse_config(CHOICES)
    full = {"result": [], "score": 0.1, "model_version": "m"}
    assert as_prediction_list([full, full], cfg) == [full, full]
    with pytest.raises(ValueError, match="result"):
        to_prediction({"label": "x"}, cfg)


def test_callable_with_simple_values_shows_suggestion_and_origins():
    df = pd.DataFrame({"text": ["good", "bad", "fine"]})
    calls = []

    def model(tasks):
        calls.append(len(tasks))
        return [("Positive" if "o" in t["data"]["text"] else "Negative", 0.9) for t in tasks]

    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", predictor=model)
    cur = lab.current
    assert cur["predictions"][0]["result"][0]["value"] == {"choices": ["Positive"]}
    ann = lab.submit()  # accept
    assert ann["result"][0]["origin"] == "prediction" and isinstance(ann["parent_prediction"], int)
    ann = lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices",
                       "value": {"choices": ["Positive"]}}])  # correct "Negative"
    assert ann["result"][0]["origin"] == "prediction-changed"
    stats = lab.suggestion_stats()
    assert stats["accepted"].tolist() == [True, False] and stats["task_id"].tolist() == [0, 1]
    assert stats["accuracy_recent"].tolist() == [1.0, 0.5]
    assert sum(calls) <= 4  # computed in batches ahead, not once per look
    lab.close()


def test_threshold_hides_low_scores():
    df = pd.DataFrame({"text": ["a"]})
    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", threshold=0.5,
                          predictor=lambda tasks: [("Positive", 0.3) for _ in tasks])
    assert lab.current["predictions"]  # the prediction exists …
    with pytest.raises(ValueError, match="no suggestion"):
        lab.submit()  # … but is not shown, so Enter does nothing
    lab.close()


# -- Label Studio predictions without item ids; predictions whose items break the config ---------------------------
SPANS_NO_IDS = [  # as an ML backend or an LS export often writes them: no `id` on the items
    {"from_name": "ner", "to_name": "text", "type": "labels",
     "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["PER"]}},
    {"from_name": "ner", "to_name": "text", "type": "labels",
     "value": {"start": 13, "end": 16, "text": "IBM", "labels": ["ORG"]}},
]


def _ner_tasks(result):
    return [{"id": 1, "data": {"text": "Ann works at IBM"},
             "predictions": [{"model_version": "m1", "score": 0.9, "result": result}]}]


def test_prediction_items_get_stable_ids_and_are_accepted_whole():
    lab = nblabel.Labeler(_ner_tasks(SPANS_NO_IDS), NER, annotator="a", store=":memory:")
    ids = [r["id"] for r in lab.current["predictions"][0]["result"]]
    assert all(isinstance(i, str) and len(i) == 10 for i in ids) and len(set(ids)) == 2
    assert [r["id"] for r in lab.current["predictions"][0]["result"]] == ids  # the same on every look
    payload = task_payload(lab, "1")  # what the browser draws: every region needs an id
    assert [r["id"] for r in payload["prefill"]] == ids and payload["refused"] is None
    ann = lab.submit()
    assert [r["id"] for r in ann["result"]] == ids
    assert [r["origin"] for r in ann["result"]] == ["prediction", "prediction"]
    assert lab.to_pandas().loc[1, "predictions"][0]["result"][0]["id"] == ids[0]


def test_undrawable_prediction_is_refused_with_the_item_and_the_reason():
    # a label without its span (nothing to draw), and a label the config does not have
    for bad, why in ((dict(SPANS_NO_IDS[1], value={"labels": ["ORG"]}), r"result\[1\].*start"),
                     (dict(SPANS_NO_IDS[1], value={**SPANS_NO_IDS[1]["value"], "labels": ["LOC"]}),
                      r"result\[1\].*'LOC' is not an option")):
        lab = nblabel.Labeler(_ner_tasks([SPANS_NO_IDS[0], bad]), NER, annotator="a", store=":memory:")
        assert lab.current["predictions"]  # still listed with the task …
        payload = task_payload(lab, "1")
        assert payload["prefill"] is None and payload["prediction"] is None  # … but neither shown …
        assert payload["refused"].startswith("suggestion (m1) not shown:")
        assert payload["refused"] and __import__("re").search(why, payload["refused"])
        with pytest.raises(ValueError, match=why):
            lab.submit()  # … nor accepted
        assert lab.progress["done"] == 0 and lab.to_pandas().loc[1, "annotations"] == []


def test_refused_suggestion_reaches_the_browser_as_a_notice(tmp_path):
    lab = nblabel.Labeler(_ner_tasks([dict(SPANS_NO_IDS[0], value={"labels": ["PER"]})]), NER, annotator="a",
                          store=tmp_path / "s.db")
    sent = []
    lab.send = lambda content, buffers=None: sent.append(content)
    deliver(lab, {"type": "hello", "id": "h1"})
    state = sent[-1]
    assert state["tasks"][0]["refused"] and "result[0]" in state["notice"]
    deliver(lab, {"type": "submit", "id": "u1", "key": "1", "result": [], "lead_time": 1.0})
    assert sent[-1]["type"] == "ack"  # the annotator's own (empty) answer is theirs to give
    assert lab.to_pandas().loc[1, "annotations"][0]["result"] == []


def test_a_low_scored_choice_is_a_hint_not_a_selection():
    df = pd.DataFrame({"text": ["meh", "great", "bad"]})
    scores = {"meh": ("Positive", 0.52), "great": ("Positive", 0.97), "bad": ("Negative", 0.7)}
    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", order="uncertain",
                          predictor=lambda tasks: [scores[t["data"]["text"]] for t in tasks])
    assert lab.current["data"]["text"] == "meh"  # the coin flip comes first …
    payload = task_payload(lab, "0")
    assert payload["prefill"] is None and payload["prefill_from"] is None  # … and is not pre-selected
    assert payload["hint"][0]["value"] == {"choices": ["Positive"]} and payload["prediction"]["score"] == 0.52
    with pytest.raises(ValueError, match=r"only a hint \(score 0.52 < hint_below=0.6\)"):
        lab.submit()  # Enter does not accept a hint
    ann = lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices",
                       "value": {"choices": ["Positive"]}}])  # picking the hinted option is agreeing with it
    assert ann["result"][0]["origin"] == "prediction" and ann["parent_prediction"] is not None
    assert lab.current["data"]["text"] == "bad"
    assert task_payload(lab, "2")["prefill"][0]["value"] == {"choices": ["Negative"]}  # 0.7: pre-selected
    assert lab.submit()["result"][0]["origin"] == "prediction"
    lab.close()
    lab = nblabel.Labeler(df, CHOICES, annotator="b", store=":memory:", order="uncertain", hint_below=None,
                          predictor=lambda tasks: [scores[t["data"]["text"]] for t in tasks])
    assert lab.submit()["result"][0]["value"] == {"choices": ["Positive"]}  # hint_below=None: the old behaviour
    lab.close()


def test_boxes_in_percent_become_rectangles():
    boxes = """<View><Image name="img" value="$image"/>
    <RectangleLabels name="box" toName="img"><Label value="Cat"/><Label value="Dog"/></RectangleLabels></View>"""
    cfg = parse_config(boxes)
    p = to_prediction([(10, 20, 30.5, 40, "Cat", 0.8), (0, 0, 50, 50, "Dog", 0.6)], cfg)
    assert p["result"][0]["value"] == {"x": 10.0, "y": 20.0, "width": 30.5, "height": 40.0, "rotation": 0,
                                       "rectanglelabels": ["Cat"]}
    assert p["result"][0]["type"] == "rectanglelabels" and p["result"][1]["score"] == 0.6 and p["score"] == 0.6
    assert all(len(r["id"]) == 10 for r in as_prediction_list([(1, 2, 3, 4, "Dog")], cfg)[0]["result"])  # intake
    df = pd.DataFrame({"image": ["https://example.org/cat.jpg"]})
    lab = nblabel.Labeler(df, boxes, annotator="a", store=":memory:",
                          predictor=lambda tasks: [[(10, 20, 30, 40, "Cat", 0.9)] for _ in tasks])
    ann = lab.submit()  # accepted as drawn
    assert ann["result"][0]["value"]["rectanglelabels"] == ["Cat"] and ann["result"][0]["origin"] == "prediction"
    lab.close()
    with pytest.raises(ValueError, match="RectangleLabels"):
        to_prediction([(1, 2, 3, 4, "PER")], parse_config(NER))

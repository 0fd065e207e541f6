"""Simple predictor values → Label Studio predictions, and the Labeler showing them."""

import pandas as pd
import pytest

import nblabel
from nblabel.config._parse import parse_config
from nblabel.suggest._sources import as_prediction_list, to_prediction

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

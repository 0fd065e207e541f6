"""Bad input gets a clear error or correct handling: never a crash, never a silent wrong label."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import nblabel
from helpers import CONFIG, choice


def lab_for(df, **kw):
    return nblabel.Labeler(df, CONFIG, store=":memory:", **kw)


def test_nan_and_none_text_are_shown_as_null_and_labelable():
    lab = lab_for(pd.DataFrame({"text": [np.nan, None, "ok"]}))
    assert lab.current["data"] == {"text": None}
    lab.submit(choice("Neutral"))
    assert lab.current["data"] == {"text": None}
    lab.submit(choice("Neutral"))
    out = lab.to_label_studio()
    assert out[0]["data"]["text"] is None and out[0]["annotations"]


def test_one_megabyte_text_with_emoji():
    big = ("ünïcode 😀 " * 100_000)[:1_000_000]
    lab = lab_for(pd.DataFrame({"text": [big]}))
    assert lab.current["data"]["text"] == big
    lab.submit(choice("Positive"))
    assert lab.to_pandas().loc[0, "sentiment"] == "Positive"


def test_non_string_values_are_json_safe():
    df = pd.DataFrame({"text": [1, 2.5, True], "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"])})
    lab = lab_for(df)
    assert lab.current["data"] == {"text": 1, "when": "2024-01-01T00:00:00"}
    lab.goto(1)
    assert lab.current["data"]["when"] is None
    assert lab.to_label_studio()[1]["data"] == {"text": 2.5, "when": None}


def test_duplicate_index_is_a_clear_error():
    df = pd.DataFrame({"text": ["a", "b"]}, index=[7, 7])
    with pytest.raises(ValueError, match="duplicate task id 7"):
        lab_for(df)
    with pytest.raises(ValueError, match="duplicate task id"):
        lab_for([{"id": 1, "data": {"text": "a"}}, {"id": 1, "data": {"text": "b"}}])


def test_missing_field_lists_the_columns():
    with pytest.raises(nblabel.ConfigError, match="review") as err:
        lab_for(pd.DataFrame({"review": ["a"], "stars": [1]}))
    assert "text" in str(err.value)
    lab = lab_for([{"text": "fine"}, {"body": "no text field"}])
    lab.submit(choice("Positive"))
    with pytest.raises(nblabel.ConfigError, match="body"):
        _ = lab.current


def test_malformed_config():
    with pytest.raises(nblabel.ConfigError):
        nblabel.Labeler(pd.DataFrame({"text": ["a"]}), "<View><Text name='t' value='$text'>", store=":memory:")
    assert issubclass(nblabel.ConfigError, ValueError)


def test_bad_results_are_refused_with_reasons():
    lab = lab_for(pd.DataFrame({"text": ["a"]}))
    cases = {
        "not a control": [{"from_name": "nope", "to_name": "text", "type": "choices",
                           "value": {"choices": ["Positive"]}}],
        "to_name": [{"from_name": "sentiment", "to_name": "img", "type": "choices",
                     "value": {"choices": ["Positive"]}}],
        "does not match": [{"from_name": "sentiment", "to_name": "text", "type": "labels",
                            "value": {"choices": ["Positive"]}}],
        "not an option": choice("positive"),
        "allows one": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                        "value": {"choices": ["Positive", "Negative"]}}],
        "list": {"from_name": "sentiment"},
    }
    for reason, result in cases.items():
        with pytest.raises(ValueError, match=reason):
            lab.submit(result)
    assert lab.progress["done"] == 0


def test_emoji_labels_and_ids():
    config = CONFIG.replace('value="Neutral"', 'value="😐 meh"')
    df = pd.DataFrame({"text": ["🎉 party"]}, index=["🆔-1"])
    lab = nblabel.Labeler(df, config, store=":memory:")
    assert lab.current["id"] == "🆔-1"
    lab.submit(choice("😐 meh"))
    assert lab.to_pandas().loc["🆔-1", "sentiment"] == "😐 meh"


def test_generator_and_wrong_types():
    with pytest.raises(TypeError):
        nblabel.Labeler("not tasks", CONFIG, store=":memory:")
    with pytest.raises(TypeError):
        nblabel.Labeler([["a list"]], CONFIG, store=":memory:")
    with pytest.raises(ValueError, match="NaN"):
        lab_for(pd.DataFrame({"text": ["a"]}, index=[math.nan]))


def test_choice_alias_is_accepted_like_label_studio_writes_it():
    config = CONFIG.replace('<Choice value="Neutral"/>', '<Choice value="Neutral" alias="neu"/>')
    lab = nblabel.Labeler(pd.DataFrame({"text": ["a", "b"]}), config, store=":memory:")
    lab.submit(choice("neu"))
    assert lab.to_pandas().loc[0, "sentiment"] == "neu"
    with pytest.raises(ValueError, match="not an option"):
        lab.submit(choice("Neu"))

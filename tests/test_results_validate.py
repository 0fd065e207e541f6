"""Result checks (`results._validate`): the copying check that guards stored answers, the check alone that
guards shown suggestions, and region ids."""

from __future__ import annotations

import copy
from collections import Counter

import pytest

from nblabel.config._parse import parse_config
from nblabel.results import _validate
from nblabel.results._validate import ID_CHARS, check_result, normalize_result, region_id
from nblabel.suggest._sources import RefusedPrediction, checked_prediction

CONFIG = parse_config("""<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC" alias="L"/></Labels>
  <Choices name="mood" toName="text" choice="single"><Choice value="Happy"/><Choice value="Sad"/></Choices>
</View>""")
DATA = {"text": "Ana went to Oslo"}


def span(start, end, label="PER", **extra):
    return {"from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": DATA["text"][start:end], "labels": [label]}, **extra}


def mood(*choices):
    return {"from_name": "mood", "to_name": "text", "type": "choices", "value": {"choices": list(choices)}}


BAD = {
    "not a list": {"from_name": "ner"},
    "an item that is not a dict": [span(0, 3), "PER"],
    "an unknown control": [{**mood("Happy"), "from_name": "nope"}],
    "the wrong object": [{**mood("Happy"), "to_name": "image"}],
    "the wrong type": [{**mood("Happy"), "type": "labels"}],
    "an unknown label": [span(0, 3, "ORG")],
    "two choices of a single choice": [mood("Happy", "Sad")],
    "a span outside the text": [span(12, 40)],
    "a quote that is not the text": [{**span(0, 3), "value": {**span(0, 3)["value"], "text": "Bob"}}],
    "a relation without ids": [span(0, 3), {"type": "relation", "from_id": "a"}],
}


@pytest.mark.parametrize("why", sorted(BAD))
def test_the_check_alone_refuses_what_the_copying_check_refuses_with_the_same_reason(why):
    with pytest.raises(ValueError) as copying:
        normalize_result(BAD[why], CONFIG, DATA)
    with pytest.raises(ValueError) as alone:
        check_result(BAD[why], CONFIG, DATA)
    assert str(alone.value) == str(copying.value)


def test_the_check_alone_neither_copies_nor_touches_the_result():
    result = [span(0, 3), span(12, 16, "L"), mood("Sad"), {"type": "relation", "from_id": "a", "to_id": "b"}]
    before = copy.deepcopy(result)
    assert check_result(result, CONFIG, DATA) is None
    assert result == before
    assert all("id" not in item for item in result)  # ids are the copying check's business


def test_the_copying_check_fills_missing_ids_only_and_leaves_its_input_alone():
    result = [span(0, 3, id="keep-me"), span(12, 16), mood("Happy"), {"type": "relation", "from_id": "keep-me",
                                                                     "to_id": "x"}]
    before = copy.deepcopy(result)
    out = normalize_result({"result": result}, CONFIG, DATA)
    assert result == before
    assert out[0]["id"] == "keep-me"
    assert len(out[1]["id"]) == 10 and len(out[2]["id"]) == 10 and out[1]["id"] != out[2]["id"]
    assert "id" not in out[3]  # a relation is named by the regions it joins
    out[0]["value"]["labels"].append("LOC")
    assert result == before  # a deep copy: nested values are not shared


def test_no_id_is_drawn_for_items_that_have_one(monkeypatch):
    def refuse():
        raise AssertionError("region_id() called for an item that has an id")
    monkeypatch.setattr(_validate, "region_id", refuse)
    out = normalize_result([span(0, 3, id="a"), mood("Sad") | {"id": "b"}], CONFIG, DATA)
    assert [item["id"] for item in out] == ["a", "b"]


def test_region_ids_are_ten_id_characters_drawn_evenly():
    ids = [region_id() for _ in range(20_000)]
    assert all(len(i) == 10 and set(i) <= set(ID_CHARS) for i in ids)
    assert len(set(ids)) == len(ids)
    counts = Counter("".join(ids))
    assert set(counts) == set(ID_CHARS)
    # 200,000 characters over 64: 3,125 each expected, a standard deviation of ~55; a byte mapped unevenly
    # (e.g. `b % 62`) moves some characters by ~1,000
    assert all(2_700 < n < 3_550 for n in counts.values()), counts.most_common(3) + counts.most_common()[-3:]


def test_a_suggestion_is_refused_for_what_an_answer_is_refused_and_kept_as_given_otherwise():
    good = {"result": [span(0, 3), mood("Happy")], "score": 0.5}
    before = copy.deepcopy(good)
    shown = checked_prediction(good, CONFIG, DATA)
    assert not isinstance(shown, RefusedPrediction)
    assert good == before
    assert [{k: v for k, v in item.items() if k != "id"} for item in shown["result"]] == before["result"]
    refused = checked_prediction({"result": [span(0, 3, "ORG")]}, CONFIG, DATA)
    assert isinstance(refused, RefusedPrediction) and "'ORG' is not an option" in refused.reason

"""Stored results are parsed by msgspec, with json for what msgspec refuses: every stored value comes back."""

from __future__ import annotations

import json
import math

import pytest

from nblabel.store._sqlite import Store
from nblabel.tasks._ids import id_from_key, task_key


def test_stored_results_come_back_whatever_json_wrote(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    big = 123456789012345678901234567890  # beyond 64 bits: must stay an exact int
    store.save_annotation('"a"', "ann", [{"value": {"number": big}}])
    store.save_annotation('"b"', "ann", [{"value": {"number": float("nan"), "text": "é/\u2028"}}])
    got = {a.task_key: a.result for a in store.iter_live()}
    assert got['"a"'][0]["value"]["number"] == big and type(got['"a"'][0]["value"]["number"]) is int
    value = got['"b"'][0]["value"]
    assert math.isnan(value["number"]) and value["text"] == "é/\u2028"
    store.close()


def test_task_keys_of_integers_and_their_ids():
    # an integer's key is its JSON text, read back without JSON: both must agree with the JSON form
    for ident in (0, 7, -3, 10**30, "7", "007", True):
        assert task_key(ident) == json.dumps(ident)
        assert id_from_key(task_key(ident)) == ident and type(id_from_key(task_key(ident))) is type(ident)
    assert task_key(2.0) == "2" and task_key((1, "a")) == '[1,"a"]'
    assert id_from_key('[1,"a"]') == (1, "a")


def test_many_stored_texts_decode_at_once_or_one_by_one():
    from nblabel.store._schema import loads_many, loads_text
    plain = ['[{"a": 1}]', "[]", '{"b": [2, 3]}']
    assert loads_many(plain) == [loads_text(t) for t in plain] == [[{"a": 1}], [], {"b": [2, 3]}]
    # NaN (json.dumps writes it, msgspec refuses it) and a text that would split in two when joined
    odd = ['[{"score": NaN}]', "1, 2", "[]"]
    got = loads_many(odd[:1] + odd[2:])
    assert got[1] == [] and got[0][0]["score"] != got[0][0]["score"]
    with pytest.raises(json.JSONDecodeError):
        loads_many(odd)  # "1, 2" is not one JSON text: its own decode says so, not a shifted join
    assert loads_many([]) == []

"""to_datasets: a Hugging Face Dataset with ClassLabel choices and tokens/ner_tags spans (skipped without the
`datasets` package, which is optional)."""

from __future__ import annotations

import pandas as pd
import pytest

import nblabel
from nblabel.formats import to_datasets

datasets = pytest.importorskip("datasets")

CONFIG = """<View><Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
  <TextArea name="note" toName="text"/><Rating name="stars" toName="text"/></View>"""


def _labeled():
    lab = nblabel.Labeler(pd.DataFrame({"text": ["Ann 😀 in Paris .", "nothing", "skipped"]}), CONFIG,
                          store=":memory:")
    span = lambda s, e, label: {"from_name": "ner", "to_name": "text", "type": "labels",  # noqa: E731
                                "value": {"start": s, "end": e, "labels": [label]}}
    lab.submit([span(0, 3, "PER"), span(9, 14, "LOC"),
                {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["neg"]}},
                {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["b", "a"]}},
                {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["hi"]}},
                {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}}])
    lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}])
    lab.skip()
    return lab.to_pandas()


def test_features_and_rows():
    ds = to_datasets(_labeled())
    assert len(ds) == 2  # the skipped task has no annotation to learn from
    f = ds.features
    assert f["sentiment"].names == ["pos", "neg"]
    assert f["topics"].feature.names == ["a", "b"]
    assert f["ner_tags"].feature.names == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    row = ds[0]
    assert row["id"] == 0 and row["text"] == "Ann 😀 in Paris ."
    assert row["tokens"] == ["Ann", "😀", "in", "Paris", "."]
    assert [f["ner_tags"].feature.int2str(t) for t in row["ner_tags"]] == ["B-PER", "O", "O", "B-LOC", "O"]
    assert row["sentiment"] == 1 and sorted(row["topics"]) == [0, 1]
    assert row["note"] == "hi" and row["stars"] == 4
    assert ds[1]["sentiment"] == 0 and ds[1]["ner_tags"] == [0]


def test_unlabeled_rows_on_request():
    ds = to_datasets(_labeled(), labeled_only=False)
    assert len(ds) == 3 and ds[2]["sentiment"] == -1 and ds[2]["tokens"] == ["skipped"]

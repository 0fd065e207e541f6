"""A polars DataFrame as the tasks: labeled, read back and exported as the same pandas DataFrame would be."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import nblabel

pl = pytest.importorskip("polars")

CONFIG = """<View><Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
ROWS = {"uid": ["u1", "u2", "u3"], "text": ["Ann 😀 likes it", "meh", "no"], "score": [0.5, None, 2.0]}


def _labeled(tasks):
    lab = nblabel.Labeler(tasks, CONFIG, store=":memory:", annotator="alice", id_column="uid")
    for answer in ("Positive", "Negative"):
        lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices",
                     "value": {"choices": [answer]}}])
    return lab


def test_polars_tasks_label_and_export_as_pandas_tasks(tmp_path):
    lab_pl, lab_pd = _labeled(pl.DataFrame(ROWS)), _labeled(pd.DataFrame(ROWS))
    assert lab_pl.current["id"] == "u3" and lab_pl.current["data"]["text"] == "no"
    df_pl, df_pd = lab_pl.to_pandas(), lab_pd.to_pandas()
    assert list(df_pl.columns) == list(df_pd.columns) and df_pl["uid"].tolist() == ["u1", "u2", "u3"]
    assert df_pl["sentiment"].tolist() == df_pd["sentiment"].tolist() == ["Positive", "Negative", None]
    assert pd.isna(df_pl["score"].tolist()[1]) and pd.isna(df_pd["score"].tolist()[1])  # a polars null: missing
    def brief(tasks):  # data (NaN as text, so a missing score compares equal) and what was answered
        return [(json.dumps(t["data"], default=float), [(r["from_name"], r["value"]) for a in t["annotations"]
                                                          for r in a["result"]]) for t in tasks]

    assert brief(lab_pl.to_label_studio()) == brief(lab_pd.to_label_studio())
    out = Path(nblabel.export(df_pl, tmp_path / "pl.csv", "CSV")).read_text()
    assert out.splitlines()[0] == Path(nblabel.export(df_pd, tmp_path / "pd.csv", "CSV")).read_text().splitlines()[0]
    assert '"Ann 😀 likes it"' in out and '"Negative"' in out
    lab_pl.close()
    lab_pd.close()

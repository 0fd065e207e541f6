"""Every text-family template with results: its sample annotation written as JSON, JSON_MIN, CSV and TSV and read
back gives the same task data and the same results (what each format holds: control, object, type, value and image
size; region ids and relations are not in the record formats)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import nblabel
from templates33 import MISSING, slugs
from test_templates import sample_result

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
KEPT = ("from_name", "to_name", "type", "value", "original_width", "original_height")
EXT = {"JSON": "json", "JSON_MIN": "min.json", "CSV": "csv", "TSV": "tsv"}


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def _held(result: list[dict], fmt: str) -> list[str]:
    regions = [r for r in result if r.get("type") != "relation"]
    if fmt != "JSON":
        regions = [{k: r[k] for k in KEPT if k in r} for r in regions]
    return sorted(json.dumps(r, sort_keys=True) for r in regions)


@pytest.mark.parametrize("slug", slugs())
def test_template_results_read_back_from_every_format(tmp_path, slug):
    xml, data, result = sample_result(slug)
    config = nblabel.parse_config(xml)
    tasks = [{"id": 1, "data": data, "annotations": [{"id": 7, "completed_by": 1, "created_at": "2024-01-01T00:00:00Z",
                                                       "result": result}]},
             {"id": 2, "data": data, "annotations": []}]
    for fmt, ext in EXT.items():
        path = nblabel.export(tasks, tmp_path / f"out.{ext}", fmt, config=xml)
        df = nblabel.read_label_studio(path, config=xml)
        assert list(df.index) == [1, 2], (slug, fmt)
        assert df.loc[2, "annotations"] == [], (slug, fmt)  # nothing invented for the unannotated task
        (ann,) = df.loc[1, "annotations"]
        assert (ann["id"], ann["completed_by"]) == (7, 1), (slug, fmt)
        assert _held(ann["result"], fmt) == _held(result, fmt), (slug, fmt)
        # JSON_MIN writes results over the data of the same name
        lost = set(config.controls) | {r["from_name"] for r in result} if fmt == "JSON_MIN" else set()
        for row in (1, 2):
            got = {c: df.loc[row, c] for c in df.attrs["nblabel"]["data_columns"] if df.loc[row, c] is not pd.NA}
            want = {k: v for k, v in data.items() if not (row == 1 and k in lost)}
            same = json.loads(json.dumps(got, default=_plain)) == json.loads(json.dumps(want, default=_plain))
            assert same, (slug, fmt, row)
        again = Path(nblabel.export(df, tmp_path / f"again.{ext}", fmt)).read_bytes()
        if fmt in ("CSV", "TSV"):
            assert again == Path(path).read_bytes(), (slug, fmt)

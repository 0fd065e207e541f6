"""Text spans in Python: `submit()` checks them against the task text in code points, and
`to_label_studio()` writes UTF-16 offsets like the Label Studio editor."""

from __future__ import annotations

import pandas as pd
import pytest

import nblabel

NER = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Text name="text" value="$text"/>
</View>"""

TEXT = "👨‍👩‍👧 Ana 🇫🇷 visits Paris 😀"


def span(start, end, text, label="LOC"):
    return {"from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


@pytest.fixture
def lab():
    lab = nblabel.Labeler(pd.DataFrame({"text": [TEXT]}), NER, store=":memory:")
    yield lab
    lab.close()


def test_code_point_span_is_accepted_and_exported_in_utf16(lab):
    start = TEXT.index("Paris")
    lab.submit([span(start, start + 5, "Paris")])
    ann = lab.to_label_studio()[0]["annotations"][0]["result"][0]["value"]
    u16 = TEXT.encode("utf-16-le")
    assert u16[ann["start"] * 2:ann["end"] * 2].decode("utf-16-le") == "Paris"
    assert ann["start"] > start  # the emoji before count twice in UTF-16
    stored = lab.to_pandas()["annotations"][0][0]["result"][0]["value"]
    assert TEXT[stored["start"]:stored["end"]] == stored["text"] == "Paris"


@pytest.mark.parametrize("bad, message", [
    (span(5, 5, ""), "not inside"),
    (span(-1, 3, "x"), "not inside"),
    (span(0, len(TEXT) + 1, TEXT), "not inside"),
    (span(0, 3, "xyz"), "is not text"),
    (span(1.5, 3, "x"), "integers"),
])
def test_bad_spans_are_refused_with_the_reason(lab, bad, message):
    with pytest.raises(ValueError, match=message):
        lab.submit([bad])


def test_utf16_offsets_are_refused_as_python_input(lab):
    u16 = TEXT.encode("utf-16-le").decode("utf-16-le")  # same text; the offsets below are UTF-16 ones
    start = len(TEXT[:TEXT.index("Paris")].encode("utf-16-le")) // 2
    assert u16 == TEXT
    with pytest.raises(ValueError, match="code points"):
        lab.submit([span(start, start + 5, "Paris")])

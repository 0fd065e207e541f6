"""Offsets: W-NUT 17 tweets with emoji inserted (astral characters, ZWJ families, flags; the file itself is
ASCII). Spans made in the browser, in Python and read back from Label Studio JSON all give
`text[start:end] == value["text"]` in Python; Label Studio artefacts hold UTF-16 offsets."""

from __future__ import annotations

import json

import pytest

import nblabel
from frontend_page import missing_reason
from helpers import needs_shared, shared_data

WNUT = shared_data("ner/wnut17_train.conll")
EMOJI = ["😀", "👨‍👩‍👧", "🇫🇷", "🙏🏽", "é"]
LABELS = ["person", "location", "corporation", "product", "creative-work", "group"]
CONFIG = ('<View><Labels name="label" toName="text">' + "".join(f'<Label value="{v}"/>' for v in LABELS)
          + '</Labels><Text name="text" value="$text"/></View>')
pytestmark = needs_shared("ner/wnut17_train.conll")


def tweets(n: int) -> list[tuple[str, list[tuple[int, int, str, str]]]]:
    """The first `n` tweets with entities: text with an emoji before every token that starts an entity (and at the
    start), spans (start, end, label, text) in code points."""
    out, tokens = [], []
    lines = WNUT.read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        if line.strip():
            tok, tag = line.split("\t")
            tokens.append((tok, tag))
            continue
        if tokens and any(t != "O" for _, t in tokens):
            text, spans, k = EMOJI[len(out) % len(EMOJI)] + " ", [], 0
            for i, (tok, tag) in enumerate(tokens):
                if tag.startswith("B-"):
                    text += EMOJI[k % len(EMOJI)] + " "
                    k += 1
                    spans.append([len(text), None, tag[2:]])
                text += tok
                if tag != "O" and (i + 1 == len(tokens) or not tokens[i + 1][1].startswith("I-")):
                    spans[-1][1] = len(text)
                text += " "
            out.append((text.strip(), [(s, e, lab, text[s:e]) for s, e, lab in spans]))
            if len(out) == n:
                break
        tokens = []
    return out


def result_for(spans) -> list[dict]:
    return [{"from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": s, "end": e, "text": t, "labels": [lab]}} for s, e, lab, t in spans]


def test_python_spans_survive_label_studio_json_both_ways(tmp_path):
    data = tweets(40)
    assert any(not t.isascii() for t, _ in data)
    lab = nblabel.Labeler([{"text": t} for t, _ in data], CONFIG, store=":memory:")
    try:
        for _, spans in data:
            lab.submit(result_for(spans))
        exported = lab.to_label_studio()
        lab.export(tmp_path / "out.json", format="JSON")
    finally:
        lab.close()
    for task in exported:  # LS artefacts: UTF-16 offsets, as the LS editor writes them
        u16 = task["data"]["text"].encode("utf-16-le")
        for r in task["annotations"][0]["result"]:
            v = r["value"]
            assert u16[2 * v["start"]:2 * v["end"]].decode("utf-16-le") == v["text"]
    back = nblabel.read_label_studio(json.loads((tmp_path / "out.json").read_text()))
    n = 0
    for (text, spans), anns in zip(data, back["annotations"]):
        assert [(r["value"]["start"], r["value"]["end"]) for r in anns[0]["result"]] == [(s, e) for s, e, _, _ in spans]
        for r in anns[0]["result"]:
            v = r["value"]
            assert text[v["start"]:v["end"]] == v["text"]
            n += 1
    assert n >= 40


@pytest.mark.browser
@pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")
def test_browser_spans_are_code_points(fe_page):
    from frontend_page import mount, task, wait_received
    from test_frontend_spans import drag

    data = tweets(6)
    mount(fe_page, CONFIG, [task(str(i), {"text": t}) for i, (t, _) in enumerate(data)])
    for i, (text, spans) in enumerate(data):
        fe_page.wait_for_function("(t) => document.querySelector('.nblabel-text').textContent === t", arg=text)
        for s, e, lab, _ in spans:
            u16 = [len(text[:x].encode("utf-16-le")) // 2 for x in (s, e)]
            drag(fe_page, *u16)
            fe_page.locator(".nblabel").focus()
            fe_page.keyboard.press(str(LABELS.index(lab) + 1))
        fe_page.locator(".nblabel").focus()
        fe_page.keyboard.press("Enter")
        result = wait_received(fe_page, "submit", i + 1)[-1]["result"]
        assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in result] == \
            [(s, e, lab) for s, e, lab, _ in spans]
        for r in result:
            assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]

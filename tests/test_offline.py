"""`Labeler.to_html()`: a page labeled offline in headless Chromium (no Jupyter server), its answers file merged
back with `import_answers()` — each answer once, however often imported; hostile task text stays text."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

import nblabel
from helpers import CONFIG
from jupyter_harness import chromium_available

HOSTILE = '<img src=x onerror="window.__pwned=1"></script><!-- &amp;'


@pytest.fixture
def lab(tmp_path):
    df = pd.DataFrame({"text": ["first task", HOSTILE, "third task", "fourth task"]}, index=[10, 11, 12, 13])
    lab = nblabel.Labeler(df, CONFIG, annotator="zoe", store=tmp_path / "s.db")
    lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Neutral"]}}])
    yield lab
    lab.close()


@pytest.mark.skipif(not chromium_available(), reason="headless Chromium (/usr/bin/chromium) is not installed")
def test_label_offline_then_import_each_answer_once(lab, tmp_path, chromium):
    page_path = lab.to_html(tmp_path / "label.html")
    html = open(page_path, encoding="utf-8").read()
    assert HOSTILE not in html and "first task" not in html  # task 10 was answered: only the queue goes out
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"file://{page_path}")
    root = page.locator(".nblabel")
    expect(root).to_contain_text(HOSTILE, use_inner_text=True)  # shown as text, not run
    root.click(position={"x": 4, "y": 4})
    page.keyboard.press("2")  # Negative
    page.keyboard.press("Enter")
    expect(root).to_contain_text("third task", use_inner_text=True)
    page.keyboard.press("s")  # skip the third
    expect(root).to_contain_text("fourth task", use_inner_text=True)
    # offline every answer is final: said at once, nothing waits — by the widget when the skip is acked already,
    # by the page's offline "Python" when the undo goes out while the skip still waits in the outbox
    page.keyboard.press("z")
    expect(page.locator(".nblabel [role=status]").filter(
        has_text=re.compile("Nothing to undo|undo needs the notebook"))).to_have_count(1)
    expect(page.locator(".nblabel-download")).to_have_text("Download answers (2)")
    page.reload()  # answers survive closing the tab
    expect(page.locator(".nblabel-download")).to_have_text("Download answers (2)")
    with page.expect_download() as info:
        page.locator(".nblabel-download").click()
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    assert page.evaluate("window.__pwned") is None and errors == []
    context.close()

    assert lab.import_answers(saved) == {"stored": 2, "already": 0, "refused": []}
    assert lab.import_answers(saved) == {"stored": 0, "already": 2, "refused": []}
    out = lab.to_pandas()
    assert out.loc[11, "sentiment"] == "Negative" and out.loc[12, "annotations"][0]["was_cancelled"] is True
    assert lab.progress["done"] == 2 and lab.progress["skipped"] == 1


def test_an_answers_file_for_another_annotator_or_a_bad_answer(lab, tmp_path):
    good = {"format": "nblabel-answers", "version": 1, "store_id": lab._store.id, "annotator": "zoe",
            "answers": [{"id": "a1", "key": "11", "lead_time": 1.0, "skipped": False,
                         "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                                     "value": {"choices": ["Amazing"]}}]},
                        {"id": "a2", "key": "99", "lead_time": 1.0, "skipped": True, "result": []}]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(good))
    report = lab.import_answers(path)
    assert report["stored"] == 0 and [why for _, why in report["refused"]] and len(report["refused"]) == 2
    assert "Amazing" in report["refused"][0][1]
    path.write_text(json.dumps({**good, "annotator": "bob"}))
    with pytest.raises(ValueError, match="answers of 'bob'"):
        lab.import_answers(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not an nblabel answers file"):
        lab.import_answers(path)
    with pytest.raises(ValueError, match="limit=0"):
        lab.to_html(tmp_path / "x.html", limit=0)

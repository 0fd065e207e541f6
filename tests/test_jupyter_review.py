"""The review flow in a real JupyterLab: two annotators answered, a reviewer accepts one task, fixes one and
rejects one with the keyboard; the rejected task comes back to its annotator with the comment. And every
annotator's spans drawn over the task (light and dark theme screenshots), their notes side by side."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jupyter_harness import open_notebook, py, run_cells, set_theme
from test_jupyter_e2e import CONFIG, shot

pytestmark = pytest.mark.jupyter

TEXTS = ["the staff were lovely", "it was fine I guess", "never again"]


def test_accept_fix_reject_then_the_annotator_sees_it_again(lab_server, page):
    setup = (
        "import json\nimport pandas as pd\nimport nblabel\n\n"
        f"df = pd.DataFrame({{'text': {TEXTS!r}}})\n"
        f'config = """{CONFIG}"""\n'
        "def answer(who, labels):\n"
        "    lab = nblabel.Labeler(df, config, annotator=who, store='review_e2e.db')\n"
        "    for v in labels:\n"
        "        lab.submit([{'from_name': 'sentiment', 'to_name': 'text', 'type': 'choices',"
        " 'value': {'choices': [v]}}])\n"
        "    lab.close()\n"
        "answer('ann', ['Positive', 'Negative', 'Positive'])\n"
        "answer('bob', ['Positive', 'Positive', 'Negative'])\n"
        "rita = nblabel.Labeler(df, config, annotator='rita', store='review_e2e.db', mode='review')"
    )
    again = "bob = nblabel.Labeler(df, config, annotator='bob', store='review_e2e.db')\nbob"
    name = lab_server.write_notebook("review_flow.ipynb", [setup, "rita", again])
    open_notebook(page, lab_server, name, workspace="review_flow")
    try:
        run_cells(page, 0, 1)
        root = page.locator(".nblabel").first
        expect(root).to_contain_text(TEXTS[0], use_inner_text=True, timeout=30_000)
        expect(root).to_contain_text("ann", use_inner_text=True)  # every answer is shown, named
        expect(root).to_contain_text("bob", use_inner_text=True)
        root.click(position={"x": 4, "y": 4})
        page.keyboard.press("Enter")  # task 0: both said Positive: accept the consensus
        expect(root).to_contain_text(TEXTS[1], use_inner_text=True, timeout=10_000)
        page.keyboard.press("3")  # task 1: neither is right: Neutral, then accept (fix and accept)
        page.keyboard.press("Enter")
        expect(root).to_contain_text(TEXTS[2], use_inner_text=True, timeout=10_000)
        page.keyboard.press("]")  # ann's version
        page.keyboard.press("]")  # bob's version
        page.keyboard.press("x")  # reject bob's answer, with a comment
        page.keyboard.type("it is negative, read the end")
        page.keyboard.press("Enter")
        expect(root).not_to_contain_text(TEXTS[2], use_inner_text=True, timeout=10_000)
        stats = None
        for _ in range(60):  # the last review is acknowledged asynchronously
            stats = json.loads(py(page, "print(rita.review_stats().to_json(orient='index'))"))
            if sum(row["reviewed"] for row in stats.values()) == 5:
                break
            page.wait_for_timeout(250)
        assert {who: (row["accepted"], row["fixed"], row["rejected"]) for who, row in stats.items()} == {
            "ann": (1, 1, 0), "bob": (1, 1, 1)}
        truth = json.loads(py(page, "print(json.dumps(nblabel.ground_truth(rita)['sentiment'].tolist()))"))
        assert truth == ["Positive", "Neutral"]

        run_cells(page, 2)
        bob = page.locator(".nblabel").nth(1)
        expect(bob).to_contain_text(TEXTS[2], use_inner_text=True, timeout=30_000)
        expect(bob).to_contain_text("Rejected by rita: it is negative, read the end", use_inner_text=True)
    finally:
        lab_server.shutdown_kernels()


SPANS = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER" background="#e11d48"/><Label value="ORG" background="#2563eb"/>
  </Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" rows="2"/>
</View>"""
SENTENCE = "Ada Lovelace met Charles Babbage at the Royal Society in London."
HIGHLIGHTS = "() => [...CSS.highlights].map(([n, hl]) => [n, [...hl].map((r) => r.toString())]).sort()"


def test_review_draws_every_annotators_spans_light_and_dark(lab_server, page):
    def spans(*parts):
        return [{"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": SENTENCE.index(t), "end": SENTENCE.index(t) + len(t), "labels": [lab]}}
                for t, lab in parts]
    answers = {
        "ann": spans(("Ada Lovelace", "PER"), ("Charles Babbage", "PER"), ("Royal Society", "ORG")),
        "bob": spans(("Ada", "PER"), ("Charles Babbage", "PER")),
        "cid": spans(("Lovelace", "PER"), ("the Royal Society in London", "ORG")),
    }
    notes = {"ann": "clear", "bob": "Ada alone is the first name only", "cid": ""}
    setup = (
        "import pandas as pd\nimport nblabel\n\n"
        f"df = pd.DataFrame({{'text': [{SENTENCE!r}]}})\n"
        f'config = """{SPANS}"""\n'
        f"answers, notes = {answers!r}, {notes!r}\n"
        "for who, result in answers.items():\n"
        "    lab = nblabel.Labeler(df, config, annotator=who, store='review_spans.db')\n"
        "    note = [{'from_name': 'note', 'to_name': 'text', 'type': 'textarea', 'value': {'text': [notes[who]]}}]\n"
        "    lab.submit(result + (note if notes[who] else []))\n"
        "    lab.close()\n"
        "rita = nblabel.Labeler(df, config, annotator='rita', store='review_spans.db', mode='review')\nrita"
    )
    name = lab_server.write_notebook("review_spans.ipynb", [setup])
    open_notebook(page, lab_server, name, workspace="review_spans")
    try:
        run_cells(page, 0)
        root = page.locator(".nblabel").first
        expect(root.locator(".nblabel-overlay-chip")).to_have_count(3, timeout=30_000)
        drawn = [texts for _, texts in page.evaluate(HIGHLIGHTS)]
        assert drawn == [["Ada Lovelace", "Charles Babbage", "Royal Society"], ["Ada", "Charles Babbage"],
                         ["Lovelace", "the Royal Society in London"]]
        beside = root.locator(".nblabel-beside-item .nblabel-beside-text").all_text_contents()
        assert beside == ["clear", "Ada alone is the first name only", "—"]
        for theme, tag in [("JupyterLab Light", "light"), ("JupyterLab Dark", "dark")]:
            set_theme(page, theme)
            root.scroll_into_view_if_needed()
            shot(page, root, f"review-overlays-{tag}")
        root.click(position={"x": 4, "y": 4})
        page.keyboard.press("o")  # all → ann's alone
        expect(root.locator(".nblabel-overlay-chip[aria-pressed='true']")).to_have_count(1)
        assert [texts for _, texts in page.evaluate(HIGHLIGHTS)] == [drawn[0]]
        shot(page, root, "review-overlays-dark-one")
    finally:
        set_theme(page, "JupyterLab Light")  # the theme is a server-side setting: later tests expect light
        lab_server.shutdown_kernels()

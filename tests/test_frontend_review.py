"""Review mode in the built front end (fake model playing a Labeler with `mode="review"`): the answers of the other
annotators above the task, who chose each option, the version bar (`]` / `[` and clicks load a version into the
editable answer), accept (the version exactly as it came), fix and accept, reject with a comment, a reviewer's note
on a task sent back in label mode, and hostile answers shown as text. One test per family: choices, spans, boxes,
audio segments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from frontend_page import DARK, LIGHT, missing_reason, mount, task, wait_received
from test_frontend_audio import WAV, ready
from test_frontend_image import IMG

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

SENTIMENT = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <TextArea name="note" toName="text" rows="1"/>
</View>"""

NER = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER" background="#e11d48"/><Label value="ORG" background="#2563eb"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

BOXES = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#e11d48"/><Label value="Person" background="#2563eb"/>
  </RectangleLabels>
</View>"""

SEGMENTS = """<View>
  <Labels name="labels" toName="audio"><Label value="Speech"/><Label value="Noise"/></Labels>
  <Audio name="audio" value="$audio"/>
</View>"""


def choice(value: str, rid: str, name: str = "sentiment") -> dict:
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices", "value": {"choices": [value]}}


def review_task(key: str, data: dict, consensus: list, answers: list[tuple[str, list]], **extra) -> dict:
    """A review-mode task: the consensus as prefill, each (annotator, result) as an answer."""
    t = task(key, data, prefill=consensus, prefill_from=extra.pop("prefill_from", "consensus"))
    t["answers"] = [{"annotator": who, "annotation_id": 10 + i, "result": result}
                    for i, (who, result) in enumerate(answers)]
    return {**t, **extra}


def press(page, *keys: str) -> None:
    page.locator(".nblabel").focus()
    for k in keys:
        page.keyboard.press(k)


def voters(page, option: str) -> list[str]:
    return page.locator(".nblabel-option", has_text=option).locator(".nblabel-voter").all_text_contents()


def selected_version(page) -> str:
    return page.locator(".nblabel-version.is-selected").text_content()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".nblabel").screenshot(path=str(ARTIFACTS / f"{name}.png"))


SAM = [choice("Negative", "s1"), {"id": "s2", "from_name": "note", "to_name": "text", "type": "textarea",
                                  "value": {"text": ["sarcasm, surely — " + "it goes on " * 30]}}]
CHOICE_ANSWERS = [("rita", [choice("Positive", "r1")]), ("sam", SAM), ("uma", [choice("Positive", "u1")])]


def test_choices_chips_accept_the_consensus_take_annotator_two_then_fix_and_accept(fe_page):
    consensus = [choice("Positive", "c1")]
    tasks = [review_task(k, {"text": f"what a day {k}"}, consensus, CHOICE_ANSWERS) for k in ("a", "b", "c")]
    mount(fe_page, SENTIMENT, tasks, mode="review", theme=LIGHT)
    assert voters(fe_page, "Positive") == ["rita", "uma"]
    assert voters(fe_page, "Negative") == ["sam"] and voters(fe_page, "Neutral") == []
    rows = fe_page.locator(".nblabel-review-row")
    assert rows.locator(".nblabel-review-name").all_text_contents() == ["rita", "sam", "uma"]
    assert rows.nth(1).locator(".nblabel-review-chip").all_text_contents() == ["Negative"]
    assert rows.nth(1).locator(".nblabel-review-text").text_content().startswith("sarcasm, surely")
    assert len(rows.nth(1).locator(".nblabel-review-text").text_content()) <= 160  # clamped
    assert rows.nth(0).locator(".nblabel-review-empty").text_content() == "—"  # rita wrote no note
    assert fe_page.locator(".nblabel-version").all_text_contents() == ["Consensus", "rita", "sam", "uma"]
    assert selected_version(fe_page) == "Consensus"
    assert "consensus" in fe_page.locator(".nblabel-badge").text_content()
    shot(fe_page, "review-choices-light")
    press(fe_page, "Enter")
    [accepted] = wait_received(fe_page, "submit", 1)
    assert accepted["key"] == "a" and accepted["result"] == consensus and "review" not in accepted

    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'what a day b'")
    press(fe_page, "]")
    assert selected_version(fe_page) == "rita"
    press(fe_page, "]")
    assert selected_version(fe_page) == "sam"
    assert fe_page.locator(".nblabel-option", has_text="Negative").get_attribute("aria-checked") == "true"
    assert fe_page.locator(".nblabel-field").input_value() == SAM[1]["value"]["text"][0]
    assert "sam's answer" in fe_page.locator(".nblabel-badge").text_content()
    press(fe_page, "Enter")
    taken = wait_received(fe_page, "submit", 2)[1]
    assert taken["key"] == "b" and taken["result"] == SAM and "review" not in taken

    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'what a day c'")
    assert selected_version(fe_page) == "Consensus"  # every task starts on its consensus
    press(fe_page, "[")  # wraps back to the last annotator
    assert selected_version(fe_page) == "uma"
    fe_page.locator(".nblabel-version", has_text="Consensus").click()
    press(fe_page, "3")  # the reviewer changes it: Neutral
    assert "edited" in fe_page.locator(".nblabel-badge").text_content()
    press(fe_page, "?")
    legend = fe_page.locator(".nblabel-legend").text_content()
    assert "Reject the selected answer" in legend and "Accept the version shown" in legend
    press(fe_page, "?", "Enter")
    fixed = wait_received(fe_page, "submit", 3)[2]
    assert fixed["key"] == "c" and fixed["result"] == [choice("Neutral", "c1")] and "review" not in fixed


def test_spans_cycling_shows_each_annotators_spans(fe_page):
    text = "Ada Lovelace met Charles Babbage at the Royal Society."

    def span(rid: str, start: int, end: int, label: str) -> dict:
        return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
                "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}

    rita = [span("r1", 0, 12, "PER"), span("r2", 17, 32, "PER")]
    sam = [span("s1", 0, 3, "PER"), span("s2", 40, 53, "ORG")]
    mount(fe_page, NER, [review_task("a", {"text": text}, [rita[0]], [("rita", rita), ("sam", sam)])], mode="review")
    labeled = fe_page.locator(".nblabel-span[data-region]")
    assert labeled.all_text_contents() == ["Ada Lovelace"]
    sam_row = fe_page.locator(".nblabel-review-row", has_text="sam")
    assert sam_row.locator(".nblabel-review-count").text_content() == "2 regions"
    assert sam_row.locator(".nblabel-review-chip").all_text_contents() == ["PER", "ORG"]
    press(fe_page, "]")
    assert labeled.all_text_contents() == ["Ada Lovelace", "Charles Babbage"]
    press(fe_page, "]")
    assert labeled.all_text_contents() == ["Ada", "Royal Society"]
    shot(fe_page, "review-spans")
    press(fe_page, "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == sam


def test_boxes_cycling_shows_each_annotators_rectangles(fe_page):
    def box(rid: str, x: float, label: str) -> dict:
        return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
                "original_width": 400, "original_height": 200, "image_rotation": 0,
                "value": {"x": x, "y": 10, "width": 20, "height": 30, "rotation": 0, "rectanglelabels": [label]}}

    rita = [box("r1", 5, "Car"), box("r2", 50, "Person")]
    sam = [box("s1", 70, "Car")]
    mount(fe_page, BOXES, [review_task("a", {"image": IMG}, rita, [("rita", rita), ("sam", sam)])], mode="review")
    shapes = fe_page.locator(".nblabel-shape[data-region]")
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-shape[data-region]').length === 2")
    assert sorted(shapes.evaluate_all("els => els.map(e => e.dataset.region)")) == ["r1", "r2"]
    fe_page.locator(".nblabel-version", has_text="sam").click()
    assert shapes.evaluate_all("els => els.map(e => e.dataset.region)") == ["s1"]
    assert float(fe_page.locator("rect.nblabel-shape[data-region='s1']").get_attribute("x")) == pytest.approx(280)
    shot(fe_page, "review-boxes")
    press(fe_page, "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == sam


def test_audio_segments_cycle_and_reject_all_with_a_comment(fe_page):
    def seg(rid: str, start: float, end: float, label: str) -> dict:
        return {"id": rid, "from_name": "labels", "to_name": "audio", "type": "labels",
                "value": {"start": start, "end": end, "channel": 0, "labels": [label]}}

    rita = [seg("r1", 0.1, 0.9, "Speech")]
    sam = [seg("s1", 0.2, 0.8, "Speech"), seg("s2", 1.2, 1.9, "Noise")]
    tasks = [review_task(k, {"audio": WAV}, rita, [("rita", rita), ("sam", sam)]) for k in ("a", "b")]
    mount(fe_page, SEGMENTS, tasks, mode="review")
    ready(fe_page)
    regions = fe_page.locator(".nblabel-audio-region")
    assert regions.count() == 1
    press(fe_page, "]", "]")
    assert regions.all_text_contents() == ["Speech", "Noise"]
    assert fe_page.locator(".nblabel-audio").get_attribute("data-wave") == "peaks"  # the audio was not reloaded
    press(fe_page, "]")  # wraps to the consensus: reject targets every answer
    assert selected_version(fe_page) == "Consensus"
    press(fe_page, "x")
    box = fe_page.locator(".nblabel-reject")
    assert box.is_visible() and fe_page.evaluate("document.activeElement.classList.contains('nblabel-reject-comment')")
    assert fe_page.locator(".nblabel-reject-prompt").text_content() == "Reject all 2 answers:"
    fe_page.keyboard.type("segments miss the cough")
    shot(fe_page, "review-audio-reject")
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["key"] == "a" and msg["result"] == []
    assert msg["review"] == {"action": "reject", "comment": "segments miss the cough", "annotators": ["rita", "sam"]}
    assert fe_page.evaluate("document.activeElement.classList.contains('nblabel')") and not box.is_visible()
    # moved on like a submit: the next task, on its consensus
    assert fe_page.locator(".nblabel-task-id").text_content() == "Task b" and selected_version(fe_page) == "Consensus"


def test_label_mode_shows_the_reviewers_note_and_no_review_ui(fe_page):
    note = 'Rejected by rita: the span is too long <img src=x onerror="window.__pwned=1">'
    tasks = [task("a", {"text": "first"}, prefill=[choice("Negative", "q1")], prefill_from="annotation"),
             task("b", {"text": "second"})]
    tasks[0]["review_note"] = note
    mount(fe_page, SENTIMENT, tasks)
    shown = fe_page.locator(".nblabel-review-note")
    assert shown.is_visible() and shown.text_content() == note and shown.locator("img").count() == 0
    assert fe_page.locator(".nblabel-review").is_hidden() and fe_page.locator(".nblabel-voter").count() == 0
    press(fe_page, "x", "]")  # no review keys in label mode
    assert fe_page.evaluate("window.__nb.python.received.length") == 1
    press(fe_page, "Enter")
    wait_received(fe_page, "submit", 1)
    assert shown.is_hidden()
    assert fe_page.evaluate("window.__pwned") is None


def test_hostile_answers_render_as_text_and_reject_one_annotator(fe_page):
    evil = '<img src=x onerror="window.__pwned=1">'
    hostile = [choice(evil, "e1"),
               {"id": "e2", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": [evil]}}]
    tasks = [review_task(k, {"text": k}, [], [(evil, hostile), ("sam", SAM)]) for k in ("a", "b")]
    mount(fe_page, SENTIMENT, tasks, mode="review", theme=DARK)
    panel = fe_page.locator(".nblabel-review")
    assert panel.locator("img").count() == 0 and fe_page.locator(".nblabel img").count() == 0
    assert panel.locator(".nblabel-review-name").first.text_content() == evil
    assert panel.locator(".nblabel-review-chip").first.text_content() == evil
    assert panel.locator(".nblabel-review-text").first.text_content() == evil
    assert fe_page.locator(".nblabel-version").nth(1).text_content() == evil
    press(fe_page, "Enter")  # an empty consensus is accepted only on a second press
    assert "This version is empty" in fe_page.locator(".nblabel-hint").text_content()
    press(fe_page, "]")
    assert fe_page.locator(".nblabel-field").input_value() == evil
    press(fe_page, "x")
    assert fe_page.locator(".nblabel-reject-prompt").text_content() == f"Reject {evil}'s answer:"
    fe_page.keyboard.type("typing x and ] here is text")
    shot(fe_page, "review-hostile-dark")
    fe_page.keyboard.press("Escape")  # cancels: nothing sent, the version stays
    assert not fe_page.locator(".nblabel-reject").is_visible()
    assert selected_version(fe_page) == evil and fe_page.evaluate("window.__nb.python.received.length") == 1
    fe_page.locator(".nblabel-reject-open").click()
    assert fe_page.locator(".nblabel-reject-comment").input_value() == ""
    fe_page.keyboard.type("not a sentiment")
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["review"] == {"action": "reject", "comment": "not a sentiment", "annotators": [evil]}
    assert msg["result"] == [] and msg["key"] == "a"
    assert fe_page.locator(".nblabel-text").text_content() == "b"
    assert fe_page.evaluate("window.__pwned") is None

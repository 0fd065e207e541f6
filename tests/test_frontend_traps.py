"""Traps a new user hits in the built front end (fake model): an empty answer for a region-only config, the keyboard
stuck in a text field, the suggestion badge after an edit, skipped tasks at the end of the queue, tall tasks that
push Submit off screen.

Each test pins the fixed behaviour by what the user sees or the exact message the fake Python receives.
"""

from __future__ import annotations

import pytest

from frontend_page import (
    DARK, LIGHT, ROOT, missing_reason, mount, received, shown_text, task, text_tasks, wait_received,
)
from test_frontend_image import loaded, png
from test_frontend_page import WITH_NOTE, focus, option

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

ARTIFACTS = ROOT / "test-artifacts"

NER = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
</View>"""

SENTIMENT = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""


def hint(page) -> str:
    return page.locator(".nblabel-hint").text_content()


def active_is(page, what: str) -> bool:
    """`what`: "root" (the widget root) or "field" (a text field of the widget)."""
    cls = "nblabel" if what == "root" else "nblabel-field"
    return page.evaluate("(c) => document.activeElement.classList.contains(c)", cls)


def span(start: int, end: int, text: str, label: str, rid: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


# -- an empty answer for a region-only config -------------------------------------------------------------------

def test_region_only_enter_asks_once_then_submits_no_regions(fe_page):
    mount(fe_page, NER, [task(str(i), {"text": f"nothing to see in sentence {i}"}) for i in range(3)])
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    assert hint(fe_page) == "No regions marked. Press ⏎ again to submit with no regions."
    assert received(fe_page, "submit") == [] and shown_text(fe_page) == "nothing to see in sentence 0"
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["key"] == "0" and msg["result"] == []
    assert shown_text(fe_page) == "nothing to see in sentence 1"
    assert hint(fe_page) == ""  # the next task asks again: one confirmation never carries over
    fe_page.keyboard.press("Enter")
    assert "again to submit with no regions" in hint(fe_page)
    assert len(received(fe_page, "submit")) == 1


def test_region_only_confirmation_is_void_once_the_hint_changed(fe_page):
    mount(fe_page, NER, [task("0", {"text": "Bill Gates founded Microsoft"})])
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    fe_page.keyboard.press("1")  # arms the PER label: the hint now says how to use it
    assert "PER" in hint(fe_page)
    fe_page.keyboard.press("Enter")  # asks again instead of submitting
    assert "again to submit with no regions" in hint(fe_page)
    assert received(fe_page, "submit") == []


def test_region_only_with_a_required_control_keeps_refusing(fe_page):
    mount(fe_page, NER.replace('<Labels name="label"', '<Labels name="label" required="true"'),
          [task("0", {"text": "Bill Gates founded Microsoft"})])
    focus(fe_page)
    for _ in range(2):
        fe_page.keyboard.press("Enter")
        assert hint(fe_page) == "Required: label."
    assert received(fe_page, "submit") == []


def test_choices_with_nothing_picked_keep_saying_so(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2))
    focus(fe_page)
    for _ in range(2):
        fe_page.keyboard.press("Enter")
        assert hint(fe_page).startswith("Nothing selected yet")
    assert received(fe_page, "submit") == []


# -- the keyboard never stays in a text field -------------------------------------------------------------------

def test_after_ctrl_enter_from_a_textarea_keys_act_on_the_next_task(fe_page):
    mount(fe_page, WITH_NOTE, text_tasks(3))
    field = fe_page.locator("textarea.nblabel-field")
    field.click()
    fe_page.keyboard.type("looks fine")
    fe_page.keyboard.press("Control+Enter")
    wait_received(fe_page, "submit", 1)
    assert shown_text(fe_page) == "review number 1"
    assert active_is(fe_page, "root")
    assert "is-active" in fe_page.locator(".nblabel-control").first.get_attribute("class")  # the first control
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    second = wait_received(fe_page, "submit", 2)[1]
    assert field.input_value() == ""
    assert [(r["from_name"], r["value"]) for r in second["result"]] == [("sentiment", {"choices": ["Negative"]})]


def test_a_digit_never_moves_the_caret_into_a_text_field(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <TextArea name="transcript" toName="text" rows="2"/></View>"""
    mount(fe_page, xml, text_tasks(2))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("2")
    assert active_is(fe_page, "root")
    assert fe_page.locator("textarea.nblabel-field").input_value() == ""
    assert hint(fe_page) == "To type, click the text field or press Tab."
    fe_page.keyboard.press("Tab")  # the way in
    assert active_is(fe_page, "field")
    fe_page.keyboard.type("12")
    assert fe_page.locator("textarea.nblabel-field").input_value() == "12"


def test_escape_leaves_the_field_even_after_a_submit_with_the_mouse(fe_page):
    mount(fe_page, WITH_NOTE, text_tasks(3))
    fe_page.locator("textarea.nblabel-field").click()
    fe_page.keyboard.type("x")
    option(fe_page, "Positive").click()
    fe_page.locator(".nblabel-button[data-action=submit]").click()
    wait_received(fe_page, "submit", 1)
    fe_page.locator("textarea.nblabel-field").click()
    fe_page.keyboard.press("Escape")
    assert active_is(fe_page, "root")
    fe_page.keyboard.press("1")
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "true"
    fe_page.keyboard.press("Escape")  # a second Escape hands the keys to the notebook
    assert fe_page.evaluate("document.activeElement.classList.contains('jp-Notebook')")


# -- the suggestion badge tells the truth -----------------------------------------------------------------------

def test_badge_stops_promising_accept_once_the_suggestion_is_edited(fe_page):
    pred = [{"id": "p1", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Positive"]}}]
    mount(fe_page, SENTIMENT, [task("0", {"text": "great"}, prefill=pred, prefill_from="prediction",
                                    prediction={"id": 1, "model_version": "v1", "score": 0.9})])
    badge = fe_page.locator(".nblabel-badge").first
    assert badge.text_content() == "suggestion · v1 · score 0.90 — ⏎ accepts"
    focus(fe_page)
    fe_page.keyboard.press("2")
    assert badge.text_content() == "suggestion · v1 · score 0.90 — edited, ⏎ submits your answer"
    assert badge.get_attribute("data-kind") == "edited"
    fe_page.keyboard.press("1")  # back to exactly the suggestion
    assert badge.text_content().endswith("— ⏎ accepts")


def test_badge_follows_region_edits(fe_page):
    text = "Bill Gates founded Microsoft"
    pred = [span(0, 10, "Bill Gates", "PER", "r1"), span(19, 28, "Microsoft", "ORG", "r2")]
    mount(fe_page, NER, [task("0", {"text": text}, prefill=pred, prefill_from="prediction",
                                  prediction={"id": 1, "model_version": "ner-2", "score": None})])
    badge = fe_page.locator(".nblabel-badge").first
    assert badge.text_content() == "suggestion · ner-2 — ⏎ accepts"
    fe_page.locator(".nblabel-region-row").first.click()  # selecting is not editing
    assert badge.text_content().endswith("⏎ accepts")
    focus(fe_page)
    fe_page.keyboard.press("Delete")
    assert badge.text_content() == "suggestion · ner-2 — edited, ⏎ submits your answer"


# -- skipped tasks ----------------------------------------------------------------------------------------------

def test_skipped_tasks_are_titled_truthfully_and_served_again(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    fe_page.keyboard.press("s")
    fe_page.keyboard.press("s")
    summary = fe_page.locator(".nblabel-summary")
    summary.wait_for()
    assert summary.locator(".nblabel-summary-title").text_content() == "2 skipped tasks still need a label"
    assert "All tasks labeled" not in summary.text_content()
    button = summary.locator("button[data-action=label_skipped]")
    assert button.text_content() == "Label 2 skipped tasksShift+S"
    fe_page.keyboard.press("Shift+S")
    wait_received(fe_page, "label_skipped", 1)
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text')?.textContent === 'review number 1'")
    again = fe_page.locator(".nblabel-skipped-before")
    assert again.is_visible() and again.text_content() == "skipped before"
    fe_page.keyboard.press("s")  # skipped a second time: the summary offers it again
    assert shown_text(fe_page) == "review number 2" and again.is_visible()
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    summary.wait_for()
    assert summary.locator(".nblabel-summary-title").text_content() == "1 skipped task still needs a label"
    summary.locator("button[data-action=label_skipped]").click()
    wait_received(fe_page, "label_skipped", 2)
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text')?.textContent === 'review number 1'")


def test_the_last_answer_shows_saving_until_python_confirms_it_then_true_counts(fe_page):
    # the summary used to be painted in the key press, before the answer entered the outbox: with the earlier
    # answers confirmed it showed the counts without the last one until its ack (caught as a flaky count)
    mount(fe_page, SENTIMENT, text_tasks(2), autoAck=False)
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 1)
    fe_page.evaluate("window.__nb.python.flush()")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    fe_page.keyboard.press("s")
    wait_received(fe_page, "skip", 1)
    assert fe_page.locator(".nblabel-summary").count() == 0
    assert fe_page.locator(".nblabel-waiting").is_visible()
    fe_page.evaluate("window.__nb.python.flush()")
    summary = fe_page.locator(".nblabel-summary")
    summary.wait_for()
    assert summary.locator(".nblabel-summary-title").text_content() == "1 skipped task still needs a label"
    assert summary.locator(".nblabel-stat-n").all_text_contents() == ["1", "1"]


def test_label_skipped_key_does_nothing_while_a_task_is_on_screen(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2))
    focus(fe_page)
    fe_page.keyboard.press("s")
    fe_page.keyboard.press("Shift+S")
    fe_page.wait_for_timeout(50)
    assert received(fe_page, "label_skipped") == [] and shown_text(fe_page) == "review number 1"


def test_no_skips_still_reads_all_tasks_labeled(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(1))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    summary = fe_page.locator(".nblabel-summary")
    summary.wait_for()
    assert summary.locator(".nblabel-summary-title").text_content() == "All tasks labeled"
    assert summary.locator("button").count() == 0


# -- tall tasks keep the controls on screen ---------------------------------------------------------------------

BOXES = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
</View>"""


def view_size(page) -> tuple[float, float]:
    return page.evaluate("() => { const r = document.querySelector('.nblabel-image-view').getBoundingClientRect();"
                         " return [r.width, r.height]; }")


def submit_on_screen(page) -> bool:
    """With the widget's top at the top of the window, is the Submit button inside the window?"""
    return page.evaluate("""() => {
        document.querySelector('.nblabel').scrollIntoView({block: 'start'});
        const b = document.querySelector('.nblabel-button[data-action=submit]').getBoundingClientRect();
        return b.top >= 0 && b.bottom <= innerHeight;
    }""")


def test_a_small_image_is_never_scaled_up(fe_page):
    mount(fe_page, BOXES, [task("0", {"image": png(640, 420)})])
    loaded(fe_page)
    assert view_size(fe_page) == [640, 420]
    assert submit_on_screen(fe_page)


def test_a_big_image_fits_sixty_percent_of_the_window(fe_page):
    mount(fe_page, BOXES, [task("0", {"image": png(1600, 1200)})])
    loaded(fe_page)
    w, h = view_size(fe_page)
    assert h == pytest.approx(0.6 * 800, abs=1) and w == pytest.approx(h * 4 / 3, abs=1)
    assert submit_on_screen(fe_page)


def test_an_image_with_a_width_asked_for_fills_the_width(fe_page):
    xml = BOXES.replace('value="$image"', 'value="$image" width="100%"')
    mount(fe_page, xml, [task("0", {"image": png(320, 100)})])
    loaded(fe_page)
    w, h = view_size(fe_page)
    assert w > 320 and h == pytest.approx(w * 100 / 320, abs=1)


def test_two_hundred_suggested_spans_scroll_inside_a_bounded_list(fe_page):
    words = [f"w{i:03d}" for i in range(200)]
    text = " ".join(words)
    pred = [span(5 * i, 5 * i + 4, w, "PER" if i % 2 else "ORG", f"r{i}") for i, w in enumerate(words)]
    mount(fe_page, NER, [task("0", {"text": text}, prefill=pred, prefill_from="prediction",
                                  prediction={"id": 1, "model_version": "ner", "score": 0.5})])
    lst = fe_page.locator(".nblabel-region-list")
    assert lst.locator(".nblabel-region-row").count() == 200
    client, scroll = lst.evaluate("e => [e.clientHeight, e.scrollHeight]")
    assert client <= 260 and scroll > 2000
    root_h = fe_page.evaluate("document.querySelector('.nblabel').getBoundingClientRect().height")
    assert root_h <= 800
    assert submit_on_screen(fe_page)
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert len(msg["result"]) == 200


def test_many_controls_scroll_inside_the_card_and_submit_stays_on_screen(fe_page):
    blocks = "".join(f'<Choices name="q{i}" toName="text"><Choice value="yes"/><Choice value="no"/></Choices>'
                     for i in range(30))
    mount(fe_page, f'<View><Text name="text" value="$text"/>{blocks}</View>', text_tasks(2))
    body = fe_page.locator(".nblabel-body")
    client, scroll = body.evaluate("e => [e.clientHeight, e.scrollHeight]")
    assert scroll > client
    assert submit_on_screen(fe_page)
    body.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    focus(fe_page)
    fe_page.keyboard.press("1")
    for _ in range(29):
        fe_page.keyboard.press("Tab")
        fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 1)
    assert body.evaluate("e => e.scrollTop") == 0  # the next task starts at its top


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_of_the_traps(fe_page, theme):
    """Not an assertion on pixels: leaves test-artifacts/traps-*-<theme>.png to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    colors = DARK if theme == "dark" else LIGHT
    words = [f"w{i:03d}" for i in range(60)]
    pred = [span(5 * i, 5 * i + 4, w, "PER" if i % 2 else "ORG", f"r{i}") for i, w in enumerate(words)]
    mount(fe_page, NER, [task("0", {"text": " ".join(words)}, prefill=pred, prefill_from="prediction",
                                  prediction={"id": 1, "model_version": "ner-2", "score": 0.61}),
                         task("1", {"text": "A sentence without any entity."})], theme=colors)
    focus(fe_page)
    fe_page.locator(".nblabel-region-row").first.click()
    focus(fe_page)
    fe_page.keyboard.press("Delete")
    fe_page.locator("#host").screenshot(path=str(ARTIFACTS / f"traps-regions-{theme}.png"))
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 1)
    fe_page.keyboard.press("Enter")
    fe_page.locator("#host").screenshot(path=str(ARTIFACTS / f"traps-empty-{theme}.png"))
    fe_page.keyboard.press("s")
    fe_page.locator(".nblabel-summary").wait_for()
    fe_page.locator("#host").screenshot(path=str(ARTIFACTS / f"traps-summary-{theme}.png"))
    fe_page.keyboard.press("Shift+S")
    fe_page.locator(".nblabel-skipped-before").wait_for()
    fe_page.locator("#host").screenshot(path=str(ARTIFACTS / f"traps-again-{theme}.png"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot_of_a_natural_size_image(fe_page, theme):
    """Not an assertion on pixels: leaves test-artifacts/traps-image-<theme>.png to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    mount(fe_page, BOXES, [task("0", {"image": png(640, 420)})], theme=DARK if theme == "dark" else LIGHT)
    loaded(fe_page)
    fe_page.locator(".nblabel-image-view").hover()
    fe_page.locator("#host").screenshot(path=str(ARTIFACTS / f"traps-image-{theme}.png"))

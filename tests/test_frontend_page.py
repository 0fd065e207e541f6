"""The built front end in a blank page with a fake model and a scripted Python (tests/fake_model.js).

Covers the keys, the DOM, acknowledgement of submits and the DESIGN.md message shapes from the browser's side.
Run: `npm run build && pytest tests/test_frontend_page.py` (skipped with the reason when Chromium or the bundle is
missing).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from frontend_page import (
    ORIGIN, config_tree, missing_reason, mount, received, shown_text, task, text_tasks,
    wait_received,
)
from helpers import deliver, task_payload

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

SENTIMENT = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""

WITH_NOTE = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
  <TextArea name="note" toName="text" placeholder="why?" rows="3"/>
</View>"""

SCALES = """<View>
  <Header value="Rate it"/>
  <Text name="text" value="$text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="score" toName="text" min="0" max="10" step="1"/>
</View>"""

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
REGION_ID = re.compile(r"^[A-Za-z0-9_-]{10}$")


def focus(page):
    page.locator(".nblabel").focus()


def option(page, label: str):
    return page.locator(".nblabel-option", has_text=label)


# -- DOM -----------------------------------------------------------------------------------------------------


def test_one_root_focusable_with_lumino_suppression_and_hello_first(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    roots = fe_page.locator("div.nblabel")
    assert roots.count() == 1
    assert roots.get_attribute("tabindex") == "0"
    assert roots.get_attribute("data-lm-suppress-shortcuts") == "true"
    first = received(fe_page)[0]
    assert set(first) == {"type", "id"} and first["type"] == "hello" and UUID.match(first["id"])


def test_renders_text_and_choices_with_digit_badges(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    assert shown_text(fe_page) == "review number 0"
    opts = fe_page.locator(".nblabel-option")
    assert opts.count() == 3
    assert [opts.nth(i).locator(".nblabel-option-label").text_content() for i in range(3)] == \
        ["Positive", "Negative", "Neutral"]
    assert [opts.nth(i).locator(".nblabel-key").text_content() for i in range(3)] == ["1", "2", "3"]
    assert fe_page.locator(".nblabel-options.is-inline").count() == 1
    assert fe_page.locator(".nblabel-count").text_content() == "0 / 3"


def test_keys_do_not_reach_the_notebook(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    fe_page.evaluate("() => { window.__docKeys = 0; document.addEventListener('keydown', () => window.__docKeys++); }")
    focus(fe_page)
    for key in ["1", "b", "a", "Shift+Enter", "x"]:
        fe_page.keyboard.press(key)
    assert fe_page.evaluate("window.__docKeys") == 0


def test_escape_leaves_text_field_then_widget(fe_page):
    mount(fe_page, WITH_NOTE, text_tasks(2))
    fe_page.locator(".nblabel-field").click()
    assert fe_page.evaluate("document.activeElement.classList.contains('nblabel-field')")
    fe_page.keyboard.press("Escape")
    assert fe_page.evaluate("document.activeElement.classList.contains('nblabel')")
    fe_page.keyboard.press("Escape")  # hands the keys back to the notebook node (JupyterLab's command mode)
    assert fe_page.evaluate("!document.activeElement.closest('.nblabel')")
    assert fe_page.evaluate("document.activeElement.classList.contains('jp-Notebook')")


# -- keys and submit -------------------------------------------------------------------------------------------


def test_digits_select_and_never_submit(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    focus(fe_page)
    fe_page.keyboard.press("2")
    assert option(fe_page, "Negative").get_attribute("aria-checked") == "true"
    fe_page.keyboard.press("3")  # radio semantics: the new pick replaces the old one
    assert option(fe_page, "Negative").get_attribute("aria-checked") == "false"
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "true"
    fe_page.keyboard.press("9")  # no 9th option: nothing happens
    fe_page.wait_for_timeout(50)
    assert received(fe_page, "submit") == []
    assert shown_text(fe_page) == "review number 0"


def test_enter_sends_exact_submit_and_paints_next_task_synchronously(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(4))
    focus(fe_page)
    fe_page.keyboard.press("1")
    # dispatch Enter and read the DOM in the same JS task: the next task must already be painted
    after = fe_page.evaluate("""() => {
        const root = document.querySelector('.nblabel');
        root.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));
        return document.querySelector('.nblabel-text').textContent;
    }""")
    assert after == "review number 1"
    [msg] = wait_received(fe_page, "submit", 1)
    assert set(msg) == {"type", "id", "key", "result", "lead_time", "age_s"}
    assert msg["type"] == "submit" and msg["key"] == "0" and UUID.match(msg["id"])
    assert isinstance(msg["lead_time"], (int, float)) and msg["lead_time"] >= 0
    [item] = msg["result"]
    assert set(item) == {"id", "from_name", "to_name", "type", "value"}
    assert REGION_ID.match(item["id"])
    assert item["from_name"] == "sentiment" and item["to_name"] == "text" and item["type"] == "choices"
    assert item["value"] == {"choices": ["Positive"]}
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "false"  # the next task starts clean


def test_enter_with_nothing_selected_hints_and_sends_nothing(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2))
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    assert "Nothing selected" in fe_page.locator(".nblabel-hint").text_content()
    fe_page.wait_for_timeout(50)
    assert received(fe_page, "submit") == []
    assert shown_text(fe_page) == "review number 0"


def test_ctrl_enter_submits_from_textarea_and_plain_keys_only_type(fe_page):
    mount(fe_page, WITH_NOTE, text_tasks(3))
    field = fe_page.locator("textarea.nblabel-field")
    field.click()
    fe_page.keyboard.type("s z 1 ? Enter")
    fe_page.keyboard.press("Enter")  # a newline in the text field, not a submit
    fe_page.keyboard.type("ok")
    assert field.input_value() == "s z 1 ? Enter\nok"
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "false"
    assert fe_page.locator(".nblabel-legend-host").is_hidden()
    assert received(fe_page, "submit") == [] and received(fe_page, "skip") == []
    fe_page.keyboard.press("Control+Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert [(r["from_name"], r["type"], r["value"]) for r in msg["result"]] == [
        ("note", "textarea", {"text": ["s z 1 ? Enter\nok"]})]
    assert shown_text(fe_page) == "review number 1"
    assert field.input_value() == ""


def test_tab_moves_the_active_control_and_digits_follow_it(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <Choices name="a" toName="text"><Choice value="A1"/><Choice value="A2"/></Choices>
      <Choices name="b" toName="text" choice="multiple"><Choice value="B1"/><Choice value="B2"/></Choices>
    </View>"""
    mount(fe_page, xml, text_tasks(2))
    focus(fe_page)
    controls = fe_page.locator(".nblabel-control")
    assert "is-active" in controls.nth(0).get_attribute("class")
    fe_page.keyboard.press("Tab")
    assert "is-active" in controls.nth(1).get_attribute("class")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Shift+Tab")
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert {r["from_name"]: r["value"]["choices"] for r in msg["result"]} == {"a": ["A2"], "b": ["B1", "B2"]}


def test_clicks_pick_options_and_activate_the_control(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <Choices name="a" toName="text"><Choice value="A1"/><Choice value="A2"/></Choices>
      <Choices name="b" toName="text"><Choice value="B1"/><Choice value="B2"/></Choices>
    </View>"""
    mount(fe_page, xml, text_tasks(2))
    option(fe_page, "B2").click()
    assert option(fe_page, "B2").get_attribute("aria-checked") == "true"
    assert "is-active" in fe_page.locator(".nblabel-control").nth(1).get_attribute("class")
    assert fe_page.evaluate("document.activeElement.classList.contains('nblabel')")
    fe_page.keyboard.press("1")
    assert option(fe_page, "B1").get_attribute("aria-checked") == "true"
    fe_page.locator(".nblabel-button[data-action=submit]").click()
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"][0]["value"] == {"choices": ["B1"]}


def test_choice_hotkey_and_alias(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="Person" alias="PER" hotkey="p"/><Choice value="Other"/></Choices>
    </View>"""
    mount(fe_page, xml, text_tasks(2))
    focus(fe_page)
    assert fe_page.locator(".nblabel-hotkey").text_content() == "p"
    fe_page.keyboard.press("p")
    fe_page.keyboard.press("Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"][0]["value"] == {"choices": ["PER"]}


NESTED = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" choice="multiple" allowNested="true">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog" alias="dog"/></Choice>
    <Choice value="Plant"><Choice value="Tree"/></Choice>
  </Choices>
</View>"""


def test_nested_choices_submit_paths_and_parents_follow_children(fe_page):
    mount(fe_page, NESTED, [task(str(i), {"text": f"t{i}"}) for i in range(3)])
    opts = fe_page.locator(".nblabel-option")
    assert opts.all_text_contents()[:5] and opts.count() == 5  # Animal, Cat, Dog, Plant, Tree: depth-first
    focus(fe_page)
    fe_page.keyboard.press("2")  # Cat: Animal is now partly chosen
    assert opts.nth(0).get_attribute("aria-checked") == "mixed"
    fe_page.keyboard.press("3")  # Dog: both children → Animal is chosen too
    assert opts.nth(0).get_attribute("aria-checked") == "true"
    fe_page.keyboard.press("Enter")
    first = wait_received(fe_page, "submit", 1)[0]["result"][0]["value"]
    assert first == {"choices": [["Animal"], ["Animal", "Cat"], ["Animal", "dog"]]}
    fe_page.keyboard.press("4")  # a parent picks all its children
    fe_page.keyboard.press("Enter")
    second = wait_received(fe_page, "submit", 2)[1]["result"][0]["value"]
    assert second == {"choices": [["Plant"], ["Plant", "Tree"]]}
    # a stored answer with paths loads back as the same selection
    tree = config_tree(NESTED)
    mount(fe_page, tree, [task("x", {"text": "x"}, prefill=[{"id": "n1", "from_name": "topic", "to_name": "text",
                                                             "type": "choices", "value": first}],
                               prefill_from="annotation")])
    assert [o.get_attribute("aria-checked") for o in fe_page.locator(".nblabel-option").all()] == \
        ["true", "true", "true", "false", "false"]


def test_rating_and_number_results(fe_page):
    mount(fe_page, SCALES, text_tasks(3))
    focus(fe_page)
    fe_page.keyboard.press("4")
    assert fe_page.locator(".nblabel-star.is-on").count() == 4
    fe_page.keyboard.press("Tab")  # → the Number control: its field takes the focus
    assert fe_page.evaluate("document.activeElement.type") == "number"
    fe_page.keyboard.type("7")
    fe_page.keyboard.press("Control+Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    got = {r["from_name"]: (r["type"], r["value"], r["to_name"]) for r in msg["result"]}
    assert got == {"stars": ("rating", {"rating": 4}, "text"), "score": ("number", {"number": 7}, "text")}
    # stars are clickable too, and a number out of range is not an answer
    fe_page.locator(".nblabel-star").nth(1).click()
    fe_page.locator(".nblabel-number-field").fill("11")
    fe_page.keyboard.press("Control+Enter")
    msgs = wait_received(fe_page, "submit", 2)
    assert [(r["from_name"], r["value"]) for r in msgs[1]["result"]] == [("stars", {"rating": 2})]


def test_visible_when_hides_controls_and_their_results(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <Choices name="kind" toName="text"><Choice value="Bug"/><Choice value="Feature"/></Choices>
      <View visibleWhen="choice-selected" whenTagName="kind" whenChoiceValue="Bug">
        <Choices name="severity" toName="text"><Choice value="Low"/><Choice value="High"/></Choices>
      </View></View>"""
    mount(fe_page, xml, text_tasks(3))
    severity = fe_page.locator(".nblabel-control[data-name=severity]")
    assert severity.is_hidden()
    focus(fe_page)
    fe_page.keyboard.press("2")
    assert severity.is_hidden()
    fe_page.keyboard.press("1")
    assert severity.is_visible()
    fe_page.keyboard.press("Tab")
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Tab")
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Shift+Tab")
    fe_page.keyboard.press("2")  # Feature: severity disappears and its answer with it
    fe_page.keyboard.press("Enter")
    first, second = wait_received(fe_page, "submit", 2)
    assert {r["from_name"]: r["value"]["choices"] for r in first["result"]} == {"kind": ["Bug"], "severity": ["High"]}
    assert {r["from_name"]: r["value"]["choices"] for r in second["result"]} == {"kind": ["Feature"]}


def test_held_down_keys_do_not_answer_repeatedly(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(5))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.evaluate("""() => {
        const root = document.querySelector('.nblabel');
        for (const key of ['Enter', 's'])
            root.dispatchEvent(new KeyboardEvent('keydown', {key, repeat: true, bubbles: true, cancelable: true}));
    }""")
    fe_page.wait_for_timeout(50)
    assert received(fe_page, "submit") == [] and received(fe_page, "skip") == []
    fe_page.keyboard.press("Enter")
    assert len(wait_received(fe_page, "submit", 1)) == 1


def test_required_control_blocks_submit(fe_page):
    xml = """<View><Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="A"/></Choices>
      <TextArea name="why" toName="text" required="true"/></View>"""
    mount(fe_page, xml, text_tasks(2))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    assert "Required: why" in fe_page.locator(".nblabel-hint").text_content()
    assert received(fe_page, "submit") == []


def test_legend_lists_every_key(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2), keys={"skip": "k"})
    focus(fe_page)
    legend = fe_page.locator(".nblabel-legend")
    assert legend.is_hidden()
    fe_page.keyboard.press("?")
    assert legend.is_visible()
    text = legend.text_content()
    for needed in ["Skip", "Undo", "Redo", "Back", "1 … 9, 0", "Esc", "Ctrl+⏎", "Tab"]:
        assert needed in text, needed
    assert "k" in legend.locator(".nblabel-legend-key").all_text_contents()
    fe_page.keyboard.press("?")
    assert legend.is_hidden()


def test_skip_undo_and_custom_keys(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3), keys={"skip": "k"})
    focus(fe_page)
    fe_page.keyboard.press("s")  # not the skip key any more
    fe_page.keyboard.press("k")
    [skip] = wait_received(fe_page, "skip", 1)
    assert set(skip) == {"type", "id", "key", "lead_time", "age_s"} and skip["key"] == "0"
    assert shown_text(fe_page) == "review number 1"
    fe_page.wait_for_function("() => !document.querySelector('.nblabel-saving:not([hidden])')")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 1)
    fe_page.wait_for_function("() => !document.querySelector('.nblabel-saving:not([hidden])')")
    assert shown_text(fe_page) == "review number 2"
    fe_page.keyboard.press("z")
    wait_received(fe_page, "undo", 1)
    # the answer to undo is a state: the undone task is back, pre-filled with the withdrawn answer
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'review number 1'")
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "true"
    assert "earlier answer" in fe_page.locator(".nblabel-badge").text_content()
    fe_page.keyboard.press("Shift+Z")
    wait_received(fe_page, "redo", 1)
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'review number 2'")
    fe_page.keyboard.press("ArrowLeft")
    wait_received(fe_page, "back", 1)
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'review number 1'")


# -- acknowledgement and the outbox --------------------------------------------------------------------------


def saving_visible(page) -> bool:
    return page.locator(".nblabel-saving").is_visible()


def test_outbox_holds_at_most_three_and_acks_clear_it(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(8), autoAck=False)
    focus(fe_page)
    assert not saving_visible(fe_page)
    for _ in range(3):
        fe_page.keyboard.press("1")
        fe_page.keyboard.press("Enter")
    assert len(received(fe_page, "submit")) == 3
    assert saving_visible(fe_page)
    assert shown_text(fe_page) == "review number 3"
    stored = fe_page.evaluate("JSON.parse(localStorage.getItem('nblabel-outbox:test-store:alice'))")
    assert [e["key"] for e in stored] == ["0", "1", "2"]
    # the 4th submit waits: nothing sent, the task stays, the UI says why
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_timeout(50)
    assert len(received(fe_page, "submit")) == 3
    assert shown_text(fe_page) == "review number 3"
    assert "not confirmed" in fe_page.locator(".nblabel-hint").text_content()
    assert "3 of max 3" in fe_page.locator(".nblabel-saving").text_content()
    # one ack makes room: the held submit goes out by itself and the next task is painted
    fe_page.evaluate("window.__nb.python.flush(1)")
    msgs = wait_received(fe_page, "submit", 4)
    assert msgs[3]["key"] == "3" and msgs[3]["result"][0]["value"] == {"choices": ["Negative"]}
    assert shown_text(fe_page) == "review number 4"
    fe_page.evaluate("window.__nb.python.flush()")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert fe_page.evaluate("localStorage.getItem('nblabel-outbox:test-store:alice')") is None
    assert fe_page.locator(".nblabel-count").text_content() == "4 / 8"


def test_ack_window_merges_behind_the_task_on_screen(fe_page):
    # a window of 2: the browser runs out of prefetched tasks and waits for the ack's window
    mount(fe_page, SENTIMENT, text_tasks(6), autoAck=False, prefetch=1)
    focus(fe_page)
    for _ in range(2):
        fe_page.keyboard.press("1")
        fe_page.keyboard.press("Enter")
    assert fe_page.locator(".nblabel-waiting").is_visible()
    fe_page.evaluate("window.__nb.python.flush(1)")  # ack of task 0: Python's window is [1, 2]; 1 still waits
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text')?.textContent === 'review number 2'")
    fe_page.evaluate("window.__nb.python.flush()")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert shown_text(fe_page) == "review number 2"


def test_outbox_survives_a_reload_and_is_resent(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(6), autoAck=False)
    focus(fe_page)
    for digit in ["1", "2"]:
        fe_page.keyboard.press(digit)
        fe_page.keyboard.press("Enter")
    sent = received(fe_page, "submit")
    assert len(sent) == 2
    fe_page.reload()  # Python never confirmed them
    assert fe_page.url.startswith(ORIGIN)
    mount(fe_page, SENTIMENT, text_tasks(6), autoAck=True)
    resent = wait_received(fe_page, "submit", 2)
    assert [(m["id"], m["key"], m["result"]) for m in resent] == [(m["id"], m["key"], m["result"]) for m in sent]
    first = received(fe_page)[0]
    assert set(first) == {"type", "id"} and first["type"] == "hello" and UUID.match(first["id"])
    # the tasks still in the outbox are not shown again
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert shown_text(fe_page) == "review number 2"
    assert fe_page.evaluate("localStorage.getItem('nblabel-outbox:test-store:alice')") is None


def test_nack_returns_to_the_task_with_the_message(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(4), autoAck=False)
    focus(fe_page)
    fe_page.keyboard.press("3")
    fe_page.keyboard.press("Enter")
    assert shown_text(fe_page) == "review number 1"
    fe_page.evaluate("window.__nb.python.refuse('label Neutral is not in the config')")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'review number 0'")
    assert "label Neutral is not in the config" in fe_page.locator(".nblabel-notice").text_content()
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "true"
    assert not saving_visible(fe_page)


# -- suggestions ---------------------------------------------------------------------------------------------


def test_prefill_is_shown_marked_and_keeps_its_region_id(fe_page):
    pred = lambda label: [{"id": "pred-00001", "from_name": "sentiment", "to_name": "text", "type": "choices",  # noqa: E731
                           "value": {"choices": [label]}}]
    tasks = [task(str(i), {"text": f"t{i}"}, prefill=pred("Negative"), prefill_from="prediction",
                  prediction={"id": 1, "model_version": "v1", "score": 0.91}) for i in range(3)]
    mount(fe_page, SENTIMENT, tasks)
    assert option(fe_page, "Negative").get_attribute("aria-checked") == "true"
    assert "is-suggested" in option(fe_page, "Negative").get_attribute("class")
    assert "suggestion" in fe_page.locator(".nblabel-badge").text_content()
    focus(fe_page)
    fe_page.keyboard.press("Enter")  # accept unchanged
    fe_page.keyboard.press("1")  # correct the second one
    fe_page.keyboard.press("Enter")
    first, second = wait_received(fe_page, "submit", 2)
    assert first["result"] == pred("Negative")
    assert second["result"] == pred("Positive")
    assert "origin" not in second["result"][0]


def test_dropping_a_confident_suggestion_is_flagged_but_not_blocked(fe_page):
    """The model was 97% sure: choosing otherwise names what it was sure of; back to its choice, the flag goes; a
    50% suggestion changed is only "edited"; the submit goes through either way."""
    pred = lambda label: [{"id": "pred-00002", "from_name": "sentiment", "to_name": "text", "type": "choices",  # noqa: E731
                           "value": {"choices": [label]}}]
    tasks = [task("0", {"text": "t0"}, prefill=pred("Negative"), prefill_from="prediction",
                  prediction={"id": 1, "model_version": "v1", "score": 0.97}),
             task("1", {"text": "t1"}, prefill=pred("Negative"), prefill_from="prediction",
                  prediction={"id": 2, "model_version": "v1", "score": 0.5})]
    mount(fe_page, SENTIMENT, tasks)
    focus(fe_page)
    badge = fe_page.locator(".nblabel-badge")
    fe_page.keyboard.press("1")  # Positive, against a 97% Negative
    expect(badge).to_have_text("the model is 97% sure this is Negative — ⏎ submits your answer anyway")
    assert badge.get_attribute("data-kind") == "doubt"
    fe_page.keyboard.press("2")  # back to the model's choice: nothing to flag
    expect(badge).to_contain_text("⏎ accepts")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")  # never blocked
    [first] = wait_received(fe_page, "submit", 1)
    assert first["result"][0]["value"] == {"choices": ["Positive"]}
    expect(fe_page.locator(".nblabel-text")).to_have_text("t1")
    fe_page.keyboard.press("1")  # a 50% suggestion changed: edited, no flag
    expect(badge).to_contain_text("edited")
    assert "sure" not in badge.text_content()


def test_a_late_suggestion_replaces_an_untouched_task_but_never_an_answer(fe_page):
    pred = [{"id": "pred-late1", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Neutral"]}}]
    mount(fe_page, SENTIMENT, [task("0", {"text": "t0"}), task("1", {"text": "t1"})])
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "false"
    late = """(pred) => { const py = window.__nb.python; const t = py.byKey.get('"0"') ?? py.all[0];
        t.prefill = pred; t.prefill_from = 'prediction'; t.prediction = {id: 3, model_version: 'v1', score: 0.8};
        py.push('suggestion'); }"""
    fe_page.evaluate(late, pred)  # the worker finished after the task was painted
    fe_page.wait_for_function("() => document.querySelector('.nblabel-option[aria-checked=true]') !== null")
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "true"
    assert "is-suggested" in option(fe_page, "Neutral").get_attribute("class")
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    assert wait_received(fe_page, "submit", 1)[0]["result"] == pred
    # the next task: the annotator answers first, then the suggestion arrives — the answer stays
    fe_page.keyboard.press("1")
    fe_page.evaluate(late.replace("py.byKey.get('\"0\"') ?? py.all[0]", "py.all[1]"), pred)
    fe_page.evaluate("() => new Promise((r) => setTimeout(r, 50))")
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "true"
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "false"


def test_a_state_nobody_asked_for_neither_answers_a_request_nor_drops_the_draft(fe_page):
    """While `back` waits for its answer, Python sends states of its own (a suggestion became ready; the answer to
    another view's hello): the request stays pending and the draft on screen stays. Only the state naming the
    request answers it."""
    mount(fe_page, SENTIMENT, text_tasks(3), holdRequests=True)
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert shown_text(fe_page) == "review number 1"
    fe_page.keyboard.press("3")  # a draft on task 1, not submitted
    fe_page.keyboard.press("ArrowLeft")
    wait_received(fe_page, "back", 1)  # held by the fake Python: no answer yet
    fe_page.evaluate("""() => { const py = window.__nb.python;
        py.push('suggestion'); py.send(py.state('the-hello-of-another-view')); }""")
    assert "is-pending" in fe_page.locator(".nblabel").get_attribute("class")
    assert fe_page.locator(".nblabel-busy").text_content() == "back…"
    assert shown_text(fe_page) == "review number 1"
    assert option(fe_page, "Neutral").get_attribute("aria-checked") == "true"
    fe_page.evaluate("window.__nb.python.answerRequests()")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-text').textContent === 'review number 0'")
    assert "is-pending" not in fe_page.locator(".nblabel").get_attribute("class")
    assert option(fe_page, "Positive").get_attribute("aria-checked") == "true"  # the answer given earlier


def test_a_coin_flip_suggestion_is_a_hint_beside_the_options_not_a_selection(fe_page):
    """Python's payload for a 52% suggestion (order="uncertain"): named beside the options, Enter does not take it."""
    import pandas as pd

    import nblabel
    lab = nblabel.Labeler(pd.DataFrame({"text": ["meh", "great"]}), SENTIMENT, annotator="a", store=":memory:",
                          order="uncertain", predictor=lambda ts: [("Negative", 0.52 if t["data"]["text"] == "meh"
                                                                    else 0.97) for t in ts])
    payload = task_payload(lab, lab._cursor.queue.head())
    assert payload["data"] == {"text": "meh"} and payload["prefill"] is None
    mount(fe_page, lab._config.to_json(), [payload])
    assert fe_page.locator(".nblabel-model-hint").text_content().startswith("model suggests: Negative (52%)")
    assert "is-hinted" in option(fe_page, "Negative").get_attribute("class")
    assert fe_page.locator(".nblabel-option[aria-checked=true]").count() == 0
    assert fe_page.locator(".nblabel-badge").is_hidden()  # no "⏎ accepts"
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_function("() => /Nothing selected/.test(document.querySelector('.nblabel-hint').textContent)")
    assert received(fe_page, "submit") == []
    fe_page.keyboard.press("2")  # agreeing is a pick
    fe_page.keyboard.press("Enter")
    result = wait_received(fe_page, "submit", 1)[0]["result"]
    lab.send = lambda content, buffers=None: None
    deliver(lab, {"type": "submit", "id": "u", "key": payload["key"], "result": result, "lead_time": 1})
    assert lab.to_pandas().loc[0, "annotations"][0]["result"][0]["origin"] == "prediction"
    assert lab.suggestion_stats()["accepted"].tolist() == [True]
    lab.close()


def test_the_wait_for_the_first_task_says_what_python_is_loading(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2), wait=False, holdHello=True,
          loading="Loading the model all-MiniLM-L6-v2, then scoring 2 tasks to put the least certain first…")
    fe_page.wait_for_function("() => /all-MiniLM-L6-v2/.test(document.querySelector('.nblabel-loading')?.textContent)")
    fe_page.evaluate("window.__nb.python.send(window.__nb.python.state(window.__nb.python.helloId))")  # model ready
    fe_page.wait_for_function("() => !document.querySelector('.nblabel-loading')")
    assert shown_text(fe_page) == "review number 0"


# -- safety --------------------------------------------------------------------------------------------------

PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def test_task_text_and_config_attributes_are_never_html(fe_page):
    xml = f"""<View><Header value="{PAYLOAD.replace('"', '&quot;').replace('<', '&lt;')}"/>
      <Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="{PAYLOAD.replace('"', '&quot;').replace('<', '&lt;')}"/></Choices>
    </View>"""
    mount(fe_page, xml, [task("0", {"text": PAYLOAD})])
    assert shown_text(fe_page) == PAYLOAD
    assert fe_page.locator(".nblabel-header").text_content() == PAYLOAD
    assert fe_page.locator(".nblabel-option-label").text_content() == PAYLOAD
    fe_page.wait_for_timeout(100)
    assert fe_page.locator(".nblabel img, .nblabel script").count() == 0
    assert fe_page.evaluate("window.__xss") is None


def test_style_tag_is_scoped_to_the_widget(fe_page):
    xml = """<View>
      <Style>
        body { background: rgb(255, 0, 0) !important; }
        .jp-Notebook { display: none !important; }
        #outside, .jp-Cell { visibility: hidden; }
        html body .nblabel-text { color: rgb(1, 2, 3); }
        .my-box { border: 3px solid rgb(0, 128, 0); }
        @import url("http://example.invalid/x.css");
        @media (min-width: 10px) { div { outline: 4px solid rgb(0, 0, 255); } }
      </Style>
      <View className="my-box" style="position: fixed; top: 0; left: 0; width: 100vw; height: 100vh">
        <Text name="text" value="$text"/>
      </View>
      <Choices name="c" toName="text"><Choice value="A"/></Choices>
    </View>"""
    mount(fe_page, xml, text_tasks(1))
    page_style = fe_page.evaluate("""() => ({
        body: getComputedStyle(document.body).backgroundColor,
        nb: getComputedStyle(document.querySelector('.jp-Notebook')).display,
        outside: getComputedStyle(document.getElementById('outside')).visibility,
        outsideOutline: getComputedStyle(document.getElementById('outside')).outlineStyle,
        text: getComputedStyle(document.querySelector('.nblabel-text')).color,
        box: getComputedStyle(document.querySelector('.my-box')).borderTopColor,
        boxPos: getComputedStyle(document.querySelector('.my-box')).position,
        css: document.querySelector('style[data-nblabel-style]').textContent,
    })""")
    assert page_style["body"] != "rgb(255, 0, 0)"
    assert page_style["nb"] == "block"
    assert page_style["outside"] == "visible"
    assert page_style["outsideOutline"] == "none"
    assert page_style["text"] == "rgb(1, 2, 3)"  # rules still apply inside the widget
    assert page_style["box"] == "rgb(0, 128, 0)"
    assert page_style["boxPos"] != "fixed"
    assert "@import" not in page_style["css"]


# -- errors, summary, odd data ---------------------------------------------------------------------------------


def test_unsupported_tag_shows_error_and_blocks_submit(fe_page):
    xml = """<View><Object3D name="scene" value="$scene"/><Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="A"/></Choices></View>"""
    mount(fe_page, xml, [task("0", {"scene": "x.glb", "text": "hello"}), task("1", {"scene": "y.glb", "text": "b"})])
    err = fe_page.locator(".nblabel-error")
    assert err.count() == 1 and err.text_content() == "<Object3D> is not supported yet"
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    assert "not supported" in fe_page.locator(".nblabel-hint").text_content()
    fe_page.wait_for_timeout(50)
    assert received(fe_page, "submit") == []


def test_state_error_is_a_blocking_error(fe_page):
    mount(fe_page, SENTIMENT, [], error='Text value="$review": no column "review" in the data (columns: text)')
    err = fe_page.locator(".nblabel-error")
    assert err.is_visible() and 'no column "review"' in err.text_content()
    assert fe_page.locator(".nblabel-summary").count() == 0


def test_summary_when_no_tasks_left(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(2))
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    fe_page.keyboard.press("s")
    summary = fe_page.locator(".nblabel-summary")
    summary.wait_for()
    assert "1 skipped task still needs a label" in summary.text_content()  # a skipped task is not labeled
    assert [s.strip() for s in summary.locator(".nblabel-stat").all_text_contents()] == ["1labeled", "1skipped"]


def test_summary_on_mount_with_empty_tasks(fe_page):
    mount(fe_page, SENTIMENT, [])
    assert "All tasks labeled" in fe_page.locator(".nblabel-summary").text_content()


def test_missing_values_show_empty_and_whitespace_is_kept(fe_page):
    mount(fe_page, SENTIMENT, [task("0", {"text": None}), task("1", {"text": "a  b\n\n  c"}),
                               task("2", {"text": "x" * 20000})])
    text = fe_page.locator(".nblabel-text")
    assert text.text_content() == "(empty)" and "is-empty" in text.get_attribute("class")
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    assert text.text_content() == "a  b\n\n  c"
    assert text.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    box = text.evaluate("e => [e.clientHeight, e.scrollHeight, getComputedStyle(e).overflowY]")
    assert box[0] <= 340 and box[1] > box[0] and box[2] == "auto"


def test_lead_time_counts_only_focused_time(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    fe_page.wait_for_timeout(400)  # on screen but not focused: does not count
    focus(fe_page)
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_timeout(300)  # focused: counts
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    first, second = wait_received(fe_page, "submit", 2)
    assert first["lead_time"] < 0.25
    assert second["lead_time"] >= 0.29


def test_cleanup_removes_every_listener_and_the_dom(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    # made by initialize: the router, and the session's link watching comm_live_update and comm:close
    assert fe_page.evaluate("window.__nb.model._listenerCount()") == 4
    fe_page.evaluate("window.__nb.cleanup()")  # the view's cleanup: its DOM goes, the model's router stays
    assert fe_page.locator(".nblabel").count() == 0
    assert fe_page.evaluate("window.__nb.model._listenerCount()") == 4
    fe_page.evaluate("window.__nb.initCleanup()")  # the model goes away
    assert fe_page.evaluate("window.__nb.model._listenerCount()") == 0


def test_two_views_of_one_model_share_one_session(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(4))
    fe_page.evaluate("""async () => {
        const host = document.createElement('div'); host.id = 'host2'; document.body.append(host);
        window.__nb.cleanup2 = await window.__nb.def.render({model: window.__nb.model, el: host});
    }""")
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-text').length === 2")
    fe_page.locator(".nblabel").first.focus()
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_function("() => [...document.querySelectorAll('.nblabel-text')]"
                              ".every(e => e.textContent === 'review number 1')")
    assert len(wait_received(fe_page, "submit", 1)) == 1
    fe_page.evaluate("window.__nb.cleanup2()")
    # one router per model, not per view, the status echo, plus the session's link watching comm_live_update and
    # comm:close
    assert fe_page.evaluate("window.__nb.model._listenerCount()") == 4
    assert fe_page.locator(".nblabel-text").count() == 1
    fe_page.evaluate("window.__nb.cleanup()")
    fe_page.evaluate("window.__nb.initCleanup()")
    assert fe_page.evaluate("window.__nb.model._listenerCount()") == 0


def test_status_from_python_is_written_back_once_per_revision(fe_page):
    """marimo re-runs the cells reading a widget only on a browser write: each new `status` revision is echoed once
    (two views, one echo, living as long as the model), an old or repeated revision never."""
    mount(fe_page, SENTIMENT, text_tasks(2))
    fe_page.evaluate("""async () => {
        const host = document.createElement('div'); document.body.append(host);
        window.__nb.cleanup2 = await window.__nb.def.render({model: window.__nb.model, el: host});
    }""")
    saved = """(s) => { const m = window.__nb.model; m._pySet('status', s); return m.log.saved.map(x => x.status); }"""
    one = {"done": 1, "revision": 1}
    assert fe_page.evaluate(saved, one) == [one]
    assert fe_page.evaluate(saved, one) == [one]  # the same revision again: no second write
    assert fe_page.evaluate(saved, {"done": 0, "revision": 0}) == [one]  # an older one: none either
    two = {"done": 2, "revision": 2}
    assert fe_page.evaluate(saved, two) == [one, two]
    fe_page.evaluate("window.__nb.cleanup2(); window.__nb.cleanup(); window.__nb.initCleanup()")
    assert fe_page.evaluate(saved, {"done": 3, "revision": 3}) == [one, two]  # the model is gone: nothing listens


def test_config_tree_converter_matches_design_shape():
    tree = config_tree(SENTIMENT)
    assert tree["tag"] == "View" and tree["kind"] == "visual" and tree["supported"] is True
    choices = tree["children"][1]
    assert choices["kind"] == "control" and choices["attrs"]["toName"] == "text"
    assert [c["attrs"]["value"] for c in choices["children"]] == ["Positive", "Negative", "Neutral"]

"""Browser interaction tests for the structure controls: taxonomy leaf with search, ranking into
buckets, pairwise choice, a `visibleWhen` control appearing and disappearing, ParagraphLabels and HyperTextLabels
spans — each ends as the exact Label Studio JSON expected."""

from __future__ import annotations

import pytest

from frontend_page import missing_reason, mount, task
from test_frontend_spans import drag, strip_ids, submit

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]


def tree(xml: str) -> dict:
    from nblabel.config._parse import parse_config

    return parse_config(xml).to_json()


TAXONOMY = """<View><Text name="text" value="$text"/>
  <Taxonomy name="taxonomy" toName="text">
    <Choice value="Archaea"/><Choice value="Bacteria"/>
    <Choice value="Eukarya"><Choice value="Human"/><Choice value="Oppossum"/></Choice>
  </Taxonomy></View>"""


def test_taxonomy_search_then_digit_picks_a_leaf(fe_page):
    mount(fe_page, tree(TAXONOMY), [task("a", {"text": "t"})])
    fe_page.locator(".nblabel-tax-search").fill("opp")
    assert fe_page.locator(".nblabel-tax-node:visible").all_text_contents()[-1].startswith("Oppossum")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")  # visible: Eukarya (1), Oppossum (2)
    result = submit(fe_page)
    assert strip_ids(result) == [{"from_name": "taxonomy", "to_name": "text", "type": "taxonomy",
                                  "value": {"taxonomy": [["Eukarya", "Oppossum"]]}}]


RANKER = """<View><List name="answers" value="$items" title="Answers"/>
  <Ranker name="rank" toName="answers"><Bucket name="best" title="Best"/><Bucket name="bad" title="Bad"/></Ranker>
</View>"""
ITEMS = [{"id": "a", "title": "A", "body": "first"}, {"id": "b", "title": "B", "body": "second"},
         {"id": "c", "title": "C", "body": "third"}]


def test_rank_items_into_buckets_with_keys_and_buttons(fe_page):
    mount(fe_page, tree(RANKER), [task("a", {"items": ITEMS})])
    root = fe_page.locator(".nblabel")
    assert fe_page.locator(".nblabel-ranker-column").count() == 3  # best, bad, not sorted
    root.focus()
    fe_page.keyboard.press("3")  # item c (all start in "Not sorted", the last column)
    fe_page.keyboard.press("Shift+ArrowLeft")  # → bad
    fe_page.keyboard.press("Shift+ArrowLeft")  # → best
    fe_page.locator('.nblabel-ranker-item[data-item="b"] .nblabel-move', has_text="←").click()  # b → bad
    fe_page.locator('.nblabel-ranker-item[data-item="a"] .nblabel-move', has_text="←").click()  # a → bad
    root.focus()
    fe_page.keyboard.press("ArrowUp")  # a above b in "bad"
    result = submit(fe_page)
    assert strip_ids(result) == [{"from_name": "rank", "to_name": "answers", "type": "ranker",
                                  "value": {"ranker": {"best": ["c"], "bad": ["a", "b"], "_": []}}}]


PAIRWISE = """<View><Pairwise name="pw" toName="text1,text2"/>
  <Text name="text1" value="$a"/><Text name="text2" value="$b"/></View>"""


def test_pairwise_choice_by_key_and_click(fe_page):
    mount(fe_page, tree(PAIRWISE), [task("a", {"a": "left text", "b": "right text"})])
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    fe_page.locator(".nblabel-pairwise-side").nth(1).click()
    result = submit(fe_page)
    assert strip_ids(result) == [{"from_name": "pw", "to_name": "pw", "type": "pairwise",
                                  "value": {"selected": "right"}}]


VISIBLE = """<View><Text name="text" value="$text"/>
  <Choices name="toxic" toName="text"><Choice value="Yes"/><Choice value="No"/></Choices>
  <View visibleWhen="choice-selected" whenTagName="toxic" whenChoiceValue="Yes">
    <Choices name="kind" toName="text" choice="multiple"><Choice value="Insult"/><Choice value="Threat"/></Choices>
  </View></View>"""


def test_visible_when_control_appears_and_disappears(fe_page):
    mount(fe_page, tree(VISIBLE), [task("a", {"text": "t"}), task("b", {"text": "u"})])
    kind = fe_page.locator('.nblabel-choices[data-name="kind"]')
    assert not kind.is_visible()
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # toxic = Yes
    assert kind.is_visible()
    fe_page.locator(".nblabel-option", has_text="Threat").click()
    fe_page.locator(".nblabel-option", has_text="No").click()  # hides kind again: its answer is not sent
    assert not kind.is_visible()
    first = submit(fe_page)
    assert strip_ids(first) == [{"from_name": "toxic", "to_name": "text", "type": "choices",
                                 "value": {"choices": ["No"]}}]
    fe_page.keyboard.press("1")
    fe_page.locator(".nblabel-option", has_text="Insult").click()
    second = submit(fe_page, 2)
    assert strip_ids(second) == [
        {"from_name": "toxic", "to_name": "text", "type": "choices", "value": {"choices": ["Yes"]}},
        {"from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["Insult"]}}]


PARAGRAPHS = """<View><ParagraphLabels name="slot" toName="dlg"><Label value="Person"/></ParagraphLabels>
  <Paragraphs name="dlg" value="$dialogue" layout="dialogue"/></View>"""


def test_paragraph_span(fe_page):
    dialogue = [{"author": "Alice", "text": "Hi, Bob."}, {"author": "Bob", "text": "Hello, Alice 😀!"}]
    mount(fe_page, tree(PARAGRAPHS), [task("a", {"dialogue": dialogue})])
    u16 = fe_page.evaluate("() => 'Hello, Alice 😀!'.indexOf('Alice')")
    drag(fe_page, u16, u16 + 5, sel=".nblabel-paragraph:nth-child(2) .nblabel-paragraph-text")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    assert strip_ids(submit(fe_page)) == [{"from_name": "slot", "to_name": "dlg", "type": "paragraphlabels", "value": {
        "start": "1", "end": "1", "startOffset": 7, "endOffset": 12, "text": "Alice", "paragraphlabels": ["Person"]}}]


HYPER = """<View><HyperTextLabels name="ner" toName="html"><Label value="ORG"/></HyperTextLabels>
  <HyperText name="html" value="$html"/></View>"""


def test_hypertext_span_in_label_studio_xpath_shape(fe_page):
    mount(fe_page, tree(HYPER), [task("a", {"html": "<h1>John works</h1><p>at <b>Acme</b> Inc. now</p>"})])
    fe_page.locator(".nblabel-label", has_text="ORG").click()
    # "Acme Inc." = 'Acme' in <b> + ' Inc.' in the p's second text node; global offsets 13..22
    drag(fe_page, 13, 22, sel=".nblabel-hypertext")
    result = submit(fe_page)
    assert strip_ids(result) == [{"from_name": "ner", "to_name": "html", "type": "hypertextlabels", "value": {
        "start": "/p[1]/b[1]/text()[1]", "end": "/p[1]/text()[2]", "startOffset": 0, "endOffset": 5,
        "globalOffsets": {"start": 13, "end": 22}, "text": "Acme Inc.", "hypertextlabels": ["ORG"]}}]


CHAT = """<View><Chat name="chat" value="$chat" toName="chat" minMessages="2" messageroles="user,assistant"
  editable="true"/>
</View>"""


def test_editable_chat_adds_messages_and_enforces_min_messages(fe_page):
    mount(fe_page, tree(CHAT), [task("a", {"chat": []})])
    fe_page.locator(".nblabel-chat-composer textarea").fill("Hello there")
    fe_page.locator(".nblabel-chat-composer button").click()
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    assert "at least 2 messages" in fe_page.locator(".nblabel-hint").text_content()
    fe_page.locator(".nblabel-chat-composer textarea").fill("Hi! How can I help?")  # role moved on to assistant
    fe_page.locator(".nblabel-chat-composer button").click()
    result = submit(fe_page)
    msg = lambda r: r["value"]["chatmessage"]  # noqa: E731
    assert [(r["from_name"], r["to_name"], r["type"], msg(r)["role"], msg(r)["content"])
            for r in result] == [("chat", "chat", "chatmessage", "user", "Hello there"),
                                 ("chat", "chat", "chatmessage", "assistant", "Hi! How can I help?")]
    assert all(isinstance(r["value"]["chatmessage"]["createdAt"], int) for r in result)

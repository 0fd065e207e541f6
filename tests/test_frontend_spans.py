"""Spans on Text in the built front end (fake model): mouse and keyboard selection, overlapping regions, word
granularity, relabel / delete, relations, per-region controls, code-point offsets with emoji.

Every test ends on the exact Label Studio result the fake Python receives.
"""

from __future__ import annotations

import pytest

from frontend_page import missing_reason, mount, task, wait_received
from helpers import task_payload

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

NER = """<View>
  <Labels name="label" toName="text">
    <Label value="PER" background="red"/><Label value="ORG" background="blue" hotkey="o"/>
    <Label value="LOC" maxUsages="1"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

WORDS = NER.replace('<Text name="text" value="$text"/>', '<Text name="text" value="$text" granularity="word"/>')

RELATIONS = """<View>
  <Relations><Relation value="works_for"/><Relation value="founded"/></Relations>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true" rows="1"/>
</View>"""

SAMPLE = "Bill Gates founded Microsoft in Albuquerque"

# (node index, offset) of a UTF-16 offset inside the text element, as a point on screen
_POINT = """([sel, off, side]) => {
  const root = document.querySelector(sel);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let n, left = off;
  while ((n = walker.nextNode())) {
    if (side === 'end' ? left <= n.length : left < n.length) break;
    left -= n.length;
  }
  const r = document.createRange();
  const a = side === 'end' ? left - 1 : left;
  r.setStart(n, a); r.setEnd(n, a + 1);
  const box = r.getBoundingClientRect();
  return side === 'end' ? [box.right - 1, box.top + box.height / 2] : [box.left + 1, box.top + box.height / 2];
}"""


def drag(page, start: int, end: int, sel: str = ".nblabel-text") -> None:
    """Select [start, end) (UTF-16 offsets of the shown text) with the real mouse."""
    x0, y0 = page.evaluate(_POINT, [sel, start, "start"])
    x1, y1 = page.evaluate(_POINT, [sel, end, "end"])
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y1, steps=3)
    page.mouse.move(x1, y1, steps=3)
    page.mouse.up()


def submit(page, n: int = 1) -> list[dict]:
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def strip_ids(result: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in result]


def span(start, end, text, label, name="label"):
    return {"from_name": name, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_select_then_label_with_mouse_and_digit(fe_page):
    mount(fe_page, NER, [task("a", {"text": SAMPLE})])
    drag(fe_page, 0, 10)
    assert fe_page.locator(".nblabel-span.is-pending").count() == 1
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    assert fe_page.locator(".nblabel-region-row").count() == 1
    result = submit(fe_page)
    assert strip_ids(result) == [span(0, 10, "Bill Gates", "PER")]


def test_label_then_select_and_overlapping_spans(fe_page):
    mount(fe_page, NER, [task("a", {"text": SAMPLE})])
    fe_page.locator(".nblabel-label", has_text="ORG").click()  # armed
    drag(fe_page, 19, 28)  # Microsoft
    drag(fe_page, 5, 28)  # Gates founded Microsoft, overlapping
    assert fe_page.locator(".nblabel-region-row").count() == 2
    result = submit(fe_page)
    assert strip_ids(result) == [span(19, 28, "Microsoft", "ORG"), span(5, 28, "Gates founded Microsoft", "ORG")]
    assert len({r["id"] for r in result}) == 2


def test_keyboard_selection_hotkey_relabel_and_delete(fe_page):
    mount(fe_page, NER, [task("a", {"text": SAMPLE})])
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Shift+ArrowRight")  # "Bill"
    fe_page.keyboard.press("Shift+ArrowRight")  # "Bill Gates"
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Alt+ArrowRight")  # next word after the region: "founded"
    fe_page.keyboard.press("Alt+ArrowRight")  # "Microsoft"
    fe_page.keyboard.press("o")  # the ORG hotkey
    fe_page.keyboard.press("Shift+ArrowRight")
    fe_page.keyboard.press("3")  # LOC "in"
    fe_page.keyboard.press("Shift+ArrowRight")
    fe_page.keyboard.press("3")  # LOC again: maxUsages=1 refuses
    assert "at most 1" in fe_page.locator(".nblabel-hint").text_content()
    # relabel the LOC region by selecting it in the list, then delete "in" with the Delete key
    fe_page.locator(".nblabel-region-row", has_text="LOC").click()
    fe_page.keyboard.press("Delete")
    assert fe_page.locator(".nblabel-region-row").count() == 2
    fe_page.locator(".nblabel-region-row", has_text="Microsoft").click()
    fe_page.keyboard.press("1")  # relabel ORG → PER
    result = submit(fe_page)
    assert strip_ids(result) == [span(0, 10, "Bill Gates", "PER"), span(19, 28, "Microsoft", "PER")]


def test_word_granularity_widens_to_words(fe_page):
    mount(fe_page, WORDS, [task("a", {"text": SAMPLE})])
    drag(fe_page, 2, 7)  # "ll Ga"
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")
    assert strip_ids(submit(fe_page)) == [span(0, 10, "Bill Gates", "ORG")]


def test_offsets_are_code_points_with_emoji_and_prefill_roundtrips(fe_page):
    text = "👨‍👩‍👧 family 🇫🇷 Paris 😀 ok"
    paris = text.index("Paris")  # code points, as Python counts
    pre = [{"id": "r1", **span(paris, paris + 5, "Paris", "LOC")}]
    mount(fe_page, NER, [task("a", {"text": text}, prefill=pre, prefill_from="annotation")])
    u16 = fe_page.evaluate("(t) => t.indexOf('ok')", text)
    drag(fe_page, u16, u16 + 2)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    result = submit(fe_page)
    ok = text.index("ok")
    assert result[0] == pre[0]
    assert strip_ids(result[1:]) == [span(ok, ok + 2, "ok", "PER")]
    for r in result:
        assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]


def test_relation_between_two_spans_and_per_region_text(fe_page):
    mount(fe_page, RELATIONS, [task("a", {"text": SAMPLE})])
    root = fe_page.locator(".nblabel")
    drag(fe_page, 0, 10)
    root.focus()
    fe_page.keyboard.press("1")
    drag(fe_page, 19, 28)
    root.focus()
    fe_page.keyboard.press("2")
    rows = fe_page.locator(".nblabel-region-row")
    rows.nth(0).click()  # select Bill Gates
    fe_page.keyboard.press("r")
    fe_page.locator(".nblabel-span", has_text="Microsoft").click()  # the other end, in the text
    assert fe_page.locator(".nblabel-relation-row").count() == 1
    fe_page.locator(".nblabel-rel-label", has_text="works_for").click()
    fe_page.locator(".nblabel-direction").click()  # right → left
    rows.nth(1).click()  # Microsoft: its per-region note
    fe_page.locator(".nblabel-per-region .nblabel-field").fill("a company")
    result = submit(fe_page)
    by_type = {}
    for r in result:
        by_type.setdefault(r["type"], []).append(r)
    a, b = by_type["labels"]
    assert by_type["relation"] == [{"from_id": a["id"], "to_id": b["id"], "type": "relation", "direction": "left",
                                    "labels": ["works_for"]}]
    assert by_type["textarea"] == [{"id": b["id"], "from_name": "note", "to_name": "text", "type": "textarea",
                                    "value": {"start": 19, "end": 28, "text": ["a company"]}}]


def test_suggested_regions_show_their_own_scores(fe_page):
    pre = [{"id": "s1", "score": 0.91, **span(0, 10, "Bill Gates", "PER")},
           {"id": "s2", "score": 0.42, **span(19, 28, "Microsoft", "ORG")}]
    mount(fe_page, NER, [task("a", {"text": SAMPLE}, prefill=pre, prefill_from="prediction",
                              prediction={"id": 7, "model_version": "m1", "score": 0.6})])
    scores = fe_page.locator(".nblabel-region-row .nblabel-chip-score")
    assert scores.all_text_contents() == ["0.91", "0.42"]
    result = submit(fe_page)  # accepting sends the regions back without scores (origins are Python's job)
    assert [r["id"] for r in result] == ["s1", "s2"] and all("score" not in r for r in result)


def test_python_gives_id_less_suggested_spans_ids_and_enter_accepts_them_drawn(fe_page):
    """An LS prediction without item ids, through the real Labeler payload: drawn, and accepted as drawn."""
    import nblabel
    pred = {"model_version": "m1", "score": 0.9,
            "result": [span(0, 10, "Bill Gates", "PER"), span(19, 28, "Microsoft", "ORG")]}  # no "id"
    lab = nblabel.Labeler([{"id": 1, "data": {"text": SAMPLE}, "predictions": [pred]}], NER, annotator="a",
                          store=":memory:")
    mount(fe_page, lab._config.to_json(), [task_payload(lab, "1")])
    assert fe_page.locator(".nblabel-region-row").count() == 2
    result = submit(fe_page)
    assert strip_ids(result) == pred["result"] and all(r.get("id") for r in result)
    lab.close()


WHEN_LABEL = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="role" toName="text" perRegion="true" rows="1" visibleWhen="region-selected" whenTagName="text"
            whenLabelValue="PER"/>
  <Choices name="overall" toName="text" visibleWhen="no-region-selected"><Choice value="Done"/></Choices>
</View>"""


def test_visible_when_region_selected_follows_the_regions_label(fe_page):
    mount(fe_page, WHEN_LABEL, [task("a", {"text": SAMPLE})])
    role = fe_page.locator(".nblabel-control[data-name=role]")
    overall = fe_page.locator(".nblabel-control[data-name=overall]")
    assert role.is_hidden() and overall.is_visible()
    drag(fe_page, 0, 10)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # PER
    drag(fe_page, 19, 28)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")  # ORG
    rows = fe_page.locator(".nblabel-region-row")
    rows.nth(0).click()  # the PER region: its per-region field shows, the task-level choice hides
    assert role.is_visible() and overall.is_hidden()
    rows.nth(1).click()  # the ORG region: no field for it
    assert role.is_hidden() and overall.is_hidden()
    rows.nth(1).click()  # deselect
    assert role.is_hidden() and overall.is_visible()


def test_empty_region_list_says_how_to_make_a_region_on_each_object(fe_page):
    mount(fe_page, NER, [task("a", {"text": SAMPLE})])
    hint = fe_page.locator(".nblabel-regions .nblabel-muted").first.text_content()
    assert "select text, then press a label key" in hint
    box = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels></View>"""
    mount(fe_page, box, [task("b", {"image": "http://nblabel.test/missing.png"})])
    hint = fe_page.locator(".nblabel-regions .nblabel-muted").first.text_content()
    assert "draw on the image" in hint and "select text" not in hint

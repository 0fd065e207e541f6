"""Review mode draws every annotator's regions on the task (built front end, fake model playing a Labeler with
`mode="review"`): spans underlined, boxes outlined, audio segments as bands, one colour per annotator, read-only
under the editable answer; a toggle chip per annotator and the `o` key cycle whose are drawn (all → each → none →
all); accept still sends only the answer on screen. TextArea answers are shown side by side, as text.
"""

from __future__ import annotations

import pytest

from frontend_page import DARK, missing_reason, mount, wait_received
from test_frontend_audio import WAV, ready
from test_frontend_image import IMG, H, W
from test_frontend_review import BOXES, NER, SEGMENTS, SENTIMENT, choice, press, review_task, shot

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

TEXT = "Ada Lovelace met Charles Babbage at the Royal Society."

# per highlight of the page: its name, the text each range covers, and the underline colour its rule gives
HIGHLIGHTS = """() => {
    const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules]);
    return [...CSS.highlights].map(([name, hl]) => ({
        name, texts: [...hl].map((r) => r.toString()),
        color: rules.filter((r) => r.selectorText === `::highlight(${name})`).pop()?.style.textDecorationColor ?? null,
    })).sort((a, b) => a.name.localeCompare(b.name));
}"""


def span(rid: str, start: int, end: int, label: str) -> dict:
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


def chips(page) -> dict[str, bool]:
    """Toggle chips: annotator → drawn."""
    bar = page.locator(".nblabel-overlay-chip")
    return dict(zip(bar.evaluate_all("els => els.map(e => e.dataset.annotator)"),
                    bar.evaluate_all("els => els.map(e => e.getAttribute('aria-pressed') === 'true')"), strict=True))


def chip_color(page, who: str) -> str:
    return page.locator(f".nblabel-overlay-chip[data-annotator='{who}'] .nblabel-review-dot").evaluate(
        "e => getComputedStyle(e).backgroundColor")


def css_color(page, value: str) -> str:
    """`value` as the browser computes a colour (rgb(…))."""
    return page.evaluate("(v) => { const e = document.createElement('i'); e.style.color = v; document.body.append(e);"
                         " const c = getComputedStyle(e).color; e.remove(); return c; }", value)


def test_spans_of_each_annotator_are_underlined_in_their_colour_and_cycle(fe_page):
    rita = [span("r1", 0, 12, "PER"), span("r2", 17, 32, "PER")]
    sam = [span("s1", 0, 3, "PER"), span("s2", 40, 53, "ORG")]
    mount(fe_page, NER, [review_task("a", {"text": TEXT}, [rita[0]], [("rita", rita), ("sam", sam)])], mode="review")
    drawn = fe_page.evaluate(HIGHLIGHTS)
    assert [d["texts"] for d in drawn] == [["Ada Lovelace", "Charles Babbage"], ["Ada", "Royal Society"]]
    colors = [d["color"] for d in drawn]
    assert colors[0] != colors[1]
    assert [css_color(fe_page, c) for c in colors] == [chip_color(fe_page, "rita"), chip_color(fe_page, "sam")]
    # the text's DOM is the editable answer's alone: the overlays add no element and no text
    assert fe_page.locator(".nblabel-span[data-region]").all_text_contents() == ["Ada Lovelace"]
    assert fe_page.locator(".nblabel-text").text_content() == TEXT
    assert chips(fe_page) == {"rita": True, "sam": True}

    press(fe_page, "]", "]")  # sam's version is the editable answer now; the overlays are painted again over it
    assert fe_page.locator(".nblabel-span[data-region]").all_text_contents() == ["Ada", "Royal Society"]
    assert [d["texts"] for d in fe_page.evaluate(HIGHLIGHTS)] == [
        ["Ada Lovelace", "Charles Babbage"], ["Ada", "Royal Society"]]
    shot(fe_page, "review-overlay-spans")

    press(fe_page, "o")  # all → rita only
    assert chips(fe_page) == {"rita": True, "sam": False}
    assert [d["texts"] for d in fe_page.evaluate(HIGHLIGHTS)] == [["Ada Lovelace", "Charles Babbage"]]
    press(fe_page, "o")  # → sam only
    assert [d["texts"] for d in fe_page.evaluate(HIGHLIGHTS)] == [["Ada", "Royal Society"]]
    press(fe_page, "o")  # → none
    assert fe_page.evaluate(HIGHLIGHTS) == [] and chips(fe_page) == {"rita": False, "sam": False}
    press(fe_page, "o")  # → all again
    assert len(fe_page.evaluate(HIGHLIGHTS)) == 2
    fe_page.locator(".nblabel-overlay-chip[data-annotator='rita']").click()
    assert [d["texts"] for d in fe_page.evaluate(HIGHLIGHTS)] == [["Ada", "Royal Society"]]
    press(fe_page, "?")
    legend = fe_page.locator(".nblabel-legend-row", has_text="Regions drawn on the task")
    assert legend.locator("kbd").text_content() == "o"
    press(fe_page, "?", "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == sam  # the version on screen, nothing of the overlays


def box(rid: str, x: float, y: float, label: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": 20, "height": 30, "rotation": 0, "rectanglelabels": [label]}}


OUTLINES = """() => [...document.querySelectorAll('.nblabel-overlays > *')].map((e) => {
    const r = e.getBoundingClientRect();
    return {slot: e.dataset.annotatorSlot, tag: e.tagName, stroke: getComputedStyle(e).stroke,
            events: getComputedStyle(e).pointerEvents, rect: [r.left, r.top, r.width, r.height]};
})"""


def test_boxes_of_each_annotator_are_outlined_where_their_percent_says(fe_page):
    rita = [box("r1", 5, 10, "Car"), box("r2", 50, 50, "Person")]
    sam = [box("s1", 70, 20, "Car")]
    tiny = {"id": "p1", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
               "value": {"x": 1, "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Car"]}}
    mount(fe_page, BOXES, [review_task("a", {"image": IMG}, [rita[0]], [("rita", rita), ("sam", sam + [tiny])])],
          mode="review", theme=DARK)
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-overlays > *').length === 4")
    drawn = fe_page.evaluate(OUTLINES)
    assert [d["slot"] for d in drawn] == ["0", "0", "1", "1"] and {d["tag"] for d in drawn} == {"rect"}
    assert drawn[0]["stroke"] != drawn[2]["stroke"]
    assert {d["events"] for d in drawn} == {"none"}
    img = fe_page.locator(".nblabel-image img").bounding_box()
    for d, (x, y) in zip(drawn, [(5, 10), (50, 50), (70, 20)], strict=False):
        left, top, width, height = d["rect"]
        # the outline's stroke is drawn on the box's edge: its bounds are the box ± half the stroke
        assert left + width / 2 == pytest.approx(img["x"] + img["width"] * (x + 10) / 100, abs=1)
        assert top + height / 2 == pytest.approx(img["y"] + img["height"] * (y + 15) / 100, abs=1)
        assert width == pytest.approx(img["width"] * 0.2, abs=4)
    # rita's r1 is also the editable answer: the overlay sits exactly under it, and the editable one is on top
    editable = fe_page.locator("rect.nblabel-shape[data-region='r1']").bounding_box()
    centre = drawn[0]["rect"][0] + drawn[0]["rect"][2] / 2
    assert editable["x"] + editable["width"] / 2 == pytest.approx(centre, abs=0.5)
    on_top = fe_page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-region')",
                              [editable["x"] + 2, editable["y"] + editable["height"] / 2])
    assert on_top == "r1"
    # where only an overlay is, the pointer reaches the image, not the overlay
    left, top, width, height = drawn[2]["rect"]
    hit = fe_page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('.nblabel-overlays') === null",
                           [left + 1.5, top + height / 2])
    assert hit
    shot(fe_page, "review-overlay-boxes-dark")
    fe_page.locator(".nblabel-overlay-chip[data-annotator='sam']").click()
    assert [d["slot"] for d in fe_page.evaluate(OUTLINES)] == ["0", "0"]
    press(fe_page, "o")  # rita only (by hand) is a step of the cycle: → sam only
    assert [d["slot"] for d in fe_page.evaluate(OUTLINES)] == ["1", "1"]
    press(fe_page, "o")  # → none
    assert fe_page.evaluate(OUTLINES) == [] and chips(fe_page) == {"rita": False, "sam": False}
    press(fe_page, "o")  # → all
    assert len(fe_page.evaluate(OUTLINES)) == 4
    press(fe_page, "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == [rita[0]]


def seg(rid: str, start: float, end: float, label: str) -> dict:
    return {"id": rid, "from_name": "labels", "to_name": "audio", "type": "labels",
            "value": {"start": start, "end": end, "channel": 0, "labels": [label]}}


BANDS = """() => {
    const track = document.querySelector('.nblabel-audio-track').getBoundingClientRect();
    return [...document.querySelectorAll('.nblabel-audio-overlay')].map((e) => {
        const r = e.getBoundingClientRect();
        return {slot: e.dataset.annotatorSlot, color: getComputedStyle(e).backgroundColor,
                events: getComputedStyle(e).pointerEvents, bottom: r.bottom,
                from: (r.left - track.left) / track.width, to: (r.right - track.left) / track.width};
    });
}"""


def test_audio_segments_of_each_annotator_are_bands_in_their_lane(fe_page):
    rita = [seg("r1", 0.1, 0.9, "Speech")]
    sam = [seg("s1", 0.2, 0.8, "Speech"), seg("s2", 1.2, 1.9, "Noise")]
    mount(fe_page, SEGMENTS, [review_task("a", {"audio": WAV}, rita, [("rita", rita), ("sam", sam)])], mode="review")
    ready(fe_page)
    duration = float(fe_page.locator(".nblabel-audio").get_attribute("data-duration"))
    bands = fe_page.evaluate(BANDS)
    assert [b["slot"] for b in bands] == ["0", "1", "1"]
    for b, (start, end) in zip(bands, [(0.1, 0.9), (0.2, 0.8), (1.2, 1.9)], strict=True):
        assert b["from"] == pytest.approx(start / duration, abs=0.005)
        assert b["to"] == pytest.approx(end / duration, abs=0.005)
    assert bands[0]["color"] != bands[1]["color"] and bands[1]["color"] == bands[2]["color"]
    assert bands[0]["bottom"] > bands[1]["bottom"]  # each annotator in a lane of their own
    assert {b["events"] for b in bands} == {"none"}
    assert fe_page.locator(".nblabel-audio-region").count() == 1  # the editable answer: the consensus alone
    shot(fe_page, "review-overlay-audio")
    press(fe_page, "o")
    assert [b["slot"] for b in fe_page.evaluate(BANDS)] == ["0"]
    press(fe_page, "o", "o")
    assert fe_page.evaluate(BANDS) == []
    press(fe_page, "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == rita


def test_text_answers_side_by_side_as_text_and_no_overlay_bar_without_regions(fe_page):
    evil = '<img src=x onerror="window.__pwned=1">'
    note = lambda rid, text: {"id": rid, "from_name": "note", "to_name": "text", "type": "textarea",  # noqa: E731
                              "value": {"text": [text]}}
    answers = [(evil, [choice("Positive", "e1"), note("e2", evil)]),
               ("sam", [choice("Negative", "s1"), note("s2", "line one\nline two")]),
               ("uma", [choice("Positive", "u1")])]
    mount(fe_page, SENTIMENT, [review_task("a", {"text": "what a day"}, [choice("Positive", "c1")], answers)],
          mode="review")
    items = fe_page.locator(".nblabel-textarea .nblabel-beside-item")
    assert items.locator(".nblabel-beside-who").all_text_contents() == [evil, "sam", "uma"]
    assert items.locator(".nblabel-beside-text").all_text_contents() == [evil, "line one\nline two", "—"]
    assert fe_page.locator(".nblabel img").count() == 0 and fe_page.evaluate("window.__pwned") is None
    assert fe_page.locator(".nblabel-overlay-bar").is_hidden()  # nothing to draw on a choices task
    assert fe_page.locator(".nblabel-field").input_value() == ""  # the consensus has no note: the field stays empty
    shot(fe_page, "review-beside")
    press(fe_page, "Enter")
    [msg] = wait_received(fe_page, "submit", 1)
    assert msg["result"] == [choice("Positive", "c1")]


SHAPES = """<View>
  <Image name="image" value="$image"/>
  <KeyPointLabels name="kp" toName="image"><Label value="Nose" background="#16a34a"/></KeyPointLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Roof" background="#9333ea"/></PolygonLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Wheel" background="#ea580c"/></EllipseLabels>
</View>"""


def test_polygons_ellipses_and_keypoints_are_outlined_in_natural_pixels(fe_page):
    def item(rid, name, kind, label, **value):
        return {"id": rid, "from_name": name, "to_name": "image", "type": f"{kind}labels",
                "value": {**value, f"{kind}labels": [label]}}
    roof = item("r1", "poly", "polygon", "Roof", points=[[10, 10], [40, 10], [25, 60]], closed=True)
    wheel = item("s1", "ell", "ellipse", "Wheel", x=70, y=50, radiusX=10, radiusY=20, rotation=0)
    nose = item("s2", "kp", "keypoint", "Nose", x=50, y=80, width=1)
    mount(fe_page, SHAPES, [review_task("a", {"image": IMG}, [], [("rita", [roof]), ("sam", [wheel, nose])])],
          mode="review")
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-overlays > *').length === 3")
    drawn = fe_page.evaluate("""() => [...document.querySelectorAll('.nblabel-overlays > *')].map((e) => ({
        tag: e.tagName, slot: e.dataset.annotatorSlot, events: getComputedStyle(e).pointerEvents,
        points: e.getAttribute('points'), cx: e.getAttribute('cx'), cy: e.getAttribute('cy'),
        rx: e.getAttribute('rx'), ry: e.getAttribute('ry')}))""")
    assert [(d["tag"], d["slot"]) for d in drawn] == [("polygon", "0"), ("ellipse", "1"), ("circle", "1")]
    assert drawn[0]["points"].split() == [f"{W * 0.1:g},{H * 0.1:g}", f"{W * 0.4:g},{H * 0.1:g}",
                                          f"{W * 0.25:g},{H * 0.6:g}"]
    assert [float(drawn[1][k]) for k in ("cx", "cy", "rx", "ry")] == [W * 0.7, H * 0.5, W * 0.1, H * 0.2]
    assert [float(drawn[2][k]) for k in ("cx", "cy")] == [W * 0.5, H * 0.8]
    assert {d["events"] for d in drawn} == {"none"}
    assert fe_page.locator(".nblabel-shape[data-region]").count() == 0  # the empty consensus: nothing editable
    press(fe_page, "o")
    assert [d["tag"] for d in fe_page.evaluate("() => [...document.querySelectorAll('.nblabel-overlays > *')]"
                                                ".map((e) => ({tag: e.tagName}))")] == ["polygon"]


def test_hypertext_spans_across_elements_are_underlined(fe_page):
    config = """<View>
      <HyperTextLabels name="ner" toName="page"><Label value="PER" background="#e11d48"/></HyperTextLabels>
      <HyperText name="page" value="$html"/>
    </View>"""
    html = "<p>Ada <b>Lovelace</b> met <i>Charles</i> Babbage.</p>"
    text = "Ada Lovelace met Charles Babbage."

    def hspan(rid, part):
        start = text.index(part)
        return {"id": rid, "from_name": "ner", "to_name": "page", "type": "hypertextlabels",
                "value": {"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 0, "text": part,
                          "globalOffsets": {"start": start, "end": start + len(part)}, "hypertextlabels": ["PER"]}}
    mount(fe_page, config, [review_task("a", {"html": html}, [], [("rita", [hspan("r1", "Ada Lovelace")]),
                                                                 ("sam", [hspan("s1", "met Charles Babbage")])])],
          mode="review")
    assert [d["texts"] for d in fe_page.evaluate(HIGHLIGHTS)] == [["Ada Lovelace"], ["met Charles Babbage"]]
    assert fe_page.locator(".nblabel-hypertext b").text_content() == "Lovelace"  # the page's own markup is kept
    press(fe_page, "o", "o", "o")
    assert fe_page.evaluate(HIGHLIGHTS) == []

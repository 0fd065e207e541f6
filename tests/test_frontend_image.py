"""Image regions in the built front end (fake model): draw / move / resize / rotate / nudge a box, polygons,
keypoints, ellipses, Label Studio's split format with a per-region transcription (OCR), multipage `valueList`, zoom,
prefill round trips, unsafe image URLs and offline media.

Every test ends on the exact Label Studio result the fake Python receives. Images are local `data:` PNGs made here
with zlib; pixel positions are natural image pixels, turned into screen points through the stage's box, and expected
percentages are `px / size * 100` like Label Studio's.
"""

from __future__ import annotations

import base64
import functools
import struct
import zlib

import pytest

from frontend_page import LIGHT, mount, task, wait_received
from frontend_page import missing_reason

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]


@functools.lru_cache(maxsize=None)
def png(width: int, height: int) -> str:
    """A data: URL of a width×height RGB PNG (a soft gradient with a grid, so screenshots show where shapes sit)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            grid = x % 50 == 0 or y % 50 == 0
            rows += bytes((90, 90, 110) if grid else (200 - y * 80 // height, 215 - x * 60 // width, 235))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(raw).decode()


W, H = 400, 200
IMG = png(W, H)

BOXES = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#e11d48"/><Label value="Person" background="#2563eb"/>
  </RectangleLabels>
</View>"""

SHAPES = """<View>
  <Relations><Relation value="part_of"/></Relations>
  <KeyPointLabels name="kp" toName="image"><Label value="Nose" background="#16a34a"/></KeyPointLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Roof" background="#9333ea"/></PolygonLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Wheel" background="#ea580c"/></EllipseLabels>
  <RectangleLabels name="box" toName="image"><Label value="Car" background="#e11d48"/></RectangleLabels>
  <Image name="image" value="$image"/>
  <TextArea name="note" toName="image" perRegion="true" rows="1"/>
  <Choices name="quality" toName="image" perRegion="true" showInline="true">
    <Choice value="clear"/><Choice value="occluded"/>
  </Choices>
</View>"""

OCR = """<View>
  <Image name="image" value="$ocr"/>
  <Labels name="label" toName="image">
    <Label value="Text" background="green"/>
    <Label value="Handwriting" background="blue"/>
  </Labels>
  <Rectangle name="bbox" toName="image" strokeWidth="3"/>
  <Polygon name="poly" toName="image" strokeWidth="3"/>
  <TextArea name="transcription" toName="image" editable="true" perRegion="true" required="true"
            maxSubmissions="1" rows="5" placeholder="Recognized Text" displayMode="region-list"/>
</View>"""

PAGES = """<View>
  <RectangleLabels name="rectangles" toName="pdf" showInline="true">
    <Label value="Title" background="green"/><Label value="Date" background="blue"/>
  </RectangleLabels>
  <Image valueList="$pages" name="pdf"/>
</View>"""


# -- helpers ---------------------------------------------------------------------------------------------------

def loaded(page, n: int = 1) -> None:
    page.wait_for_function("(n) => [...document.querySelectorAll('.nblabel-image-img')]"
                           ".filter(i => i.complete && i.naturalWidth && i.closest('.nblabel-image-view:not([hidden])')"
                           " && i.parentElement.style.visibility !== 'hidden').length >= n", arg=n)


def stage_box(page, i: int = 0) -> dict:
    """The stage's screen box, after scrolling the whole picture into the viewport (labels above it push it down)."""
    return page.evaluate("(i) => { const v = document.querySelectorAll('.nblabel-image-view')[i];"
                         " v.scrollIntoView({block: 'nearest'});"
                         " const r = v.querySelector('.nblabel-image-stage').getBoundingClientRect();"
                         " return {x: r.left, y: r.top, w: r.width, h: r.height}; }", i)


def at(page, x: float, y: float, size=(W, H)) -> tuple[float, float]:
    """Natural image px → a screen point."""
    b = stage_box(page)
    return b["x"] + x / size[0] * b["w"], b["y"] + y / size[1] * b["h"]


def drag(page, a, b, size=(W, H), steps: int = 6) -> None:
    page.mouse.move(*at(page, *a, size=size))
    page.mouse.down()
    page.mouse.move(*at(page, *b, size=size), steps=steps)
    page.mouse.up()


def click(page, x, y, size=(W, H)) -> None:
    page.mouse.click(*at(page, x, y, size=size))


def focus(page) -> None:
    page.locator(".nblabel").focus()


def submit(page, n: int = 1) -> list[dict]:
    focus(page)
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def pct(px: float, size: float) -> float:
    return px / size * 100


def rect_value(x, y, w, h, rot=0.0, size=(W, H)) -> dict:
    return {"x": pct(x, size[0]), "y": pct(y, size[1]), "width": pct(w, size[0]), "height": pct(h, size[1]),
            "rotation": rot}


def approx(obj):
    """pytest.approx through nested dicts / lists (floats from the browser's own arithmetic)."""
    if isinstance(obj, dict):
        return {k: approx(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [approx(v) for v in obj]
    if isinstance(obj, float):
        return pytest.approx(obj, abs=1e-9)
    return obj


def item(from_name, type_, value, to_name="image", size=(W, H), **top) -> dict:
    return {"from_name": from_name, "to_name": to_name, "type": type_, "original_width": size[0],
            "original_height": size[1], "image_rotation": 0, "value": value, **top}


def strip_ids(result):
    return [{k: v for k, v in r.items() if k != "id"} for r in result]


# -- rectangles ------------------------------------------------------------------------------------------------

def test_draw_move_resize_rotate_and_nudge_a_box(fe_page):
    mount(fe_page, BOXES, [task("a", {"image": IMG}), task("b", {"image": IMG})])
    loaded(fe_page)
    focus(fe_page)
    fe_page.keyboard.press("1")  # arm Car
    assert "drag a box" in fe_page.locator(".nblabel-hint").text_content()
    drag(fe_page, (40, 20), (140, 80))
    assert fe_page.locator(".nblabel-region-row").count() == 1
    assert fe_page.locator(".nblabel-shape[data-region]").count() == 1
    # move: select it by clicking it (label disarmed first: with a label armed a press draws), then drag its body
    fe_page.keyboard.press("1")  # disarm
    drag(fe_page, (90, 50), (110, 60))  # → x 60..160, y 30..90
    assert fe_page.locator(".nblabel-region-row.is-selected").count() == 1
    # resize by the south-east handle
    drag(fe_page, (160, 90), (200, 110))  # → 140 × 80
    # rotate by the handle above the top edge: pointer straight right of the centre = 90°
    handle = fe_page.locator(".nblabel-handle[data-handle='rot']")
    hb = handle.bounding_box()
    fe_page.mouse.move(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
    fe_page.mouse.down()
    fe_page.mouse.move(*at(fe_page, 230, 70), steps=5)
    fe_page.mouse.up()
    # nudge: ← must move the box, not go back a task; ↑ stops at the image's edge (top corner at y = 0)
    focus(fe_page)
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "Shift+ArrowDown", "ArrowUp"):
        fe_page.keyboard.press(key)
    assert wait_received(fe_page, "back", 0) == []
    result = submit(fe_page)
    # centre (130, 70), 140 × 80 turned 90° about the centre: the rotation anchor (top-left corner) is (170, 0);
    # then +1 px right, +10 −1 px down
    expected = item("label", "rectanglelabels", {**rect_value(171, 9, 140, 80, 90.0), "rectanglelabels": ["Car"]})
    assert strip_ids(result) == [approx(expected)]


def test_arrows_without_a_selection_keep_their_actions_and_delete_removes_the_box(fe_page):
    mount(fe_page, BOXES, [task("a", {"image": IMG}), task("b", {"image": IMG})])
    loaded(fe_page)
    focus(fe_page)
    fe_page.keyboard.press("2")
    drag(fe_page, (10, 10), (50, 50))
    drag(fe_page, (200, 100), (300, 180))
    fe_page.keyboard.press("2")  # disarm
    click(fe_page, 30, 30)  # select the first box
    fe_page.keyboard.press("Delete")
    result = submit(fe_page)
    person = {**rect_value(200, 100, 100, 80), "rectanglelabels": ["Person"]}
    assert strip_ids(result) == [approx(item("label", "rectanglelabels", person))]
    loaded(fe_page)
    fe_page.keyboard.press("ArrowLeft")  # nothing selected: ← is "back" again
    wait_received(fe_page, "back", 1)


def test_draw_first_then_label_and_zoomed_drawing(fe_page):
    mount(fe_page, BOXES, [task("a", {"image": IMG})])
    loaded(fe_page)
    drag(fe_page, (20, 20), (60, 40))  # no label armed: a dashed pending shape
    assert fe_page.locator(".nblabel-shape.is-pending").count() == 1
    focus(fe_page)
    fe_page.keyboard.press("2")  # labels it
    assert fe_page.locator(".nblabel-shape.is-pending").count() == 0
    # zoom in twice with the keys and once with Ctrl+wheel, then draw: percentages stay in natural pixels
    fe_page.keyboard.press("+")
    fe_page.keyboard.press("+")
    fe_page.mouse.move(*at(fe_page, 200, 100))
    fe_page.keyboard.down("Control")
    fe_page.mouse.wheel(0, -200)
    fe_page.keyboard.up("Control")
    level = fe_page.locator(".nblabel-image-zoom-level").text_content()
    assert int(level.rstrip("%")) > 160
    fe_page.keyboard.press("1")
    drag(fe_page, (180, 90), (200, 110))
    fe_page.keyboard.press("f")  # fit again
    assert fe_page.locator(".nblabel-image-zoom-level").text_content() == "100%"
    result = submit(fe_page)
    assert strip_ids(result) == approx([
        item("label", "rectanglelabels", {**rect_value(20, 20, 40, 20), "rectanglelabels": ["Person"]}),
        item("label", "rectanglelabels", {**rect_value(180, 90, 20, 20), "rectanglelabels": ["Car"]}),
    ])


# -- polygons, keypoints, ellipses -------------------------------------------------------------------------------

def test_polygon_keypoints_and_ellipse(fe_page):
    mount(fe_page, SHAPES, [task("a", {"image": IMG})])
    loaded(fe_page)
    focus(fe_page)
    fe_page.keyboard.press("1")  # Nose (the first control is active)
    click(fe_page, 100, 50)
    click(fe_page, 120, 60)
    scale = stage_box(fe_page)["w"] / W
    fe_page.locator(".nblabel-label", has_text="Roof").click()
    for p in [(200, 20), (260, 20), (250, 90), (330, 180)]:
        click(fe_page, *p)
    focus(fe_page)
    fe_page.keyboard.press("Backspace")  # drop the stray last point
    click(fe_page, 210, 95)
    click(fe_page, 200, 20)  # the first point closes it
    for p in [(10, 150), (60, 150), (30, 190)]:
        click(fe_page, *p)
    focus(fe_page)
    fe_page.keyboard.press("Enter")  # closes the polygon, does not submit
    assert wait_received(fe_page, "submit", 0) == []
    fe_page.locator(".nblabel-label", has_text="Wheel").click()
    drag(fe_page, (300, 100), (380, 140))
    result = submit(fe_page)
    kp_w = pct(1 / scale, W)
    assert strip_ids(result) == approx([
        item("kp", "keypointlabels", {"x": 25.0, "y": 25.0, "width": kp_w, "keypointlabels": ["Nose"]}),
        item("kp", "keypointlabels", {"x": 30.0, "y": 30.0, "width": kp_w, "keypointlabels": ["Nose"]}),
        item("poly", "polygonlabels", {"points": [[50.0, 10.0], [65.0, 10.0], [62.5, 45.0], [52.5, 47.5]],
                                        "closed": True, "polygonlabels": ["Roof"]}),
        item("poly", "polygonlabels", {"points": [[2.5, 75.0], [15.0, 75.0], [7.5, 95.0]], "closed": True,
                                        "polygonlabels": ["Roof"]}),
        item("ell", "ellipselabels", {"x": 85.0, "y": 60.0, "radiusX": 10.0, "radiusY": 10.0, "rotation": 0,
                                      "ellipselabels": ["Wheel"]}),
    ])


def test_polygon_vertex_drag_and_ellipse_radius_handle(fe_page):
    mount(fe_page, SHAPES, [task("a", {"image": IMG})])
    loaded(fe_page)
    fe_page.locator(".nblabel-label", has_text="Roof").click()
    for p in [(100, 20), (160, 20), (130, 80), (100, 20)]:
        click(fe_page, *p)
    fe_page.locator(".nblabel-label", has_text="Wheel").click()
    drag(fe_page, (300, 100), (340, 160))  # centre (320, 130), radii 20 × 30; selected (it has a per-region note)
    fe_page.locator(".nblabel-region-row", has_text="Roof").click()
    drag(fe_page, (130, 80), (140, 100))  # the third vertex (handles edit even with a label armed)
    fe_page.locator(".nblabel-region-row", has_text="Wheel").click()
    drag(fe_page, (340, 130), (360, 130))  # the east radius handle: radiusX 40
    fe_page.locator(".nblabel-per-region .nblabel-option", has_text="occluded").click()  # per-region Choices
    result = submit(fe_page)
    wheel = {"x": 80.0, "y": 65.0, "radiusX": 10.0, "radiusY": 15.0, "rotation": 0}
    assert strip_ids(result) == approx([
        item("poly", "polygonlabels", {"points": [[25.0, 10.0], [40.0, 10.0], [35.0, 50.0]], "closed": True,
                                        "polygonlabels": ["Roof"]}),
        item("ell", "ellipselabels", {**wheel, "ellipselabels": ["Wheel"]}),
        item("quality", "choices", {**wheel, "choices": ["occluded"]}),
    ])


# -- OCR: generic Labels + plain tools (split format) + per-region transcription ------------------------------------

def test_ocr_split_format_with_transcription(fe_page):
    mount(fe_page, OCR, [task("a", {"ocr": IMG})])
    loaded(fe_page)
    focus(fe_page)
    fe_page.keyboard.press("1")  # Text (generic Labels, the first control)
    assert "draw on the image" in fe_page.locator(".nblabel-hint").text_content()
    drag(fe_page, (40, 40), (200, 80))  # the Rectangle tool is current
    area = fe_page.locator(".nblabel-per-region textarea")
    area.wait_for(state="visible")  # the new region is selected: its transcription field shows
    area.fill("Hello world")
    fe_page.keyboard.press("Escape")
    fe_page.locator(".nblabel-image-tool", has_text="poly").click()
    for p in [(240, 100), (300, 100), (300, 160)]:
        click(fe_page, *p)
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    fe_page.locator(".nblabel-per-region textarea").fill("é")
    fe_page.keyboard.press("Control+Enter")
    result = wait_received(fe_page, "submit", 1)[-1]["result"]
    assert len({r["id"] for r in result}) == 2
    box = rect_value(40, 40, 160, 40)
    tri = {"points": [[60.0, 50.0], [75.0, 50.0], [75.0, 80.0]], "closed": True}
    assert strip_ids(result) == approx([
        item("label", "labels", {**box, "labels": ["Text"]}),
        item("bbox", "rectangle", box),
        item("transcription", "textarea", {**box, "text": ["Hello world"]}),
        item("label", "labels", {**tri, "labels": ["Text"]}),
        item("poly", "polygon", tri),
        item("transcription", "textarea", {**tri, "text": ["é"]}),
    ])


def test_plain_rectangle_tool_writes_no_label_key(fe_page):
    config = """<View><Image name="image" value="$image"/><Rectangle name="bbox" toName="image"/>
      <Choices name="ok" toName="image"><Choice value="fine"/></Choices></View>"""
    mount(fe_page, config, [task("a", {"image": IMG})])
    loaded(fe_page)
    drag(fe_page, (0.4, 0.4), (399.6, 199.6))  # the whole image, snapped to whole pixels
    result = submit(fe_page)
    whole = {"x": 0.0, "y": 0.0, "width": 100.0, "height": 100.0, "rotation": 0}
    assert strip_ids(result) == [item("bbox", "rectangle", whole)]


def test_labels_from_the_task_value_attribute(fe_page):
    """Inventory-tracking template: `<PolygonLabels value="$objects">` takes its labels from each task."""
    config = ('<View><PolygonLabels name="objects" toName="image" value="$objects"/>'
              '<Image name="image" value="$image"/></View>')
    shelf = [{"value": "CocaCola", "html": "<img src=x onerror='window.__pwned=1'>"}, {"value": "RedBull"}]
    mount(fe_page, config, [task("a", {"image": IMG, "objects": shelf}),
                            task("b", {"image": IMG, "objects": ["Burn"]})])
    loaded(fe_page)
    assert fe_page.locator(".nblabel-label").all_text_contents() == ["CocaCola1", "RedBull2"]
    focus(fe_page)
    fe_page.keyboard.press("2")
    for p in [(100, 100), (140, 100), (120, 140)]:
        click(fe_page, *p)
    focus(fe_page)
    fe_page.keyboard.press("Enter")
    result = submit(fe_page)
    triangle = {"points": [[25.0, 50.0], [35.0, 50.0], [30.0, 70.0]], "closed": True, "polygonlabels": ["RedBull"]}
    assert strip_ids(result) == approx([item("objects", "polygonlabels", triangle)])
    fe_page.locator(".nblabel-label", has_text="Burn").wait_for()
    assert fe_page.locator(".nblabel-label").count() == 1
    assert fe_page.evaluate("window.__pwned") is None


# -- prefill round trips ---------------------------------------------------------------------------------------

_SIZE = {"original_width": W, "original_height": H, "image_rotation": 0}
PREFILL = [
    {"id": "r1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", **_SIZE,
     "value": {"x": 12.5, "y": 20.25, "width": 30.1, "height": 40, "rotation": 33.3, "rectanglelabels": ["Car"]}},
    {"id": "r1", "from_name": "note", "to_name": "image", "type": "textarea", **_SIZE,
     "value": {"x": 12.5, "y": 20.25, "width": 30.1, "height": 40, "rotation": 33.3, "text": ["a car"]}},
    {"id": "p1", "from_name": "poly", "to_name": "image", "type": "polygonlabels", **_SIZE,
     "value": {"points": [[60.1, 10.2], [80, 12], [70, 40.7]], "polygonlabels": ["Roof"]}},
    {"id": "k1", "from_name": "kp", "to_name": "image", "type": "keypointlabels", **_SIZE,
     "value": {"x": 5.5, "y": 90.25, "width": 0.75, "keypointlabels": ["Nose"]}},
    {"id": "e1", "from_name": "ell", "to_name": "image", "type": "ellipselabels", **_SIZE,
     "value": {"x": 50, "y": 70, "radiusX": 8.25, "radiusY": 12, "rotation": 10, "ellipselabels": ["Wheel"]}},
    {"from_id": "p1", "to_id": "r1", "type": "relation", "direction": "right", "labels": ["part_of"]},
]


def test_prefill_paints_the_same_regions_and_comes_back_unchanged(fe_page):
    mount(fe_page, SHAPES, [task("a", {"image": IMG}, prefill=PREFILL, prefill_from="annotation")])
    loaded(fe_page)
    assert fe_page.locator(".nblabel-shape[data-region]").count() == 4
    assert fe_page.locator(".nblabel-region-row").count() == 4
    # the painted box is the prefill's: its SVG rect in natural px, turned about its top-left corner
    rect = fe_page.locator("rect.nblabel-shape[data-region='r1']")
    assert float(rect.get_attribute("x")) == pytest.approx(50)
    assert float(rect.get_attribute("width")) == pytest.approx(120.4)
    assert rect.get_attribute("transform") == f"rotate(33.3 50 {20.25 * 2})"
    result = submit(fe_page)
    assert sorted(result, key=repr) == sorted(PREFILL, key=repr)


def test_split_format_prefill_round_trip_and_relabel(fe_page):
    box = {"x": 10, "y": 10, "width": 20, "height": 30, "rotation": 0}
    prefill = [
        item("bbox", "rectangle", box) | {"id": "b1"},
        item("label", "labels", {**box, "labels": ["Text"]}) | {"id": "b1"},
        item("transcription", "textarea", {**box, "text": ["hi"]}) | {"id": "b1"},
    ]
    mount(fe_page, OCR, [task("a", {"ocr": IMG}, prefill=prefill, prefill_from="annotation"), task("b", {"ocr": IMG})])
    loaded(fe_page)
    assert fe_page.locator(".nblabel-region-row").count() == 1
    result = submit(fe_page)
    assert sorted(result, key=repr) == sorted(prefill, key=repr)


def test_multipage_value_list_pages_and_item_index(fe_page):
    page2 = png(300, 300)
    date = {**rect_value(30, 30, 60, 60, size=(300, 300)), "rectanglelabels": ["Date"]}
    prefill = [item("rectangles", "rectanglelabels", date, to_name="pdf", size=(300, 300), item_index=1) | {"id": "d1"}]
    mount(fe_page, PAGES, [task("a", {"pages": [IMG, page2]}, prefill=prefill, prefill_from="annotation")])
    loaded(fe_page)
    assert fe_page.locator(".nblabel-image-page").text_content() == "1 / 2"
    assert fe_page.locator(".nblabel-shape[data-region]").count() == 0  # the prefilled box is on page 2
    focus(fe_page)
    fe_page.keyboard.press("1")
    drag(fe_page, (0.4, 0.4), (100, 50))  # snapped to whole pixels: (0, 0)
    fe_page.keyboard.press("PageDown")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-image-img').naturalWidth === 300")
    loaded(fe_page)
    assert fe_page.locator(".nblabel-image-page").text_content() == "2 / 2"
    assert fe_page.locator(".nblabel-shape[data-region='d1']").count() == 1
    fe_page.keyboard.press("2")
    drag(fe_page, (150, 150), (299.6, 299.6), size=(300, 300))
    result = submit(fe_page)
    assert sorted(strip_ids(result), key=lambda r: (r["item_index"], r["value"]["x"])) == approx([
        item("rectangles", "rectanglelabels", {**rect_value(0, 0, 100, 50), "rectanglelabels": ["Title"]},
             to_name="pdf", item_index=0),
        strip_ids(prefill)[0],
        item("rectangles", "rectanglelabels",
             {**rect_value(150, 150, 150, 150, size=(300, 300)), "rectanglelabels": ["Date"]},
             to_name="pdf", size=(300, 300), item_index=1),
    ])


# -- unsafe and missing media -------------------------------------------------------------------------------------

SVG_PAYLOAD = ("<svg xmlns='http://www.w3.org/2000/svg' width='50' height='50' onload='window.__pwned=1'>"
               "<script>window.__pwned=2</script><rect width='50' height='50'/></svg>")


UNSAFE = [
    "javascript:window.__pwned=3",
    "JaVaScRiPt:window.__pwned=3//.png",
    "data:image/svg+xml;base64," + base64.b64encode(SVG_PAYLOAD.encode()).decode(),
    "data:image/svg+xml," + SVG_PAYLOAD,
    "data:text/html,<script>window.__pwned=4</script>",
]


def test_unsafe_image_urls_run_nothing_and_show_the_media_error(fe_page):
    config = """<View><Image name="image" value="$image"/>
      <Choices name="c" toName="image"><Choice value="yes"/></Choices></View>"""
    mount(fe_page, config, [task(str(i), {"image": url}) for i, url in enumerate(UNSAFE)])
    for i, url in enumerate(UNSAFE):
        fe_page.wait_for_function("(k) => document.querySelector('.nblabel-media-error') && "
                                  "window.__nb.python.received.filter(m => m.type === 'submit').length === k", arg=i)
        assert fe_page.evaluate("window.__pwned") is None, url
        assert fe_page.locator(".nblabel-image-img").get_attribute("src") in (None, ""), url
        focus(fe_page)
        fe_page.keyboard.press("1")  # labeling goes on
        assert strip_ids(submit(fe_page, i + 1)) == [{"from_name": "c", "to_name": "image", "type": "choices",
                                                      "value": {"choices": ["yes"]}}]
    assert fe_page.evaluate("window.__pwned") is None


def test_unreachable_remote_image_is_a_media_error_and_labeling_goes_on(fe_page):
    fe_page.route("http://unreachable.invalid/**", lambda route: route.abort("internetdisconnected"))
    config = """<View><Image name="image" value="$image"/>
      <RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels>
      <Choices name="c" toName="image"><Choice value="blurry"/><Choice value="sharp"/></Choices></View>"""
    mount(fe_page, config, [task("a", {"image": "http://unreachable.invalid/cat.png"}), task("b", {"image": IMG})])
    err = fe_page.locator(".nblabel-media-error")
    err.wait_for()
    assert "unreachable.invalid/cat.png" in err.text_content()
    fe_page.locator(".nblabel-option", has_text="sharp").click()
    sharp = {"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["sharp"]}}
    assert strip_ids(submit(fe_page)) == [sharp]
    loaded(fe_page)  # the next task's image loads in the same DOM
    assert fe_page.locator(".nblabel-media-error").count() == 0


def test_a_selected_box_among_other_shapes_has_four_corner_handles_and_a_rotation_handle(fe_page):
    """Only the selected region gets handles (scripts/screenshots.py shows this scene in light and dark)."""
    size = (640, 400)
    mount(fe_page, SHAPES, [task("a", {"image": png(*size)}, prefill=[
        item("box", "rectanglelabels", {**rect_value(60, 60, 200, 120, 0, size=size), "rectanglelabels": ["Car"]},
             size=size) | {"id": "s1"},
        item("poly", "polygonlabels", {"points": [[50, 10], [70, 12], [66, 40], [48, 35]], "polygonlabels": ["Roof"]},
             size=size) | {"id": "s2"},
        item("ell", "ellipselabels",
             {"x": 80, "y": 75, "radiusX": 8, "radiusY": 12, "rotation": 20, "ellipselabels": ["Wheel"]},
             size=size) | {"id": "s3"},
        item("kp", "keypointlabels", {"x": 20, "y": 80, "width": 0.5, "keypointlabels": ["Nose"]}, size=size)
        | {"id": "s4"},
    ], prefill_from="annotation")], theme=LIGHT)
    loaded(fe_page)
    assert fe_page.locator(".nblabel-handle").count() == 0
    fe_page.locator(".nblabel-region-row", has_text="Car").click()
    handles = fe_page.locator(".nblabel-handle")
    assert handles.count() == 5  # four corners and the rotation handle
    assert "rot" in [handles.nth(i).get_attribute("data-handle") for i in range(5)]

"""`<Repeater>` in the built front end (fake model): one block per item of the task's list, each with its own
controls, results named as Label Studio names them (`labels_0`, `labels_2`, to_name `page_2`); stacked by default,
one item at a time with `mode="pagination"`; a task with another number of items gets its own blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontend_page import mount, task, wait_received
from frontend_page import missing_reason
from test_frontend_image import approx, png, rect_value

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

W, H = 300, 150
CONFIG = """<View><Header value="Pages"/>
<Repeater on="$images" indexFlag="{{idx}}"{mode}>
  <Header value="$images[{{idx}}].title"/>
  <Image name="page_{{idx}}" value="$images[{{idx}}].url"/>
  <RectangleLabels name="labels_{{idx}}" toName="page_{{idx}}">
    <Label value="Cat" background="#e11d48"/></RectangleLabels>
  <Choices name="quality_{{idx}}" toName="page_{{idx}}" showInline="true">
    <Choice value="ok"/><Choice value="blurred"/></Choices>
</Repeater></View>"""


def _images(n):
    return [{"url": png(W, H), "title": f"page {i}"} for i in range(n)]


def _loaded(page, n):
    page.wait_for_function("(n) => [...document.querySelectorAll('.nblabel-image-img')]"
                           ".filter(i => i.complete && i.naturalWidth && i.closest('.nblabel-image-view:not([hidden])')"
                           " && i.parentElement.style.visibility !== 'hidden').length >= n", arg=n)


def _control(page, name):
    return page.locator(f".nblabel-control[data-name='{name}']")


def _draw(page, k, a, b):
    """Arm Cat of `labels_k` and drag a box on `page_k` (natural px)."""
    _control(page, f"labels_{k}").locator(".nblabel-label").first.click()
    block = page.locator(f".nblabel-repeat-item[data-repeat-index='{k}']")
    block.scroll_into_view_if_needed()
    box = block.locator(".nblabel-image-stage").bounding_box()
    pt = lambda p: (box["x"] + p[0] / W * box["width"], box["y"] + p[1] / H * box["height"])  # noqa: E731
    page.mouse.move(*pt(a))
    page.mouse.down()
    page.mouse.move(*pt(b), steps=6)
    page.mouse.up()


def _submit(page, n=1):
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def _box(k, x, y, w, h):
    return {"from_name": f"labels_{k}", "to_name": f"page_{k}", "type": "rectanglelabels", "original_width": W,
            "original_height": H, "image_rotation": 0, "value": {**rect_value(x, y, w, h, size=(W, H)),
                                                                 "rectanglelabels": ["Cat"]}}


def _plain(result):
    return sorted(({k: v for k, v in r.items() if k != "id"} for r in result), key=lambda r: r["from_name"])


def test_stacked_blocks_answer_under_indexed_names(fe_page):
    mount(fe_page, CONFIG.replace("{mode}", ""), [task("a", {"images": _images(3)}), task("b", {"images": _images(1)})])
    _loaded(fe_page, 3)
    assert fe_page.locator(".nblabel-repeat-item").count() == 3
    assert [fe_page.locator(".nblabel-header").nth(i).text_content() for i in range(4)] == [
        "Pages", "page 0", "page 1", "page 2"]
    _draw(fe_page, 0, (30, 20), (130, 80))
    _draw(fe_page, 2, (60, 30), (120, 90))
    _control(fe_page, "quality_2").locator(".nblabel-option", has_text="blurred").click()
    ARTIFACTS.mkdir(exist_ok=True)
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "repeater_stacked.png"))
    result = _submit(fe_page)
    assert _plain(result) == approx(_plain([
        _box(0, 30, 20, 100, 60), _box(2, 60, 30, 60, 60),
        {"from_name": "quality_2", "to_name": "page_2", "type": "choices", "value": {"choices": ["blurred"]}}]))
    # the next task has one item: one block, named for item 0 only
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-repeat-item').length === 1")
    _control(fe_page, "quality_0").locator(".nblabel-option", has_text="ok").click()
    assert _plain(_submit(fe_page, 2)) == [
        {"from_name": "quality_0", "to_name": "page_0", "type": "choices", "value": {"choices": ["ok"]}}]


def test_pagination_shows_one_item_and_keeps_the_others_answers(fe_page):
    mount(fe_page, CONFIG.replace("{mode}", ' mode="pagination"'), [task("a", {"images": _images(3)})])
    _loaded(fe_page, 1)
    shown = "() => [...document.querySelectorAll('.nblabel-repeat-item')].filter(b => !b.hidden).length"
    assert fe_page.evaluate(shown) == 1
    assert fe_page.locator(".nblabel-repeat-where").text_content() == "1 / 3"
    assert fe_page.locator(".nblabel-repeat-prev").is_disabled()
    _draw(fe_page, 0, (30, 20), (130, 80))
    fe_page.locator(".nblabel-repeat-next").click()
    fe_page.locator(".nblabel-repeat-next").click()
    assert fe_page.locator(".nblabel-repeat-where").text_content() == "3 / 3"
    assert fe_page.locator(".nblabel-repeat-next").is_disabled()
    _loaded(fe_page, 1)
    _draw(fe_page, 2, (60, 30), (120, 90))
    _control(fe_page, "quality_2").locator(".nblabel-option", has_text="ok").click()
    ARTIFACTS.mkdir(exist_ok=True)
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "repeater_paged.png"))
    result = _submit(fe_page)
    assert _plain(result) == approx(_plain([
        _box(0, 30, 20, 100, 60), _box(2, 60, 30, 60, 60),
        {"from_name": "quality_2", "to_name": "page_2", "type": "choices", "value": {"choices": ["ok"]}}]))


LOCAL = """<View><Repeater on="$images">
  <Image name="page_{{idx}}" value="$images[{{idx}}]"/>
  <Choices name="q_{{idx}}" toName="page_{{idx}}"><Choice value="ok"/></Choices>
</Repeater></View>"""


def test_local_files_in_a_plain_list_load_item_by_item(fe_page, tmp_path):
    """A list of local paths (`$images[{{idx}}]`): Python marks each item (field, index), the browser asks for
    each by its index and shows the right picture in the right block."""
    from PIL import Image

    from nblabel import parse_config
    from nblabel.tasks._media import MediaServer

    paths = []
    for i, size in enumerate([(40, 30), (20, 50)]):
        paths.append(tmp_path / f"p{i}.png")
        Image.new("RGB", size, (200, 20 * i, 0)).save(paths[-1])
    server = MediaServer(parse_config(LOCAL))
    data = server.markers("0", {"images": [str(p) for p in paths]})
    assert [m["nblabel_media"]["index"] for m in data["images"]] == [0, 1]
    media = {}
    for i in range(2):
        raw, mime = server.serve("0", {"images": [str(p) for p in paths]}, "images", i, None)
        media[f"0|images|{i}|"] = {"mime": mime, "base64": __import__("base64").b64encode(raw).decode()}
    mount(fe_page, LOCAL, [task("0", data)], media=media)
    fe_page.wait_for_function("() => [...document.querySelectorAll('.nblabel-image-img')]"
                              ".filter(i => i.src.startsWith('blob:') && i.complete && i.naturalWidth).length === 2")
    sizes = fe_page.evaluate("() => [...document.querySelectorAll('.nblabel-repeat-item')].map(b => {"
                             " const i = b.querySelector('.nblabel-image-img');"
                             " return [i.naturalWidth, i.naturalHeight]; })")
    assert sizes == [[40, 30], [20, 50]]


def test_next_tasks_first_item_is_prefetched_and_nothing_else_is_asked(fe_page):
    """The prefetcher reads a repeated Image's value as item 0's (`$images[0].url`), never the template as a
    URL: the next task's first picture is requested ahead, and every request is a picture of the tasks."""
    from test_frontend_image_prefetch import HOST, serve

    log: list[str] = []
    serve(fe_page, log)
    asked: list[str] = []
    fe_page.on("request", lambda r: asked.append(r.url))
    urls = lambda seeds: [{"url": f"{HOST}/{s}.png", "title": str(s)} for s in seeds]  # noqa: E731
    mount(fe_page, CONFIG.replace("{mode}", ""), [task("a", {"images": urls([1, 2])}),
                                                 task("b", {"images": urls([3, 4, 5])})])
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel-repeat-item').length === 2")
    _loaded(fe_page, 2)
    fe_page.wait_for_function(f"() => performance.getEntriesByType('resource').some(e => e.name === '{HOST}/3.png')")
    assert f"{HOST}/3.png" in log  # task b's first item, before b is on screen
    page_requests = [u for u in asked if not u.startswith(("blob:", "data:"))]
    assert all(u.startswith(HOST) and u.rsplit("/", 1)[1] in {"1.png", "2.png", "3.png"} for u in page_requests
               if not u.startswith("http://nblabel.test/"))
    assert not any("%7B%7B" in u or "{{" in u or "%5B" in u for u in asked)  # no template ever used as a URL

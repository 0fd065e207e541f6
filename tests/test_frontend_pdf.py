"""The Pdf object in the built front end (fake model): a local PDF is page images rendered by Python (pypdfium2)
on which OcrLabels draw (`value.pageIndex`); a URL goes to the browser's viewer only as bytes that start with %PDF
(HTML served as a "PDF" never runs); an offline URL is a `.nblabel-media-error` with the open link, and
Choices/Rating on the PDF still submit."""

from __future__ import annotations

import base64

import pytest

from frontend_page import config_tree, missing_reason, mount, task, wait_received

pytestmark = [pytest.mark.browser, pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason()))]

OCR = """<View><OcrLabels name="ocr" toName="pdf"><Label value="Typo"/><Label value="Incorrect Amount"/></OcrLabels>
<Pdf name="pdf" value="$pdf"/></View>"""
CLASSIFY = """<View><Header value="Rate this article"/><Rating name="rating" toName="pdf" maxRating="10"/>
<Choices name="choices" choice="single-radio" toName="pdf" showInline="true">
<Choice value="Important article"/><Choice value="Yellow press"/></Choices><Pdf name="pdf" value="$pdf"/></View>"""


def supported(xml: str) -> dict:
    def mark(node):
        node["supported"] = True
        for c in node["children"]:
            mark(c)
        return node
    return mark(config_tree(xml))


def make_pdf(tmp_path):
    """Two visible pages (200x300 and 300x200 pt), written by Pillow."""
    import numpy as np
    from PIL import Image

    pytest.importorskip("pypdfium2")
    pages = [Image.fromarray(np.full((h, w, 3), c, np.uint8)) for (w, h), c in (((200, 300), 60), ((300, 200), 180))]
    path = tmp_path / "doc.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=72)
    return path


def marker(key: str, **extra) -> dict:
    return {"nblabel_media": {"key": key, "field": "pdf", "index": None, "mime": "application/pdf", "size": 100,
                              "name": "doc.pdf", **extra}}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_local_pdf_pages_take_ocr_boxes(fe_page, tmp_path):
    from nblabel.tasks._media import pdf_page_png

    path = make_pdf(tmp_path)
    media = {f"0|pdf||{i}": {"mime": "image/png", "base64": b64(pdf_page_png(path, i))} for i in range(2)}
    mount(fe_page, supported(OCR), [task("0", {"pdf": marker("0", pages=2)})], media=media)
    img = ".nblabel-pdf img"
    fe_page.wait_for_function(f"() => {{ const i = document.querySelector('{img}');"
                              " return i && i.complete && i.naturalWidth === 417; }")
    asked = wait_received(fe_page, "media", 1)
    assert asked[0]["page"] == 0 and asked[0]["field"] == "pdf"
    assert fe_page.locator(".nblabel-pdf-iframe").count() == 0
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("PageDown")
    fe_page.wait_for_function(f"() => document.querySelector('{img}')?.naturalWidth === 625")
    assert [m["page"] for m in wait_received(fe_page, "media", 2)] == [0, 1]
    fe_page.keyboard.press("1")  # arm "Typo"
    box = fe_page.locator(img).bounding_box()
    fe_page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.25)
    fe_page.mouse.down()
    fe_page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.75, steps=5)
    fe_page.mouse.up()
    fe_page.keyboard.press("Enter")
    [sent] = wait_received(fe_page, "submit", 1)
    [item] = sent["result"]
    assert item["type"] == "ocrlabels" and item["from_name"] == "ocr" and item["to_name"] == "pdf"
    value = item["value"]
    assert value["ocrlabels"] == ["Typo"] and value["pageIndex"] == 1
    assert value["x"] == pytest.approx(20, abs=1) and value["y"] == pytest.approx(25, abs=1)
    assert value["width"] == pytest.approx(40, abs=1) and value["height"] == pytest.approx(50, abs=1)
    assert item.get("original_width") == 625 and item.get("original_height") == 417


def test_pdf_bytes_without_pages_open_in_the_browser_viewer(fe_page, tmp_path):
    data = make_pdf(tmp_path).read_bytes()
    mount(fe_page, supported(CLASSIFY), [task("0", {"pdf": marker("0", size=len(data))})],
          media={"0|pdf||": {"mime": "application/pdf", "base64": b64(data)}})
    fe_page.wait_for_function("() => document.querySelector('.nblabel-pdf-iframe')?.src.startsWith('blob:')")
    src = fe_page.locator(".nblabel-pdf-iframe").get_attribute("src")
    head = fe_page.evaluate("async (u) => new TextDecoder().decode((await (await fetch(u)).arrayBuffer()).slice(0, 5))",
                            src)
    assert head == "%PDF-"
    assert fe_page.locator(".nblabel-pdf-open").get_attribute("href") == src


def test_offline_and_fake_pdfs_are_media_errors_and_choices_still_submit(fe_page):
    fe_page.route("https://evil.test/**", lambda route: route.fulfill(
        status=200, content_type="application/pdf", headers={"Access-Control-Allow-Origin": "*"},
        body="<html><script>window.__pwned = 1</script></html>"))
    tasks = [task("0", {"pdf": "https://offline.invalid/sample.pdf"}), task("1", {"pdf": "https://evil.test/a.pdf"})]
    mount(fe_page, supported(CLASSIFY), tasks)
    assert fe_page.locator(".nblabel-pdf img").count() == 0 or not fe_page.locator(".nblabel-pdf img").is_visible()
    error = fe_page.locator(".nblabel-pdf .nblabel-media-error")
    error.wait_for()
    assert "PDF could not be loaded" in error.text_content() and "offline.invalid/sample.pdf" in error.text_content()
    assert fe_page.locator(".nblabel-pdf-open").get_attribute("href") == "https://offline.invalid/sample.pdf"
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Tab")  # to the Choices
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    [sent] = wait_received(fe_page, "submit", 1)
    assert [{k: v for k, v in r.items() if k != "id"} for r in sent["result"]] == [
        {"from_name": "choices", "to_name": "pdf", "type": "choices", "value": {"choices": ["Yellow press"]}}]
    fe_page.wait_for_function("() => document.querySelector('.nblabel-pdf .nblabel-media-error')?.textContent"
                              ".includes('this is not a PDF file')")
    assert fe_page.locator(".nblabel-pdf-iframe").count() == 0
    assert fe_page.evaluate("() => window.__pwned") is None

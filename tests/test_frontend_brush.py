"""Brush in the browser: the JS RLE codec (js/render/image/rle.js) against Python (nblabel.brush, label_studio_sdk),
and the brush tool on an Image in the built front end (fake model): paint with the mouse, erase, sizes, prefill.

Every tool test ends on the exact Label Studio result the fake Python receives, decoded in Python and compared
with the disks the tool's stamp rule paints (`disk_union` below mirrors js/render/image/brush_mask.js `stamp`)."""

from __future__ import annotations


import numpy as np
import pytest
from label_studio_sdk.converter import brush as sdk_brush

from frontend_page import ROOT, missing_reason
from nblabel.results import _rle

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

RLE_JS = ROOT / "js" / "render" / "image" / "rle.js"
ARTIFACTS = ROOT / "test-artifacts"
RNG = np.random.default_rng(4)


def load_codec(page) -> None:
    """js/render/image/rle.js as a module (it imports nothing) on `window.rle`."""
    page.evaluate("""async (src) => {
      window.rle = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
    }""", RLE_JS.read_text())


def b64(a: np.ndarray) -> str:
    import base64

    return base64.b64encode(np.ascontiguousarray(a, np.uint8).tobytes()).decode()


def unb64(s: str) -> np.ndarray:
    import base64

    return np.frombuffer(base64.b64decode(s), np.uint8)


def _masks():
    yield np.zeros((5, 6), np.uint8)
    yield np.full((4, 3), 255, np.uint8)
    for _ in range(6):
        h, w = (int(x) for x in RNG.integers(1, 80, 2))
        yield ((RNG.random((h, w)) < RNG.random()) * 255).astype(np.uint8)
    yield RNG.integers(0, 256, (37, 29)).astype(np.uint8)
    yy, xx = np.mgrid[:90, :140]
    yield (((yy - 45) ** 2 + (xx - 60) ** 2 < 35**2) * 255).astype(np.uint8)
    long_runs = np.full((130, 130), 255, np.uint8)  # a run longer than 65536 bytes: split like the SDK
    long_runs[0, :] = 0
    yield long_runs


def test_js_codec_equals_python_and_sdk(fe_page):
    load_codec(fe_page)
    masks = list(_masks())
    got = fe_page.evaluate("""(masks) => masks.map(([b64, w, h, rle]) => {
      const flat = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dec = window.rle.rleToAlpha(rle, w, h);
      return [window.rle.encodeMask(flat), btoa(String.fromCharCode(...dec))];
    })""", [[b64(m), m.shape[1], m.shape[0], sdk_brush.mask2rle(m)] for m in masks])
    for m, (enc, dec) in zip(masks, got):
        h, w = m.shape
        assert enc == _rle.mask_to_rle(m) == sdk_brush.mask2rle(m)  # JS writes the SDK's bytes
        np.testing.assert_array_equal(_rle.rle_to_mask(enc, h, w), m)  # Python reads what JS wrote
        np.testing.assert_array_equal(unb64(dec).reshape(h, w), m)  # JS reads what the SDK wrote


def test_js_decodes_literal_blocks_word_sizes_and_refuses_junk(fe_page):
    from test_rle import _rle_pack

    load_codec(fe_page)
    alpha = RNG.integers(0, 256, (20, 30)).astype(np.uint8)
    alpha[3:15, 4:20] = 255
    flat = np.repeat(alpha.ravel(), 4).tolist()
    rle = _rle_pack(flat)
    got = fe_page.evaluate("(rle) => Array.from(window.rle.rleToAlpha(rle, 30, 20))", rle)
    np.testing.assert_array_equal(np.array(got, np.uint8).reshape(20, 30), alpha)
    vals = RNG.integers(0, 1000, 200).tolist() + [999] * 40  # 10-bit words
    assert fe_page.evaluate("(rle) => Array.from(window.rle.decodeRLE(rle))", _rle_pack(vals, word=10)) == vals
    flat = np.repeat(RNG.integers(0, 5, 300), RNG.integers(1, 30, 300)).astype(np.uint8)
    assert fe_page.evaluate("(v) => window.rle.encodeRLE(v)", flat.tolist()) == sdk_brush.encode_rle(flat)
    errors = fe_page.evaluate("""(cases) => cases.map(([rle, w, h]) => {
      try { window.rle.rleToAlpha(rle, w, h); return null; } catch (e) { return String(e.message); }
    })""", [[[177, 39, 137], 10, 10], [_rle.mask_to_rle(np.zeros((3, 4), bool)), 4, 4], [[0, 300], 1, 1]])
    assert errors[0] == "RLE data ends early"
    assert errors[1] == "the RLE holds 48 values, a 4×4 RGBA image has 64"
    assert errors[2] == "an RLE is a list of bytes 0..255"


def test_js_image_data_round_trip(fe_page):
    """Canvas pixels → alpha → RLE: what a layer holds is what gets encoded."""
    load_codec(fe_page)
    mask = ((RNG.random((16, 24)) < 0.4) * 255).astype(np.uint8)
    enc = fe_page.evaluate("""([flat, w, h]) => {
      const img = window.rle.alphaToImageData(Uint8Array.from(flat), w, h, [255, 0, 0]);
      const c = document.createElement("canvas");
      c.width = w; c.height = h;
      const g = c.getContext("2d");
      g.putImageData(img, 0, 0);
      return window.rle.encodeMask(window.rle.alphaOf(g.getImageData(0, 0, w, h)));
    }""", [mask.ravel().tolist(), 24, 16])
    assert enc == sdk_brush.mask2rle(mask)


# ---------------------------------------------------------------------------------------------------------------
# The brush tool on an Image (built bundle, fake model)

SEG = """<View>
  <Image name="image" value="$image" zoom="true"/>
  <BrushLabels name="tag" toName="image">
    <Label value="Airplane" background="rgba(255, 0, 0, 0.7)"/>
    <Label value="Car" background="rgba(0, 0, 255, 0.7)"/>
  </BrushLabels>
</View>"""  # Label Studio's "Semantic Segmentation with Masks" template

W, H = 200, 120


def png_data_url(w: int = W, h: int = H) -> str:
    import base64
    import io

    from PIL import Image

    yy, xx = np.mgrid[:h, :w]
    rgb = np.stack([(xx * 255 // w), (yy * 255 // h), np.full_like(xx, 160)], -1).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def mount_seg(page, prefill=None, xml=SEG, theme=None):
    from frontend_page import mount, task

    origin = "annotation" if prefill else None
    mount(page, xml, [task("a", {"image": png_data_url()}, prefill=prefill, prefill_from=origin)], theme=theme)
    page.wait_for_function("() => { const c = document.querySelector('canvas.nblabel-brush-layer');"
                           " return c && c.width > 0; }")


def stage_box(page) -> dict:
    return page.evaluate("""() => { const r = document.querySelector('.nblabel-image-stage').getBoundingClientRect();
      return {left: r.left, top: r.top, width: r.width, height: r.height}; }""")


def client_point(box: dict, nx: float, ny: float) -> tuple[int, int]:
    """Whole client pixels over natural pixel (nx, ny)."""
    return (round(box["left"] + (nx + 0.5) * box["width"] / W), round(box["top"] + (ny + 0.5) * box["height"] / H))


def natural_pixel(box: dict, cx: int, cy: int) -> tuple[int, int]:
    """What the Image's toNatural (snapped: Math.round) and the brush (edge → last pixel) make of a client point."""
    import math

    x = min(max((cx - box["left"]) / (box["width"] or 1) * W, 0), W)
    y = min(max((cy - box["top"]) / (box["height"] or 1) * H, 0), H)
    return min(math.floor(x + 0.5), W - 1), min(math.floor(y + 0.5), H - 1)


def stroke(page, pts: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Drag the real mouse through natural points `pts`; returns the natural pixels the page saw."""
    box = stage_box(page)
    client = [client_point(box, x, y) for x, y in pts]
    page.mouse.move(*client[0])
    page.mouse.down()
    for c in client[1:]:
        page.mouse.move(*c)
    page.mouse.up()
    return [natural_pixel(box, *c) for c in client]


def capsules(pixels: list[tuple[int, int]], r: float, w: int = W, h: int = H) -> np.ndarray:
    """The stamp rule of js/render/image/brush_mask.js: pixels within r of the polyline (a disk for one point)."""
    yy, xx = np.mgrid[:h, :w]
    out = np.zeros((h, w), bool)
    for a, b in [(pixels[0], pixels[0]), *zip(pixels, pixels[1:])]:
        dx, dy = b[0] - a[0], b[1] - a[1]
        len2 = dx * dx + dy * dy
        t = np.clip(((xx - a[0]) * dx + (yy - a[1]) * dy) / len2, 0, 1) if len2 else 0
        qx = xx - (a[0] + t * dx)
        qy = yy - (a[1] + t * dy)
        out |= qx * qx + qy * qy <= r * r
    return out


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".nblabel").screenshot(path=str(ARTIFACTS / name))


def brush_size(page) -> int:
    return int(page.locator(".nblabel-brush-size").get_attribute("data-size"))


def submit(page, n: int = 1) -> list[dict]:
    from frontend_page import wait_received

    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def layer_alpha(page) -> np.ndarray:
    flat = page.evaluate("""() => { const c = document.querySelector('canvas.nblabel-brush-layer');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const a = []; for (let i = 3; i < d.length; i += 4) a.push(d[i]); return a; }""")
    return np.array(flat, np.uint8).reshape(H, W)


def test_paint_erase_and_sizes_submit_the_painted_pixels(fe_page):
    mount_seg(fe_page)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # arm Airplane
    size0 = brush_size(fe_page)
    fe_page.keyboard.press("]")
    fe_page.keyboard.press("]")
    size = brush_size(fe_page)
    assert size > size0
    seen = stroke(fe_page, [(20, 30), (60, 35), (100, 60), (110, 90)])
    expected = capsules(seen, size / 2)
    seen2 = stroke(fe_page, [(150, 20), (170, 25)])  # same label: the same region
    expected |= capsules(seen2, size / 2)
    fe_page.keyboard.press("[")
    small = brush_size(fe_page)
    assert small < size
    fe_page.keyboard.press("e")  # erase the last painted region
    assert fe_page.locator(".nblabel-brush-erase").get_attribute("aria-pressed") == "true"
    erased = stroke(fe_page, [(50, 20), (60, 50)])
    expected &= ~capsules(erased, small / 2)
    assert fe_page.locator(".nblabel-region-row").count() == 1
    # what the layer shows is what gets saved
    np.testing.assert_array_equal(layer_alpha(fe_page) > 0, expected)
    ring = fe_page.locator(".nblabel-brush-cursor .is-inner")  # the brush outline follows the pointer
    assert ring.is_visible() and float(ring.get_attribute("r")) == small / 2
    shot(fe_page, "brush_paint_erase.png")
    result = submit(fe_page)
    assert len(result) == 1
    item = result[0]
    assert {k: v for k, v in item.items() if k not in ("id", "value")} == {
        "from_name": "tag", "to_name": "image", "type": "brushlabels",
        "original_width": W, "original_height": H, "image_rotation": 0}
    assert item["value"]["format"] == "rle" and item["value"]["brushlabels"] == ["Airplane"]
    assert list(item["value"]) == ["format", "rle", "brushlabels"]
    mask = _rle.rle_to_mask(item["value"]["rle"], H, W)
    np.testing.assert_array_equal(mask, expected.astype(np.uint8) * 255)
    assert item["value"]["rle"] == sdk_brush.mask2rle(expected.astype(np.uint8) * 255)
    # Label Studio's own converter reads it, its LabelInterface accepts it
    layers = sdk_brush.decode_from_annotation("tag", [{**item, **item["value"]}])
    np.testing.assert_array_equal(layers["tag-Airplane-0"], mask)
    from label_studio_sdk.label_interface import LabelInterface

    assert LabelInterface(SEG).validate_region(item)


def test_two_labels_make_two_regions_and_unlabelled_stroke_waits(fe_page):
    from frontend_page import DARK

    mount_seg(fe_page, theme=DARK)
    size = brush_size(fe_page)
    seen = stroke(fe_page, [(30, 30), (40, 40)])  # no label armed: a pending grey stroke
    seen_more = stroke(fe_page, [(10, 80), (12, 100)])  # adds to the pending mask
    assert fe_page.locator(".nblabel-region-row").count() == 0
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")  # labels the pending stroke Car
    assert fe_page.locator(".nblabel-region-row").count() == 1
    fe_page.keyboard.press("1")  # arm Airplane
    seen_a = stroke(fe_page, [(120, 60), (160, 100)])
    assert fe_page.locator(".nblabel-region-row").count() == 2
    shot(fe_page, "brush_two_labels_dark.png")
    result = submit(fe_page)
    by_label = {r["value"]["brushlabels"][0]: _rle.rle_to_mask(r["value"]["rle"], H, W) for r in result}
    np.testing.assert_array_equal(by_label["Car"] > 0, capsules(seen, size / 2) | capsules(seen_more, size / 2))
    np.testing.assert_array_equal(by_label["Airplane"] > 0, capsules(seen_a, size / 2))
    assert len({r["id"] for r in result}) == 2


def _prefill_item(mask: np.ndarray, rid: str = "pre1", label: str = "Car") -> dict:
    return {"id": rid, "from_name": "tag", "to_name": "image", "type": "brushlabels",
            "value": {"format": "rle", "rle": sdk_brush.mask2rle(mask.astype(np.uint8) * 255), "brushlabels": [label]},
            "original_width": W, "original_height": H, "image_rotation": 0}


def test_prefill_paints_back_and_submits_identical_rle(fe_page):
    yy, xx = np.mgrid[:H, :W]
    mask = ((yy - 60) ** 2 + (xx - 80) ** 2 < 30**2) | ((xx > 150) & (yy < 20))
    pre = [_prefill_item(mask)]
    mount_seg(fe_page, prefill=pre)
    fe_page.wait_for_function("() => { const c = document.querySelector('canvas.nblabel-brush-layer');"
                              " return c.getContext('2d').getImageData(80, 60, 1, 1).data[3] > 0; }")
    np.testing.assert_array_equal(layer_alpha(fe_page) > 0, mask)
    assert submit(fe_page) == pre


def test_prefill_selected_then_painted_and_junk_rle_kept(fe_page):
    yy, xx = np.mgrid[:H, :W]
    mask = (yy - 60) ** 2 + (xx - 80) ** 2 < 20**2
    junk = {"id": "junk", "from_name": "tag", "to_name": "image", "type": "brushlabels",
            "value": {"format": "rle", "rle": [177, 39, 137], "brushlabels": ["Airplane"]},
            "original_width": W, "original_height": H, "image_rotation": 0}  # generate_sample_annotation()'s filler
    pre = [_prefill_item(mask), junk]
    mount_seg(fe_page, prefill=pre)
    fe_page.locator(".nblabel-region-row").first.click()  # select the Car region: strokes extend it
    size = brush_size(fe_page)
    seen = stroke(fe_page, [(150, 100), (180, 110)])
    assert fe_page.locator(".nblabel-region-row").count() == 2
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("n")  # unselect: the next stroke (Airplane armed) is a new region
    fe_page.keyboard.press("1")
    apart = stroke(fe_page, [(20, 20), (30, 25)])
    assert fe_page.locator(".nblabel-region-row").count() == 3
    result = submit(fe_page)
    new = next(r for r in result if r["id"] not in ("pre1", "junk"))
    assert new["value"]["brushlabels"] == ["Airplane"]
    np.testing.assert_array_equal(_rle.rle_to_mask(new["value"]["rle"], H, W) > 0, capsules(apart, size / 2))
    car = next(r for r in result if r["id"] == "pre1")
    np.testing.assert_array_equal(_rle.rle_to_mask(car["value"]["rle"], H, W) > 0, mask | capsules(seen, size / 2))
    assert next(r for r in result if r["id"] == "junk") == junk


def test_plain_brush_tool_and_legend(fe_page):
    mount_seg(fe_page, xml="""<View><Image name="image" value="$image"/><Brush name="brush" toName="image"/></View>""")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("?")
    assert "Erase mode on / off" in fe_page.locator(".nblabel").text_content()
    fe_page.keyboard.press("Escape")
    size = brush_size(fe_page)
    a = stroke(fe_page, [(10, 10), (60, 60)])
    b = stroke(fe_page, [(190, 110), (150, 100)])  # the same tool, no labels: the same region
    fe_page.keyboard.press("+")  # zoomed in: strokes still land on natural pixels
    fe_page.keyboard.press("+")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-image-view').classList.contains('is-zoomed')")
    c = stroke(fe_page, [(95, 55), (105, 57), (110, 66)])
    assert fe_page.locator(".nblabel-region-row").count() == 1
    result = submit(fe_page)
    assert len(result) == 1
    item = result[0]
    assert {k: v for k, v in item.items() if k not in ("id", "value")} == {
        "from_name": "brush", "to_name": "image", "type": "brush",
        "original_width": W, "original_height": H, "image_rotation": 0}
    assert list(item["value"]) == ["format", "rle"]
    expected = capsules(a, size / 2) | capsules(b, size / 2) | capsules(c, size / 2)
    np.testing.assert_array_equal(_rle.rle_to_mask(item["value"]["rle"], H, W), expected.astype(np.uint8) * 255)

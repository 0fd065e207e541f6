"""Brush in the browser: the JS RLE codec (js/render/rle.js) against Python (nblabel/_rle.py, label_studio_sdk), and
the brush tool on an Image in the built front end (fake model): paint with the mouse, erase, sizes, prefill.

Every tool test ends on the exact Label Studio result the fake Python receives, decoded in Python and compared
with the disks the tool's stamp rule paints (`disk_union` below mirrors js/render/brush.js `stamp`)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from label_studio_sdk.converter import brush as sdk_brush

from frontend_page import ROOT, missing_reason
from nblabel import _rle
from test_frontend_page import fe_browser, fe_context, fe_page  # noqa: F401  (fixtures)

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

RLE_JS = ROOT / "js" / "render" / "rle.js"
RNG = np.random.default_rng(4)


def load_codec(page) -> None:
    """js/render/rle.js as a module (it imports nothing) on `window.rle`."""
    page.evaluate("""async (src) => {
      window.rle = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
    }""", RLE_JS.read_text())


def _masks():
    yield np.zeros((5, 6), np.uint8)
    yield np.full((4, 3), 255, np.uint8)
    for _ in range(6):
        h, w = (int(x) for x in RNG.integers(1, 80, 2))
        yield ((RNG.random((h, w)) < RNG.random()) * 255).astype(np.uint8)
    yield RNG.integers(0, 256, (37, 29)).astype(np.uint8)
    yy, xx = np.mgrid[:300, :500]
    yield (((yy - 150) ** 2 + (xx - 200) ** 2 < 120**2) * 255).astype(np.uint8)
    long_runs = np.zeros((400, 400), np.uint8)  # runs longer than 65536 bytes, split like the SDK
    long_runs[200:, :] = 255
    yield long_runs


def test_js_codec_equals_python_and_sdk(fe_page):
    load_codec(fe_page)
    masks = list(_masks())
    got = fe_page.evaluate("""(masks) => masks.map(([flat, w, h, rle]) => {
      const enc = window.rle.encodeMask(Uint8Array.from(flat));
      const dec = Array.from(window.rle.rleToAlpha(rle, w, h));
      return [enc, dec];
    })""", [[m.ravel().tolist(), m.shape[1], m.shape[0], sdk_brush.mask2rle(m)] for m in masks])
    for m, (enc, dec) in zip(masks, got):
        h, w = m.shape
        assert enc == _rle.mask_to_rle(m) == sdk_brush.mask2rle(m)  # JS writes the SDK's bytes
        np.testing.assert_array_equal(_rle.rle_to_mask(enc, h, w), m)  # Python reads what JS wrote
        np.testing.assert_array_equal(np.array(dec, np.uint8).reshape(h, w), m)  # JS reads what the SDK wrote


def test_js_decodes_literal_blocks_and_refuses_junk(fe_page):
    from test_rle import _rle_pack

    load_codec(fe_page)
    alpha = RNG.integers(0, 256, (20, 30)).astype(np.uint8)
    alpha[3:15, 4:20] = 255
    flat = np.repeat(alpha.ravel(), 4).tolist()
    rle = _rle_pack(flat)
    got = fe_page.evaluate("(rle) => Array.from(window.rle.rleToAlpha(rle, 30, 20))", rle)
    np.testing.assert_array_equal(np.array(got, np.uint8).reshape(20, 30), alpha)
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

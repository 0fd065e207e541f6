"""Brush RLE speed: encode / decode of 1024 × 1024 masks in Python (nblabel/_rle.py, vs label_studio_sdk) and in
the browser (js/render/image/rle.js in headless Chromium).

Masks: "blobs" (a few painted disks, what a brush region looks like) and "noise" (every pixel random: the worst
case, one run per pixel). Times are the median of `--repeat` runs, in milliseconds.

    python bench/bench_rle.py [--size 1024] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from nblabel.results import _rle  # noqa: E402


def masks(size: int) -> dict[str, np.ndarray]:
    yy, xx = np.mgrid[:size, :size]
    blobs = np.zeros((size, size), bool)
    for cy, cx, r in [(0.3, 0.3, 0.2), (0.6, 0.5, 0.15), (0.75, 0.8, 0.1), (0.2, 0.8, 0.05)]:
        blobs |= (yy - cy * size) ** 2 + (xx - cx * size) ** 2 < (r * size) ** 2
    noise = np.random.default_rng(0).random((size, size)) < 0.5
    return {"blobs": blobs.astype(np.uint8) * 255, "noise": noise.astype(np.uint8) * 255}


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


JS = """async ([src, flat, size, repeat]) => {
  const rle = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
  const alpha = Uint8Array.from(flat);
  const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const enc = [], dec = [];
  let bytes = null;
  for (let i = 0; i < repeat; i++) {
    let t = performance.now(); bytes = rle.encodeMask(alpha); enc.push(performance.now() - t);
    t = performance.now(); rle.rleToAlpha(bytes, size, size); dec.push(performance.now() - t);
  }
  return [med(enc), med(dec), bytes.length];
}"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-sdk", action="store_true", help="skip label_studio_sdk (slow on noise)")
    args = ap.parse_args()
    n, rep = args.size, args.repeat
    from frontend_page import launch, missing_reason
    from playwright.sync_api import sync_playwright

    print(f"{n}x{n} masks, median of {rep} (ms)")
    heads = ("py enc", "py dec", "sdk enc", "sdk dec", "js enc", "js dec")
    print(f"{'mask':6} {'rle bytes':>9} " + " ".join(f"{h:>8}" for h in heads))
    reason = missing_reason()
    with sync_playwright() as p:
        browser = None if reason else launch(p)
        page = browser.new_page() if browser else None
        for name, m in masks(n).items():
            rle = _rle.mask_to_rle(m)
            py_enc = median_ms(lambda m=m: _rle.mask_to_rle(m), rep)
            py_dec = median_ms(lambda rle=rle: _rle.rle_to_mask(rle, n, n), rep)
            sdk_enc = sdk_dec = float("nan")
            if not args.no_sdk:
                from label_studio_sdk.converter import brush

                sdk_rep = 1 if name == "noise" else rep
                sdk_enc = median_ms(lambda m=m: brush.mask2rle(m), sdk_rep)
                sdk_dec = median_ms(lambda rle=rle: brush.decode_rle(rle), sdk_rep)
            js_enc = js_dec = float("nan")
            if page:
                rle_js = (ROOT / "js/render/image/rle.js").read_text()
                js_enc, js_dec, js_len = page.evaluate(JS, [rle_js, m.ravel().tolist(), n, rep])
                assert js_len == len(rle)
            times = (py_enc, py_dec, sdk_enc, sdk_dec, js_enc, js_dec)
            print(f"{name:6} {len(rle):9d} " + " ".join(f"{t:8.1f}" for t in times))
        if browser:
            browser.close()
    if reason:
        print(f"(browser skipped: {reason})")


if __name__ == "__main__":
    main()

"""Image tasks: key → next task painted, in the browser (target: median ≤ 16 ms), and key → the next
image decoded with its regions drawn.

Mounts the BUILT bundle with the fake model (tests/fake_model.js) holding N object-detection tasks: a 1024×768 PNG
(`data:` URL; three different pictures in turn, so the `<img>` really changes) and a suggestion of 20 boxes that
Enter accepts. Per Enter press, in the page:

  t0     performance.now() in a capture-phase keydown listener on `document`;
  paint  the frame after the keydown (rAF + setTimeout 0): the next task's DOM is in place (labels, region list);
  ready  the `<img>` has loaded the next picture and its 20 boxes are in the SVG layer (polled per frame).

    python bench/bench_image.py [--tasks 200]
"""

from __future__ import annotations

import argparse
import base64
import statistics
import struct
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from frontend_page import launch, missing_reason, mount, open_page, task  # noqa: E402

SIZE = (1024, 768)
CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car"/><Label value="Person"/><Label value="Bike"/>
  </RectangleLabels>
</View>"""

PROBE = """() => {
  window.__lat = [];
  let t0 = 0, handled = 0;
  document.querySelector('.nblabel').addEventListener('keydown', () => { handled = performance.now() - t0; });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    t0 = performance.now();
    const before = document.querySelector('.nblabel-task-id')?.textContent;
    const sample = {};
    requestAnimationFrame(() => setTimeout(() => {
      sample.paint = performance.now() - t0;
      sample.handler = handled;
      sample.changed = document.querySelector('.nblabel-task-id')?.textContent !== before;
      const poll = () => {
        const img = document.querySelector('.nblabel-image-img');
        const ok = img.complete && img.naturalWidth && img.parentElement.style.visibility !== 'hidden'
          && document.querySelectorAll('.nblabel-shape[data-region]').length === window.__boxes
          && (!window.__boxes || Number(document.querySelector('rect.nblabel-shape')?.getAttribute('width')) > 0);
        if (ok) { sample.ready = performance.now() - t0; window.__lat.push(sample); }
        else requestAnimationFrame(poll);
      };
      poll();
    }, 0));
  }, true);
}"""


def png(w: int, h: int, seed: int) -> str:
    rows = _rows(w, h, seed)
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def _rows(w: int, h: int, seed: int) -> bytes:
    line = bytes(v for x in range(w) for v in ((x * 3 + seed * 70) % 256, (x + seed * 40) % 256, 160))
    return b"".join(b"\x00" + line[(y * 3) % 30:] + line[: (y * 3) % 30] for y in range(h))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--size", default="1024x768")
    ap.add_argument("--boxes", type=int, default=20)
    args = ap.parse_args()
    global SIZE
    SIZE = tuple(int(v) for v in args.size.split("x"))
    reason = missing_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    pictures = [png(*SIZE, s) for s in range(3)]
    boxes = [{"id": f"b{i:02d}", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
              "original_width": 1024, "original_height": 768, "image_rotation": 0,
              "value": {"x": 4 * i, "y": 3 * i, "width": 10, "height": 8, "rotation": 0,
                        "rectanglelabels": [["Car", "Person", "Bike"][i % 3]]}} for i in range(args.boxes)]
    tasks = [task(str(i), {"image": pictures[i % 3]}, prefill=boxes, prefill_from="prediction",
                  prediction={"id": 1, "model_version": "v1", "score": 0.9}) for i in range(args.tasks)]
    with sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser.new_context(viewport={"width": 1100, "height": 900}))
        mount(page, CONFIG, tasks, ackDelay=2)
        page.evaluate(f"window.__boxes = {args.boxes}")
        page.wait_for_function(
            "() => document.querySelectorAll('.nblabel-shape[data-region]').length === window.__boxes")
        page.evaluate(PROBE)
        page.locator(".nblabel").focus()
        for i in range(args.tasks - 1):
            page.keyboard.press("Enter")
            page.wait_for_function("(n) => window.__lat.length >= n", arg=i + 1)
        samples = page.evaluate("window.__lat")
        browser.close()
    paint = [s["paint"] for s in samples]
    ready = [s["ready"] for s in samples]
    print(f"{len(samples)} Enter presses, {SIZE[0]}×{SIZE[1]} PNG + {args.boxes} suggested boxes per task:")
    print(f"  key → next task painted:          median {statistics.median(paint):6.2f} ms   "
          f"p95 {pct(paint, 95):6.2f} ms")
    print(f"  key → image decoded, boxes drawn: median {statistics.median(ready):6.2f} ms   "
          f"p95 {pct(ready, 95):6.2f} ms")
    handler = [s["handler"] for s in samples]
    print(f"  JS time in the keydown handler:   median {statistics.median(handler):6.2f} ms   "
          f"p95 {pct(handler, 95):6.2f} ms")
    print(f"  presses whose frame still showed the old task: {sum(1 for s in samples if not s['changed'])}")
    ok = statistics.median(paint) <= 16.0
    print(f"target median ≤ 16 ms (task painted): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

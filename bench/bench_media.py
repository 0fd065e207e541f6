"""Local media transport (docs/DESIGN.md "Media"): what it costs to send an image's bytes to the browser.

1. Python only: `media` request → bytes for a 1 MB PNG file, 1 MB of bytes in a cell, a 1000x1000x3 numpy image
   (encoded on first request — BMP for grey/RGB — cached after), and a 2-page PDF page render; `state` with a 6-task
   window of
   numpy images, cold (encodes) and warm (cached).
2. Real JupyterLab + headless Chromium: run a cell showing a Labeler on a local 1 MB PNG; the clock starts at
   run-cell and stops when (a) the task is painted and (b) the `<img>` has loaded the blob URL — (b) − (a) is the
   media round trip (request → kernel reads the file → 1 MB buffer over the comm → blob URL → decode). Same for a
   tiny image as the baseline.

Run: .venv/bin/python bench/bench_media.py [--runs 5] [--skip-browser]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import nblabel  # noqa: E402

CONFIG = """<View><Image name="img" value="$image"/>
<Choices name="c" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices></View>"""


def noise_png(side: int) -> bytes:
    arr = np.random.default_rng(0).integers(0, 256, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(arr).save(out, format="PNG")
    return out.getvalue()


def timed(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def python_side(tmp: Path) -> None:
    png = noise_png(590)  # ~1.0 MB
    path = tmp / "big.png"
    path.write_bytes(png)
    arr = np.random.default_rng(1).integers(0, 256, (1000, 1000, 3), dtype=np.uint8)
    pages = [Image.fromarray(np.full((842, 595, 3), 200, np.uint8))] * 2
    pdf = tmp / "doc.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=72)
    rows = [{"image": path}, {"image": png}, {"image": arr}]
    lab = nblabel.Labeler(rows, CONFIG, store=":memory:")
    sent = []
    lab.send = lambda content, buffers=None: sent.append((content, buffers))
    lab._channel.receive(lab, {"type": "hello", "id": "h"}, [])
    print("Python side (media request → reply with the bytes as a buffer), median of 7:")
    for key, what in (("0", f"PNG file {len(png) / 1e6:.2f} MB"), ("1", f"bytes in a cell {len(png) / 1e6:.2f} MB"),
                      ("2", "numpy 1000x1000x3 (BMP encoded once, then cached)")):
        req = {"type": "media", "id": "r", "key": key, "field": "image", "index": None, "page": None}
        first = time.perf_counter()
        lab._channel.receive(lab, req, [])
        cold = time.perf_counter() - first
        warm = timed(lambda r=req: lab._channel.receive(lab, r, []))
        size = len(sent[-1][1][0])
        print(f"  {what:48s} {size / 1e6:5.2f} MB sent   first {cold * 1000:7.1f} ms   then {warm * 1000:6.2f} ms")
    lab.close()
    pdf_lab = nblabel.Labeler([{"image": pdf}], CONFIG.replace("Image", "Pdf"), store=":memory:")
    pdf_lab.send = lambda content, buffers=None: sent.append((content, buffers))
    pdf_lab._channel.receive(pdf_lab, {"type": "hello", "id": "h"}, [])
    t = time.perf_counter()
    pdf_lab._channel.receive(pdf_lab, {"type": "media", "id": "p", "key": "0", "field": "image", "page": 1}, [])
    print(f"  {'PDF page render (A4 at 150 dpi, pypdfium2)':48s} {len(sent[-1][1][0]) / 1e6:5.2f} MB sent   "
          f"first {(time.perf_counter() - t) * 1000:7.1f} ms")
    pdf_lab.close()

    window = [{"image": np.random.default_rng(i).integers(0, 256, (480, 640, 3), dtype=np.uint8)} for i in range(6)]
    lab = nblabel.Labeler(window, CONFIG, store=":memory:", prefetch=5)
    t = time.perf_counter()
    lab._channel.state(None, "headless")
    cold = time.perf_counter() - t
    warm = timed(lambda: lab._channel.state(None, "headless"))
    print(f"state with a 6-task window of 640x480 numpy images: first {cold * 1000:.1f} ms (markers, nothing encoded: "
          f"encoding waits for the request), then {warm * 1000:.2f} ms (cached)")
    lab.close()


MEASURE = """async ([index, width]) => {
  const app = window.jupyterapp, nb = app.shell.currentWidget.content;
  nb.activeCellIndex = index;
  nb.widgets[index].model.outputs.clear();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const node = nb.widgets[index].node;
  return await new Promise((resolve, reject) => {
    let painted = null, done = false;
    const check = () => {
      if (painted === null && node.querySelector('.nblabel .nblabel-canvas')) painted = performance.now() - t0;
      const img = node.querySelector('.nblabel img');
      if (done || !img || !img.complete || img.naturalWidth !== width) return;
      done = true; obs.disconnect(); clearInterval(poll);
      resolve([painted, performance.now() - t0]);
    };
    const obs = new MutationObserver(check);
    obs.observe(node, {subtree: true, childList: true, attributes: true});
    const poll = setInterval(check, 2);
    setTimeout(() => {
      if (!done) { obs.disconnect(); clearInterval(poll); reject(new Error('no image within 30 s')); }
    }, 30000);
    const t0 = performance.now();
    app.commands.execute('notebook:run-cell');
  });
}"""


def browser_side(tmp: Path, runs: int) -> None:
    from jupyter_harness import JupyterServer, launch_chromium, open_notebook, run_cells
    from playwright.sync_api import sync_playwright

    big, tiny = tmp / "big.png", tmp / "tiny.png"
    big.write_bytes(noise_png(590))
    tiny.write_bytes(noise_png(8))
    setup = f"import nblabel\nconfig = {CONFIG!r}\nbig, tiny = {str(big)!r}, {str(tiny)!r}"
    cells = [setup, "nblabel.Labeler([{'image': big}], config, store=':memory:')",
             "nblabel.Labeler([{'image': tiny}], config, store=':memory:')"]
    server = JupyterServer("lab", tmp / "root").start()
    try:
        name = server.write_notebook("bench_media.ipynb", cells)
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_notebook(page, server, name, workspace="bench-media")
            run_cells(page, 0)
            page.evaluate(MEASURE, [1, 590])  # warm: the ES module is loaded
            res = {w: [page.evaluate(MEASURE, [i, w]) for _ in range(runs)] for i, w in ((1, 590), (2, 8))}
            browser.close()
    finally:
        server.stop()
    print(f"JupyterLab, run-cell → task painted → <img> loaded (median of {runs}):")
    for w, label in ((590, f"local PNG {big.stat().st_size / 1e6:.2f} MB"), (8, "local PNG tiny (baseline)")):
        painted = statistics.median(r[0] for r in res[w])
        loaded = statistics.median(r[1] for r in res[w])
        trip = statistics.median(r[1] - r[0] for r in res[w])
        print(f"  {label:28s} painted {painted:6.0f} ms   image loaded {loaded:6.0f} ms   media round trip + decode "
              f"{trip:6.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nblabel-bench-media-") as tmp:
        python_side(Path(tmp))
        if not args.skip_browser:
            browser_side(Path(tmp), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

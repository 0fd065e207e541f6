"""TimeSeries paint cost at 100k rows (and more), in the browser.

Mounts the BUILT bundle with the fake model and one task whose TimeSeries is a CSV data: URL of `--rows` rows and two
channels, then measures in the page:

  load   the object's own data-load-ms: from the task's update to "ready" (data: URL fetch + CSV parse + the first
         paint's JS);
  zoom   key → frame: t0 in a capture-phase keydown listener, t1 in a setTimeout(0) from the next
         requestAnimationFrame ("rAF + setTimeout 0"), for `+` / `-` presses alternating between full view and 1/2;
  pan    the same for `.` / `,` at 1/64 zoom (few visible rows: the cost of the axes and DOM, not of the data);
  paint  the JS time of the keydown handler alone (the repaint: decimation of the visible rows + SVG build).

    python bench/bench_timeseries.py [--rows 100000] [--presses 40]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from frontend_page import launch, missing_reason, mount, open_page, task  # noqa: E402

CONFIG = """<View>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Event"/></TimeSeriesLabels>
  <TimeSeries name="ts" valueType="url" value="$csv" timeColumn="time">
    <Channel column="a" legend="A" strokeColor="#1f77b4"/>
    <Channel column="b" legend="B" strokeColor="#ff7f0e"/>
  </TimeSeries>
</View>"""

PROBE = """() => {
  window.__ts = {lat: [], handler: [], load: null};
  const el = document.querySelector('.nblabel-timeseries');
  let t0 = 0, handled = 0;
  document.querySelector('.nblabel').addEventListener('keydown', () => { handled = performance.now() - t0; });
  document.addEventListener('keydown', () => {
    t0 = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      window.__ts.lat.push(performance.now() - t0);
      window.__ts.handler.push(handled);
    }, 0));
  }, true);
}"""

def csv_url(rows: int) -> str:
    body = "\n".join(f"{i},{math.sin(i / 700) + 0.1 * math.sin(i / 7):.4f},{(i * 7919) % 1000 / 1000}"
                     for i in range(rows))
    return "data:text/csv," + urllib.parse.quote("time,a,b\n" + body)


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def press_all(page, keys: list[str]) -> tuple[list[float], list[float]]:
    page.evaluate("() => { window.__ts.lat = []; window.__ts.handler = []; }")
    for k in keys:
        n = page.evaluate("() => window.__ts.lat.length")
        page.keyboard.press(k)
        page.wait_for_function("(n) => window.__ts.lat.length > n", arg=n)
    return page.evaluate("() => window.__ts.lat"), page.evaluate("() => window.__ts.handler")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--presses", type=int, default=40)
    args = ap.parse_args()
    reason = missing_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser.new_context(viewport={"width": 1100, "height": 800}))
        mount(page, CONFIG, [task("a", {"csv": csv_url(args.rows)})])
        page.wait_for_selector(".nblabel-timeseries[data-state=ready]")
        load = float(page.locator(".nblabel-timeseries").get_attribute("data-load-ms"))
        page.evaluate(PROBE)
        page.locator(".nblabel").focus()
        zoom, zoom_js = press_all(page, ["+", "-"] * (args.presses // 2))
        for _ in range(6):
            page.keyboard.press("+")
        pan, pan_js = press_all(page, [".", ","] * (args.presses // 2))
        width = page.evaluate("() => +document.querySelector('.nblabel-ts-main').dataset.width")
        browser.close()
    print(f"TimeSeries, {args.rows:,} rows x 2 channels, plot {width:.0f} px wide")
    print(f"  load (data: URL fetch + CSV parse + first paint JS): {load:.1f} ms")
    print(f"  zoom key -> frame (full view <-> 1/2): median {med(zoom):.1f} ms, "
          f"repaint JS median {med(zoom_js):.1f} ms")
    print(f"  pan key -> frame (1/64 view):          median {med(pan):.1f} ms, repaint JS median {med(pan_js):.1f} ms")


if __name__ == "__main__":
    main()

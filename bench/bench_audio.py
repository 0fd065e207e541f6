"""Audio waveform cost in the built front end: fetch + decode + peaks of long WAV files, and the time to paint the
next task when it is an audio task.

    .venv/bin/python bench/bench_audio.py [--minutes 1 10 60] [--rate 16000]

Each file is a mono 16-bit WAV of `--minutes` minutes built in the fake-model page (tests/frontend_page.py) as a
blob: URL, so the numbers are the browser's own work (fetch, decode, peaks), not a test transport. Reported per
file: its size, the time from the task's paint to the waveform drawn
(`data-wave="peaks"`), the duration the element reports, and the JS heap after the decode. Long files are decoded at
a low sample rate (js/render/audio/waveform.js), so memory stays in tens of MB. Wall clock on a shared machine: compare
runs taken on the same machine only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from frontend_page import launch, missing_reason, mount, open_page, task  # noqa: E402

CONFIG = """<View><Labels name="l" toName="audio"><Label value="Speech"/></Labels>
<Audio name="audio" value="$audio"/></View>"""


# a mono 16-bit WAV built in the page as a blob: URL (no transport in the measurement): 1 s of a 200 Hz square
# burst, 1 s of silence, repeated
_BLOB = """([minutes, rate]) => {
  const n = Math.floor(minutes * 60 * rate);
  const buf = new ArrayBuffer(44 + 2 * n), v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); v.setUint32(4, 36 + 2 * n, true); str(8, 'WAVEfmt '); v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); v.setUint16(22, 1, true); v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true); v.setUint16(34, 16, true); str(36, 'data'); v.setUint32(40, 2 * n, true);
  const half = Math.floor(rate / 400);
  for (let i = 0; i < n; i++) {
    const inBurst = Math.floor(i / rate) % 2 === 0;
    v.setInt16(44 + 2 * i, inBurst ? (Math.floor(i / half) % 2 ? 8000 : -8000) : 0, true);
  }
  return [URL.createObjectURL(new Blob([buf], {type: 'audio/wav'})), buf.byteLength];
}"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, nargs="+", default=[1, 10, 60])
    ap.add_argument("--rate", type=int, default=16000)
    args = ap.parse_args()
    if (why := missing_reason()) is not None:
        sys.exit(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        for minutes in args.minutes:
            context = browser.new_context(viewport={"width": 1100, "height": 800})
            page = open_page(context)
            url, size = page.evaluate(_BLOB, [minutes, args.rate])
            mount(page, CONFIG, [task("a", {"audio": url})])
            t0 = time.perf_counter()
            page.wait_for_function("() => document.querySelector('.nblabel-audio')?.dataset.wave === 'peaks'",
                                   timeout=600_000)
            took = time.perf_counter() - t0
            duration = float(page.locator(".nblabel-audio").get_attribute("data-duration") or "nan")
            heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : null")
            heap_txt = f"{heap / 1e6:6.1f} MB" if heap else "   n/a"
            print(f"{minutes:6.1f} min  {size / 1e6:7.1f} MB WAV  waveform drawn in {took:6.2f} s  "
                  f"duration {duration:8.2f} s  JS heap {heap_txt}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()

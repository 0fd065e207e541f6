"""The key → next task measurement of bench_key_to_paint.py inside a real JupyterLab 4 / Notebook 7 server.

A server from tests/jupyter_harness.py (its own kernel, 127.0.0.1, isolated dirs) serves a notebook with the
quickstart config (`notebooks/quickstart.ipynb`: Text + single Choices + a TextArea note) or an image config
(Image + single Choices, three different 1024×768 PNGs made in the kernel, sent over the comm), 40 tasks by default,
and a column predictor whose label Enter accepts. The widget is focused; the same probe as the blank page
(capture-phase keydown on `document` → rAF + setTimeout 0) runs in the host page. With `trace=` the presses run under
a Chrome trace (CDP Tracing, devtools.timeline) and the busiest main-thread events are summarised.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path

from _paint_probe import PROBE
from jupyter_harness import JupyterServer, launch_chromium, open_notebook, run_cells

QUICKSTART = """<View>
  <Text name="text" value="$review_text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <TextArea name="note" toName="text" placeholder="Optional note"/>
</View>"""

IMAGE = """<View>
  <Image name="image" value="$image"/>
  <Choices name="animal" toName="image" choice="single" showInline="true">
    <Choice value="Cat"/><Choice value="Dog"/><Choice value="Bird"/>
  </Choices>
</View>"""

_TEXT_SETUP = """import pandas as pd, nblabel
df = pd.DataFrame({{"review_text": [f"review {{i}}: " + "words " * (20 + i % 40) for i in range({n})],
                    "model_label": [("Positive", 0.9)] * {n}}})
config = {config!r}
lab = nblabel.Labeler(df, config, annotator="bench", store=":memory:", predictor="model_label")"""

_IMAGE_SETUP = """import os, tempfile, numpy as np, pandas as pd, nblabel
from PIL import Image
tmp = tempfile.mkdtemp()
paths = []
for s in range(3):
    y, x = np.indices((768, 1024))
    arr = np.stack([(x * 3 + s * 70) % 256, (x + y + s * 40) % 256, np.full_like(x, 160)], -1).astype(np.uint8)
    paths.append(os.path.join(tmp, f"p{{s}}.png")); Image.fromarray(arr).save(paths[-1])
df = pd.DataFrame({{"image": [paths[i % 3] for i in range({n})], "model_label": [("Cat", 0.9)] * {n}}})
config = {config!r}
lab = nblabel.Labeler(df, config, annotator="bench", store=":memory:", predictor="model_label")"""

READY = """(kind) => {
  const root = document.querySelector('.nblabel');
  if (!root || !root.querySelector('.nblabel-task-id')?.textContent) return false;
  if (root.querySelector('.nblabel-badge')?.hidden) return false;  // the suggestion Enter accepts is on screen
  if (kind !== 'image') return true;
  const img = root.querySelector('img');
  return Boolean(img && img.complete && img.naturalWidth);
}"""


def run_host(host: str, kind: str, tasks: int, trace: str | None = None, warmup: int = 3, gap_ms: float = 100) -> dict:
    """Start a `host` server, open the notebook, press Enter `tasks - warmup - 1` times, `gap_ms` apart once the next
    task is ready (a fast annotator; 0 = as fast as Playwright can, which keeps 3 answers unacked and holds presses);
    return the samples (and the trace summary). Every server and browser started here is stopped before returning."""
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix=f"nblabel-bench-{host}-"))
    server = JupyterServer(host, home / "root").start()
    setup = (_IMAGE_SETUP if kind == "image" else _TEXT_SETUP).format(n=tasks, config=IMAGE if kind == "image"
                                                                       else QUICKSTART)
    try:
        name = server.write_notebook("bench.ipynb", [setup, "lab"])
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                open_notebook(page, server, name, workspace="bench")
                run_cells(page, 0, 1)
                page.wait_for_function(READY, arg=kind, timeout=60_000)
                page.evaluate(PROBE)
                page.locator(".nblabel").focus()
                press = lambda n: _press(page, kind, n, gap_ms)  # noqa: E731
                press(warmup)  # first presses compile code paths; not counted
                page.evaluate("window.__lat = []")
                cdp = page.context.new_cdp_session(page) if trace else None
                events: list[dict] = []
                if cdp:
                    cdp.on("Tracing.dataCollected", lambda m: events.extend(m["value"]))
                    cdp.send("Tracing.start", {"categories": "devtools.timeline,disabled-by-default-devtools.timeline",
                                               "transferMode": "ReportEvents"})
                press(tasks - warmup - 1)
                samples = page.evaluate("window.__lat")
                summary = None
                if cdp:
                    done = []
                    cdp.on("Tracing.tracingComplete", lambda m: done.append(1))
                    cdp.send("Tracing.end")
                    page.wait_for_function("() => true")  # let the CDP events drain
                    while not done:
                        page.wait_for_timeout(100)
                    Path(trace).write_text(json.dumps({"traceEvents": events}))
                    summary = summarize(events)
            finally:
                browser.close()
    finally:
        server.shutdown_kernels()
        server.stop()
    return {"samples": samples, "trace": summary}


def _press(page, kind: str, n: int, gap_ms: float = 0) -> None:
    for _ in range(n):
        if gap_ms:
            page.wait_for_timeout(gap_ms)  # pacing, not a wait for a condition
        start = page.evaluate("window.__lat.length")
        page.keyboard.press("Enter")
        page.wait_for_function("(n) => window.__lat.length > n", arg=start)
        page.wait_for_function(READY, arg=kind, timeout=30_000)  # the next task (and its picture) is ready


def summarize(events: list[dict], top: int = 14) -> list[tuple[str, float, int]]:
    """Self time per event name on the renderer main thread, inside the keydown→frame windows: [(name, ms, n)].

    Windows: from each `EventDispatch` of a keydown to the next `Paint`/`Commit` end after it on that thread.
    """
    main = _main_thread(events)
    evs = sorted((e for e in events if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X" and "dur" in e),
                 key=lambda e: e["ts"])
    windows = []
    for e in evs:
        if e["name"] == "EventDispatch" and e.get("args", {}).get("data", {}).get("type") == "keydown":
            end = next((f["ts"] + f["dur"] for f in evs if f["ts"] > e["ts"] and f["name"] in ("Paint", "Commit",
                                                                                                  "PaintImage")), None)
            if end:
                windows.append((e["ts"], end))
    inside = [e for e in evs if any(a <= e["ts"] < b for a, b in windows)]
    # self time: duration minus the duration of direct children (events nest by time on one thread)
    total: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    stack: list[dict] = []
    for e in inside:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        if stack:
            total[_label(stack[-1])] -= e["dur"] / 1000
        total[_label(e)] += e["dur"] / 1000
        count[_label(e)] += 1
        stack.append(e)
    rows = sorted(total.items(), key=lambda kv: -kv[1])[:top]
    return [(k, v / max(1, len(windows)), count[k]) for k, v in rows]


def _label(e: dict) -> str:
    data = e.get("args", {}).get("data", {}) or {}
    if e["name"] == "FunctionCall":
        url = str(data.get("url", "")).rsplit("/", 1)[-1][:40]
        return f"FunctionCall {data.get('functionName') or '(anon)'} @ {url}"
    if e["name"] == "EventDispatch":
        return f"EventDispatch {data.get('type', '')}"
    return e["name"]


def _main_thread(events: list[dict]) -> tuple:
    # the thread with the most keydown dispatches is the page's renderer main thread
    counts: dict[tuple, int] = defaultdict(int)
    for e in events:
        if e.get("name") == "EventDispatch" and e.get("args", {}).get("data", {}).get("type") == "keydown":
            counts[(e.get("pid"), e.get("tid"))] += 1
    return max(counts, key=counts.get) if counts else (None, None)

"""Mount the BUILT front end (nblabel/static/widget.js + widget.css) in a blank page with a fake model.

Rules this helper follows:
- the bundle and tests/fake_model.js are imported from blob URLs, like anywidget imports `_esm`;
- the page is served from a routed origin (http://nblabel.test/), not about:blank, so localStorage works and a
  reload keeps it (the outbox test needs that) — nothing touches the network;
- configs are written as XML here and turned into the `Config.to_json()` shape by a small local converter, so these
  tests pin the front end to docs/DESIGN.md and not to the Python parser's current state;
- waits are conditions (`wait_for_function`), never sleeps.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "nblabel" / "static" / "widget.js"
BUNDLE_CSS = ROOT / "nblabel" / "static" / "widget.css"
FAKE_MODEL = Path(__file__).resolve().parent / "fake_model.js"
CHROMIUM = os.environ.get("NBLABEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
ORIGIN = "http://nblabel.test"

# Mirrors nblabel/_tags.py for the tags these tests use: kind, and whether this version draws it.
_KINDS = {
    "View": "visual", "Header": "visual", "Style": "visual",
    "Text": "object", "Image": "object", "HyperText": "object", "Audio": "object", "AudioPlus": "object",
    "Choices": "control", "TextArea": "control", "Rating": "control", "Number": "control", "Labels": "control",
    "Choice": "option", "Label": "option", "Relations": "control", "Relation": "option",
    "HyperTextLabels": "control", "ParagraphLabels": "control", "Paragraphs": "object", "Chat": "object",
    "Table": "object", "List": "object", "Ranker": "control", "Bucket": "option", "Pairwise": "control",
    "Taxonomy": "control", "DateTime": "control",
    "TimeSeries": "object", "TimeSeriesLabels": "control", "Channel": "option",
    "Video": "object", "VideoRectangle": "control", "TimelineLabels": "control", "Pdf": "object",
    "RectangleLabels": "control", "Rectangle": "control", "PolygonLabels": "control", "Polygon": "control",
    "KeyPointLabels": "control", "KeyPoint": "control", "EllipseLabels": "control", "Ellipse": "control",
    "OcrLabels": "control", "BrushLabels": "control", "Brush": "control",
}
_RENDERED = {"View", "Header", "Style", "Text", "Choices", "Choice", "TextArea", "Rating", "Number", "Labels", "Label",
             "Relations", "Relation", "HyperTextLabels", "ParagraphLabels", "Paragraphs", "HyperText", "Chat", "Table",
             "List", "Ranker", "Bucket", "Pairwise", "Taxonomy", "DateTime",
             "TimeSeries", "TimeSeriesLabels", "Channel",
             "Audio", "AudioPlus", "Pdf",
             "Image", "RectangleLabels", "Rectangle", "PolygonLabels", "Polygon", "KeyPointLabels", "KeyPoint",
             "EllipseLabels", "Ellipse", "OcrLabels", "BrushLabels", "Brush",
             "Video", "VideoRectangle", "TimelineLabels", "Repeater"}

LIGHT = {  # JupyterLab light theme values (layout-color0 == layout-color1: both white)
    "--jp-layout-color0": "#ffffff", "--jp-layout-color1": "#ffffff", "--jp-layout-color2": "#eeeeee",
    "--jp-ui-font-color0": "#000000", "--jp-ui-font-color1": "rgba(0,0,0,0.87)",
    "--jp-ui-font-color2": "rgba(0,0,0,0.54)", "--jp-ui-font-color3": "rgba(0,0,0,0.38)",
    "--jp-border-color1": "#bdbdbd", "--jp-border-color2": "#e0e0e0", "--jp-brand-color1": "#1976d2",
    "--jp-ui-inverse-font-color0": "rgba(255,255,255,1)", "--jp-warn-color1": "#f57c00", "--jp-error-color1": "#d32f2f",
}
DARK = {  # JupyterLab dark theme values of the variables the widget reads
    "--jp-layout-color0": "#111111", "--jp-layout-color1": "#212121", "--jp-layout-color2": "#424242",
    "--jp-ui-font-color0": "#ffffff", "--jp-ui-font-color1": "rgba(255,255,255,0.87)",
    "--jp-ui-font-color2": "rgba(255,255,255,0.54)", "--jp-ui-font-color3": "rgba(255,255,255,0.38)",
    "--jp-border-color1": "#616161", "--jp-border-color2": "#424242", "--jp-brand-color1": "#2196f3",
    "--jp-ui-inverse-font-color0": "#000000", "--jp-warn-color1": "#ff9800", "--jp-error-color1": "#f44336",
}


def missing_reason() -> str | None:
    """Why the page tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not BUNDLE.exists() or not BUNDLE_CSS.exists():
        return "front end not built: run `npm install && npm run build` (nblabel/static/widget.js, widget.css)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def config_tree(xml: str) -> dict:
    """XML config → the `Config.to_json()` tree (docs/DESIGN.md "Config tree for the front end")."""

    def node(el: ET.Element) -> dict:
        tag = el.tag
        text = (el.text or "").strip() or None
        return {"tag": tag, "kind": _KINDS.get(tag, "visual"), "attrs": dict(el.attrib), "text": text,
                "children": [node(c) for c in el], "supported": tag in _RENDERED}

    return node(ET.fromstring(xml))


def task(key: Any, data: dict, *, prefill: list | None = None, prefill_from: str | None = None,
         prediction: dict | None = None, annotation_id: int | None = None) -> dict:
    """A task as Python sends it; `key` is the JSON text of the id, like nblabel.tasks._ids."""
    return {"key": json.dumps(key) if not isinstance(key, str) else key, "id": key, "data": data,
            "prefill": prefill, "prefill_from": prefill_from, "prediction": prediction, "annotation_id": annotation_id}


def text_tasks(n: int, field: str = "text", start: int = 0) -> list[dict]:
    return [task(str(i), {field: f"review number {i}"}) for i in range(start, start + n)]


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>nblabel page</title>
<style>body{margin:0;padding:24px;background:var(--jp-layout-color0,#fff);font-family:sans-serif}
.jp-Notebook{display:block}</style></head>
<body><div class="jp-Notebook" tabindex="-1"><div id="outside" class="jp-Cell">a notebook cell outside the widget</div>
<div id="host"></div></div></body></html>"""

_MOUNT = """async ([widgetSrc, fakeSrc, css, opts, theme]) => {
  for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
  const style = document.createElement("style");
  style.id = "nblabel-css";
  style.textContent = css;
  document.head.append(style);
  const url = (src) => URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
  const fake = await import(url(fakeSrc));
  const mod = await import(url(widgetSrc));
  const def = typeof mod.default === "function" ? await mod.default() : mod.default;
  const model = fake.createModel();
  const python = new fake.FakePython(model, opts);
  const el = document.getElementById("host");
  const initCleanup = await def.initialize?.({model});
  const cleanup = await def.render({model, el});
  window.__nb = {model, python, cleanup, initCleanup, el, fake, def};
}"""


def open_page(context):
    """A page on the routed test origin (real localStorage, no network)."""
    page = context.new_page()
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=_PAGE))
    page.goto(f"{ORIGIN}/")
    return page


def mount(page, xml: str | dict | None, tasks: list[dict], *, theme: dict | None = None, wait: bool = True,
          **opts) -> None:
    """Mount the bundle into `#host` with a FakePython holding `tasks`. `opts` go to FakePython (keys, autoAck,
    ackDelay, error, prefetch, outboxKey, total, notice)."""
    config = config_tree(xml) if isinstance(xml, str) else xml
    page.evaluate(_MOUNT, [BUNDLE.read_text(), FAKE_MODEL.read_text(), BUNDLE_CSS.read_text(),
                           {"config": config, "tasks": tasks, **opts}, theme or {}])
    if wait:
        page.wait_for_function("() => window.__nb.python.received.length > 0 && "
                               "!document.querySelector('.nblabel-loading')")


def received(page, kind: str | None = None) -> list[dict]:
    """Messages the fake Python received (of one type)."""
    return page.evaluate("(k) => window.__nb.python.received.filter(m => !k || m.type === k)", kind)


def wait_received(page, kind: str, n: int) -> list[dict]:
    page.wait_for_function("([k, n]) => window.__nb.python.of(k).length >= n", arg=[kind, n])
    return received(page, kind)


def shown_text(page) -> str:
    return page.locator(".nblabel-text").first.text_content()

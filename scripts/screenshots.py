"""Screenshots of the widget for a human look, in JupyterLab's light and dark theme: PNGs, no assertions.

    npm run build && .venv/bin/python scripts/screenshots.py [--out test-artifacts/screenshots] [--scene form ...]

Mounts the BUILT front end (nblabel/static/) in headless Chromium at /usr/bin/chromium with the fake model of the
page tests (tests/frontend_page.py), so no Jupyter server is needed. Scenes:
- form: text, single and multiple choices, rating, number and a text area, with a suggestion accepted and a second
  answer picked; then the same with the key legend open (`?`);
- image: a box, a polygon, an ellipse and a key point on a picture, the box selected (its handles and the
  per-region controls show);
- spans: NER spans on a text, with the region list.
Each scene is written as `<scene>-light.png` and `<scene>-dark.png` (and `form-legend-*.png`).
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from frontend_page import DARK, LIGHT, launch, missing_reason, mount, open_page, task  # noqa: E402
from test_frontend_image import SHAPES  # noqa: E402  (the config the image page tests draw)

FORM = """<View>
  <Header value="How does the reviewer feel?"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral" hotkey="n"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="Price"/><Choice value="Quality"/><Choice value="Service"/>
  </Choices>
  <Rating name="stars" toName="text"/>
  <Number name="score" toName="text" min="0" max="10"/>
  <TextArea name="note" toName="text" placeholder="Anything worth noting?" rows="2"/>
</View>"""

SPANS = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER" background="#2563eb"/><Label value="ORG" background="#16a34a"/>
    <Label value="LOC" background="#ea580c"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""


def picture(width: int, height: int) -> str:
    """A data: URL of a soft gradient with a grid every 50 px, so the shapes' positions can be judged."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height))
    px = img.load()
    for y in range(height):
        for x in range(width):
            px[x, y] = (200 - y * 80 // height, 215 - x * 60 // width, 235)
    draw = ImageDraw.Draw(img)
    for x in range(0, width, 50):
        draw.line([(x, 0), (x, height)], fill=(90, 90, 110))
    for y in range(0, height, 50):
        draw.line([(0, y), (width, y)], fill=(90, 90, 110))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def region(rid: str, name: str, kind: str, value: dict, size: tuple[int, int]) -> dict:
    return {"id": rid, "from_name": name, "to_name": "image", "type": kind, "original_width": size[0],
            "original_height": size[1], "image_rotation": 0, "value": value}


def span(text: str, phrase: str, label: str, rid: str) -> dict:
    start = text.index(phrase)
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}}


def shoot_form(page, theme: dict, out: Path, name: str) -> list[Path]:
    pred = [{"id": "p1", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Positive"]}}]
    text = "The battery lasts two days and the screen is gorgeous.\n\nShipping took a while, though."
    tasks = [task(str(i), {"text": text}, prefill=pred, prefill_from="prediction",
                  prediction={"id": 1, "model_version": "learner-3", "score": 0.87}) for i in range(40)]
    mount(page, FORM, tasks, theme=theme, autoAck=False)
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")  # accept the suggestion: the next task, and one submit waiting for Python
    page.keyboard.press("Tab")
    page.keyboard.press("2")
    shots = [out / f"form-{name}.png", out / f"form-legend-{name}.png"]
    page.locator("#host").screenshot(path=str(shots[0]))
    page.keyboard.press("?")
    page.locator("#host").screenshot(path=str(shots[1]))
    return shots


def shoot_image(page, theme: dict, out: Path, name: str) -> list[Path]:
    size = (640, 400)
    w, h = size
    prefill = [
        region("s1", "box", "rectanglelabels", {"x": 60 / w * 100, "y": 60 / h * 100, "width": 200 / w * 100,
                                                "height": 120 / h * 100, "rotation": 0, "rectanglelabels": ["Car"]},
               size),
        region("s2", "poly", "polygonlabels", {"points": [[50, 10], [70, 12], [66, 40], [48, 35]],
                                               "polygonlabels": ["Roof"]}, size),
        region("s3", "ell", "ellipselabels", {"x": 80, "y": 75, "radiusX": 8, "radiusY": 12, "rotation": 20,
                                              "ellipselabels": ["Wheel"]}, size),
        region("s4", "kp", "keypointlabels", {"x": 20, "y": 80, "width": 0.5, "keypointlabels": ["Nose"]}, size),
    ]
    mount(page, SHAPES, [task("a", {"image": picture(*size)}, prefill=prefill, prefill_from="annotation")],
          theme=theme)
    page.wait_for_function("() => [...document.querySelectorAll('.nblabel-image-img')]"
                           ".some(i => i.complete && i.naturalWidth)")
    page.locator(".nblabel-region-row", has_text="Car").click()
    shot = out / f"image-{name}.png"
    page.locator("#host").screenshot(path=str(shot))
    return [shot]


def shoot_spans(page, theme: dict, out: Path, name: str) -> list[Path]:
    text = "Mei Tan left Acme in March and moved to Lisbon, where Okafor Studios hired her."
    prefill = [span(text, "Mei Tan", "PER", "n1"), span(text, "Acme", "ORG", "n2"),
               span(text, "Lisbon", "LOC", "n3"), span(text, "Okafor Studios", "ORG", "n4")]
    mount(page, SPANS, [task("a", {"text": text}, prefill=prefill, prefill_from="annotation")], theme=theme)
    shot = out / f"spans-{name}.png"
    page.locator("#host").screenshot(path=str(shot))
    return [shot]


SCENES = {"form": shoot_form, "image": shoot_image, "spans": shoot_spans}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screenshots")
    ap.add_argument("--scene", nargs="*", choices=sorted(SCENES), default=list(SCENES))
    args = ap.parse_args()
    reason = missing_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for scene in args.scene:
                for name, theme in (("light", LIGHT), ("dark", DARK)):
                    context = browser.new_context(viewport={"width": 1100, "height": 800})
                    try:
                        page = open_page(context)
                        page.set_default_timeout(15_000)
                        for path in SCENES[scene](page, theme, args.out, name):
                            print(path)
                    finally:
                        context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Issue 4 proof in real JupyterLab: the 36 media Label Studio templates (Image, Audio, AudioPlus, Video, Pdf,
TimeSeries), ten widgets per notebook cell, each with its sample data: every widget renders, none shows
`.nblabel-error`, the page raises nothing. The samples point at remote media that cannot load offline: an in-place
`.nblabel-media-error` is fine. A last cell labels local media made in the kernel (a numpy image, a WAV written with
the standard library, a PDF made with pypdfium2): their bytes cross the real comm as message buffers and load.
Screenshots of each widget land in test-artifacts/templates36/ for a human look."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from jupyter_harness import cell_text, open_notebook, run_cells
from template_cells import check_template_cells, chunked, template_cells
from templates36 import MISSING, slugs

pytestmark = [pytest.mark.jupyter, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "templates36"

LOCAL = """
import numpy as np, wave, struct, math, tempfile, os
from PIL import Image
tmp = tempfile.mkdtemp()
wav = os.path.join(tmp, "tone.wav")
with wave.open(wav, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(8000)))
pdf = os.path.join(tmp, "doc.pdf")
image = (np.indices((120, 160)).sum(axis=0) % 256).astype(np.uint8)
pages = [Image.fromarray(np.full((300, 200, 3), c, np.uint8)) for c in ((40, 90, 160), (200, 120, 40))]
for p in pages:
    p.paste(Image.fromarray(image), (20, 40))
pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=72)  # a 2-page PDF, 200x300 pt
local = {"computer-vision__object-detection-with-bounding-boxes": {"image": image},
         "audio-speech-processing__speaker-segmentation": {"audio": wav},
         "computer-vision__pdf_ocr": {"pdf": pdf}}
for s, data in local.items():
    xml, _ = template(s)
    labs["local " + s] = nblabel.Labeler([data], xml, store=':memory:', annotator='e2e')
    display(labs["local " + s])
"""


def test_36_templates_render_in_jupyterlab(lab_server, page):
    all_slugs = slugs()
    assert len(all_slugs) == 36
    chunks = chunked(all_slugs)
    name = lab_server.write_notebook("templates36.ipynb", template_cells("templates36", chunks) + [LOCAL])
    open_notebook(page, lab_server, name, workspace="templates36")
    assert check_template_cells(page, chunks, ARTIFACTS) == 36

    # local media made in the kernel: bytes over the real comm
    last = len(chunks) + 1
    run_cells(page, last)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(last)
    roots = cell.locator(".nblabel")
    expect(roots).to_have_count(3, timeout=60_000)
    image, audio, pdf = (roots.nth(k) for k in range(3))
    expect(image.locator("img")).to_have_count(1)
    page.wait_for_function("(el) => { const i = el.querySelector('img'); return i && i.complete && i.naturalWidth; }",
                           arg=image.element_handle(), timeout=30_000)
    shown = image.locator("img").evaluate("i => [i.naturalWidth, i.naturalHeight, i.src.slice(0, 5)]")
    assert shown == [160, 120, "blob:"]
    page.wait_for_function("(el) => el.querySelector('audio')?.src.startsWith('blob:')", arg=audio.element_handle(),
                           timeout=30_000)
    page.wait_for_function("(el) => { const i = el.querySelector('.nblabel-pdf img'); return i && i.complete && "
                           "i.naturalWidth === 417; }", arg=pdf.element_handle(), timeout=30_000)
    for root, slug in zip((image, audio, pdf), ("local-image", "local-audio", "local-pdf")):
        assert root.locator(".nblabel-error").count() == 0
        errors = root.locator(".nblabel-media-error")
        assert root.locator(".nblabel-media-error:visible").count() == 0, errors.all_text_contents()
        root.scroll_into_view_if_needed()
        root.screenshot(path=str(ARTIFACTS / f"{slug}.png"))
    assert cell_text(page, last) == ""
    errors = [m for m in page.console_log if m.startswith("pageerror")]
    assert errors == []

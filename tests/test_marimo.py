"""nblabel in a real marimo (`marimo edit` and `marimo run`), driven by headless Chromium.

`mo.ui.anywidget(nblabel.Labeler(...))` in a notebook written to a temp folder: the first task shows with its
suggestion; local image, audio and PDF-page bytes cross marimo's model messages (base64 buffers) and load; the keyboard
labels without any widget key reaching a listener on the document (where marimo's shortcuts and VS Code's webview
key forwarding listen) or firing marimo's own single-key shortcut button, while keys typed outside still do; answers
are in the SQLite file as soon as the widget shows the next task; a cell reading the widget re-runs after each
answer; re-running the widget's cell closes the old Labeler and resumes from the store.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jupyter_harness import KEYS_SEEN, RECORD_KEYS
from marimo_harness import MarimoServer, cell_count, marimo_available, run_cell, write_notebook

pytestmark = [pytest.mark.jupyter, pytest.mark.skipif(marimo_available() is not None, reason=marimo_available() or "")]

CHOICES = ["Positive", "Negative", "Neutral"]
TEXTS = [f"marimo task {i:02d}: review number {i}" for i in range(5)]
GUESSES = ["Negative", "Positive", "Neutral", "Positive", "Negative"]  # the predictor column: suggestions

SETUP = '''
import json, math, struct, wave
import marimo as mo
import numpy as np
import pandas as pd
from PIL import Image
import nblabel

STORE = {store!r}
WAV = {wav!r}
PDF = {pdf!r}
Image.fromarray(np.full((300, 200, 3), (40, 90, 160), np.uint8)).save(PDF, resolution=72)  # one 200x300 pt page
with wave.open(WAV, "wb") as _w:
    _w.setnchannels(1); _w.setsampwidth(2); _w.setframerate(8000)
    _w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(8000)))
image = (np.indices((120, 160)).sum(axis=0) % 256).astype(np.uint8)
df = pd.DataFrame({{"text": {texts!r}, "guess": {guesses!r}}})
df["image"] = [image] * len(df)
df["audio"] = WAV
df["pdf"] = PDF
config = """<View>
  <Text name="text" value="$text"/>
  <Image name="img" value="$image"/>
  <Audio name="audio" value="$audio"/>
  <Pdf name="pdf" value="$pdf"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
labs = []
'''
# marimo's own single-key shortcut (the kind that took keys from a labeling widget): it must fire only when the
# widget does not have the keyboard
SHORTCUT = '''
shortcut = mo.ui.button(label="marimo shortcut s", value=0, on_click=lambda v: v + 1, keyboard_shortcut="s")
shortcut
'''
WIDGET = '''
lab = nblabel.Labeler(df, config, annotator="marimo", store=STORE, predictor="guess")
labs.append(lab)
w = mo.ui.anywidget(lab)
w
'''
REACTIVE = '''
_status = w.value.get("status") or {}
_last = lab.last_annotation
mo.plain_text("REACTIVE " + json.dumps({
    "done": _status.get("done"),
    "last": None if _last is None else "skip" if _last["was_cancelled"] else _last["result"][0]["value"]["choices"][0],
    "closed": [bool(l._closed) for l in labs],
    "button": shortcut.value,
}))
'''


def notebook(folder: Path, name: str) -> tuple[Path, Path]:
    """Write the four-cell notebook; returns (notebook, store path)."""
    store, wav, pdf = folder / f"{name}.db", folder / f"{name}.wav", folder / f"{name}.pdf"
    setup = SETUP.format(store=str(store), wav=str(wav), pdf=str(pdf), texts=TEXTS, guesses=GUESSES)
    return write_notebook(folder / f"{name}.py", [setup, SHORTCUT, WIDGET, REACTIVE]), store


@pytest.fixture(scope="module")
def home():
    # own temp dir (not tmp_path_factory): another pytest session on this machine may prune pytest's dirs
    path = Path(tempfile.mkdtemp(prefix="nblabel-marimo-"))
    (path / "root").mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def serve():
    started = []

    def _serve(mode: str, target: Path) -> MarimoServer:
        server = MarimoServer(mode, target).start()
        started.append(server)
        return server

    yield _serve
    for server in started:
        server.stop()


def reactive(page) -> dict:
    """What the cell reading the widget printed last."""
    text = page.locator("text=/^REACTIVE /").first.inner_text(timeout=30_000)
    return json.loads(text.split("REACTIVE ", 1)[1])


def wait_reactive(page, **expected) -> dict:
    """Poll the reactive cell until it shows `expected` (it re-runs after each answer, asynchronously)."""
    got = None
    for _ in range(120):
        got = reactive(page)
        if all(got.get(k) == v for k, v in expected.items()):
            return got
        page.wait_for_timeout(250)
    raise AssertionError(f"the reactive cell shows {got}, expected {expected}")


def stored(store: Path) -> list[tuple[str, str]]:
    """(task text, label) of every live annotation in the SQLite file, read by this process (not the kernel)."""
    from nblabel.store._sqlite import Store

    s = Store(store)
    try:
        rows = sorted(s.iter_live(), key=lambda a: a.id)
        return [(a.task_key, a.result[0]["value"]["choices"][0]) for a in rows if a.result]
    finally:
        s.close()


def expect_task(root, i: int) -> None:
    expect(root).to_contain_text(TEXTS[i], use_inner_text=True, timeout=30_000)


def focus(page, root) -> None:
    root.click(position={"x": 4, "y": 4})
    page.wait_for_function("() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) "
                           "a = a.shadowRoot.activeElement; return !!a?.closest?.('.nblabel'); }", timeout=10_000)


def check_media(page, root, wav: Path) -> None:
    """The task's local image decodes (160x120), the audio element plays the WAV's exact bytes, and the PDF's page
    comes as an image rendered by Python."""
    img = root.locator(".nblabel-body img").first  # the Image object (before the Pdf in the config)
    expect(img).to_have_count(1, timeout=30_000)
    page.wait_for_function("(i) => i.complete && i.naturalWidth === 160 && i.naturalHeight === 120",
                           arg=img.element_handle(), timeout=30_000)
    audio = root.locator("audio").first
    page.wait_for_function("(a) => a.src.startsWith('blob:')", arg=audio.element_handle(), timeout=30_000)
    size = audio.evaluate("async (a) => (await (await fetch(a.src)).arrayBuffer()).byteLength")
    assert size == wav.stat().st_size
    page.wait_for_function("(el) => { const i = el.querySelector('.nblabel-pdf img'); return i && i.complete && "
                           "i.naturalWidth > 200; }", arg=root.element_handle(), timeout=30_000)


def test_marimo_edit_keyboard_reactive_durable_and_rerun(home, serve, page):
    nb, store = notebook(home / "root", "edit_nb")
    server = serve("edit", home / "root")
    page.goto(server.url(nb.name))  # the notebook runs on open (auto_instantiate in the harness's config)
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=60_000)
    expect_task(root, 0)
    check_media(page, root, nb.parent / "edit_nb.wav")
    assert wait_reactive(page, closed=[False])["done"] in (None, 0)
    cells = cell_count(page)

    page.evaluate(RECORD_KEYS)
    focus(page, root)
    page.keyboard.press("Enter")  # accepts the suggestion shown on task 0 (Negative): it arrived
    expect_task(root, 1)
    for key in ["a", "b", "d", "d", "Shift+Enter"]:  # marimo command-mode / run keys: the widget's, not marimo's
        page.keyboard.press(key)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect_task(root, 2)
    page.keyboard.press("s")  # the widget's skip, not marimo's shortcut button
    expect_task(root, 3)
    assert wait_reactive(page, last="skip") == {"done": 2, "last": "skip", "closed": [False], "button": 0}
    assert [label for _, label in stored(store)] == ["Negative", "Positive"]  # in the file, before any export
    assert page.evaluate(KEYS_SEEN) == [], "a widget key reached a document listener"
    assert cell_count(page) == cells

    # focus outside the widget: keys reach the page, and marimo's shortcut, as usual
    page.evaluate("() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) "
                  "a = a.shadowRoot.activeElement; a?.blur(); document.activeElement?.blur(); }")
    page.keyboard.press("x")
    assert page.evaluate(KEYS_SEEN) == ["keydown:x", "keyup:x"]
    page.keyboard.press("s")
    wait_reactive(page, button=1)

    # re-running the widget's cell closes the old Labeler and resumes from the store (task 2 was skipped: last)
    run_cell(page, 2)
    wait_reactive(page, closed=[True, False])
    expect(root).to_have_count(1, timeout=30_000)
    expect_task(root, 3)
    page.evaluate(KEYS_SEEN)
    focus(page, root)
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect_task(root, 4)
    assert wait_reactive(page, done=3) == {"done": 3, "last": "Neutral", "closed": [True, False], "button": 1}
    assert [label for _, label in stored(store)] == ["Negative", "Positive", "Neutral"]
    assert page.evaluate(KEYS_SEEN) == []
    assert not [m for m in page.console_log if m.startswith("pageerror")]


def test_marimo_run_app_labels_with_keys(home, serve, page):
    folder = home / "run"
    folder.mkdir()
    nb, store = notebook(folder, "run_nb")
    server = serve("run", nb)
    page.goto(server.url())  # the app runs every cell for its session
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=60_000)
    expect_task(root, 0)
    check_media(page, root, folder / "run_nb.wav")
    page.evaluate(RECORD_KEYS)
    focus(page, root)
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect_task(root, 1)
    page.keyboard.press("Enter")  # task 1's suggestion: Positive
    expect_task(root, 2)
    page.keyboard.press("s")  # skip: the widget's key, not marimo's shortcut button
    expect_task(root, 3)
    assert wait_reactive(page, last="skip") == {"done": 2, "last": "skip", "closed": [False], "button": 0}
    assert [label for _, label in stored(store)] == ["Negative", "Positive"]
    assert page.evaluate(KEYS_SEEN) == []
    assert not [m for m in page.console_log if m.startswith("pageerror")]

"""Suggestions in a real JupyterLab 4 / Notebook 7: shown pre-filled, Enter accepts, an edit corrects, origins and
`parent_prediction` stored right, the live panel counts; a predictor that raises or times out leaves labeling working
with a visible message."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from jupyter_harness import open_notebook, py, run_cells

pytestmark = pytest.mark.jupyter

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
TEXTS = [f"review {i:02d} is here" for i in range(6)]
MODELS = {
    "good": "def model(tasks):\n    return [('Negative', 0.9) for t in tasks]",
    "raises": "def model(tasks):\n    raise RuntimeError('model exploded')",
    "hangs": "import time\ndef model(tasks):\n    time.sleep(30)\n    return ['Negative' for t in tasks]",
}


def _open(request, page, server, model: str, timeout: float = 30):
    setup = (f"import json\nimport pandas as pd\nimport nblabel\n{MODELS[model]}\n"
             f"df = pd.DataFrame({{'text': {TEXTS!r}}})\n"
             f'lab = nblabel.Labeler(df, """{CONFIG}""", annotator="e2e", store=":memory:", predictor=model, '
             f"predictor_timeout={timeout})")
    safe = re.sub(r"[^\w.-]+", "_", request.node.name)
    name = server.write_notebook(f"{safe}.ipynb", [setup, "lab"])
    open_notebook(page, server, name, workspace=safe)  # a fresh workspace: no earlier notebook's widget
    request.addfinalizer(server.shutdown_kernels)  # one kernel per test, as in test_jupyter_e2e.py
    run_cells(page, 0, 1)
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=30_000)
    expect(root).to_be_visible(timeout=30_000)
    root.click(position={"x": 4, "y": 4})
    return root


def _stored(page) -> list:
    code = ("print(json.dumps([[a['result'][0].get('origin'), type(a.get('parent_prediction')).__name__,"
            " a['result'][0]['value']['choices'][0]] for anns in lab.to_pandas()['annotations'] for a in anns]))")
    return json.loads(py(page, code))


def test_suggestion_shown_enter_accepts_edit_corrects(request, jupyter, page):
    root = _open(request, page, jupyter, "good")
    expect(root).to_contain_text("review 00", use_inner_text=True, timeout=10_000)
    expect(root.locator(".nblabel-suggest")).to_contain_text("0 accepted", timeout=10_000)
    page.keyboard.press("Enter")  # accept the shown "Negative"
    expect(root).to_contain_text("review 01", use_inner_text=True, timeout=10_000)
    page.keyboard.press("1")  # correct it to "Positive"
    page.keyboard.press("Enter")
    expect(root).to_contain_text("review 02", use_inner_text=True, timeout=10_000)
    expect(root.locator(".nblabel-suggest")).to_contain_text("1 accepted · 1 corrected", timeout=10_000)
    expect(page.locator(".nblabel-saving")).to_be_hidden(timeout=15_000)
    assert _stored(page) == [["prediction", "int", "Negative"], ["prediction-changed", "int", "Positive"]]


@pytest.mark.parametrize("model", ["raises", "hangs"])
def test_broken_predictor_shows_a_message_and_labeling_goes_on(request, jupyter, page, model):
    root = _open(request, page, jupyter, model, timeout=1)
    expect(root).to_contain_text("review 00", use_inner_text=True, timeout=10_000)
    if model == "hangs":  # the widget never waits; a headless look asks and times out, then the view shows it
        py(page, "lab.current; lab._channel.push('headless')")
    want = "model exploded" if model == "raises" else "timed out"
    expect(root.locator(".nblabel-notice")).to_contain_text(want, timeout=15_000)
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(root).to_contain_text("review 01", use_inner_text=True, timeout=10_000)
    expect(page.locator(".nblabel-saving")).to_be_hidden(timeout=15_000)
    assert _stored(page) == [["manual", "NoneType", "Negative"]]

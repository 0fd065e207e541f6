"""Traps in a real JupyterLab 4 / Notebook 7: the keyboard never stays in a text field after a submit, Escape leaves
it, and a tall task keeps Submit on screen.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jupyter_harness import open_notebook, py, run_cells
from test_jupyter_e2e import expect_task, focus, safe, shot, task_text, wait_saved

pytestmark = pytest.mark.jupyter

WITH_NOTE = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
  <TextArea name="note" toName="text" rows="2"/>
</View>"""

NER = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
</View>"""


def open_cells(request, page, server, setup: str):
    name = server.write_notebook(f"{safe(request.node.name)}.ipynb", [setup, "lab"])
    open_notebook(page, server, name, workspace=safe(request.node.name))
    run_cells(page, 0, 1)
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=30_000)
    return root


@pytest.fixture
def stop_kernels(jupyter):
    yield
    jupyter.shutdown_kernels()


def test_keys_leave_the_text_field_after_ctrl_enter_and_on_escape(request, jupyter, page, stop_kernels):
    texts = [task_text(i) for i in range(4)]
    setup = ("import json, pandas as pd, nblabel\n"
             f"lab = nblabel.Labeler(pd.DataFrame({{'text': {texts!r}}}), '''{WITH_NOTE}''', annotator='t', "
             "store=':memory:')")
    root = open_cells(request, page, jupyter, setup)
    field = root.locator("textarea.nblabel-field")
    field.click()
    page.keyboard.type("first note")
    page.keyboard.press("Control+Enter")
    expect_task(root, 1)
    page.keyboard.press("2")  # goes to the choices of task 1, not into the text
    expect(root.locator(".nblabel-option", has_text="Negative")).to_have_attribute("aria-checked", "true")
    assert field.input_value() == ""
    field.click()
    page.keyboard.type("x")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('nblabel')")
    page.keyboard.press("1")
    expect(root.locator(".nblabel-option", has_text="Positive")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("Enter")
    expect_task(root, 2)
    wait_saved(page)
    got = json.loads(py(page, "print(json.dumps(lab.to_pandas()[['sentiment', 'note']].values.tolist()))"))
    assert got[:2] == [[None, "first note"], ["Positive", "x"]]


def test_two_hundred_spans_keep_submit_on_screen(request, jupyter, page, stop_kernels):
    setup = (
        "import pandas as pd, nblabel\n"
        "words = [f'w{i:03d}' for i in range(200)]\n"
        "spans = [{'id': f'r{i}', 'from_name': 'label', 'to_name': 'text', 'type': 'labels',\n"
        "          'value': {'start': 5 * i, 'end': 5 * i + 4, 'text': w, 'labels': ['PER']}}\n"
        "         for i, w in enumerate(words)]\n"
        "tasks = [{'data': {'text': ' '.join(words)}, 'predictions': [{'model_version': 'm', 'result': spans}]}]\n"
        f"lab = nblabel.Labeler(tasks, '''{NER}''', annotator='t', store=':memory:')"
    )
    root = open_cells(request, page, jupyter, setup)
    expect(root.locator(".nblabel-region-row")).to_have_count(200, timeout=20_000)
    root.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.nblabel').scrollIntoView({block: 'start'})")
    height, submit_bottom, inner = page.evaluate("""() => {
        const r = document.querySelector('.nblabel').getBoundingClientRect();
        const b = document.querySelector('.nblabel-button[data-action=submit]').getBoundingClientRect();
        return [r.height, b.bottom, innerHeight]; }""")
    assert height < inner and submit_bottom <= inner
    shot(page, root, f"{jupyter.app}-light-200-spans")
    focus(page, root)
    page.keyboard.press("Enter")
    expect(root.locator(".nblabel-summary")).to_be_visible(timeout=15_000)
    assert py(page, "print(len(lab.to_pandas()['annotations'][0][0]['result']))").strip() == "200"

"""A widget whose kernel is gone, in a real JupyterLab 4 and Notebook 7: after a kernel restart the old view says it
is not connected and how many answers wait, re-running the cell saves them without inflating the rate, and a saved
notebook reopened without its kernel shows what the output was and how to resume.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jupyter_harness import py, run_cells, wait_kernel
from test_jupyter_e2e import (  # noqa: F401  (fixture)
    CHOICES, focus, label, labels_in_python, notebook_cells, open_labeler, safe, shot, task_text, wait_labels,
    wait_saved,
)

pytestmark = pytest.mark.jupyter

_RESTART = """async () => {
  const ctx = window.jupyterapp.shell.currentWidget.sessionContext;
  await ctx.session.kernel.restart();
}"""

_SAVE = "async () => { await window.jupyterapp.commands.execute('docmanager:save'); }"


def test_kernel_restart_says_not_connected_and_a_rerun_saves_what_waited(request, jupyter, page, open_labeler):  # noqa: F811
    store = f"{safe(request.node.name)}.nblabel.db"
    root = open_labeler(jupyter, [task_text(i) for i in range(6)], store=store)
    focus(page, root)
    keyed = label(page, root, "1")
    wait_saved(page)
    offline = root.locator(".nblabel-offline")
    expect(offline).to_have_count(0)

    page.evaluate(_RESTART)
    expect(offline).to_contain_text("Not connected — re-run this cell (0 answers waiting)", timeout=20_000)
    shot(page, root, f"{jupyter.app}-light-offline")
    focus(page, root)
    keyed += label(page, root, "23", start=1)  # kept in the browser's outbox, not saved
    expect(offline).to_contain_text("(2 answers waiting)")

    # the annotator comes back to it an hour later (the outbox keeps when each answer was given)
    page.evaluate("""() => { for (const [k, v] of Object.entries(localStorage)) if (k.startsWith('nblabel-outbox:'))
        localStorage.setItem(k, JSON.stringify(JSON.parse(v).map(e => ({...e, at: e.at - 3600 * 1000})))); }""")
    run_cells(page, 0, 1)  # a new Labeler on the same store: its view replays the outbox
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=30_000)
    wait_labels(page, keyed + [None] * 3)
    expect(root.locator(".nblabel-offline")).to_have_count(0)
    progress = json.loads(py(page, "import json; print(json.dumps(lab.progress))"))
    assert progress["done"] == 3
    assert progress["rate_per_min"] is None  # replayed answers arriving together are not a pace


def test_a_saved_notebook_reopened_without_its_kernel_says_how_to_resume(request, jupyter, page, open_labeler):  # noqa: F811
    store = f"{safe(request.node.name)}.nblabel.db"
    root = open_labeler(jupyter, [task_text(i) for i in range(4)], store=store)
    focus(page, root)
    label(page, root, "12")
    wait_saved(page)
    page.evaluate(_SAVE)
    jupyter.shutdown_kernels()
    page.reload()
    wait_kernel(page)  # a fresh kernel: it knows no widget model
    output = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea")
    static = output.locator(".nblabel-static")
    expect(static).to_be_visible(timeout=30_000)
    text = static.inner_text()
    assert "nblabel labeling widget" in text and "Run this cell again to resume labeling" in text
    assert store in text and "annotator e2e · 4 tasks" in text
    shot(page, output, f"{jupyter.app}-light-reopened")
    expect(page.locator(".nblabel")).to_have_count(0)
    run_cells(page, 0, 1)  # what the card says: the widget comes back where it stopped
    root = page.locator(".nblabel")
    expect(root).to_have_count(1, timeout=30_000)
    expect(root).to_contain_text(task_text(2), use_inner_text=True)
    expect(page.locator(".jp-Cell").nth(1).locator(".nblabel-static")).to_be_hidden()

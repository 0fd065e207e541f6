"""Two annotators label the same tasks in two widgets of one JupyterLab notebook; `agreement` sees both."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jupyter_harness import open_notebook, py, run_cells
from test_jupyter_e2e import CONFIG, task_text

pytestmark = pytest.mark.jupyter


def test_two_annotators_in_two_widgets_then_agreement(lab_server, page):
    texts = [task_text(i) for i in range(10)]
    setup = (
        "import json\nimport pandas as pd\nimport nblabel\n\n"
        f"df = pd.DataFrame({{'text': {texts!r}}})\n"
        f'config = """{CONFIG}"""\n'
        "alice = nblabel.Labeler(df, config, annotator='alice', store='quality_e2e.db', overlap=2)\n"
        "bob = nblabel.Labeler(df, config, annotator='bob', store='quality_e2e.db', overlap=2)"
    )
    name = lab_server.write_notebook("quality_two_widgets.ipynb", [setup, "alice", "bob"])
    open_notebook(page, lab_server, name, workspace="quality_two_widgets")
    try:
        run_cells(page, 0, 1, 2)
        roots = page.locator(".nblabel")
        expect(roots).to_have_count(2, timeout=30_000)
        keys = {0: "1111122222", 1: "1111122213"}  # alice, bob: they differ on tasks 8 and 9
        for w, digits in keys.items():
            root = roots.nth(w)
            root.scroll_into_view_if_needed()
            root.click(position={"x": 4, "y": 4})
            page.wait_for_function(f"() => document.activeElement?.closest('.nblabel') === "
                                   f"document.querySelectorAll('.nblabel')[{w}]", timeout=5_000)
            for i, d in enumerate(digits):
                expect(root).to_contain_text(task_text(i), use_inner_text=True, timeout=10_000)
                page.keyboard.press(d)
                page.keyboard.press("Enter")
                expect(root).not_to_contain_text(task_text(i), use_inner_text=True, timeout=10_000)
        got = None
        for _ in range(60):  # the last submits are acknowledged asynchronously
            got = json.loads(py(page, "rep = nblabel.agreement(alice)\n"
                                      "print(json.dumps([int(rep.summary.loc['sentiment', 'n_tasks']), "
                                      "rep.per_task['sentiment'].tolist(), alice.progress['complete']]))"))
            if got[0] == 10:
                break
            page.wait_for_timeout(250)
        assert got[0] == 10 and got[2] == 10
        assert got[1] == [1.0] * 8 + [0.0, 0.0]
    finally:
        lab_server.shutdown_kernels()

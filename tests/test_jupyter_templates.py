"""Issue 3 proof in real JupyterLab: the 33 text-family Label Studio templates, ten widgets per notebook cell
(JupyterLab trims outputs past 50), each with its sample data: every widget renders, none shows `.nblabel-error`,
the page raises nothing. Screenshots of each widget land in test-artifacts/templates/ for a human look."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from jupyter_harness import cell_text, open_notebook, run_cells
from templates33 import TEMPLATES, slugs

pytestmark = [pytest.mark.jupyter, pytest.mark.skipif(not TEMPLATES.exists(), reason="templates not found")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "templates"
TESTS = Path(__file__).resolve().parent


def _cells(chunks: list[list[str]]) -> list[str]:
    setup = (f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
             "from IPython.display import display\nimport nblabel\nfrom templates33 import template\n"
             "labs = {}\n"
             "def show(slugs):\n"
             "    for s in slugs:\n"
             "        xml, data = template(s)\n"
             "        labs[s] = nblabel.Labeler([data], xml, store=':memory:', annotator='e2e')\n"
             "        display(labs[s])\n"
             "print('ok')")
    return [setup] + [f"show({chunk!r})" for chunk in chunks]


def test_33_templates_render_in_jupyterlab(lab_server, page):
    all_slugs = slugs()
    assert len(all_slugs) == 33
    chunks = [all_slugs[i:i + 10] for i in range(0, len(all_slugs), 10)]
    name = lab_server.write_notebook("templates33.ipynb", _cells(chunks))
    open_notebook(page, lab_server, name, workspace="templates33")
    run_cells(page, 0)
    assert cell_text(page, 0).strip() == "ok"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seen = 0
    for i, chunk in enumerate(chunks, start=1):
        run_cells(page, i)
        cell = page.locator(".jp-Notebook .jp-Cell").nth(i)
        roots = cell.locator(".nblabel")
        expect(roots).to_have_count(len(chunk), timeout=60_000)
        expect(cell.locator(".nblabel-loading")).to_have_count(0, timeout=30_000)
        for k, slug in enumerate(chunk):
            root = roots.nth(k)
            errors = root.locator(".nblabel-error")
            assert errors.count() == 0, (slug, errors.all_text_contents())
            expect(root.locator(".nblabel-canvas")).to_have_count(1)
            root.scroll_into_view_if_needed()
            root.screenshot(path=str(ARTIFACTS / f"{slug}.png"))
            seen += 1
        assert cell_text(page, i) == ""  # no traceback, nothing printed
    assert seen == 33
    errors = [m for m in page.console_log if m.startswith("pageerror")]
    assert errors == []

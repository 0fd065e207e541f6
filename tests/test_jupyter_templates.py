"""Issue 3 proof in real JupyterLab: the 33 text-family Label Studio templates, ten widgets per notebook cell
(JupyterLab trims outputs past 50), each with its sample data: every widget renders, none shows `.nblabel-error`,
the page raises nothing. Screenshots of each widget land in test-artifacts/templates/ for a human look."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_harness import open_notebook
from template_cells import check_template_cells, chunked, template_cells
from templates33 import MISSING, slugs

pytestmark = [pytest.mark.jupyter, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "templates"


def test_33_templates_render_in_jupyterlab(lab_server, page):
    all_slugs = slugs()
    assert len(all_slugs) == 33
    chunks = chunked(all_slugs)
    name = lab_server.write_notebook("templates33.ipynb", template_cells("templates33", chunks))
    open_notebook(page, lab_server, name, workspace="templates33")
    assert check_template_cells(page, chunks, ARTIFACTS) == 33
    errors = [m for m in page.console_log if m.startswith("pageerror")]
    assert errors == []

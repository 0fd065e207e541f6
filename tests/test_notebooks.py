"""Every notebook in notebooks/ runs headless, top to bottom, without errors (nbclient, a real kernel).

Each runs in a temporary copy of notebooks/ so nothing it writes lands in the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs(name, tmp_path):
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work)
    nb = nbformat.read(work / name, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError with the cell's traceback on the first failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if "nblabel.Labeler(" in "".join(c.source for c in nb.cells):
        # the widget cell rendered a widget view (what a front end mounts), not an error or a plain repr
        assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs), "no widget view output"

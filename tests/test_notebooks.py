"""Every notebook in notebooks/ runs headless, top to bottom, without errors: the Jupyter ones with nbclient (a
real kernel), the marimo ones (`*.py`) with `marimo export html` (marimo's own runtime; it exits non-zero when a
cell raises).

Each runs in a temporary copy of notebooks/ so nothing it writes lands in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.py")))
def test_marimo_notebook_runs(name, tmp_path):
    pytest.importorskip("marimo")
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work)
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):  # marimo writes its config and caches there
        env[var] = str(tmp_path / var.lower())
    out = tmp_path / "out.html"
    proc = subprocess.run([sys.executable, "-m", "marimo", "export", "html", name, "-o", str(out)], cwd=work,
                          env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    if "nblabel.Labeler(" in (work / name).read_text(encoding="utf-8"):
        assert "marimo-anywidget" in out.read_text(encoding="utf-8"), "no widget in the exported page"

"""Official templates in a real JupyterLab notebook, ten widgets per cell (JupyterLab trims outputs past 50): the
cells that show them, and the check every widget must pass — it renders, shows no `.nblabel-error`, and is
screenshotted for a human look. Shared by the text-family and media template tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from jupyter_harness import cell_text, run_cells

TESTS = Path(__file__).resolve().parent


def chunked(slugs: list[str], size: int = 10) -> list[list[str]]:
    return [slugs[i:i + size] for i in range(0, len(slugs), size)]


def template_cells(module: str, chunks: list[list[str]]) -> list[str]:
    """A setup cell (prints "ok"), then one `show([...])` cell per chunk; `module` provides `template(slug)`."""
    setup = (f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
             f"from IPython.display import display\nimport nblabel\nfrom {module} import template\n"
             "labs = {}\n"
             "def show(slugs):\n"
             "    for s in slugs:\n"
             "        xml, data = template(s)\n"
             "        labs[s] = nblabel.Labeler([data], xml, store=':memory:', annotator='e2e')\n"
             "        display(labs[s])\n"
             "print('ok')")
    return [setup] + [f"show({chunk!r})" for chunk in chunks]


def check_template_cells(page, chunks: list[list[str]], artifacts: Path) -> int:
    """Run the setup cell and each chunk's cell; every widget passes the check. Returns how many were seen."""
    run_cells(page, 0)
    assert cell_text(page, 0).strip() == "ok"
    artifacts.mkdir(parents=True, exist_ok=True)
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
            root.screenshot(path=str(artifacts / f"{slug}.png"))
            seen += 1
        assert cell_text(page, i) == ""  # no traceback, nothing printed
    return seen

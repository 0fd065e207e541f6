"""End-to-end fixtures: one JupyterLab and one Notebook 7 server per session, one headless Chromium, a page per test.

Only tests marked `jupyter` use these; they are skipped (with the reason) when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from frontend_page import open_page
from jupyter_harness import JupyterServer, chromium_available, launch_chromium

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason="headless Chromium not found at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "jupyter" in item.keywords:
            item.add_marker(skip)


def _serve(app: str):
    # Own temp dir, not tmp_path_factory: another pytest session on the same machine prunes old
    # /tmp/pytest-of-<user>/pytest-N dirs, which would delete a live server's root under it.
    home = Path(tempfile.mkdtemp(prefix=f"nblabel-{app}-"))
    server = JupyterServer(app, home / "root").start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def lab_server():
    yield from _serve("lab")


@pytest.fixture(scope="session")
def notebook_server():
    yield from _serve("notebook")


@pytest.fixture(params=["lab", "notebook"])
def jupyter(request):
    """Both apps, one after the other: JupyterLab 4 and Notebook 7."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    """A fresh browser context (own localStorage) per test; console errors land in `page.console_log`."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.console_log = []
    pg.on("console", lambda m: pg.console_log.append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: pg.console_log.append(f"pageerror: {e}"))
    yield pg
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        except Exception:  # the page may be gone; the console log below still helps
            pass
        (ARTIFACTS / f"FAILED-{name}.console.txt").write_text("\n".join(pg.console_log))
    context.close()


# The built front end in a blank page (tests/frontend_page.py): the fixtures of every test_frontend_* module.
@pytest.fixture(scope="module")
def fe_browser(chromium):
    """The session's Chromium (conftest): one Playwright per session, whichever test module starts it first."""
    return chromium


@pytest.fixture
def fe_context(fe_browser):
    context = fe_browser.new_context(viewport={"width": 1100, "height": 800})
    yield context
    context.close()


@pytest.fixture
def fe_page(fe_context):
    page = open_page(fe_context)
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert page.errors == [], page.errors


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


# -- stores: the store-level tests run on SQLite and on a real PostgreSQL server (tests/pg_server.py) ------------
@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session (skipped, with the reason, when it cannot run here)."""
    from pg_server import PgServer, missing

    reason = missing()
    if reason:
        pytest.skip(reason)
    server = PgServer().start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_spec(request, tmp_path):
    """A fresh, empty store as `store=` takes it: a SQLite file, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("pg_server").new_store()

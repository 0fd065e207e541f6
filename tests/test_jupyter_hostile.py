"""Hostile task data in a real JupyterLab 4 / Notebook 7: links, beacons, script vectors, hotkeys that claim the
widget's keys and a big text, all in one notebook. Observed in the host page itself: the notebook tab never
navigates, it asks no host but the Jupyter server for anything, no script from the tasks runs, the widget's own
keys keep their meaning and the notebook's command-mode shortcuts do not fire while the widget has the keyboard.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from jupyter_harness import KEYS_SEEN, RECORD_KEYS, cells_snapshot, open_notebook, py, run_cells
from test_frontend_big_task import long_text
from test_frontend_hostile import BEACON_CSS, DOT, LINKS, TASK_HTML
from test_jupyter_e2e import focus, safe, wait_saved

pytestmark = pytest.mark.jupyter

E = "http://evil.example"
# Script vectors: each would set the flag if any of them ran.
SCRIPTS = """<img src="x" onerror="window.__pwned = 'img'"><script>window.__pwned = 'script'</script>
<svg onload="window.__pwned = 'svg'"><animate onbegin="window.__pwned = 'animate'" attributeName="x" dur="1s"/></svg>
<iframe srcdoc="&lt;script&gt;parent.__pwned = 'iframe'&lt;/script&gt;"></iframe>
<a href="javascript:window.__pwned = 'href'">js link</a>
<form action="javascript:window.__pwned = 'form'"><button>go</button></form>
<details open ontoggle="window.__pwned = 'details'"><summary>d</summary></details>"""

CONFIG = f"""<View style="background:url({E}/view.png)">
  <Style>{BEACON_CSS}</Style>
  <Text name="text" value="$text"/>
  <HyperText name="html" value="$html"/>
  <List name="items" value="$items"/>
  <Choices name="c" toName="text" value="$options"/>
</View>"""

OPTIONS = [
    {"value": "evil", "hotkey": "Enter", "style": f"background-image:url({E}/opt-style.png)"},
    {"value": "skipper", "hotkey": "s", "html": f"<img src='{E}/opt-html.png'>"},
    {"value": "digit", "hotkey": "1", "background": f"url({E}/opt-bg.png)"},
    {"value": "ok", "hotkey": "k"},
]


def hostile_tasks() -> list[dict]:
    """Task 0: every link, beacon and script vector; task 1: a 500 kB text; task 2: a small last one."""
    html = f"{LINKS}\n{TASK_HTML}\n{SCRIPTS}"
    first = {"text": "task 00 hostile", "html": html, "options": OPTIONS,
             "items": [{"id": "i", "html": f"<img src='{E}/list-html.png'>{SCRIPTS}"}]}
    big = {"text": "task 01 big " + long_text(500_000), "html": "<p>big</p>", "options": OPTIONS, "items": []}
    last = {"text": "task 02 last", "html": f"<p>last</p><img src='{DOT}'>", "options": OPTIONS, "items": []}
    return [{"data": d} for d in (first, big, last)]


def test_hostile_tasks_do_not_act_on_the_notebook_page(request, jupyter, page):
    (jupyter.root / "hostile_tasks.json").write_text(json.dumps(hostile_tasks()))
    setup = ("import json, nblabel\n"
             "tasks = json.load(open('hostile_tasks.json'))\n"
             f"lab = nblabel.Labeler(tasks, '''{CONFIG}''', annotator='t', store=':memory:')")
    name = jupyter.write_notebook(f"{safe(request.node.name)}.ipynb", [setup, "lab"])
    foreign: list[str] = []

    def record(req):
        url = req.url
        if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).hostname != "127.0.0.1":
            foreign.append(url)

    page.on("request", record)
    # popups (links retargeted to a new tab) get an empty page here instead of reaching the network
    page.context.route("**/evil.example/**", lambda r: r.fulfill(status=200, content_type="text/html", body=""))
    popups = []
    page.context.on("page", lambda p: popups.append(p))
    try:
        open_notebook(page, jupyter, name, workspace=safe(request.node.name))
        url = page.url
        run_cells(page, 0, 1)
        root = page.locator(".nblabel")
        expect(root).to_have_count(1, timeout=30_000)
        expect(root).to_contain_text("task 00 hostile", use_inner_text=True, timeout=20_000)
        navigations = []
        page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)

        # every link-like element: the clickable ones with the mouse, then a click event on all that are left
        for text in ["svg link", "svg xlink", "js link", "backslash link"]:
            page.locator(".nblabel").get_by_text(text).first.click()
        page.evaluate("""() => {
          for (const el of document.querySelectorAll('.nblabel a, .nblabel area, .nblabel [href], .nblabel button'))
            el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
        }""")
        page.evaluate("() => document.querySelectorAll('.nblabel details').forEach((d) => d.open = !d.open)")
        root.locator(".nblabel-option", has_text="digit").click()  # `[aria-checked=true]` beacon rules apply
        page.wait_for_timeout(500)  # navigations, loads and event handlers start within a frame or two
        assert navigations == [] and page.url == url
        assert page.evaluate("() => window.__pwned ?? null") is None
        assert root.locator(".nblabel-hypertext .nblabel-remote-blocked").count() >= 5  # the pixels say they were held
        for popup in popups:
            popup.wait_for_load_state()
            assert popup.evaluate("() => window.opener") is None

        # keys: the task's "Enter", "s" and "1" options do not take the widget's keys; host shortcuts stay quiet
        before = cells_snapshot(page)
        focus(page, root)
        page.evaluate(RECORD_KEYS)
        for key in ["d", "d", "a", "b", "m", "y"]:
            page.keyboard.press(key)
        page.keyboard.press("k")
        expect(root.locator(".nblabel-option", has_text="ok")).to_have_attribute("aria-checked", "true")
        page.keyboard.press("Enter")  # submits "ok", does not pick "evil"
        expect(root).to_contain_text("task 01 big", use_inner_text=True, timeout=20_000)
        page.keyboard.press("s")  # skips the big task, does not pick "skipper"
        expect(root).to_contain_text("task 02 last", use_inner_text=True, timeout=20_000)
        assert page.evaluate(KEYS_SEEN) == [], "a key pressed in the widget reached the notebook's document"
        assert cells_snapshot(page) == before
        wait_saved(page)
        got = json.loads(py(page, "print(json.dumps([lab.to_pandas()['c'].tolist(), lab.progress['skipped']]))"))
        assert got == [["ok", None, None], 1]

        assert navigations == [] and page.url == url
        assert page.evaluate("() => window.__pwned ?? null") is None
        assert foreign == [], foreign
    finally:
        page.context.unroute("**/evil.example/**")
        jupyter.shutdown_kernels()

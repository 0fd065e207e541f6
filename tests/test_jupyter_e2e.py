"""nblabel in a real JupyterLab 4 and Notebook 7, driven by headless Chromium: both hosts, and
nothing lost across a reload.

Each test writes its own notebook into the server root, opens it, runs it, and talks to the widget with the
keyboard the way a researcher would. Python state is read back from the same kernel (a cell, or a silent
execute request that leaves the notebook untouched). Screenshots land in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jupyter_harness import (KEYS_SEEN, RECORD_KEYS, cell_text, cells_snapshot, open_notebook, py, run_cells, set_theme,
                             wait_kernel)

pytestmark = pytest.mark.jupyter

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHOICES = ["Positive", "Negative", "Neutral"]  # digits 1, 2, 3
CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
REVIEWS = [
    "The battery lasts all week and it charges fast.", "Broke after two days, support never answered.",
    "It arrived on Tuesday in a brown box.", "Crisp screen, great speakers, would buy again.",
    "The strap smells of chemicals and gave me a rash.", "Works as described; nothing more to say.",
    "Setup took five minutes and the app is lovely.", "Overheats when charging and the fan is loud.",
    "Colour is slightly different from the photo.", "Best kettle I have owned, boils in a minute.",
    "Stopped pairing with my phone after an update.", "The manual is in English and French.",
]


def task_text(i: int) -> str:
    """Unique, substring-free marker per task: `task 07 · ...`."""
    return f"task {i:02d} · {REVIEWS[i % len(REVIEWS)]}"


def notebook_cells(texts: list[str], annotator: str = "e2e", store: str = ":memory:") -> list[str]:
    setup = (
        "import json\nimport pandas as pd\nimport nblabel\n\n"
        f"df = pd.DataFrame({{'text': {texts!r}}})\n"
        f'config = """{CONFIG}"""\n'
        f"lab = nblabel.Labeler(df, config, annotator={annotator!r}, store={store!r})"
    )
    check = "print(json.dumps(lab.to_pandas()['sentiment'].tolist()))"
    return [setup, "lab", check]


def safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


@pytest.fixture
def open_labeler(request, page):
    """Write a notebook with `texts` as tasks, open it, run setup + display; return the widget root locator."""
    used = []

    def _open(server, texts: list[str], **kw):
        name = server.write_notebook(f"{safe(request.node.name)}.ipynb", notebook_cells(texts, **kw))
        open_notebook(page, server, name, workspace=safe(request.node.name))
        used.append(server)
        run_cells(page, 0, 1)
        root = page.locator(".nblabel")
        expect(root).to_have_count(1, timeout=30_000)
        expect(root).to_be_visible()
        return root

    yield _open
    for server in used:  # one kernel per test; stop it so a long session stays small
        server.shutdown_kernels()


def focus(page, root) -> None:
    """Click the widget (its top-left padding, not a control) and check it owns the keyboard."""
    root.click(position={"x": 4, "y": 4})
    page.wait_for_function("() => !!document.activeElement?.closest('.nblabel')", timeout=5_000)


def expect_task(root, i: int) -> None:
    """Task i is the one on screen (visible text, so a prefetched hidden task does not count)."""
    expect(root).to_contain_text(task_text(i), use_inner_text=True, timeout=10_000)


def label(page, root, digits: str, start: int = 0) -> list[str]:
    """Key `digit, Enter` per task starting at task `start`, waiting for each next task; returns the labels keyed."""
    keyed = []
    for n, d in enumerate(digits):
        i = start + n
        expect_task(root, i)
        page.keyboard.press(d)
        page.keyboard.press("Enter")
        keyed.append(CHOICES[int(d) - 1])
        expect(root).not_to_contain_text(task_text(i), use_inner_text=True, timeout=10_000)
    return keyed


def wait_saved(page) -> None:
    """The 'saving…' mark goes away once Python acknowledged every submit."""
    expect(page.locator(".nblabel-saving")).to_be_hidden(timeout=15_000)


def labels_in_python(page) -> list:
    return json.loads(py(page, "print(json.dumps(lab.to_pandas()['sentiment'].tolist()))"))


def wait_labels(page, expected: list, timeout_s: float = 15.0) -> None:
    """Python holds exactly `expected` (polled: after a reload the outbox is re-sent once the new view says hello)."""
    got = None
    for _ in range(int(timeout_s / 0.25)):
        got = labels_in_python(page)
        if got == expected:
            return
        page.wait_for_timeout(250)
    assert got == expected


def shot(page, locator, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# ---------------------------------------------------------------------------------------------------------------------


def test_label_ten_tasks_with_the_keyboard(jupyter, page, open_labeler):
    """12 tasks; 10 labeled with digits + Enter; Python holds exactly those 10 labels, the last 2 are unlabeled."""
    root = open_labeler(jupyter, [task_text(i) for i in range(12)])
    focus(page, root)
    keyed = label(page, root, "1231231213")
    expect_task(root, 10)
    wait_saved(page)

    run_cells(page, 2)  # print(json.dumps(lab.to_pandas()['sentiment'].tolist()))
    stored = json.loads(cell_text(page, 2))
    assert stored == keyed + [None, None]
    progress = json.loads(py(page, "print(json.dumps(lab.progress))"))
    assert (progress["done"], progress["remaining"], progress["total"]) == (10, 2, 12)


def test_widget_keys_never_run_notebook_commands(jupyter, page, open_labeler):
    """`d d` (delete cell), `a`/`b` (insert), `m`/`y` (change type), Shift+Enter (run) are the widget's, not the
    notebook's: no keydown or keyup of them reaches a listener on the document (where JupyterLab, and VS Code's
    webview key forwarding, listen); a key pressed once the widget handed the keyboard back does."""
    root = open_labeler(jupyter, [task_text(i) for i in range(5)])
    run_cells(page, 2)  # give every cell an execution count, so a stray "run cell" shows too
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 1; }")
    before = cells_snapshot(page)
    counts = page.evaluate(_EXECUTION_COUNTS)

    focus(page, root)
    page.evaluate(RECORD_KEYS)
    for key in ["d", "d", "a", "b", "m", "y", "Shift+Enter"]:
        page.keyboard.press(key)
    page.wait_for_timeout(500)
    assert page.evaluate("() => !!document.activeElement?.closest('.nblabel')"), "the widget lost focus"
    assert page.evaluate(KEYS_SEEN) == [], "a widget key reached a document listener"
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    page.keyboard.press("Shift")  # harmless in command mode; focus is the notebook's now
    assert page.evaluate(KEYS_SEEN)[-2:] == ["keydown:Shift", "keyup:Shift"]

    assert cells_snapshot(page) == before
    assert page.evaluate(_EXECUTION_COUNTS) == counts
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length") == 3
    # Escape hands the keyboard back to the notebook
    assert page.evaluate("() => !document.activeElement?.closest('.nblabel')")


_EXECUTION_COUNTS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells, out = [];
  for (let i = 0; i < cells.length; i++) out.push(cells.get(i).executionCount ?? null);
  return out;
}"""


XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def test_task_text_is_shown_literally(jupyter, page, open_labeler):
    """A task whose text is HTML shows the characters, runs nothing, and creates no elements."""
    root = open_labeler(jupyter, [XSS, "second task"])
    expect(root).to_contain_text(XSS, use_inner_text=True)
    page.wait_for_timeout(1_000)  # an injected <img src=x> would have fired onerror by now
    assert page.evaluate("() => window.__xss") is None
    assert root.locator("img[src='x'], script").count() == 0


def _reload_and_find_widget(page) -> tuple:
    """Reload; JupyterLab/Notebook restore widget views from the live kernel. Fall back to re-running `lab`."""
    page.reload()
    wait_kernel(page)
    root = page.locator(".nblabel")
    try:
        expect(root).to_have_count(1, timeout=20_000)
        return root, "restored"
    except AssertionError:
        run_cells(page, 1)  # the same Labeler object, displayed again
        expect(root).to_have_count(1, timeout=20_000)
        return root, "re-displayed"


def test_reload_keeps_labels_and_position(jupyter, page, open_labeler):
    root = open_labeler(jupyter, [task_text(i) for i in range(6)])
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    focus(page, root)
    keyed = label(page, root, "213")
    wait_saved(page)

    root, how = _reload_and_find_widget(page)
    print(f"widget after reload: {how}")
    expect_task(root, 3)
    assert labels_in_python(page) == keyed + [None] * 3


def test_reload_right_after_a_keypress_loses_nothing(jupyter, page, open_labeler):
    """The submit may not have reached Python when the page goes away: the localStorage outbox re-sends it."""
    root = open_labeler(jupyter, [task_text(i) for i in range(6)])
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    focus(page, root)
    keyed = label(page, root, "32")
    wait_saved(page)
    expect_task(root, 2)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    keyed.append(CHOICES[0])

    root, how = _reload_and_find_widget(page)
    print(f"widget after reload: {how}")
    wait_labels(page, keyed + [None] * 3)
    expect_task(root, 3)
    wait_saved(page)


_DROP_KERNEL_SENDS = """() => {
  // Everything the page sends to the kernel from now on is silently lost (the page still believes it is
  // connected): the deterministic version of "the page went away before the submit reached Python".
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  if (!k._ws) throw new Error('KernelConnection._ws not found: @jupyterlab/services changed');
  k._ws.send = () => {};
}"""


def test_unsent_submits_survive_a_reload(jupyter, page, open_labeler):
    """Submits that never left the browser live in the localStorage outbox; a reload re-sends them. At most 3 wait."""
    root = open_labeler(jupyter, [task_text(i) for i in range(6)])
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    focus(page, root)
    page.evaluate(_DROP_KERNEL_SENDS)
    keyed = label(page, root, "213")  # three ahead of the last ack: the limit
    expect(page.locator(".nblabel-saving")).to_be_visible()
    page.keyboard.press("1")
    page.keyboard.press("Enter")  # a 4th would be 4 ahead: held, task 03 stays on screen
    page.wait_for_timeout(300)
    expect_task(root, 3)
    shot(page, root, f"{jupyter.app}-light-5-held")  # how the UI says "waiting for Python"

    root, how = _reload_and_find_widget(page)
    print(f"widget after reload: {how}")
    wait_labels(page, keyed + [None] * 3)
    wait_saved(page)
    expect_task(root, 3)  # the held 4th submit never counted as done: its task is shown again


# ---------------------------------------------------------------------------------------------------------------------
# Screenshots for humans (light and dark theme). Asserts only that the widget renders and keys work in both themes.


def test_screenshots_light_and_dark(jupyter, page, open_labeler):
    root = open_labeler(jupyter, [task_text(i) for i in range(3)])
    app = jupyter.app
    try:
        for theme, tag in [("JupyterLab Light", "light"), ("JupyterLab Dark", "dark")]:
            set_theme(page, theme)
            root.scroll_into_view_if_needed()
            shot(page, root, f"{app}-{tag}-1-task")
            focus(page, root)
            page.keyboard.press("1" if tag == "light" else "2")
            page.wait_for_timeout(200)
            shot(page, root, f"{app}-{tag}-2-selected")
            page.keyboard.press("?")
            page.wait_for_timeout(200)
            shot(page, root, f"{app}-{tag}-3-legend")
            page.screenshot(path=str(ARTIFACTS / f"{app}-{tag}-page-legend.png"))
            page.keyboard.press("?")
            page.wait_for_timeout(200)
            page.screenshot(path=str(ARTIFACTS / f"{app}-{tag}-page.png"))
        focus(page, root)
        label(page, root, "2", start=0)
        label(page, root, "33", start=1)
        wait_saved(page)
        expect(root.locator(".nblabel-summary")).to_be_visible()  # "All tasks labeled", not a stuck spinner
        shot(page, root, f"{app}-dark-4-summary")
        set_theme(page, "JupyterLab Light")
        shot(page, root, f"{app}-light-4-summary")
    finally:
        set_theme(page, "JupyterLab Light")  # the theme is a server-side setting: later tests expect light

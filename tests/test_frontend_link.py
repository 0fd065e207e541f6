"""A view whose Python is gone says so (fake model playing JupyterLab's widget manager and kernel): the comm marked
dead on a kernel restart, the kernel reporting it stopped, a message processed with no answer; a busy kernel is not
mistaken for a lost one; every answer carries its age so Python can leave replays out of the rate.
"""

from __future__ import annotations

import pytest

from frontend_page import DARK, LIGHT, ROOT, missing_reason, mount, received, shown_text, text_tasks, wait_received
from test_frontend_page import SENTIMENT, focus, saving_visible

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

OUTBOX = "nblabel-outbox:test-store:alice"


def offline(page) -> str | None:
    box = page.locator(".nblabel-offline")
    return box.text_content() if box.count() else None


def answer(page, digit: str = "1") -> None:
    page.keyboard.press(digit)
    page.keyboard.press("Enter")


def test_a_kernel_restart_shows_not_connected_with_what_waits(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(6))
    focus(fe_page)
    answer(fe_page)
    wait_received(fe_page, "submit", 1)
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert offline(fe_page) is None
    fe_page.evaluate("() => { window.__nb.python.gone = true; window.__nb.model._trigger('comm_live_update'); }")
    assert offline(fe_page) == ("Not connected — re-run this cell (0 answers waiting). The kernel restarted: "
                                "nothing labeled here is saved until the cell runs again.")
    assert "is-offline" in fe_page.locator(".nblabel").get_attribute("class")
    answer(fe_page, "2")
    assert offline(fe_page).startswith("Not connected — re-run this cell (1 answer waiting).")
    answer(fe_page, "3")
    assert offline(fe_page).startswith("Not connected — re-run this cell (2 answers waiting).")
    stored = fe_page.evaluate(f"JSON.parse(localStorage.getItem('{OUTBOX}'))")
    assert [e["key"] for e in stored] == ["1", "2"]  # kept for the re-run


def test_a_message_processed_without_an_answer_means_python_is_gone(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(6))
    focus(fe_page)
    answer(fe_page)
    wait_received(fe_page, "submit", 1)
    # its ack in first: an answer to an earlier request heard after the next send counts as Python being there
    # (link.js: any message since the send), so a late ack would leave the silence for the send after
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    fe_page.evaluate("() => { window.__nb.python.gone = true; }")  # no event at all: only the silence tells
    answer(fe_page)
    wait_received(fe_page, "submit", 2)
    fe_page.wait_for_selector(".nblabel-offline")
    assert offline(fe_page).startswith("Not connected — re-run this cell (1 answer waiting). Python no longer answers")


def test_the_kernel_reporting_dead_shows_not_connected(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(3))
    fe_page.evaluate("() => window.__nb.model._kernelStatus('busy')")
    assert offline(fe_page) is None
    fe_page.evaluate("() => window.__nb.model._kernelStatus('dead')")
    assert "The kernel stopped" in offline(fe_page)


def test_a_busy_kernel_is_not_a_lost_one(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(8), autoAck=False)  # submits wait unprocessed, like behind a long cell
    focus(fe_page)
    for _ in range(4):
        answer(fe_page)
    assert saving_visible(fe_page) and offline(fe_page) is None
    fe_page.evaluate("window.__nb.python.flush()")
    wait_received(fe_page, "submit", 4)
    fe_page.evaluate("window.__nb.python.flush()")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').hidden")
    assert offline(fe_page) is None and shown_text(fe_page) == "review number 4"


def test_a_held_answer_while_not_connected_says_it_is_not_kept(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(8))
    fe_page.evaluate("() => { window.__nb.python.gone = true; window.__nb.model._trigger('comm_live_update'); }")
    focus(fe_page)
    for _ in range(4):
        answer(fe_page)
    assert fe_page.locator(".nblabel-hint").text_content() == \
        "Not connected: this answer cannot be kept (3 already wait). Re-run the cell."
    assert offline(fe_page).startswith("Not connected — re-run this cell (4 answers waiting).")


def test_answers_carry_their_age_and_a_replay_is_old(fe_page):
    mount(fe_page, SENTIMENT, text_tasks(6), autoAck=False)
    focus(fe_page)
    answer(fe_page)
    [live] = wait_received(fe_page, "submit", 1)
    assert 0 <= live["age_s"] < 5
    # the page goes away before Python confirmed it; the answer was given an hour ago
    fe_page.evaluate(f"""() => {{ const e = JSON.parse(localStorage.getItem('{OUTBOX}'));
        e[0].at = Date.now() - 3600 * 1000; localStorage.setItem('{OUTBOX}', JSON.stringify(e)); }}""")
    fe_page.reload()
    mount(fe_page, SENTIMENT, text_tasks(6))
    [replayed] = wait_received(fe_page, "submit", 1)
    assert replayed["id"] == live["id"] and replayed["age_s"] >= 3600


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot_not_connected(fe_page, theme):
    """Not an assertion on pixels: leaves test-artifacts/link-offline-<theme>.png to look at."""
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    mount(fe_page, SENTIMENT, text_tasks(4), theme=DARK if theme == "dark" else LIGHT)
    fe_page.evaluate("() => { window.__nb.python.gone = true; window.__nb.model._trigger('comm_live_update'); }")
    focus(fe_page)
    answer(fe_page, "2")
    fe_page.locator("#host").screenshot(path=str(out / f"link-offline-{theme}.png"))
    assert received(fe_page, "submit")


def test_a_live_view_hides_its_own_static_card_only(fe_page):
    fe_page.evaluate("""() => {
        for (const [id, token] of [['mine', 'a1b2c3d4e5f6'], ['other', 'ffffffffffff']]) {
            const out = document.createElement('div');
            out.id = id;
            out.innerHTML = `<div class="nblabel-static" data-nblabel-view="${token}">nblabel labeling widget</div>`;
            document.body.append(out);
        }
    }""")
    mount(fe_page, SENTIMENT, text_tasks(2), viewToken="a1b2c3d4e5f6")
    assert not fe_page.locator("#mine .nblabel-static").is_visible()
    assert fe_page.locator("#other .nblabel-static").is_visible()

"""The labeling rate from browser answers: placed at their key press (`age_s`), replays left out."""

from __future__ import annotations

import pytest

import nblabel
from helpers import CONFIG, choice, frame
from test_widget_messages import Browser


@pytest.fixture
def browser(tmp_path):
    b = Browser(nblabel.Labeler(frame(12), CONFIG, annotator="ui", store=tmp_path / "s.db"))
    b.say({"type": "hello", "id": "h1"})
    return b


def send(browser: Browser, key: str, age_s) -> dict:
    return browser.say({"type": "submit", "id": f"u{key}", "key": key, "result": choice("Positive"),
                        "lead_time": 1.0, "age_s": age_s})


def test_replayed_answers_do_not_make_a_rate(browser):
    """An outbox re-sent after a re-run: four answers arrive within milliseconds, given an hour ago."""
    for i in range(4):
        ack = send(browser, str(i), 3600 - i)
        assert ack["type"] == "ack"
    p = browser.lab.progress
    assert p["done"] == 4 and p["rate_per_min"] is None and p["eta_s"] is None


def test_answers_count_at_their_key_press(browser):
    """Three answers pressed 10 s apart reach Python at once (a busy kernel): at most 6 per minute, not thousands.

    (The presses span 20 s plus however long the three sends took, so 6/min is an upper bound whatever the machine.)
    """
    for i, age in enumerate([20.0, 10.0, 0.0]):
        send(browser, str(i), age)
    assert 0 < browser.lab.progress["rate_per_min"] <= 6.0


def test_replays_leave_the_live_rate_alone(browser):
    for i, age in enumerate([20.0, 10.0, 0.0]):
        send(browser, str(i), age)
    live = browser.lab.progress["rate_per_min"]
    for i in range(3, 7):
        send(browser, str(i), 7200.0)
    assert browser.lab.progress["done"] == 7
    assert browser.lab.progress["rate_per_min"] == live


@pytest.mark.parametrize("age", [None, "3", True, -1, float("nan")])
def test_a_missing_or_odd_age_never_breaks_a_submit(browser, age):
    ack = send(browser, "0", age)
    assert ack["type"] == "ack" and browser.lab.progress["done"] == 1

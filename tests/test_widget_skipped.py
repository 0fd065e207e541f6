"""Skipped tasks at the end of the queue: served again on request (API and widget message), marked as skipped before."""

from __future__ import annotations

import nblabel
from helpers import CONFIG, choice, frame
from test_widget_messages import Browser


def _skip_twice(lab: nblabel.Labeler) -> None:
    """Tasks 0 and 2 skipped, then skipped again when they came back; 1 labeled."""
    lab.skip()
    lab.submit(choice("Positive"))
    lab.skip()
    assert lab.current["id"] == 0  # skipped tasks come back once by themselves
    lab.skip()
    lab.skip()
    assert lab.current is None


def test_label_skipped_serves_tasks_skipped_twice_again(tmp_path):
    lab = nblabel.Labeler(frame(3), CONFIG, annotator="a", store=tmp_path / "s.db")
    _skip_twice(lab)
    assert lab.progress["done"] == 1 and lab.progress["skipped"] == 2
    assert lab.label_skipped() == 2
    assert lab.current["id"] == 0
    lab.submit(choice("Negative"))
    assert lab.current["id"] == 2
    lab.skip()
    assert lab.current is None and lab.progress["skipped"] == 1
    assert lab.label_skipped() == 1 and lab.current["id"] == 2


def test_label_skipped_with_nothing_skipped_changes_nothing(tmp_path):
    lab = nblabel.Labeler(frame(2), CONFIG, annotator="a", store=tmp_path / "s.db")
    assert lab.label_skipped() == 0
    assert lab.current["id"] == 0


def test_label_skipped_message_answers_with_a_state_marking_them(tmp_path):
    lab = nblabel.Labeler(frame(3), CONFIG, annotator="a", store=tmp_path / "s.db")
    browser = Browser(lab)
    browser.say({"type": "hello", "id": "h1"})
    _skip_twice(lab)
    empty = browser.say({"type": "hello", "id": "h1"})
    assert empty["tasks"] == []
    state = browser.say({"type": "label_skipped", "id": "l1"})
    assert state["type"] == "state"
    assert [(t["key"], t["skipped_before"]) for t in state["tasks"]] == [("0", True), ("2", True)]
    assert state["keys"]["label_skipped"] == "Shift+S"


def test_a_fresh_task_is_not_marked_skipped_before(tmp_path):
    lab = nblabel.Labeler(frame(3), CONFIG, annotator="a", store=tmp_path / "s.db")
    state = Browser(lab).say({"type": "hello", "id": "h1"})
    assert [t["skipped_before"] for t in state["tasks"]] == [False, False, False]

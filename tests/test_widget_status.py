"""`status`, the synced trait a reactive host (marimo) re-runs dependent cells on, and `last_annotation`."""

from __future__ import annotations

import threading
import uuid

import nblabel
from helpers import CONFIG, choice, deliver, frame


def _say(lab, content: dict) -> None:
    t = threading.Thread(target=deliver, args=(lab, content), name="subshell-test")
    t.start()
    t.join()


def _lab(tmp_path):
    lab = nblabel.Labeler(frame(4), CONFIG, annotator="st", store=tmp_path / "s.db")
    lab.send = lambda content, buffers=None: None  # no front end: messages go nowhere
    return lab


def test_status_follows_every_answer_once_a_view_said_hello(tmp_path):
    lab = _lab(tmp_path)
    lab.submit(choice("Positive"))
    assert lab.status == {}  # headless, no view yet: nothing computed per submit
    _say(lab, {"type": "hello", "id": "h1"})
    first = lab.status
    assert (first["done"], first["remaining"], first["total"]) == (1, 3, 4)
    _say(lab, {"type": "submit", "id": uuid.uuid4().hex, "key": "1", "result": choice("Negative"), "lead_time": 1})
    after = lab.status
    assert after["done"] == 2 and after["revision"] > first["revision"]
    assert after["annotation_id"] == lab.last_annotation["id"]
    assert lab.last_annotation["result"][0]["value"]["choices"] == ["Negative"]
    assert lab.last_annotation["task"] == 1

    lab.undo()
    undone = lab.status
    assert undone["done"] == 1 and undone["revision"] > after["revision"]
    assert lab.last_annotation is None and undone["annotation_id"] is None
    lab.redo()
    assert lab.status["done"] == 2 and lab.status["revision"] > undone["revision"]


def test_a_browser_write_of_status_never_replaces_pythons(tmp_path):
    lab = _lab(tmp_path)
    _say(lab, {"type": "hello", "id": "h1"})
    own = dict(lab.status)
    lab.set_state({"status": {"done": 99, "revision": 10**6}})  # what a front end's echo (or a forged one) sends
    assert lab.status == own


def test_status_holds_counts_and_ids_only(tmp_path):
    lab = _lab(tmp_path)
    _say(lab, {"type": "hello", "id": "h1"})
    lab.submit(choice("Positive"))
    assert set(lab.status) == {"done", "skipped", "remaining", "total", "rate_per_min", "eta_s", "annotation_id",
                               "revision"}
    assert all(v is None or isinstance(v, (int, float)) for v in lab.status.values())

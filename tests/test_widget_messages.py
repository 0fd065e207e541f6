"""The UI path: browser messages handled on another thread (like a kernel subshell), acks after commit."""

from __future__ import annotations

import threading
import uuid

import pytest

import nblabel
from helpers import CONFIG, FULL_CONFIG, choice, deliver, frame


class Browser:
    """Plays the front end: sends messages to the Labeler from a separate thread and records the answers."""

    def __init__(self, lab: nblabel.Labeler) -> None:
        self.lab = lab
        self.inbox: list[dict] = []
        lab.send = lambda content, buffers=None: self.inbox.append(content)  # what model.send would receive

    def say(self, content: dict) -> dict:
        before = len(self.inbox)
        t = threading.Thread(target=deliver, args=(self.lab, content), name="subshell-test")
        t.start()
        t.join()
        assert len(self.inbox) > before, f"no answer to {content}"
        return self.inbox[-1]

    def submit(self, key: str, result: list, uid: str | None = None) -> dict:
        return self.say({"type": "submit", "id": uid or uuid.uuid4().hex, "key": key, "result": result,
                         "lead_time": 1.5})


@pytest.fixture
def browser(tmp_path):
    return Browser(nblabel.Labeler(frame(12), CONFIG, annotator="ui", store=tmp_path / "s.db"))


def test_hello_sends_state_with_config_and_window(browser):
    state = browser.say({"type": "hello", "id": "r1"})
    assert state["type"] == "state" and state["error"] is None
    assert state["config"]["tag"] == "View"
    assert [t["key"] for t in state["tasks"]] == ["0", "1", "2", "3", "4", "5"]
    assert state["tasks"][0]["data"] == {"text": "review number 0"}
    assert state["progress"]["total"] == 12 and state["keys"]["submit"] == "Enter"
    assert state["outbox_key"].startswith("nblabel-outbox:")


def test_submits_from_the_browser_thread_are_acked_after_commit(browser):
    browser.say({"type": "hello", "id": "r2"})
    for i in range(10):  # several messages: the sqlite connection must work from the second one on
        ack = browser.submit(str(i), choice("Positive"))
        assert ack["type"] == "ack" and isinstance(ack["annotation_id"], int)
        assert ack["window"][0]["key"] == str(i + 1)
        assert ack["progress"]["done"] == i + 1
    df = browser.lab.to_pandas()
    assert list(df["sentiment"][:10]) == ["Positive"] * 10
    assert df.loc[0, "annotations"][0]["lead_time"] == 1.5


def test_browser_may_run_ahead_of_python(browser):
    """The UI paints the next task before the ack: submits for tasks 1 and 2 may arrive in any order of acks."""
    browser.say({"type": "hello", "id": "r3"})
    browser.submit("1", choice("Negative"))
    browser.submit("0", choice("Positive"))
    ack = browser.submit("2", choice("Neutral"))
    assert ack["window"][0]["key"] == "3"
    assert list(browser.lab.to_pandas()["sentiment"][:3]) == ["Positive", "Negative", "Neutral"]


def test_resent_outbox_is_not_stored_twice(browser):
    browser.say({"type": "hello", "id": "r4"})
    first = browser.submit("0", choice("Positive"), uid="same")
    again = browser.submit("0", choice("Positive"), uid="same")
    assert first["annotation_id"] == again["annotation_id"]
    assert sum(len(a) for a in browser.lab.to_pandas()["annotations"]) == 1


def test_invalid_result_is_nacked_with_a_reason(browser):
    browser.say({"type": "hello", "id": "r5"})
    nack = browser.submit("0", choice("Amazing"))
    assert nack["type"] == "nack" and "Amazing" in nack["message"]
    nack = browser.submit("nope", choice("Positive"))
    assert nack["type"] == "nack"
    assert browser.lab.progress["done"] == 0


def test_skip_undo_redo_back_from_the_browser(browser):
    browser.say({"type": "hello", "id": "r6"})
    browser.submit("0", choice("Positive"))
    skip = browser.say({"type": "skip", "id": "s1", "key": "1", "lead_time": 0.2})
    assert skip["type"] == "ack" and skip["progress"]["skipped"] == 1
    state = browser.say({"type": "undo", "id": "r7"})
    assert state["tasks"][0]["key"] == "1" and state["can_redo"]
    state = browser.say({"type": "redo", "id": "r8"})
    assert state["tasks"][0]["key"] == "2"
    state = browser.say({"type": "back", "id": "r9"})
    assert state["tasks"][0]["key"] == "1"
    state = browser.say({"type": "back", "id": "r10"})
    assert state["tasks"][0]["key"] == "0"
    assert state["tasks"][0]["prefill"][0]["value"] == {"choices": ["Positive"]}
    assert state["tasks"][0]["prefill_from"] == "annotation"
    state = browser.say({"type": "goto", "id": "r11", "key": "7"})
    assert state["tasks"][0]["key"] == "7"


def test_headless_calls_update_a_displayed_widget(browser):
    browser.say({"type": "hello", "id": "r12"})
    n = len(browser.inbox)
    browser.lab.submit(choice("Positive"))
    assert len(browser.inbox) == n + 1 and browser.inbox[-1]["tasks"][0]["key"] == "1"


def test_empty_queue_state_has_no_tasks(tmp_path):
    b = Browser(nblabel.Labeler(frame(1), CONFIG, store=tmp_path / "s.db"))
    b.say({"type": "hello", "id": "r13"})
    ack = b.submit("0", choice("Positive"))
    assert ack["window"] == []
    assert b.say({"type": "hello", "id": "r14"})["tasks"] == []


def test_task_payload_holds_only_config_fields(tmp_path):
    df = frame(2)
    df["secret_big_column"] = ["x" * 1000] * 2
    b = Browser(nblabel.Labeler(df, CONFIG, store=tmp_path / "s.db"))
    task = b.say({"type": "hello", "id": "r15"})["tasks"][0]
    assert task["data"] == {"text": "review number 0"}


def test_all_controls_roundtrip_from_the_browser(tmp_path):
    b = Browser(nblabel.Labeler(frame(2), FULL_CONFIG, store=tmp_path / "s.db"))
    b.say({"type": "hello", "id": "r16"})
    result = [
        {"id": "a1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Neutral"]}},
        {"id": "a2", "from_name": "topics", "to_name": "text", "type": "choices",
         "value": {"choices": ["Price", "Service"]}},
        {"id": "a3", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["too pricey 💸"]}},
        {"id": "a4", "from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 2}},
        {"id": "a5", "from_name": "score", "to_name": "text", "type": "number", "value": {"number": 7.5}},
    ]
    assert b.submit("0", result)["type"] == "ack"
    row = b.lab.to_pandas().loc[0]
    assert row["sentiment"] == "Neutral" and row["topics"] == ["Price", "Service"]
    assert row["note"] == "too pricey 💸" and row["stars"] == [{"rating": 2}] and row["score"] == [{"number": 7.5}]
    for bad in ({"rating": 9}, {"rating": 2.5}):
        nack = b.submit("1", [{**result[3], "value": bad}])
        assert nack["type"] == "nack"
    assert b.submit("1", [{**result[4], "value": {"number": 11}}])["type"] == "nack"
    assert b.submit("1", [{**result[0], "value": {"choices": ["Neutral", "Positive"]}}])["type"] == "nack"


def test_an_answer_to_a_task_whose_fields_changed_is_refused(tmp_path):
    """A replayed outbox (kernel restart, cell re-run on edited data) must not land on the new text."""
    rows = [{"text": "good"}, {"text": "bad"}]
    browser = Browser(nblabel.Labeler(rows, CONFIG, annotator="ui", store=tmp_path / "s.db"))
    browser.say({"type": "hello", "id": "h1"})  # task 0 served on "good"
    browser.lab.close()
    rows[0]["text"] = "awful kettle"
    browser = Browser(nblabel.Labeler(rows, CONFIG, annotator="ui", store=tmp_path / "s.db"))
    nack = browser.submit("0", choice("Positive"), uid="replayed")  # before any state: straight from the outbox
    assert nack["type"] == "nack" and "changed since" in nack["message"] and 'store="' in nack["message"]
    assert browser.lab.progress["done"] == 0 and browser.lab.to_pandas().loc[0, "sentiment"] is None

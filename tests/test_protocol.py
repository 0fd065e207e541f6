"""The widget protocol on both sides: one set of example messages (tests/protocol_examples.json) is checked by the
Python Structs (nblabel/widget/_protocol.py) and by the browser's validators (js/protocol.js, in headless Chromium);
messages the real Labeler sends pass the browser's checks, and requests the real front end sends decode in Python.
Malformed or unknown requests get an answer naming them, never a traceback: they go through the comm's own path
(ipywidgets `_handle_msg`, which prints a traceback for any exception) on a thread of their own.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import msgspec
import pytest

import nblabel
from frontend_page import ROOT, missing_reason, mount, open_page, received, text_tasks, wait_received
from helpers import CONFIG, choice, deliver, frame
from nblabel.widget import _protocol as proto

EXAMPLES = json.loads((Path(__file__).parent / "protocol_examples.json").read_text(encoding="utf-8"))["examples"]
PROTOCOL_JS = ROOT / "js" / "protocol.js"
_REASON = missing_reason()
needs_browser = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")


def python_accepts(example: dict) -> bool:
    check = proto.decode if example["to"] == "python" else proto.check_outgoing
    try:
        check(example["message"])
    except (proto.ProtocolError, msgspec.ValidationError):
        return False
    return True


def test_the_examples_cover_every_message_both_ways():
    kinds = {(e["to"], e["message"]["type"]) for e in EXAMPLES if e["ok"]}
    assert kinds == {("python", t) for t in ("hello", "submit", "skip", "undo", "redo", "back", "goto", "media")} | \
        {("browser", t) for t in ("state", "ack", "nack", "notice", "loading", "media")}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e['to']}-{e.get('why') or e['message']['type']}")
def test_python_structs_agree_with_each_example(example):
    assert python_accepts(example) is example["ok"]


# -- the real Labeler ----------------------------------------------------------------------------------------------
class Browser:
    """Plays the front end: each message goes to the Labeler through the comm path, on a thread of its own."""

    def __init__(self, lab: nblabel.Labeler) -> None:
        self.lab, self.inbox = lab, []
        lab.send = lambda content, buffers=None: self.inbox.append(content)

    def say(self, content) -> dict:
        before = len(self.inbox)
        t = threading.Thread(target=deliver, args=(self.lab, content), name="subshell-test")
        t.start()
        t.join()
        # a suggestion that became ready may be pushed meanwhile (a state with a cause): it answers nobody
        answers = [m for m in self.inbox[before:] if "cause" not in m]
        assert len(answers) == 1, f"expected exactly one answer to {content}"
        return answers[0]


@pytest.fixture
def ui(tmp_path):
    lab = nblabel.Labeler(frame(6), CONFIG, annotator="ui", store=tmp_path / "s.db")
    yield Browser(lab)
    lab.close()


def test_every_answer_names_its_request(ui):
    state = ui.say({"type": "hello", "id": "h1"})
    assert (state["type"], state["re"]) == ("state", "h1") and "cause" not in state
    ack = ui.say({"type": "submit", "id": "s1", "key": state["tasks"][0]["key"], "result": choice("Positive")})
    assert (ack["type"], ack["re"]) == ("ack", "s1")
    assert ui.say({"type": "skip", "id": "s2", "key": "1"})["re"] == "s2"
    for kind in ("undo", "redo", "back"):
        answer = ui.say({"type": kind, "id": f"n-{kind}"})
        assert (answer["type"], answer["re"]) == ("state", f"n-{kind}") and "cause" not in answer
    answer = ui.say({"type": "goto", "id": "g1", "key": "4"})
    assert answer["re"] == "g1" and answer["tasks"][0]["key"] == "4"
    nack = ui.say({"type": "submit", "id": "s3", "key": "4", "result": choice("Amazing")})
    assert (nack["type"], nack["re"], nack["key"]) == ("nack", "s3", "4") and "Amazing" in nack["message"]
    failed = ui.say({"type": "goto", "id": "g2", "key": "99"})  # a request that fails in Python
    assert (failed["type"], failed["re"]) == ("notice", "g2") and "no task with id 99" in failed["message"]


def test_unsolicited_states_say_why_they_were_sent(ui):
    ui.say({"type": "hello", "id": "h1"})
    ui.lab.submit(choice("Negative"))
    ui.lab.back()
    ui.lab.close()
    pushed = ui.inbox[1:]
    assert [(m["type"], m["re"], m["cause"]) for m in pushed] == [
        ("state", None, "headless"), ("state", None, "headless"), ("state", None, "closed")]


def test_a_ready_suggestion_is_pushed_as_such(tmp_path):
    release, pushed = threading.Event(), threading.Event()

    def slow(tasks):
        release.wait(10)
        return [("Positive", 0.8) for _ in tasks]

    lab = nblabel.Labeler(frame(3), CONFIG, store=tmp_path / "s.db", predictor=slow)
    inbox = []

    def send(content, buffers=None):
        inbox.append(content)
        if content.get("cause") == "suggestion":
            pushed.set()

    lab.send = send
    deliver(lab, {"type": "hello", "id": "h1"})  # the widget never waits: the first state has no suggestion yet
    assert inbox[0]["re"] == "h1" and inbox[0]["tasks"][0]["prediction"] is None
    release.set()
    assert pushed.wait(10)
    late = next(m for m in inbox if m.get("cause") == "suggestion")
    assert late["re"] is None and late["tasks"][0]["prediction"]["score"] == 0.8
    lab.close()


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e["to"] == "python" and not e["ok"]],
                         ids=lambda e: e["why"])
def test_a_refused_message_gets_an_answer_and_no_traceback(ui, capfd, example):
    ui.say({"type": "hello", "id": "h1"})
    message = example["message"]
    answer = ui.say(message)
    request_id = message.get("id") if isinstance(message, dict) and message.get("id") else None
    kind = message.get("type") if isinstance(message, dict) else None
    if request_id and kind in ("submit", "skip"):
        assert answer["type"] == "nack" and answer["re"] == request_id
    elif request_id and kind == "media":
        assert answer["type"] == "media" and answer["re"] == request_id and answer["ok"] is False
    else:
        assert answer["type"] == "notice" and answer["re"] == request_id
    assert answer["message"]
    assert ui.lab.progress["done"] == 0 and ui.lab.progress["skipped"] == 0
    assert "Traceback" not in capfd.readouterr().err


# -- the browser's side --------------------------------------------------------------------------------------------
@pytest.fixture
def js_page(chromium):
    context = chromium.new_context()
    page = open_page(context)
    page.evaluate("""async (src) => {
        window.__protocol = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
    }""", PROTOCOL_JS.read_text(encoding="utf-8"))
    yield page
    context.close()


def js_problems(page, pairs: list[tuple[str, object]]) -> list[str | None]:
    return page.evaluate("(pairs) => pairs.map(([to, m]) => window.__protocol.problem(to, m))", pairs)


@pytest.mark.browser
@needs_browser
def test_the_browser_validators_agree_with_each_example(js_page):
    verdicts = js_problems(js_page, [(e["to"], e["message"]) for e in EXAMPLES])
    disagree = [(e.get("why", e["message"]), why) for e, why in zip(EXAMPLES, verdicts) if (why is None) != e["ok"]]
    assert disagree == []


@pytest.mark.browser
@needs_browser
def test_what_the_real_labeler_sends_passes_the_browser_checks(js_page, tmp_path):
    rows = [{"text": f"t{i}", "image": b"\x89PNG-not-really" if i == 0 else "missing.png"} for i in range(4)]
    config = """<View><Text name="text" value="$text"/><Image name="image" value="$image"/>
      <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/>
      </Choices></View>"""
    lab = nblabel.Labeler(rows, config, annotator="ui", store=tmp_path / "s.db",
                          predictor=lambda ts: ["Positive"] * len(ts))
    ui = Browser(lab)
    ui.say({"type": "hello", "id": "h1"})
    ui.say({"type": "submit", "id": "s1", "key": "0", "result": choice("Positive")})
    ui.say({"type": "submit", "id": "s2", "key": "1", "result": choice("Amazing")})
    ui.say({"type": "skip", "id": "s3", "key": "1"})
    for kind in ("undo", "redo", "back"):
        ui.say({"type": kind, "id": kind})
    ui.say({"type": "goto", "id": "g", "key": "99"})
    ui.say({"type": "media", "id": "m1", "key": "0", "field": "image"})
    ui.say({"type": "media", "id": "m2", "key": "2", "field": "text"})
    ui.say({"type": "bogus", "id": "b"})
    lab.submit(choice("Negative"))
    lab.close()
    sent = ui.inbox
    assert {m["type"] for m in sent} == {"state", "ack", "nack", "notice", "media"}
    assert js_problems(js_page, [("browser", m) for m in sent]) == [None] * len(sent)


@pytest.mark.browser
@needs_browser
def test_what_the_real_front_end_sends_decodes_in_python(chromium):
    context = chromium.new_context()
    page = open_page(context)
    config = """<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text" choice="single">
      <Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""
    mount(page, config, text_tasks(5))
    page.locator(".nblabel").focus()
    for key, kind in (("1", None), ("Enter", "submit"), ("s", "skip"), ("z", "undo"), ("Shift+Z", "redo"),
                      ("ArrowLeft", "back")):
        page.keyboard.press(key)
        if kind:
            wait_received(page, kind, 1)
            page.wait_for_function("() => !document.querySelector('.nblabel.is-pending')")
    sent = received(page)
    context.close()
    assert {m["type"] for m in sent} == {"hello", "submit", "skip", "undo", "redo", "back"}
    decoded = [proto.decode(m) for m in sent]
    assert len({r.id for r in decoded}) == len(decoded)  # one fresh id per request

"""What a key press does before its frame, in the built bundle with the fake model: no layout forced from the widget's
keydown handler, the answer still sent (and in order with later requests), a scrolled text starting the next task at
its top, and no animation started by a quick save.

Forced layouts are read from a Chrome trace (CDP Tracing): a style or layout pass that carries a JS stack trace inside
the keydown dispatch was forced by script. Counted, never timed.
"""

from __future__ import annotations

import json

from frontend_page import mount, task, wait_received

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <TextArea name="note" toName="text"/>
</View>"""
PRED = [{"id": "p1", "from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"choices": ["Positive"]}}]


def tasks(n: int, words: int = 30) -> list[dict]:
    return [task(str(i), {"text": f"review {i}: " + "words " * words}, prefill=PRED, prefill_from="prediction",
                 prediction={"id": 1, "model_version": "v1", "score": 0.9}) for i in range(n)]


def forced_layouts(page, presses: int) -> list[str]:
    """Press Enter `presses` times under a trace; return the style/layout passes forced by script inside keydown."""
    cdp = page.context.new_cdp_session(page)
    events: list[dict] = []
    done: list[int] = []
    cdp.on("Tracing.dataCollected", lambda m: events.extend(m["value"]))
    cdp.on("Tracing.tracingComplete", lambda m: done.append(1))
    cdp.send("Tracing.start", {"categories": "devtools.timeline,disabled-by-default-devtools.timeline.stack",
                               "transferMode": "ReportEvents"})
    for i in range(presses):
        page.keyboard.press("Enter")
        page.wait_for_function("(n) => window.__nb.python.of('submit').length >= n", arg=i + 1)
    cdp.send("Tracing.end")
    page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => r(true)))")
    while not done:
        page.wait_for_timeout(50)
    keydowns = [(e["ts"], e["ts"] + e["dur"]) for e in events if e.get("name") == "EventDispatch"
                and e.get("ph") == "X" and (e.get("args", {}).get("data") or {}).get("type") == "keydown"]
    assert len(keydowns) >= presses  # the trace saw the presses (else this test would assert nothing)
    forced = []
    for e in events:
        if e.get("name") not in ("UpdateLayoutTree", "Layout") or e.get("ph") != "X":
            continue
        stack = (e.get("args", {}).get("beginData") or {}).get("stackTrace") or []
        if stack and any(a <= e["ts"] < b for a, b in keydowns):
            forced.append(f"{e['name']} from " + json.dumps([f.get("functionName") for f in stack[:4]]))
    return forced


def test_enter_forces_no_layout_from_the_key_handler(fe_page):
    mount(fe_page, CONFIG, tasks(12), ackDelay=2)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")  # first press compiles the path; measured presses follow
    wait_received(fe_page, "submit", 1)
    fe_page.evaluate("window.__nb.python.received.length = 0")
    assert forced_layouts(fe_page, 6) == []
    assert fe_page.locator(".nblabel-task-id").text_content() == "Task 7"


def test_answer_goes_out_after_the_key_press_and_before_a_later_request(fe_page):
    mount(fe_page, CONFIG, tasks(6), autoAck=False)
    fe_page.locator(".nblabel").focus()
    # Enter and Z inside one task: the submit, put off until the key press ends, must still reach Python first
    fe_page.evaluate("""() => {
      const root = document.querySelector('.nblabel');
      for (const key of ['Enter', 'z'])
        root.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
    }""")
    wait_received(fe_page, "undo", 1)
    kinds = [m["type"] for m in fe_page.evaluate("window.__nb.python.received") if m["type"] in ("submit", "undo")]
    assert kinds[:2] == ["submit", "undo"]  # (the state answering undo re-sends what is unacked: a 2nd submit)



def test_a_scrolled_text_starts_the_next_task_at_its_top(fe_page):
    mount(fe_page, CONFIG, tasks(3, words=900))
    text = fe_page.locator(".nblabel-text")
    assert text.evaluate("e => e.scrollHeight > e.clientHeight")
    text.evaluate("e => { e.scrollTop = 200; }")
    fe_page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => setTimeout(() => r(true), 0)))")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 1)
    assert fe_page.locator(".nblabel-task-id").text_content() == "Task 1"
    assert text.evaluate("e => e.scrollTop") == 0


def test_a_quick_save_starts_no_animation_a_slow_one_pulses(fe_page):
    mount(fe_page, CONFIG, tasks(4), autoAck=False)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    saving = fe_page.locator(".nblabel-saving")
    saving.wait_for(state="visible")
    dot = fe_page.locator(".nblabel-dot")
    assert dot.evaluate("e => e.getAnimations().length") == 0  # an ack within a moment leaves nothing behind
    fe_page.wait_for_function("() => document.querySelector('.nblabel-saving').classList.contains('is-slow')")
    assert dot.evaluate("e => e.getAnimations().length") == 1  # Python is slow: "saving…" pulses
    fe_page.evaluate("window.__nb.python.flush()")
    saving.wait_for(state="hidden")
    assert fe_page.evaluate("() => document.querySelector('.nblabel-saving').classList.contains('is-slow')") is False

"""The background worker: batches ahead, cache per model version, failures and timeouts leave labeling working."""

import threading
import time

import pandas as pd

import nblabel
from nblabel.suggest._worker import Worker
from helpers import deliver

CHOICES = """<View><Text name="text" value="$text"/>
<Choices name="s" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""
RESULT = [{"from_name": "s", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}}]


def _worker(predict, version=lambda: "v1", **kw):
    return Worker(predict, version, lambda k: {"id": k, "data": {"text": k}}, lambda v, t: [v] if v else [], **kw)


def test_batches_ahead_and_caches_per_version():
    seen, version = [], ["v1"]
    w = _worker(lambda tasks: (seen.append([t["id"] for t in tasks]) or [{"result": [], "v": version[0]}
                                                                           for t in tasks]),
                version=lambda: version[0], batch_size=4)
    w.want([str(i) for i in range(8)])
    assert w.get("0", wait=True)[0]["v"] == "v1"
    deadline = time.monotonic() + 5
    while w.get("7", wait=False) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(len(b) <= 4 for b in seen) and sorted(sum(seen, [])) == sorted(str(i) for i in range(8))
    n = len(seen)
    assert w.get("3", wait=True)[0]["v"] == "v1" and len(seen) == n  # cached
    version[0] = "v2"
    assert w.get("3", wait=False) is None  # the old model's answer is dropped: a task not shown yet must not get it
    assert w.get("3", wait=True)[0]["v"] == "v2"
    w.close()


def test_raising_predictor_leaves_labeling_working_with_message():
    df = pd.DataFrame({"text": ["a", "b"]})

    def broken(tasks):
        raise RuntimeError("model exploded")

    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", predictor=broken)
    assert lab.current["predictions"] == []
    assert "model exploded" in lab._suggest.error
    assert "model exploded" in lab._channel.state(None, "headless").notice
    lab.submit(RESULT)
    assert lab.progress["done"] == 1
    lab.close()


def test_timeout_leaves_labeling_working_with_message():
    df = pd.DataFrame({"text": ["a", "b"]})
    release = threading.Event()

    def slow(tasks):
        release.wait(10)
        return ["Positive" for _ in tasks]

    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", predictor=slow, predictor_timeout=0.3)
    t0 = time.perf_counter()
    assert lab.current["predictions"] == []
    assert time.perf_counter() - t0 < 2
    assert "timed out after 0.3 s" in lab._channel.state(None, "headless").notice
    ann = lab.submit(RESULT)
    assert ann["result"][0]["origin"] == "manual"
    release.set()
    lab.close()


def test_widget_payload_never_waits_and_updates_when_ready():
    df = pd.DataFrame({"text": ["a", "b", "c"]})
    release = threading.Event()

    def slow(tasks):
        release.wait(10)
        return [("Positive", 0.8) for _ in tasks]

    lab = nblabel.Labeler(df, CHOICES, annotator="a", store=":memory:", predictor=slow)
    sent = []
    lab.send = lambda content, buffers=None: sent.append(content)
    t0 = time.perf_counter()
    deliver(lab, {"type": "hello", "id": "h1"})
    assert time.perf_counter() - t0 < 1
    assert sent[-1]["tasks"][0]["prediction"] is None
    release.set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (len(sent) < 2 or sent[-1]["tasks"][0]["prediction"] is None):
        time.sleep(0.02)
    state = sent[-1]
    assert state["tasks"][0]["prediction"]["score"] == 0.8
    assert state["tasks"][0]["prefill_from"] == "prediction"
    assert state["suggest"]["accepted"] == 0 and state["suggest"]["accuracy"] == []
    deliver(lab, {"type": "submit", "id": "u1", "key": state["tasks"][0]["key"],
                  "result": state["tasks"][0]["prefill"]})
    ack = sent[-1]
    assert ack["type"] == "ack" and ack["suggest"]["accepted"] == 1 and ack["suggest"]["accuracy"] == [1.0]
    lab.close()


class Model:
    """A callable predictor whose `model_version` the test bumps, as a retrain does."""

    def __init__(self):
        self.model_version = "v1"
        self.calls = []

    def __call__(self, tasks):
        self.calls.append([t["id"] for t in tasks])
        return [{"model_version": self.model_version, "score": 0.9,
                 "result": [dict(RESULT[0], value={"choices": ["Positive" if self.model_version == "v1"
                                                               else "Negative"]})]} for _ in tasks]


def test_a_new_model_version_drops_the_cache_and_tells_the_owner():
    told = threading.Event()
    model = Model()
    w = _worker(model, version=lambda: model.model_version, on_version=lambda: told.set() or True)
    assert w.get("a", wait=True)[0]["model_version"] == "v1" and w.has("a")
    model.model_version = "v2"  # retrained on its own thread: nobody asks the worker anything
    assert told.wait(10)  # the idle worker noticed by itself
    assert not w.has("a") and w.get("a", wait=False) is None
    assert w.get("a", wait=True)[0]["model_version"] == "v2"
    w.close()


def test_headless_next_task_gets_the_new_version_and_the_shown_one_stays():
    model = Model()
    lab = nblabel.Labeler(pd.DataFrame({"text": list("abcdef")}), CHOICES, annotator="a", store=":memory:",
                          predictor=model)
    assert lab.current["predictions"][0]["model_version"] == "v1"
    model.model_version = "v2"
    ann = lab.submit()  # the task on screen keeps what it showed: v1's answer, v1's metadata
    assert ann["prediction"]["model_version"] == "v1" and ann["result"][0]["value"] == {"choices": ["Positive"]}
    assert lab.current["predictions"][0]["model_version"] == "v2"
    ann = lab.submit()
    assert ann["prediction"]["model_version"] == "v2" and ann["result"][0]["value"] == {"choices": ["Negative"]}
    lab.close()


def test_browser_window_is_refreshed_after_a_new_model_version():
    """Prefetched tasks already sent with v1 suggestions get v2's in an unsolicited state; the one on screen stays."""
    model = Model()
    lab = nblabel.Labeler(pd.DataFrame({"text": list("abcdefghij")}), CHOICES, annotator="a", store=":memory:",
                          predictor=model, prefetch=3)
    states, fresh = [], threading.Event()

    def send(content, buffers=None):
        if content.get("type") == "state":
            states.append(content)
            if [t["prediction"] and t["prediction"]["model_version"] for t in content["tasks"][1:]] == ["v2"] * 3:
                fresh.set()
    lab.send = send
    _ = lab.current  # computed (headless waits), so the hello state carries suggestions
    for key in ("1", "2", "3"):
        lab._suggest.worker.get(key, wait=True)
    deliver(lab, {"type": "hello", "id": "h1"})
    first = states[-1]["tasks"]
    assert [t["prediction"]["model_version"] for t in first] == ["v1"] * 4
    model.model_version = "v2"  # a retrain finished: no message from the browser, no call from the cell
    assert fresh.wait(10), [[t["prediction"] for t in s["tasks"]] for s in states]
    last = states[-1]["tasks"]
    assert [t["key"] for t in last] == ["0", "1", "2", "3"]
    assert last[0]["prediction"]["model_version"] == "v1" and last[0]["prefill"] == first[0]["prefill"]
    assert [t["prefill"][0]["value"] for t in last[1:]] == [{"choices": ["Negative"]}] * 3
    deliver(lab, {"type": "submit", "id": "u", "key": "1", "result": last[1]["prefill"], "lead_time": 1})
    assert lab.to_pandas().loc[1, "annotations"][0]["result"][0]["origin"] == "prediction"  # matched to v2
    lab.close()

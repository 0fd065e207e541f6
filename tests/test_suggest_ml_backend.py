"""A Label Studio ML backend by URL, against a standard-library mock that checks the request shapes a real
Label Studio server sends (recorded from one: label-studio/ml-backend-requests/ of the real data)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

import nblabel
from helpers import shared_data, shared_missing

RECORDED = shared_data("label-studio/ml-backend-requests")
CONFIG = """<View><Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
<Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


def _shape(value):
    """Keys and value types, recursively through the first element of lists (what must match a real server)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__ if value is not None else None


def _compatible(got, want, path="body"):
    """`got` has every key of `want` with the same type (None in either is a wildcard)."""
    if want is None or got is None:
        return
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        missing = set(want) - set(got)
        assert not missing, f"{path}: missing {sorted(missing)}"
        for k in want:
            _compatible(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list), path
        if want and got:
            _compatible(got[0], want[0], path + "[0]")
    else:
        assert got == want, f"{path}: {got} != {want}"


class Mock(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Mock.requests.append((self.path, body))
        if self.path == "/setup":
            want = _shape(json.loads((RECORDED / "captured_setup.json").read_text()))
            want.pop("extra_params")
            _compatible(_shape(body), want)
            answer = {"model_version": "mock-1"}
        elif self.path == "/predict":
            recorded = json.loads((RECORDED / "captured_predict_batch.json").read_text())
            want = _shape(recorded)
            want["params"]["context"] = None
            _compatible(_shape(body), want)
            answer = {"results": []}
            for task in body["tasks"]:
                text = task["data"]["text"]
                # UTF-16 offsets, as a real backend (and the LS editor) writes them
                start = len(text.encode("utf-16-le")) // 2 - 3
                answer["results"].append({"result": [
                    {"from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": start, "end": start + 3, "labels": ["ORG"], "text": text[-3:]}},
                    {"from_name": "sentiment", "to_name": "text", "type": "choices",
                     "value": {"choices": ["Positive"]}}], "score": 0.7})
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def backend():
    if shared_missing("label-studio/ml-backend-requests"):
        pytest.skip(shared_missing("label-studio/ml-backend-requests"))
    Mock.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Mock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_setup_then_predict_with_real_request_shapes(backend):
    df = pd.DataFrame({"text": ["Ann works at IBM", "😀 Bob is at ACME"]}, index=[10, 11])
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor=backend)
    pred = lab.current["predictions"][0]
    assert [p for p, _ in Mock.requests][:2] == ["/setup", "/predict"]
    assert pred["model_version"] == "mock-1" and pred["score"] == 0.7
    assert pred["result"][0]["value"]["start"] == 13
    ann = lab.submit()
    assert [r["origin"] for r in ann["result"]] == ["prediction", "prediction"]
    cur = lab.current  # the emoji task: offsets come back in code points
    span = cur["predictions"][0]["result"][0]["value"]
    assert cur["data"]["text"][span["start"]:span["end"]] == "CME"
    sent = [b for p, b in Mock.requests if p == "/predict"]
    assert {t["id"] for b in sent for t in b["tasks"]} == {10, 11}
    assert all(b["label_config"] == CONFIG for b in sent)
    lab.close()


def test_unreachable_backend_is_a_visible_message():
    df = pd.DataFrame({"text": ["x"]})
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor="http://127.0.0.1:9/")
    assert lab.current["predictions"] == []
    assert "unreachable" in lab._channel.state(None, "headless").notice
    lab.close()


def test_prelabel_over_ml_backend(backend):
    df = pd.DataFrame({"text": ["Ann works at IBM"] * 5})
    out = nblabel.prelabel(df, CONFIG, backend, batch_size=2)
    assert out.index.equals(df.index) and out.map(lambda p: p["score"]).tolist() == [0.7] * 5
    assert len([p for p, _ in Mock.requests if p == "/predict"]) == 3

"""nblabel.Learner: learns from answers in the background, cold start from label names, uncertainty order, and the
simulated annotator on the UCI sentences (300 tasks here; bench/bench_suggest.py runs all 3,000)."""

import time

import pandas as pd
import pytest

import nblabel
from helpers import deliver, minilm, needs_shared, shared_data

pytest.importorskip("sklearn")
SENTENCES = shared_data("sentiment/uci_labelled_sentences.csv")
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


def answer(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def simulate(lab, truth, n):
    """Accept when the suggestion is right, correct otherwise; returns the accepted share."""
    accepted = 0
    for _ in range(n):
        cur = lab.current
        shown = lab._suggest.shown(cur["predictions"])
        right = truth[cur["id"]]
        if shown is not None and shown["result"][0]["value"]["choices"] == [right]:
            # a low-scored suggestion is a hint beside the options: the annotator picks it (Enter alone
            # does not accept it); it still counts as accepted (origin "prediction")
            lab.submit(answer(right) if lab._suggest.is_hint(shown) else None)
            accepted += 1
        else:
            lab.submit(answer(right))
    return accepted / n


def test_sparse_learner_suggests_after_one_label_per_class_and_learns():
    texts = ["great", "awful", "great stuff", "awful stuff", "really great", "really awful"] * 5
    df = pd.DataFrame({"text": texts})
    truth = {i: "Positive" if "great" in t else "Negative" for i, t in enumerate(texts)}
    learner = nblabel.Learner(retrain_every=2)
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor=learner)
    assert lab.current["predictions"] == []  # nothing learned yet
    lab.submit(answer("Positive"))
    assert lab.current["predictions"] == []  # one class only
    lab.submit(answer("Negative"))
    pred = lab.current["predictions"][0]
    assert pred["model_version"].startswith("nblabel-learner-sparse-v") and 0.5 <= pred["score"] <= 1
    assert simulate(lab, truth, 20) >= 0.9
    stats = lab.suggestion_stats()
    assert len(stats) == 20 and stats["accepted"].mean() >= 0.85
    lab.close()


def test_undo_forgets_and_retrain_runs_off_the_callers_thread():
    df = pd.DataFrame({"text": ["good", "bad", "good one", "bad one"]})
    learner = nblabel.Learner(retrain_every=1)
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor=learner)
    lab.submit(answer("Positive"))
    lab.submit(answer("Negative"))
    learner.settle()
    assert learner.n_labels == 2
    assert learner._thread is not None and learner._thread.name == "nblabel-learner"
    lab.undo()
    assert learner.n_labels == 1
    lab.redo()
    assert learner.n_labels == 2
    lab.close()


def test_learner_resumes_from_the_store(tmp_path):
    df = pd.DataFrame({"text": ["good", "bad", "good one", "bad one"]})
    store = tmp_path / "s.db"
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=store, predictor=nblabel.Learner())
    lab.submit(answer("Positive"))
    lab.submit(answer("Negative"))
    lab.close()
    learner = nblabel.Learner()
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=store, predictor=learner)
    assert learner.n_labels == 2
    assert lab.current["predictions"]
    lab.close()


def test_learner_needs_choices():
    with pytest.raises(ValueError, match="Choices"):
        nblabel.Labeler(pd.DataFrame({"text": ["a"]}), '<View><Text name="t" value="$text"/>'
                        '<TextArea name="x" toName="t"/></View>', store=":memory:", predictor=nblabel.Learner())


def test_uncertain_order_serves_least_confident_first():
    df = pd.DataFrame({"text": ["a", "b", "c", "d"]})
    scores = {"a": 0.9, "b": 0.55, "c": 0.99, "d": 0.7}
    model = lambda tasks: [("Positive", scores[t["data"]["text"]]) for t in tasks]  # noqa: E731
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor=model, order="uncertain")
    seen = []
    while (cur := lab.current) is not None:
        seen.append(cur["data"]["text"])
        lab.submit(answer("Positive"))  # "b" (0.55) is only a hint: Enter alone would not accept it
    assert seen == ["b", "d", "a", "c"]
    lab = nblabel.Labeler(df, CONFIG, annotator="b", store=":memory:", predictor=model, order="confident")
    assert lab.current["data"]["text"] == "c"
    lab.close()


@needs_shared("sentiment/uci_labelled_sentences.csv")
def test_minilm_learner_from_zero_labels_accepts_88_percent_of_300():
    path = minilm()
    df = pd.read_csv(SENTENCES).head(300)
    truth = df["label"].to_dict()
    learner = nblabel.Learner(encoder=path)
    t0 = time.perf_counter()
    lab = nblabel.Labeler(df, CONFIG, annotator="sim", store=":memory:", predictor=learner)
    first = lab.current["predictions"][0]
    assert first["model_version"] == "nblabel-learner-embed-v0"  # cold start: label-name similarity
    rate = simulate(lab, truth, 300)
    elapsed = time.perf_counter() - t0
    print(f"MiniLM learner, 300 tasks: {rate:.1%} accepted in {elapsed:.1f} s")
    assert rate >= 0.88
    assert lab.current is None
    stats = lab.suggestion_stats()
    assert len(stats) == 300 and stats["accepted"].mean() == pytest.approx(rate)
    assert stats["model_version"].nunique() > 5  # it retrained along the way
    lab.close()


def test_uncertain_order_with_a_learner_reranks_after_retrains():
    texts = [f"{w} {i}" for i, w in enumerate(["great", "awful", "great fun", "awful mess"] * 10)]
    df = pd.DataFrame({"text": texts})
    learner = nblabel.Learner(retrain_every=4)
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor=learner, order="uncertain")
    served, versions = [], set()
    while (cur := lab.current) is not None:
        served.append(cur["id"])
        if cur["predictions"]:
            versions.add(cur["predictions"][0]["model_version"])
        lab.submit(answer("Positive" if "great" in cur["data"]["text"] else "Negative"))
    assert sorted(served) == list(range(40))  # every task once
    assert len(versions) >= 3  # suggestions followed the retrains
    lab.close()


TOPICS = """<View><Text name="text" value="$text"/>
<Choices name="topics" toName="text" choice="multiple">
  <Choice value="cats"/><Choice value="dogs"/><Choice value="birds"/>
</Choices>
</View>"""


def test_multiple_choice_learner_suggests_label_sets():
    # Which animals a text mentions: sets of 1–2 labels; "birds" is never the answer (a class always absent).
    words = {"cats": ["kitten", "meow", "whiskers"], "dogs": ["puppy", "woof", "leash"]}
    rows = []
    for i in range(60):
        pick = [("cats",), ("dogs",), ("cats", "dogs")][i % 3]
        rows.append((" and ".join(words[p][i % 3] for p in pick) + f" story {i}", list(pick)))
    df = pd.DataFrame({"text": [t for t, _ in rows]})
    learner = nblabel.Learner(retrain_every=3)
    lab = nblabel.Labeler(df, TOPICS, annotator="a", store=":memory:", predictor=learner)
    assert learner.multiple
    right = 0
    for n in range(60):
        cur = lab.current
        truth = rows[cur["id"]][1]
        shown = lab._suggest.shown(cur["predictions"])
        if n >= 30 and shown is not None:
            item = shown["result"][0]
            assert item["type"] == "choices" and item["from_name"] == "topics"
            assert 0.5 <= shown["score"] <= 1 and "birds" not in item["value"]["choices"]
            right += item["value"]["choices"] == truth
        lab.submit([{"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": truth}}])
    assert right >= 27  # of the last 30: the sets, both labels included, are learned
    # a submitted set equal to the suggestion is stored as accepted (origin "prediction")
    stats = lab.suggestion_stats()
    assert stats["accepted"].tail(30).sum() == right
    lab.close()


def test_suggestion_stats_survive_a_restart(tmp_path):
    texts = ["great", "awful", "great stuff", "awful stuff", "really great", "really awful", "great!", "awful!"]
    df = pd.DataFrame({"text": texts})
    truth = {i: "Positive" if "great" in t else "Negative" for i, t in enumerate(texts)}
    store = tmp_path / "s.db"
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=store, predictor=nblabel.Learner(retrain_every=1))
    lab.submit(answer("Positive"))
    lab.submit(answer("Negative"))
    simulate(lab, truth, 4)
    before = lab.suggestion_stats()
    lab.close()
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=store, predictor=nblabel.Learner(retrain_every=1))
    after = lab.suggestion_stats()
    assert len(before) == 4 and list(after["task_id"]) == list(before["task_id"])
    assert list(after["accepted"]) == list(before["accepted"])
    assert list(after["prediction_id"]) == list(before["prediction_id"])
    assert lab._view.panel()["accepted"] == int(before["accepted"].sum())
    simulate(lab, truth, 2)  # new answers go on after the resumed ones
    assert len(lab.suggestion_stats()) == 6
    lab.close()


def test_resumed_stats_are_built_in_one_pass():
    from types import SimpleNamespace

    from nblabel.suggest._stats import SuggestionLog

    n = 20_000
    rows = [SimpleNamespace(task_key=f"k{i % (n // 2)}", was_cancelled=False, parent_prediction=i, result=[
        {"origin": "prediction" if i % 3 else "manual"}], prediction={"score": 0.5, "model_version": "v"},
        updated_at=f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z") for i in range(n)]
    log = SuggestionLog()
    log.resume(rows)  # one dict pass (a withdraw per row made this quadratic: ~10 s for 20k rows)
    assert len(log.rows) == n // 2  # one row per task: the later answer wins
    assert [r["time"] for r in log.rows] == sorted(r["time"] for r in log.rows)


def test_hello_says_what_is_loading_before_the_slow_first_state():
    import numpy as np

    def tiny_encoder(texts):
        return np.array([[1.0, float(len(t))] for t in texts])

    df = pd.DataFrame({"text": ["great", "awful", "fine", "meh"]})
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", order="uncertain",
                          predictor=nblabel.Learner(encoder=tiny_encoder))
    sent = []
    lab.send = lambda content, buffers=None: sent.append(content)
    deliver(lab, {"type": "hello", "id": "h1"})
    assert [m["type"] for m in sent] == ["loading", "state"]  # the scoring happens between the two
    assert sent[0]["message"] == "Loading the model tiny_encoder, then scoring 4 tasks to put the least certain first…"
    deliver(lab, {"type": "hello", "id": "h2"})  # a second view: nothing slow left to announce
    assert [m["type"] for m in sent[2:]] == ["state"]
    lab.close()

"""nblabel.find_label_issues: planted flips found first (synthetic data, and 600 UCI sentences with MiniLM when the
shared data is here), every input shape, multi-label, pred_probs / callables, and CROWDLAB with a careless annotator.
bench/bench_label_issues.py runs all 3,000 sentences."""


import numpy as np
import pandas as pd
import pytest

import nblabel
from helpers import minilm, needs_shared, shared_data

pytest.importorskip("cleanlab")
pytest.importorskip("sklearn")
UCI = "sentiment/uci_labelled_sentences.csv"
SENTENCES = shared_data(UCI)
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
MULTI = """<View><Text name="text" value="$text"/>
<Choices name="topics" toName="text" choice="multiple"><Choice value="food"/><Choice value="price"/>
<Choice value="staff"/></Choices></View>"""
POS = ["great", "lovely", "excellent", "wonderful", "superb", "fantastic", "delightful", "brilliant"]
NEG = ["awful", "terrible", "horrible", "dreadful", "bad", "poor", "dismal", "lousy"]


def answer(label, name="sentiment"):
    labels = label if isinstance(label, list) else [label]
    return [{"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": labels}}]


def separable(n=200, flips=10, seed=0):
    """Sentences whose sentiment words give the class away; `flips` labels flipped. Returns (df, truth, flipped ids)."""
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    for i in range(n):
        words = rng.choice(POS if i % 2 == 0 else NEG, 3, replace=False)
        texts.append(f"the {rng.choice(['phone', 'film', 'food', 'service'])} was {' and '.join(words)}")
        truth.append("Positive" if i % 2 == 0 else "Negative")
    given = list(truth)
    planted = set(rng.choice(n, flips, replace=False).tolist())
    for i in planted:
        given[i] = "Negative" if given[i] == "Positive" else "Positive"
    return pd.DataFrame({"text": texts, "sentiment": given}), truth, planted


def test_planted_flips_come_first_and_are_flagged():
    df, truth, planted = separable()
    out = nblabel.find_label_issues(df, CONFIG)
    assert list(out.columns) == ["task_id", "control", "given", "suggested", "quality", "is_issue"]
    assert len(out) == len(df) and out["quality"].is_monotonic_increasing
    assert out["quality"].between(0, 1).all() and (out["control"] == "sentiment").all()
    top = out.head(len(planted))
    assert set(top["task_id"]) == planted  # separable data: the flips and nothing else
    assert top["is_issue"].all() and int(out["is_issue"].sum()) <= 2 * len(planted)
    assert all(row.suggested == truth[row.task_id] != row.given for row in top.itertuples())


def test_labeler_frame_and_task_list_inputs_agree():
    df, _, planted = separable(n=120, flips=6, seed=1)
    lab = nblabel.Labeler(df[["text"]], CONFIG, annotator="alice", store=":memory:")
    for label in df["sentiment"]:
        lab.submit(answer(label))
    from_labeler = nblabel.find_label_issues(lab)
    from_frame = nblabel.find_label_issues(lab.to_pandas())
    from_tasks = nblabel.find_label_issues(lab.to_label_studio(), CONFIG)
    lab.close()
    assert set(from_labeler.head(len(planted))["task_id"]) == planted
    for other in (from_frame, from_tasks):
        pd.testing.assert_frame_equal(other, from_labeler)


def test_latest_answer_counts_and_cancelled_ones_do_not():
    df, _, planted = separable(n=120, flips=6, seed=2)
    victim = next(i for i in range(len(df)) if i not in planted)
    wrong = "Negative" if df.loc[victim, "sentiment"] == "Positive" else "Positive"
    anns = [[{"completed_by": {"email": "a@x.org"}, "result": answer(v), "updated_at": "2026-01-02"}]
            for v in df["sentiment"]]
    anns[victim] = [{"completed_by": {"email": "a@x.org"}, "result": answer(wrong), "updated_at": "2026-01-01"},
                    {"completed_by": {"email": "a@x.org"}, "result": answer(df.loc[victim, "sentiment"]),
                     "updated_at": "2026-01-02"}]
    skipped = next(i for i in range(len(df)) if i not in planted and i != victim)
    anns[skipped] = [{"completed_by": {"email": "a@x.org"}, "result": [], "was_cancelled": True}]
    frame = pd.DataFrame({"text": df["text"], "annotations": anns})
    out = nblabel.find_label_issues(frame, CONFIG)
    assert len(out) == len(df) - 1 and skipped not in set(out["task_id"])
    assert out.set_index("task_id").loc[victim, "given"] == df.loc[victim, "sentiment"]
    assert "annotators" not in out.attrs  # one annotator: confident learning, no CROWDLAB


def test_pred_probs_array_frame_and_callable():
    labels = ["Positive"] * 6 + ["Negative"] * 6
    df = pd.DataFrame({"text": [f"t{i}" for i in range(12)], "sentiment": labels}, index=[f"k{i}" for i in range(12)])
    P = np.array([[0.9, 0.1]] * 6 + [[0.2, 0.8]] * 6)
    P[2] = [0.03, 0.97]  # "k2" is labeled Positive; the model is sure it is Negative
    P[9] = [0.6, 0.4]  # unsure, wrong side
    by_array = nblabel.find_label_issues(df, CONFIG, pred_probs=P)
    assert list(by_array["task_id"][:2]) == ["k2", "k9"] and by_array.loc[0, "suggested"] == "Negative"
    assert by_array.loc[0, "is_issue"] and not by_array["is_issue"][2:].any()
    frame = pd.DataFrame(P, index=df.index, columns=["Positive", "Negative"]).iloc[::-1]  # aligned by id, not order
    pd.testing.assert_frame_equal(nblabel.find_label_issues(df, CONFIG, pred_probs=frame), by_array)
    unanswered = pd.concat([df, pd.DataFrame({"text": ["new"], "sentiment": [None]}, index=["k12"])])
    with_new = np.vstack([P, [[0.5, 0.5]]])  # a row for every task of the data: the unanswered one is left out
    pd.testing.assert_frame_equal(nblabel.find_label_issues(unanswered, CONFIG, pred_probs=with_new), by_array)
    seen = []

    def model(tasks):
        seen.extend(t["data"]["text"] for t in tasks)
        return P
    pd.testing.assert_frame_equal(nblabel.find_label_issues(df, CONFIG, predictor=model), by_array)
    assert seen == list(df["text"])
    with pytest.raises(ValueError, match="shape"):
        nblabel.find_label_issues(df, CONFIG, pred_probs=P[:5])
    with pytest.raises(ValueError, match="probabilities"):
        nblabel.find_label_issues(df, CONFIG, pred_probs=P * 3)


def test_multiple_choice_flips():
    rng = np.random.default_rng(3)
    words = {"food": ["pasta", "soup", "pizza"], "price": ["cheap", "pricey", "bill"],
             "staff": ["waiter", "host", "chef"]}
    texts, truth = [], []
    for _ in range(150):
        topics = [t for t in words if rng.random() < 0.5] or ["food"]
        texts.append("we talked about " + " ".join(rng.choice(words[t]) for t in topics))
        truth.append(topics)
    given = [list(t) for t in truth]
    planted = set(rng.choice(150, 8, replace=False).tolist())
    for i in planted:  # a topic added or dropped
        given[i] = [t for t in words if (t in truth[i]) != (t == "price")] or ["staff"]
    out = nblabel.find_label_issues(pd.DataFrame({"text": texts, "topics": given}), MULTI)
    assert len(set(out.head(len(planted))["task_id"]) & planted) >= len(planted) - 1
    worst = out.iloc[0]
    assert worst["suggested"] == truth[worst["task_id"]] and isinstance(worst["given"], list)


def crowd(n=150, seed=4):
    """Three annotators on every task: two careful (4% slips), one careless (40% random answers)."""
    df, truth, _ = separable(n=n, flips=0, seed=seed)
    rng = np.random.default_rng(seed)
    anns = []
    for label in truth:
        row = []
        for who, slip in (("ann", 0.04), ("bob", 0.04), ("cat", 0.4)):
            picked = label if rng.random() >= slip else rng.choice(["Positive", "Negative"])
            row.append({"completed_by": {"email": f"{who}@nblabel.local"}, "result": answer(str(picked))})
        anns.append(row)
    return pd.DataFrame({"text": df["text"], "annotations": anns}), truth


def test_crowdlab_careless_annotator_gets_the_lowest_quality():
    frame, truth = crowd()
    out = nblabel.find_label_issues(frame, CONFIG)
    stats = out.attrs["annotators"]
    assert set(stats.index) == {"ann", "bob", "cat"}  # the placeholder domain is dropped
    assert stats["quality"].idxmin() == "cat"
    assert stats.loc["cat", "agreement"] < min(stats.loc["ann", "agreement"], stats.loc["bob", "agreement"])
    assert {"answers", "agreement", "consensus_quality"} <= set(out.columns)
    assert (out["suggested"] == [truth[i] for i in out["task_id"]]).mean() >= 0.97
    answers = out.attrs["answers"]
    assert len(answers) == 3 * len(frame) and answers["quality"].between(0, 1).all()
    wrong = answers[[label != truth[t] for t, label in zip(answers["task_id"], answers["label"])]]
    right = answers.drop(wrong.index)
    assert wrong["quality"].mean() < right["quality"].mean()


def test_clear_errors():
    df, _, _ = separable(n=40, flips=2)
    with pytest.raises(ValueError, match="config"):
        nblabel.find_label_issues(df)
    with pytest.raises(ValueError, match="config"):
        nblabel.find_label_issues([{"data": {"text": "x"}}])
    bad = df.copy()
    bad.loc[3, "sentiment"] = "Neutral"
    with pytest.raises(ValueError, match="'Neutral' is not a choice"):
        nblabel.find_label_issues(bad, CONFIG)
    with pytest.raises(ValueError, match="nothing to check"):
        nblabel.find_label_issues(df.assign(sentiment=None), CONFIG)
    with pytest.raises(ValueError, match="two classes"):
        nblabel.find_label_issues(df.assign(sentiment="Positive"), CONFIG)
    with pytest.raises(TypeError, match="Learner"):
        nblabel.find_label_issues(df, CONFIG, predictor=42)


def test_out_of_fold_leaves_the_live_learner_alone():
    df, _, _ = separable(n=60, flips=0)
    learner = nblabel.Learner(retrain_every=1)
    lab = nblabel.Labeler(df[["text"]], CONFIG, annotator="a", store=":memory:", predictor=learner)
    for label in df["sentiment"][:10]:
        lab.submit(answer(label))
    learner.settle()
    head, version = learner._head, learner.model_version
    P = learner.out_of_fold(list(df["text"]), [(s,) for s in df["sentiment"]], folds=3)
    assert P.shape == (60, 2) and np.allclose(P.sum(axis=1), 1)
    assert learner._head is head and learner.model_version == version and learner.n_labels == 10
    lab.close()


@needs_shared(UCI)
def test_uci_flips_found_with_minilm():
    """600 UCI sentences, 5% flipped, four flip seeds: the planted flips crowd the top k (k = 30; a random order
    puts 5% there). At this size the plain baseline scores about the same (0.52 mean precision@k on these seeds);
    the ensemble's edge shows on the full 3,000 in bench/bench_label_issues.py."""
    data = pd.read_csv(SENTENCES).sample(600, random_state=0)
    learner = nblabel.Learner(encoder=minilm())  # one Learner: the sentences are embedded once
    precisions, recalls = [], []
    for seed in range(4):
        rng = np.random.default_rng(seed)
        flips = rng.choice(len(data), size=30, replace=False)
        labels = data["label"].to_numpy(copy=True)
        labels[flips] = np.where(labels[flips] == "Positive", "Negative", "Positive")
        df = pd.DataFrame({"text": data["text"].astype(str), "sentiment": labels}, index=data.index)
        planted = set(data.index[flips])
        out = nblabel.find_label_issues(df, CONFIG, predictor=learner)
        precisions.append(len(set(out.head(30)["task_id"]) & planted) / 30)
        recalls.append(len(set(out.loc[out["is_issue"], "task_id"]) & planted) / 30)
    assert np.mean(precisions) >= 0.45 and np.mean(recalls) >= 0.55, (precisions, recalls)

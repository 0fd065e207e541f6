"""Review mode, headless and through the widget protocol: the queue, accept / fix / reject, requeue to the
annotator, undo, orders, review records in exports, and `review_stats`."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest

import nblabel
from helpers import CONFIG, NER_CONFIG, choice, deliver, frame


def label(store, who: str, labels: list[str | None], data=None, config=CONFIG) -> None:
    """`who` answers the tasks in order (None: skips)."""
    lab = nblabel.Labeler(frame(len(labels)) if data is None else data, config, annotator=who, store=store)
    for value in labels:
        if value is None:
            lab.skip()
        else:
            lab.submit(choice(value) if isinstance(value, str) else value)
    lab.close()


def reviewer(store, n=4, **kw) -> nblabel.Labeler:
    return nblabel.Labeler(frame(n), CONFIG, annotator="rita", store=store, mode="review", **kw)


@pytest.fixture
def store(store_spec):
    """Two annotators' answers in a store (SQLite, then PostgreSQL: review records live in the shared schema)."""
    path = store_spec
    label(path, "ann", ["Positive", "Negative", "Positive", "Negative"])
    label(path, "bob", ["Positive", "Positive", "Negative", None])
    return path


def stars(lab) -> dict:
    """task id → (annotator, label) of its ground-truth annotation."""
    out = {}
    for task in lab.to_label_studio():
        for ann in task["annotations"]:
            if ann["ground_truth"]:
                out[task["id"]] = (ann["completed_by"]["email"].split("@")[0], ann["result"][0]["value"]["choices"][0])
    return out


def test_the_queue_is_what_others_answered_and_the_consensus_is_prefilled(store):
    rv = reviewer(store)
    assert rv.progress["total"] == 4 and rv.current["id"] == 0  # task 3: ann answered, bob skipped: still reviewed
    task = rv._serving.payload(rv._cursor.key())
    assert task.prefill_from == "consensus" and task.prefill[0]["value"] == {"choices": ["Positive"]}
    assert [(a.annotator, a.result[0]["value"]["choices"]) for a in task.answers] == [
        ("ann", ["Positive"]), ("bob", ["Positive"])]
    rv.close()


def test_accept_fix_reject_store_what_the_reviewer_decided(store):
    rv = reviewer(store)
    rv.submit()  # task 0: both said Positive: accepted as shown
    rv.submit(choice("Negative"))  # task 1: ann Negative, bob Positive: ann accepted, bob fixed
    rv.reject("Negative, read it again", ["bob"])  # task 2
    rv.submit(choice("Neutral"))  # task 3: nobody said Neutral: a fixed version by the reviewer
    assert rv.current is None
    assert stars(rv) == {0: ("ann", "Positive"), 1: ("ann", "Negative"), 3: ("rita", "Neutral")}
    stats = rv.review_stats()
    # rejecting bob's answer to task 2 left ann's unjudged: that task waits for this reviewer still
    assert stats.loc["ann"].to_dict() == {"reviewed": 3, "accepted": 2, "fixed": 1, "rejected": 0,
                                          "accepted_share": 0.667}
    assert stats.loc["bob"][["reviewed", "accepted", "fixed", "rejected"]].tolist() == [3, 1, 1, 1]
    records = {t["id"]: {a["completed_by"]["email"].split("@")[0]: a.get("reviews") for a in t["annotations"]}
               for t in rv.to_label_studio()}
    [rejection] = records[2]["bob"]
    assert rejection["accepted"] is False and rejection["outcome"] == "rejected"
    assert rejection["comment"] == "Negative, read it again" and rejection["reject_action"] == "requeue"
    assert rejection["created_by"] == {"email": "rita@nblabel.local"}
    [fixed] = records[1]["bob"]
    assert fixed["accepted"] is True and fixed["outcome"] == "fixed"
    assert fixed["result"][0]["value"] == {"choices": ["Negative"]}
    assert records[3]["rita"] is None  # the reviewer's own fixed version is not reviewed
    rv.close()


def test_a_rejected_answer_goes_back_to_its_annotator_with_the_comment(store):
    rv = reviewer(store)
    rv.submit()
    rv.submit()
    rv.reject("Negative, read it again", ["bob"])
    rv.close()
    bob = nblabel.Labeler(frame(4), CONFIG, annotator="bob", store=store)
    assert bob.current["id"] == 2  # before the task bob skipped
    task = bob._serving.payload(bob._cursor.key())
    assert task.prefill_from == "annotation" and task.prefill[0]["value"] == {"choices": ["Negative"]}
    assert task.review_note == "Rejected by rita: Negative, read it again — correct your answer and submit it again."
    bob.submit(choice("Positive"))
    assert bob._serving.payload("2").review_note is None  # answered again: the note is gone
    bob.close()
    rv = reviewer(store)
    assert rv.current["id"] == 2  # the corrected answer waits for review again
    rv.close()


def test_remove_drops_the_rejected_answer(store):
    rv = reviewer(store, on_reject="remove")
    rv.submit()
    rv.submit()
    rv.reject("spam")  # every answer of task 2
    frame_out = rv.to_pandas()
    assert frame_out.loc[2, "annotations"] == []
    rv.close()
    bob = nblabel.Labeler(frame(4), CONFIG, annotator="bob", store=store)
    assert bob.current["id"] == 2  # no answer any more: an ordinary unlabeled task
    assert bob._serving.payload("2").review_note is None
    bob.close()


def test_undo_takes_a_review_back_whole_and_redo_applies_it(store):
    rv = reviewer(store, on_reject="remove")
    rv.submit(choice("Neutral"))  # task 0: a fixed version
    rv.reject("no")  # task 1: both answers removed
    assert stars(rv) == {0: ("rita", "Neutral")} and rv.to_pandas().loc[1, "annotations"] == []
    assert rv.undo()["id"] == 1
    assert len(rv.to_pandas().loc[1, "annotations"]) == 2
    assert rv.undo()["id"] == 0
    assert stars(rv) == {} and rv.review_stats().empty
    assert rv._serving.payload("0").prefill[0]["value"] == {"choices": ["Neutral"]}  # the undone version
    rv.redo()
    assert stars(rv) == {0: ("rita", "Neutral")}
    rv.close()


def test_ground_truth_is_prefilled_when_starred(store):
    lab = nblabel.Labeler(frame(4), CONFIG, annotator="ann", store=store)
    anns = lab.to_label_studio()[1]["annotations"]
    bob_answer = next(a for a in anns if a["completed_by"]["email"].startswith("bob"))
    lab.set_ground_truth(1, bob_answer["id"])
    lab.close()
    rv = reviewer(store)
    rv.goto(1)
    task = rv._serving.payload("1")
    assert task.prefill_from == "ground_truth" and task.prefill[0]["value"] == {"choices": ["Positive"]}
    rv.close()


def test_orders(store, tmp_path):
    disputed = reviewer(store, order="disputed")
    ids = []
    while disputed.current is not None:
        ids.append(disputed.current["id"])
        disputed.skip()
        if len(ids) > 4:
            break
    # tasks 1 and 2 disagree, 0 agrees, 3 has one answer (no agreement to rank): last
    assert ids[:2] in ([1, 2], [2, 1]) and ids[2:4] == [0, 3]
    disputed.close()
    picks = [reviewer(store, order="sample", sample=0.5, seed=s) for s in (1, 1, 2)]
    first = [p.progress["total"] for p in picks]
    assert first[0] == first[1]  # the same seed picks the same share
    for p in picks:
        p.close()
    issues = pd.DataFrame({"task_id": [0, 1, 2, 3], "quality": [0.9, 0.8, 0.1, 0.5]})
    suspect = reviewer(store, order="suspect", issues=issues)
    assert suspect.current["id"] == 2
    suspect.close()


@pytest.mark.parametrize("kw, message", [
    (dict(mode="reviewing"), "mode='reviewing'"),
    (dict(mode="review", order="uncertain"), "order='uncertain' in review mode"),
    (dict(mode="review", order="sample"), "needs sample="),
    (dict(mode="review", order="suspect"), "needs issues="),
    (dict(mode="review", on_reject="delete"), "on_reject='delete'"),
])
def test_bad_review_arguments_say_what_is_expected(store, kw, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        nblabel.Labeler(frame(4), CONFIG, annotator="rita", store=store, **kw)


class Browser:
    def __init__(self, lab):
        self.lab, self.inbox = lab, []
        lab.send = lambda content, buffers=None: self.inbox.append(content)

    def say(self, content):
        before = len(self.inbox)
        t = threading.Thread(target=deliver, args=(self.lab, content))
        t.start()
        t.join()
        return [m for m in self.inbox[before:] if "cause" not in m][-1]


def test_the_browser_reviews_through_submit_messages(store):
    ui = Browser(reviewer(store))
    state = ui.say({"type": "hello", "id": "h"})
    assert state["mode"] == "review" and state["tasks"][0]["prefill_from"] == "consensus"
    assert {a["annotator"] for a in state["tasks"][0]["answers"]} == {"ann", "bob"}
    accept = {"type": "submit", "id": "a1", "key": "0", "result": choice("Positive")}
    assert ui.say(accept)["type"] == "ack"
    assert ui.say(accept)["type"] == "ack"  # an outbox replay: stored once
    assert ui.lab.review_stats()["reviewed"].sum() == 2
    reject = {"type": "submit", "id": "r1", "key": "1", "result": [],
              "review": {"action": "reject", "comment": "<b>no</b>", "annotators": ["bob"]}}
    ack = ui.say(reject)
    assert ack["type"] == "ack" and ack["window"][0]["key"] == "2"
    bad = ui.say({"type": "submit", "id": "r2", "key": "2", "result": [],
                  "review": {"action": "reject", "comment": "", "annotators": ["zoe"]}})
    assert bad["type"] == "nack" and "no answer by 'zoe'" in bad["message"]
    ui.lab.close()


def test_a_review_decision_is_refused_when_labeling(tmp_path):
    ui = Browser(nblabel.Labeler(frame(2), CONFIG, annotator="ann", store=tmp_path / "s.db"))
    ui.say({"type": "hello", "id": "h"})
    nack = ui.say({"type": "submit", "id": "x", "key": "0", "result": [],
                   "review": {"action": "reject", "comment": "", "annotators": ["bob"]}})
    assert nack["type"] == "nack" and "mode='review'" in nack["message"]
    assert ui.lab.progress["done"] == 0
    ui.lab.close()


def test_spans_are_reviewed_with_their_consensus(tmp_path):
    data = pd.DataFrame({"text": ["Ann lives in Paris"]})
    span = lambda s, e, lab: {"from_name": "ner", "to_name": "text", "type": "labels",  # noqa: E731
                              "value": {"start": s, "end": e, "labels": [lab]}}
    store = tmp_path / "s.db"
    label(store, "ann", [[span(0, 3, "PER"), span(13, 18, "LOC")]], data, NER_CONFIG)
    label(store, "bob", [[span(0, 3, "PER")]], data, NER_CONFIG)
    label(store, "cid", [[span(0, 3, "PER"), span(13, 18, "LOC")]], data, NER_CONFIG)
    rv = nblabel.Labeler(data, NER_CONFIG, annotator="rita", store=store, mode="review")
    task = rv._serving.payload(rv._cursor.key())
    assert sorted((r["value"]["start"], r["value"]["labels"][0]) for r in task.prefill) == [(0, "PER"), (13, "LOC")]
    # every annotator's regions reach the browser with their values (the review overlays draw them)
    assert [(a.annotator, [(r["value"]["start"], r["value"]["end"]) for r in a.result]) for a in task.answers] == [
        ("ann", [(0, 3), (13, 18)]), ("bob", [(0, 3)]), ("cid", [(0, 3), (13, 18)])]
    rv.submit()
    assert rv.review_stats()[["accepted", "fixed"]].to_dict("index") == {
        "ann": {"accepted": 1, "fixed": 0}, "bob": {"accepted": 0, "fixed": 1}, "cid": {"accepted": 1, "fixed": 0}}
    rv.close()


def test_reviews_survive_export_and_read_back(store, tmp_path):
    rv = reviewer(store)
    rv.submit()
    rv.reject("again", ["bob"])
    path = rv.export(tmp_path / "out.json", "JSON")
    rv.close()
    tasks = json.loads(open(path).read())
    back = nblabel.read_label_studio(path)
    got = {(t, a["completed_by"]["email"]): [r["outcome"] for r in a.get("reviews", [])]
           for t, anns in back["annotations"].items() for a in anns}
    want = {(t["id"], a["completed_by"]["email"]): [r["outcome"] for r in a.get("reviews", [])]
            for t in tasks for a in t["annotations"]}
    assert got == want and want[(1, "bob@nblabel.local")] == ["rejected"]


def test_a_review_payload_reads_the_answers_under_review_once(store):
    """Prefill (the consensus) and the answers listed beside it come from one read of the task's answers, and the
    answers carry their whole results to the browser."""
    rv = reviewer(store)
    key = rv._cursor.key()
    db = rv._serving.store
    reads: list[str] = []
    query = db._query

    def counted(sql: str, args: tuple = ()) -> list[tuple]:  # the real store answers; this only notes the SQL
        reads.append(" ".join(sql.split()))
        return query(sql, args)

    db._query = counted
    try:
        task = rv._serving.payload(key)
    finally:
        db._query = query
    judged = [s for s in reads if "FROM annotations WHERE task_key = ? AND deleted = 0 AND was_cancelled = 0" in s]
    assert len(judged) == 1
    assert not [s for s in reads if "FROM annotations WHERE id = ?" in s]  # no query per annotation
    assert task.prefill_from == "consensus" and [a.annotator for a in task.answers] == ["ann", "bob"]
    assert task.answers[0].result[0]["value"] == {"choices": ["Positive"]}
    rv.close()

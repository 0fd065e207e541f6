"""Queue semantics of the headless API: end of queue, skip/requeue, undo/redo/back, re-submit, goto, progress."""

from __future__ import annotations

import pandas as pd
import pytest

import nblabel
from helpers import CONFIG, choice, frame, label_of


@pytest.fixture(params=["memory", "postgresql"])
def lab(request):
    """One annotator's Labeler on an in-memory SQLite store, then on a PostgreSQL one (undo/redo, back, skip)."""
    store = ":memory:" if request.param == "memory" else request.getfixturevalue("pg_server").new_store()
    return nblabel.Labeler(frame(4), CONFIG, annotator="alice", store=store)


def test_current_shape_and_given_order(lab):
    cur = lab.current
    assert cur == {"id": 0, "data": {"text": "review number 0"}, "predictions": []}
    lab.submit(choice("Positive"))
    assert lab.current["id"] == 1


def test_submit_returns_stored_annotation(lab):
    ann = lab.submit(choice("Negative"))
    assert isinstance(ann["id"], int)
    assert label_of(ann) == "Negative"
    assert ann["result"][0]["origin"] == "manual"
    assert ann["was_cancelled"] is False
    assert ann["completed_by"] == {"email": "alice@nblabel.local"}
    assert len(ann["result"][0]["id"]) == 10
    assert ann["lead_time"] >= 0


def test_end_of_queue_raises_queue_empty(lab):
    for label in ["Positive", "Negative", "Neutral", "Positive"]:
        lab.submit(choice(label))
    assert lab.current is None
    with pytest.raises(nblabel.QueueEmpty):
        lab.submit(choice("Positive"))
    with pytest.raises(nblabel.QueueEmpty):
        lab.skip()
    assert issubclass(nblabel.QueueEmpty, RuntimeError)
    assert lab.progress["done"] == 4 and lab.progress["remaining"] == 0


def test_submit_without_result_or_suggestion_is_value_error(lab):
    with pytest.raises(ValueError, match="no suggestion"):
        lab.submit()
    assert lab.current["id"] == 0  # nothing stored, nothing moved


def test_skipped_tasks_come_back_after_unlabeled(lab):
    skipped = lab.skip()
    assert skipped["was_cancelled"] is True and skipped["result"] == []
    assert [lab.current["id"]] == [1]
    lab.submit(choice("Positive"))
    lab.skip()  # task 2
    lab.submit(choice("Positive"))  # task 3
    assert lab.current["id"] == 0  # skipped ones come back, in skip order
    lab.submit(choice("Neutral"))
    assert lab.current["id"] == 2
    assert lab.progress == {**lab.progress, "done": 3, "skipped": 1, "remaining": 0, "total": 4}
    lab.skip()  # skipped twice in one session: not served again
    assert lab.current is None


def test_undo_withdraws_and_prefills_then_redo(lab):
    lab.submit(choice("Positive"))
    lab.submit(choice("Negative"))
    assert lab.current["id"] == 2
    cur = lab.undo()
    assert cur["id"] == 1
    assert lab.progress["done"] == 1
    # the withdrawn answer is kept in the store, marked deleted, and shown pre-filled: Enter re-submits it
    assert lab.to_pandas().loc[1, "sentiment"] is None
    again = lab.submit()
    assert label_of(again) == "Negative"
    assert lab.current["id"] == 2
    lab.undo()
    assert lab.current["id"] == 1
    lab.redo()
    assert lab.current["id"] == 2
    assert lab.to_pandas().loc[1, "sentiment"] == "Negative"
    assert lab.redo() is None


def test_undo_of_skip(lab):
    lab.skip()
    assert lab.undo()["id"] == 0
    assert lab.progress["skipped"] == 0
    assert lab.undo() is None


def test_back_shows_previous_and_resubmit_updates_same_annotation(lab):
    first = lab.submit(choice("Positive"))
    lab.submit(choice("Negative"))
    assert lab.back()["id"] == 1
    assert lab.back()["id"] == 0
    assert lab.back() is None
    edited = lab.submit(choice("Neutral"))
    assert edited["id"] == first["id"]
    assert edited["updated_at"] >= first["updated_at"] and edited["created_at"] == first["created_at"]
    # after editing a task reached with back, the next one in the trail is shown, then the queue resumes
    assert lab.current["id"] == 1
    lab.submit()  # Enter on a shown annotation re-submits it unchanged
    assert lab.current["id"] == 2
    df = lab.to_pandas()
    assert list(df["sentiment"][:2]) == ["Neutral", "Negative"]
    assert [len(a) for a in df["annotations"]] == [1, 1, 0, 0]


def test_undo_of_an_edit_restores_the_previous_answer(lab):
    lab.submit(choice("Positive"))
    lab.back()
    lab.submit(choice("Negative"))
    assert lab.to_pandas().loc[0, "sentiment"] == "Negative"
    lab.undo()
    assert lab.to_pandas().loc[0, "sentiment"] == "Positive"
    assert lab.current["id"] == 0


def test_goto_any_task_then_queue_resumes(lab):
    assert lab.goto(3)["id"] == 3
    lab.submit(choice("Neutral"))
    assert lab.current["id"] == 0
    with pytest.raises(KeyError):
        lab.goto(99)
    # the goto'd task is not served again
    for _ in range(3):
        lab.submit(choice("Positive"))
    assert lab.current is None


def test_progress_rate_and_eta():
    lab = nblabel.Labeler(frame(50), CONFIG, annotator="a", store=":memory:")
    assert lab.progress == {"done": 0, "skipped": 0, "remaining": 50, "total": 50, "rate_per_min": None, "eta_s": None}
    for _ in range(5):
        lab.submit(choice("Positive"))
    p = lab.progress
    assert p["done"] == 5 and p["remaining"] == 45
    assert p["rate_per_min"] > 0 and p["eta_s"] >= 0


def test_shuffle_order_is_seeded():
    a = nblabel.Labeler(frame(20), CONFIG, annotator="a", store=":memory:", order="shuffle", seed=7)
    b = nblabel.Labeler(frame(20), CONFIG, annotator="a", store=":memory:", order="shuffle", seed=7)
    ids = []
    for lab in (a, b):
        seq = []
        while (cur := lab.current) is not None and len(seq) < 5:
            seq.append(cur["id"])
            lab.submit(choice("Positive"))
        ids.append(seq)
    assert ids[0] == ids[1] and ids[0] != [0, 1, 2, 3, 4]


def test_order_uncertain_needs_scores():
    with pytest.raises(ValueError, match="needs a predictor with scores"):
        _ = nblabel.Labeler(frame(3), CONFIG, store=":memory:", order="uncertain").current
    with pytest.raises(ValueError, match="order="):
        nblabel.Labeler(frame(3), CONFIG, store=":memory:", order="random")


def test_suggestion_accept_and_correct_origins():
    df = frame(3)
    df["guess"] = ["Positive", "Negative", None]
    lab = nblabel.Labeler(df, CONFIG, annotator="a", store=":memory:", predictor="guess")
    assert lab.current["predictions"][0]["result"][0]["value"] == {"choices": ["Positive"]}
    accepted = lab.submit()  # Enter: accept the suggestion unchanged
    assert accepted["result"][0]["origin"] == "prediction"
    assert isinstance(accepted["parent_prediction"], int)
    corrected = lab.submit(choice("Positive"))
    assert corrected["result"][0]["origin"] == "prediction-changed"
    assert lab.current["predictions"] == []
    with pytest.raises(ValueError):
        lab.submit()


def test_ls_task_list_keeps_ids_annotations_and_predictions():
    tasks = [{"id": 10, "data": {"text": "a"}, "predictions": [{"result": choice("Neutral"), "score": 0.8,
                                                                "model_version": "m1"}],
              "annotations": [{"result": choice("Positive"), "completed_by": {"email": "bob@x"}}]},
             {"id": 11, "data": {"text": "b"}}]
    lab = nblabel.Labeler(tasks, CONFIG, annotator="a", store=":memory:")
    assert lab.current["id"] == 10
    lab.submit()
    df = lab.to_pandas()
    assert list(df.index) == [10, 11]
    assert len(df.loc[10, "annotations"]) == 2


def test_plain_dict_list_uses_position_ids_and_generators_have_no_total():
    lab = nblabel.Labeler([{"text": "x"}, {"text": "y"}], CONFIG, store=":memory:")
    assert lab.current["id"] == 0 and lab.progress["total"] == 2
    gen = ({"text": f"t{i}"} for i in range(3))
    lab = nblabel.Labeler(gen, CONFIG, store=":memory:")
    assert lab.progress["total"] is None
    for _ in range(3):
        lab.submit(choice("Positive"))
    assert lab.current is None
    assert lab.progress["total"] == 3


def test_multiindex_ids_are_tuples():
    df = pd.DataFrame({"text": ["a", "b"]}, index=pd.MultiIndex.from_tuples([("x", 1), ("x", 2)]))
    lab = nblabel.Labeler(df, CONFIG, store=":memory:")
    assert lab.current["id"] == ("x", 1)
    lab.submit(choice("Positive"))
    assert lab.goto(("x", 1))["id"] == ("x", 1)
    assert lab.to_pandas().loc[("x", 1), "sentiment"] == "Positive"


def test_id_column():
    df = pd.DataFrame({"uid": ["u1", "u2"], "text": ["a", "b"]})
    lab = nblabel.Labeler(df, CONFIG, store=":memory:", id_column="uid")
    assert lab.current["id"] == "u1"


def test_nested_choice_paths_are_accepted_and_checked():
    import nblabel
    config = """<View><Text name="text" value="$text"/>
    <Choices name="topic" toName="text" allowNested="true">
      <Choice value="Animal"><Choice value="Cat"/></Choice>
    </Choices>
    </View>"""
    lab = nblabel.Labeler(pd.DataFrame({"text": ["a", "b"]}), config, store=":memory:", annotator="a")
    value = {"choices": [["Animal"], ["Animal", "Cat"]]}  # a parent comes with its children, even choice="single"
    lab.submit([{"from_name": "topic", "to_name": "text", "type": "choices", "value": value}])
    assert lab.to_label_studio()[0]["annotations"][0]["result"][0]["value"] == value
    with pytest.raises(ValueError, match="Dog"):
        lab.submit([{"from_name": "topic", "to_name": "text", "type": "choices",
                     "value": {"choices": [["Animal", "Dog"]]}}])
    lab.close()


def test_an_annotator_named_by_email_keeps_it(tmp_path):
    df = pd.DataFrame({"text": ["a", "b"]})
    emails = []
    for who in ("alice@example.com", "bob"):
        lab = nblabel.Labeler(df, CONFIG, store=tmp_path / "s.db", annotator=who)
        emails.append(lab.submit(choice("Positive"))["completed_by"]["email"])
    assert emails == ["alice@example.com", "bob@nblabel.local"]


def test_plain_text_repr_shows_progress_and_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lab = nblabel.Labeler(frame(31), CONFIG, annotator="alice", store="reviews.nblabel.db")
    for _ in range(3):
        lab.submit(choice("Positive"))
    lab.skip()
    assert repr(lab) == "Labeler(annotator='alice', 3/31 done, 1 skipped, store='reviews.nblabel.db')"
    bundle = lab._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle  # anywidget: (data, metadata)
    assert data["text/plain"] == repr(lab)  # what Jupyter prints as text
    lab.close()
    assert repr(lab).endswith("store='reviews.nblabel.db', closed)")

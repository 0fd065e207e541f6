"""The durable store: resume, config compatibility, annotators, served-task hashes, leases, acks."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import nblabel
from nblabel.store import Store, open_backend
from helpers import CONFIG, choice, frame, label_of
from pg_server import rows


def test_resume_after_recreating_the_labeler(store_spec):
    db = store_spec
    lab = nblabel.Labeler(frame(5), CONFIG, annotator="alice", store=db)
    lab.submit(choice("Positive"))
    lab.skip()
    lab.close()
    again = nblabel.Labeler(frame(5), CONFIG, annotator="alice", store=db)
    assert again.current["id"] == 2
    assert again.progress["done"] == 1 and again.progress["skipped"] == 1
    assert again.to_pandas().loc[0, "sentiment"] == "Positive"


def test_submit_is_committed_when_submit_returns(store_spec):
    db = store_spec
    lab = nblabel.Labeler(frame(3), CONFIG, annotator="alice", store=db)
    ann = lab.submit(choice("Negative"))
    # a second, independent connection sees the row at once: it is committed, not pending in a transaction
    found = rows(db, "SELECT id, result FROM annotations WHERE deleted = 0")
    assert [r[0] for r in found] == [ann["id"]]
    assert "Negative" in found[0][1]


def test_filtered_reordered_and_extended_frames_resume(store_spec):
    db = store_spec
    lab = nblabel.Labeler(frame(6), CONFIG, annotator="a", store=db)
    for _ in range(3):
        lab.submit(choice("Positive"))
    bigger = pd.concat([frame(6), frame(2, start=6)]).iloc[::-1]
    again = nblabel.Labeler(bigger, CONFIG, annotator="a", store=db)
    assert again.current["id"] == 7
    assert again.progress["done"] == 3 and again.progress["total"] == 8
    subset = frame(6).iloc[2:]
    third = nblabel.Labeler(subset, CONFIG, annotator="a", store=db)
    assert third.current["id"] == 3 and third.progress["done"] == 1


def test_changed_task_text_is_a_clear_error(store_spec):
    db = store_spec
    lab = nblabel.Labeler(frame(2), CONFIG, annotator="a", store=db)
    lab.submit(choice("Positive"))
    changed = frame(2)
    changed.loc[0, "text"] = "something else"
    with pytest.raises(nblabel.TaskChanged, match=r"(?s)task 0\).*store=\""):
        nblabel.Labeler(changed, CONFIG, annotator="a", store=db)  # the answer is not resumed onto other text
    rows = [{"text": "review number 0"}, {"text": "review number 1"}]
    again = nblabel.Labeler(rows, CONFIG, annotator="a", store=db)
    rows[0]["text"] = "changed after opening"  # a dict edited in place: seen when the task is served again
    with pytest.raises(nblabel.TaskChanged, match="changed since"):
        again.goto(0)


def test_adding_a_choice_is_compatible_removing_one_is_not(store_spec):
    db = store_spec
    nblabel.Labeler(frame(2), CONFIG, store=db).submit(choice("Neutral"))
    added = CONFIG.replace('<Choice value="Neutral"/>', '<Choice value="Neutral"/><Choice value="Mixed"/>')
    lab = nblabel.Labeler(frame(2), added, store=db)
    lab.submit(choice("Mixed"))
    removed = CONFIG.replace('<Choice value="Neutral"/>', "")
    with pytest.raises(nblabel.ConfigError, match="Neutral"):
        nblabel.Labeler(frame(2), removed, store=db)
    renamed = CONFIG.replace('name="sentiment"', 'name="mood"')
    with pytest.raises(nblabel.ConfigError):
        nblabel.Labeler(frame(2), renamed, store=db)
    retyped = CONFIG.replace("Choices", "Labels").replace("Choice ", "Label ")
    with pytest.raises(nblabel.ConfigError):
        nblabel.Labeler(frame(2), retyped, store=db)


def test_default_store_path_is_printed_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    lab = nblabel.Labeler(frame(2), CONFIG, annotator="a")
    out = capsys.readouterr().out
    assert ".nblabel" in out and lab._store.path.endswith(".db")
    lab.submit(choice("Positive"))
    nblabel.Labeler(frame(2), CONFIG, annotator="a")
    assert capsys.readouterr().out == ""
    assert (tmp_path / ".nblabel").is_dir()


def test_two_annotators_have_their_own_queues(store_spec):
    db = store_spec
    alice = nblabel.Labeler(frame(3), CONFIG, annotator="alice", store=db)
    bob = nblabel.Labeler(frame(3), CONFIG, annotator="bob", store=db)
    alice.submit(choice("Positive"))
    assert bob.current["id"] == 0
    bob.submit(choice("Negative"))
    df = alice.to_pandas()
    emails = sorted(a["completed_by"]["email"] for a in df.loc[0, "annotations"])
    assert emails == ["alice@nblabel.local", "bob@nblabel.local"]
    assert alice.progress["done"] == 1 and bob.progress["done"] == 1


def test_two_sessions_of_one_annotator_never_share_a_task(store_spec):
    """Leases in the store keep a second session (another kernel) off the tasks the first one holds."""
    from nblabel.widget._queue import Queue
    from nblabel.tasks._source import make_source
    db = store_spec
    one = nblabel.Labeler(frame(6), CONFIG, annotator="a", store=db)
    assert one.current["id"] == 0
    other = Queue(make_source(frame(6)), open_backend(db), "a", owner="other-kernel")
    assert other.head() == "1"
    one.submit(choice("Positive"))
    assert one.current["id"] == 2  # 1 is held by the other session
    other.store.save_annotation("1", "a", choice("Negative"))
    other.mark_done("1", cancelled=False)
    assert other.head() == "3"


def test_rerun_supersedes_old_labeler(store_spec):
    db = store_spec
    old = nblabel.Labeler(frame(3), CONFIG, annotator="a", store=db)
    assert old.current["id"] == 0
    new = nblabel.Labeler(frame(3), CONFIG, annotator="a", store=db)
    assert new.current["id"] == 0  # the old session's lease was released
    with pytest.raises(RuntimeError, match="replaced"):
        old.submit(choice("Positive"))


def test_acks_make_resent_submits_idempotent(store_spec):
    store = open_backend(store_spec)
    a, before, repeated = store.save_annotation('"t"', "x", [], uid="u1")
    b, _, repeated2 = store.save_annotation('"t"', "x", [], uid="u1")
    assert before is None and not repeated and repeated2 and a.id == b.id
    assert len(list(store.iter_live())) == 1


def test_store_is_usable_from_other_threads(store_spec):
    lab = nblabel.Labeler(frame(20), CONFIG, annotator="a", store=store_spec)
    errors = []

    def work():
        try:
            for _ in range(5):
                lab.submit(choice("Positive"))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert lab.progress["done"] == 20
    assert len({a["id"] for anns in lab.to_pandas()["annotations"] for a in anns}) == 20


def test_memory_store_labels_and_exports():
    lab = nblabel.Labeler(frame(2), CONFIG, store=":memory:")
    assert label_of(lab.submit(choice("Positive"))) == "Positive"


# -- the default store is one project's, and an answer is never read onto other data ------------------------------
TEXT_CONFIG = CONFIG
REVIEW_CONFIG = CONFIG.replace("$text", "$review_text")


def test_two_notebooks_in_one_folder_do_not_share_the_default_store(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    first = nblabel.Labeler(pd.DataFrame({"text": ["good", "bad", "fine"]}), TEXT_CONFIG, annotator="a")
    first.submit(choice("Positive"))
    first.close()
    second = nblabel.Labeler(pd.DataFrame({"review_text": ["awful kettle", "nice kettle"]}), REVIEW_CONFIG,
                             annotator="a")
    assert second.progress["done"] == 0 and second.current["data"] == {"review_text": "awful kettle"}
    assert second.to_pandas().loc[0, "sentiment"] is None  # not another project's "Positive"
    assert second._store.path != first._store.path
    # the same $fields in two notebooks (Jupyter names the kernel's notebook): two stores as well
    monkeypatch.setenv("JPY_SESSION_NAME", "kettles.ipynb")
    capsys.readouterr()
    third = nblabel.Labeler(pd.DataFrame({"text": ["awful kettle"]}), TEXT_CONFIG, annotator="a")
    assert third.progress["done"] == 0 and third._store.path not in (first._store.path, second._store.path)
    assert first._store.path in capsys.readouterr().out  # the other store of this config is named, to continue it
    monkeypatch.setenv("JPY_SESSION_NAME", "kettles.ipynb")
    assert nblabel.Labeler(pd.DataFrame({"text": ["awful kettle", "more"]}), TEXT_CONFIG,
                           annotator="a")._store.path == third._store.path  # re-run, longer frame: same store


def test_an_answer_is_never_read_onto_other_fields(store_spec, tmp_path, monkeypatch):
    db = store_spec
    first = nblabel.Labeler(pd.DataFrame({"text": ["good", "bad", "fine"]}), TEXT_CONFIG, annotator="a", store=db)
    first.submit(choice("Positive"))
    first.close()
    kettles = pd.DataFrame({"text": ["awful kettle", "nice kettle"]})
    with pytest.raises(nblabel.TaskChanged) as err:  # resume, progress and to_pandas would all have said Positive
        nblabel.Labeler(kettles, TEXT_CONFIG, annotator="b", store=db)
    message = str(err.value)
    assert "task 0" in message and open_backend(db).path in message
    fix = message.splitlines()[-1].strip()
    assert fix.startswith('nblabel.Labeler(..., store="') and fix.endswith('")')
    monkeypatch.chdir(tmp_path)
    lab = nblabel.Labeler(kettles, TEXT_CONFIG, annotator="b", store=fix.split('store="')[1][:-2])  # the fix works
    assert lab.progress["done"] == 0 and lab.to_pandas().loc[0, "sentiment"] is None
    # rows changed in place after opening: to_pandas refuses instead of pairing the answer with the new text
    same = pd.DataFrame({"text": ["good", "bad", "fine"]})
    again = nblabel.Labeler(same, TEXT_CONFIG, annotator="a", store=db)
    assert again.to_pandas().loc[0, "sentiment"] == "Positive"
    same.loc[0, "text"] = "awful kettle"
    with pytest.raises(nblabel.TaskChanged, match="task 0"):
        again.to_pandas()



def test_connections_opening_one_new_store_at_once_all_open_it(tmp_path):
    # Kernels opening a new file together: SQLite answers "database is locked" at once (no busy wait) to a
    # journal-mode change racing another, and a column check outside the transaction raced the schema. Threads
    # with their own connections contend for the file as processes do (7 of 40 files failed before the fix).
    failures = []
    for k in range(40):
        path = tmp_path / f"s{k}.db"
        barrier = threading.Barrier(6)
        ids: list[str] = []

        def open_it(path=path, barrier=barrier, ids=ids):
            barrier.wait()
            try:
                ids.append(Store(path).id)
            except Exception as e:  # noqa: BLE001 - the test reports every failure
                failures.append(repr(e))

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(ids)) <= 1  # one store id for everyone who opened it
    assert failures == []

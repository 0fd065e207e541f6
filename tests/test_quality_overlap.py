"""Overlap across annotators sharing one store: who labels what, in one process and across kernels; ground truth."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

import nblabel
from helpers import CONFIG, choice, frame
from pg_server import rows

HERE = Path(__file__).parent
LABELS = ["Positive", "Negative", "Neutral"]


def _answers(db) -> list[tuple[str, str]]:
    return rows(str(db), "SELECT task_key, annotator FROM annotations WHERE deleted = 0 AND was_cancelled = 0")


def _label_round_robin(labs: list) -> None:
    active = list(labs)
    while active:
        for lab in list(active):
            cur = lab.current
            if cur is None:
                active.remove(lab)
                continue
            lab.submit(choice(LABELS[cur["id"] % 3]))


def test_overlap_two_of_three_annotators_in_one_process(store_spec, tmp_path):
    db = store_spec
    labs = [nblabel.Labeler(frame(30), CONFIG, annotator=a, store=db, overlap=2) for a in ("alice", "bob", "carol")]
    _label_round_robin(labs)
    per_task = Counter(k for k, _ in _answers(db))
    assert sorted(per_task) == sorted(json.dumps(i) for i in range(30))
    assert set(per_task.values()) == {2}
    assert sum(lab.progress["done"] for lab in labs) == 60
    assert labs[0].progress["complete"] == 30 and labs[0].progress["waiting"] == 0


def test_default_overlap_keeps_every_annotator_labeling_every_task(tmp_path):
    db = tmp_path / "s.db"
    labs = [nblabel.Labeler(frame(5), CONFIG, annotator=a, store=db) for a in ("alice", "bob")]
    _label_round_robin(labs)
    assert Counter(Counter(k for k, _ in _answers(db)).values()) == {2: 5}
    assert "complete" not in labs[0].progress


def test_a_skip_does_not_count_as_an_answer(store_spec, tmp_path):
    db = store_spec
    alice, bob, carol = (nblabel.Labeler(frame(1), CONFIG, annotator=a, store=db, overlap=2)
                         for a in ("alice", "bob", "carol"))
    alice.skip()  # task 0 skipped: its slot is free again
    bob.submit(choice("Positive"))
    carol.submit(choice("Negative"))
    assert alice.current is None  # it came back after her skip, but two others answered it meanwhile
    assert sorted(a for _, a in _answers(db)) == ["bob", "carol"]


def test_a_held_task_counts_until_answered(store_spec, tmp_path):
    db = store_spec
    alice, bob, carol = (nblabel.Labeler(frame(2), CONFIG, annotator=a, store=db, overlap=2)
                         for a in ("alice", "bob", "carol"))
    assert alice.current["id"] == 0 and bob.current["id"] == 0
    assert carol.current["id"] == 1  # alice and bob hold task 0 (their leases): its two slots are taken
    for lab in (alice, bob, carol):
        lab.submit(choice("Positive"))
    assert carol.current is None  # task 0 is full: two answers
    assert alice.current["id"] == 1
    alice.submit(choice("Positive"))
    assert bob.current is None and alice.current is None


def test_coverage_picks_the_same_tasks_for_everyone(tmp_path):
    db = tmp_path / "s.db"
    labs = [nblabel.Labeler(frame(200), CONFIG, annotator=a, store=db, overlap=2, coverage=0.3)
            for a in ("alice", "bob", "carol")]
    _label_round_robin(labs)
    per_task = Counter(k for k, _ in _answers(db))
    doubled = {k for k, n in per_task.items() if n == 2}
    assert set(per_task.values()) == {1, 2} and len(per_task) == 200
    assert 0.2 < len(doubled) / 200 < 0.4
    assert doubled == {k for k in per_task if labs[1]._cursor.queue.limit(k) == 2}


def test_overlap_first_serves_tasks_others_answered(tmp_path):
    db = tmp_path / "s.db"
    alice = nblabel.Labeler(frame(10), CONFIG, annotator="alice", store=db, overlap=2, order="shuffle", seed=3)
    seen = []
    for _ in range(3):
        seen.append(alice.current["id"])
        alice.submit(choice("Positive"))
    bob = nblabel.Labeler(frame(10), CONFIG, annotator="bob", store=db, overlap=2, overlap_first=True)
    got = []
    for _ in range(3):
        got.append(bob.current["id"])
        bob.submit(choice("Positive"))
    assert sorted(got) == sorted(seen)
    fresh = nblabel.Labeler(frame(10), CONFIG, annotator="carol", store=db, overlap=2)
    assert fresh.current["id"] not in seen  # without overlap_first, the given order; those three are full


def test_bad_overlap_arguments_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="overlap"):
        nblabel.Labeler(frame(2), CONFIG, annotator="a", store=tmp_path / "x.db", overlap=0)
    with pytest.raises(ValueError, match="coverage"):
        nblabel.Labeler(frame(2), CONFIG, annotator="b", store=tmp_path / "y.db", overlap=2, coverage=1.5)


KERNEL = textwrap.dedent("""
    import sys, json
    sys.path.insert(0, {tests!r})
    import nblabel
    from helpers import CONFIG, frame, choice
    labs = [nblabel.Labeler(frame({n}), CONFIG, annotator=a, store={db!r}, overlap=2)
            for a in ("alice", "bob", "carol")]
    print("READY", flush=True)
    sys.stdin.readline()  # start together with the other kernel
    labels = ["Positive", "Negative", "Neutral"]
    active = list(labs)
    while active:
        for lab in list(active):
            cur = lab.current
            if cur is None:
                active.remove(lab)
                continue
            lab.submit(choice(labels[cur["id"] % 3]))
            print(json.dumps([lab.annotator, cur["id"]]), flush=True)
    print("DONE", flush=True)
""")


def test_two_kernels_three_annotators_overlap_two(tmp_path):
    db = tmp_path / "shared.db"
    n = 120
    nblabel.Labeler(frame(n), CONFIG, annotator="setup", store=db).close()  # the file exists before the race
    procs = [subprocess.Popen([sys.executable, "-c", KERNEL.format(tests=str(HERE), n=n, db=str(db))],
                              stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True, cwd=str(HERE.parent))
             for _ in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=300)[0].splitlines() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert all(out[-1] == "DONE" for out in outputs)
    answers = _answers(db)
    assert len(answers) == len(set(answers))  # nobody answered a task twice
    per_task = Counter(k for k, _ in answers)
    assert len(per_task) == n and set(per_task.values()) == {2}
    acked = Counter(tuple(json.loads(x)) for out in outputs for x in out if x.startswith("["))
    assert set(acked.values()) == {1}  # no submit was served twice, across the two kernels either
    assert sorted((a, json.dumps(i)) for a, i in acked) == sorted((a, k) for k, a in answers)


def test_ground_truth_is_stored_exported_and_reported(store_spec, tmp_path):
    db = store_spec
    alice = nblabel.Labeler(frame(3), CONFIG, annotator="alice", store=db)
    bob = nblabel.Labeler(frame(3), CONFIG, annotator="bob", store=db)
    stars = {}
    for lab, labels in ((alice, ["Positive", "Negative", "Neutral"]), (bob, ["Positive", "Positive", "Neutral"])):
        for lab_label in labels:
            ann = lab.submit(choice(lab_label))
            if lab is alice:
                stars[lab.progress["done"] - 1] = ann["id"]
    for task, ann_id in stars.items():
        bob.set_ground_truth(task, ann_id)
    tasks = bob.to_label_studio()
    flags = {t["id"]: [(a["completed_by"]["email"], a["ground_truth"]) for a in t["annotations"]] for t in tasks}
    assert flags[1] == [("alice@nblabel.local", True), ("bob@nblabel.local", False)]
    out = tmp_path / "out.json"
    bob.export(out, format="JSON")
    exported = json.loads(out.read_text())
    assert sum(a["ground_truth"] for t in exported for a in t["annotations"]) == 3
    truth = nblabel.ground_truth(bob.to_pandas())
    assert list(truth["annotator"]) == ["alice"] * 3 and list(truth["sentiment"]) == ["Positive", "Negative", "Neutral"]
    rep = nblabel.agreement(bob)
    assert rep.ground_truth.loc["bob", "agreement"] == pytest.approx(2 / 3)
    assert rep.ground_truth.loc["bob", "n_tasks"] == 3
    stats = nblabel.annotator_stats(bob)
    assert stats.loc["bob", "agreement_ground_truth"] == pytest.approx(2 / 3)
    bob.set_ground_truth(1, None)
    assert nblabel.ground_truth(bob.to_pandas()).index.tolist() == [0, 2]
    with pytest.raises(ValueError, match="another task"):
        bob.set_ground_truth(0, stars[1])

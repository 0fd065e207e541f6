"""Durability against SIGKILL, and two kernels (processes) of one annotator sharing a store."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent

CHILD = textwrap.dedent("""
    import sys, json, time
    sys.path.insert(0, {tests!r})
    import nblabel
    from helpers import CONFIG, frame, choice
    lab = nblabel.Labeler(frame({n}), CONFIG, annotator={annotator!r}, store={db!r})
    if {barrier!r}:
        print("READY", flush=True)
        sys.stdin.readline()  # start together with the other kernel
    labels = ["Positive", "Negative", "Neutral"]
    while (cur := lab.current) is not None:
        ann = lab.submit(choice(labels[cur["id"] % 3]))
        print(json.dumps([cur["id"], ann["id"]]), flush=True)  # acknowledged: submit() returned
        if {barrier!r}:
            time.sleep(0.003)  # an annotator's pace: the other kernel, however late the scheduler starts it, gets work
    print("DONE", flush=True)
""")


def _child(db: Path, n: int, annotator: str = "a", barrier: bool = False) -> subprocess.Popen:
    code = CHILD.format(tests=str(HERE), n=n, annotator=annotator, db=str(db), barrier=barrier)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stdin=subprocess.PIPE,
                            text=True, cwd=str(HERE.parent))


def _together(procs: list[subprocess.Popen]) -> list[list[str]]:
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    return [p.communicate(timeout=120)[0].splitlines() for p in procs]


def _live(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as con:
        return {row[0]: row[1] for row in con.execute("SELECT id, task_key FROM annotations WHERE deleted = 0")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_at_a_random_moment_loses_no_acknowledged_submit(tmp_path, seed):
    db = tmp_path / "crash.db"
    rng = random.Random(seed)
    proc = _child(db, 100_000)
    acked: list[tuple[int, int]] = []
    deadline = time.monotonic() + rng.uniform(1.0, 2.5)
    min_acks = rng.randint(5, 60)
    while time.monotonic() < deadline or len(acked) < min_acks:
        line = proc.stdout.readline()
        if not line:
            break
        acked.append(tuple(json.loads(line)))
    os.kill(proc.pid, signal.SIGKILL)  # mid-loop: possibly inside a transaction
    proc.wait(10)
    rest = proc.stdout.read().splitlines()  # lines written before the kill also count as acknowledged
    acked += [tuple(json.loads(x)) for x in rest if x.startswith("[")]
    assert len(acked) >= min_acks
    live = _live(db)
    for task_id, ann_id in acked:
        assert live.get(ann_id) == str(task_id), f"acknowledged annotation {ann_id} of task {task_id} lost"
    # the store still opens and resumes right after the last stored task
    sys.path.insert(0, str(HERE))
    import nblabel
    from helpers import CONFIG, frame
    lab = nblabel.Labeler(frame(100_000), CONFIG, annotator="b2", store=db)
    assert lab.current["id"] == 0  # another annotator: own queue
    same = nblabel.Labeler(frame(100_000), CONFIG, annotator="a", store=db)
    assert same.current["id"] == len(live)  # the killed session's lease is its own: same annotator resumes at once


def test_two_kernels_of_one_annotator_split_the_queue(tmp_path):
    db = tmp_path / "shared.db"
    outs = _together([_child(db, 300, barrier=True), _child(db, 300, barrier=True)])
    assert all(o[-1] == "DONE" for o in outs)
    done = [[json.loads(x)[0] for x in o[:-1]] for o in outs]
    assert sorted(done[0] + done[1]) == list(range(300)), "every task labeled exactly once"
    assert done[0] and done[1], "both kernels got work"
    assert len(_live(db)) == 300


def test_two_annotators_in_two_kernels_each_label_everything(tmp_path):
    db = tmp_path / "shared.db"
    outs = _together([_child(db, 30, "alice", True), _child(db, 30, "bob", True)])
    assert [len(o) - 1 for o in outs] == [30, 30]
    assert len(_live(db)) == 60

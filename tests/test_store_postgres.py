"""A team on one PostgreSQL store: kernels × annotators with overlap, SIGKILL of a kernel, the server restarted.

Runs against a real server (tests/pg_server.py); skipped, with the reason, when the binaries or psycopg are missing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest

import nblabel
from helpers import CONFIG, choice, deliver, frame
from pg_server import PASSWORD, rows

HERE = Path(__file__).parent

# One kernel: a Labeler per annotator, answering round robin; each acknowledged submit is printed as it returns.
KERNEL = textwrap.dedent("""
    import sys, json, time
    sys.path.insert(0, {tests!r})
    import nblabel
    from helpers import CONFIG, frame, choice
    labs = [nblabel.Labeler(frame({n}), CONFIG, annotator=a, store={url!r}, overlap={overlap})
            for a in {annotators!r}]
    print("READY", flush=True)
    sys.stdin.readline()  # start together with the other kernels
    labels = ["Positive", "Negative", "Neutral"]
    active = list(labs)
    outages = 0
    while active:
        for lab in list(active):
            try:
                cur = lab.current
                if cur is None:
                    active.remove(lab)
                    continue
                ann = lab.submit(choice(labels[cur["id"] % 3]))
            except nblabel.StoreUnavailable:  # the server is away: the same task is still current, try again
                outages += 1
                time.sleep(0.05)
                continue
            print(json.dumps([lab.annotator, cur["id"], ann["id"]]), flush=True)
    print("DONE", outages, flush=True)
""")


def _kernels(url: str, count: int, n: int, annotators=("alice", "bob", "carol"), overlap: int = 2):
    code = KERNEL.format(tests=str(HERE), n=n, url=url, overlap=overlap, annotators=tuple(annotators))
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stdin=subprocess.PIPE,
                              text=True, cwd=str(HERE.parent)) for _ in range(count)]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    return procs


def _acked(lines: list[str]) -> list[tuple]:
    return [tuple(json.loads(x)) for x in lines if x.startswith("[")]


def _answers(url: str) -> list[tuple]:
    return rows(url, "SELECT id, task_key, annotator FROM annotations WHERE deleted = 0 AND was_cancelled = 0")


def test_three_kernels_three_annotators_overlap_two(pg_server):
    url = pg_server.new_store()  # empty: the three kernels also race to create the schema
    n = 24
    procs = _kernels(url, 3, n)
    outputs = [p.communicate(timeout=120)[0].splitlines() for p in procs]
    assert all(p.returncode == 0 for p in procs) and all(out[-1].startswith("DONE") for out in outputs)
    answers = _answers(url)
    pairs = [(k, a) for _, k, a in answers]
    assert len(pairs) == len(set(pairs))  # nobody answered a task twice
    per_task = Counter(k for k, _ in pairs)
    assert sorted(per_task) == sorted(json.dumps(i) for i in range(n)) and set(per_task.values()) == {2}
    acked = [x for out in outputs for x in _acked(out)]
    assert len(acked) == len(set(acked)) == 2 * n  # no submit was served twice, across the kernels either
    assert sorted((a, json.dumps(i), ann) for a, i, ann in acked) == sorted((a, k, i) for i, k, a in answers)


def test_sigkill_of_a_kernel_loses_nothing_acknowledged(pg_server):
    url = pg_server.new_store()
    victim, other = _kernels(url, 2, 100, annotators=("alice",), overlap=1)
    acked = []
    while len(acked) < 10:  # mid-stream: the kernel is inside a submit or between two
        line = victim.stdout.readline()
        assert line, "the kernel stopped early"
        acked += _acked([line])
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(10)
    acked += _acked(victim.stdout.read().splitlines())  # written before the kill: acknowledged too
    out = other.communicate(timeout=120)[0].splitlines()
    assert other.returncode == 0 and out[-1].startswith("DONE")
    live = {i: k for i, k, _ in _answers(url)}
    for _, task_id, ann_id in acked:
        assert live.get(ann_id) == json.dumps(task_id), f"acknowledged annotation {ann_id} of task {task_id} lost"
    # the other kernel took over the dead kernel's leases (its pid is gone): every task has its one answer
    assert sorted(live.values()) == sorted(json.dumps(i) for i in range(100))


def test_server_restarted_mid_stream(pg_server):
    url = pg_server.new_store()
    procs = _kernels(url, 2, 60, annotators=("alice", "bob"))
    acked = []
    while len(acked) < 15:
        acked += _acked([procs[0].stdout.readline()])
    pg_server.stop("fast")  # every session's connection is cut; submits fail until it is back
    pg_server.restart()
    outputs = [p.communicate(timeout=120)[0].splitlines() for p in procs]
    assert all(p.returncode == 0 for p in procs) and all(out[-1].startswith("DONE") for out in outputs)
    acked += [x for out in outputs for x in _acked(out)]
    answers = _answers(url)
    assert sorted((a, json.dumps(i), ann) for a, i, ann in acked) == sorted((a, k, i) for i, k, a in answers)
    per_task = Counter(k for _, k, _ in answers)
    assert len(per_task) == 60 and set(per_task.values()) == {2}  # nothing lost, nothing stored twice


class _Browser:
    """The front end's side of the widget messages, sent from another thread as a kernel subshell would."""

    def __init__(self, lab) -> None:
        self.lab, self.inbox = lab, []
        lab.send = lambda content, buffers=None: self.inbox.append(content)

    def say(self, content: dict) -> dict:
        t = threading.Thread(target=deliver, args=(self.lab, content))
        t.start()
        t.join()
        return self.inbox[-1]


def test_a_submit_during_an_outage_stays_in_the_outbox_and_is_stored_once(pg_server):
    url = pg_server.new_store()
    lab = nblabel.Labeler(frame(5), CONFIG, annotator="ui", store=url)
    browser = _Browser(lab)
    browser.say({"type": "hello", "id": "r1"})
    first = {"type": "submit", "id": uuid.uuid4().hex, "key": "0", "result": choice("Positive"), "lead_time": 1.0}
    assert browser.say(first)["type"] == "ack"
    pg_server.stop("fast")
    try:
        second = {**first, "id": uuid.uuid4().hex, "key": "1", "result": choice("Negative")}
        reply = browser.say(second)
        # not a nack (a nack takes the answer out of the outbox): a notice, and no ack for this uid
        assert reply["type"] == "notice" and "PostgreSQL store" in reply["message"]
        assert reply["message"].startswith("Not saved yet, kept in this browser and sent again")
        assert PASSWORD not in reply["message"]
        with pytest.raises(nblabel.StoreUnavailable, match="cannot reach"):
            lab.submit(choice("Neutral"))
    finally:
        pg_server.restart()
    ack = browser.say(second)  # the outbox re-sends it once the store is back
    assert ack["type"] == "ack"
    assert browser.say(second)["annotation_id"] == ack["annotation_id"]  # a second re-send: stored once
    stored = rows(url, "SELECT task_key, result FROM annotations WHERE deleted = 0 ORDER BY id")
    assert [k for k, _ in stored] == ["0", "1"] and "Negative" in stored[1][1]


def test_the_password_never_shows(pg_server):
    url = pg_server.new_store()
    lab = nblabel.Labeler(frame(2), CONFIG, annotator="a", store=url)
    lab.submit(choice("Positive"))
    assert lab._store.path.startswith("postgresql://nblabel@127.0.0.1:")
    assert PASSWORD not in repr(lab) and lab._store.path in repr(lab)
    changed = frame(2)
    changed.loc[0, "text"] = "other text"
    with pytest.raises(nblabel.TaskChanged) as err:
        nblabel.Labeler(changed, CONFIG, annotator="a", store=url)
    assert lab._store.path in str(err.value) and PASSWORD not in str(err.value)


def test_missing_psycopg_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"nblabel\[postgres\]"):
        nblabel.Labeler(frame(2), CONFIG, store="postgresql://u:p@127.0.0.1:1/db")


def test_a_lease_that_fails_in_an_outage_is_tried_again(pg_server):
    from nblabel.store import open_backend
    from nblabel.tasks._source import make_source
    from nblabel.widget._queue import Queue
    url = pg_server.new_store()
    queue = Queue(make_source(frame(3)), open_backend(url), "a", owner="kernel-1")
    pg_server.stop("fast")
    try:
        with pytest.raises(nblabel.StoreUnavailable):
            queue.head()  # the scan has moved past task 0 when its lease fails
    finally:
        pg_server.restart()
    assert queue.head() == "0"  # not skipped: it would stay unlabeled by this session

"""The queue: which task one annotator's session sees next.

Rules:
- unlabeled tasks in `order`; tasks skipped earlier come back once, after the unlabeled ones, in skip order, and
  once more each time they are asked for again (`requeue_skipped`);
- a session leases the tasks it holds (current + prefetch window) in the store, so two sessions of one annotator
  (two kernels) never serve the same task at once;
- the scan walks positions lazily: opening a million-row frame touches only the rows it serves;
- overlap: with `overlap` n ≥ 2 a task goes to at most n distinct annotators (`coverage` share of the tasks,
  picked by a hash of the task key so every kernel picks the same ones; the rest to one); the store's lease
  decides who gets a slot; a task full when reached is tried again once at the end (a lease may lapse);
  `overlap_first` serves tasks others already answered before fresh ones;
- tasks a reviewer sent back (`returned`: their answer rejected with requeue) come first, and count as not done
  until answered again.
"""

from __future__ import annotations

import hashlib
import random
import time
from typing import Callable, Iterator

from ..store._sqlite import Store
from ..tasks._source import TaskSource

ORDERS = ("given", "shuffle", "uncertain", "confident")


class Queue:
    def __init__(self, source: TaskSource, store: Store, annotator: str, owner: str, *, order: str = "given",
                 seed: int | None = None, score: Callable[[str], float | None] | None = None,
                 score_many: Callable[[list[str]], list[float | None]] | None = None,
                 rescore: Callable[[], object] | None = None, overlap: int = 1, coverage: float = 1.0,
                 overlap_first: bool = False, returned: list[str] | tuple = ()) -> None:
        if order not in ORDERS:
            raise ValueError(f"order={order!r}: expected one of {', '.join(ORDERS)}")
        if isinstance(overlap, bool) or not isinstance(overlap, int) or overlap < 1:
            raise ValueError(f"overlap={overlap!r}: expected an int >= 1 (annotators per task)")
        if not 0.0 <= float(coverage) <= 1.0:
            raise ValueError(f"coverage={coverage!r}: expected a share between 0 and 1")
        self.overlap, self.coverage, self.overlap_first = overlap, float(coverage), bool(overlap_first)
        self.source, self.store, self.annotator, self.owner = source, store, annotator, owner
        status = store.live_status(annotator)
        self.done = {k for k, cancelled in status.items() if not cancelled}
        self.skipped = [k for k, cancelled in status.items() if cancelled]  # oldest skip first
        self._skipped_set = set(self.skipped)
        self._returned = [k for k in returned if k in self.done]
        self._returned_set = set(self._returned)
        self.done.difference_update(self._returned)
        self.window: list[str] = []  # leased, in serving order; window[0] is the queue's head
        # skipped tasks already served again since their last skip: each comes back once by itself (a window that
        # looked ahead past the last unlabeled task before the skip must not lose it)
        self._served_again: set[str] = set()
        self._deferred: list[str] = []  # leased by another session (or full) when we reached them
        self._retry: str | None = None  # its lease failed (the store was away): tried again first
        self._first: Iterator[str] | None = None  # overlap_first: started tasks, served before the scan
        self._first_at, self._first_exhausted = 0.0, False
        self._score_many = score_many or (lambda keys: [score(k) for k in keys] if score else None)
        self._rescore = rescore  # a token (the model version): when it changes, the remaining tasks are re-ranked
        self.unscored = order in ("uncertain", "confident")  # the first `fill` scores every task (slow with a model)
        self._scan = self._positions(order, seed, score)

    # -- order -----------------------------------------------------------------------------------------------
    def _positions(self, order: str, seed: int | None, score) -> Iterator[str]:
        src = self.source
        if order == "given":
            pos = 0
            while (key := src.key_at(pos)) is not None:
                yield key
                pos += 1
            return
        keys = list(src.iter_keys())  # shuffle and score orders need every key once
        if order == "shuffle":
            random.Random(seed).shuffle(keys)
        else:
            if score is None:
                raise ValueError(f"order={order!r} needs a predictor with scores")
            yield from self._ranked(keys, order == "confident")
            return
        yield from keys

    def _ranked(self, keys: list[str], confident: bool) -> Iterator[str]:
        """Keys by score (most uncertain first, or most confident), re-ranked when the model changes."""
        while True:
            keys = [k for k in keys if k not in self.done]
            token = self._rescore() if self._rescore else None
            scores = self._score_many(keys)
            self.unscored = False
            ranked = sorted(((s if s is not None else 0.5, i, k) for i, (k, s) in enumerate(zip(keys, scores))),
                            reverse=confident)
            keys = [k for _, _, k in ranked]
            for n, key in enumerate(keys):
                yield key
                if self._rescore is not None and self._rescore() != token:
                    keys = keys[n + 1:]
                    break
            else:
                return

    # -- overlap ---------------------------------------------------------------------------------------------
    def limit(self, key: str) -> int | None:
        """How many annotators `key` may have (None: no limit, annotators do not coordinate)."""
        if self.overlap == 1:
            return None
        if self.coverage >= 1.0:
            return self.overlap
        h = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") / 2 ** 64
        return self.overlap if h < self.coverage else 1

    def _started(self) -> Iterator[str]:
        """Tasks other annotators answered that still have room, in source order (overlap_first)."""
        counts = self.store.answer_counts()
        keys = [k for k, n in counts.items() if k not in self.done and self.source.has(k)
                and (self.limit(k) is None or n < self.limit(k))]
        keys.sort(key=lambda k: self.source.position(k) or 0)
        yield from keys

    # -- serving ---------------------------------------------------------------------------------------------
    def fill(self, n: int) -> list[str]:
        """Lease tasks until the window holds `n` (or nothing is left); returns the window."""
        while len(self.window) < n:
            key = self._next_candidate()
            if key is None:
                break
            if key in self._returned_set:  # the annotator's own answer holds it: no lease to take
                self._returned_set.discard(key)
                self.window.append(key)
                continue
            status = self._lease(key)
            if status == "ok":
                self.window.append(key)
            elif status == "done":
                self.done.add(key)  # labeled by another session of this annotator
            elif key not in self._deferred:
                self._deferred.append(key)  # another session holds it, or others filled it
        return self.window

    def _lease(self, key: str) -> str:
        """`try_lease`; if the store fails (its server away), `key` is the next candidate again, not dropped: the
        scan has already moved past it."""
        try:
            return self.store.try_lease(key, self.annotator, self.owner, self.limit(key))
        except Exception:
            self._retry = key
            raise

    def _next_candidate(self) -> str | None:
        if self._retry is not None:
            key, self._retry = self._retry, None
            if key not in self.done and key not in self.window:
                return key
        while self._returned:
            key = self._returned.pop(0)
            if key not in self.done and key not in self.window:
                return key
            self._returned_set.discard(key)
        if self.overlap_first:
            if self._first is None or (self._first_exhausted and time.monotonic() - self._first_at > 5.0):
                # Others keep answering: look again, at most every few seconds (the query reads every answer).
                self._first, self._first_at, self._first_exhausted = self._started(), time.monotonic(), False
            for key in self._first:
                if key not in self.done and key not in self._skipped_set and key not in self.window \
                        and key not in self._deferred:
                    return key
            self._first_exhausted = True
        for key in self._scan:
            if key not in self.done and key not in self._skipped_set and key not in self.window:
                return key
        for key in self.skipped:  # oldest skip first
            if key not in self._served_again and key not in self.window:
                self._served_again.add(key)
                return key
        while self._deferred:
            key = self._deferred.pop(0)
            if key in self.done or key in self.window:
                continue
            status = self._lease(key)
            if status == "ok":
                # Put it back through the normal lease path; try_lease is idempotent for its owner.
                return key
            if status == "done":
                self.done.add(key)
        return None

    def head(self) -> str | None:
        self.fill(1)
        return self.window[0] if self.window else None

    # -- state changes ---------------------------------------------------------------------------------------
    def mark_done(self, key: str, cancelled: bool) -> None:
        """A submit (or a skip, `cancelled`) was stored for `key`."""
        if key in self.window:
            self.window.remove(key)
        if cancelled:
            self.done.discard(key)
            if key in self._skipped_set:
                self.skipped.remove(key)
            self.skipped.append(key)
            self._skipped_set.add(key)
        else:
            self.done.add(key)
            if key in self._skipped_set:
                self._skipped_set.discard(key)
                self.skipped.remove(key)

    def requeue_skipped(self) -> int:
        """Serve every skipped task once more (in skip order, after whatever is unlabeled); returns how many."""
        self._served_again.clear()
        return len(self.skipped)

    def withdraw(self, key: str) -> None:
        """The annotation of `key` was withdrawn (undo): serve it again, first."""
        self.done.discard(key)
        self._served_again.discard(key)
        if key in self._skipped_set:
            self._skipped_set.discard(key)
            self.skipped.remove(key)
        if key in self.window:
            self.window.remove(key)
        self.store.try_lease(key, self.annotator, self.owner)  # the annotator's own answer: no overlap check
        self.window.insert(0, key)

    def release(self) -> None:
        self.store.release(self.owner)
        self.window.clear()

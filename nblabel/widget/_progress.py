"""Progress of one annotator: counts, labeling rate and time left.

Rules:
- counts are this annotator's answers to tasks of this source (a shared store may hold answers to other tasks);
  with `overlap` ≥ 2 also across annotators: tasks with all their answers (`complete`) and tasks still `waiting`;
- the rate is taken over the last 30 answers of this session, so it follows the annotator's current pace; each
  answer counts at its key press (the browser says how long it waited), and an answer that waited longer than
  `REPLAY_AGE_S` is a replay (an outbox re-sent after a reload or a re-run): it says nothing about the pace;
- lead time headless: seconds from the first `current` that showed a task to its answer.
"""

from __future__ import annotations

import time
from collections import deque

from ..store._sqlite import Store
from ..tasks._source import TaskSource
from ._queue import Queue

REPLAY_AGE_S = 30.0


class Progress:
    """`Labeler.progress` and the headless lead time."""

    def __init__(self, source: TaskSource, queue: Queue, store: Store) -> None:
        self.source, self.queue, self.store = source, queue, store
        self._in_source: dict[str, bool] = {}
        self._recent: deque[float] = deque(maxlen=30)
        self._shown_at: dict[str, float] = {}

    def seen(self, key: str) -> None:
        """`current` showed `key` (the first time counts)."""
        self._shown_at.setdefault(key, time.perf_counter())

    def lead_time(self, key: str) -> float:
        now = time.perf_counter()
        return round(now - self._shown_at.get(key, now), 3)

    def answered(self, key: str, age_s: float | None = None) -> None:
        self._shown_at.pop(key, None)
        if age_s is None or 0 <= age_s <= REPLAY_AGE_S:
            self._recent.append(time.time() - (age_s or 0.0))

    def counts(self) -> dict:
        """done, skipped, remaining, total, rate_per_min, eta_s."""
        done = sum(1 for k in self.queue.done if self._has(k))
        skipped = sum(1 for k in self.queue.skipped if self._has(k))
        total = getattr(self.queue, "total", self.source.total)  # a review queue counts the tasks to review
        remaining = None if total is None else max(total - done - skipped, 0)
        recent, rate = self._recent, None
        first, last = (min(recent), max(recent)) if recent else (0.0, 0.0)
        if len(recent) >= 2 and last > first:
            rate = (len(recent) - 1) / (last - first) * 60
        eta = remaining / rate * 60 if rate and remaining else None  # nothing left: no ETA to show
        out = {"done": done, "skipped": skipped, "remaining": remaining, "total": total,
               "rate_per_min": round(rate, 1) if rate else None, "eta_s": round(eta) if eta is not None else None}
        if self.queue.overlap > 1:
            out.update(self._overlap())
        return out

    def _overlap(self) -> dict:
        """Across annotators: tasks with all their answers, and tasks answered but waiting for more."""
        complete = waiting = 0
        for key, n in self.store.answer_counts().items():
            if self._has(key):
                if n >= (self.queue.limit(key) or 1):
                    complete += 1
                else:
                    waiting += 1
        return {"complete": complete, "waiting": waiting, "overlap": self.queue.overlap}

    def _has(self, key: str) -> bool:
        hit = self._in_source.get(key)
        if hit is None:
            hit = self._in_source[key] = self.source.has(key)
        return hit

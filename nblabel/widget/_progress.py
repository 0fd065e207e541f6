"""Progress of one annotator: counts, labeling rate and time left.

Rules:
- counts are this annotator's answers to tasks of this source (a shared store may hold answers to other tasks);
- the rate is taken over the last 30 answers of this session, so it follows the annotator's current pace;
- lead time headless: seconds from the first `current` that showed a task to its answer.
"""

from __future__ import annotations

import time
from collections import deque

from ..tasks._source import TaskSource
from ._queue import Queue


class Progress:
    """`Labeler.progress` and the headless lead time."""

    def __init__(self, source: TaskSource, queue: Queue) -> None:
        self.source, self.queue = source, queue
        self._in_source: dict[str, bool] = {}
        self._recent: deque[float] = deque(maxlen=30)
        self._shown_at: dict[str, float] = {}

    def seen(self, key: str) -> None:
        """`current` showed `key` (the first time counts)."""
        self._shown_at.setdefault(key, time.perf_counter())

    def lead_time(self, key: str) -> float:
        now = time.perf_counter()
        return round(now - self._shown_at.get(key, now), 3)

    def answered(self, key: str) -> None:
        self._shown_at.pop(key, None)
        self._recent.append(time.time())

    def counts(self) -> dict:
        """done, skipped, remaining, total, rate_per_min, eta_s."""
        done = sum(1 for k in self.queue.done if self._has(k))
        skipped = sum(1 for k in self.queue.skipped if self._has(k))
        total = self.source.total
        remaining = None if total is None else max(total - done - skipped, 0)
        recent, rate = self._recent, None
        if len(recent) >= 2 and recent[-1] > recent[0]:
            rate = (len(recent) - 1) / (recent[-1] - recent[0]) * 60
        eta = remaining / rate * 60 if rate and remaining else None  # nothing left: no ETA to show
        return {"done": done, "skipped": skipped, "remaining": remaining, "total": total,
                "rate_per_min": round(rate, 1) if rate else None, "eta_s": round(eta) if eta is not None else None}

    def _has(self, key: str) -> bool:
        hit = self._in_source.get(key)
        if hit is None:
            hit = self._in_source[key] = self.source.has(key)
        return hit

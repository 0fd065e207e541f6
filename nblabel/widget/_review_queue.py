"""The review queue: which task a reviewer sees next.

Rules:
- the tasks are those with an answer by someone else whose current version this reviewer has not reviewed
  (`Reviews.pending`), in `order`:
  "given" (the data's order), "disputed" (lowest task agreement first, the task `agreement` of exports),
  "sample" (a reproducible share `sample` of them, picked by a hash of `seed` and the task key, so the pick does
  not change as annotators add answers), "suspect" (lowest label quality first, from `find_label_issues` output);
- a reviewer's sessions lease tasks under the reviewer's review name, so two kernels of one reviewer never show the
  same task and a reviewer's own answers never count as done reviews;
- when the list runs out it is read once more: answers given meanwhile are reviewed in the same session.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pandas as pd

from ..config._parse import Config
from ..quality._agreement import task_percent
from ..store._reviews import Reviews
from ..store._sqlite import Annotation, Store
from ..tasks._ids import task_key
from ..tasks._source import TaskSource
from ._queue import Queue

REVIEW_ORDERS = ("given", "disputed", "sample", "suspect")


def review_name(reviewer: str) -> str:
    """The name a reviewer's leases go under (never an annotator's: it holds no answers)."""
    return f"review\x1f{reviewer}"


def _share(seed: int | None, key: str) -> float:
    return int.from_bytes(hashlib.blake2b(f"{seed}\x1f{key}".encode(), digest_size=8).digest(), "big") / 2 ** 64


class ReviewQueue(Queue):
    """A `Queue` over the tasks waiting for one reviewer."""

    def __init__(self, source: TaskSource, store: Store, reviewer: str, owner: str, config: Config,
                 under_review: Callable[[str], list[Annotation]], *, order: str = "given",
                 seed: int | None = None, sample: float | None = None,
                 issues: pd.DataFrame | None = None) -> None:
        if order not in REVIEW_ORDERS:
            raise ValueError(f"order={order!r} in review mode: expected one of {', '.join(REVIEW_ORDERS)}")
        if order == "sample" and (sample is None or not 0 < float(sample) <= 1):
            raise ValueError(f"order='sample' needs sample= a share in (0, 1], not {sample!r}")
        if order == "suspect" and (issues is None or not {"task_id", "quality"} <= set(issues.columns)):
            raise ValueError("order='suspect' needs issues=nblabel.find_label_issues(...) (columns task_id, quality)")
        super().__init__(source, store, review_name(reviewer), owner)
        self.reviewer, self.config, self.reviews, self.under_review = reviewer, config, Reviews(store), under_review
        self.review_order, self.seed, self.sample, self.issues = order, seed, sample, issues
        first = self._pending(set())  # read now: opening says how many tasks wait, and a bad order fails here
        self.total_keys = len(first)  # tasks this session has had to review so far (progress `total`)
        self._scan = self._review_positions(first)

    def _pending(self, skip: set[str]) -> list[str]:
        keys = [k for k in self.reviews.pending(self.reviewer) if k not in skip and self.source.has(k)]
        keys.sort(key=lambda k: self.source.position(k) or 0)
        if self.review_order == "sample":
            keys = [k for k in keys if _share(self.seed, k) < float(self.sample)]
        elif self.review_order == "disputed":
            cells = [[{"id": a.id, "completed_by": {"email": f"{a.annotator}@nblabel.local"}, "result": a.result}
                      for a in self.under_review(k)] for k in keys]
            percent = task_percent(cells, self.config)  # None: fewer than two answers, reviewed last
            rank = sorted(range(len(keys)), key=lambda i: (percent[i] is None, percent[i] or 0.0, i))
            keys = [keys[i] for i in rank]
        elif self.review_order == "suspect":
            quality = {}
            for tid, q in zip(self.issues["task_id"].tolist(), self.issues["quality"].tolist()):
                k = task_key(tid)
                quality[k] = min(quality.get(k, 1.0), float(q))
            keys.sort(key=lambda k: quality.get(k, 2.0))  # tasks without a score last, in the data's order
        return keys

    def _review_positions(self, first: list[str]) -> Iterator[str]:
        yield from first
        # once more at the end: answers given while reviewing
        later = self._pending(set(first))
        self.total_keys += len(later)
        yield from later

    @property
    def total(self) -> int:
        """Tasks to review in this session (those found when the queue was read)."""
        return self.total_keys

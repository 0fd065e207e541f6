"""Suggestions computed ahead of the annotator, in batches, on a background thread.

Rules:
- the labeling loop never waits on a model in the widget: it asks `get(key, wait=False)` and takes what is
  cached, while the worker computes the wanted tasks in batches in queue order;
- headless code (`lab.current`) asks `get(key, wait=True)`: the task jumps the line and the caller waits at
  most `timeout` seconds;
- the cache is per task and model version: when a predictor's `model_version` changes (the Learner retrained,
  an ML backend reports another model) the older entries are dropped at once — a task not shown yet must not get
  the old model's suggestion — and `on_version` is called on the worker thread so the caller can refresh what it
  already sent (it returns False, and is called again later, when it cannot take its lock without waiting). The
  change is noticed on every lookup and, while idle, by a look every `POLL` seconds;
- a predictor that raises or exceeds `timeout` leaves labeling working: the tasks get no suggestion for that
  model version and `error` holds a message for the UI. A hung call keeps the worker busy but nobody waits on it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable

Predict = Callable[[list[dict]], list]
POLL = 0.5  # seconds between two looks at the model version while idle (a retrain finishes on its own thread)


class Worker:
    def __init__(self, predict: Predict, version: Callable[[], Any], task_of: Callable[[str], dict],
                 normalize: Callable[[Any, dict], list[dict]], *, batch_size: int = 16,
                 timeout: float = 30.0, on_ready: Callable[[list[str]], None] | None = None,
                 on_version: Callable[[], None] | None = None) -> None:
        self._predict, self._version, self._task_of, self._normalize = predict, version, task_of, normalize
        self.batch_size, self.timeout = max(1, batch_size), timeout
        self.on_ready, self.on_version = on_ready, on_version
        self._cache: dict[str, tuple[Any, list[dict]]] = {}
        self._wanted: OrderedDict[str, None] = OrderedDict()
        self._cond = threading.Condition()
        self._running: set[str] = set()
        self._stopped = False
        self._seen_version: Any = version()
        self._version_news = False  # the version changed and `on_version` has not been told yet
        self.error: str | None = None
        self.calls = 0
        self._thread = threading.Thread(target=self._run, name="nblabel-suggest", daemon=True)
        self._thread.start()

    # -- asking ----------------------------------------------------------------------------------------------
    def _current_version(self) -> Any:
        """The predictor's version now; on a change, drop the older cache entries (call with `_cond` held)."""
        version = self._version()
        if version != self._seen_version:
            self._seen_version = version
            self._cache = {k: hit for k, hit in self._cache.items() if hit[0] == version}
            self._version_news = True
            self._cond.notify_all()
        return version

    def want(self, keys: list[str]) -> None:
        """Compute these (in this order) when the worker is free; cached ones are skipped."""
        with self._cond:
            version = self._current_version()
            for key in keys:
                hit = self._cache.get(key)
                if (hit is None or hit[0] != version) and key not in self._wanted:
                    self._wanted[key] = None
            self._cond.notify_all()

    def has(self, key: str) -> bool:
        with self._cond:
            self._current_version()
            return key in self._cache

    def get(self, key: str, wait: bool, timeout: float | None = None) -> list[dict] | None:
        """Cached predictions of `key` (None: none yet). `wait`: compute it now, waiting at most `timeout`."""
        with self._cond:
            version = self._current_version()
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]
            self._wanted[key] = None
            self._wanted.move_to_end(key, last=False)  # jump the line
            self._cond.notify_all()
            if not wait:
                return hit[1] if hit is not None else None
            deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
            while True:
                hit = self._cache.get(key)
                if hit is not None and hit[0] == self._version():
                    return hit[1]
                if hit is not None and key not in self._wanted and key not in self._running:
                    self._wanted[key] = None  # computed for a version that changed meanwhile: again
                    self._wanted.move_to_end(key, last=False)
                    self._cond.notify_all()
                if self._stopped:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    if timeout is not None:  # a short look, not the predictor's deadline
                        return None
                    self._wanted.pop(key, None)
                    self.error = f"predictor timed out after {self.timeout:g} s: labeling goes on without a suggestion"
                    return None
                self._cond.wait(min(left, 0.5))

    def compute(self, keys: list[str]) -> None:
        """Every key computed for the current version, in batches, on the caller's thread (order="uncertain")."""
        with self._cond:
            version = self._current_version()
        todo = [k for k in keys if (h := self._cache.get(k)) is None or h[0] != version]
        for i in range(0, len(todo), max(self.batch_size, 64)):
            self._run_batch(todo[i:i + max(self.batch_size, 64)], version)

    def close(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    # -- the thread ------------------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._wanted and not self._stopped and not self._version_news:
                    self._cond.wait(POLL)
                    self._current_version()
                if self._stopped:
                    return
                news, self._version_news = self._version_news, False
            busy = news and not self._tell_version()
            with self._cond:
                if busy:  # the caller could not take it now (its lock is held): tell again after a batch or a look
                    self._version_news = True
                version = self._current_version()
                batch = []
                while self._wanted and len(batch) < self.batch_size:
                    key, _ = self._wanted.popitem(last=False)
                    hit = self._cache.get(key)
                    if hit is None or hit[0] != version:
                        batch.append(key)
                if busy and not batch:
                    self._cond.wait(POLL)
            if batch:
                self._run_batch(batch, version)

    def _run_batch(self, keys: list[str], version: Any) -> None:
        try:
            with self._cond:
                self._running.update(keys)
            tasks = [self._task_of(k) for k in keys]
            raw = self._predict(tasks)
            # the version after the call: an ML backend learns its own at /setup, during the first call
            version = self._version()
            if not isinstance(raw, (list, tuple)) or len(raw) != len(tasks):
                raise ValueError(f"the predictor returned {type(raw).__name__} "
                                 f"{'of length ' + str(len(raw)) if hasattr(raw, '__len__') else ''} "
                                 f"for a batch of {len(tasks)} tasks (expected one prediction per task)")
            preds = [self._normalize(r, t) for r, t in zip(raw, tasks)]
            error = None
        except Exception as exc:  # a broken model must not stop labeling
            preds = [[] for _ in keys]
            error = f"predictor failed: {type(exc).__name__}: {exc}"
        with self._cond:
            self._running.difference_update(keys)
            self.calls += 1
            for key, p in zip(keys, preds):
                self._cache[key] = (version, p)
            self.error = error
            self._current_version()  # an ML backend may have named its model during this call
            self._cond.notify_all()
        if self.on_ready is not None:
            try:
                self.on_ready(keys)
            except Exception:
                pass

    def _tell_version(self) -> bool:
        """`on_version()`; False when the caller was busy and wants to be told again. It must not block: the
        caller may hold its lock while it waits in `get` for this very thread."""
        if self.on_version is None:
            return True
        try:
            return self.on_version() is not False
        except Exception:  # the caller's refresh must not stop the worker
            return True

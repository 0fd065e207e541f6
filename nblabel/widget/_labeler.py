"""`Labeler`: the widget and the headless API over one annotator's queue.

Rules:
- one RLock (`_lock`) around every public method and every widget message: messages from the browser arrive on a
  kernel subshell thread while cells run on the main thread;
- tasks travel to the browser as custom messages (`model.send`), never as traits, so no data lands in the
  notebook file; the browser holds the current task plus a prefetched window;
- a submit from the browser is acknowledged only after the store committed it (see `_store.py`).
"""

from __future__ import annotations

import getpass
import os
import secrets
import threading
import time
import weakref
from collections import deque
from pathlib import Path
from typing import Any

import anywidget

from . import _output
from ._channel import BrowserChannel
from ..config._compat import check_compatible
from ..config._parse import Config, parse_config
from .._errors import QueueEmpty, user_facing
from ._history import Action, History
from ..tasks._media import MediaServer, fields_hash
from ._queue import Queue
from ._static import display_with_fallback
from ._remote import check_remote
from ..results._validate import normalize_result, strip_origins, with_origins
from ..store._default import announce, check_answers, check_served, default_store_path
from ..store._open import open_store
from ..store._sqlite import Store, session_owner
from ..suggest._shown import HINT_BELOW, Suggestions, prediction_digest
from ..suggest._stats import SuggestionLog
from ..tasks._ids import id_from_key, plain_id, task_key
from ..tasks._source import ListSource, make_source


DEFAULT_KEYS = {"submit": "Enter", "skip": "s", "undo": "z", "redo": "Shift+Z", "back": "ArrowLeft", "legend": "?",
                "label_skipped": "Shift+S"}
_STATIC = Path(__file__).parent.parent / "static"
_LIVE: dict[tuple[str, str], "weakref.ref[Labeler]"] = {}  # (store, annotator) → the Labeler a re-run supersedes
# An answer the browser sends this long after its key press is a replay (an outbox re-sent after a reload or a
# re-run): it says nothing about the labeling pace, so the rate leaves it out.
REPLAY_AGE_S = 30.0


class Labeler(BrowserChannel, anywidget.AnyWidget):
    """Label a DataFrame (or a list of dicts / Label Studio tasks) with a Label Studio config, in the notebook.

    Parameters
    ----------
    data : DataFrame, list of dicts, Label Studio task list, or an iterator of dicts. Rows are tasks; the index
        (or `id_column`) is the task id.
    config : Label Studio XML labeling config.
    annotator : who labels (default: the OS user). Each annotator has their own queue.
    store : SQLite file (default ``./.nblabel/<config-hash>-<project>.db``, the project being the config's
        ``$fields`` and the notebook's name) or ``":memory:"``. Local disks only. Or a
        ``"postgresql://user:pass@host/db"`` URL: one database shared by a team (``nblabel[postgres]``).
    predictor : a column name, a Series, or a callable giving suggestions (Label Studio predictions or labels).
    threshold : suggestions scored below it are not shown at all.
    hint_below : a Choices suggestion scored below it (default 0.6) is shown as a hint beside the options
        ("model suggests: Positive (52%)"), not pre-selected, so Enter / ``submit()`` does not accept it.
    order : "given", "shuffle" (with `seed`), "uncertain" or "confident".
    remote : "media" (default): remote images and styles inside task HTML and config styles are not loaded (a
        placeholder says so); "all" loads them. Media fields given as URLs always load.
    overlap : annotators per task across everyone sharing the store (1, the default: annotators do not
        coordinate, each labels every task). `coverage` (0–1): the share of tasks, picked reproducibly, that get
        `overlap` answers, the rest one. `overlap_first`: tasks others answered come before fresh ones.
    """

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"

    @user_facing
    def __init__(self, data: Any, config: str | Config, *, annotator: str | None = None,
                 store: str | os.PathLike | None = None, predictor: Any = None, order: str = "given",
                 seed: int | None = None, id_column: str | None = None, keys: dict | None = None,
                 annotator_emails: dict[str, str] | None = None, threshold: float | None = None,
                 prefetch: int = 5, predictor_timeout: float = 30.0, predictor_batch: int = 16,
                 predictor_labels: dict[str, str] | None = None, remote: str = "media",
                 hint_below: float | None = HINT_BELOW, overlap: int = 1, coverage: float = 1.0,
                 overlap_first: bool = False) -> None:
        super().__init__()
        self._remote = check_remote(remote)
        self._lock = threading.RLock()
        self._config = config if isinstance(config, Config) else parse_config(config)
        self._source = make_source(data, id_column)
        self._media = MediaServer(self._config)
        if isinstance(self._source, ListSource):
            first = self._source.key_at(0)
            if first is not None:
                self._config.check_fields(self._source.raw_keys(first))
        else:
            self._config.check_fields(self._source.columns)
        self.annotator = annotator or _default_annotator()
        self._emails = dict(annotator_emails or {})
        self._keys = {**DEFAULT_KEYS, **(keys or {})}
        self._prefetch = max(1, int(prefetch))
        self._store = self._open_store(store)
        check_answers(self._store, self._source, self._config)  # no answer to other data
        self._owner = session_owner()
        self._suggest = Suggestions(predictor, self._config, data, threshold,
                                    ids=getattr(self._source, "index", None), task_of=self._task_dict,
                                    timeout=predictor_timeout, batch_size=predictor_batch,
                                    labels=predictor_labels, on_ready=self._suggestions_ready, hint_below=hint_below,
                                    on_version=self._suggestions_stale)
        self._shown: dict[str, tuple[dict | None, int | None]] = {}  # what the annotator saw, per task
        self._bare: set[str] = set()  # tasks sent to the browser before their suggestion was ready
        self._stats = SuggestionLog()
        self._has_predictor = predictor is not None
        if order in ("uncertain", "confident") and predictor is None and not _has_predictions(self._source):
            raise ValueError(f"order={order!r} needs a predictor with scores (predictor= or task predictions)")
        self._queue = Queue(self._source, self._store, self.annotator, self._owner, order=order, seed=seed,
                            score=self._score if order in ("uncertain", "confident") else None,
                            score_many=self._score_many if self._suggest.worker is not None else None,
                            rescore=self._rescore_token if self._suggest.learner is not None else None,
                            overlap=overlap, coverage=coverage, overlap_first=overlap_first)
        self._history = History()
        self._focus: str | None = None  # a task shown out of queue order (back / goto / edit after undo)
        self._focus_from_back = False
        self._withdrawn: dict[str, list] = {}  # undone results, shown pre-filled until answered again
        self._shown_at: dict[str, float] = {}
        self._served: set[str] = set()
        self._in_source: dict[str, bool] = {}
        self._recent: deque[float] = deque(maxlen=30)
        self._views = False
        self._view_token = secrets.token_hex(6)  # names this Labeler's static card, which its live views hide
        self._closed = False
        self._supersede()
        self.on_msg(self._on_msg)
        self._learn_from_store()
        if self._has_predictor:
            self._stats.resume(a for a in self._store.iter_live() if a.annotator == self.annotator)
        if self._suggest.worker is not None and order not in ("uncertain", "confident"):
            # start computing now: by the time the browser says hello the first batch is usually ready
            head = self._queue.head()
            if head is not None:
                self._suggest.want(self._lookahead(head))

    # -- setup -----------------------------------------------------------------------------------------------
    def _open_store(self, store: Any) -> Store:
        path = default_store_path(self._config) if store is None else store
        new = str(path) != ":memory:" and not Path(path).exists()
        opened = open_store(path)
        stored = opened.meta("config")
        if stored is not None:
            merged = check_compatible(stored, self._config)
            if merged != stored:
                opened.set_meta("config", merged)
        else:
            opened.set_meta("config", self._config.signature())
        if new and store is None:
            print(announce(Path(path), self._config))
        return opened

    def _supersede(self) -> None:
        slot = (os.path.abspath(self._store.path) if self._store.path != ":memory:" else f":memory:{id(self)}",
                self.annotator)
        old = _LIVE.get(slot)
        if old is not None and (prev := old()) is not None and prev is not self:
            prev.close(reason="replaced by a newer Labeler (the cell was re-run)")
        _LIVE[slot] = weakref.ref(self)

    def close(self, reason: str = "closed") -> None:
        """Release this session's tasks so another session can take them; the store stays on disk."""
        if "_closed" not in self.__dict__:  # the constructor failed: only the widget's comm to close
            return super().close()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._closed_reason = reason
            self._suggest.close()
            try:
                self._queue.release()
            except Exception:  # the store may already be gone at interpreter exit
                pass
            if self._views:
                self._emit(self._closed_state())

    def __repr__(self) -> str:
        return _output.describe(self)

    def _ipython_display_(self) -> None:
        """The widget, then a static card that a notebook reopened without its kernel shows in its place."""
        display_with_fallback(self)

    # -- task lookup -----------------------------------------------------------------------------------------
    def _current_key(self) -> str | None:
        if self._closed:
            raise RuntimeError(f"this Labeler was {self._closed_reason}")
        return self._focus if self._focus is not None else self._queue.head()

    def _fields_hash(self, key: str) -> str:
        return fields_hash(self._source.data(key, self._config.fields))

    def _check_task(self, key: str) -> None:
        """First serve of a task in this session: its `$fields` exist and did not change since first labeled."""
        if key in self._served:
            return
        if isinstance(self._source, ListSource):
            self._config.check_fields(self._source.raw_keys(key))
        check_served(self._store, self._source, self._config, key, self._fields_hash(key))
        self._served.add(key)

    def _task_dict(self, key: str) -> dict:
        """The task as predictors get it: `{"id", "data"}` (code-point offsets)."""
        return {"id": plain_id(id_from_key(key)), "data": self._source.data(key)}

    def _predictions(self, key: str, wait: bool = False) -> list[dict]:
        """Predictions of a task; `wait=False` takes only what the background worker has ready (never blocks)."""
        extras = self._source.extras(key)
        return self._suggest.for_task(key, extras, lambda: self._task_dict(key), wait=wait)

    def _shown_prediction(self, key: str, wait: bool = False) -> tuple[dict | None, int | None]:
        """The suggestion shown for `key`: fixed once the annotator saw it, so origins match what was on screen."""
        if key in self._shown:
            return self._shown[key]
        shown = self._suggest.shown(self._predictions(key, wait=wait))
        if shown is None:
            return None, None
        pid = shown.get("id") if isinstance(shown.get("id"), int) else self._store.prediction_id(
            key, prediction_digest(key, shown))
        return shown, pid

    def _show(self, key: str, wait: bool) -> tuple[dict | None, int | None]:
        """Fix what the annotator is shown for `key` (a newer model version may not change it under their eyes)."""
        if key not in self._shown:
            shown = self._shown_prediction(key, wait=wait)
            if shown[0] is None and not wait and not self._suggest.ready(key):
                self._bare.add(key)  # the worker will tell us when it is computed
                return shown
            self._shown[key] = shown
            self._bare.discard(key)
        return self._shown[key]

    def _score(self, key: str) -> float | None:
        shown = self._suggest.shown(self._predictions(key, wait=True))
        return None if shown is None or shown.get("score") is None else float(shown["score"])

    def _score_many(self, keys: list[str]) -> list[float | None]:
        self._suggest.compute(keys)
        return [self._score(k) for k in keys]

    def _rescore_token(self):
        return self._suggest.model_version

    def _suggestions_ready(self, keys: list[str]) -> None:
        """Worker thread: a batch is ready; if the browser shows some of these tasks without one, update it."""
        if not self._views:
            return
        with self._lock:  # `_bare` changes on the cell's thread too
            if not self._closed and self._bare.intersection(keys):
                self._push_state()

    def _suggestions_stale(self) -> bool:
        """Worker thread: the model version changed; tasks waiting in the browser get the new model's suggestion
        (the task on screen keeps what it shows). False: the lock is busy, the worker asks again soon."""
        if not self._lock.acquire(blocking=False):  # the cell may hold it while it waits on the worker
            return False
        try:
            if not self._closed:
                head = self._queue.window[0] if self._queue.window else None
                self._suggest.refresh_shown(self._shown, self._bare, keep={self._focus, head})
        finally:
            self._lock.release()
        return True

    def _learn_from_store(self) -> None:
        """A Learner on a store with answers (a re-run, a resumed session) starts from them."""
        if self._suggest.learner is None:
            return
        for key, cancelled in self._store.live_status(self.annotator).items():
            if not cancelled and self._source.has(key):
                live = self._store.live(key, self.annotator)
                if live is not None:
                    self._suggest.observe(key, lambda k=key: self._task_dict(k), live.result)

    def _prefill(self, key: str, wait: bool = False) -> tuple[list | None, str | None]:
        live = self._store.live(key, self.annotator)
        if live is not None and not live.was_cancelled:
            return strip_origins(live.result), "annotation"
        if key in self._withdrawn:
            return strip_origins(self._withdrawn[key]), "annotation"
        shown, _ = self._shown_prediction(key, wait=wait)
        if shown is not None and not self._suggest.is_hint(shown):
            return strip_origins(shown["result"]), "prediction"
        return None, None

    # -- headless API ----------------------------------------------------------------------------------------
    @property
    def current(self) -> dict | None:
        """The task on screen: ``{"id", "data", "predictions"}``, or None when nothing is left."""
        with self._lock:
            key = self._current_key()
            if key is None:
                return None
            self._check_task(key)
            self._shown_at.setdefault(key, time.perf_counter())
            self._suggest.settle()  # a due retrain first: simulations are deterministic
            preds = self._predictions(key, wait=True)
            self._show(key, wait=True)
            self._suggest.want(self._lookahead(key))
            return {"id": plain_id(id_from_key(key)), "data": self._source.data(key), "predictions": preds}

    def _lookahead(self, key: str) -> list[str]:
        """Tasks after `key` the worker may compute ahead (source order; the queue skips the answered ones)."""
        if self._suggest.worker is None:
            return []
        window = [k for k in self._queue.window if k != key]
        pos = self._source.position(window[-1] if window else key)
        ahead = []
        if pos is not None:
            for p in range(pos + 1, pos + 1 + self._suggest.worker.batch_size * 2):
                k = self._source.key_at(p)
                if k is None:
                    break
                if k not in self._queue.done:
                    ahead.append(k)
        return window + ahead

    def suggestion_stats(self):
        """Per answer with a suggestion: accepted or corrected, score, model version, and the running accuracy."""
        with self._lock:
            return self._stats.frame()

    def submit(self, result: list | None = None) -> dict:
        """Store the current task's annotation (the shown suggestion when `result` is None); durable on return."""
        with self._lock:
            key = self._current_key()
            if key is None:
                raise QueueEmpty("nothing left to label: every task has an annotation by " + repr(self.annotator))
            self._check_task(key)
            if result is None:
                self._show(key, wait=True)
                result, _ = self._prefill(key)
                if result is None:
                    raise ValueError(self._suggest.missing(self._predictions(key)))
            ann = self._commit(key, result, cancelled=False, lead_time=self._lead_time(key))
            self._push_state()
            return ann

    def skip(self) -> dict:
        """Skip the current task (stored as a cancelled annotation); it comes back after the unlabeled ones."""
        with self._lock:
            key = self._current_key()
            if key is None:
                raise QueueEmpty("nothing left to skip")
            ann = self._commit(key, [], cancelled=True, lead_time=self._lead_time(key))
            self._push_state()
            return ann

    def _lead_time(self, key: str) -> float:
        """Headless lead time: seconds from the first `current` showing this task to its submit."""
        now = time.perf_counter()
        return round(now - self._shown_at.get(key, now), 3)

    def _commit(self, key: str, result: list, *, cancelled: bool, lead_time: float | None,
                uid: str | None = None, age_s: float | None = None) -> dict:
        if not cancelled:
            result = normalize_result(result, self._config, self._source.data(key, self._config.fields))
        shown, pid = self._shown_prediction(key)
        if not cancelled:
            result = with_origins(result, shown["result"] if shown else None)
        pred_meta = {k: shown.get(k) for k in ("model_version", "score") if k in shown} if shown else None
        row, before, repeated = self._store.save_annotation(
            key, self.annotator, result, was_cancelled=cancelled, lead_time=lead_time,
            parent_prediction=pid if shown else None, prediction=pred_meta, uid=uid, fields_hash=self._fields_hash(key))
        if not repeated:
            if not cancelled:
                self._suggest.observe(key, lambda: self._task_dict(key), row.result)
                self._stats.record(key, row.result, shown, pid)
            else:
                self._suggest.forget(key)
            self._shown.pop(key, None)
            self._history.record(Action(key, row.id, before, row.snapshot()))
            self._queue.mark_done(key, cancelled)
            self._withdrawn.pop(key, None)
            self._shown_at.pop(key, None)
            if age_s is None or 0 <= age_s <= REPLAY_AGE_S:
                self._recent.append(time.time() - (age_s or 0.0))  # at the key press, not when the kernel got to it
            if self._focus == key:
                self._focus = self._history.after(key) if self._focus_from_back else None
                self._focus_from_back = self._focus is not None
        return _output.ls_annotation(row, _output.annotator_email(self.annotator, self._emails))

    def undo(self) -> dict | None:
        """Withdraw the last submit or skip; that task becomes current, pre-filled.

        Returns it (None: nothing to undo).
        """
        with self._lock:
            action = self._history.undo()
            if action is None:
                return None
            self._store.restore(action.annotation_id, action.before)
            self._stats.withdraw(action.key)
            if action.before is None or action.before.get("deleted"):
                self._suggest.forget(action.key)
                self._queue.withdraw(action.key)
                self._withdrawn[action.key] = action.after["result"]
                self._focus = None
            else:
                self._queue.mark_done(action.key, action.before["was_cancelled"])
                self._focus, self._focus_from_back = action.key, False
            self._push_state()
            return self.current

    def redo(self) -> dict | None:
        """Re-apply the last undone submit or skip. Returns the new current task (None if nothing to redo)."""
        with self._lock:
            action = self._history.redo()
            if action is None:
                return None
            self._store.restore(action.annotation_id, action.after)
            if not action.after["was_cancelled"]:
                self._suggest.observe(action.key, lambda: self._task_dict(action.key), action.after["result"])
            self._queue.mark_done(action.key, action.after["was_cancelled"])
            self._withdrawn.pop(action.key, None)
            if self._focus == action.key:
                self._focus = None
            self._push_state()
            return self.current

    def back(self) -> dict | None:
        """Show the previously answered task for editing (None if there is none)."""
        with self._lock:
            prev = self._history.before(self._current_key())
            if prev is None:
                return None
            self._focus, self._focus_from_back = prev, True
            self._push_state()
            return self.current

    def label_skipped(self) -> int:
        """Serve the skipped tasks again (each comes back once more, in skip order); returns how many."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"this Labeler was {self._closed_reason}")
            n = self._queue.requeue_skipped()
            self._push_state()
            return n

    def goto(self, task_id: Any) -> dict:
        """Show any task by id (labeled or not); after it is answered the queue resumes."""
        with self._lock:
            key = task_key(task_id)
            if not self._source.has(key):
                raise KeyError(f"no task with id {task_id!r}")
            self._focus, self._focus_from_back = key, False
            self._push_state()
            return self.current

    @property
    def progress(self) -> dict:
        """Counts for this annotator: done, skipped, remaining, total, rate_per_min, eta_s."""
        with self._lock:
            done = sum(1 for k in self._queue.done if self._has(k))
            skipped = sum(1 for k in self._queue.skipped if self._has(k))
            total = self._source.total
            remaining = None if total is None else max(total - done - skipped, 0)
            rate = None
            first, last = (min(self._recent), max(self._recent)) if self._recent else (0.0, 0.0)
            if len(self._recent) >= 2 and last > first:
                rate = (len(self._recent) - 1) / (last - first) * 60
            eta = remaining / rate * 60 if rate and remaining else None  # nothing left: no ETA to show
            out = {"done": done, "skipped": skipped, "remaining": remaining, "total": total,
                   "rate_per_min": round(rate, 1) if rate else None, "eta_s": round(eta) if eta is not None else None}
            if self._queue.overlap > 1:
                out.update(self._overlap_progress())
            return out

    def _overlap_progress(self) -> dict:
        """Across annotators: tasks with all their answers, and tasks answered but waiting for more."""
        complete = waiting = 0
        for key, n in self._store.answer_counts().items():
            if self._has(key):
                if n >= (self._queue.limit(key) or 1):
                    complete += 1
                else:
                    waiting += 1
        return {"complete": complete, "waiting": waiting, "overlap": self._queue.overlap}

    def set_ground_truth(self, task_id: Any, annotation_id: int | None) -> None:
        """Star an annotation of a task as its ground truth (`ground_truth: true` in exports); None clears it."""
        with self._lock:
            key = task_key(task_id)
            if not self._source.has(key):
                raise KeyError(f"no task with id {task_id!r}")
            self._store.set_ground_truth(key, None if annotation_id is None else int(annotation_id))

    def _has(self, key: str) -> bool:
        hit = self._in_source.get(key)
        if hit is None:
            hit = self._in_source[key] = self._source.has(key)
        return hit

    # -- write-back ------------------------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        """The parsed labeling config (`nblabel.Config`; its `.xml` is the config text)."""
        return self._config

    def _writeback(self) -> _output.Writeback:
        return _output.Writeback(self._store, self._source, self._config, self.annotator, self._emails,
                                 predictions=self._predictions, column_predictions=self._suggest.column_predictions)

    @user_facing
    def to_pandas(self):
        """A new DataFrame: data + `annotations` + `predictions` + one simple column per control."""
        with self._lock:
            return self._writeback().to_pandas()

    def to_label_studio(self) -> list[dict]:
        """Label Studio task dicts (UTF-16 offsets), importable into a Label Studio server."""
        with self._lock:
            return self._writeback().to_label_studio()

    def export(self, path: str | os.PathLike, format: str = "JSON") -> str:
        """Write `to_pandas()` in a Label Studio export format (see `nblabel.export`); returns the path written."""
        with self._lock:
            return self._writeback().export(path, format)

def _has_predictions(source) -> bool:
    return isinstance(source, ListSource) and any(extras.get("predictions") for _, _, extras in source.loaded())


def _default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "annotator"

"""`Labeler`: the widget and the headless API over one annotator's queue; it wires the pieces, they do the work.

Rules:
- one RLock (`_lock`) around every public method and every widget message: messages from the browser arrive on a
  kernel subshell thread while cells run on the main thread;
- tasks travel to the browser as messages (`_channel.py`), never traits; a headless change pushes a `state`;
- everything that can refuse the arguments (config, data, store, predictor, order) runs before the widget opens
  its comm, so a Labeler that fails to open leaves nothing behind and the caller sees only its error.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from pathlib import Path
from typing import Any

import anywidget

from .._errors import user_facing
from ..config._parse import Config, parse_config
from ..store._open import default_annotator, open_store
from ..suggest._options import Suggest
from ..suggest._shown import HINT_BELOW
from ..tasks._ids import task_key
from ..tasks._media import MediaServer
from ..tasks._source import make_source
from . import _output
from ._remote import check_remote
from ._rerun import supersede
from ._offline import import_answers, write_page
from ._parts import Parts, wire
from ._review import review_options, review_stats
from ._serving import check_columns
from ._static import display_with_fallback
from ._status import HostStatus

DEFAULT_KEYS = {"submit": "Enter", "skip": "s", "undo": "z", "redo": "Shift+Z", "back": "ArrowLeft", "legend": "?",
                "label_skipped": "Shift+S"}
_STATIC = Path(__file__).parent.parent / "static"


class Labeler(HostStatus, anywidget.AnyWidget):
    """Label a DataFrame (or a list of dicts / Label Studio tasks) with a Label Studio config, in the notebook.

    Parameters
    ----------
    data : DataFrame, list of dicts, Label Studio task list, or an iterator of dicts; the index (or `id_column`)
        is the task id.
    config : Label Studio XML labeling config. annotator : who labels (default: the OS user).
    store : SQLite file on a local disk (default ``./.nblabel/<config-hash>-<project>.db``: the config's ``$fields``
        and the notebook's name), ``":memory:"``, or ``"postgresql://user:pass@host/db"`` for a team.
    predictor : a column name, a Series, a callable, a transformers pipeline, an ML backend URL or an
        `nblabel.Learner`; or an `nblabel.Suggest` holding one with its settings.
    order : "given", "shuffle" (with `seed`), "uncertain" or "confident".
    threshold, hint_below, predictor_timeout, predictor_batch, predictor_labels : `nblabel.Suggest`'s settings for a
        plain `predictor` (below `threshold`: not shown; a Choices one below `hint_below`, 0.6: a hint, not selected).
    remote : "media" (default): remote images and styles in task HTML and config styles are blocked; "all" loads.
    overlap : annotators per task across everyone sharing the store (1: each labels every task); `coverage` (0–1):
        the share of tasks, picked reproducibly, that get `overlap` answers; `overlap_first`: started tasks first.
    mode : "label" or "review": review the answers of others (consensus or ground truth pre-filled; Enter accepts,
        edited: fixes; `reject()`), `order` "given", "disputed", "sample" (`sample=` share, `seed=`) or "suspect"
        (`issues=` a `find_label_issues` frame); `on_reject`: "requeue" (back to its annotator) or "remove".
    """

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"
    _closed = True  # until __init__ has wired everything: a Labeler whose constructor raised has nothing to close

    @user_facing
    def __init__(self, data: Any, config: str | Config, *, annotator: str | None = None,
                 store: str | os.PathLike | None = None, predictor: Any = None, order: str = "given",
                 seed: int | None = None, id_column: str | None = None, keys: dict | None = None,
                 annotator_emails: dict[str, str] | None = None, threshold: float | None = None,
                 prefetch: int = 5, predictor_timeout: float | None = None, predictor_batch: int | None = None,
                 predictor_labels: dict[str, str] | None = None, remote: str = "media",
                 hint_below: float | None = HINT_BELOW, overlap: int = 1, coverage: float = 1.0,
                 overlap_first: bool = False, mode: str = "label", sample: float | None = None,
                 issues: Any = None, on_reject: str = "requeue") -> None:
        self._remote = check_remote(remote)
        suggest = Suggest.of(predictor, timeout=predictor_timeout, batch=predictor_batch, labels=predictor_labels,
                             threshold=threshold, hint_below=hint_below)
        self._lock = threading.RLock()
        self._config = config if isinstance(config, Config) else parse_config(config)
        self._source = make_source(data, id_column)
        check_columns(self._config, self._source)
        self.annotator = annotator or default_annotator()
        self._emails = dict(annotator_emails or {})
        self._keys = {**DEFAULT_KEYS, **(keys or {})}
        self._media = MediaServer(self._config)
        self._store = open_store(store, self._config, self._source)
        self._view_token = secrets.token_hex(6)  # names this Labeler's static card, which its live views hide
        try:
            parts = wire(self._config, self._source, self._store, self._media, self.annotator, self._emails, data,
                         suggest, order=order, seed=seed, prefetch=max(1, int(prefetch)), keys=self._keys,
                         overlap=dict(overlap=overlap, coverage=coverage, overlap_first=overlap_first),
                         remote=self._remote, view_token=self._view_token, lock=self._lock,
                         send=lambda content, buffers=None: self.send(content, buffers),
                         closed=lambda: self._closed_reason, greeted=lambda: self.status or self._publish_status(),
                         review=review_options(mode, sample=sample, issues=issues, on_reject=on_reject))
        except BaseException:
            self._store.close()
            raise
        for name in Parts.__dataclass_fields__:  # the Labeler holds its parts as private attributes: `_cursor`, …
            setattr(self, f"_{name}", getattr(parts, name))
        super().__init__()
        self._closed_reason: str | None = None
        self._closed = False
        supersede(self, self._store.path, self.annotator)
        self._answers.changed = self._answers_changed
        self.on_msg(self._channel.receive)
        self._view.resume()
        self._serving.start()

    def close(self, reason: str = "closed") -> None:
        """Release this session's tasks so another session can take them; the store stays on disk."""
        if self._closed:  # closed already, or never opened (its constructor raised)
            return
        with self._lock:
            if self._closed:
                return
            self._closed, self._closed_reason = True, reason
            self._view.close()
            with contextlib.suppress(Exception):  # the store may already be gone at interpreter exit
                self._cursor.queue.release()
            self._channel.push("closed")

    def __repr__(self) -> str:
        return _output.describe(self)

    def _ipython_display_(self) -> None:  # the widget, then a static card for a notebook reopened without kernel
        display_with_fallback(self, self._store.path, self._source.total, self._view_token)

    def _key(self) -> str | None:
        if self._closed:
            raise RuntimeError(f"this Labeler was {self._closed_reason}")
        return self._cursor.key()

    @property
    def current(self) -> dict | None:
        """The task on screen: ``{"id", "data", "predictions"}``, or None when nothing is left."""
        with self._lock:
            key = self._key()
            return None if key is None else self._serving.current(key)

    def suggestion_stats(self):
        """Per answer with a suggestion: accepted or corrected, score, model version, and the running accuracy."""
        with self._lock:
            return self._view.log.frame()

    def submit(self, result: list | None = None) -> dict:
        """Store the current task's annotation (the shown suggestion when `result` is None); durable on return."""
        return self._changing(lambda: self._answers.headless(self._key(), result))

    def skip(self) -> dict:
        """Skip the current task (stored as a cancelled annotation); it comes back after the unlabeled ones."""
        return self._changing(lambda: self._answers.headless(self._key(), None, cancelled=True))

    def reject(self, comment: str = "", annotators: list[str] | None = None) -> dict:
        """Review mode: reject the answers of `annotators` (None: all) on the task on screen, with `comment`."""
        return self._changing(lambda: self._answers.reject(self._key(), comment, annotators))

    def review_stats(self, reviewer: str | None = None):
        """Per annotator: reviewed, accepted, fixed, rejected, accepted_share (reviews by `reviewer`, None: all)."""
        with self._lock:
            return review_stats(self._desk.reviews, reviewer)

    def undo(self) -> dict | None:
        """Withdraw the last submit or skip; that task becomes current, pre-filled (returned; None: nothing to undo)."""
        with self._lock:
            return self._moved(self._answers.undo())

    def redo(self) -> dict | None:
        """Re-apply the last undone submit or skip. Returns the new current task (None if nothing to redo)."""
        with self._lock:
            return self._moved(self._answers.redo())

    def back(self) -> dict | None:
        """Show the previously answered task for editing (None if there is none)."""
        with self._lock:
            self._key()
            return self._moved(self._cursor.back())

    def label_skipped(self) -> int:
        """Serve the skipped tasks again (each comes back once more, in skip order); returns how many."""
        return self._changing(self._cursor.queue.requeue_skipped)

    def goto(self, task_id: Any) -> dict:
        """Show any task by id (labeled or not); after it is answered the queue resumes."""
        with self._lock:
            self._cursor.goto(task_key(task_id), task_id)
            return self._moved(True)

    def _changing(self, act: Any) -> Any:
        """Run `act` under the lock, then tell a displayed widget what changed."""
        with self._lock:
            self._key()  # a closed Labeler refuses
            out = act()
            self._channel.push("headless")
            return out

    def _moved(self, moved: bool) -> dict | None:
        if moved:
            self._channel.push("headless")
        return self.current if moved else None

    @property
    def progress(self) -> dict:
        """Counts for this annotator: done, skipped, remaining, total, rate_per_min, eta_s (+ overlap counts)."""
        with self._lock:
            return self._progress.counts()

    def set_ground_truth(self, task_id: Any, annotation_id: int | None) -> None:
        """Star an annotation of a task as its ground truth (`ground_truth: true` in exports); None clears it."""
        with self._lock:
            self._answers.set_ground_truth(task_key(task_id), task_id, annotation_id)

    @property
    def config(self) -> Config:
        """The parsed labeling config (`nblabel.Config`; its `.xml` is the config text)."""
        return self._config

    @user_facing
    def to_pandas(self):
        """A new DataFrame: data + `annotations` + `predictions` + one simple column per control."""
        with self._lock:
            return self._writeback.to_pandas()

    def to_label_studio(self) -> list[dict]:
        """Label Studio task dicts (UTF-16 offsets), importable into a Label Studio server."""
        with self._lock:
            return self._writeback.to_label_studio()

    def to_html(self, path: str | os.PathLike, limit: int = 1000) -> str:
        """A page to label the next `limit` tasks offline (no Jupyter); `import_answers` merges the file it saves."""
        with self._lock:
            return write_page(path, self._serving, self._cursor.queue, self._store, self.annotator, limit)

    def import_answers(self, path: str | os.PathLike) -> dict:
        """Merge an offline page's answers file (each answer once, however often imported): stored, already, refused."""
        with self._lock:
            return import_answers(path, self._answers, self._store, self.annotator)

    def export(self, path: str | os.PathLike, format: str = "JSON") -> str:
        """Write `to_pandas()` in a Label Studio export format (see `nblabel.export`); returns the path written."""
        with self._lock:
            return self._writeback.export(path, format)


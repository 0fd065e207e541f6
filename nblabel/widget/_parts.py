"""The parts of one annotator's session and how they connect: the `Labeler` asks for them and holds them.

Rules:
- every part gets plain collaborators, never the Labeler: the suggestions shown (`SuggestionView`), the queue and
  the cursor over it, progress, what a task looks like on screen (`Serving`), answers in (`Answers`), the write-back
  and the browser channel, whose `Host` names the only things the browser may ask for;
- the mode picks the queue and what a submit means: labeling (`Queue`, `Answers`) or reviewing others' answers
  (`ReviewQueue`, `ReviewAnswers`, both over a `Desk`);
- building may fail (a predictor that cannot start, an order the suggestions cannot score): then what was already
  started is stopped before the error goes on, so a Labeler that fails to open leaves no thread behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config._parse import Config
from ..store._sqlite import Store, session_owner
from ..suggest._options import Suggest
from ..suggest._shown import Suggestions
from ..suggest._view import SuggestionView
from ..tasks._ids import id_from_key
from ..tasks._media import MediaServer
from ..tasks._source import TaskSource
from . import _output
from ._answers import Answers
from ._channel import BrowserChannel, Host
from ._cursor import Cursor
from ._history import History
from ._progress import Progress
from ._queue import Queue
from ._review import MODES, Desk
from ._review_answers import ReviewAnswers
from ._review_queue import ReviewQueue
from ._serving import Serving


@dataclass(frozen=True)
class Parts:
    """What a Labeler holds besides its arguments."""

    view: SuggestionView
    suggest: Suggestions
    desk: Desk
    cursor: Cursor
    progress: Progress
    serving: Serving
    answers: Answers
    writeback: _output.Writeback
    channel: BrowserChannel
    mode: str  # "label" or "review"


def wire(config: Config, source: TaskSource, store: Store, media: MediaServer, annotator: str, emails: dict,
         data: Any, suggest: Suggest, *, order: str, seed: int | None, prefetch: int, overlap: dict, keys: dict,
         remote: str, view_token: str, lock: threading.RLock, send: Callable[[dict, list | None], None],
         closed: Callable[[], str | None], greeted: Callable[[], None] = lambda: None,
         review: dict | None = None) -> Parts:
    """Build and connect the parts (`send`: the widget's `model.send`; `closed`: why the Labeler closed, or None;
    `greeted`: a view said hello; `review`: None to label, else the review mode's `sample`, `issues`, `on_reject`)."""
    mode = "label" if review is None else "review"
    assert mode in MODES
    desk = Desk(config, source, store, annotator, on_reject=(review or {}).get("on_reject", "requeue"))
    returned = desk.returned(annotator) if review is None else {}  # answers a reviewer sent back: read once
    channel: BrowserChannel | None = None
    cursor: Cursor | None = None
    view = SuggestionView.build(
        suggest, config, data, source, store, annotator,
        on_ready=lambda keys: channel.refresh(keys) if channel is not None else None,
        on_version=lambda: view.version_changed(lock, cursor.on_screen) if cursor is not None else None)
    try:
        if review is None:
            queue = Queue(source, store, annotator, session_owner(), order=order, seed=seed, **view.queue_hooks(order),
                          **overlap, returned=list(returned))
        else:
            queue = ReviewQueue(source, store, annotator, session_owner(), config, desk.under_review, order=order,
                                seed=seed, sample=review.get("sample"), issues=review.get("issues"))
        cursor = Cursor(queue, History())
        progress = Progress(source, queue, store)
        serving = Serving(config, source, store, media, annotator, view, cursor, progress, keys=keys, remote=remote,
                          prefetch=prefetch, view_token=view_token, desk=desk, mode=mode,
                          returned=returned)
        kind = Answers if review is None else ReviewAnswers
        answers = kind(config, source, store, annotator, _output.annotator_email(annotator, emails), view, cursor,
                       progress, serving)
        answers.desk = desk
        writeback = _output.Writeback(store, source, config, annotator, emails, predictions=view.predictions,
                                      column_predictions=view.suggestions.column_predictions, reviews=desk.reviews)
        channel = BrowserChannel(Host(
            lock=lock, send=send, closed=closed, intro=serving.intro, window=serving.window, status=serving.status,
            answer=answers.from_browser, undo=answers.undo, redo=answers.redo, back=cursor.back,
            label_skipped=queue.requeue_skipped, goto=lambda key: cursor.goto(key, id_from_key(key)),
            media_data=serving.media_data, media_bytes=media.serve, warm_up=lambda: view.warm_up(cursor.key()),
            bare=view.any_bare, loading=lambda: view.loading(scoring=(source.total or 1) if queue.unscored else 0),
            greeted=greeted))
    except BaseException:
        view.close()
        raise
    return Parts(view, view.suggestions, desk, cursor, progress, serving, answers, writeback, channel, mode)

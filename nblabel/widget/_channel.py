"""The browser side of a `Labeler`: requests in, answers and unsolicited states out (`_protocol.py` has the shapes).

Rules:
- everything travels as custom messages (`model.send`), never traits, so no task data lands in the notebook file;
- every request gets exactly one answer naming its `id`: `state` for hello / undo / redo / back / label_skipped /
  goto (a slow hello gets a `loading` first, naming it too), `ack` or `nack` for submit / skip, `media` for media;
  a message that is not a valid request gets a `nack` (submit / skip), a failed `media` answer, or a `notice` —
  never an exception, which the kernel would swallow (messages arrive on a subshell thread);
- an `ack` is sent only after the store committed the answer; a store that cannot be reached is not a refusal
  (a `notice`, no `nack`): the answer stays in the browser's outbox and is sent again;
- states Python sends unasked carry `re: null` and their `cause`;
- everything but the encoding of media bytes runs holding the Labeler's lock (`Host.lock`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .._brief import cap
from .._errors import ConfigError, StoreUnavailable
from ..tasks._media import MediaError
from . import _protocol as proto

log = logging.getLogger("nblabel")


@dataclass(frozen=True)
class Host:
    """What the channel may ask of the Labeler."""

    lock: threading.RLock
    send: Callable[[dict, list | None], None]  # model.send; fails quietly without a front end
    closed: Callable[[], str | None]  # why the Labeler closed, or None while it is open
    intro: Callable[[], dict]  # the state's fixed part: config tree, keys, outbox_key
    window: Callable[[], list[proto.Task]]  # the task on screen, then the prefetched ones
    status: Callable[[], proto.Status]
    answer: Callable[..., int]  # (key, result or None: skip, lead time, uid, seconds the answer waited in the
    # browser, review decision or None) → annotation id
    # → annotation id; ValueError / KeyError / TypeError: refused
    undo: Callable[[], object]  # the navigation requests, none of which tells the browser itself
    redo: Callable[[], object]
    back: Callable[[], object]
    label_skipped: Callable[[], object]
    goto: Callable[[str], None]  # a task key; KeyError: no such task
    media_data: Callable[[str], dict]  # a task's media values (MediaError: not served)
    media_bytes: Callable[[str, dict, str, int | None, int | None], tuple[bytes, str]]  # (bytes, mime), unlocked
    warm_up: Callable[[], None]  # a moment for the first task's suggestion before the first state
    loading: Callable[[], str | None]  # what the first state waits for (a model loading, every task scored)
    bare: Callable[[list[str]], bool]  # whether one of these tasks went to the browser without its suggestion
    greeted: Callable[[], None] = lambda: None  # a view said hello (reactive hosts get their first `status`)


class BrowserChannel:
    """Routes browser requests to the `Host` and sends what the browser is told."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.views = False  # a view said hello: states are worth sending

    # -- out -------------------------------------------------------------------------------------------------
    def state(self, re: str | None, cause: proto.Cause | None = None) -> proto.State:
        intro = self.host.intro()
        why = self.host.closed()
        if why is not None:
            return proto.state(re, cause, config=None, keys=intro["keys"], tasks=[], status=None,
                               error=f"This labeler was {why}.")
        tasks, error = [], None
        try:
            tasks = self.host.window()
        except (ConfigError, ValueError, KeyError) as exc:  # a task that cannot be shown blocks labeling visibly
            error = cap(str(exc))
        status = self.host.status()
        if status.notice is None and tasks and tasks[0].refused:  # the predictor's own failure comes first
            status.notice = tasks[0].refused
        return proto.state(re, cause, config=intro["config"], keys=intro["keys"], tasks=tasks, status=status,
                           error=error, outbox_key=intro["outbox_key"], remote=intro["remote"],
                           view_token=intro["view_token"], mode=intro["mode"])

    def push(self, cause: proto.Cause) -> None:
        """Tell a displayed widget what changed without being asked (a call from a cell, a suggestion, close)."""
        if self.views:
            self._emit(self.state(None, cause))

    def refresh(self, keys: list[str]) -> None:
        """Worker thread: suggestions for `keys` are ready; a view showing one of them without it is updated."""
        if not self.views:
            return
        with self.host.lock:  # what went to the browser bare changes on the cell's thread too
            if self.host.closed() is None and self.host.bare(keys):
                self.push("suggestion")

    def _emit(self, message: proto.Message, buffers: list | None = None) -> None:
        try:
            self.host.send(proto.encode(message), buffers)
        except Exception:  # no front end (plain Python): nothing to update
            log.debug("nblabel: send failed", exc_info=True)

    # -- in --------------------------------------------------------------------------------------------------
    def receive(self, _widget, content, _buffers) -> None:
        """The `on_msg` callback: one browser message, on whatever thread the kernel delivers it."""
        try:
            request = proto.decode(content)
        except proto.ProtocolError as exc:
            log.info("nblabel: refused a widget message: %s", exc)
            self._refuse(exc)
            return
        if isinstance(request, proto.MediaRequest):
            self._on_media(request)  # takes the lock only to look the value up: encoding runs outside it
            return
        with self.host.lock:
            try:
                if self.host.closed() is not None:
                    self._emit(self.state(request.id))
                elif isinstance(request, proto.Hello):
                    self.views = True
                    self.host.greeted()
                    if (busy := self.host.loading()) is not None:
                        self._emit(proto.Loading(re=request.id, message=busy))
                    self.host.warm_up()
                    self._emit(self.state(request.id))
                elif isinstance(request, (proto.Submit, proto.Skip)):
                    self._on_answer(request)
                else:
                    if isinstance(request, proto.Goto):
                        self.host.goto(request.key)
                    else:
                        {proto.Undo: self.host.undo, proto.Redo: self.host.redo, proto.Back: self.host.back,
                         proto.LabelSkipped: self.host.label_skipped}[
                            type(request)]()
                    self._emit(self.state(request.id))
            except StoreUnavailable as exc:  # the database server is away: not a refusal, the browser re-sends
                log.warning("nblabel: message %r waits for the store: %s", type(request).__name__, exc)
                self._emit(proto.Notice(re=request.id, message=cap(
                    f"Not saved yet, kept in this browser and sent again: {exc}")))
            except Exception as exc:  # an exception here would be swallowed by the kernel: show it instead
                log.exception("nblabel: message %r failed", type(request).__name__)
                self._emit(proto.Notice(re=request.id, message=cap(f"{type(exc).__name__}: {exc}")))

    def _refuse(self, exc: proto.ProtocolError) -> None:
        """Answer a message that is not a valid request, so a browser waiting on its id does not wait forever."""
        message = cap(str(exc))
        if exc.id is not None and exc.type in ("submit", "skip"):
            self._emit(proto.Nack(re=exc.id, key=exc.key, message=message))
        elif exc.id is not None and exc.type == "media":
            self._emit(proto.MediaReply(re=exc.id, ok=False, message=message))
        else:
            self._emit(proto.Notice(re=exc.id, message=message))

    def _on_answer(self, request: proto.Answer) -> None:
        try:
            result = request.result if isinstance(request, proto.Submit) else None
            annotation_id = self.host.answer(request.key, result, request.lead_time, request.id,
                                             request.age_s, getattr(request, "review", None))
        except (ValueError, KeyError, TypeError) as exc:
            self._emit(proto.Nack(re=request.id, key=request.key, message=cap(str(exc))))
            return
        status = self.host.status()
        self._emit(proto.Ack(re=request.id, annotation_id=annotation_id, progress=status.progress,
                             window=self.host.window(), can_undo=status.can_undo, can_redo=status.can_redo,
                             can_back=status.can_back, suggest=status.suggest))

    def _on_media(self, request: proto.MediaRequest) -> None:
        """Bytes of one local media value: only values present in a media field of the task are served."""
        try:
            with self.host.lock:  # only the lookup: encoding a big image must not hold up submits
                why = self.host.closed()
                if why is not None:
                    raise MediaError(f"this labeler was {why}")
                data = self.host.media_data(request.key)
            body, mime = self.host.media_bytes(request.key, data, request.field, request.index, request.page)
        except MediaError as exc:
            self._emit(proto.MediaReply(re=request.id, ok=False, message=cap(str(exc))))
            return
        except Exception as exc:  # never let a request vanish: the browser would wait forever
            log.exception("nblabel: media request failed")
            self._emit(proto.MediaReply(re=request.id, ok=False, message=cap(f"{type(exc).__name__}: {exc}")))
            return
        self._emit(proto.MediaReply(re=request.id, ok=True, mime=mime, size=len(body)), [body])

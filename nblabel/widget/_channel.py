"""The browser side of a `Labeler`: task payloads, state and acks out, commands in.

Rules (docs/DESIGN.md "Widget messages"):
- everything travels as custom messages (`model.send`), never traits, so no task data lands in the notebook file;
- the browser gets the current task plus a prefetched window, and only the `$fields` the config uses;
- an `ack` is sent only after the store committed the submit; a refused submit gets a `nack` with the reason;
- a handler exception would vanish in the kernel (messages arrive on a subshell thread), so it becomes a notice;
  a store that cannot be reached is not a refusal (no `nack`): the answer stays in the browser's outbox.
"""

from __future__ import annotations

import logging

from .._brief import cap
from .._errors import ConfigError, StoreUnavailable
from ..tasks._media import MediaError
from ..results._validate import strip_origins
from ..tasks._ids import id_from_key, plain_id

log = logging.getLogger("nblabel")


class BrowserChannel:
    """Mixin for `Labeler`: relies on its queue, store, config and lock."""

    def _closed_state(self) -> dict:
        return {"type": "state", "error": f"This labeler was {self._closed_reason}.", "tasks": [], "config": None,
                "keys": self._keys, "progress": None}

    def _task_payload(self, key: str) -> dict:
        self._check_task(key)
        shown, pid = self._show(key, wait=False)  # never wait on a model here: the worker runs ahead
        prefill, origin = self._prefill(key)
        live = self._store.live(key, self.annotator)
        data = self._media.markers(key, self._source.data(key, self._config.fields))  # local media → markers
        return {"key": key, "id": plain_id(id_from_key(key)), "data": data,
                "prefill": prefill, "prefill_from": origin,
                "prediction": None if shown is None else {"id": pid, "model_version": shown.get("model_version"),
                                                          "score": shown.get("score")},
                "hint": strip_origins(shown["result"]) if self._suggest.is_hint(shown) and not live else None,
                "refused": None if shown is not None else self._suggest.refusal(self._predictions(key)),
                "annotation_id": live.id if live else None,
                "skipped_before": bool(live and live.was_cancelled)}

    def _window(self) -> list[dict]:
        current = self._current_key()
        keys = [] if current is None else [current]
        keys += [k for k in self._queue.fill(self._prefetch + 1) if k != current]
        keys = keys[: self._prefetch + 1]
        if keys:
            self._suggest.want(self._lookahead(keys[0]))
        return [self._task_payload(k) for k in keys]

    def _flags(self) -> dict:
        return {"can_undo": self._history.can_undo, "can_redo": self._history.can_redo,
                "can_back": self._history.before(self._focus if self._focus else None) is not None}

    def _state(self) -> dict:
        state = {"type": "state", "config": self._config.to_json(), "keys": self._keys, "error": None,
                 "outbox_key": f"nblabel-outbox:{self._store.id}:{self.annotator}", "tasks": [],
                 "remote": self._remote, "view_token": self._view_token}
        try:
            state["tasks"] = self._window()
        except (ConfigError, ValueError, KeyError) as exc:  # a task that cannot be shown blocks labeling visibly
            state["error"] = cap(str(exc))
        state["progress"] = self.progress
        state.update(self._flags())
        if state["tasks"] and state["tasks"][0].get("refused"):
            state["notice"] = state["tasks"][0]["refused"]
        if self._suggest.error:
            state["notice"] = self._suggest.error
        if self._has_predictor:
            state["suggest"] = self._panel()
        return state

    def _panel(self) -> dict:
        """Data for the live suggestion panel (docs/DESIGN.md "Suggestion panel")."""
        return {**self._stats.panel(), "model_version": self._suggest.model_version, "error": self._suggest.error}

    def _first_suggestion(self, budget: float = 0.5) -> None:
        """On `hello`, give the worker (started when the Labeler opened) a moment for the task about to be painted:
        a task painted without its suggestion would keep an empty draft when the suggestion arrives."""
        if self._suggest.worker is None or self._closed:
            return
        key = self._current_key()
        if key is not None and not self._suggest.ready(key):
            self._suggest.worker.get(key, wait=True, timeout=min(budget, self._suggest.worker.timeout))

    def _say_loading(self) -> None:
        """Before slow work (a model loading, every task scored): say what the widget waits for."""
        message = self._suggest.loading(scoring=(self._source.total or 1) if self._queue.unscored else 0)
        if message:
            self._emit({"type": "loading", "message": message})

    def _push_state(self) -> None:
        if self._views:
            self._emit(self._state())

    def _emit(self, content: dict, buffers: list | None = None) -> None:
        try:
            self.send(content, buffers)
        except Exception:  # no front end (plain Python): nothing to update
            log.debug("nblabel: send failed", exc_info=True)

    def _on_msg(self, _widget, content: dict, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "media":
            self._on_media(content)  # takes the lock only to look the value up: encoding runs outside it
            return
        with self._lock:
            kind = content.get("type")
            try:
                if self._closed:
                    self._emit(self._closed_state())
                elif kind == "hello":
                    self._views = True
                    self._say_loading()
                    self._first_suggestion()
                    self._emit(self._state())
                elif kind in ("submit", "skip"):
                    self._on_submit(content, cancelled=(kind == "skip"))
                elif kind in ("undo", "redo", "back"):
                    if getattr(self, kind)() is None:  # nothing changed, but the browser waits for an answer
                        self._emit(self._state())
                elif kind == "label_skipped":
                    self.label_skipped()
                elif kind == "goto":
                    self.goto(id_from_key(content["key"]))
            except StoreUnavailable as exc:  # the database server is away: not a refusal, the browser re-sends
                log.warning("nblabel: message %r waits for the store: %s", kind, exc)
                self._emit({"type": "notice", "message": cap(f"Not saved yet, kept in this browser and sent again: "
                                                             f"{exc}")})
            except Exception as exc:  # an exception here would be swallowed by the kernel: show it instead
                log.exception("nblabel: message %r failed", kind)
                self._emit({"type": "notice", "message": cap(f"{type(exc).__name__}: {exc}")})

    def _on_submit(self, content: dict, cancelled: bool) -> None:
        uid, key = content.get("uid"), content.get("key")
        try:
            if not isinstance(key, str) or not self._source.has(key):
                raise KeyError(f"unknown task key {key!r}")
            self._check_task(key)  # an outbox replayed into a re-run cell: the task may hold other data now
            lead, age = content.get("lead_time"), content.get("age_s")
            age = float(age) if isinstance(age, (int, float)) and not isinstance(age, bool) else None
            row = self._commit(key, [] if cancelled else content.get("result", []), cancelled=cancelled,
                               lead_time=float(lead) if isinstance(lead, (int, float)) else None, uid=uid, age_s=age)
        except (ValueError, KeyError, TypeError) as exc:
            self._emit({"type": "nack", "uid": uid, "key": key, "message": cap(str(exc))})
            return
        ack = {"type": "ack", "uid": uid, "annotation_id": row["id"], "progress": self.progress,
               "window": self._window(), **self._flags()}
        if self._has_predictor:
            ack["suggest"] = self._panel()
        self._emit(ack)

    def _on_media(self, content: dict) -> None:
        """Bytes of one local media value (docs/DESIGN.md "Media"): only values present in a media field of the task."""
        rid, key = content.get("rid"), content.get("key")
        try:
            with self._lock:
                if self._closed:
                    raise MediaError(f"this labeler was {self._closed_reason}")
                if not isinstance(key, str) or not self._source.has(key):
                    raise MediaError(f"unknown task key {key!r}")
                data = self._source.data(key, [f for f in self._config.fields if f in self._media.fields])
            body, mime = self._media.serve(key, data, content.get("field"), content.get("index"), content.get("page"))
        except MediaError as exc:
            self._emit({"type": "media", "rid": rid, "ok": False, "message": str(exc)})
            return
        except Exception as exc:  # never let a request vanish: the browser would wait forever
            log.exception("nblabel: media request failed")
            self._emit({"type": "media", "rid": rid, "ok": False, "message": f"{type(exc).__name__}: {exc}"})
            return
        self._emit({"type": "media", "rid": rid, "ok": True, "mime": mime, "size": len(body)}, [body])

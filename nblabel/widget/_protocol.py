"""The widget protocol: every message between a `Labeler` and the browser, both ways, as msgspec Structs.

Rules (docs/DESIGN.md "Widget messages" has the table; `js/protocol.js` mirrors this module):
- every browser request carries `id`, a string the browser picks, unique per request; for `submit` / `skip` it is
  also the idempotency key the store keeps, so an outbox entry re-sent after a reconnect is stored once;
- every Python message carries `re`: the `id` of the request it answers, or None when nobody asked for it; an
  unsolicited `state` names its `cause` instead, so the browser can never take it for an answer;
- what arrives goes through `decode`: an unknown type or a malformed field raises `ProtocolError`, which carries the
  request's `id` and `type` when they could be read, so the channel can answer the request instead of raising;
- fields a newer browser adds are ignored (forward compatible); fields this side needs are checked by type;
- messages out are built from the Structs and handed to `model.send` as plain dicts (`encode`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

RequestId = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Cause = Literal["headless", "suggestion", "closed"]


class ProtocolError(ValueError):
    """A browser message that is not one of the protocol's requests, or has a malformed field."""

    def __init__(self, message: str, content: Any) -> None:
        super().__init__(message)
        fields = content if isinstance(content, dict) else {}
        ident, kind = fields.get("id"), fields.get("type")
        # an answer may name only an id the browser could have sent: otherwise it answers nobody (re None)
        self.id: str | None = ident if isinstance(ident, str) and 0 < len(ident) <= 200 else None
        self.type: str | None = kind if isinstance(kind, str) else None
        self.key: str | None = fields.get("key") if isinstance(fields.get("key"), str) else None


def _seconds(value: Any) -> float | None:
    """A duration the browser reports for statistics only: anything but a finite number ≥ 0 reads as unknown, so
    an odd value never costs the answer it came with."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        return None
    return float(value)


# -- browser → Python ------------------------------------------------------------------------------------------
class Hello(msgspec.Struct, tag_field="type", tag="hello"):
    """A view was rendered: answered by a full `state`."""
    id: RequestId


class Decision(msgspec.Struct):
    """Review mode: what a submit decides besides accepting its result (today: a rejection)."""
    action: Literal["reject"]
    comment: str  # may be empty, never absent: the browser always says what the reviewer wrote
    annotators: Annotated[list[str], msgspec.Meta(min_length=1)]  # whose answers are rejected


class Submit(msgspec.Struct, tag_field="type", tag="submit"):
    """An answer for task `key` (result items in code points); answered by `ack` after the commit, or `nack`.

    In review mode the result is the version the reviewer accepts; with `review` it rejects instead."""
    id: RequestId
    key: str
    result: list[dict[str, Any]]
    lead_time: float | None = None
    review: Decision | None = None
    age_s: Any = None  # seconds since the key press (a replay when large); telemetry, so read leniently

    def __post_init__(self) -> None:
        self.age_s = _seconds(self.age_s)
        if self.review is not None and self.result:
            raise ValueError("a rejection carries no result")


class Skip(msgspec.Struct, tag_field="type", tag="skip"):
    """Skip task `key` (stored as a cancelled annotation); answered like `submit`."""
    id: RequestId
    key: str
    lead_time: float | None = None
    age_s: Any = None

    def __post_init__(self) -> None:
        self.age_s = _seconds(self.age_s)


class Undo(msgspec.Struct, tag_field="type", tag="undo"):
    """Withdraw the last submit or skip; answered by `state`."""
    id: RequestId


class Redo(msgspec.Struct, tag_field="type", tag="redo"):
    """Re-apply the last undone answer; answered by `state`."""
    id: RequestId


class Back(msgspec.Struct, tag_field="type", tag="back"):
    """Show the previously answered task; answered by `state`."""
    id: RequestId


class LabelSkipped(msgspec.Struct, tag_field="type", tag="label_skipped"):
    """Serve this annotator's skipped tasks again, in skip order; answered by `state`."""
    id: RequestId


class Goto(msgspec.Struct, tag_field="type", tag="goto"):
    """Show task `key`; answered by `state`."""
    id: RequestId
    key: str


class MediaRequest(msgspec.Struct, tag_field="type", tag="media"):
    """The bytes of one local media value of task `key` (`index` in a list value, `page` of a PDF)."""
    id: RequestId
    key: str
    field: str
    index: int | None = None
    page: int | None = None


Request = Hello | Submit | Skip | Undo | Redo | Back | LabelSkipped | Goto | MediaRequest
REQUESTS = (Hello, Submit, Skip, Undo, Redo, Back, LabelSkipped, Goto, MediaRequest)
Navigation = Undo | Redo | Back | LabelSkipped | Goto
Answer = Submit | Skip


def decode(content: Any) -> Request:
    """The request a browser message holds; raises `ProtocolError` for anything else."""
    try:
        return msgspec.convert(content, Request)
    except msgspec.ValidationError as exc:
        kind = content.get("type") if isinstance(content, dict) else None
        if isinstance(content, dict) and not any(kind == t.__struct_config__.tag for t in REQUESTS):
            raise ProtocolError(f"unknown widget message type {kind!r}", content) from None
        raise ProtocolError(f"malformed {kind!r} message: {exc}", content) from None


# -- Python → browser ------------------------------------------------------------------------------------------
class Shown(msgspec.Struct):
    """The suggestion shown for a task: its stored prediction id, model version and score (Python sends all three;
    a reader takes a missing version or score as None)."""
    id: int | None
    model_version: str | None = None
    score: float | None = None


class AnswerShown(msgspec.Struct):
    """Review mode: one answer under review, as the reviewer sees it: its whole result, regions with their values
    (the browser draws every annotator's regions over the task)."""
    annotator: str
    annotation_id: int
    result: list[dict[str, Any]]


class Task(msgspec.Struct):
    """A task as the browser gets it: only the `$fields` the config uses; local media as markers."""
    key: str
    id: Any
    data: dict[str, Any]
    prefill: list[dict[str, Any]] | None
    prefill_from: Literal["annotation", "prediction", "consensus", "ground_truth"] | None
    prediction: Shown | None
    annotation_id: int | None
    hint: list[dict[str, Any]] | None = None  # a low-scored suggestion: named beside the options, never selected
    refused: str | None = None  # why the task's suggestion is not shown (its items break the config)
    skipped_before: bool = False  # this annotator skipped the task earlier and it is served again
    answers: list[AnswerShown] | None = None  # review mode: the answers under review
    review_note: str | None = None  # the annotator's answer came back from review: why


class Progress(msgspec.Struct, omit_defaults=True):
    """`Labeler.progress`: counts for this annotator; with `overlap` ≥ 2 also across annotators."""
    done: int
    skipped: int
    remaining: int | None
    total: int | None
    rate_per_min: float | None
    eta_s: int | None
    complete: int | None = None  # tasks with all the answers overlap asks for
    waiting: int | None = None  # tasks answered, waiting for more annotators
    overlap: int | None = None


class Panel(msgspec.Struct):
    """The live suggestion panel (sent only when a predictor is set)."""
    accepted: int
    corrected: int
    window: int
    accuracy: list[float]
    model_version: str | None
    error: str | None


class Status(msgspec.Struct):
    """What every `state` and `ack` reports besides tasks."""
    progress: Progress
    can_undo: bool
    can_redo: bool
    can_back: bool
    suggest: Panel | None = None
    notice: str | None = None


class State(msgspec.Struct, tag_field="type", tag="state", omit_defaults=True):
    """Everything the browser shows: `tasks[0]` is the current task, the rest the prefetched window.

    `re` names the request this answers (hello / undo / redo / back / goto); None with a `cause` when Python sends
    it unasked (a headless call from a cell, a suggestion that became ready, the Labeler closing)."""
    re: RequestId | None
    config: dict[str, Any] | None
    error: str | None
    keys: dict[str, str | list[str]]
    tasks: list[Task]
    progress: Progress | None
    can_undo: bool
    can_redo: bool
    can_back: bool
    cause: Cause | None = None
    outbox_key: str | None = None
    remote: Literal["media", "all"] | None = None  # may task HTML and config styles load remote resources?
    notice: str | None = None
    suggest: Panel | None = None
    view_token: str | None = None  # names this Labeler's static card (a saved output), which a live view hides
    mode: Literal["label", "review"] | None = None  # absent: label

    def __post_init__(self) -> None:
        if (self.re is None) == (self.cause is None):
            raise ValueError("a state answers a request (re) or says why it was sent unasked (cause): one of them")


class Ack(msgspec.Struct, tag_field="type", tag="ack", omit_defaults=True):
    """A submit or skip is committed; `window` is Python's queue from its current task on."""
    re: RequestId
    annotation_id: int
    progress: Progress
    window: list[Task]
    can_undo: bool
    can_redo: bool
    can_back: bool
    suggest: Panel | None = None


class Nack(msgspec.Struct, tag_field="type", tag="nack"):
    """A submit or skip was refused (invalid result, unknown task, malformed message): nothing was stored."""
    re: RequestId
    key: str | None
    message: str


class Notice(msgspec.Struct, tag_field="type", tag="notice"):
    """A non-blocking message; with `re` it also answers a request that failed."""
    re: RequestId | None
    message: str


class Loading(msgspec.Struct, tag_field="type", tag="loading"):
    """Before the `state` answering a hello, when that takes a while: what Python is busy with."""
    re: RequestId | None
    message: str


class MediaReply(msgspec.Struct, tag_field="type", tag="media", omit_defaults=True):
    """Answer to `media`: `ok` with the bytes as the message's one buffer, else a `message`."""
    re: RequestId
    ok: bool
    mime: str | None = None
    size: int | None = None
    message: str | None = None


Message = State | Ack | Nack | Notice | Loading | MediaReply


def check_outgoing(content: Any) -> Message:
    """The Python → browser message `content` holds (tests check example messages with it)."""
    return msgspec.convert(content, Message)


def encode(message: Message) -> dict:
    """The plain dict `model.send` takes."""
    return msgspec.to_builtins(message)


def state(re: str | None, cause: Cause | None, *, config: dict | None, keys: dict, tasks: list[Task],
          status: Status | None, error: str | None = None, outbox_key: str | None = None,
          remote: str | None = None, view_token: str | None = None, mode: str | None = None) -> State:
    """A `state` message from its parts (`status` None: a closed Labeler reports no progress)."""
    if status is None:
        return State(re=re, cause=cause, config=config, error=error, keys=keys, tasks=tasks, progress=None,
                     can_undo=False, can_redo=False, can_back=False)
    return State(re=re, cause=cause, config=config, error=error, keys=keys, tasks=tasks, progress=status.progress,
                 can_undo=status.can_undo, can_redo=status.can_redo, can_back=status.can_back,
                 outbox_key=outbox_key, remote=remote, notice=status.notice, suggest=status.suggest,
                 view_token=view_token, mode=None if mode == "label" else mode)

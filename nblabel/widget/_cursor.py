"""The cursor: which task is on screen, beside the queue (what is next) and the history (what was answered).

Rules:
- the task on screen is the queue's head, unless a task is *focused*: shown out of queue order by `back`, `goto`, or
  an undo that put an edited answer back;
- answering a focused task returns to the queue, except after `back`: then the task answered after it comes next,
  so walking back and re-answering moves forward through the session's trail;
- an undone answer is *withdrawn*: the task goes to the front of the queue and shows that answer pre-filled until it
  is answered again (or the undo is redone).
"""

from __future__ import annotations

from collections.abc import Callable

from ._history import Action, History
from ._queue import Queue


class Cursor:
    """Navigation for one session: focus, back, withdrawn answers, threaded through answer / undo / redo / goto."""

    def __init__(self, queue: Queue, history: History) -> None:
        self.queue, self.history = queue, history
        self.focus: str | None = None
        self._from_back = False  # the focus came from `back`: answering it moves on along the trail
        self.withdrawn: dict[str, list] = {}  # undone results, shown pre-filled until answered again

    def key(self) -> str | None:
        """The task on screen (None: nothing is left)."""
        return self.focus if self.focus is not None else self.queue.head()

    def on_screen(self) -> set:
        """The tasks a view may be showing now: the focused one and the queue's head."""
        return {self.focus, self.queue.window[0] if self.queue.window else None}

    def answered(self, action: Action, cancelled: bool) -> None:
        """A new answer for `action.key` was stored."""
        key = action.key
        self.history.record(action)
        self.queue.mark_done(key, cancelled)
        self.withdrawn.pop(key, None)
        if self.focus == key:
            self.focus = self.history.after(key) if self._from_back else None
            self._from_back = self.focus is not None

    def undo(self, apply: Callable[[Action], None]) -> Action | None:
        """Take back the last answer; `apply` puts the store (and what listens to it) back before the queue moves."""
        action = self.history.undo()
        if action is None:
            return None
        apply(action)
        if action.created:
            self.queue.withdraw(action.key)
            self.withdrawn[action.key] = action.after["result"]
            self.focus = None
        else:  # an edit: the earlier answer is back, shown where it was edited
            self.queue.mark_done(action.key, action.before["was_cancelled"])
            self.focus, self._from_back = action.key, False
        return action

    def redo(self, apply: Callable[[Action], None]) -> Action | None:
        """Re-apply the last undone answer; `apply` re-applies it to the store first."""
        action = self.history.redo()
        if action is None:
            return None
        apply(action)
        self.queue.mark_done(action.key, action.after["was_cancelled"])
        self.withdrawn.pop(action.key, None)
        if self.focus == action.key:
            self.focus = None
        return action

    def back(self) -> bool:
        """Focus the task answered before the one on screen; False when there is none."""
        prev = self.history.before(self.key())
        if prev is None:
            return False
        self.focus, self._from_back = prev, True
        return True

    def goto(self, key: str, task_id: object) -> None:
        """Focus any task (`task_id`: as the caller named it, for the error); once it is answered the queue resumes."""
        if not self.queue.source.has(key):
            raise KeyError(f"no task with id {task_id!r}")
        self.focus, self._from_back = key, False

    def flags(self) -> tuple[bool, bool, bool]:
        """(can_undo, can_redo, can_back) for the browser's buttons."""
        return self.history.can_undo, self.history.can_redo, self.history.before(self.focus) is not None

"""Undo, redo and back for one session.

Rule: an action records the annotation row before and after it (`Store` snapshots), so undo puts the row back
exactly as it was (a new annotation is marked deleted, an edit gets its old result back) and redo re-applies it.
The trail is the order in which tasks were answered in this session; `back` walks it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Action:
    key: str
    annotation_id: int
    before: dict | None  # None: the annotation did not exist
    after: dict

    @property
    def created(self) -> bool:
        """The action made the task's answer (undoing it leaves the task unanswered), rather than editing one."""
        return self.before is None or bool(self.before.get("deleted"))


class History:
    def __init__(self) -> None:
        self._done: list[Action] = []
        self._undone: list[Action] = []
        self.trail: list[str] = []

    def record(self, action: Action) -> None:
        self._done.append(action)
        self._undone.clear()
        if action.key not in self.trail:
            self.trail.append(action.key)

    def undo(self) -> Action | None:
        if not self._done:
            return None
        action = self._done.pop()
        self._undone.append(action)
        return action

    def redo(self) -> Action | None:
        if not self._undone:
            return None
        action = self._undone.pop()
        self._done.append(action)
        return action

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def before(self, key: str | None) -> str | None:
        """The task answered just before `key` (the last one when `key` is not in the trail)."""
        if key in self.trail:
            i = self.trail.index(key)
            return self.trail[i - 1] if i > 0 else None
        return self.trail[-1] if self.trail else None

    def after(self, key: str) -> str | None:
        """The task answered just after `key`, if any."""
        if key in self.trail:
            i = self.trail.index(key)
            return self.trail[i + 1] if i + 1 < len(self.trail) else None
        return None

"""Exceptions nblabel raises on purpose.

Rule: each error subclasses the builtin a caller would naturally catch
(`ValueError` for bad input, `RuntimeError` for a state problem), so code that
does not know nblabel still handles them sensibly.
"""

from __future__ import annotations

__all__ = ["ConfigError", "QueueEmpty", "TaskChanged", "UnsupportedFormat"]


class ConfigError(ValueError):
    """The labeling config is invalid, or incompatible with the store it opens."""


class QueueEmpty(RuntimeError):
    """`submit()` or `skip()` was called with no current task: the queue is done."""


class TaskChanged(ValueError):
    """A task's `$fields` changed since it was first served from this store."""


class UnsupportedFormat(ValueError, NotImplementedError):
    """The export format is unknown, or the labeling config cannot produce it (as Label Studio would not offer
    it). A ValueError, and a NotImplementedError like the converter's `FormatNotSupportedError`."""

"""Exceptions nblabel raises on purpose.

Rule: each error subclasses the builtin a caller would naturally catch
(`ValueError` for bad input, `RuntimeError` for a state problem), so code that
does not know nblabel still handles them sensibly.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

__all__ = ["ConfigError", "QueueEmpty", "StoreUnavailable", "TaskChanged", "UnsupportedFormat", "user_facing"]

F = TypeVar("F", bound=Callable[..., Any])


class ConfigError(ValueError):
    """The labeling config is invalid, or incompatible with the store it opens."""


class QueueEmpty(RuntimeError):
    """`submit()` or `skip()` was called with no current task: the queue is done."""


class TaskChanged(ValueError):
    """A task's `$fields` changed since it was first served from this store."""


class StoreUnavailable(ConnectionError):
    """The store's database server cannot be reached (or went away mid-commit). Not a refusal of the answer: the
    widget keeps it in the browser's outbox and sends it again; a re-sent submit is stored once."""


class UnsupportedFormat(ValueError, NotImplementedError):
    """The export format is unknown, or the labeling config cannot produce it (as Label Studio would not offer
    it). A ValueError, and a NotImplementedError like the converter's `FormatNotSupportedError`."""


def user_facing(fn: F) -> F:
    """Decorate a public entry point: a `ConfigError` or `TaskChanged` it raises surfaces at the caller's line with
    its message, not under the internal frames that found it (the message says what to fix; the frames do not)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ConfigError, TaskChanged) as exc:
            raise exc.with_traceback(None) from None
    return wrapper  # type: ignore[return-value]

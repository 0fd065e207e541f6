"""Re-running a cell supersedes its Labeler.

Rule: one live Labeler per (store file, annotator) in a kernel; a newer one closes the older (its leases are released,
its view says it was replaced), so a re-run cell never leaves two sessions fighting over the same tasks. A
`:memory:` store belongs to its Labeler alone.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

_LIVE: dict[tuple[str, str], weakref.ref] = {}  # (store, annotator) → the Labeler a re-run supersedes


def supersede(labeler: Any, store_path: str, annotator: str) -> None:
    """Close the Labeler `labeler` replaces, if it is still alive, and remember `labeler` in its place."""
    slot = (os.path.abspath(store_path) if store_path != ":memory:" else f":memory:{id(labeler)}", annotator)
    old = _LIVE.get(slot)
    if old is not None and (prev := old()) is not None and prev is not labeler:
        prev.close(reason="replaced by a newer Labeler (the cell was re-run)")
    _LIVE[slot] = weakref.ref(labeler)

"""The durable store: every acknowledged answer committed before the widget counts it.

| module | concept |
|---|---|
| `_sqlite.py` | SQLite (WAL) store: annotations, served-task hashes, leases, submit uids; thread-safe |
| `_open.py` | a Labeler's store: the default path, the config it was made for (compatible changes merged) |
"""

from ._sqlite import Annotation, Store

__all__ = ["Annotation", "Store"]

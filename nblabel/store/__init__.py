"""The durable store: every acknowledged answer committed before the widget counts it.

| module | concept |
|---|---|
| `_sqlite.py` | SQLite (WAL) store: annotations, served-task hashes, leases, submit uids; thread-safe |
"""

from ._sqlite import Annotation, Store

__all__ = ["Annotation", "Store"]

"""The durable store: every acknowledged answer committed before the widget counts it.

| module | concept |
|---|---|
| `_sqlite.py` | SQLite (WAL) store: annotations (with the `$fields` hash each was given on), served-task hashes, leases, submit uids; thread-safe |
| `_default.py` | the default store's name (config, `$fields`, notebook), and the guard that stored answers match the data |
"""

from ._sqlite import Annotation, Store

__all__ = ["Annotation", "Store"]

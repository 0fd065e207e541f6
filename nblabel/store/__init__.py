"""The durable store: every acknowledged answer committed before the widget counts it.

| module | concept |
|---|---|
| `_sqlite.py` | SQLite (WAL): answers (with their `$fields` hash), served-task hashes, leases, submit uids |
| `_default.py` | the default store's name (config, `$fields`, notebook); stored answers must match the data |
| `_open.py` | opening a Labeler's store: its config (compatible changes merged), answers to these rows |
"""

from ._sqlite import Annotation, Store

__all__ = ["Annotation", "Store"]

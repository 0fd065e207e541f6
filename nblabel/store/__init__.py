"""The durable store: every acknowledged answer committed before the widget counts it.

| module | concept |
|---|---|
| `_schema.py` | the tables both back ends share, the annotation row, lease owners |
| `_base.py` | the store contract in shared SQL: answers (with their `$fields` hash), served-task hashes, leases, uids |
| `_sqlite.py` | SQLite (WAL): one file per project on one machine |
| `_postgres.py` | PostgreSQL (psycopg 3): one database for a team; per-task locks, reconnects |
| `_backend.py` | `open_backend(store)`: which back end a `store=` argument names |
| `_default.py` | the default store's name (config, `$fields`, notebook); stored answers must match the data |
| `_open.py` | opening a Labeler's store: its config (compatible changes merged), answers to these rows |
| `_reviews.py` | review records: accepted / fixed / rejected per answer version, idempotent, undoable |
"""

from ._backend import is_url, open_backend
from ._schema import Annotation
from ._sqlite import Store

__all__ = ["Annotation", "Store", "is_url", "open_backend"]

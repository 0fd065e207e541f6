"""Which back end a `store=` argument names: the one place that decides.

Rule: a `postgresql://` (or `postgres://`) URL is a PostgreSQL database; anything else is a SQLite file path (or
`":memory:"`). The PostgreSQL back end (and psycopg) loads only when such a URL is given.
"""

from __future__ import annotations

import os
from typing import Any

from ._base import StoreBase

_SCHEMES = ("postgresql://", "postgres://")


def is_url(store: Any) -> bool:
    """Does `store` name a database server rather than a local file?"""
    return isinstance(store, str) and store.lower().startswith(_SCHEMES)


def open_backend(store: str | os.PathLike) -> StoreBase:
    """The store `store` names, opened (its schema created if new)."""
    if is_url(store):
        from ._postgres import PostgresStore
        return PostgresStore(str(store))
    from ._sqlite import Store
    return Store(store)

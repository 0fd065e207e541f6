"""Opening a Labeler's store: where it lives by default, and the config it was made for.

Rules:
- the default store is `./.nblabel/<config-hash>.db`; its path is printed once, when the file is created;
- a store remembers the config signature it was made for: a compatible config (a choice or label added) is merged
  into it, anything else raises `ConfigError` before a task is served (`config._compat.check_compatible`);
- a store that refuses the config is closed again: nothing is left open by a Labeler that failed to open.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config._compat import check_compatible
from ..config._parse import Config
from ._sqlite import Store


def default_store_path(config: Config) -> Path:
    """Where a Labeler without `store=` keeps its annotations."""
    return Path(".nblabel") / f"{config.hash}.db"


def open_store(store: str | os.PathLike | None, config: Config) -> Store:
    """The store a Labeler writes to (`store=None`: the default path), checked against `config`."""
    path = default_store_path(config) if store is None else store
    new = str(path) != ":memory:" and not Path(path).exists()
    opened = Store(path)
    try:
        stored = opened.meta("config")
        if stored is not None:
            merged = check_compatible(stored, config)
            if merged != stored:
                opened.set_meta("config", merged)
        else:
            opened.set_meta("config", config.signature())
    except BaseException:
        opened.close()
        raise
    if new and store is None:
        print(f"nblabel: annotations are stored in {Path(path).resolve()}")
    return opened

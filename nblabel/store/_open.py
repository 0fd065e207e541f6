"""Opening a Labeler's store: the config it was made for, and answers that belong to these rows.

Rules:
- the default store (`_default.py` names it) is announced once, when the file is created;
- a store remembers the config signature it was made for: a compatible config (a choice or label added) is merged
  into it, anything else raises `ConfigError` before a task is served (`config._compat.check_compatible`);
- every stored answer must have been given on the `$fields` its task has in the data (`_default.check_answers`);
- a store that refuses the config or the data is closed again: nothing is left open by a Labeler that failed.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from typing import Any

from ..config._compat import check_compatible
from ..config._parse import Config
from ._backend import open_backend
from ._base import StoreBase
from ._default import announce, check_answers, default_store_path


def default_annotator() -> str:
    """Who labels when `annotator=` is not given: the OS user."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "annotator"


def open_store(store: str | os.PathLike | None, config: Config, source: Any) -> StoreBase:
    """The store a Labeler writes to (`store=None`: the default path), checked against `config` and the tasks of
    `source`."""
    path = default_store_path(config) if store is None else store
    new = str(path) != ":memory:" and not Path(path).exists()
    opened = open_backend(path)  # a SQLite file, or a postgresql:// URL
    try:
        stored = opened.meta("config")
        if stored is not None:
            merged = check_compatible(stored, config)
            if merged != stored:
                opened.set_meta("config", merged)
        else:
            opened.set_meta("config", config.signature())
        check_answers(opened, source, config)  # no answer to other data
    except BaseException:
        opened.close()
        raise
    if new and store is None:
        print(announce(Path(path), config))
    return opened

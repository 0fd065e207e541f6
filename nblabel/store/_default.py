"""The default store, and the guard that a store's answers belong to the data in hand.

Rules:
- the default file (`./.nblabel/<config-hash>-<project>.db`) is named by what makes a labeling project: the config's
  controls and objects, the `$fields` it labels and the notebook (or script) it runs in. Never by the data's length,
  rows or other columns: a filtered, extended or re-computed frame of the same project must resume, and nothing here
  reads the frame;
- a new default store names the other stores of the same config in that folder (a renamed notebook finds its labels);
- every answer records the hash of the `$fields` it was given on; an answer whose task now has other `$fields` is
  never counted, resumed or returned: reading it raises `TaskChanged` with the `store=` argument that gives this data
  a store of its own (named from a few sampled rows, so it differs from the store that holds the other project).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .._errors import TaskChanged
from ..config._parse import Config
from ..tasks._ids import id_from_key, plain_id

FOLDER = Path(".nblabel")
_SHOWN_IDS = 3  # task ids named in a mismatch message


def _digest(value: Any, n: int = 8) -> str:
    blob = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:n]


def project_name() -> str | None:
    """The file name of the notebook (or script) this kernel runs, when the host says: Jupyter Server sets
    `JPY_SESSION_NAME` for the kernels it starts, VS Code `__vsc_ipynb_file__`; a plain script is `__main__`."""
    name = os.environ.get("JPY_SESSION_NAME")
    shell = _ipython()
    if not name and shell is not None:
        ns = getattr(shell, "user_ns", {}) or {}
        name = ns.get("__vsc_ipynb_file__") or ns.get("__session__")
    if not name and shell is None:
        name = getattr(sys.modules.get("__main__"), "__file__", None)
    if not name:
        return None
    path = Path(str(name))
    # the file name only: a project folder that moves keeps its store (the store sits in the folder anyway);
    # `python -m pkg` runs pkg/__main__.py: the package names it
    return path.parent.name if path.stem == "__main__" and path.parent.name else path.name


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def default_store_path(config: Config) -> Path:
    """`./.nblabel/<config-hash>-<project>.db`: the config's identity, its `$fields` and the notebook's name."""
    project = _digest({"fields": sorted(config.fields), "notebook": project_name()})
    return FOLDER / f"{config.hash}-{project}.db"


def announce(path: Path, config: Config) -> str:
    """What to print when a default store is created: where it is, and the other stores of this config beside it."""
    lines = [f"nblabel: annotations are stored in {path.resolve()}"]
    others = sorted(p for p in path.parent.glob(f"{config.hash}*.db") if p.resolve() != path.resolve())
    if others:
        lines.append("  other stores of this config here (another notebook or data set); to continue one, pass "
                     + " or ".join(f'store="{p.as_posix()}"' for p in others[:3]))
    return "\n".join(lines)


def suggested_store(config: Config, source: Any, columns: Iterable[str] = ()) -> str:
    """A file name for this data's own store: the config, the columns, the length and a few sampled rows' `$fields`
    (cheap: five rows are read, never the whole frame)."""
    total = getattr(source, "total", None)
    positions = sorted({0, 1, 2} | ({total // 2, total - 1} if total else set()))
    rows = []
    for pos in positions:
        key = source.key_at(pos)
        if key is not None:
            rows.append([key, _digest(source.data(key, config.fields), 16)])
    stem = project_name()
    stem = Path(stem).stem if stem else "labels"
    return (FOLDER / f"{stem}-{_digest([config.hash, sorted(map(str, columns)), total, rows])}.db").as_posix()


def fix_line(config: Config, source: Any) -> str:
    """The line that gives this data its own store."""
    columns = getattr(source, "columns", None) or []
    return f'    nblabel.Labeler(..., store="{suggested_store(config, source, columns)}")'


def check_served(store: Any, source: Any, config: Config, key: str, fields_hash: str) -> None:
    """`store.check_served`, its `TaskChanged` ending with the `store=` line that separates the two data sets."""
    try:
        store.check_served(key, fields_hash, id_from_key(key))
    except TaskChanged as exc:
        raise TaskChanged(f"{exc}\n{fix_line(config, source)}") from None


def check_answers(store: Any, source: Any, config: Config,
                  stored: tuple[list[str], list[str | None]] | None = None) -> None:
    """Raise `TaskChanged` when an answer in `store` was given on other `$fields` than its task has in `source`.

    Answers to tasks absent from `source` are not checked (a filtered frame); the cost is one `$fields` hash per
    answered task present whose row changed since the last check (read in one vectorised pass), never a pass over
    the frame, and the comparison is one vectorised pass too. `stored`: (task keys, the hash each answer was given
    on, None = not known) as the caller read them from the store; else `store.answer_hashes()` is read."""
    if stored is None:
        pairs = store.answer_hashes()  # (task key, hash) per live answer
        keys, given = [k for k, _ in pairs], [h for _, h in pairs]
    else:
        keys, given = stored
    if not keys:
        return
    was = np.array(given, dtype=object)
    now = np.asarray(source.field_hashes(keys, config.fields), dtype=object)
    bad_at = np.flatnonzero(pd.notna(now) & pd.notna(was) & (now != was))  # absent keys are not checked
    count = len(bad_at)  # answers; the ids shown are their tasks', each once
    if not count:
        return
    tasks = list(dict.fromkeys(keys[i] for i in bad_at.tolist()))
    bad = tasks[:_SHOWN_IDS]
    ids = ", ".join(repr(plain_id(id_from_key(k))) for k in bad) + (", …" if len(tasks) > len(bad) else "")
    raise TaskChanged(
        f"{count} answer{'s' if count > 1 else ''} in {store.path} {'were' if count > 1 else 'was'} given to tasks "
        f"with other {', '.join('$' + f for f in config.fields) or 'data'} than this data has (task {ids}): that store "
        "holds another project's labels, or these rows changed since they were labeled. Nothing from it is counted "
        "or shown. Give this data its own store:\n" + fix_line(config, source))

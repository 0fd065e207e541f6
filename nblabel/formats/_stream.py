"""A JSON array written to its file while its items are still being built.

Rules:
- the bytes are exactly `dumps_compact(list(items))`: items are dumped in chunks (a compact array is `[`, its items
  joined by `,`, then `]`, so the chunks' inner bytes joined by `,` are the whole array's);
- a chunk's items are dropped once dumped, so a caller that yields fresh dicts (and keeps no other reference) holds
  one chunk of them at a time instead of the whole export, nor the whole dump as bytes: a 100,000-task export of a
  Labeler peaks at half the memory it took as one list and one dump (bench/bench_read.py prints both);
- one thread: writing the chunks from a second thread while the next is built measured no faster (the write is a
  copy into the page cache, a few hundredths of a second for 75 MB);
- the file appears whole or not at all: the bytes go to a temporary file beside it, renamed over the target at the
  end (a failure while building leaves an existing file as it was). A target that is a symlink is written through;
  an existing target keeps its permission bits; a folder where no new file may be made (a file in it may be
  rewritten) gets the file written in place, as before streaming.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, Iterable

from ._jsonio import dumps_compact

CHUNK = 500  # items per dump: 500 and 2,000 measured alike over 100,000 tasks; fewer items, less memory held


def write_json_array(items: Iterable[Any], path: str, chunk: int = CHUNK) -> None:
    """Write `items` to `path` as `dumps_compact(list(items))` would, streaming (see the module rules)."""
    target = os.path.realpath(path)
    temp = f"{target}.{os.urandom(6).hex()}.partial"  # unique: exports to one path at once do not collide
    try:
        fh = open(temp, "xb")
    except PermissionError:  # a folder that takes no new file, around a file that may be rewritten: in place
        with open(target, "wb") as fh:
            _write(fh, items, chunk)
        return
    try:
        with fh:
            _write(fh, items, chunk)
        if os.path.exists(target):
            shutil.copymode(target, temp)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _write(fh: Any, items: Iterable[Any], chunk: int) -> None:
    fh.write(b"[")
    batch: list = []
    first = True
    for item in items:
        batch.append(item)
        if len(batch) == chunk:
            fh.write(_inner(batch, first))
            first = False
            batch = []
    if batch:
        fh.write(_inner(batch, first))
    fh.write(b"]")


def _inner(batch: list, first: bool) -> bytes:
    """A chunk's items as they sit in the whole array: its dump without the brackets, after a `,` unless first."""
    body = dumps_compact(batch)[1:-1]
    return body if first else b"," + body

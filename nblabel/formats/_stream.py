"""A JSON array written to its file while its items are still being built.

Rules:
- the bytes are exactly `dumps_compact(list(items))`: items are dumped in chunks (a compact array is `[`, its items
  joined by `,`, then `]`, so the chunks' inner bytes joined by `,` are the whole array's);
- a chunk's items are dropped once dumped, so a caller that yields fresh dicts (and keeps no other reference) holds
  one chunk of them at a time instead of the whole export, nor the whole dump as bytes: a 100,000-task export of a
  Labeler held 147 MB at most instead of 480 MB (bench/bench_read.py prints both);
- one thread: writing the chunks from a second thread while the next is built measured no faster;
- the file is written in place, as every other writer here writes (a read-only file, a folder: the error at once;
  links, owner and permissions kept). A failure half-way (a value JSON cannot hold, a full disk, an interrupt)
  removes the half-written file rather than leave JSON that does not parse; a file that was there is gone then,
  as it was once opened for writing.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from ._jsonio import dumps_compact

CHUNK = 500  # items per dump: over 100,000 tasks a little faster than 2,000, and less memory held


def write_json_array(items: Iterable[Any], path: str, chunk: int = CHUNK) -> None:
    """Write `items` to `path` as `dumps_compact(list(items))` would, streaming (see the module rules)."""
    with open(path, "wb") as fh:
        try:
            _write(fh, items, chunk)
        except BaseException:
            fh.close()
            try:
                os.unlink(path)
            except OSError:  # already gone, or not ours to remove: the error that matters is the one raised
                pass
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

"""JSON bytes laid out the way Label Studio's exporters lay them out.

Rule: Label Studio serialises with `ujson`, whose defaults differ from the standard library in two visible ways:
`/` is escaped as `\\/`, and `indent=2` output has no space before `:` and none after `,` at line ends. orjson
writes the same structure (compact, or two-space indent, non-ASCII kept as UTF-8), so the bytes match once `/` is
escaped. A `/` can only occur inside a JSON string (never in a number or a keyword), so escaping it in the
finished bytes is safe. Known remaining difference: floats below 1e-4 print as `0.000025` (orjson) instead of
`2.5e-5` (ujson); both parse to the same number.
"""

from __future__ import annotations

import json
from typing import Any

from ..tasks._media import _exportable, export_value

try:  # orjson is a dependency; the fallback keeps a broken wheel from breaking exports.
    import orjson
except ImportError:  # pragma: no cover - exercised only without orjson
    orjson = None  # type: ignore[assignment]


def _default(value: Any) -> Any:
    # Values JSON has no type for: numpy scalars, timestamps. Tasks are made JSON-safe earlier; this is the net.
    # Media in data columns (a Path, bytes, a PIL image, a numpy image) is written as nblabel.tasks._media.export_value.
    if _exportable(value):
        return export_value(value)
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON: {value!r}")


def dumps_compact(obj: Any) -> bytes:
    """Compact UTF-8 JSON (`{"a":1}`), `/` escaped: Label Studio's JSON export and CSV cells."""
    if orjson is not None:
        out = orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS)
    else:
        out = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_default).encode()
    return out.replace(b"/", b"\\/")


def dumps_cell(obj: Any) -> str:
    """`dumps_compact` as text, for CSV cells."""
    return dumps_compact(obj).decode()


def dumps_records(records: list) -> bytes:
    """A list written as Label Studio's JSON_MIN writes it: `[` newline, each record indented by two spaces
    *relative to itself* (records start at column 0), `,` newline between records, newline `]`."""
    if not records:
        return b"[\n\n]"
    if orjson is not None:
        body = orjson.dumps(records, default=_default, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    else:
        body = json.dumps(records, ensure_ascii=False, indent=2, default=_default).encode()
    # Dumping the whole list indents every record by two more spaces; every newline in JSON output is structural
    # (newlines inside strings are escaped), so removing two spaces after each one dedents exactly one level.
    # (One dump per record, joined, needs no dedent but costs twice as much in orjson calls.)
    return body.replace(b"\n  ", b"\n").replace(b"/", b"\\/")


def dumps_indented_ascii(obj: Any) -> bytes:
    """`indent=2`, non-ASCII as `\\uXXXX` (ujson's default `ensure_ascii=True`): COCO's and YOLO's notes files."""
    text = json.dumps(obj, ensure_ascii=True, indent=2, default=_default)
    return text.replace("/", "\\/").encode()


def loads(data: bytes | str) -> Any:
    if orjson is not None:
        return orjson.loads(data)
    return json.loads(data)

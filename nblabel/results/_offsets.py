"""Text offsets: code points inside nblabel, UTF-16 code units in Label Studio artefacts.

Label Studio's editor counts offsets in JavaScript string units (UTF-16), so every character outside the Basic
Multilingual Plane (most emoji) counts twice there and once in Python. Conversion happens only at the boundary
(`to_label_studio`, file export, import), never inside the labeling loop.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")  # the characters UTF-16 writes as a surrogate pair


@lru_cache(maxsize=64)
def _astral_positions(text: str) -> tuple[int, ...]:
    """Code-point positions of characters that take two UTF-16 units."""
    if text.isascii():
        return ()
    return tuple(m.start() for m in _ASTRAL.finditer(text))  # the regex scans in C: ~3x a loop over ord()


def codepoint_to_utf16(text: str, offset: int) -> int:
    """UTF-16 offset of the code-point `offset` in `text`."""
    astral = _astral_positions(text)
    return offset + bisect.bisect_left(astral, offset) if astral else offset


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Code-point offset of the UTF-16 `offset` in `text` (an offset inside a surrogate pair rounds down)."""
    astral = _astral_positions(text)
    if not astral:
        return offset
    # The k-th astral character (0-based) sits at UTF-16 position astral[k] + k.
    lo, hi = 0, len(astral)
    while lo < hi:
        mid = (lo + hi) // 2
        if astral[mid] + mid < offset:
            lo = mid + 1
        else:
            hi = mid
    return offset - lo


def convert_result(result: list[dict], texts: dict[str, str], to_utf16: bool) -> list[dict]:
    """A copy of `result` with integer `start`/`end` of text regions converted.

    `texts` maps an object name (`to_name`) to the task text it shows; regions on other objects are untouched.
    """
    convert = codepoint_to_utf16 if to_utf16 else utf16_to_codepoint
    out = []
    for item in result:
        value = item.get("value")
        text = texts.get(item.get("to_name", ""))
        if text is not None and isinstance(value, dict) and isinstance(value.get("start"), int) \
                and isinstance(value.get("end"), int) and not text.isascii():
            value = {**value, "start": convert(text, value["start"]), "end": convert(text, value["end"])}
            item = {**item, "value": value}
        out.append(item)
    return out

"""Values and lists inside error messages, cut to a readable length.

Rule: an error message names what is wrong and shows enough to find it — never a whole 2 MB value or all 5,000
options of a control. `brief` is `repr` cut in the middle of nothing important (the head is kept, the size is
said); `listing` keeps the first names and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

VALUE_CHARS = 120
LIST_ITEMS = 20
MESSAGE_CHARS = 2000


def brief(value: object, limit: int = VALUE_CHARS) -> str:
    """`repr(value)`, or its first `limit` characters and how long it was."""
    try:
        text = repr(value)
    except Exception as exc:  # a value whose repr fails must not hide the error being reported
        text = f"<{type(value).__name__}: repr failed: {type(exc).__name__}>"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def listing(names: Iterable[object], limit: int = LIST_ITEMS, empty: str = "none") -> str:
    """The first `limit` names joined by commas, then how many more; each long name is cut too."""
    items = [str(n) for n in names]
    if not items:
        return empty
    shown = [n if len(n) <= VALUE_CHARS else f"{n[:VALUE_CHARS]}…" for n in items[:limit]]
    more = f", … ({len(items) - limit:,} more)" if len(items) > limit else ""
    return ", ".join(shown) + more


def cap(message: str, limit: int = MESSAGE_CHARS) -> str:
    """A whole message cut to `limit` characters (a last guard where messages leave for the browser)."""
    return message if len(message) <= limit else f"{message[:limit]}… ({len(message):,} characters)"

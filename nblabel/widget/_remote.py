"""What task HTML and config styles may load in the browser (`Labeler(..., remote=...)`).

Rules:
- "media" (the default): media fields the user gave as URLs load; remote resources *inside* task HTML (an
  `<img src=http://…>`), and `url()`s of other origins in config styles, do not — the widget shows a placeholder
  that says how to allow them, as mail clients do;
- "all": they load too (the user trusts where the tasks and the config come from);
- styles and colours that come with task data never load anything, whatever is chosen.
"""

from __future__ import annotations

REMOTE = ("media", "all")


def check_remote(value: object) -> str:
    """`value` when it is a known `remote=` choice, else a `ValueError` naming the choices."""
    if value not in REMOTE:
        raise ValueError(f"remote={value!r}: expected one of {', '.join(map(repr, REMOTE))}")
    return str(value)

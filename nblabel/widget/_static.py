"""What a saved notebook shows where the widget was, once no kernel holds it.

Rules:
- JupyterLab and Notebook 7 draw a widget output with the widget renderer whatever else its mimebundle holds, and
  without the model (a notebook reopened, a new kernel) that renderer only says "Error displaying widget: model not
  found". So the widget is displayed as two outputs: the widget view, then a static HTML card saying what it was and
  how to resume. The card is plain saved output: every host shows it (a reopened notebook, nbviewer, an HTML export);
  a live view hides the card of its own Labeler in the page (found by the `view_token` its `state` carries), so
  while the widget runs only the widget is seen;
- Colab puts each output in its own frame, where no view could hide the card: there the widget is displayed alone;
- every value in the card is escaped; no script, no external resource, inline styles only (no widget CSS is loaded
  where the card matters).
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path
from typing import Any

from ..store._backend import is_url

_BOX = ("font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.5;"
        "max-width:720px;padding:10px 14px;border:1px dashed #9aa4ae;border-radius:8px;color:inherit")


def static_html(annotator: str, store: str, total: int | None, token: str) -> str:
    """The card: an nblabel widget, not running; re-run the cell to resume (the store keeps the answers).

    It names the annotator and the number of tasks, never counts of answers: the card is written once, when the
    cell runs, and counts would be stale by the time anyone reads it.
    """
    if store == ":memory:":
        where = "were kept in memory only (<code>store=\":memory:\"</code>) and ended with the kernel"
    else:
        where = f"are kept in <code>{escape(store)}</code>"
    lines = [
        "<b>nblabel labeling widget</b> — not running (no kernel holds it any more).",
        f"Run this cell again to resume labeling where you stopped; the answers {where}.",
    ]
    tasks = "" if total is None else f" · {total} task{'' if total == 1 else 's'}"
    lines.append(f'<span style="opacity:.75">annotator {escape(annotator)}{tasks}</span>')
    body = "".join(f"<div>{line}</div>" for line in lines)
    return f'<div class="nblabel-static" data-nblabel-view="{escape(token)}" style="{_BOX}">{body}</div>'


def display_with_fallback(lab: Any, store_path: str, total: int | None, token: str) -> None:
    """Display the widget view of Labeler `lab`, then (outside Colab) its static card."""
    from IPython.display import display

    bundle = lab._repr_mimebundle_()
    if not bundle:
        return
    data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
    display(data, metadata=meta, raw=True)
    if "google.colab" in sys.modules:
        return
    path = store_path if store_path == ":memory:" or is_url(store_path) else str(Path(store_path).resolve())
    display({"text/html": static_html(lab.annotator, path, total, token)}, raw=True)

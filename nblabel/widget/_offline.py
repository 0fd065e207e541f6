"""Labeling without a Jupyter server: a standalone HTML page (`Labeler.to_html`) and merging its answers back
(`Labeler.import_answers`).

Rules:
- the page holds the widget bundle, the config and the next tasks of the annotator's queue, as Python would send
  them (`_serving`); task data goes in a JSON script element with `<`, `>` and `&` escaped, so no value can end the
  element or become markup; a Content-Security-Policy allows no script but the page's own and no network
  connection but media the task itself names;
- local media (files, bytes) is not embedded: such fields show a placeholder offline;
- the answers file names the store and annotator it was made for; importing it into another store or for another
  annotator is refused; each answer is committed under its request id, so importing a file twice (or a file whose
  answers were partly imported) stores every answer once, and an answer that breaks the config is reported, not
  stored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..store._base import StoreBase
from ..tasks._ids import id_from_key, plain_id
from ._answers import Answers
from ._queue import Queue
from ._serving import Serving

_STATIC = Path(__file__).parent.parent / "static"
FORMAT = "nblabel-answers"
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob: http: https:; "
        "media-src data: blob: http: https:; font-src data:; connect-src data: blob: http: https:")


def _script_json(value: Any) -> str:
    """JSON that is inert inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(code: str) -> str:
    """A bundle inside a <script> element: nothing in it may close the element or open an HTML comment."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def write_page(path: str | os.PathLike, serving: Serving, queue: Queue, store: StoreBase, annotator: str,
               limit: int) -> str:
    """Write the offline page with up to `limit` of the annotator's unanswered tasks; returns the path written."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit={limit!r}: expected a number of tasks >= 1")
    intro, tasks = serving.intro(), []
    for key in queue.source.iter_keys():
        if len(tasks) >= limit:
            break
        if key not in queue.done:
            tasks.append(serving.payload(key))
    import msgspec

    data = {"config": intro["config"], "keys": intro["keys"], "remote": intro["remote"], "annotator": annotator,
            "store_id": store.id, "storage_key": f"nblabel-offline:{store.id}:{annotator}",
            "tasks": msgspec.to_builtins(tasks)}
    bundle = (_STATIC / "standalone.js").read_text(encoding="utf-8")
    css = (_STATIC / "standalone.css").read_text(encoding="utf-8")
    title = f"nblabel — {annotator}".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = (f'<!doctype html>\n<html><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>body{{margin:16px auto;max-width:980px;font-family:system-ui,sans-serif}}"
            f".nblabel-offline-bar{{display:flex;gap:12px;align-items:center;justify-content:space-between;"
            f"margin-bottom:10px;font-size:13px}}"
            f"button.nblabel-download{{font:inherit;padding:6px 14px;border-radius:6px;"
            f"border:1px solid #1c7ed6;background:#1c7ed6;color:#fff;cursor:pointer;white-space:nowrap}}"
            f"button.nblabel-download:disabled{{opacity:.5;cursor:default}}</style><style>{_inline(css)}</style></head>"
            f'<body><div id="nblabel-root"></div>'
            f'<script type="application/json" id="nblabel-data">{_script_json(data)}</script>'
            f'<script type="module">{_inline(bundle)}</script></body></html>\n')
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return str(out)


def import_answers(path: str | os.PathLike, answers: Answers, store: StoreBase, annotator: str) -> dict:
    """Commit the answers of an offline page's file → {"stored", "already", "refused": [(task id, why)]}."""
    try:
        file = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not an nblabel answers file ({exc})") from None
    if not isinstance(file, dict) or file.get("format") != FORMAT or not isinstance(file.get("answers"), list):
        raise ValueError(f"{path}: not an nblabel answers file (expected format {FORMAT!r} with a list of answers)")
    if file.get("store_id") != store.id or file.get("annotator") != annotator:
        raise ValueError(f"{path} holds answers of {file.get('annotator')!r} for store {file.get('store_id')!r}; "
                         f"this Labeler is {annotator!r} on store {store.id!r} ({store.path})")
    stored = already = 0
    refused: list[tuple[Any, str]] = []
    for entry in file["answers"]:
        key = entry.get("key") if isinstance(entry, dict) else None
        uid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not isinstance(uid, str) or not uid:
            refused.append((None, f"not an answer: {str(entry)[:80]}"))
            continue
        seen = store._query("SELECT 1 FROM acks WHERE uid = ?", (uid,))
        result = None if entry.get("skipped") else entry.get("result")
        lead = entry.get("lead_time")
        try:
            answers.from_browser(key, result if result is None or isinstance(result, list) else [result],
                                 float(lead) if isinstance(lead, (int, float)) and not isinstance(lead, bool) else None,
                                 uid)
        except (ValueError, KeyError, TypeError) as exc:
            refused.append((plain_id(id_from_key(key)) if _is_key(key) else key, str(exc)))
            continue
        if seen:
            already += 1
        else:
            stored += 1
    return {"stored": stored, "already": already, "refused": refused}


def _is_key(key: str) -> bool:
    try:
        id_from_key(key)
    except Exception:
        return False
    return True

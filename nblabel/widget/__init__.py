"""The widget: the `Labeler` anywidget and what it wires together for one annotator.

| module | concept |
|---|---|
| `_labeler.py` | `Labeler`: the public API; wires store, queue, cursor, suggestions and the browser channel |
| `_parts.py` | builds and connects the parts of one session for its mode (labeling or reviewing) |
| `_protocol.py` | every widget message both ways (msgspec Structs), and the check of what the browser sends |
| `_channel.py` | `BrowserChannel`: routes requests to its `Host`, answers each, pushes unsolicited states |
| `_serving.py` | a task as shown: first-serve checks, prefill, the browser's task window and status |
| `_answers.py` | commit, undo, redo of one annotator's answers |
| `_cursor.py` | the task on screen: queue head or a focused task (back, goto, edit after undo) |
| `_status.py` | `status`, the synced trait reactive hosts (marimo) re-run dependent cells on |
| `_queue.py` | which task is next for one annotator: order, skipped requeue, leases |
| `_history.py` | undo / redo / back bookkeeping |
| `_progress.py` | counts, rate, ETA; headless lead time |
| `_rerun.py` | a re-run cell supersedes its Labeler |
| `_remote.py` | `remote=`: what task HTML and config styles may load in the browser |
| `_review.py` | review mode's desk: answers under review, consensus / ground truth pre-fill, accept / fix / reject |
| `_review_queue.py` | which task a reviewer sees next: given, disputed, sample, suspect |
| `_review_answers.py` | a reviewer's decisions through the cursor: accept, reject, skip, undo, redo |
| `_static.py` | the static card a notebook reopened without its kernel shows |
| `_output.py` | `Writeback`: `to_pandas`, `to_label_studio`, `export` of a store's annotations over its tasks |
"""

from ._labeler import Labeler

__all__ = ["Labeler"]

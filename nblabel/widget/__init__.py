"""The widget: the `Labeler` anywidget and what it wires together for one annotator.

| module | concept |
|---|---|
| `_labeler.py` | `Labeler`: the public API, wiring store, queue, suggestions and the browser channel |
| `_channel.py` | messages to and from the browser |
| `_status.py` | `status`, the synced trait reactive hosts (marimo) re-run dependent cells on |
| `_queue.py` | which task is next for one annotator: order, skipped requeue, leases |
| `_history.py` | undo / redo / back bookkeeping |
| `_output.py` | `Writeback`: `to_pandas`, `to_label_studio`, `export` of a store's annotations over its tasks |
"""

from ._labeler import Labeler

__all__ = ["Labeler"]

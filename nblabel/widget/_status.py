"""`status`: the one synced trait, so reactive hosts (marimo) re-run the cells that depend on the widget.

Rules:
- tasks and answers still travel as custom messages only; `status` holds counts and ids, never task data, so
  nothing of the data lands in a notebook's saved widget state;
- Python owns the value: it is set here after every change of progress (a submit from the browser or from a cell,
  undo, redo) once a view said hello, and a value written by the browser is ignored (`set_state` drops it);
- marimo re-runs the cells that read a widget only when the *browser* writes a trait, so the front end writes
  `status` back once per `revision` (js/host_status.js); Jupyter ignores that write the same way;
- `revision` only grows: the front end echoes each revision once, so a host that echoes updates cannot loop.
"""

from __future__ import annotations

import traitlets


class HostStatus(traitlets.HasTraits):
    """Mixin for `Labeler`: relies on its lock, `progress`, `_channel` (whether a view said hello) and `_closed`."""

    status = traitlets.Dict(
        help="Progress counts and the id of the latest annotation, synced to the front end (read-only there): "
             "`{'done', 'skipped', 'remaining', 'total', 'rate_per_min', 'eta_s', 'annotation_id', 'revision'}`. "
             "In marimo, `mo.ui.anywidget(lab).value['status']` changes after every answer."
    ).tag(sync=True)

    _revision = 0
    _last_annotation: dict | None = None

    @property
    def last_annotation(self) -> dict | None:
        """The annotation this Labeler stored last: a Label Studio annotation dict plus `task` (the task id); None
        before any, and after that annotation was undone."""
        with self._lock:
            return self._last_annotation

    def _answers_changed(self, annotation: dict | None, withdrawn: int | None) -> None:
        """`Answers` heard: a new answer (`annotation`, with its `task`), an undone one (`withdrawn`: its id), or a
        redo (neither)."""
        if annotation is not None:
            self._last_annotation = annotation
        elif withdrawn is not None and self._last_annotation is not None \
                and self._last_annotation.get("id") == withdrawn:
            self._last_annotation = None
        self._publish_status()

    def _publish_status(self) -> None:
        """Set `status` from `progress` (under the lock). Only once a browser shows the widget: a headless loop
        pays nothing for it."""
        if not self._channel.views or self._closed:
            return
        self._revision += 1
        last = self._last_annotation
        value = {**self.progress, "annotation_id": last.get("id") if last else None, "revision": self._revision}
        try:
            self.status = value
        except Exception:  # no front end to sync with: the value is still set, only the send failed
            pass

    def set_state(self, sync_data: dict) -> None:
        """Browser writes of synced traits: `status` is Python's own, so a browser's copy never replaces it."""
        super().set_state({k: v for k, v in sync_data.items() if k != "status"})

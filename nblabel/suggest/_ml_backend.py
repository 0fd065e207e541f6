"""A running Label Studio ML backend as a predictor (`predictor="http://host:9090"`).

Rules:
- speak the protocol a Label Studio server speaks (the request bodies a real server sends):
  `POST /setup` once with the schema, then `POST /predict` with a batch
  of full task dicts, the label config and `params`; answers are `{"results": [prediction, ...]}` (label-studio-ml
  2.x) or a bare list (1.x); `model_version` comes from `/setup` unless a prediction names its own;
- ML-backend traffic uses UTF-16 offsets (what the LS editor writes): task annotations are converted on the way
  out and result offsets on the way back, so Python keeps code points;
- standard library only (urllib): no new dependency for a feature most users never touch.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any

from ..config._parse import Config
from ..tasks._media import export_data
from ..results._offsets import convert_result


class MLBackendError(RuntimeError):
    """The ML backend cannot be reached or answered with an HTTP error (the message names the URL and status)."""


class MLBackend:
    """`predictor="http://…"`: predictions from a Label Studio ML backend."""

    def __init__(self, url: str, config: Config, *, access_token: str | None = None, timeout: float = 30.0,
                 project: str | None = None, extra_params: dict | None = None) -> None:
        self.url, self.config, self.timeout = url.rstrip("/"), config, timeout
        self.access_token, self.extra_params = access_token, extra_params
        # Label Studio sends "<project id>.<project created_at as a unix time>"
        self.project = project or f"1.{int(time.time())}"
        self.model_version: str | None = None
        self._set_up = False

    def _post(self, path: str, body: dict) -> Any:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode(errors="replace")
            raise MLBackendError(f"ML backend {self.url}{path} answered {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise MLBackendError(f"ML backend {self.url}{path} unreachable: {exc.reason}") from None

    def setup(self) -> None:
        """`POST /setup` with the config, as a Label Studio server does once; takes the backend's model version."""
        answer = self._post("/setup", {"project": self.project, "schema": self.config.xml, "hostname": "",
                                       "access_token": self.access_token or "", "extra_params": self.extra_params})
        if isinstance(answer, dict) and answer.get("model_version") is not None:
            self.model_version = str(answer["model_version"])
        self._set_up = True

    def __call__(self, tasks: list[dict], context: dict | None = None) -> list[dict | None]:
        if not self._set_up:
            self.setup()
        body = {"tasks": [self._ls_task(t) for t in tasks], "project": self.project,
                "label_config": self.config.xml, "params": {"login": None, "password": None, "context": context}}
        answer = self._post("/predict", body)
        results = answer.get("results") if isinstance(answer, dict) else answer
        if not isinstance(results, list):
            raise MLBackendError(f"ML backend {self.url}/predict: expected {{'results': [...]}}, got "
                                 f"{type(answer).__name__}")
        out: list[dict | None] = []
        for task, pred in zip(tasks, results + [None] * (len(tasks) - len(results))):
            if isinstance(pred, list):  # some backends answer a bare result list per task
                pred = {"result": pred}
            if not isinstance(pred, dict) or not isinstance(pred.get("result"), list):
                out.append(None)
                continue
            pred = dict(pred)
            pred["result"] = convert_result(pred["result"], self._texts(task), to_utf16=False)
            if pred.get("model_version") is None and self.model_version is not None:
                pred["model_version"] = self.model_version
            out.append(pred)
        return out

    def _texts(self, task: dict) -> dict[str, str]:
        """Object name → its text, for offset conversion."""
        data = task.get("data", {})
        return {o.name: data[o.field] for o in self.config.objects.values()
                if o.field and isinstance(data.get(o.field), str)}

    def _ls_task(self, task: dict) -> dict:
        """A task dict shaped as the Label Studio server sends it to /predict."""
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        texts = self._texts(task)
        annotations = [{**a, "result": convert_result(a.get("result", []), texts, to_utf16=True)}
                       for a in task.get("annotations", [])]
        tid = task.get("id")
        data = export_data(task.get("data", {}))  # a local image as a data: URI, a Path as its text: JSON-safe
        return {"id": tid if isinstance(tid, int) else None, "data": data, "meta": {},
                "created_at": stamp, "updated_at": stamp, "is_labeled": bool(annotations), "overlap": 1,
                "inner_id": tid if isinstance(tid, int) else None, "total_annotations": len(annotations),
                "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0,
                "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 1, "updated_by": None,
                "file_upload": None, "comment_authors": [], "annotations": annotations, "predictions": []}

"""Move a project to and from a Label Studio server: `push` and `pull`, through `label-studio-sdk`.

    summary = nblabel.label_studio.push(lab_or_df, "http://localhost:8080", api_key, project="Reviews")
    df = nblabel.label_studio.pull("http://localhost:8080", api_key, project="Reviews")

Rules (MISSION "Export and interop", "Offsets"):
- what travels is the JSON export's task shape (`formats._json.tasks`): UTF-16 offsets on the wire and on the
  server, code points in DataFrames (`pull` reads through `read_label_studio`);
- identity: each task carries `meta.nblabel_id` (its DataFrame index label; a list for a MultiIndex). A push
  matches server tasks by it: new ids are imported, known ones get their `data`/`meta` updated when they changed;
  `pull` indexes the frame by it (the server's task id for tasks made in Label Studio);
- annotations are sent once: the server task's `meta.nblabel_sent` maps each local annotation (its `unique_id`,
  else its `id`) to a fingerprint of what was sent (result + was_cancelled). Pushing again skips unchanged ones,
  updates the server annotation in place when the local one changed (found by its old fingerprint), and also
  skips any annotation whose content the task already holds (a pulled frame pushed back adds nothing).
  Predictions are added when the task holds no prediction with the same result, score and model version;
- authentication: `api_key` is a legacy token or a personal access token (a JWT refresh token, what Label Studio
  1.23 hands out by default); the SDK tells them apart and refreshes access tokens itself;
- local media (paths, bytes, PIL images, numpy arrays, `data:` URIs) in media fields are uploaded to the project
  (`/api/projects/{id}/import` with `commit_to_project=false`, the same store as the "Upload files" dialog) and
  the task holds the server's `/data/upload/...` URL; a value that cannot be sent raises a ValueError naming the
  task and the field before anything is created. `upload=False` refuses local media instead of uploading it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import re
from pathlib import PurePath
from typing import Any

import pandas as pd

__all__ = ["LabelStudioError", "connect", "pull", "push"]

_PAGE = 500  # tasks per page when listing
_IMPORT_BATCH = 1000  # tasks per import request (the server takes up to 250k / 200 MB)
_INTERNAL = ("nblabel_id", "nblabel_sent", "nblabel_media")
_DATA_URI = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?(;[\w=.+-]+)*;base64,", re.I)


class LabelStudioError(RuntimeError):
    """The server refused a request: the message holds the method, path, status and the server's answer."""


# ------------------------------------------------------------------------------------------------ transport
def connect(url: str, api_key: str) -> Any:
    """A `label_studio_sdk.LabelStudio` client. `api_key`: a legacy token (Account & Settings → Legacy Token) or a
    personal access token (a JWT refresh token; the SDK exchanges it for short-lived access tokens)."""
    try:
        # The base client: `label_studio_sdk.LabelStudio` adds project helpers whose imports (jsonschema's
        # rfc3987 grammar) take seconds; push and pull need only the authenticated HTTP client.
        from label_studio_sdk.base_client import LabelStudioBase as LabelStudio
    except ImportError:
        try:
            from label_studio_sdk import LabelStudio
        except ImportError:
            raise ImportError("nblabel.label_studio needs the Label Studio SDK: pip install 'nblabel[ls]'") from None
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        raise ValueError(f"url={url!r}: expected the server's address, e.g. 'http://localhost:8080'")
    if not api_key or not isinstance(api_key, str):
        raise ValueError("api_key: pass a Label Studio access token (a personal access token or a legacy token)")
    return LabelStudio(base_url=url.rstrip("/"), api_key=api_key.strip(), timeout=120)


class _Api:
    """JSON requests through the SDK's HTTP client (it adds the `Authorization` header and refreshes JWT access
    tokens). Raw JSON, not the SDK's typed models: those are generated for the Enterprise API and would drop or
    reshape fields of a community server's tasks, and a round trip must keep every key."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.http = client._client_wrapper.httpx_client

    def __call__(self, method: str, path: str, *, ok: tuple = (200, 201, 204), **kwargs: Any) -> Any:
        try:
            response = self.http.request(path, method=method, **kwargs)
        except Exception as exc:  # the SDK's ApiError from a failed token refresh, or a connection error
            raise LabelStudioError(f"{method} {path}: {exc}") from exc
        if response.status_code not in ok:
            body = response.text[:800]
            hint = ""
            if response.status_code in (401, 403):
                hint = (" — check api_key: Label Studio 1.23 disables legacy tokens per organisation by default; "
                        "use a personal access token (Account & Settings → Personal Access Token) or enable "
                        "legacy tokens (Organization → API Token Settings)")
            raise LabelStudioError(f"{method} {path}: HTTP {response.status_code}: {body}{hint}")
        if response.status_code == 204 or not response.content:
            return None
        return response.json()


def _resolve_project(api: _Api, project: Any, config_xml: str | None, create: bool) -> dict:
    """The project dict for an id (int) or a title (str); a missing title is created when `create`."""
    if isinstance(project, bool) or project is None:
        raise TypeError("project=: pass the project's id (int) or title (str)")
    if isinstance(project, int):
        return api("GET", f"api/projects/{project}")
    if isinstance(project, dict) and "id" in project:
        return api("GET", f"api/projects/{int(project['id'])}")
    if not isinstance(project, str):
        raise TypeError(f"project= takes an id (int) or a title (str), not {type(project).__name__}")
    matches = []
    page = 1
    while True:
        listing = api("GET", "api/projects", params={"page": page, "page_size": 100, "title": project})
        results = listing.get("results", []) if isinstance(listing, dict) else listing
        matches += [p for p in results if p.get("title") == project]
        if not isinstance(listing, dict) or not listing.get("next"):
            break
        page += 1
    if len(matches) > 1:
        ids = ", ".join(str(p["id"]) for p in matches)
        raise ValueError(f"project={project!r}: {len(matches)} projects have this title (ids {ids}); pass an id")
    if matches:
        return api("GET", f"api/projects/{matches[0]['id']}")
    if not create:
        raise LookupError(f"project={project!r}: no project with this title on the server")
    if not config_xml:
        raise ValueError(f"project={project!r} does not exist yet and no labeling config is known: pass config=")
    return api("POST", "api/projects", json={"title": project, "label_config": config_xml})


def _server_tasks(api: _Api, project_id: int) -> list[dict]:
    """Every task of the project with its annotations and predictions (`fields=all`), in id order."""
    tasks: list[dict] = []
    page = 1
    while True:
        try:
            body = api("GET", "api/tasks", params={"project": project_id, "fields": "all", "page": page,
                                                   "page_size": _PAGE})
        except LabelStudioError as exc:
            if "HTTP 404" in str(exc) and page > 1:  # past the last page
                break
            raise
        batch = body.get("tasks", []) if isinstance(body, dict) else body
        tasks += batch
        total = body.get("total") if isinstance(body, dict) else None
        # `total` decides: a server may cap page_size below what was asked (TASK_API_PAGE_SIZE_MAX).
        if not batch or (len(tasks) >= total if isinstance(total, int) else len(batch) < _PAGE):
            break
        page += 1
    tasks.sort(key=lambda t: t.get("id", 0))
    return tasks


# ------------------------------------------------------------------------------------------------ local tasks
def _local_tasks(source: Any, config: Any, id_column: Any) -> tuple[list[dict], str | None]:
    """(LS task dicts with UTF-16 offsets and meta.nblabel_id, config XML or None) for a Labeler, a DataFrame or a
    list of Label Studio task dicts."""
    from ._labeler import Labeler
    from .formats import _json
    from .formats._frame import frame_from_tasks, read_frame

    if isinstance(source, Labeler):
        xml = source._config.xml if config is None else _xml(config)
        return source.to_label_studio(), xml
    if isinstance(source, pd.DataFrame):
        frame = read_frame(source, config, id_column=id_column)
        return _json.tasks(frame), frame.config.xml if frame.config is not None else None
    if isinstance(source, list):
        frame = frame_from_tasks(source, config)
        return _json.tasks(frame), frame.config.xml if frame.config is not None else None
    raise TypeError(f"push() takes a Labeler, a DataFrame (e.g. lab.to_pandas() or read_label_studio(...)) or a "
                    f"list of Label Studio tasks, not {type(source).__name__}")


def _xml(config: Any) -> str:
    from ._config import Config, parse_config

    return config.xml if isinstance(config, Config) else parse_config(config).xml


def _key(ident: Any) -> str:
    return json.dumps(ident, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def _fingerprint(item: dict, *keys: str) -> str:
    body = {"result": item.get("result") or []}
    for k in keys:
        body[k] = item.get(k)
    return hashlib.sha1(_key(body).encode("utf-8")).hexdigest()[:20]


def _ann_fp(ann: dict) -> str:
    return _fingerprint({**ann, "was_cancelled": bool(ann.get("was_cancelled"))}, "was_cancelled")


def _pred_fp(pred: dict) -> str:
    score = pred.get("score")
    return _fingerprint({**pred, "score": None if score is None else round(float(score), 6),
                         "model_version": pred.get("model_version") or ""}, "score", "model_version")


def _local_key(ann: dict) -> str | None:
    for k in ("unique_id", "id"):
        v = ann.get(k)
        if v not in (None, ""):
            return f"{k}:{v}"
    return None


# ------------------------------------------------------------------------------------------------ media
def _is_local(value: Any) -> bool:
    from ._media import is_local

    if isinstance(value, str):
        return bool(_DATA_URI.match(value)) or is_local(value)
    return is_local(value)


def _media_bytes(value: Any) -> tuple[bytes, str, str]:
    """(bytes, mime, file name) of a local media value."""
    from ._media import to_bytes

    if isinstance(value, str) and _DATA_URI.match(value):
        head, _, payload = value.partition(",")
        mime = head[5:].split(";")[0] or "application/octet-stream"
        data = base64.b64decode(payload)
        name = None
    else:
        data, mime = to_bytes(value)
        name = os.path.basename(os.fspath(value)) if isinstance(value, (str, PurePath)) else None
    if not name:
        name = "media" + (mimetypes.guess_extension(mime) or ".bin")
    return data, mime, name


def _check_media(tasks: list[dict], media: dict[str, str], upload: bool) -> list[tuple[int, str, int | None]]:
    """Where local media sit: (task position, field, list index or None). Raises for what cannot travel."""
    spots = []
    for pos, task in enumerate(tasks):
        ident = task["meta"].get("nblabel_id")
        for field, value in task["data"].items():
            values = value if isinstance(value, list) and field in media else [value]
            for i, v in enumerate(values):
                index = i if values is value else None
                where = f"task {ident!r}, field {field!r}" + (f"[{i}]" if index is not None else "")
                if field in media and _is_local(v):
                    if not upload:
                        raise ValueError(f"{where}: local {media[field]} media ({type(v).__name__}) cannot be "
                                         "pushed with upload=False: put it at a URL the server can reach, or "
                                         "pass upload=True")
                    try:
                        _media_bytes(v)
                    except Exception as exc:
                        raise ValueError(f"{where}: cannot upload this {media[field]} value: {exc}") from None
                    spots.append((pos, field, index))
                elif not _json_ok(v):
                    raise ValueError(f"{where}: a {type(v).__name__} value cannot be sent to Label Studio (only "
                                     "JSON values; media fields may also hold local files, bytes, PIL images "
                                     "or numpy arrays, which are uploaded)")
    return spots


def _json_ok(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_json_ok(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_ok(v) for k, v in value.items())
    return False


def _upload(api: _Api, project_id: int, data: bytes, mime: str, name: str) -> str:
    """Store one file with the project (not as a task) and return the URL a task refers to it by."""
    body = api("POST", f"api/projects/{project_id}/import", params={"commit_to_project": "false"},
               files={"file": (name, data, mime)})
    ids = (body or {}).get("file_upload_ids") or []
    if not ids:
        raise LabelStudioError(f"upload of {name!r}: the server returned no file upload id: {body}")
    upload = api("GET", f"api/import/file-upload/{ids[0]}")
    url = upload.get("file")
    if not url:
        raise LabelStudioError(f"upload of {name!r}: the server's file upload {ids[0]} has no URL: {upload}")
    if not url.startswith("/") and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        url = "/data/" + url  # the API gives the storage name; tasks refer to MEDIA_URL + name, as an import does
    return url


# ------------------------------------------------------------------------------------------------ push
def push(source: Any, url: str, api_key: str, project: Any, *, config: Any = None, id_column: Any = None,
         upload: bool = True, predictions: bool = True, client: Any = None) -> dict:
    """Create or update a Label Studio project from a Labeler, a DataFrame (with an `annotations` column, e.g.
    `lab.to_pandas()` or `read_label_studio(...)`) or a list of Label Studio tasks.

    `project`: an id (int) or a title (str; created when no project has it). The labeling config comes from
    `config=`, else the Labeler / `df.attrs["nblabel"]`, else the server's project; a different config replaces
    the project's (the server refuses one that would orphan existing labels). Returns a summary dict:
    `{"project", "url", "tasks_created", "tasks_updated", "annotations_created", "annotations_updated",
    "predictions_created", "files_uploaded"}`.
    """
    from ._config import parse_config
    from ._media import media_fields

    tasks, xml = _local_tasks(source, config, id_column)
    keys = [_key(t["meta"]["nblabel_id"]) for t in tasks]
    if len(set(keys)) != len(keys):
        seen: set = set()
        dup = next(k for k in keys if k in seen or seen.add(k))
        raise ValueError(f"duplicate task id {dup} in what is pushed")
    # Everything that can be refused locally is refused before the server is touched.
    spots = _check_media(tasks, media_fields(parse_config(xml)), upload) if xml is not None else None
    api = _Api(client if client is not None else connect(url, api_key))
    proj = _resolve_project(api, project, xml, create=True)
    pid = proj["id"]
    if xml is not None and _norm_xml(proj.get("label_config")) != _norm_xml(xml):
        proj = api("PATCH", f"api/projects/{pid}", json={"label_config": xml})
    if spots is None:  # the config comes from the server's project
        spots = _check_media(tasks, media_fields(parse_config(proj["label_config"])), upload)
    server = {}
    for t in _server_tasks(api, pid):
        meta = t.get("meta") if isinstance(t.get("meta"), dict) else {}
        if "nblabel_id" in meta:
            server.setdefault(_key(meta["nblabel_id"]), t)
    summary = {"project": pid, "url": f"{api.client._client_wrapper.get_base_url()}/projects/{pid}",
               "tasks_created": 0, "tasks_updated": 0, "annotations_created": 0, "annotations_updated": 0,
               "predictions_created": 0, "files_uploaded": 0}

    _place_media(api, pid, tasks, keys, spots, server, summary)
    members = _members(api)

    new = []
    for task, key in zip(tasks, keys):
        task.pop("id", None)  # the server numbers its own tasks
        task.pop("_copied", None)
        meta = {k: v for k, v in task.get("meta", {}).items() if k not in ("nblabel_sent",)}
        local_anns = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        local_preds = [p for p in task.get("predictions") or [] if isinstance(p, dict)] if predictions else []
        found = server.get(key)
        if found is None:
            sent = {}
            for ann in local_anns:
                lk = _local_key(ann)
                if lk is not None:
                    sent[lk] = _ann_fp(ann)
            if sent:
                meta["nblabel_sent"] = sent
            new.append({"data": task["data"], "meta": meta,
                        "annotations": [_ann_payload(a, members, False) for a in local_anns],
                        "predictions": [_pred_payload(p) for p in local_preds]})
            summary["annotations_created"] += len(local_anns)
            summary["predictions_created"] += len(local_preds)
        else:
            _update_task(api, found, task["data"], meta, local_anns, local_preds, members, summary)
    for start in range(0, len(new), _IMPORT_BATCH):
        batch = new[start:start + _IMPORT_BATCH]
        api("POST", f"api/projects/{pid}/import", json=batch, params={"commit_to_project": "true"})
        summary["tasks_created"] += len(batch)
    return summary


def _norm_xml(xml: Any) -> str:
    return re.sub(r"\s+", " ", str(xml or "")).strip()


def _place_media(api: _Api, pid: int, tasks: list[dict], keys: list[str], spots: list, server: dict,
                 summary: dict) -> None:
    """Upload local media (once: a task already on the server keeps its upload while the bytes are the same) and
    put the server's URL in the task data; `meta.nblabel_media` remembers digest → URL per field."""
    for pos, field, index in spots:
        task = tasks[pos]
        if not task.get("_copied"):  # the caller's dicts (a list of tasks) are never written to
            task["data"], task["meta"], task["_copied"] = dict(task["data"]), dict(task["meta"]), True
        value = task["data"][field] if index is None else task["data"][field][index]
        data, mime, name = _media_bytes(value)
        digest = hashlib.sha256(data).hexdigest()[:32]
        slot = field if index is None else f"{field}[{index}]"
        found = server.get(keys[pos])
        known = ((found or {}).get("meta") or {}).get("nblabel_media") or {}
        entry = known.get(slot)
        if isinstance(entry, dict) and entry.get("sha256") == digest and entry.get("url"):
            url = entry["url"]
        else:
            url = _upload(api, pid, data, mime, name)
            summary["files_uploaded"] += 1
        if index is None:
            task["data"][field] = url
        else:
            task["data"][field] = list(task["data"][field])
            task["data"][field][index] = url
        task["meta"].setdefault("nblabel_media", dict(known))[slot] = {"sha256": digest, "url": url}


_ANN_KEYS = ("result", "was_cancelled", "ground_truth", "lead_time", "completed_by")


def _ann_payload(ann: dict, members: dict, by_id: bool) -> dict:
    """What the server takes for one annotation. `completed_by` keeps the annotator when the server knows them
    (an organisation member with that email, or that user id); otherwise the server records the pushing user.
    `by_id`: the annotation API wants a user id, the import an `{"email"}`."""
    out = {k: ann[k] for k in _ANN_KEYS if k in ann and ann[k] is not None}
    out.setdefault("result", [])
    out["was_cancelled"] = bool(ann.get("was_cancelled"))
    out["ground_truth"] = bool(ann.get("ground_truth"))  # the server's import would mark it ground truth
    by = out.pop("completed_by", None)
    email = by.get("email") if isinstance(by, dict) else None
    user = members.get(email) if email else (by if type(by) is int and by in members.values() else None)
    if user is not None:
        out["completed_by"] = user if by_id else {"email": next(e for e, i in members.items() if i == user)}
    return out


def _members(api: _Api) -> dict[str, int]:
    """email → user id of the server's users (annotators keep their names when they have an account)."""
    try:
        users = api("GET", "api/users")
    except LabelStudioError:
        return {}
    users = users.get("results", []) if isinstance(users, dict) else users or []
    return {u["email"]: u["id"] for u in users if isinstance(u, dict) and u.get("email") and "id" in u}


def _pred_payload(pred: dict) -> dict:
    out = {"result": pred.get("result") or []}
    if pred.get("score") is not None:
        out["score"] = pred["score"]
    if pred.get("model_version"):
        out["model_version"] = str(pred["model_version"])
    return out


def _update_task(api: _Api, found: dict, data: dict, meta: dict, anns: list[dict], preds: list[dict],
                 members: dict, summary: dict) -> None:
    tid = found["id"]
    server_meta = found.get("meta") if isinstance(found.get("meta"), dict) else {}
    sent = dict(server_meta.get("nblabel_sent") or {})
    server_anns = [a for a in found.get("annotations") or [] if isinstance(a, dict)]
    # Content is counted, not just seen: two annotators may well submit the same labels.
    by_fp: dict[str, list[int]] = {}
    for a in server_anns:
        by_fp.setdefault(_ann_fp(a), []).append(a["id"])
    pending = []
    for ann in anns:  # sent before and unchanged: nothing to do
        fp, lk = _ann_fp(ann), _local_key(ann)
        if lk is not None and sent.get(lk) == fp and by_fp.get(fp):
            by_fp[fp].pop()
        else:
            pending.append((ann, fp, lk))
    for ann, fp, lk in pending:
        old = sent.get(lk) if lk is not None else None
        if by_fp.get(fp):  # this content is on the server already (e.g. a pulled frame pushed back)
            by_fp[fp].pop()
        elif old is not None and by_fp.get(old):  # sent before, changed here since: update it in place
            target = by_fp[old].pop(0)
            api("PATCH", f"api/annotations/{target}", json=_ann_payload(ann, members, True))
            summary["annotations_updated"] += 1
        else:
            payload = _ann_payload(ann, members, True)
            api("POST", f"api/tasks/{tid}/annotations", json=payload,
                params={"was_cancelled": "1"} if payload["was_cancelled"] else None)
            summary["annotations_created"] += 1
        if lk is not None:
            sent[lk] = fp
    server_preds = {_pred_fp(p) for p in found.get("predictions") or [] if isinstance(p, dict)}
    for pred in preds:
        fp = _pred_fp(pred)
        if fp not in server_preds:
            api("POST", "api/predictions", json={**_pred_payload(pred), "task": tid})
            server_preds.add(fp)
            summary["predictions_created"] += 1
    if sent:
        meta["nblabel_sent"] = sent
    if found.get("data") != data or server_meta != meta:
        api("PATCH", f"api/tasks/{tid}", json={"data": data, "meta": meta})
        summary["tasks_updated"] += 1


# ------------------------------------------------------------------------------------------------ pull
def pull(url: str, api_key: str, project: Any, *, client: Any = None) -> pd.DataFrame:
    """A project's tasks, annotations and predictions as a DataFrame, like `read_label_studio` (offsets in code
    points, one simple column per control, `df.attrs["nblabel"]` with the project's config), indexed by
    `meta.nblabel_id` where a task has one (a task made in Label Studio keeps its server id).
    `df.attrs["nblabel"]["label_studio"]` records the url, project id and each row's server task id."""
    from .formats import read_label_studio

    api = _Api(client if client is not None else connect(url, api_key))
    proj = _resolve_project(api, project, None, create=False)
    raw = _server_tasks(api, proj["id"])
    tasks, index, server_ids = [], [], []
    for t in raw:
        meta = t.get("meta") if isinstance(t.get("meta"), dict) else {}
        ident = meta.get("nblabel_id", t["id"])
        index.append(tuple(ident) if isinstance(ident, list) else ident)
        server_ids.append(t["id"])
        rest = {k: v for k, v in meta.items() if k not in _INTERNAL}
        task = {k: v for k, v in t.items() if k not in ("meta",)}
        if rest:
            task["meta"] = rest
        tasks.append(task)
    df = read_label_studio(tasks, config=proj.get("label_config") or None)
    if index:
        df.index = (pd.MultiIndex.from_tuples(index) if all(isinstance(i, tuple) for i in index)
                    else pd.Index(index))
    if len(set(df.index)) != len(df):
        seen: set = set()
        dup = next(i for i in df.index if i in seen or seen.add(i))
        raise ValueError(f"project {proj['id']}: two tasks carry meta.nblabel_id {dup!r}")
    df.attrs["nblabel"]["label_studio"] = {"url": url.rstrip("/"), "project": proj["id"],
                                           "task_ids": server_ids}
    return df

"""Move a project to and from a Label Studio server: `push` and `pull`, through `label-studio-sdk`.

    summary = nblabel.label_studio.push(lab_or_df, "http://localhost:8080", api_key, project="Reviews")
    df = nblabel.label_studio.pull("http://localhost:8080", api_key, project="Reviews")

Rules:
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
- annotators: an annotation's `completed_by` (`{"email": ...}` from a Labeler, or a member's user id) becomes the
  server user with that email (exact, else the one case-insensitive match); with `create_users=True` a missing
  one is created (`POST /api/users`: an organisation member without a password). An annotator with no account is
  attributed to the token's user, and the original `completed_by` is kept in the task's
  `meta.nblabel_annotators` (server annotation id, or `import:<import_id>` for imported ones → original value),
  which `pull` reads back: pulling gives every annotation the `completed_by` it was pushed with, and
  `{"email": ...}` of the server user for annotations made in Label Studio;
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
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from .config._parse import Config, parse_config
from .formats import _json
from .formats._frame import frame_from_tasks, read_frame
from .formats._read import read_label_studio
from .tasks._media import is_local, media_fields, to_bytes

__all__ = ["LabelStudioError", "TaskProvider", "connect", "pull", "push"]

_PAGE = 500  # tasks per page when listing
_IMPORT_BATCH = 1000  # tasks per import request (the server takes up to 250k / 200 MB)
_INTERNAL = ("nblabel_id", "nblabel_sent", "nblabel_media", "nblabel_annotators")
_SERVER_KEPT = ("nblabel_sent", "nblabel_annotators")  # bookkeeping the server's copy of a task owns
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
@runtime_checkable
class TaskProvider(Protocol):
    """What `push` needs from a Labeler (or anything else that labels): its config and its tasks as Label Studio
    JSON (UTF-16 offsets, `meta.nblabel_id`)."""

    @property
    def config(self) -> Config:
        """The labeling config the tasks were labeled with (sent to the project)."""

    def to_label_studio(self) -> list[dict]:
        """The tasks with their annotations and predictions, as Label Studio JSON."""


def _local_tasks(source: Any, config: Any, id_column: Any) -> tuple[list[dict], str | None]:
    """(LS task dicts with UTF-16 offsets and meta.nblabel_id, config XML or None) for a Labeler, a DataFrame or a
    list of Label Studio task dicts."""
    if isinstance(source, pd.DataFrame):
        frame = read_frame(source, config, id_column=id_column)
        return _json.tasks(frame), frame.config.xml if frame.config is not None else None
    if isinstance(source, list):
        frame = frame_from_tasks(source, config)
        return _json.tasks(frame), frame.config.xml if frame.config is not None else None
    if isinstance(source, TaskProvider):
        xml = source.config.xml if config is None else _xml(config)
        return source.to_label_studio(), xml
    raise TypeError(f"push() takes a Labeler, a DataFrame (e.g. lab.to_pandas() or read_label_studio(...)) or a "
                    f"list of Label Studio tasks, not {type(source).__name__}")


def _xml(config: Any) -> str:
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
    if isinstance(value, str):
        return bool(_DATA_URI.match(value)) or is_local(value)
    return is_local(value)


def _media_bytes(value: Any) -> tuple[bytes, str, str]:
    """(bytes, mime, file name) of a local media value."""
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
         upload: bool = True, predictions: bool = True, create_users: bool = False, client: Any = None) -> dict:
    """Create or update a Label Studio project from a Labeler, a DataFrame (with an `annotations` column, e.g.
    `lab.to_pandas()` or `read_label_studio(...)`) or a list of Label Studio tasks.

    `project`: an id (int) or a title (str; created when no project has it). The labeling config comes from
    `config=`, else the Labeler / `df.attrs["nblabel"]`, else the server's project; a different config replaces
    the project's (the server refuses one that would orphan existing labels).

    Annotators: each annotation's `completed_by` (a Labeler writes `{"email": ...}`, see `annotator_emails=`)
    is attributed to the server user with that email (exact match, else the only case-insensitive one) or that
    member's user id. `create_users=True` first creates the missing ones (`POST /api/users`: organisation
    members without a password, who cannot log in until an admin gives them one; the token's user must be
    allowed to manage the organisation). Any other annotator's annotations are attributed to the token's user,
    and their original `completed_by` is kept in the task's `meta.nblabel_annotators` (server annotation id,
    or `import:<import_id>`, → original value) so that `pull` gives it back. A later push attributes them to
    the right user once an account exists. Pushing again never duplicates an annotation: unchanged content by
    the same annotator is not sent twice.

    Returns a summary dict: `{"project", "url", "tasks_created", "tasks_updated", "annotations_created",
    "annotations_updated", "predictions_created", "files_uploaded", "users_created", "annotators_unmatched"}`;
    `annotators_unmatched` lists (sorted, as text) the annotators of what this push sent or re-attributed that
    have no account and were kept in task meta.
    """
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
               "predictions_created": 0, "files_uploaded": 0, "users_created": 0, "annotators_unmatched": []}

    _place_media(api, pid, tasks, keys, spots, server, summary)
    users = _Users(api, create=create_users)

    new = []
    for task, key in zip(tasks, keys):
        task.pop("id", None)  # the server numbers its own tasks
        task.pop("_copied", None)
        meta = {k: v for k, v in task.get("meta", {}).items() if k not in _SERVER_KEPT}
        local_anns = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        local_preds = [p for p in task.get("predictions") or [] if isinstance(p, dict)] if predictions else []
        found = server.get(key)
        if found is None:
            new.append(_new_task(task["data"], meta, local_anns, local_preds, users))
            summary["annotations_created"] += len(local_anns)
            summary["predictions_created"] += len(local_preds)
        else:
            _update_task(api, found, task["data"], meta, local_anns, local_preds, users, summary)
    for start in range(0, len(new), _IMPORT_BATCH):
        batch = new[start:start + _IMPORT_BATCH]
        api("POST", f"api/projects/{pid}/import", json=batch, params={"commit_to_project": "true"})
        summary["tasks_created"] += len(batch)
    summary["users_created"] = len(users.created)
    summary["annotators_unmatched"] = sorted(users.unmatched)
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


_ANN_KEYS = ("result", "was_cancelled", "ground_truth", "lead_time")


class _Users:
    """The organisation's users (`GET /api/users`: the members of the token's active organisation) as push and
    pull see them: who a `completed_by` is on the server, and what `pull` shows for a server user."""

    def __init__(self, api: _Api, create: bool = False) -> None:
        self.api, self.create = api, create
        self.by_id: dict[int, str] = {}
        self.by_email: dict[str, int] = {}
        self.by_fold: dict[str, list[int]] = {}
        self.created: list[str] = []
        self.unmatched: set[str] = set()
        self._refused: set[str] = set()
        self._loaded = False

    def _load(self) -> None:
        """Listed on first use: a push without annotations asks nothing."""
        if self._loaded:
            return
        self._loaded = True
        try:
            body = self.api("GET", "api/users")
        except LabelStudioError:  # not allowed to list users: nobody is matched, every name is kept in meta
            body = []
        for u in body.get("results", []) if isinstance(body, dict) else body or []:
            if isinstance(u, dict):
                self._add(u.get("id"), u.get("email"))

    def _add(self, uid: Any, email: Any) -> None:
        # A removed member is listed with email "Deleted": only real addresses identify someone.
        if type(uid) is int and isinstance(email, str) and "@" in email:
            self.by_id[uid] = email
            self.by_email.setdefault(email, uid)
            self.by_fold.setdefault(email.casefold(), []).append(uid)

    def resolve(self, by: Any) -> int | None:
        """The server user id an annotator (`completed_by`) is, creating the user when asked; None if none."""
        self._load()
        email = by.get("email") if isinstance(by, dict) else None
        if isinstance(email, str) and email:
            uid = self.by_email.get(email)
            if uid is None:
                folded = self.by_fold.get(email.casefold(), [])
                uid = folded[0] if len(folded) == 1 else None
            if uid is None and self.create:
                uid = self._create(email)
            return uid
        ident = by.get("id") if isinstance(by, dict) else by
        return ident if type(ident) is int and ident in self.by_id else None

    def _create(self, email: str) -> int | None:
        if email in self._refused or not re.match(r"^[^@\s]+@[^@\s]+$", email):
            return None
        try:  # the server adds the new user to the token's organisation
            user = self.api("POST", "api/users", json={"email": email, "username": email.split("@")[0]})
        except LabelStudioError:  # e.g. an address the server finds invalid, or taken in another organisation
            self._refused.add(email)
            return None
        self._add(user.get("id"), user.get("email"))
        if user.get("id") in self.by_id:
            self.created.append(email)
            return user["id"]
        return None

    def shown(self, uid: Any) -> Any:
        """What `pull` gives as `completed_by` for a server user id."""
        self._load()
        return {"email": self.by_id[uid]} if type(uid) is int and uid in self.by_id else uid

    def pulled(self, ann: dict, records: dict) -> Any:
        """The `completed_by` `pull` gives a server annotation: the one it was pushed with (task meta), else the
        server user's `{"email": ...}`."""
        found, value = _record(ann, records)
        if found:
            return value
        by = ann.get("completed_by")
        uid = by.get("id") if isinstance(by, dict) else by
        self._load()
        if type(uid) is int and uid in self.by_id:
            return self.shown(uid)
        if isinstance(by, dict) and by.get("email"):
            return {"email": by["email"]}
        return by

    def attribution(self, by: Any) -> tuple[int | None, Any]:
        """(server user id or None, the value to keep in task meta or None) for a local `completed_by`."""
        if by is None:
            return None, None
        uid = self.resolve(by)
        if uid is None:
            self.unmatched.add(_display(by))
        return uid, (by if uid is None or self.shown(uid) != by else None)


def _display(by: Any) -> str:
    email = by.get("email") if isinstance(by, dict) else None
    return email if isinstance(email, str) and email else str(by)


def _record_keys(ann: dict) -> list[str]:
    keys = [str(ann.get("id"))]
    if ann.get("import_id") is not None:
        keys.append(f"import:{ann['import_id']}")
    return keys


def _record(ann: dict, records: dict) -> tuple[bool, Any]:
    for k in _record_keys(ann):
        if k in records:
            return True, records[k]
    return False, None


def _who(by: Any) -> str | None:
    return None if by is None else _key(by)


def _ann_payload(ann: dict, users: _Users) -> tuple[dict, Any]:
    """(what the server takes for one annotation, the annotator to keep in task meta or None). `completed_by`
    is the server user the annotator is, if any (the import and the annotation API both take a member's id);
    otherwise the server records the pushing user."""
    out = {k: ann[k] for k in _ANN_KEYS if k in ann and ann[k] is not None}
    out.setdefault("result", [])
    out["was_cancelled"] = bool(ann.get("was_cancelled"))
    out["ground_truth"] = bool(ann.get("ground_truth"))  # the server's import would mark it ground truth
    uid, keep = users.attribution(ann.get("completed_by"))
    if uid is not None:
        out["completed_by"] = uid
    return out, keep


def _new_task(data: dict, meta: dict, anns: list[dict], preds: list[dict], users: _Users) -> dict:
    """An import entry. Each annotation's `id` becomes the server's `import_id` (Label Studio's own "original
    annotation id"): the local id when every one of the task's is a distinct int, else its position when an
    annotator must be kept in meta, which then names it `import:<id>`."""
    sent, payloads, keeps = {}, [], []
    for ann in anns:
        lk = _local_key(ann)
        if lk is not None:
            sent[lk] = _ann_fp(ann)
        payload, keep = _ann_payload(ann, users)
        payloads.append(payload)
        keeps.append(keep)
    ids = [a.get("id") for a in anns]
    if all(type(i) is int for i in ids) and len(set(ids)) == len(ids):
        import_ids = ids
    elif any(k is not None for k in keeps):
        import_ids = list(range(1, len(anns) + 1))
    else:
        import_ids = [None] * len(anns)
    records = {}
    for payload, keep, iid in zip(payloads, keeps, import_ids):
        if iid is not None:
            payload["id"] = iid
        if keep is not None:
            records[f"import:{iid}"] = keep
    if sent:
        meta["nblabel_sent"] = sent
    if records:
        meta["nblabel_annotators"] = records
    return {"data": data, "meta": meta, "annotations": payloads, "predictions": [_pred_payload(p) for p in preds]}


def _pred_payload(pred: dict) -> dict:
    out = {"result": pred.get("result") or []}
    if pred.get("score") is not None:
        out["score"] = pred["score"]
    if pred.get("model_version"):
        out["model_version"] = str(pred["model_version"])
    return out


def _update_task(api: _Api, found: dict, data: dict, meta: dict, anns: list[dict], preds: list[dict],
                 users: _Users, summary: dict) -> None:
    tid = found["id"]
    server_meta = found.get("meta") if isinstance(found.get("meta"), dict) else {}
    sent = dict(server_meta.get("nblabel_sent") or {})
    records = dict(server_meta.get("nblabel_annotators") or {})
    # Content is counted, not just seen, and its annotator compared: two annotators may well submit the same
    # labels. `who` is the `completed_by` pull would give the server annotation.
    by_fp: dict[str, list[dict]] = {}
    for a in found.get("annotations") or []:
        if isinstance(a, dict):
            by_fp.setdefault(_ann_fp(a), []).append(
                {"ann": a, "who": _who(users.pulled(a, records)), "uid": _user_id(a.get("completed_by"))})

    def take(fp: str, who: str | None, same_annotator: bool) -> dict | None:
        entries = by_fp.get(fp) or []
        for i, entry in enumerate(entries):
            if who is None or entry["who"] == who:
                return entries.pop(i)
        return entries.pop(0) if entries and not same_annotator else None

    pending, matched = [], []
    for ann in anns:  # sent before and unchanged: nothing to send
        fp, lk, who = _ann_fp(ann), _local_key(ann), _who(ann.get("completed_by"))
        entry = take(fp, who, False) if lk is not None and sent.get(lk) == fp else None
        if entry is not None:
            matched.append((ann, entry))
        else:
            pending.append((ann, fp, lk, who))
    for ann, fp, lk, who in pending:
        old = sent.get(lk) if lk is not None else None
        entry = take(fp, who, True)
        if entry is not None:  # this content by this annotator is on the server already (e.g. a pulled frame)
            matched.append((ann, entry))
        elif old is not None and (entry := take(old, who, False)) is not None:
            # sent before, changed here since: update it in place
            target = entry["ann"]
            payload, keep = _ann_payload(ann, users)
            api("PATCH", f"api/annotations/{target['id']}", json=payload)
            _set_record(records, target, keep)
            summary["annotations_updated"] += 1
        else:
            payload, keep = _ann_payload(ann, users)
            created = api("POST", f"api/tasks/{tid}/annotations", json=payload,
                          params={"was_cancelled": "1"} if payload["was_cancelled"] else None)
            if isinstance(created, dict) and "id" in created:
                _set_record(records, created, keep)
            summary["annotations_created"] += 1
        if lk is not None:
            sent[lk] = fp
    for ann, entry in matched:  # on the server already: attributed as the local annotation says?
        by = ann.get("completed_by")
        held, value = _record(entry["ann"], records)
        if by is None or (entry["who"] == _who(by) and not held):
            continue  # the server's own user is this annotator
        uid = users.resolve(by)  # an account may exist now (or be created with create_users=True)
        if uid is not None and uid != entry["uid"]:
            api("PATCH", f"api/annotations/{entry['ann']['id']}", json={"completed_by": uid})
            entry["uid"] = uid
            summary["annotations_updated"] += 1
        keep = by if users.shown(entry["uid"]) != by else None
        if (held, value) != (keep is not None, keep):
            if keep is not None:
                users.unmatched.add(_display(by))
            _set_record(records, entry["ann"], keep)
    server_preds = {_pred_fp(p) for p in found.get("predictions") or [] if isinstance(p, dict)}
    for pred in preds:
        fp = _pred_fp(pred)
        if fp not in server_preds:
            api("POST", "api/predictions", json={**_pred_payload(pred), "task": tid})
            server_preds.add(fp)
            summary["predictions_created"] += 1
    if sent:
        meta["nblabel_sent"] = sent
    if records:
        meta["nblabel_annotators"] = records
    if found.get("data") != data or server_meta != meta:
        api("PATCH", f"api/tasks/{tid}", json={"data": data, "meta": meta})
        summary["tasks_updated"] += 1


def _user_id(by: Any) -> int | None:
    uid = by.get("id") if isinstance(by, dict) else by
    return uid if type(uid) is int else None


def _set_record(records: dict, ann: dict, keep: Any) -> None:
    """Keep (or forget, with None) the original annotator of a server annotation in the task's records."""
    for k in _record_keys(ann):
        records.pop(k, None)
    if keep is not None:
        records[str(ann["id"])] = keep


# ------------------------------------------------------------------------------------------------ pull
def pull(url: str, api_key: str, project: Any, *, client: Any = None) -> pd.DataFrame:
    """A project's tasks, annotations and predictions as a DataFrame, like `read_label_studio` (offsets in code
    points, one simple column per control, `df.attrs["nblabel"]` with the project's config), indexed by
    `meta.nblabel_id` where a task has one (a task made in Label Studio keeps its server id).
    `df.attrs["nblabel"]["label_studio"]` records the url, project id and each row's server task id.

    Annotators: an annotation pushed by `push` has the `completed_by` it was pushed with, also when its
    annotator had no account and the server attributes it to the pushing user (the name is kept in the task's
    `meta.nblabel_annotators`); any other annotation has `{"email": ...}` of its server user (the server's
    user id when the token may not list users or the user has left). So a pushed Labeler or frame comes back
    with the same annotators, and pushing the pulled frame back adds nothing."""
    api = _Api(client if client is not None else connect(url, api_key))
    proj = _resolve_project(api, project, None, create=False)
    raw = _server_tasks(api, proj["id"])
    users = _Users(api)
    tasks, index, server_ids = [], [], []
    for t in raw:
        meta = t.get("meta") if isinstance(t.get("meta"), dict) else {}
        ident = meta.get("nblabel_id", t["id"])
        index.append(tuple(ident) if isinstance(ident, list) else ident)
        server_ids.append(t["id"])
        rest = {k: v for k, v in meta.items() if k not in _INTERNAL}
        task = {k: v for k, v in t.items() if k not in ("meta",)}
        if isinstance(task.get("annotations"), list):
            records = meta.get("nblabel_annotators") if isinstance(meta.get("nblabel_annotators"), dict) else {}
            task["annotations"] = [{**a, "completed_by": users.pulled(a, records)} if isinstance(a, dict) else a
                                   for a in task["annotations"]]
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

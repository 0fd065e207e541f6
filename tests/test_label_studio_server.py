"""nblabel.label_studio against a real Label Studio server: push, push again, pull.

The server is `label-studio` from PyPI (installed with uv, itself from PyPI; pip if that fails) in its own virtual
environment, cached with a migrated database (the slow part of a first start) under
~/.cache/nblabel-ls-venv/<version> — or $NBLABEL_LS_CACHE — so later runs only start it. It listens on 127.0.0.1
with a temporary data dir and SQLite. Authentication uses both flows Label Studio 1.23 has: a legacy token (enabled
for the test organisation) and a personal access token (a JWT refresh token). Skipped, with the reason, only when
the install fails for lack of network. To iterate against a server already running: NBLABEL_LS_TEST_URL,
NBLABEL_LS_TEST_TOKEN (its legacy token) and NBLABEL_LS_TEST_PAT. Run with -s to see the timings.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import nblabel
from helpers import file_lock
from ls_templates import CACHE, LS_VERSION  # one version and one cache for the server and the template tests
from nblabel import label_studio as ls

USER, PASSWORD, TOKEN = "admin@nblabel.local", "nblabel-test-pw", "nblabeltesttoken0123456789"
_OFFLINE = ("Failed to establish a new connection", "Temporary failure in name resolution", "Name or service not known",
            "Network is unreachable", "No matching distribution found for label-studio", "ProxyError",
            "ConnectTimeoutError", "Read timed out", "Could not fetch URL", "connection refused",
            "dns error", "error sending request", "Failed to fetch")
TIMINGS: dict[str, float] = {}
RUN = time.strftime("%H%M%S")  # project titles differ between runs on a reused server (NBLABEL_LS_TEST_URL)
# The SDK's token refresh calls a pydantic-1 method; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The `parse_obj` method is deprecated:DeprecationWarning")


def _say(message: str) -> None:
    print(f"[label-studio] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------ the server
def _ensure_venv() -> Path:
    with file_lock(CACHE / ".lock"):  # one installer at a time
        return _install()


def _install() -> Path:
    venv = CACHE / "venv"
    done = venv / ".nblabel-complete"
    if done.exists() and (venv / "bin" / "python").resolve().exists():  # (a removed base Python breaks a venv)
        return venv
    shutil.rmtree(venv, ignore_errors=True)  # a half-finished or broken install
    shutil.rmtree(CACHE / "data-template", ignore_errors=True)
    t0 = time.perf_counter()
    _say(f"installing label-studio=={LS_VERSION} into {venv} (first run only; a few minutes)")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # uv, itself from PyPI: parallel downloads and no byte-compiling make the ~1 GB install 4x faster than pip here
    # (about 3.5 min against 15 on a busy 2-CPU machine). pip is the fallback.
    uv = CACHE / "uv"
    steps = []
    if not (uv / "uv").is_dir():
        steps.append([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade",
                      "--target", str(uv), "uv"])
    steps.append([sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                  f"label-studio=={LS_VERSION}"])
    out = ""
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1500,
                              env={**os.environ, "PYTHONPATH": str(uv)})
        out += proc.stdout + proc.stderr
        if proc.returncode != 0:
            break
    else:
        proc = None
    if proc is not None:  # uv failed: pip, as before
        _say(f"uv failed ({out.strip()[-300:]}); trying pip")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--progress-bar",
                               "off", "--disable-pip-version-check", "--no-compile", f"label-studio=={LS_VERSION}"],
                              capture_output=True, text=True, timeout=1800)
        out += proc.stdout + proc.stderr
        if proc.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            if any(s.lower() in out.lower() for s in _OFFLINE):
                pytest.skip(f"cannot install label-studio=={LS_VERSION} from PyPI (no network): {out.strip()[-400:]}")
            raise RuntimeError(f"installing label-studio=={LS_VERSION} failed:\n{out[-3000:]}")
    TIMINGS["install_s"] = time.perf_counter() - t0
    _say(f"installed in {TIMINGS['install_s']:.0f} s")
    done.write_text(LS_VERSION)
    return venv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def _snapshot(data_dir: Path, template: Path) -> None:
    """Keep the freshly migrated database (user, legacy token, organisation) for the next runs."""
    tmp = template.with_name(f"{template.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copy2(data_dir / ".env", tmp / ".env")  # SECRET_KEY: tokens are signed with it
    src, dst = sqlite3.connect(data_dir / "label_studio.sqlite3"), sqlite3.connect(tmp / "label_studio.sqlite3")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    try:
        tmp.rename(template)
    except OSError:  # another session was quicker: its template is as good
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if os.environ.get("NBLABEL_LS_TEST_URL"):  # a server already running (its legacy token): for quick iterations
        url, token = os.environ["NBLABEL_LS_TEST_URL"].rstrip("/"), os.environ["NBLABEL_LS_TEST_TOKEN"]
        _http(url, "POST", "/api/jwt/settings", token, {"api_tokens_enabled": True, "legacy_api_tokens_enabled": True})
        tokens = _http(url, "GET", "/api/token/", token)
        pat = _http(url, "POST", "/api/token/", token)["token"] if not tokens else os.environ["NBLABEL_LS_TEST_PAT"]
        yield {"url": url, "legacy": token, "pat": pat}
        return
    venv = _ensure_venv()
    template = CACHE / "data-template"
    data_dir = tmp_path_factory.mktemp("label-studio-data")
    cold = not (template / "label_studio.sqlite3").exists()
    if not cold:
        for f in template.iterdir():
            shutil.copy2(f, data_dir / f.name)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "DJANGO_DB": "sqlite",
           "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true", "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
           "LABEL_STUDIO_USERNAME": USER, "LABEL_STUDIO_PASSWORD": PASSWORD, "LABEL_STUDIO_USER_TOKEN": TOKEN,
           "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "COLLECT_ANALYTICS": "false"}
    log = open(data_dir.parent / f"label-studio-{port}.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(venv / "bin" / "label-studio"), "start", "--no-browser", "--internal-host", "127.0.0.1", "-p", str(port),
         "--data-dir", str(data_dir), "--username", USER, "--password", PASSWORD, "--user-token", TOKEN,
         "--enable-legacy-api-token", "--log-level", "WARNING"],
        cwd=data_dir, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    try:
        deadline = time.monotonic() + (900 if cold else 300)  # a first start migrates a new database
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = Path(log.name).read_text()[-3000:]
                raise RuntimeError(f"Label Studio did not come up on {url} (exit {proc.poll()}):\n{tail}")
            time.sleep(0.5)
        TIMINGS["start_cold_s" if cold else "start_s"] = time.perf_counter() - t0
        how = "cold: migrated a new database" if cold else "cached database"
        _say(f"server up on {url} in {time.perf_counter() - t0:.0f} s ({how})")
        if cold:
            _snapshot(data_dir, template)
        # A personal access token (JWT refresh token), made with the legacy token.
        body = _http(url, "POST", "/api/token/", TOKEN)
        yield {"url": url, "legacy": TOKEN, "pat": body["token"]}
    finally:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, 9)
        log.close()
        _say("timings: " + ", ".join(f"{k} {v:.1f}" for k, v in TIMINGS.items()))


def _http(url: str, method: str, path: str, token: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(f"{url}{path}", method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        raw = r.read()
    return json.loads(raw) if raw else {}


def _raw_tasks(server: dict, project: int) -> list[dict]:
    body = _http(server["url"], "GET", f"/api/tasks?project={project}&fields=all&page_size=100", server["legacy"])
    return sorted(body["tasks"], key=lambda t: t["id"])


def _results(df: pd.DataFrame) -> dict:
    return {i: [a["result"] for a in anns] for i, anns in df["annotations"].items()}


def _annotators(df: pd.DataFrame) -> dict:
    """Each task's (annotator, result) pairs, in a stable order: the server lists annotations by its own ids."""
    return {i: sorted((json.dumps(a.get("completed_by"), sort_keys=True), json.dumps(a["result"], sort_keys=True))
                      for a in anns) for i, anns in df["annotations"].items()}


# ------------------------------------------------------------------------------------------------ NER
NER = """<View>
  <Text name="text" value="$text"/>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="LOC"/><Label value="EMO"/></Labels>
</View>"""


def _span(text: str, word: str, label: str, rid: str) -> dict:
    start = text.index(word)  # code points, as DataFrames hold them
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(word), "text": word, "labels": [label]}}


def test_ner_emoji_round_trip(server):
    texts = ["Hi 👋 Alice went to 🇫🇷 Paris", "😀😀 Bob 👨‍👩‍👧 lives in Berlin 🎉", "no emoji, only Carol"]
    df = pd.DataFrame({"text": texts}, index=["t1", "t2", "t3"])
    results = [[_span(texts[0], "Alice", "PER", "a"), _span(texts[0], "Paris", "LOC", "b"),
                _span(texts[0], "🇫🇷", "EMO", "c")],
               [_span(texts[1], "Bob", "PER", "d"), _span(texts[1], "👨‍👩‍👧", "EMO", "e"),
                _span(texts[1], "Berlin", "LOC", "f")],
               []]
    df["annotations"] = [[{"id": i + 1, "unique_id": f"u{i}", "result": r, "was_cancelled": False,
                           "completed_by": {"email": "alice@nblabel.local"}, "lead_time": 2.5}] if r else []
                         for i, r in enumerate(results)]
    df["predictions"] = [[{"result": results[0][:1], "score": 0.75, "model_version": "m1"}], [], []]
    df.attrs["nblabel"] = {"config": NER, "data_columns": ["text"]}

    t0 = time.perf_counter()
    first = ls.push(df, server["url"], server["pat"], project=f"nblabel NER 👋 {RUN}")
    TIMINGS["ner_push_s"] = time.perf_counter() - t0
    assert (first["tasks_created"], first["annotations_created"], first["predictions_created"]) == (3, 2, 1)

    again = ls.push(df, server["url"], server["pat"], project=f"nblabel NER 👋 {RUN}")
    assert again["project"] == first["project"]
    assert {k: v for k, v in again.items() if k not in ("project", "url")} == {**dict.fromkeys(
        ("tasks_created", "tasks_updated", "annotations_created", "annotations_updated", "predictions_created",
         "files_uploaded", "users_created"), 0), "annotators_unmatched": []}

    # On the server: UTF-16 offsets, what the Label Studio editor writes; meta.nblabel_id identifies each task.
    raw = _raw_tasks(server, first["project"])
    assert [t["meta"]["nblabel_id"] for t in raw] == ["t1", "t2", "t3"]
    assert [len(t["annotations"]) for t in raw] == [1, 1, 0] and len(raw[0]["predictions"]) == 1
    paris = next(r for r in raw[0]["annotations"][0]["result"] if r["value"]["text"] == "Paris")["value"]
    assert paris["start"] == len(texts[0][:texts[0].index("Paris")].encode("utf-16-le")) // 2 != texts[0].index("Paris")

    t0 = time.perf_counter()
    back = ls.pull(server["url"], server["legacy"], project=first["project"])  # the legacy token works as well
    TIMINGS["ner_pull_s"] = time.perf_counter() - t0
    assert list(back.index) == ["t1", "t2", "t3"]
    assert back["text"].tolist() == texts
    assert _results(back) == _results(df)  # code points again, emoji and ZWJ sequences included
    assert back["label"].tolist()[:2] == [[r["value"] for r in results[0]], [r["value"] for r in results[1]]]
    assert [[p["result"] for p in ps] for ps in back["predictions"]] == [[results[0][:1]], [], []]
    assert back.attrs["nblabel"]["label_studio"]["project"] == first["project"]
    assert "meta" not in back.columns  # nblabel's bookkeeping stays on the server

    # Pushing the pulled frame back adds nothing; a changed annotation is updated in place, a new one added.
    assert ls.push(back, server["url"], server["pat"], project=first["project"])["annotations_created"] == 0
    changed = df.copy()
    changed["annotations"] = [list(a) for a in df["annotations"]]
    changed.at["t1", "annotations"] = [{**df.at["t1", "annotations"][0], "result": results[0][:2]}]
    changed.at["t3", "annotations"] = [{"id": 9, "unique_id": "u9", "result": [_span(texts[2], "Carol", "PER", "g")],
                                        "was_cancelled": False}]
    bob = {**df.at["t2", "annotations"][0], "id": 10, "unique_id": "u10", "completed_by": {"email": "bob@x.org"}}
    changed.at["t2", "annotations"] = [df.at["t2", "annotations"][0], bob]  # same labels, another annotator
    summary = ls.push(changed, server["url"], server["pat"], project=first["project"])
    assert (summary["annotations_updated"], summary["annotations_created"], summary["tasks_created"]) == (1, 2, 0)
    assert ls.push(changed, server["url"], server["pat"], project=first["project"])["annotations_created"] == 0
    final = ls.pull(server["url"], server["pat"], project=f"nblabel NER 👋 {RUN}")
    assert _results(final) == _results(changed)
    # Neither alice@nblabel.local nor bob@x.org has an account: the server holds the pushing user, pull the names.
    by = {i: [a.get("completed_by") for a in anns] for i, anns in final["annotations"].items()}
    assert _annotators(final.loc[["t1", "t2"]]) == _annotators(changed.loc[["t1", "t2"]])
    assert by["t3"] == [{"email": USER}]  # pushed without an annotator: the pushing user's


# ------------------------------------------------------------------------------------------------ boxes
BOXES = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="cat"/><Label value="dog"/></RectangleLabels>
</View>"""


def _box(rid: str, x: float, label: str) -> dict:
    return {"id": rid, "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
            "original_height": 480, "image_rotation": 0,
            "value": {"x": x, "y": 12.5, "width": 20.0, "height": 30.25, "rotation": 0, "rectanglelabels": [label]}}


def test_boxes_round_trip_from_a_labeler(server):
    df = pd.DataFrame({"image": [f"https://example.com/img/{i}.jpg" for i in range(4)]}, index=[100, 101, 102, 103])
    lab = nblabel.Labeler(df, BOXES, annotator="alice", store=":memory:")
    lab.submit([_box("b1", 10.0, "cat"), _box("b2", 55.5, "dog")])
    lab.submit([_box("b3", 33.3333, "dog")])
    lab.skip()
    first = ls.push(lab, server["url"], server["legacy"], project=f"nblabel boxes {RUN}")
    assert (first["tasks_created"], first["annotations_created"]) == (4, 3)
    again = ls.push(lab, server["url"], server["legacy"], project=f"nblabel boxes {RUN}")
    assert (again["tasks_created"], again["annotations_created"], again["annotations_updated"]) == (0, 0, 0)

    back = ls.pull(server["url"], server["pat"], project=f"nblabel boxes {RUN}")
    mine = lab.to_pandas()
    assert list(back.index) == [100, 101, 102, 103]
    assert back["image"].tolist() == df["image"].tolist()
    assert _results(back) == _results(mine)
    assert [[a["was_cancelled"] for a in anns] for anns in back["annotations"]] == [[False], [False], [True], []]
    assert back["box"].tolist() == mine["box"].tolist()

    lab.submit([_box("b4", 70.0, "cat")])  # labeled later in the notebook: only that one travels
    later = ls.push(lab, server["url"], server["legacy"], project=f"nblabel boxes {RUN}")
    assert (later["tasks_created"], later["annotations_created"]) == (0, 1)
    assert _results(ls.pull(server["url"], server["pat"], project=f"nblabel boxes {RUN}")) == _results(lab.to_pandas())


def test_local_images_are_uploaded(server, tmp_path):
    pil = pytest.importorskip("PIL.Image")
    import numpy as np

    path = tmp_path / "red.png"
    pil.new("RGB", (64, 48), (200, 10, 10)).save(path)
    df = pd.DataFrame({"image": [str(path), np.zeros((48, 64, 3), np.uint8), "https://example.com/x.jpg"]},
                      index=["file", "array", "url"])
    df["annotations"] = [[{"id": 1, "result": [_box("b", 5.0, "cat")]}], [], []]
    df.attrs["nblabel"] = {"config": BOXES, "data_columns": ["image"]}

    with pytest.raises(ValueError, match=r"task 'file', field 'image'.*upload=False"):
        ls.push(df, server["url"], server["pat"], project=f"nblabel uploads {RUN}", upload=False)
    first = ls.push(df, server["url"], server["pat"], project=f"nblabel uploads {RUN}")
    assert first["files_uploaded"] == 2
    assert ls.push(df, server["url"], server["pat"], project=f"nblabel uploads {RUN}")["files_uploaded"] == 0
    back = ls.pull(server["url"], server["pat"], project=f"nblabel uploads {RUN}")
    urls = back["image"].tolist()
    assert urls[0].startswith("/data/upload/") and urls[0].endswith("red.png") and urls[1].startswith("/data/upload/")
    assert urls[2] == "https://example.com/x.jpg"
    req = urllib.request.Request(server["url"] + urls[0], headers={"Authorization": f"Token {server['legacy']}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.read() == path.read_bytes()


def test_annotators_keep_their_names(server, tmp_path):
    """Two annotators on one store. alice has an account on the server: her annotations are hers there. bob has
    none: the server attributes his to the pushing user and his name waits in task meta, which pull reads back.
    create_users=True later makes bob's account and moves his annotations to it. (Uses the legacy token for its
    checks: it comes before the test that turns legacy tokens off.)"""
    url, title = server["url"], f"nblabel annotators {RUN}"
    emails = {"alice": f"alice.{RUN}@example.com", "bob": f"bob.{RUN}@example.com"}
    alice_id = _http(url, "POST", "/api/users", server["legacy"], {"email": emails["alice"], "username": "alice"})["id"]
    admin_id = _http(url, "GET", "/api/current-user/whoami", server["legacy"])["id"]
    texts = ["Alice met Bob in Paris", "Bob 🙂 met Carol", "Carol alone"]
    df = pd.DataFrame({"text": texts}, index=["a", "b", "c"])
    store = str(tmp_path / "two-annotators.nblabel.db")
    alice = nblabel.Labeler(df, NER, annotator="alice", annotator_emails=emails, store=store)
    bob = nblabel.Labeler(df, NER, annotator="bob", annotator_emails=emails, store=store)
    try:
        alice.submit([_span(texts[0], "Paris", "LOC", "p")])
        alice.submit([_span(texts[1], "Carol", "PER", "c")])
        alice.submit([_span(texts[2], "Carol", "PER", "c")])
        bob.submit([_span(texts[0], "Paris", "LOC", "p")])  # the same labels as alice's: still his own annotation
        bob.submit([_span(texts[1], "Bob", "PER", "b")])
        mine = alice.to_pandas()  # every annotator's annotations in the store
        assert [sorted(a["completed_by"]["email"] for a in anns) for anns in mine["annotations"]] == [
            sorted(emails.values()), sorted(emails.values()), [emails["alice"]]]

        t0 = time.perf_counter()
        first = ls.push(alice, url, server["pat"], project=title)
        TIMINGS["annotators_push_s"] = time.perf_counter() - t0
        assert (first["tasks_created"], first["annotations_created"], first["users_created"]) == (3, 5, 0)
        assert first["annotators_unmatched"] == [emails["bob"]]
        raw = _raw_tasks(server, first["project"])
        assert [sorted(a["completed_by"] for a in t["annotations"]) for t in raw] == [
            sorted([alice_id, admin_id]), sorted([alice_id, admin_id]), [alice_id]]
        kept = [v for t in raw for v in (t["meta"].get("nblabel_annotators") or {}).values()]
        assert kept == [{"email": emails["bob"]}] * 2  # visible on the server, in the task's meta

        pid = first["project"]
        again = ls.push(bob, url, server["pat"], project=pid)  # either Labeler: the same store
        assert {k: v for k, v in again.items() if k not in ("project", "url")} == {**dict.fromkeys(
            ("tasks_created", "tasks_updated", "annotations_created", "annotations_updated", "predictions_created",
             "files_uploaded", "users_created"), 0), "annotators_unmatched": []}

        t0 = time.perf_counter()
        back = ls.pull(url, server["pat"], project=pid)
        TIMINGS["annotators_pull_s"] = time.perf_counter() - t0
        assert _annotators(back) == _annotators(mine)
        assert "meta" not in back.columns
        pushed_back = ls.push(back, url, server["pat"], project=pid)  # what pull gave is what is there
        assert (pushed_back["annotations_created"], pushed_back["annotations_updated"]) == (0, 0)

        made = ls.push(bob, url, server["pat"], project=pid, create_users=True)
        assert (made["users_created"], made["annotations_updated"], made["annotations_created"]) == (1, 2, 0)
        assert made["annotators_unmatched"] == []
        users = {u["email"]: u["id"] for u in _http(url, "GET", "/api/users", server["legacy"])}
        raw = _raw_tasks(server, pid)
        assert [sorted(a["completed_by"] for a in t["annotations"]) for t in raw] == [
            sorted([alice_id, users[emails["bob"]]]), sorted([alice_id, users[emails["bob"]]]), [alice_id]]
        assert not any("nblabel_annotators" in t["meta"] for t in raw)  # nothing left to remember
        assert _annotators(ls.pull(url, server["pat"], project=pid)) == _annotators(mine)
    finally:
        alice.close()
        bob.close()


def test_personal_access_token_when_legacy_tokens_are_off(server):
    """Label Studio 1.23's default for new organisations: legacy tokens off, personal access tokens on."""
    _http(server["url"], "POST", "/api/jwt/settings", server["legacy"],
          {"api_tokens_enabled": True, "legacy_api_tokens_enabled": False})
    df = pd.DataFrame({"text": ["🙂 Dana"]}, index=[("a", 1)])
    df["annotations"] = [[{"id": 1, "result": [_span("🙂 Dana", "Dana", "PER", "x")]}]]
    df.attrs["nblabel"] = {"config": NER, "data_columns": ["text"]}
    assert ls.push(df, server["url"], server["pat"], project=f"nblabel PAT {RUN}")["tasks_created"] == 1
    back = ls.pull(server["url"], server["pat"], project=f"nblabel PAT {RUN}")
    assert list(back.index) == [("a", 1)] and _results(back) == _results(df)
    with pytest.raises(ls.LabelStudioError, match="personal access token"):
        ls.pull(server["url"], server["legacy"], project=f"nblabel PAT {RUN}")

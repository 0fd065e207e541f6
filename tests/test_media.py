"""Local media (docs/DESIGN.md "Media"): paths, bytes, PIL images and numpy arrays in a media `$field` travel as a
marker in the task payload and as bytes on a `media` request; nothing else on disk is readable; non-JSON data never
breaks `current`, state messages, the store, `to_pandas()` or exports (in-memory media is written as a data: URI)."""

from __future__ import annotations

import base64
import io
import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from helpers import choice, deliver

import nblabel
from nblabel.tasks._media import MediaServer, is_local
from nblabel.config._parse import parse_config

IMAGE = """<View><Image name="img" value="$image"/><Text name="t" value="$text"/>
<Choices name="c" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices></View>"""
AUDIO = """<View><Audio name="a" value="$audio"/><Choices name="c" toName="a"><Choice value="x"/></Choices></View>"""
PDF = """<View><Pdf name="pdf" value="$pdf"/><Choices name="c" toName="pdf"><Choice value="x"/></Choices></View>"""
PAGES = """<View><Image name="img" valueList="$pages"/>
<Choices name="c" toName="img"><Choice value="x"/></Choices></View>"""


def rgb(h=12, w=20, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def png_bytes(arr: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(arr).save(out, format="PNG")
    return out.getvalue()


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


class Browser:
    """Plays the front end on another thread; records (content, buffers) of every answer."""

    def __init__(self, lab: nblabel.Labeler) -> None:
        self.lab = lab
        self.inbox: list[tuple[dict, list]] = []
        lab.send = lambda content, buffers=None: self.inbox.append((content, list(buffers or [])))

    def say(self, content: dict) -> tuple[dict, list]:
        before = len(self.inbox)
        t = threading.Thread(target=deliver, args=(self.lab, content))
        t.start()
        t.join()
        assert len(self.inbox) > before, f"no answer to {content}"
        return self.inbox[-1]

    def media(self, marker: dict, **extra) -> tuple[dict, list]:
        m = marker["nblabel_media"]
        return self.say({"type": "media", "id": "r1", "key": m["key"], "field": m["field"], "index": m["index"],
                         **extra})


@pytest.fixture
def files(tmp_path):
    arr = rgb(seed=1)
    (tmp_path / "cat.png").write_bytes(png_bytes(arr))
    (tmp_path / "secret.txt").write_text("do not read")
    return tmp_path, arr


def test_every_kind_of_local_image_becomes_a_marker_and_its_bytes_arrive(files):
    folder, arr = files
    values = [arr, Image.fromarray(arr), png_bytes(arr), folder / "cat.png", str(folder / "cat.png"),
              arr[:, :, 0], np.dstack([arr, np.full(arr.shape[:2], 200, np.uint8)])]
    df = pd.DataFrame({"image": values, "text": ["t"] * len(values)})
    lab = nblabel.Labeler(df, IMAGE, store=":memory:", prefetch=10)
    b = Browser(lab)
    state, buffers = b.say({"type": "hello", "id": "h"})
    json.dumps(state)  # the state message is plain JSON, no bytes inside
    assert buffers == []
    for task, value in zip(state["tasks"], values):
        marker = task["data"]["image"]
        m = marker["nblabel_media"]
        assert m["key"] == task["key"] and m["field"] == "image" and m["index"] is None
        in_memory = not isinstance(value, (bytes, Path, str))
        rgba = getattr(value, "ndim", 0) == 3 and value.shape[2] == 4
        mime = "image/bmp" if in_memory and not rgba else "image/png"  # grey/RGB in memory travel as BMP (fast)
        assert m["mime"] == mime and "error" not in m
        assert m["size"] is None if in_memory else m["size"] == len(png_bytes(arr))  # PIL/numpy: encoded on request
        reply, bufs = b.media(marker)
        assert reply == {"type": "media", "re": "r1", "ok": True, "mime": mime, "size": len(bufs[0])}
        assert len(bufs) == 1
        got = decode(bufs[0])
        want = np.asarray(value) if not isinstance(value, (bytes, Path, str)) else arr
        assert np.array_equal(got, want)
    assert state["tasks"][0]["data"]["text"] == "t"
    lab.close()


def test_urls_and_unknown_strings_stay_strings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server = MediaServer(parse_config(IMAGE))
    for url in ["https://x.test/a.png", "http://x.test/a.png", "data:image/png;base64,AAAA", "/static/samples/a.jpg",
                "//cdn.test/a.png", "javascript:alert(1)", "s3://bucket/a.png"]:
        assert server.markers("0", {"image": url, "text": "t"})["image"] == url
    missing = server.markers("0", {"image": "nope.png", "text": "t"})["image"]["nblabel_media"]
    assert missing["error"] == "file not found: nope.png"  # a typo in an existing folder reads as a missing file
    gone = server.markers("0", {"image": tmp_path / "gone.jpg", "text": "t"})["image"]["nblabel_media"]
    assert gone["error"].startswith("file not found:") and gone["name"] == "gone.jpg"
    assert not is_local("time,value\n1,2") and not is_local(np.zeros(5)) and not is_local({"a": 1})


def test_missing_file_is_an_error_reply_not_a_crash(files):
    folder, arr = files
    path = folder / "cat.png"
    lab = nblabel.Labeler([{"image": path, "text": "t"}], IMAGE, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    marker = state["tasks"][0]["data"]["image"]
    path.unlink()  # deleted after the task was sent
    reply, bufs = b.media(marker)
    assert reply["ok"] is False and reply["message"] == f"file not found: {path}" and bufs == []
    lab.close()


def test_only_media_values_of_the_task_are_readable(files):
    folder, arr = files
    secret = str(folder / "secret.txt")
    lab = nblabel.Labeler([{"image": arr, "text": secret}], IMAGE, store=":memory:")
    b = Browser(lab)
    b.say({"type": "hello", "id": "h"})
    for ask, why in [({"field": "text"}, "'text' is not a media field of this config"),
                     ({"field": "image", "path": secret, "index": 3}, "no item 3 in 'image'"),
                     ({"field": "../secret.txt"}, "'../secret.txt' is not a media field of this config"),
                     ({"field": "image", "key": "99"}, "unknown task key '99'")]:
        reply, bufs = b.say({"type": "media", "id": "x", "key": "0", **ask})
        assert reply == {"type": "media", "re": "x", "ok": False, "message": why} and bufs == []
    # a URL value is not served either
    lab2 = nblabel.Labeler([{"image": "https://x.test/a.png", "text": "t"}], IMAGE, store=":memory:")
    reply, _ = Browser(lab2).say({"type": "media", "id": "y", "key": "0", "field": "image"})
    assert reply["ok"] is False and "not local media" in reply["message"]
    lab.close()
    lab2.close()


def test_non_json_data_never_breaks_current_submit_store_pandas_or_exports(files, tmp_path):
    folder, arr = files
    df = pd.DataFrame({"image": [arr, Image.fromarray(arr), png_bytes(arr), folder / "cat.png"],
                       "text": ["a", "b", "c", "d"]})
    store = tmp_path / "s.db"
    lab = nblabel.Labeler(df, IMAGE, store=store)
    cur = lab.current
    assert cur["data"]["image"] is df["image"][0]  # predictors see the user's own object
    for _ in range(4):
        lab.submit([{"from_name": "c", "to_name": "img", "type": "choices", "value": {"choices": ["cat"]}}])
    out = lab.to_pandas()
    assert out["c"].tolist() == ["cat"] * 4 and out["image"][0] is df["image"][0]
    tasks = lab.to_label_studio()
    json.dumps(tasks)
    images = [t["data"]["image"] for t in tasks]
    assert images[3] == str(folder / "cat.png")  # a path stays the string the user gave
    for uri in images[:3]:
        assert uri.startswith("data:image/png;base64,")
        assert np.array_equal(decode(base64.b64decode(uri.split(",", 1)[1])), arr)
    for fmt, name in [("JSON", "o.json"), ("JSON_MIN", "o.min.json"), ("CSV", "o.csv"), ("TSV", "o.tsv")]:
        lab.export(tmp_path / name, format=fmt)
    exported = json.loads((tmp_path / "o.json").read_text())
    assert exported[0]["data"]["image"] == images[0] and exported[3]["data"]["image"] == images[3]
    assert json.loads((tmp_path / "o.min.json").read_text())[1]["image"] == images[1]
    cells = pd.read_csv(tmp_path / "o.csv")["image"].tolist()
    assert cells == images  # CSV cells: the same path / data: URIs as the JSON export
    lab.close()
    # the same content in new objects resumes (served-task hash by content, not by object identity)
    again = pd.DataFrame({"image": [arr.copy(), Image.fromarray(arr.copy()), png_bytes(arr), folder / "cat.png"],
                          "text": ["a", "b", "c", "d"]})
    lab2 = nblabel.Labeler(again, IMAGE, store=store)
    assert lab2.current is None and lab2.progress["done"] == 4
    lab2.goto(0)
    lab2.close()
    changed = again.copy()
    changed.at[0, "image"] = rgb(seed=9)
    with pytest.raises(nblabel.TaskChanged, match="task 0"):  # its answer was given on the other image
        nblabel.Labeler(changed, IMAGE, store=store)


def test_audio_bytes_and_wav_path(tmp_path):
    import wave

    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    lab = nblabel.Labeler([{"audio": str(path)}, {"audio": path.read_bytes()}], AUDIO, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    for task in state["tasks"]:
        m = task["data"]["audio"]["nblabel_media"]
        assert m["mime"] == "audio/wav" and m["size"] == path.stat().st_size
        reply, bufs = b.media(task["data"]["audio"])
        assert reply["ok"] and bufs[0] == path.read_bytes()
    lab.close()


def test_value_list_items_are_markers_with_their_index(files):
    folder, arr = files
    pages = ["https://x.test/p0.png", folder / "cat.png", arr]
    lab = nblabel.Labeler([{"pages": pages}], PAGES, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    got = state["tasks"][0]["data"]["pages"]
    assert got[0] == "https://x.test/p0.png"
    assert [g["nblabel_media"]["index"] for g in got[1:]] == [1, 2]
    reply, bufs = b.media(got[2])
    assert reply["ok"] and np.array_equal(decode(bufs[0]), arr)
    assert lab.to_label_studio()[0]["data"]["pages"][1] == str(folder / "cat.png")
    lab.close()


def make_pdf(path: Path, pages: int = 2) -> Path:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    for i in range(pages):
        doc.new_page(200 + 100 * i, 300)
    doc.save(str(path))
    doc.close()
    return path


def test_local_pdf_pages_are_rendered_in_python(tmp_path):
    path = make_pdf(tmp_path / "doc.pdf")
    lab = nblabel.Labeler([{"pdf": path}], PDF, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    m = state["tasks"][0]["data"]["pdf"]["nblabel_media"]
    assert m["mime"] == "application/pdf" and m["pages"] == 2 and m["name"] == "doc.pdf"
    reply, bufs = b.media(state["tasks"][0]["data"]["pdf"], page=1)
    assert reply["ok"] and reply["mime"] == "image/png"
    assert Image.open(io.BytesIO(bufs[0])).size == (round(300 * 150 / 72), round(300 * 150 / 72))
    reply, _ = b.media(state["tasks"][0]["data"]["pdf"], page=5)
    assert reply == {"type": "media", "re": "r1", "ok": False, "message": "the PDF has 2 pages, not page 6"}
    lab.close()


def test_unencodable_array_is_an_error_marker():
    server = MediaServer(parse_config(IMAGE))
    m = server.markers("0", {"image": np.zeros((4, 4), dtype=complex), "text": "t"})["image"]["nblabel_media"]
    assert m["error"].startswith("cannot encode this ndarray as an image")


def test_without_pypdfium2_a_local_pdf_goes_to_the_viewer_as_bytes(tmp_path, monkeypatch):
    import sys

    path = make_pdf(tmp_path / "doc.pdf")
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # `import pypdfium2` now raises ImportError
    lab = nblabel.Labeler([{"pdf": str(path)}], PDF, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    m = state["tasks"][0]["data"]["pdf"]["nblabel_media"]
    assert "pages" not in m and "error" not in m and m["mime"] == "application/pdf"
    reply, bufs = b.media(state["tasks"][0]["data"]["pdf"])
    assert reply["ok"] and bufs[0] == path.read_bytes()
    reply, _ = b.media(state["tasks"][0]["data"]["pdf"], page=0)
    assert reply["ok"] is False and "pypdfium2" in reply["message"]
    lab.close()


TS = """<View><TimeSeries name="ts" value="$csv" valueType="url" timeColumn="t"><Channel column="v"/></TimeSeries>
<TimeSeriesLabels name="l" toName="ts"><Label value="Run"/></TimeSeriesLabels></View>"""
VIDEO = """<View><Video name="video" value="$video"/>
<Choices name="c" toName="video"><Choice value="x"/></Choices></View>"""


@pytest.mark.parametrize("config, field, name, mime", [
    (TS, "csv", "series.csv", "text/csv"), (VIDEO, "video", "clip.mp4", "video/mp4"),
    (VIDEO, "video", "clip.webm", "video/webm"), (AUDIO, "audio", "speech.mp3", "audio/mpeg"),
    (AUDIO, "audio", "speech.flac", "audio/flac"), (IMAGE, "image", "photo.JPG", "image/jpeg"),
])
def test_local_files_of_every_object_keep_their_type(tmp_path, config, field, name, mime):
    path = tmp_path / name
    path.write_bytes(b"t,v\n0,1\n1,2\n" if name.endswith(".csv") else b"\x00" * 64)
    data = {field: str(path), "text": "t"} if config is IMAGE else {field: str(path)}
    lab = nblabel.Labeler([data], config, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    m = state["tasks"][0]["data"][field]["nblabel_media"]
    assert (m["mime"], m["size"], m["name"]) == (mime, path.stat().st_size, name)
    reply, bufs = b.media(state["tasks"][0]["data"][field])
    assert reply["ok"] and reply["mime"] == mime and bufs[0] == path.read_bytes()
    lab.close()


def test_ml_backend_traffic_carries_local_images_as_data_uris(files):
    from nblabel.suggest._ml_backend import MLBackend

    folder, arr = files
    backend = MLBackend("http://127.0.0.1:9", parse_config(IMAGE))  # never contacted here
    task = backend._ls_task({"id": 3, "data": {"image": arr, "text": "t"}})
    json.dumps(task)
    assert task["data"]["image"].startswith("data:image/png;base64,")
    assert np.array_equal(decode(base64.b64decode(task["data"]["image"].split(",", 1)[1])), arr)
    sent = backend._ls_task({"id": 4, "data": {"image": folder / "cat.png"}})
    assert sent["data"]["image"] == str(folder / "cat.png")


def _pixels(image) -> object:
    state = vars(image)
    return state["_im"] if "_im" in state else state.get("im")


def test_images_opened_from_files_are_served_without_loading_the_users_object(files):
    # a column of Image.open(path): serving and hashing must not pin every served picture's pixels in memory
    folder, arr = files
    opened = Image.open(folder / "cat.png")
    lab = nblabel.Labeler([{"image": opened, "text": "a"}], IMAGE, store=":memory:")
    b = Browser(lab)
    state, _ = b.say({"type": "hello", "id": "h"})
    reply, bufs = b.media(state["tasks"][0]["data"]["image"])
    assert reply["ok"] and (decode(bufs[0]) == arr).all()
    assert _pixels(opened) is None  # still lazy
    lab.submit([{"from_name": "c", "to_name": "img", "type": "choices", "value": {"choices": ["cat"]}}])
    opened.load()  # the user looks at it later: the task is still the same task
    assert lab.goto(0)["data"]["image"] is opened
    lab.close()


def test_pdf_pages_from_two_threads_at_once(tmp_path):
    # PDFium is not thread-safe: page counts (state on the cell's thread) and page renders (the comm's thread)
    # must not overlap; a crash here would kill the kernel
    path = make_pdf(tmp_path / "doc.pdf")
    lab = nblabel.Labeler([{"pdf": path}], PDF, store=":memory:")
    b = Browser(lab)
    marker = b.say({"type": "hello", "id": "h"})[0]["tasks"][0]["data"]["pdf"]
    from nblabel.tasks._media import pdf_pages

    errors: list[BaseException] = []

    def count():
        try:
            for _ in range(30):
                assert pdf_pages(path) == 2
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=count)
    t.start()
    for page in (0, 1, 0, 1):
        reply, bufs = b.media(marker, page=page)
        assert reply["ok"] and bufs[0][:4] == b"\x89PNG"
    t.join()
    assert errors == []
    lab.close()


def test_hashes_built_column_wise_are_the_stored_per_row_hashes():
    # Stores keep these hashes: the fast column-wise path must give exactly what `fields_hash` gives row by row,
    # for every kind of value (quoting, non-ASCII, lone surrogates, big ints, floats, media, nested values).
    from pathlib import PurePath

    from nblabel.tasks._media import fields_hash, fields_hashes
    values = ["plain", "ünïcödé 😀", 'quo"te\\back\nnl\t', "\ud800 lone", "", None, True, False, 0, -5, 10**30,
              1.5, 0.1, 1e300, float("nan"), float("inf"), 3.0, b"bytes", PurePath("/tmp/x.png"), [1, "a"],
              {"k": 2}, np.int64(3), np.float32(0.5), np.zeros((2, 2), dtype=np.uint8)]
    rng = np.random.default_rng(0)
    for names in ([], ["text"], ["text", "b"], ["z", "Ä key", 'a"q']):
        rows = [{n: values[rng.integers(len(values))] for n in names} for _ in range(400)]
        rows += [{n: "only text" for n in names}]  # a column of text alone takes the quickest path
        columns = {n: [r[n] for r in rows] for n in names}
        assert fields_hashes(columns, len(rows)) == [fields_hash(r) for r in rows]
    text = {"text": ["a", "b", "é"]}
    assert fields_hashes(text, 3) == [fields_hash({"text": t}) for t in text["text"]]


def test_answers_are_checked_against_every_kind_of_column(tmp_path):
    # The column-wise check at open and at write-back reads ints, floats, booleans, text and missing values as the
    # hash of each answer was taken: unchanged rows pass, one changed cell in any field is caught.
    config = ('<View><Text name="t" value="$text"/><Header value="$n $x $flag $when"/>'
              '<Choices name="c" toName="t"><Choice value="A"/><Choice value="B"/></Choices></View>')
    df = pd.DataFrame({"text": ["one", "twö", None], "n": [1, 2, 3], "x": [0.5, float("nan"), 2.0],
                       "flag": [True, False, True], "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"])})
    store = str(tmp_path / "s.db")
    lab = nblabel.Labeler(df, config, annotator="a", store=store)
    for _ in range(3):
        lab.submit(choice("A", name="c", to="t"))
    lab.close()
    assert nblabel.Labeler(df.copy(), config, annotator="a", store=store).to_pandas()["c"].tolist() == ["A"] * 3
    for column, value in (("n", 7), ("x", 0.25), ("flag", False), ("text", "three"),
                          ("when", pd.Timestamp("2025-01-01"))):
        changed = df.copy()
        changed.loc[2, column] = value
        with pytest.raises(nblabel.TaskChanged, match="task 2"):
            nblabel.Labeler(changed, config, annotator="a", store=store)


def test_row_hashes_are_reused_only_while_the_rows_keep_their_values():
    # A hash is taken again for exactly the rows whose values changed; columns whose cells could change in place
    # behind an equal-looking object (lists) are hashed afresh every time.
    from nblabel.tasks._media import fields_hash
    from nblabel.tasks._row_hashes import RowHashes
    frame = pd.DataFrame({"text": ["a", "b", "c", "d"], "n": [1.0, float("nan"), 3.0, 4.0]})
    hashed: list[list[int]] = []

    def read(name, positions):
        if name == "text":
            hashed.append(positions.tolist())
        return [None if isinstance(v, float) and v != v else v for v in frame[name].iloc[positions].tolist()]

    def expected(rows):
        return [fields_hash({"n": None if frame["n"][i] != frame["n"][i] else frame["n"][i], "text": frame["text"][i]})
                for i in rows]

    cache = RowHashes()
    columns = lambda: {"text": frame["text"], "n": frame["n"]}  # noqa: E731 - the frame's columns as they are now
    everything = np.arange(4)
    assert cache.hashes(columns(), np.array([0, 2]), read) == expected([0, 2]) and hashed == [[0, 2]]
    assert cache.hashes(columns(), everything, read) == expected(range(4)) and hashed[-1] == [1, 3]
    hashed.clear()
    assert cache.hashes(columns(), everything, read) == expected(range(4)) and hashed == [[1]]  # NaN != NaN
    frame.loc[2, "text"] = "changed in place"
    frame.loc[3, "n"] = 40.0
    assert cache.hashes(columns(), everything, read) == expected(range(4)) and hashed[-1] == [1, 2, 3]
    frame["text"] = ["w", "x", "y", "z"]  # a new column object: compared by value all the same
    assert cache.hashes(columns(), everything, read) == expected(range(4)) and hashed[-1] == [0, 1, 2, 3]
    lists = pd.DataFrame({"tags": [["a"], ["b"]]})
    seen = []
    keep = RowHashes()
    read_lists = lambda name, positions: (seen.append(1), lists[name].iloc[positions].tolist())[1]  # noqa: E731
    first = keep.hashes({"tags": lists["tags"]}, np.arange(2), read_lists)
    lists["tags"][0].append("mutated")
    again = keep.hashes({"tags": lists["tags"]}, np.arange(2), read_lists)
    assert len(seen) == 2 and first[0] != again[0] and again[0] == fields_hash({"tags": ["a", "mutated"]})


def test_a_cell_edited_after_a_check_is_caught_at_the_next_write_back(tmp_path):
    # The check at open remembers the rows' hashes; edits between write-backs must still be seen, of text,
    # numbers and in-place mutated list cells alike.
    config = ('<View><Text name="t" value="$text"/><Header value="$n"/><List name="l" value="$tags"/>'
              '<Choices name="c" toName="t"><Choice value="A"/></Choices></View>')
    df = pd.DataFrame({"text": ["one", "two", "three"], "n": [1, 2, 3], "tags": [["x"], ["y"], ["z"]]})
    store = str(tmp_path / "s.db")
    lab = nblabel.Labeler(df, config, annotator="a", store=store)
    for _ in range(3):
        lab.submit(choice("A", name="c", to="t"))
    assert lab.to_pandas()["c"].tolist() == ["A"] * 3
    assert lab.to_pandas()["c"].tolist() == ["A"] * 3  # checked twice, nothing changed: still fine
    edits = [lambda: df.loc.__setitem__((1, "text"), "TWO"), lambda: df.loc.__setitem__((1, "text"), "two"),
             lambda: df.loc.__setitem__((2, "n"), 30), lambda: df.loc.__setitem__((2, "n"), 3),
             lambda: df.at[0, "tags"].append("w"), lambda: df.at[0, "tags"].pop()]
    for k, edit in enumerate(edits):
        edit()
        if k % 2 == 0:
            with pytest.raises(nblabel.TaskChanged):
                lab.to_pandas()
        else:  # edited back: the answers belong to these rows again
            assert lab.to_pandas()["c"].tolist() == ["A"] * 3


@pytest.mark.parametrize("as_list", [False, True])
def test_answers_of_several_annotators_on_one_row_are_all_checked(tmp_path, as_list):
    # Three annotators answer the same rows: the check reads each row once but compares every answer, so a row
    # changed after all three answered is caught (its three answers counted, its id named once), and the untouched
    # rows still pass.
    config = ('<View><Text name="t" value="$text"/>'
              '<Choices name="c" toName="t"><Choice value="A"/><Choice value="B"/></Choices></View>')
    df = pd.DataFrame({"text": ["one", "two", "three", "four"]}, index=[10, 11, 12, 13])

    def data(frame):
        return [{"id": int(i), "data": {"text": t}} for i, t in frame["text"].items()] if as_list else frame

    store = str(tmp_path / "s.db")
    for who in ("ann", "bob", "cy"):
        lab = nblabel.Labeler(data(df), config, annotator=who, store=store)
        for _ in range(4):
            lab.submit(choice("A" if who != "cy" else "B", name="c", to="t"))
        lab.close()
    frame = nblabel.Labeler(data(df), config, annotator="ann", store=store).to_pandas()
    assert [len(a) for a in frame["annotations"]] == [3, 3, 3, 3]
    changed = df.copy()
    changed.loc[12, "text"] = "THREE"
    with pytest.raises(nblabel.TaskChanged, match=r"3 answers in .* were given to tasks .*\(task 12\)"):
        nblabel.Labeler(data(changed), config, annotator="ann", store=store)
    # the same store over only the untouched rows: nothing to complain about
    kept = nblabel.Labeler(data(changed.drop(index=12)), config, annotator="ann", store=store).to_pandas()
    assert kept.index.tolist() == [10, 11, 13]

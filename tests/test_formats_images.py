"""COCO, YOLO, YOLO_OBB, VOC: laid out and filled as Label Studio lays them out (a server's captured exports, and
label_studio_sdk's converter run live), except the converter's rotated-box and YOLO_OBB mistakes."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

import nblabel
from test_formats_support import (  # noqa: F401
    BOX_CONFIG, BOX_TASKS, IMAGE_CONFIG, LS, box_export, converter, golden, needs_golden,
)


def _undated(raw: bytes) -> bytes:
    """COCO/YOLO notes carry the export's date: blank it on both sides."""
    raw = re.sub(rb'"date_created": "[^"]*"', b'"date_created": ""', raw)
    return re.sub(rb'"year": \d+', b'"year": 0', raw)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def server_frame():
    return nblabel.read_label_studio(LS / "server-exports/image_JSON.out", config=IMAGE_CONFIG)


@needs_golden
def test_server_coco(tmp_path, server_frame):
    out = nblabel.export(server_frame, tmp_path / "coco", "COCO")
    assert out.endswith("result.json") and (tmp_path / "coco" / "images").is_dir()
    assert _undated(open(out, "rb").read()) == _undated(golden("server-exports/image_COCO/result.json"))
    single = nblabel.export(server_frame, tmp_path / "one.json", "COCO")  # a .json path is the file itself
    assert _undated(open(single, "rb").read()) == _undated(golden("server-exports/image_COCO/result.json"))


@needs_golden
def test_server_yolo_and_voc(tmp_path, server_frame):
    nblabel.export(server_frame, tmp_path / "yolo", "YOLO")
    mine = _files(tmp_path / "yolo")
    gold = _files(LS / "server-exports/image_YOLO")
    assert sorted(mine) == sorted(gold) == ["classes.txt", "labels/dc308ec1__a.txt", "notes.json"]
    assert {k: _undated(v) for k, v in mine.items()} == {k: _undated(v) for k, v in gold.items()}
    assert (tmp_path / "yolo" / "images").is_dir()
    nblabel.export(server_frame, tmp_path / "voc", "VOC")
    assert _files(tmp_path / "voc") == _files(LS / "server-exports/image_VOC")


def test_converter_box_outputs(tmp_path, monkeypatch, converter):  # noqa: F811
    monkeypatch.chdir(tmp_path)  # the task names its image relative to the working directory
    src = box_export(tmp_path)
    ref_dir = tmp_path / "ref"
    ref_dir.mkdir()
    df = nblabel.read_label_studio(src, config=BOX_CONFIG)
    for fmt in ("YOLO", "YOLO_OBB", "VOC"):
        nblabel.export(df, tmp_path / fmt, fmt)
        mine = {k: _undated(v) for k, v in _files(tmp_path / fmt).items()}
        assert mine == {k: _undated(v) for k, v in _files(converter(BOX_TASKS, BOX_CONFIG, fmt, ref_dir)).items()}
    mine_min = open(nblabel.export(df, tmp_path / "min.json", "JSON_MIN"), "rb").read()
    assert mine_min == (converter(BOX_TASKS, BOX_CONFIG, "JSON_MIN", ref_dir) / "result.json").read_bytes()
    coco = json.loads(open(nblabel.export(df, tmp_path / "coco", "COCO"), "rb").read())
    ref = json.loads((converter(BOX_TASKS, BOX_CONFIG, "COCO", ref_dir) / "result.json").read_text())
    assert coco["images"] == ref["images"] and coco["categories"] == ref["categories"]
    assert [a for i, a in enumerate(coco["annotations"]) if i != 1] == \
        [a for i, a in enumerate(ref["annotations"]) if i != 1]
    # The rotated box (x 50%, y 50%, 10% x 10%, 30 degrees on 640x480): its corners bounded in pixels.
    x, y, w, h, t = 320, 240, 64, 48, math.radians(30)
    xs = [x, x + w * math.cos(t), x + w * math.cos(t) - h * math.sin(t), x - h * math.sin(t)]
    ys = [y, y + w * math.sin(t), y + w * math.sin(t) + h * math.cos(t), y + h * math.cos(t)]
    bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    assert coco["annotations"][1]["bbox"] == pytest.approx(bbox)
    assert ref["annotations"][1]["bbox"] != pytest.approx(bbox)  # the converter's percent-space box


def _image_task(tid, annotations, image="https://example.org/pics/cat.png", size=(500, 500)):
    return {"id": tid, "data": {"image": image}, "annotations": annotations}


def _box(x, y, w, h, label="Car", rotation=None, size=(500, 500), rid="b"):
    value = {"x": x, "y": y, "width": w, "height": h, "rectanglelabels": [label] if isinstance(label, str) else label}
    if rotation is not None:
        value["rotation"] = rotation
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "original_width": size[0], "original_height": size[1], "value": value}


def _ann(aid, result, created="2024-01-01T00:00:00Z", who=1):
    return {"id": aid, "completed_by": who, "result": result, "was_cancelled": False, "created_at": created}


def test_square_images_rotated_coco_equals_the_converter(tmp_path, converter):  # noqa: F811
    """On a square image percent space is pixel space scaled: same boxes, so the same rotation convention."""
    tasks = [_image_task(1, [_ann(1, [_box(20, 30, 10, 40, rotation=25), _box(5, 5, 10, 10, "Person")])]),
             _image_task(2, [], image="https://example.org/pics/empty.png")]
    ref = json.loads((converter(tasks, IMAGE_CONFIG, "COCO", tmp_path) / "result.json").read_text())
    mine = json.loads(open(nblabel.export(tasks, tmp_path / "m", "COCO", config=IMAGE_CONFIG), "rb").read())
    assert mine["images"] == ref["images"]  # includes the unannotated image with null sizes
    assert [dict(a, bbox=pytest.approx(a["bbox"]), area=pytest.approx(a["area"])) for a in mine["annotations"]] \
        == ref["annotations"]


def test_yolo_several_annotators_multilabel_and_empty_tasks(tmp_path, converter):  # noqa: F811
    tasks = [
        _image_task(1, [_ann(1, [_box(10, 10, 20, 20)], created="2024-01-02T00:00:00Z"),
                        _ann(2, [_box(50, 50, 10, 10, ["Car", "Person"]), _box(1, 1, 1, 1, "Truck")],
                             created="2024-01-01T00:00:00Z")]),  # the older one wins, as in Label Studio
        _image_task(2, [], image="https://example.org/pics/none.png"),
    ]
    ref = converter(tasks, IMAGE_CONFIG, "YOLO", tmp_path)
    mine = nblabel.export(tasks, tmp_path / "m", "YOLO", config=IMAGE_CONFIG)
    assert _files(Path(mine)) == _files(ref)
    assert b"Truck" in _files(Path(mine))["classes.txt"]  # an unknown label gets the next class id


def test_yolo_obb_keeps_boxes_without_rotation(tmp_path, converter):  # noqa: F811
    tasks = [_image_task(1, [_ann(1, [_box(10, 20, 30, 40), _box(50, 50, 10, 10, rotation=0, rid="c")])])]
    ref = _files(converter(tasks, IMAGE_CONFIG, "YOLO_OBB", tmp_path))
    mine = _files(Path(nblabel.export(tasks, tmp_path / "m", "YOLO_OBB", config=IMAGE_CONFIG)))
    label = "labels/" + next(k for k in mine if k.startswith("labels/")).split("/", 1)[1]
    assert ref[label].decode().splitlines() == ["0 0.5 0.5 0.6 0.5 0.6 0.6 0.5 0.6"]  # the unrotated box is lost
    assert mine[label].decode().splitlines() == ["0 0.1 0.2 0.4 0.2 0.4 0.6 0.1 0.6",
                                                 "0 0.5 0.5 0.6 0.5 0.6 0.6 0.5 0.6"]


def test_image_formats_need_an_image_config(tmp_path):
    text_config = '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="a"/></Labels></View>'
    for fmt in ("COCO", "YOLO", "VOC"):
        with pytest.raises(ValueError, match=f"format='{fmt}' needs an <Image"):
            nblabel.export([{"data": {"t": "x"}}], tmp_path / fmt, fmt, config=text_config)


def test_readme_image_example_exports_paths_and_in_memory_images(tmp_path, monkeypatch):
    """The README's frame: a Path, a URL, a numpy array, a PIL image and PNG bytes, labeled and exported."""
    import io

    import numpy as np
    import pandas as pd
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    Path("cats").mkdir()
    Image.new("RGB", (40, 30), "red").save("cats/1.jpg")
    np_array = np.zeros((20, 10, 3), np.uint8)
    pil_image = Image.new("RGB", (16, 8), "blue")
    png = io.BytesIO()
    Image.new("RGB", (12, 6), "green").save(png, format="PNG")
    df = pd.DataFrame({"image": [Path("cats/1.jpg"), "https://example.org/2.jpg", np_array, pil_image,
                                 png.getvalue()]})
    config = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Cat"/></RectangleLabels></View>"""
    lab = nblabel.Labeler(df, config, annotator="a", store=":memory:")
    for w, h in [(40, 30), (100, 100), (10, 20), (16, 8), (12, 6)]:
        lab.submit([{"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": w,
                     "original_height": h, "value": {"x": 10, "y": 10, "width": 50, "height": 50,
                                                     "rectanglelabels": ["Cat"]}}])
    out = lab.export(tmp_path / "coco", format="COCO")
    doc = json.loads(Path(out).read_text())
    names = [im["file_name"] for im in doc["images"]]
    assert names[0] == "cats/1.jpg"  # a Path is the path it names
    assert names[1] == "images/" + __import__("hashlib").md5(b"https://example.org/2.jpg").hexdigest()[:8] + "__2.jpg"
    for name, size in zip(names[2:], [(10, 20), (16, 8), (12, 6)]):  # in-memory: written beside the export
        assert re.fullmatch(r"images/[0-9a-f]{16}\.png", name)
        assert Image.open(tmp_path / "coco" / name).size == size
    assert [(im["width"], im["height"]) for im in doc["images"]] == [(40, 30), (100, 100), (10, 20), (16, 8), (12, 6)]
    assert len(doc["annotations"]) == 5
    lab.export(tmp_path / "yolo", format="YOLO")
    stems = sorted(p.stem for p in (tmp_path / "yolo" / "labels").iterdir())
    assert "1" in stems and len(stems) == 5
    lab.export(tmp_path / "voc", format="VOC")
    assert (tmp_path / "voc" / "Annotations" / "1.xml").exists()
    assert len(list((tmp_path / "voc" / "Annotations").iterdir())) == 5

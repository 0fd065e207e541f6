"""KeyPointLabels in COCO, YOLO, YOLO_OBB and VOC, against label_studio_sdk's converter: equal files where the
converter is right, the differences `nblabel.formats._keypoints` documents where it is not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import nblabel
from nblabel.formats import UnsupportedFormat
from test_formats_support import converter  # noqa: F401

# "Chien" pins COCO category 7 (YOLO pose ignores pins); "queue" has no model_index, so no coordinates.
KP_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Élève"/><Label value="Chien" category="7"/><Label value="Arbre"/>
  </RectangleLabels>
  <KeyPointLabels name="kp" toName="img">
    <Label value="nez" model_index="1"/><Label value="œil gauche" model_index="0"/>
    <Label value="queue"/><Label value="patte" model_index="2"/>
  </KeyPointLabels>
</View>"""
KP_ONLY_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <KeyPointLabels name="kp" toName="img"><Label value="nez" model_index="0"/></KeyPointLabels>
</View>"""
NO_INDEX_CONFIG = re.sub(r' model_index="\d"', "", KP_CONFIG)
SIZE = (640, 480)


def _box(rid, x, y, w, h, label):
    return {"id": rid, "from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": SIZE[0],
            "original_height": SIZE[1], "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [label]}}


def _kp(rid, x, y, label, parent=None):
    r = {"id": rid, "from_name": "kp", "to_name": "img", "type": "keypointlabels", "original_width": SIZE[0],
         "original_height": SIZE[1], "value": {"x": x, "y": y, "width": 0.4, "keypointlabels": [label]}}
    if parent is not None:
        r["parentID"] = parent
    return r


def _ann(aid, result, created="2024-01-01T00:00:00Z", cancelled=False):
    return {"id": aid, "completed_by": {"email": f"a{aid}@x.org"}, "result": result, "was_cancelled": cancelled,
            "created_at": created}


def _task(tid, name, annotations):
    return {"id": tid, "data": {"image": f"https://example.org/pics/{name}.jpg"}, "annotations": annotations}


def tasks() -> list[dict]:
    """Several images and categories, each image's keypoints on (at most) one parent, as the converter handles."""
    return [
        _task(1, "a", [_ann(1, [
            _box("b1", 10, 10, 30, 40, "Élève"),
            _kp("k1", 15.3, 20.1, "nez", "b1"), _kp("k2", 20, 25, "œil gauche", "b1"),
            _kp("k3", 22, 30, "queue", "b1"),  # no model_index: listed in categories, not in coordinates
            _kp("k4", 0.390625, 0.3125, "patte", "b1"),  # 2.5 px and 1.5 px: round half to even, as Python
            _box("b2", 50, 50, 20, 20, "Chien"),  # a box without keypoints
        ])]),
        _task(2, "b", [  # the newer annotation first in COCO; its older one is what YOLO keeps
            _ann(2, [_box("c1", 5, 5, 50, 50, "Arbre"), _kp("c2", 30, 30, "nez", "c1")],
                 created="2024-02-01T00:00:00Z"),
            _ann(3, [_box("d1", 60, 60, 30, 30, "Chien"), _kp("d2", 70, 70, "patte", "d1"),
                     _kp("d3", 75, 75, "œil gauche", "d1"), _kp("d4", 71, 72, "patte", "d1")],  # d4 replaces d2
                 created="2024-01-15T00:00:00Z"),
            _ann(4, [_box("e1", 1, 1, 2, 2, "Élève")], created="2024-03-01T00:00:00Z", cancelled=True),
        ]),
        _task(3, "c", []),  # no annotations: an image entry with null sizes, an empty label file
        _task(4, "d", [_ann(5, [_box("f1", 1, 1, 2, 2, "Élève")], cancelled=True)]),  # nothing at all
        _task(5, "e", [_ann(6, [_kp("g1", 40, 40, "nez"), _box("g2", 30, 30, 20, 20, "Élève")])]),  # parentless
    ]


def _undated(raw: bytes) -> bytes:
    raw = re.sub(rb'"date_created": "[^"]*"', b'"date_created": ""', raw)
    return re.sub(rb'"year": \d+', b'"year": 0', raw)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): _undated(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def _ref(converter, tasks, config, fmt, tmp_path):  # noqa: F811
    work = tmp_path / f"ref-{fmt}"
    work.mkdir()
    return converter(tasks, config, fmt, work)


def _mine(tasks, config, fmt, tmp_path):
    return Path(nblabel.export(tasks, tmp_path / f"mine-{fmt}", fmt, config=config))


def test_coco_equals_the_converter(tmp_path, converter):  # noqa: F811
    ref_raw = (_ref(converter, tasks(), KP_CONFIG, "COCO", tmp_path) / "result.json").read_bytes()
    mine_raw = _mine(tasks(), KP_CONFIG, "COCO", tmp_path).read_bytes()
    ref, mine = json.loads(ref_raw), json.loads(mine_raw)
    assert mine["categories"] == ref["categories"] == [
        {"id": 7, "name": "Chien"}, {"id": 0, "name": "Arbre"}, {"id": 4, "name": "Élève"},
        {"id": 8, "name": "default", "supercategory": "default", "keypoints": ["nez", "œil gauche", "queue", "patte"],
         "skeleton": []}]
    assert mine["images"] == ref["images"]
    assert [i["file_name"].split("__")[1] for i in mine["images"]] == ["a.jpg", "b.jpg", "b.jpg", "c.jpg", "e.jpg"]
    assert mine["annotations"] == ref["annotations"]
    points = [a for a in mine["annotations"] if "keypoints" in a]
    # order œil gauche, nez, patte; pixels int(round()); 2.5 -> 2 and 1.5 -> 2
    assert points[0] == {"id": 2, "image_id": 0, "category_id": 8, "keypoints": [128, 120, 2, 98, 96, 2, 2, 2, 2],
                         "num_keypoints": 3, "bbox": [2, 2, 126, 118], "iscrowd": 0}
    assert [p["keypoints"] for p in points[1:]] == [[0, 0, 0, 192, 144, 2, 0, 0, 0],
                                                    [480, 360, 2, 0, 0, 0, 454, 346, 2],
                                                    [0, 0, 0, 256, 192, 2, 0, 0, 0]]
    assert [p["num_keypoints"] for p in points] == [3, 1, 2, 1]
    assert [p["bbox"] for p in points[1:]] == [[192, 144, 0, 0], [454, 346, 26, 14], [256, 192, 0, 0]]
    assert [a["image_id"] for a in mine["annotations"]] == [0, 0, 0, 1, 1, 2, 2, 4, 4]
    assert _undated(mine_raw) == _undated(ref_raw)  # the file itself, layout and escapes included


def test_yolo_pose_equals_the_converter(tmp_path, converter):  # noqa: F811
    ref = _files(_ref(converter, tasks(), KP_CONFIG, "YOLO", tmp_path))
    mine = _files(_mine(tasks(), KP_CONFIG, "YOLO", tmp_path))
    assert mine == ref
    assert mine["classes.txt"].decode() == "Élève\nChien\nArbre\n"  # config order, `category` ignored
    notes = json.loads(mine["notes.json"])["categories"]
    assert notes == [{"id": i, "name": n, "keypoints": ["nez", "œil gauche", "queue", "patte"]}
                     for i, n in enumerate(["Élève", "Chien", "Arbre"])]
    labels = {k.split("__")[1]: v.decode() for k, v in mine.items() if k.startswith("labels/")}
    assert labels == {
        "a.txt": "0 0.25 0.30000000000000004 0.3 0.4 0.2 0.25 2 0.153 0.201 2 0.00390625 0.003125 2\n"
                 "1 0.6 0.6 0.2 0.2 0.0 0.0 0 0.0 0.0 0 0.0 0.0 0",
        "b.txt": "1 0.75 0.75 0.3 0.3 0.75 0.75 2 0.0 0.0 0 0.71 0.72 2",  # the older annotation; d4 replaced d2
        "c.txt": "",
        "e.txt": "0 0.4 0.4 0.2 0.2 0.0 0.0 0 0.0 0.0 0 0.0 0.0 0",  # the parentless keypoint is not written
    }


def test_voc_ignores_keypoints_as_the_converter(tmp_path, converter):  # noqa: F811
    ref = _files(_ref(converter, tasks(), KP_CONFIG, "VOC", tmp_path))
    mine = _files(_mine(tasks(), KP_CONFIG, "VOC", tmp_path))

    def unhashed(files):  # VOC names a URL's image as a 1.23 server does (a.jpg), the converter as 3b9143f1__a.jpg
        return {re.sub("[0-9a-f]{8}__", "", k): re.sub(rb"[0-9a-f]{8}__", b"", v) for k, v in files.items()}

    assert unhashed(mine) == unhashed(ref)
    assert sorted(mine) == ["Annotations/a.xml", "Annotations/b.xml", "Annotations/e.xml"]
    assert b"nez" not in b"".join(mine.values())


def test_keypoints_without_rectangles_are_refused_as_label_studio_refuses(tmp_path, converter):  # noqa: F811
    from label_studio_sdk.converter import Converter

    offered = Converter(KP_ONLY_CONFIG, project_dir=None, download_resources=False).supported_formats
    assert "COCO" not in offered and "YOLO" not in offered and "YOLO_OBB" in offered
    only = [_task(1, "a", [_ann(1, [_kp("k", 10, 10, "nez")])]), _task(2, "b", [])]
    for fmt in ("COCO", "YOLO"):
        with pytest.raises(UnsupportedFormat, match=f"format='{fmt}'.*only together with RectangleLabels"):
            _mine(only, KP_ONLY_CONFIG, fmt, tmp_path)
    # YOLO_OBB is offered: no rectangles, so no classes and empty label files, as the converter writes
    ref = _files(_ref(converter, only, KP_ONLY_CONFIG, "YOLO_OBB", tmp_path))
    mine = _files(_mine(only, KP_ONLY_CONFIG, "YOLO_OBB", tmp_path))
    assert mine == ref and mine["classes.txt"] == b""


def test_without_model_index(tmp_path, converter):  # noqa: F811
    """YOLO: boxes only, as the converter. COCO: the converter crashes; nblabel says what to add."""
    ref = _files(_ref(converter, tasks(), NO_INDEX_CONFIG, "YOLO", tmp_path))
    mine = _files(_mine(tasks(), NO_INDEX_CONFIG, "YOLO", tmp_path))
    assert mine == ref
    assert "1 0.75 0.75 0.3 0.3" in {v.decode() for v in mine.values()}
    with pytest.raises(ValueError, match="No keypoint order found"):
        _ref(converter, tasks(), NO_INDEX_CONFIG, "COCO", tmp_path)
    with pytest.raises(UnsupportedFormat, match='model_index="0"'):
        _mine(tasks(), NO_INDEX_CONFIG, "COCO", tmp_path)
    boxes_only = [t for t in tasks() if t["id"] == 3]  # no keypoints anywhere: both write the file
    assert json.loads(_mine(boxes_only, NO_INDEX_CONFIG, "COCO", tmp_path / "x").read_bytes())["annotations"] == []


def test_two_parents_in_one_image(tmp_path, converter):  # noqa: F811
    """COCO: the converter merges both people's points (the second's overwrite the first's); nblabel writes one
    keypoint annotation per parent. YOLO attaches points to their boxes in both."""
    two = [_task(1, "a", [_ann(1, [
        _box("p1", 10, 10, 20, 20, "Élève"), _kp("p1n", 15, 15, "nez", "p1"), _kp("p1e", 16, 12, "œil gauche", "p1"),
        _box("p2", 60, 60, 20, 20, "Élève"), _kp("p2n", 65, 65, "nez", "p2"),
    ])])]
    ref = json.loads((_ref(converter, two, KP_CONFIG, "COCO", tmp_path) / "result.json").read_bytes())
    mine = json.loads(_mine(two, KP_CONFIG, "COCO", tmp_path).read_bytes())
    assert mine["categories"] == ref["categories"] and mine["images"] == ref["images"]
    assert mine["annotations"][:2] == ref["annotations"][:2]  # the boxes
    assert [a["keypoints"] for a in ref["annotations"][2:]] == [[102, 58, 2, 416, 312, 2, 0, 0, 0]]  # mixed up
    assert mine["annotations"][2:] == [
        {"id": 2, "image_id": 0, "category_id": 8, "keypoints": [102, 58, 2, 96, 72, 2, 0, 0, 0],
         "num_keypoints": 2, "bbox": [96, 58, 6, 14], "iscrowd": 0},
        {"id": 3, "image_id": 0, "category_id": 8, "keypoints": [0, 0, 0, 416, 312, 2, 0, 0, 0],
         "num_keypoints": 1, "bbox": [416, 312, 0, 0], "iscrowd": 0}]
    assert _files(_mine(two, KP_CONFIG, "YOLO", tmp_path)) == _files(_ref(converter, two, KP_CONFIG, "YOLO", tmp_path))


def test_yolo_obb_writes_corners_not_pose_lines(tmp_path, converter):  # noqa: F811
    ref = _files(_ref(converter, tasks(), KP_CONFIG, "YOLO_OBB", tmp_path))
    mine = _files(_mine(tasks(), KP_CONFIG, "YOLO_OBB", tmp_path))
    assert sorted(mine) == sorted(ref)
    assert {k: v for k, v in mine.items() if not k.startswith("labels/")} == \
        {k: v for k, v in ref.items() if not k.startswith("labels/")}  # classes.txt, notes.json
    a = next(k for k in mine if k.endswith("__a.txt"))
    assert ref[a].decode().startswith("0 0.25 0.30000000000000004 0.3 0.4 0.2 0.25 2")  # pose lines in OBB
    assert mine[a].decode() == "0 0.1 0.1 0.4 0.1 0.4 0.5 0.1 0.5\n1 0.5 0.5 0.7 0.5 0.7 0.7 0.5 0.7\n"


def test_force_annotator_gives_keypoints_their_own(tmp_path, converter, monkeypatch):  # noqa: F811
    monkeypatch.setenv("LABEL_STUDIO_FORCE_ANNOTATOR_EXPORT", "1")
    some = tasks()[:2]
    ref = json.loads((_ref(converter, some, KP_CONFIG, "COCO", tmp_path) / "result.json").read_bytes())
    mine = json.loads(_mine(some, KP_CONFIG, "COCO", tmp_path).read_bytes())
    assert [a.get("annotator") for a in mine["annotations"]] == \
        ["a1@x.org"] * 3 + ["a2@x.org"] * 2 + ["a3@x.org"] * 2
    assert [a.get("annotator") for a in ref["annotations"]] == ["a1@x.org", "a1@x.org", None, "a2@x.org", None,
                                                                "a3@x.org", None]
    assert [{k: v for k, v in a.items() if k != "annotator"} for a in mine["annotations"]] == \
        [{k: v for k, v in a.items() if k != "annotator"} for a in ref["annotations"]]


def test_keypoint_order_across_controls_and_multilabel_points(tmp_path, converter):  # noqa: F811
    """A label repeated in a second KeyPointLabels keeps its first place and takes its last attributes; the first
    label to claim an index keeps it; `int()` reads " 1" but not "1.0". A point with two labels fills both in COCO,
    only its first in YOLO."""
    config = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Élève"/></RectangleLabels>
      <KeyPointLabels name="kp" toName="img"><Label value="nez" model_index="1"/><Label value="œil" model_index="0"/>
        <Label value="menton" model_index="1.0"/></KeyPointLabels>
      <KeyPointLabels name="kp2" toName="img"><Label value="nez" model_index="2"/>
        <Label value="oreille" model_index=" 1"/><Label value="joue" model_index="2"/></KeyPointLabels>
    </View>"""
    point = _kp("k2", 20, 25, "œil", "b1")
    point["value"]["keypointlabels"] = ["oreille", "nez"]
    second = dict(_kp("k3", 30, 35, "joue", "b1"), from_name="kp2")
    some = [_task(1, "a", [_ann(1, [_box("b1", 10, 10, 30, 40, "Élève"), _kp("k1", 15, 20, "œil", "b1"), point,
                                    second])])]
    ref = (_ref(converter, some, config, "COCO", tmp_path) / "result.json").read_bytes()
    mine = _mine(some, config, "COCO", tmp_path).read_bytes()
    assert _undated(mine) == _undated(ref)
    doc = json.loads(mine)
    assert doc["categories"][-1]["keypoints"] == ["nez", "œil", "menton", "oreille", "joue"]
    assert doc["annotations"][-1]["keypoints"] == [96, 96, 2, 128, 120, 2, 128, 120, 2]  # œil, oreille, nez
    ref_yolo = _files(_ref(converter, some, config, "YOLO", tmp_path))
    mine_yolo = _files(_mine(some, config, "YOLO", tmp_path))
    assert mine_yolo == ref_yolo
    assert next(v for k, v in mine_yolo.items() if k.startswith("labels/")) == \
        b"0 0.25 0.30000000000000004 0.3 0.4 0.15 0.2 2 0.2 0.25 2 0.0 0.0 0"


def test_a_dataframe_exports_as_its_tasks(tmp_path):
    """read_label_studio -> export: parents and ids come through the DataFrame as through the task list."""
    src = tmp_path / "tasks.json"
    src.write_text(json.dumps(tasks()), encoding="utf-8")
    df = nblabel.read_label_studio(src, config=KP_CONFIG)
    for fmt in ("COCO", "YOLO"):
        from_df = nblabel.export(df, tmp_path / f"df-{fmt}", fmt)
        from_tasks = _mine(tasks(), KP_CONFIG, fmt, tmp_path)
        if fmt == "COCO":
            assert _undated(Path(from_df).read_bytes()) == _undated(from_tasks.read_bytes())
        else:
            assert _files(Path(from_df)) == _files(from_tasks)

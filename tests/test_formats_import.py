"""read_coco / read_yolo: datasets back into image tasks, against label_studio_sdk's importers run live, and
export → import → export giving the same files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import nblabel
from nblabel.formats import UnsupportedFormat
from test_formats_support import IMAGE_CONFIG, converter  # noqa: F401

SIZES = {"a.png": (640, 480), "b.png": (300, 200), "c.png": (50, 50)}
COCO = {
    "images": [{"id": 7, "file_name": "images/b.png", "width": 300, "height": 200},
               {"id": 3, "file_name": "images/a.png", "width": 640, "height": 480},
               {"id": 9, "file_name": "images/c.png", "width": 50, "height": 50}],  # no annotations
    # ids out of alphabetical order and with gaps, as in COCO 2017
    "categories": [{"id": 1, "name": "zebra"}, {"id": 4, "name": "cat"},
                   {"id": 5, "name": "person", "keypoints": ["nose", "left_eye", "right_eye"]}],
    "annotations": [
        {"id": 1, "image_id": 3, "category_id": 1, "bbox": [64.5, 48.25, 100.125, 33], "area": 1, "iscrowd": 0,
         "segmentation": []},
        {"id": 2, "image_id": 3, "category_id": 4, "bbox": [10, 20, 30, 40], "area": 1, "iscrowd": 0,
         "segmentation": [[10, 20, 40, 20, 25, 60]]},
        {"id": 3, "image_id": 7, "category_id": 4, "bbox": [0, 0, 150, 100], "area": 1, "iscrowd": 0},
        {"id": 4, "image_id": 7, "category_id": 5, "bbox": [100, 50, 60, 80], "iscrowd": 0,
         "keypoints": [120, 60, 2, 0, 0, 0, 130, 61, 1], "num_keypoints": 2},
    ],
}


def _rounded(value):
    """Floats to 9 decimals, region ids dropped: the converter's ids are random."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k not in ("id", "parentID")}
    return value


def _coco_file(tmp_path: Path) -> Path:
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(COCO), encoding="utf-8")
    return path


def _reference_coco(tmp_path: Path) -> list[dict]:
    imports = pytest.importorskip("label_studio_sdk.converter.imports.coco")
    out = tmp_path / "ref.json"
    imports.convert_coco_to_ls(str(_coco_file(tmp_path)), str(out), out_type="annotations", image_root_url="/x/")
    return json.loads(out.read_text())


def test_read_coco_regions_are_the_converters(tmp_path):
    ref = _reference_coco(tmp_path)
    df = nblabel.read_coco(_coco_file(tmp_path))
    assert list(df.index) == [3, 7, 9]  # image id order, as the converter sorts
    assert list(df["image"]) == ["images/a.png", "images/b.png", "images/c.png"]
    ref_a, ref_b, ref_c = (t["annotations"][0]["result"] for t in ref)
    mine_a, mine_b = (df.loc[i, "annotations"][0]["result"] for i in (3, 7))
    # image a: a box as the converter makes it; a polygon annotation is its polygon only (the converter adds a
    # second region, a rectangle of the polygon's bbox)
    assert [r["type"] for r in ref_a] == ["rectanglelabels", "rectanglelabels", "polygonlabels"]
    assert _rounded(mine_a) == _rounded([ref_a[0], ref_a[2]])
    # image b: the box; the keypoints annotation's bbox (the person) and its labeled points, named by the
    # category's keypoints (the converter names each point "person" and adds a hidden one for v=0)
    assert _rounded(mine_b[:2]) == _rounded(ref_b[:2])
    ref_points = [r for r in ref_b[2:] if not (r["value"]["x"] == 0 and r["value"]["y"] == 0)]
    assert [r["value"]["keypointlabels"] for r in ref_points] == [["person"], ["person"]]
    assert _rounded(mine_b[2:]) == _rounded([dict(r, value=dict(r["value"], keypointlabels=[name]))
                                              for r, name in zip(ref_points, ("nose", "right_eye"))])
    assert {p["parentID"] for p in mine_b[2:]} == {mine_b[1]["id"]}
    assert mine_b[3]["value"]["hidden"] is True  # v = 1
    # image c: no annotations, a task to label (the converter gives it an empty annotation)
    assert ref_c == [] and df.loc[9, "annotations"] == []
    # the config: pinned category ids, keypoint positions
    config = df.attrs["nblabel"]["config"]
    assert '<Label value="zebra" category="1"/>' in config and '<Label value="right_eye" model_index="2"/>' in config


def test_read_coco_as_predictions_into_a_given_config(tmp_path):
    config = """<View><Image name="photo" value="$url"/>
      <RectangleLabels name="boxes" toName="photo"><Label value="zebra"/><Label value="cat"/></RectangleLabels>
      <PolygonLabels name="shapes" toName="photo"><Label value="cat"/></PolygonLabels>
      <KeyPointLabels name="points" toName="photo"><Label value="nose"/><Label value="right_eye"/></KeyPointLabels>
    </View>"""
    df = nblabel.read_coco(_coco_file(tmp_path), config=config, as_="predictions")
    assert list(df["url"]) == ["images/a.png", "images/b.png", "images/c.png"]
    assert all(a == [] for a in df["annotations"])
    regions = df.loc[3, "predictions"][0]["result"]
    assert [(r["from_name"], r["to_name"]) for r in regions] == [("boxes", "photo"), ("shapes", "photo")]
    assert df.attrs["nblabel"]["config"] == nblabel.parse_config(config).xml
    rooted = nblabel.read_coco(_coco_file(tmp_path), image_root="https://cdn.example.org/set/")
    assert rooted.loc[3, "image"] == "https://cdn.example.org/set/images/a.png"
    assert nblabel.read_coco(_coco_file(tmp_path), image_root="/data/set").loc[3, "image"] == "/data/set/images/a.png"
    no_polygons = re.sub(r"<PolygonLabels.*?</PolygonLabels>", "", config, flags=re.S)
    with pytest.raises(UnsupportedFormat, match="PolygonLabels"):
        nblabel.read_coco(_coco_file(tmp_path), config=no_polygons)
    with pytest.raises(ValueError, match="as_="):
        nblabel.read_coco(_coco_file(tmp_path), as_="labels")


def _undated(raw: bytes) -> bytes:
    raw = re.sub(rb'"date_created": "[^"]*"', b'"date_created": ""', raw)
    return re.sub(rb'"year": \d+', b'"year": 0', raw)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): _undated(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def _box(rid, x, y, w, h, label, size=(640, 480)):
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels", "original_width": size[0],
            "original_height": size[1], "value": {"x": x, "y": y, "width": w, "height": h, "rectanglelabels": [label]}}


def _poly(rid, points, label, size=(640, 480)):
    return {"id": rid, "from_name": "poly", "to_name": "image", "type": "polygonlabels", "original_width": size[0],
            "original_height": size[1], "value": {"points": points, "polygonlabels": [label]}}


# Boxes and polygons at awkward percentages (86.4 px is 18% of 480: 86.40000000000002 after a naive inverse),
# an image seen at another size, two annotations of one task, and a task without annotations.
SHAPE_TASKS = [
    {"id": 1, "data": {"image": "https://example.org/p/a.jpg"}, "annotations": [
        {"id": 1, "completed_by": 1, "created_at": "2024-02-01T00:00:00Z", "result": [
            _box("a", 12.5, 18, 30, 45, "Person"), _box("b", 33.3, 7.7, 11.1, 9.9, "Car"),
            _poly("c", [[0, 90], [45.3, 55.1], [99.9, 95]], "Road")]},
        {"id": 2, "completed_by": 2, "created_at": "2023-01-01T00:00:00Z", "result": [
            _box("d", 1.1, 2.2, 3.3, 4.4, "Car")]}]},
    {"id": 2, "data": {"image": "/data/upload/3/b.jpg"}, "annotations": [
        {"id": 3, "completed_by": 1, "created_at": "2024-02-01T00:00:00Z",
         "result": [_box("e", 70.7, 60.6, 10.3, 20.9, "Car", size=(333, 777))]}]},
    {"id": 3, "data": {"image": "s3://bucket/c.jpg"}, "annotations": []},
]


def test_coco_export_import_export_gives_the_same_file(tmp_path):
    first = nblabel.export(SHAPE_TASKS, tmp_path / "one", "COCO", config=IMAGE_CONFIG)
    df = nblabel.read_coco(tmp_path / "one")
    second = nblabel.export(df, tmp_path / "two", "COCO")
    assert _undated(Path(second).read_bytes()) == _undated(Path(first).read_bytes())
    assert len(json.loads(Path(first).read_text())["annotations"]) == 5


def test_coco_keypoints_round_trip(tmp_path):
    from test_formats_keypoints import _ann, _box as kbox, _kp, _task

    config = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Élève"/>
        <Label value="Chien" category="7"/></RectangleLabels>
      <KeyPointLabels name="kp" toName="img"><Label value="nez" model_index="0"/>
        <Label value="œil" model_index="1"/></KeyPointLabels></View>"""
    two_people = [_task(1, "a", [_ann(1, [
        kbox("p1", 10, 10, 20, 20, "Élève"), _kp("p1n", 15, 15, "nez", "p1"), _kp("p1e", 16, 12, "œil", "p1"),
        kbox("p2", 60, 60, 20, 20, "Chien"), _kp("p2n", 65, 65, "nez", "p2")])]), _task(2, "b", [])]
    first = nblabel.export(two_people, tmp_path / "one", "COCO", config=config)
    df = nblabel.read_coco(first)
    second = nblabel.export(df, tmp_path / "two", "COCO")
    assert _undated(Path(second).read_bytes()) == _undated(Path(first).read_bytes())
    points = [r for r in df.loc[0, "annotations"][0]["result"] if r["type"] == "keypointlabels"]
    assert [(p["value"]["keypointlabels"], p["parentID"]) for p in points] == [
        (["nez"], "c0"), (["œil"], "c0"), (["nez"], "c1")]  # each person's points back on its box


def _image_folder(tmp_path: Path) -> Path:
    from PIL import Image

    folder = tmp_path / "yolo"
    (folder / "images").mkdir(parents=True)
    (folder / "labels").mkdir()
    for name, size in SIZES.items():
        Image.new("RGB", size, (10, 20, 30)).save(folder / "images" / name)
    (folder / "classes.txt").write_text("dog\ncat\n", encoding="utf-8")
    (folder / "labels" / "a.txt").write_text("0 0.5 0.5 0.25 0.125\n1 0.1 0.2 0.05 0.1 0.87\n", encoding="utf-8")
    (folder / "labels" / "b.txt").write_text("1 0.33 0.66 0.2 0.3\n", encoding="utf-8")
    return folder  # c.png has no label file


def test_read_yolo_regions_are_the_converters(tmp_path):
    imports = pytest.importorskip("label_studio_sdk.converter.imports.yolo")
    folder = _image_folder(tmp_path)
    out = tmp_path / "ref.json"
    imports.convert_yolo_to_ls(str(folder), str(out), image_root_url="/x/")
    ref = {Path(t["data"]["image"]).name: t for t in json.loads(out.read_text())}
    df = nblabel.read_yolo(folder)
    assert [Path(v).name for v in df["image"]] == ["a.png", "b.png", "c.png"]
    assert Path(df.loc[0, "image"]).exists()  # a path the widget can show
    for pos, name in enumerate(["a.png", "b.png"]):
        assert _rounded(df.loc[pos, "annotations"][0]["result"]) == _rounded(ref[name]["annotations"][0]["result"])
    assert df.loc[0, "annotations"][0]["result"][1]["score"] == 0.87
    assert "annotations" not in ref["c.png"] and df.loc[2, "annotations"] == []
    assert 'name="label"' in df.attrs["nblabel"]["config"]
    pred = nblabel.read_yolo(folder, as_="predictions")
    assert pred.loc[0, "predictions"][0]["result"] == df.loc[0, "annotations"][0]["result"]


def test_yolo_export_import_export_gives_the_same_files(tmp_path):
    nblabel.export(SHAPE_TASKS, tmp_path / "one", "YOLO", config=IMAGE_CONFIG)
    df = nblabel.read_yolo(tmp_path / "one")
    assert sorted(len(a) for a in df["annotations"]) == [0, 1, 1]  # the empty file: a task to label
    assert sorted(v.split("__")[1] for v in df["image"]) == ["a", "b", "c"]  # labels without images
    nblabel.export(df, tmp_path / "two", "YOLO")
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    # and a dataset with its images: paths that exist stay, so the label files keep their names
    folder = _image_folder(tmp_path)
    nblabel.export(nblabel.read_yolo(folder), tmp_path / "three", "YOLO")
    assert _files(tmp_path / "three")["labels/b.txt"] == (folder / "labels" / "b.txt").read_bytes()
    assert _files(tmp_path / "three")["labels/c.txt"] == b""


def test_yolo_pose_round_trip(tmp_path):
    from test_formats_keypoints import _ann, _box as kbox, _kp, _task

    config = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Élève"/><Label value="Chien"/></RectangleLabels>
      <KeyPointLabels name="kp" toName="img"><Label value="nez" model_index="0"/>
        <Label value="œil" model_index="1"/></KeyPointLabels></View>"""
    tasks = [_task(1, "a", [_ann(1, [kbox("p1", 10, 10, 20, 20, "Chien"), _kp("p1n", 15, 15, "nez", "p1"),
                                     kbox("p2", 60, 60, 20, 20, "Élève")])])]
    nblabel.export(tasks, tmp_path / "one", "YOLO", config=config)
    df = nblabel.read_yolo(tmp_path / "one")
    nblabel.export(df, tmp_path / "two", "YOLO")
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_bad_yolo_lines_are_clear_errors(tmp_path):
    folder = _image_folder(tmp_path)
    (folder / "labels" / "b.txt").write_text("5 0.1 0.1 0.1 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="class 5 is not in classes.txt"):
        nblabel.read_yolo(folder)
    (folder / "labels" / "b.txt").write_text("0 0.1 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="2 numbers after the class"):
        nblabel.read_yolo(folder)


def test_every_non_local_image_is_named_as_a_server_export_names_it(tmp_path, converter):  # noqa: F811
    """URLs, uploads, local storage, cloud URIs and bare paths not on disk: `images/<md5[:8]>__<file name>`. The
    converter without a server names URLs and bare paths so (checked live), and keeps the others as written."""
    import hashlib

    values = ["https://example.org/p/a.jpg?x=1", "/data/upload/3/b.jpg", "/data/local-files/?d=dir/c.jpg",
              "s3://bucket/d/e.jpg", "pics/f.jpg"]
    tasks = [{"id": i, "data": {"image": v}, "annotations": [{"id": i, "result": [_box("r", 1, 1, 5, 5, "Car")]}]}
             for i, v in enumerate(values)]
    mine = json.loads(Path(nblabel.export(tasks, tmp_path / "m", "COCO", config=IMAGE_CONFIG)).read_text())
    names = [img["file_name"] for img in mine["images"]]
    files = ["a.jpg", "b.jpg", "c.jpg", "e.jpg", "f.jpg"]
    assert names == [f"images/{hashlib.md5(v.encode()).hexdigest()[:8]}__{f}" for v, f in zip(values, files)]
    ref = json.loads((converter(tasks, IMAGE_CONFIG, "COCO", tmp_path) / "result.json").read_text())
    ref_names = [img["file_name"] for img in ref["images"]]
    assert [ref_names[0], ref_names[4]] == [names[0], names[4]]
    assert ref_names[1:4] == values[1:4]  # what a server renames, the converter alone keeps
    # a name an export gave is kept, not renamed twice
    again = [{"id": 0, "data": {"image": names[1]}, "annotations": tasks[1]["annotations"]}]
    out = json.loads(Path(nblabel.export(again, tmp_path / "n", "COCO", config=IMAGE_CONFIG)).read_text())
    assert out["images"][0]["file_name"] == names[1]


@pytest.mark.parametrize("fmt", ["COCO", "YOLO"])
def test_what_the_converter_wrote_reads_back_and_exports_the_same(tmp_path, converter, fmt):  # noqa: F811
    # URLs only: uploads and cloud URIs the converter without a server keeps as written (see the naming test)
    tasks = [dict(t, data={"image": f"https://example.org/p/{i}.jpg"}) for i, t in enumerate(SHAPE_TASKS)]
    ref = converter(tasks, IMAGE_CONFIG, fmt, tmp_path)
    df = nblabel.read_coco(ref / "result.json") if fmt == "COCO" else nblabel.read_yolo(ref)
    out = nblabel.export(df, tmp_path / "again", fmt)
    if fmt == "COCO":
        assert _undated(Path(out).read_bytes()) == _undated((ref / "result.json").read_bytes())
    else:
        assert _files(tmp_path / "again") == _files(ref)

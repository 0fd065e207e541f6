"""`<Repeater>` results (`labels_0`, `labels_2`, `q_2`) through JSON, JSON_MIN, CSV and TSV: written as
label_studio_sdk's converter writes them when it gets the schema a Label Studio server gives it (the converter's
own `parse_config` drops every repeated result), read back as annotations, never as task data, and written again
byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nblabel

CONFIG = """<View><Repeater on="$images" indexFlag="{{idx}}">
  <Image name="page_{{idx}}" value="$images[{{idx}}].url"/>
  <RectangleLabels name="labels_{{idx}}" toName="page_{{idx}}">
    <Label value="Cat"/><Label value="Dog"/></RectangleLabels>
  <Choices name="q_{{idx}}" toName="page_{{idx}}"><Choice value="ok"/><Choice value="blurred"/></Choices>
</Repeater></View>"""
EXT = {"CSV": "csv", "TSV": "tsv", "JSON_MIN": "json", "JSON": "json"}


def _box(k, x, label="Cat"):
    return {"id": f"r{k}{x}", "from_name": f"labels_{k}", "to_name": f"page_{k}", "type": "rectanglelabels",
            "original_width": 100, "original_height": 50,
            "value": {"x": x, "y": 10, "width": 20, "height": 30, "rotation": 0, "rectanglelabels": [label]}}


def _choice(k, value):
    return {"id": f"c{k}", "from_name": f"q_{k}", "to_name": f"page_{k}", "type": "choices",
            "value": {"choices": [value]}}


def _tasks():
    urls = lambda task, n: [{"url": f"https://example.org/t{task}p{i}.jpg"} for i in range(n)]  # noqa: E731
    return [
        {"id": 1, "data": {"images": urls(1, 3)},
         "annotations": [{"id": 5, "completed_by": 1, "created_at": "2024-01-01T00:00:00Z",
                          "updated_at": "2024-01-01T00:00:00Z", "lead_time": 1.5,
                          "result": [_box(0, 10), _box(2, 30, "Dog"), _box(2, 50), _choice(2, "blurred")]}]},
        {"id": 2, "data": {"images": urls(2, 1)},
         "annotations": [{"id": 6, "completed_by": 2, "created_at": "2024-01-02T00:00:00Z",
                          "updated_at": "2024-01-02T00:00:00Z", "lead_time": 2.0,
                          "result": [_choice(0, "ok")]}]},
        {"id": 3, "data": {"images": urls(3, 2)}, "annotations": []},
    ]


@pytest.fixture
def server_converter():
    """The converter given the parsed config a Label Studio server passes it (`project.get_parsed_config()`,
    whose `regex` maps `labels_0` to `labels_{{idx}}`)."""
    conv = pytest.importorskip("label_studio_sdk.converter")
    tools = pytest.importorskip("label_studio_sdk._extensions.label_studio_tools.core.label_config")

    def run(tasks: list, fmt: str, tmp_path: Path) -> bytes:
        src = tmp_path / f"ref_{fmt}_in.json"
        src.write_text(json.dumps(tasks), encoding="utf-8")
        out = tmp_path / f"ref_{fmt}"
        conv.Converter(tools.parse_config(CONFIG), project_dir=None, download_resources=False).convert(
            str(src), str(out), fmt, is_dir=False)
        return next(p for p in sorted(out.rglob("*")) if p.is_file()).read_bytes()

    return run


@pytest.mark.parametrize("fmt", ["JSON_MIN", "CSV", "TSV"])
def test_repeated_controls_are_written_as_the_server_converter_writes_them(tmp_path, server_converter, fmt):
    tasks = _tasks()
    ref = server_converter(tasks, fmt, tmp_path)
    assert b"labels_0" in ref and b"labels_2" in ref and b"q_2" in ref  # the reference keeps them too
    src = tmp_path / "export.json"
    src.write_text(json.dumps(tasks), encoding="utf-8")
    file_to_file = Path(nblabel.export(src, tmp_path / f"a.{EXT[fmt]}", fmt, config=CONFIG)).read_bytes()
    assert file_to_file == ref
    df = nblabel.read_label_studio(src, config=CONFIG)
    from_frame = Path(nblabel.export(df, tmp_path / f"b.{EXT[fmt]}", fmt)).read_bytes()
    assert from_frame == ref


def test_the_plain_converter_drops_repeated_results(tmp_path):
    """Why the reference above is the server's schema: the converter's own config parser has no index patterns,
    so a standalone conversion loses every repeated answer (nblabel keeps them)."""
    conv = pytest.importorskip("label_studio_sdk.converter")
    src = tmp_path / "in.json"
    src.write_text(json.dumps(_tasks()), encoding="utf-8")
    conv.Converter(CONFIG, project_dir=None, download_resources=False).convert(str(src), str(tmp_path / "o"),
                                                                              "JSON_MIN", is_dir=False)
    records = json.loads((tmp_path / "o" / "result.json").read_text())
    assert not any(k.startswith(("labels_", "q_")) for r in records for k in r)
    ours = json.loads(Path(nblabel.export(src, tmp_path / "a.json", "JSON_MIN", config=CONFIG)).read_text())
    assert [sorted(k for k in r if k.startswith(("labels_", "q_"))) for r in ours] == [
        ["labels_0", "labels_2", "q_2"], ["q_0"], []]


def _strip(tasks):
    """Tasks as JSON_MIN / CSV keep them: results without ids, no `id` on regions."""
    out = []
    for t in tasks:
        anns = [[{k: v for k, v in r.items() if k != "id"} for r in a["result"]] for a in t["annotations"]]
        out.append((t["id"], t["data"], anns))
    return out


@pytest.mark.parametrize("fmt", ["JSON_MIN", "CSV", "TSV", "JSON"])
def test_read_back_gives_annotations_not_data_and_round_trips(tmp_path, fmt):
    tasks = _tasks()
    first = Path(nblabel.export(tasks, tmp_path / f"a.{EXT[fmt]}", fmt, config=CONFIG))
    df = nblabel.read_label_studio(first, config=CONFIG)
    assert list(df["images"]) == [t["data"]["images"] for t in tasks]
    assert not any(str(c).startswith(("labels_", "q_")) for c in df.attrs["nblabel"]["data_columns"])
    got = [(i, {"images": im}, [[{k: v for k, v in r.items() if k != "id"} for r in a["result"]] for a in anns])
           for i, im, anns in zip(df.index, df["images"], df["annotations"])]
    want = _strip(tasks)
    # results come back in config order: a template's items by index, each control's regions as written
    assert got == want
    # the simple columns: one per concrete name that has an answer
    assert df["q_2"].tolist()[0] == "blurred" and df["q_0"].tolist()[1] == "ok"
    assert [len(v) for v in df["labels_2"].tolist()[:1]] == [2]
    again = Path(nblabel.export(df, tmp_path / f"b.{EXT[fmt]}", fmt))
    assert again.read_bytes() == first.read_bytes()


def test_the_converter_cannot_write_images_formats_of_a_repeater(tmp_path, server_converter):
    """Why COCO / YOLO / VOC below have no reference: the converter looks `images[{{idx}}].url` up as a data key."""
    for fmt in ("COCO", "YOLO", "VOC"):
        with pytest.raises(KeyError, match=r"images\[\{\{idx\}\}\]\.url"):
            server_converter(_tasks(), fmt, tmp_path)


def _name(url):
    import hashlib

    return f"images/{hashlib.md5(url.encode()).hexdigest()[:8]}__{url.rsplit('/', 1)[1]}"


def test_coco_has_one_image_per_repeated_item_with_its_boxes(tmp_path):
    doc = json.loads(Path(nblabel.export(_tasks(), tmp_path / "coco.json", "COCO", config=CONFIG)).read_text())
    # task 1: three items; task 2: one item answered by a choice only, which gives no entry (as a plain task whose
    # annotation has no region); task 3: two items, no annotation
    urls = [f"https://example.org/t{t}p{i}.jpg" for t, i in ((1, 0), (1, 1), (1, 2), (3, 0), (3, 1))]
    assert [(i["id"], i["file_name"]) for i in doc["images"]] == [(k, _name(u)) for k, u in enumerate(urls)]
    assert [i["width"] for i in doc["images"]] == [100, None, 100, None, None]  # sizes from the boxes
    cats = {c["name"]: c["id"] for c in doc["categories"]}
    assert [(a["image_id"], a["category_id"], a["bbox"]) for a in doc["annotations"]] == [
        (0, cats["Cat"], [10.0, 5.0, 20.0, 15.0]), (2, cats["Dog"], [30.0, 5.0, 20.0, 15.0]),
        (2, cats["Cat"], [50.0, 5.0, 20.0, 15.0])]


def test_yolo_and_voc_write_one_file_per_repeated_image(tmp_path):
    out = Path(nblabel.export(_tasks(), tmp_path / "yolo", "YOLO", config=CONFIG))
    labels = {p.name: p.read_text() for p in (out / "labels").iterdir()}
    stem = lambda i: Path(_name(f"https://example.org/t1p{i}.jpg")).stem  # noqa: E731
    cats = (out / "classes.txt").read_text().split()
    cat, dog = cats.index("Cat"), cats.index("Dog")
    assert labels[f"{stem(0)}.txt"].split() == f"{cat} 0.2 0.25 0.2 0.3".split()
    assert len(labels) == 6 and labels[f"{stem(1)}.txt"] == ""  # every image of the three tasks has its file
    assert labels[f"{stem(2)}.txt"].split() == f"{dog} 0.4 0.25 0.2 0.3 {cat} 0.6 0.25 0.2 0.3".split()
    voc = Path(nblabel.export(_tasks(), tmp_path / "voc", "VOC", config=CONFIG))
    xmls = {p.name: p.read_text() for p in (voc / "Annotations").iterdir()}
    assert sorted(xmls) == ["t1p0.xml", "t1p2.xml"]  # one per annotated image, named by its base name
    page2 = xmls["t1p2.xml"]
    assert page2.count("<object>") == 2 and "<name>Dog</name>" in page2 and "<xmin>30</xmin>" in page2


def test_agreement_is_measured_per_repeated_name():
    tasks = _tasks()
    second = {**tasks[0]["annotations"][0], "id": 9, "completed_by": 3,
              "result": [_box(0, 10), _box(2, 30, "Dog"), _box(2, 50), _choice(2, "ok")]}
    tasks[0]["annotations"].append(second)
    report = nblabel.agreement(tasks, config=CONFIG)
    summary = report.summary
    assert list(summary.index) == ["labels_0", "labels_2", "q_0", "q_2"]  # no template rows
    assert summary.loc["q_2", "metric"] == "exact"  # a single-choice control, as its template says
    assert summary.loc["q_2", "value"] == 0.0 and summary.loc["labels_2", "value"] == 1.0


def test_to_datasets_has_a_column_per_repeated_name():
    pytest.importorskip("datasets")
    ds = nblabel.to_datasets(nblabel.read_label_studio(_tasks(), config=CONFIG))
    assert ds.column_names == ["id", "images", "labels_0", "labels_2", "q_0", "q_2"]
    assert ds.features["q_2"].names == ["ok", "blurred"] and ds["q_2"] == [1, -1] and ds["q_0"] == [-1, 0]
    assert [json.loads(v)[0]["rectanglelabels"] for v in ds["labels_2"][:1]] == [["Dog"]]

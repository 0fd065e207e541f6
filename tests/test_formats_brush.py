"""BRUSH_TO_PNG and BRUSH_TO_COCO against label_studio_sdk's converter run live: the same PNG files, and COCO masks
that decode to the converter's masks pixel for pixel (the converter's own BRUSH_TO_COCO traces polygons)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import nblabel
from nblabel.formats import UnsupportedFormat
from test_formats_support import converter  # noqa: F401

CONFIG = """<View><Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image"><Label value="Cat/Dog"/><Label value="Sky"/></BrushLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/></PolygonLabels>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""
H, W = 30, 40


def _ring() -> np.ndarray:
    """A ring (a hole inside), a separate blob, and anti-aliased edge pixels (alpha 128)."""
    yy, xx = np.mgrid[:H, :W]
    r = np.hypot(yy - 12, xx - 12)
    mask = np.where((r >= 4) & (r <= 9), 255, 0).astype(np.uint8)
    mask[(r > 9) & (r <= 9.6)] = 128
    mask[22:27, 30:38] = 255
    return mask


def _stripe() -> np.ndarray:
    mask = np.zeros((H, W), np.uint8)
    mask[:, 0] = 255  # touches the image border
    mask[5, :] = 255
    return mask


def _brush(rid, mask, labels):
    return {"id": rid, "from_name": "tag", "to_name": "image", "type": "brushlabels", "original_width": W,
            "original_height": H, "image_rotation": 0,
            "value": {"format": "rle", "rle": nblabel.brush.mask_to_rle(mask), "brushlabels": labels}}


def _tasks():
    poly = {"id": "p", "from_name": "poly", "to_name": "image", "type": "polygonlabels", "original_width": W,
            "original_height": H,
            "value": {"points": [[10.3, 20.6], [60.1, 25], [40, 90.2]], "polygonlabels": ["Road"]}}
    box = {"id": "b", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": W,
           "original_height": H, "value": {"x": 12.5, "y": 10, "width": 30, "height": 20.5, "rectanglelabels": ["Car"]}}
    return [
        {"id": 1, "data": {"image": "https://example.org/pics/one.png"}, "annotations": [
            {"id": 10, "completed_by": {"email": "a+b/c@x.org"}, "created_at": "2024-01-02T00:00:00Z",
             "result": [_brush("m1", _ring(), ["Cat/Dog"]), _brush("m2", _stripe(), ["Cat/Dog"]),
                        _brush("m3", _stripe(), ["Sky", "Cat/Dog"]), poly, box]},
            {"id": 11, "completed_by": 7, "created_at": "2024-01-01T00:00:00Z",
             "result": [_brush("m4", _ring(), ["Sky"])]},
            {"id": 12, "completed_by": 7, "was_cancelled": True, "result": [_brush("m5", _ring(), ["Sky"])]}]},
        {"id": 2, "data": {"image": "https://example.org/pics/two.png"}, "annotations": []},
    ]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _reference_pngs(converter, tmp_path: Path) -> Path:  # noqa: F811
    (tmp_path / "ref_BRUSH_TO_PNG").mkdir(exist_ok=True)  # the converter writes into an existing folder
    return converter(_tasks(), CONFIG, "BRUSH_TO_PNG", tmp_path)


def test_brush_to_png_is_the_converters(tmp_path, converter):  # noqa: F811
    from PIL import Image

    ref_dir = _reference_pngs(converter, tmp_path)
    out = nblabel.export(_tasks(), tmp_path / "mine", "BRUSH_TO_PNG", config=CONFIG)
    mine, ref = _files(Path(out)), _files(ref_dir)
    assert sorted(mine) == sorted(ref) and len(mine) == 4
    assert "task-1-annotation-10-by-abc@x.org-tag-Cat-Dog-1.png" in mine  # the second Cat/Dog mask
    for name in ref:  # pixel for pixel, and (PIL writing both) byte for byte
        assert np.array_equal(np.asarray(Image.open(Path(out) / name)), np.asarray(Image.open(ref_dir / name)))
        assert mine[name] == ref[name]


def _decode_coco_rle(seg: dict) -> np.ndarray:
    """pycocotools' uncompressed RLE: alternating runs of 0 and 1 over the column-major pixels."""
    h, w = seg["size"]
    flat = np.zeros(h * w, np.uint8)
    pos, value = 0, 0
    for n in seg["counts"]:
        flat[pos:pos + n] = value
        pos, value = pos + n, 1 - value
    return flat.reshape(w, h).T


def _no_id(a: dict) -> dict:
    return {k: v for k, v in a.items() if k != "id"}


def test_brush_to_coco_masks_are_the_converters_pixel_for_pixel(tmp_path, converter):  # noqa: F811
    from PIL import Image

    pytest.importorskip("cv2")  # the converter's BRUSH_TO_COCO needs OpenCV
    ref = json.loads((converter(_tasks(), CONFIG, "BRUSH_TO_COCO", tmp_path) / "result_coco.json").read_text())
    out = nblabel.export(_tasks(), tmp_path / "mine", "BRUSH_TO_COCO", config=CONFIG)
    assert out.endswith("result_coco.json") and (tmp_path / "mine" / "images").is_dir()
    mine = json.loads(Path(out).read_text())
    assert mine["images"] == ref["images"]
    keys = ("id", "name", "supercategory", "metadata")
    assert [{k: c[k] for k in keys} for c in mine["categories"]] == [{k: c[k] for k in keys} for c in ref["categories"]]
    brush = {c["id"] for c in mine["categories"] if c["name"] in ("Cat/Dog", "Sky")}
    # rectangles and polygons: the converter's annotations
    assert [_no_id(a) for a in mine["annotations"] if a["category_id"] not in brush] == \
        [_no_id(a) for a in ref["annotations"] if a["category_id"] not in brush]
    # masks: one annotation per mask and label, each decoding to the converter's PNG mask
    png_dir = _reference_pngs(converter, tmp_path)
    masks = [a for a in mine["annotations"] if a["category_id"] in brush]
    layers = [("10", "abc@x.org", "Cat-Dog-0"), ("10", "abc@x.org", "Cat-Dog-1"), ("10", "abc@x.org", "Sky-Cat-Dog-0"),
              ("10", "abc@x.org", "Sky-Cat-Dog-0"), ("11", "7", "Sky-0")]
    assert len(masks) == len(layers)
    for ann, (aid, who, layer) in zip(masks, layers):
        png = np.asarray(Image.open(png_dir / f"task-1-annotation-{aid}-by-{who}-tag-{layer}.png"))
        assert np.array_equal(_decode_coco_rle(ann["segmentation"]), (png > 0).astype(np.uint8))
        ys, xs = np.nonzero(png)
        assert ann["area"] == xs.size
        assert ann["bbox"] == [xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1]
    # the converter's traced outlines lose the ring's hole (and split it from the blob)
    ring = [a for a in ref["annotations"] if a["category_id"] in brush and a["image_id"] == 0]
    assert sum(a["area"] for a in ring[:2]) != masks[0]["area"] == int((_ring() > 0).sum())


def test_brush_formats_need_a_brush_config(tmp_path):
    config = '<View><Image name="image" value="$image"/><RectangleLabels name="box" toName="image">' \
             '<Label value="Car"/></RectangleLabels></View>'
    for fmt in ("BRUSH_TO_PNG", "BRUSH_TO_COCO"):
        with pytest.raises(UnsupportedFormat, match="BrushLabels"):
            nblabel.export(_tasks()[1:], tmp_path / fmt, fmt, config=config)

"""COCO: `result.json` with images, categories, annotations and info, as `Converter.convert_to_coco` writes it.

Rules: one image entry per export item (so a task annotated twice appears twice, as in Label Studio); its size is
read from the image file when it can be opened, else taken from the first labeled region's `original_width` /
`original_height`; a task without annotations still gets an entry. Rectangles give `bbox` [x, y, w, h] in pixels
and `area` = w·h with empty `segmentation`; polygons give `segmentation` [[x1, y1, ...]], their bounding box and
shoelace area. Only the first label of a region counts. Layout: `json.dump(indent=2)` with `/` escaped and
non-ASCII escaped (ujson defaults); an `images/` folder beside `result.json`. Keypoints (KeyPointLabels, which
Label Studio exports to COCO only beside RectangleLabels): a "default" category and one keypoint annotation after
an image's other regions, as `nblabel.formats._keypoints` describes.

Deliberate differences: keypoints of different parent regions are kept apart (see `_keypoints`). A rotated
rectangle's bbox bounds its corners in pixels; the converter (`rotated_rectangle`) rotates in percent-of-image
units, which stretches the box on non-square images; both agree on square images and on unrotated boxes.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import numpy as np

from . import _keypoints
from ._frame import Frame
from ._images import (categories, category_id, corners, image_field, image_items, image_name, image_size,
                      output_values)
from ._items import annotator, iter_items
from ._jsonio import dumps_indented_ascii


def _shoelace(xs: list[float], ys: list[float]) -> float:
    # Shoelace formula with numpy dot products, so the float sums round as the converter's (`get_polygon_area`).
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return float(0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def build(frame: Frame, out_dir: str) -> dict:
    config = frame.config
    _keypoints.check_offered(config, "COCO")
    field = image_field(config, "COCO", repeated=True)
    cats, ids = categories(config)
    with_parents = _keypoints.has_keypoints(config)
    if with_parents:
        cats, ids = _keypoints.coco_categories(cats, ids, config)
    images: list[dict] = []
    annotations: list[dict] = []
    force_annotator = bool(os.getenv("LABEL_STUDIO_FORCE_ANNOTATOR_EXPORT"))
    for item in image_items(iter_items(frame, utf16=True), config, field):
        path = image_name(item.data.get(field), out_dir)
        image_id = len(images)
        size = image_size(os.path.join(out_dir, path))
        width, height = size if size else (None, None)
        if size:
            images.append({"width": width, "height": height, "id": image_id, "file_name": path})
        if not item.outputs:
            if not size:
                images.append({"width": None, "height": None, "id": image_id, "file_name": path})
            continue
        keypoints: list[tuple[dict, Any]] = []  # (keypoint, parentID): written after the item's other regions
        found = _keypoints.regions(item) if with_parents else [(v, None, None, None) for v in output_values(item)]
        for label, _tag, _rid, parent in found:
            name = next((label[k][0] for k in ("rectanglelabels", "polygonlabels", "keypointlabels", "labels")
                         if isinstance(label.get(k), list) and label[k]), None)
            if name is None:
                continue
            if not width or not height:
                if "original_width" not in label or "original_height" not in label:
                    continue
                width, height = label["original_width"], label["original_height"]
                images.append({"width": width, "height": height, "id": image_id, "file_name": path})
            cat = category_id(name, cats, ids)
            entry: dict[str, Any]
            if "rectanglelabels" in label or "labels" in label:
                if not all(k in label for k in ("x", "y", "width", "height")):
                    continue
                ow = label.get("original_width", width)
                oh = label.get("original_height", height)
                if label.get("rotation"):
                    pts = corners(label, ow, oh)
                    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                    x, y, w, h = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
                else:
                    x, y = label["x"] * ow / 100, label["y"] * oh / 100
                    w, h = label["width"] * ow / 100, label["height"] * oh / 100
                entry = {"id": len(annotations), "image_id": image_id, "category_id": cat, "segmentation": [],
                         "bbox": [x, y, w, h], "ignore": 0, "iscrowd": 0, "area": w * h}
            elif "polygonlabels" in label:
                points = [(px / 100 * width, py / 100 * height) for px, py in label.get("points") or ()]
                if not points:
                    continue
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                entry = {"id": len(annotations), "image_id": image_id, "category_id": cat,
                         "segmentation": [[c for p in points for c in p]],
                         "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
                         "ignore": 0, "iscrowd": 0, "area": _shoelace(xs, ys)}
            else:
                if "keypointlabels" in label:
                    keypoints.append((label, parent))
                continue
            if force_annotator:
                entry["annotator"] = annotator(item.annotation)
            annotations.append(entry)
        if keypoints:
            for entry in _keypoints.coco_annotations(keypoints, _keypoints.order(config), ids, image_id,
                                                     len(annotations), width, height):
                if force_annotator:
                    entry["annotator"] = annotator(item.annotation)
                annotations.append(entry)
    now = _dt.datetime.now()
    return {"images": images, "categories": cats, "annotations": annotations,
            "info": {"year": now.year, "version": "1.0", "description": "", "contributor": "Label Studio", "url": "",
                     "date_created": str(now)}}


def write(frame: Frame, path: str) -> str:
    """`path` ending in .json is the file; otherwise a folder that gets `result.json` and `images/`."""
    if path.lower().endswith(".json"):
        out_dir = os.path.dirname(os.path.abspath(path))
        target = path
    else:
        out_dir = path
        target = os.path.join(path, "result.json")
        os.makedirs(os.path.join(path, "images"), exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    doc = build(frame, out_dir)
    with open(target, "wb") as fh:
        fh.write(dumps_indented_ascii(doc))
    return target

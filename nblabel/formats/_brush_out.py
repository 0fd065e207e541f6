"""BRUSH_TO_PNG and BRUSH_TO_COCO: brush masks (BrushLabels results, Label Studio's RLE) as image files or COCO.

Rules (label_studio_sdk 2.1.2, `converter/brush.py`, `exports/brush_to_coco.py`):
- offered, as Label Studio offers them, for a config with an Image and BrushLabels (or Brush beside Labels);
- a mask is a result of a BrushLabels (or Labels) control whose value has `rle`, decoded as the RGBA image of
  `original_height` × `original_width` and cut to its alpha channel;
- BRUSH_TO_PNG: one 8-bit grayscale PNG per mask in the folder, named `task-<task id>-annotation-<annotation
  id>-by-<annotator>-<control>-<labels joined by ->-<n>.png`, the annotator's email (or user id) kept to letters,
  digits, `@` and `.`, `/` and `\\` in the rest made `-`, and `n` counting the masks of one control and label set
  in one annotation from 0; a task's annotations newest first, cancelled ones left out (as every format);
- BRUSH_TO_COCO: `result_coco.json` (`json.dump(indent=2, ensure_ascii=False)`) and an `images/` folder. One
  image per export item that has regions, numbered by the item's position among all items; `file_name` the image
  value's base name, `path` the value, size from its first region with `original_width`. Categories numbered from
  1 in order of first use, with `supercategory` "" and `metadata` {}. Each label of a region gives an annotation
  with the item's `annotator` ("unknown" without one): a rectangle its pixel `bbox` (`x * width / 100`...),
  `area` w·h and empty `segmentation`; a polygon its points rounded to pixels, the bounding rectangle of those
  pixels and the integer shoelace area; a brush mask (see below) one annotation.

Deliberate differences, where the converter is wrong or loses what the mask holds:
- BRUSH_TO_COCO writes a mask as COCO RLE, `{"counts": [...], "size": [height, width]}` (uncompressed, column
  major, as pycocotools reads it), `area` its painted pixel count and `bbox` the pixels it spans: decoded, it is
  the converter's PNG mask pixel for pixel. The converter traces outer contours into polygons (OpenCV), which
  drops holes and pixel detail and splits a mask into one annotation per blob;
- category colors are `#` and the first 6 hex digits of md5(name), the same on every export; the converter's are
  random;
- the image of a task is the config's Image field; the converter takes the first data value that ends in an image
  extension, and skips images whose URL has none.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import numpy as np

from .._errors import UnsupportedFormat
from ..results._rle import rle_to_mask
from ._frame import Frame
from ._images import image_field
from ._items import annotator, iter_items

_KEYS = {"BrushLabels": "brushlabels", "Labels": "labels"}


def check_offered(config: Any, fmt: str) -> str:
    """The Image field the masks belong to; UnsupportedFormat when Label Studio would not offer `fmt`."""
    tags = {c.tag for c in config.controls.values()}
    if not ("BrushLabels" in tags or ("Brush" in tags and "Labels" in tags)):
        raise UnsupportedFormat(f"format={fmt!r} needs a <BrushLabels> control on an <Image> (Label Studio offers "
                                "brush exports only for such configs)")
    return image_field(config, fmt, {"BrushLabels", "Brush", "Labels"})


def masks(name: str, tag: str, values: list[dict]) -> list[tuple[str, np.ndarray]]:
    """(layer name, alpha mask) of a control's brush values (`decode_from_annotation`)."""
    key = _KEYS.get(tag)
    if key is None:
        return []
    counters: dict[str, int] = {}
    out = []
    for value in values:
        if "rle" not in value:
            continue
        labels = value.get(key, ["no_label"])
        layer = name + "-" + "-".join(labels)
        n = counters.get(layer, 0)
        counters[layer] = n + 1
        out.append((f"{layer}-{n}", _decoded(name, value)))
    return out


def _decoded(name: str, value: dict) -> np.ndarray:
    try:
        return rle_to_mask(value["rle"], int(value["original_height"]), int(value["original_width"]))
    except KeyError:
        raise UnsupportedFormat(f"a brush mask of {name!r} has no original_width / original_height: its RLE "
                                "cannot be cut into rows") from None
    except (TypeError, ValueError) as exc:
        raise UnsupportedFormat(f"a brush mask of {name!r} cannot be decoded: {exc}") from None


def write_png(frame: Frame, path: str) -> None:
    from PIL import Image

    check_offered(frame.config, "BRUSH_TO_PNG")
    os.makedirs(path, exist_ok=True)
    for item in iter_items(frame, utf16=True):
        if not item.outputs:
            continue
        who = annotator(item.annotation, "")
        who = "".join(ch for ch in str(who) if ch.isalnum() or ch in "@.")
        prefix = f"task-{item.id}-annotation-{item.annotation.get('id')}-by-{who}-"
        for name, values in item.outputs.items():
            for layer, mask in masks(name, item.tags.get(name, ""), values):
                target = os.path.join(path, prefix + layer.replace("/", "-").replace("\\", "-") + ".png")
                Image.fromarray(mask).save(target)


def _coco_rle(mask: np.ndarray) -> dict:
    """Uncompressed COCO RLE: run lengths over the column-major pixels, starting with a run of zeros."""
    flat = (mask.T.ravel() > 0).astype(np.int8)
    changes = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    counts = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        counts.insert(0, 0)
    return {"counts": counts, "size": [int(mask.shape[0]), int(mask.shape[1])]}


def _mask_annotation(mask: np.ndarray) -> tuple[dict, list[int], int] | None:
    ys, xs = np.nonzero(mask)
    if not xs.size:
        return None
    x0, y0 = int(xs.min()), int(ys.min())
    return _coco_rle(mask), [x0, y0, int(xs.max()) - x0 + 1, int(ys.max()) - y0 + 1], int(xs.size)


def _polygon(points: list, width: Any, height: Any) -> tuple[list, list[int], int]:
    pts = [[round(x * width / 100), round(y * height / 100)] for x, y in points]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    # OpenCV's boundingRect of the pixel points (inclusive) and contourArea (shoelace), as the converter uses them
    bbox = [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1]
    area = abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(pts)))) / 2
    return [[c for p in pts for c in p]], bbox, int(area)


def _color(name: str) -> str:
    return "#" + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:6]


def build_coco(frame: Frame) -> dict:
    field = check_offered(frame.config, "BRUSH_TO_COCO")
    import datetime as _dt

    now = _dt.datetime.now()
    coco: dict[str, Any] = {"images": [], "annotations": [], "categories": [], "info": {
        "year": now.year, "version": "1.0", "description": "Converted from Label Studio",
        "contributor": "Label Studio Converter", "date_created": str(now)}}
    cat_ids: dict[str, int] = {}
    for image_id, item in enumerate(iter_items(frame, utf16=True)):
        value = item.data.get(field)
        if not isinstance(value, (str, os.PathLike)) or not item.outputs:
            continue
        value = os.fspath(value)
        image = {"id": image_id, "file_name": os.path.basename(value), "path": value, "width": None, "height": None}
        who = annotator(item.annotation, "unknown")
        valid = False
        for name, values in item.outputs.items():
            tag = item.tags.get(name, "")
            for v in values:
                if image["width"] is None and "original_width" in v:
                    image["width"], image["height"] = v["original_width"], v.get("original_height")
                key = next((k for k in ("brushlabels", "polygonlabels", "rectanglelabels", "labels") if k in v), None)
                if key is None:
                    continue
                mask = None
                if key == "brushlabels" and "rle" in v and "original_width" in v and "original_height" in v:
                    mask = _decoded(name, v)
                for label in v[key]:
                    if label not in cat_ids:
                        cat_ids[label] = len(cat_ids) + 1
                        coco["categories"].append({"id": cat_ids[label], "name": label, "supercategory": "",
                                                   "color": _color(label), "metadata": {}})
                    entry = _entry(v, key, tag, mask)
                    if entry is None:
                        continue
                    coco["annotations"].append({"id": len(coco["annotations"]), "image_id": image_id,
                                                "category_id": cat_ids[label], **entry, "annotator": who})
                    valid = True
        if valid and image["width"] is not None and image["height"] is not None:
            coco["images"].append(image)
    return coco


def _entry(v: dict, key: str, tag: str, mask: np.ndarray | None) -> dict | None:
    sized = "original_width" in v and "original_height" in v
    if mask is not None and key == "brushlabels":
        found = _mask_annotation(mask)
        if found is None:
            return None
        seg, bbox, area = found
        return {"segmentation": seg, "area": area, "bbox": bbox, "iscrowd": 0}
    if key == "polygonlabels" and "points" in v:
        if not sized:
            return None
        seg, bbox, area = _polygon(v["points"], v["original_width"], v["original_height"])
        return {"segmentation": seg, "area": area, "bbox": bbox, "iscrowd": 0}
    if (tag == "RectangleLabels" or key == "labels") and all(k in v for k in ("x", "y", "width", "height")):
        if not sized:
            return None
        x, y = v["x"] * v["original_width"] / 100, v["y"] * v["original_height"] / 100
        w, h = v["width"] * v["original_width"] / 100, v["height"] * v["original_height"] / 100
        return {"segmentation": [], "area": w * h, "bbox": [x, y, w, h], "iscrowd": 0}
    return None


def write_coco(frame: Frame, path: str) -> str:
    os.makedirs(os.path.join(path, "images"), exist_ok=True)
    target = os.path.join(path, "result_coco.json")
    coco = build_coco(frame)
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(coco, fh, indent=2, ensure_ascii=False)
    return target

"""`read_coco`: a COCO dataset (`result.json`, or any COCO instances / keypoints file) as image tasks.

    df = nblabel.read_coco("export/result.json")                       # labels to review
    df = nblabel.read_coco("detector.json", as_="predictions")          # a model's boxes to correct

Rules (label_studio_sdk's `imports/coco.convert_coco_to_ls`): one task per COCO image, in image id order, indexed by
the image id, its data `{"image": file_name}` (`image_root=` a folder or URL prefix put before the names; a name
found beside the JSON file is given with that folder); categories by id (`use_super_categories` gives
`supercategory:name`). A bbox becomes a rectangle `{x, y, width, height}` in percent of the image (`x / width *
100.0`, as the converter computes it), `rotation` 0; each polygon of a `segmentation` a polygon in percent; a
keypoints annotation one keypoint per labeled point (`v` 1 is `hidden`), `width` 1.0. Every region carries
`original_width` / `original_height` and `image_rotation` 0. Percent values are the converter's, moved by at most a
few units in their last place where that makes exporting them give back the file's very numbers. With
`as_="predictions"` the regions are a prediction (a suggestion to correct in the widget) instead of an annotation.
The config (when not given) is built as `_import_common` describes.

Deliberate differences, where the converter is wrong or loses what the file holds:
- an annotation with a polygon `segmentation` is that polygon only; the converter also makes a rectangle of its
  `bbox` (which COCO derives from the polygon), so every object would come back twice and export twice;
- keypoints are labeled with the category's `keypoints` names (COCO's meaning: `nose`, `left_eye`...); the converter
  labels every point with the category name. (Label Studio's COCO export lists a config's keypoint labels in config
  order but writes their points in `model_index` order: the two agree, and the names come back right, when the
  config lists its keypoint labels in `model_index` order.) Points with `v` 0 (not labeled) are left out; the
  converter makes a hidden point at (0, 0) for each. A keypoints annotation of a real category keeps its `bbox` as
  the rectangle the points belong to (their `parentID`); one of Label Studio's "default" keypoint category (whose
  bbox only bounds the points) is linked to the rectangle of its image that contains it, as it was exported;
- an image without annotations is a task without annotations (to label); the converter gives it an empty annotation,
  which marks it done;
- RLE (`iscrowd` 1) segmentations raise `UnsupportedFormat` (the converter logs and drops them); region ids are
  `c<annotation id>` (the converter's are random).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pandas as pd

from .._errors import UnsupportedFormat
from ._frame import resolve_config
from ._import_common import KINDS, Targets, build_config, check_as, exact, frame, region


def read_coco(path: str | os.PathLike, config: Any = None, as_: str = "annotations", *,
              image_root: str | None = None, use_super_categories: bool = False) -> pd.DataFrame:
    """A COCO file (or a folder holding `result.json`) as a DataFrame of image tasks with Label Studio regions.

    `config`: the labeling config the regions belong to (its first RectangleLabels, PolygonLabels and
    KeyPointLabels on an Image); None builds one, recorded in `df.attrs["nblabel"]["config"]`. `as_`:
    "annotations" or "predictions". `image_root`: a folder or URL prefix joined to every `file_name`.
    """
    as_ = check_as(as_)
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "result.json")
    with open(path, encoding="utf-8") as fh:
        coco = json.load(fh)
    if not isinstance(coco, dict) or not isinstance(coco.get("images"), list):
        raise ValueError(f"{path}: not a COCO file (expected a JSON object with an 'images' list)")
    cfg = resolve_config(None, config)
    targets = Targets(cfg)
    cats = {int(c["id"]): c for c in coco.get("categories") or ()}
    names = {i: (f"{c['supercategory']}:{c['name']}" if use_super_categories and "supercategory" in c
                 else c["name"]) for i, c in cats.items()}
    images = {img["id"]: img for img in coco["images"]}
    by_image: dict[Any, list[dict]] = {i: [] for i in images}
    for ann in coco.get("annotations") or ():
        if ann.get("image_id") not in images:
            raise ValueError(f"{path}: annotation {ann.get('id')!r} names image {ann.get('image_id')!r}, "
                             "which the file does not list")
        by_image[ann["image_id"]].append(ann)
    used: dict[str, dict[str, Any]] = {}  # kind -> label -> category id / keypoint position (config order)
    for cat in cats.values():  # every keypoint name a category lists, points or not (an export lists them all)
        for k, name in enumerate(cat.get("keypoints") or ()):
            used.setdefault("keypoint", {}).setdefault(str(name), k)
    folder = os.path.dirname(os.path.abspath(path))
    tasks = []
    for image_id in sorted(images):
        img = images[image_id]
        result = _regions(by_image[image_id], img, cats, names, targets, used)
        task: dict[str, Any] = {"id": image_id, "data": {targets.field: _image_value(img["file_name"], folder,
                                                                                      image_root)}}
        if result:
            task[as_] = [{"result": result, "ground_truth": False}]
        tasks.append(task)
    if cfg is None:
        cfg = build_config(_config_labels(used, cats, names))
    return frame(tasks, cfg)


def _config_labels(used: dict[str, dict[str, Any]], cats: dict, names: dict) -> dict[str, list[tuple[str, Any]]]:
    """Box and polygon controls list every category in the file's order, as the converter's config does (so an
    export numbers them as the file did, unused ones too); keypoint labels by position. A file without regions
    gets a RectangleLabels of its categories, to label."""
    shapes = [(name, cid) for cid, name in names.items()
              if not (cats[cid].get("name") == "default" and "keypoints" in cats[cid])]
    out: dict[str, list[tuple[str, Any]]] = {}
    for kind in ("rectangle", "polygon"):
        if kind in used or not used:
            out[kind] = shapes
            if not used:
                break
    if "keypoint" in used:
        out["keypoint"] = sorted(used["keypoint"].items(), key=lambda item: item[1])
    return out


def _image_value(name: str, folder: str, root: str | None) -> str:
    if root is not None:
        return root.rstrip("/") + "/" + name.lstrip("/") if "://" in root else os.path.join(root, name)
    if not os.path.exists(name) and os.path.exists(os.path.join(folder, name)):
        return os.path.join(folder, name)
    return name


def _size(img: dict) -> tuple[Any, Any]:
    width, height = img.get("width"), img.get("height")
    if not width or not height:
        raise ValueError(f"COCO image {img.get('id')!r} ({img.get('file_name')}) has annotations but no "
                         "width/height: percent coordinates need the image size")
    return width, height


def _regions(anns: list[dict], img: dict, cats: dict, names: dict, targets: Targets,
             used: dict[str, dict[str, Any]]) -> list[dict]:
    if not anns:
        return []
    width, height = _size(img)
    out: list[dict] = []
    boxes: list[tuple[dict, list[float]]] = []  # (rectangle region, pixel bbox): parents for "default" keypoints
    orphans: list[tuple[list[dict], list[float]]] = []
    for ann in anns:
        cid = int(ann["category_id"])
        if cid not in names:
            raise ValueError(f"COCO annotation {ann.get('id')!r} has category {cid}, which the file does not list")
        label, cat, rid = names[cid], cats[cid], f"c{ann.get('id')}"
        seg = ann.get("segmentation")
        if ann.get("iscrowd") == 1 or isinstance(seg, dict):
            raise UnsupportedFormat(f"COCO annotation {ann.get('id')!r} is an RLE mask (iscrowd 1): import it as "
                                    "a brush mask is not supported; polygons, boxes and keypoints are")
        keypoints = ann.get("keypoints")
        default_kp = keypoints is not None and cat.get("name") == "default" and "keypoints" in cat
        parent = None
        if seg:
            for k, poly in enumerate(seg):
                points = [[_pct(x, width, polygon=True), _pct(y, height, polygon=True)]
                          for x, y in zip(poly[0::2], poly[1::2])]
                out.append(_labeled("polygon", f"{rid}_{k}" if len(seg) > 1 else rid, targets,
                                    {"points": points}, label, width, height))
                used.setdefault("polygon", {})[label] = cid
        elif "bbox" in ann and not default_kp:
            x, y, w, h = (float(v) for v in ann["bbox"])
            value = {"x": _pct(x, width), "y": _pct(y, height), "width": _pct(w, width),
                     "height": _pct(h, height), "rotation": 0}
            out.append(_labeled("rectangle", rid, targets, value, label, width, height))
            used.setdefault("rectangle", {})[label] = cid
            boxes.append((out[-1], [x, y, w, h]))
            parent = rid
        if keypoints is not None:
            points = _keypoints(ann, cat, label, rid, parent, targets, used, width, height)
            out.extend(points)
            if default_kp and points:
                orphans.append((points, [float(v) for v in ann.get("bbox") or (0, 0, 0, 0)]))
    for points, (kx, ky, kw, kh) in orphans:  # each to the first box that holds it and has no points yet
        for box, (x, y, w, h) in boxes:
            if box.get("_taken") or not (x <= kx and y <= ky and kx + kw <= x + w and ky + kh <= y + h):
                continue
            box["_taken"] = True
            for point in points:
                point["parentID"] = box["id"]
            break
    for box, _ in boxes:
        box.pop("_taken", None)
    return out


def _pct(pixels: Any, size: Any, polygon: bool = False) -> float:
    """Pixels as percent of `size`, as the converter computes it, exact for the exporter's inverse (`exact`)."""
    forward = (lambda p: p / 100 * size) if polygon else (lambda p: p * size / 100)
    return exact(pixels / size * 100.0, pixels, forward)


def _labeled(kind: str, rid: str, targets: Targets, value: dict, label: str, width: Any, height: Any) -> dict:
    from_name, to_name = targets.of(kind)
    value[KINDS[kind][3]] = [label]
    return region(kind, rid, from_name, to_name, value, width, height)


def _keypoints(ann: dict, cat: dict, label: str, rid: str, parent: str | None, targets: Targets,
               used: dict[str, dict[str, Any]], width: Any, height: Any) -> list[dict]:
    coords = ann["keypoints"]
    kp_names = cat.get("keypoints") or []
    out = []
    for i in range(0, len(coords) - 2, 3):
        x, y, v = float(coords[i]), float(coords[i + 1]), int(coords[i + 2])
        if v == 0:
            continue
        k = i // 3
        name = str(kp_names[k]) if k < len(kp_names) else label
        used.setdefault("keypoint", {}).setdefault(str(name), k)
        value: dict[str, Any] = {"x": x / width * 100.0, "y": y / height * 100.0, "width": 1.0}
        point = _labeled("keypoint", f"{rid}_k{k}", targets, value, name, width, height)
        if v < 2:
            point["value"]["hidden"] = True
        if parent is not None:
            point["parentID"] = parent
        out.append(point)
    return out

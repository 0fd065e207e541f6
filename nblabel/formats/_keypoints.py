"""Keypoints (KeyPointLabels) in COCO and YOLO, as label_studio_sdk 2.1.2 writes them (`converter/keypoints.py`,
`exports/yolo.process_keypoints_for_yolo`).

Rules:
- offered: Label Studio offers COCO and YOLO for a config with KeyPointLabels only if it also has RectangleLabels
  (`Converter._get_supported_formats`); nblabel raises `UnsupportedFormat` otherwise. YOLO_OBB and VOC stay
  offered as they were (VOC ignores keypoints; see below for YOLO_OBB);
- keypoint order (`build_kp_order`): the labels of every KeyPointLabels control (alias or value; a label repeated
  keeps its first place and its last attributes) that have an integer `model_index`, sorted by it; the first
  label to claim an index keeps it; labels without one are left out of the coordinates;
- COCO categories (`update_categories_for_keypoints`): the usual categories minus the keypoint labels, then one
  `{"id": max id + 1, "name": "default", "supercategory": "default", "keypoints": [every keypoint label, config
  order], "skeleton": []}` that all keypoint labels map to;
- COCO annotations (`process_keypoints_for_coco`): after the item's boxes and polygons, one annotation
  `{id, image_id, category_id, keypoints: [x, y, v] * len(order), num_keypoints, bbox, iscrowd: 0}`; x and y are
  `int(round(pixels))`, v is 2 for a labeled point and 0 (with x = y = 0) for a missing one; a point with several
  labels fills each; a later point with the same label replaces the earlier; bbox bounds the visible points in
  pixels ([0, 0, 0, 0] if none); the category is the one of the first label in the order;
- YOLO pose: classes are the RectangleLabels labels in config order, numbered from 0 (`category` attributes and
  labels missing from the config are ignored, as `get_yolo_categories_for_keypoints` does); notes.json gives each
  category the keypoint labels; one line per rectangle region (by region id) with a known first label:
  `class xc yc w h` then `x y 2` per keypoint in order (the keypoint regions whose `parentID` is that rectangle;
  the last one of a label wins) or `0.0 0.0 0` when the label is missing; polygons and parentless keypoints are
  not written; lines joined by newlines, with no newline after the last.

Deliberate differences, where the converter is wrong:
- COCO: keypoints of different parent regions (`parentID`, e.g. two people in one image) give one annotation per
  parent, in order of first appearance; the converter puts every keypoint of an image into one annotation, so the
  second person's points overwrite the first's and the bbox spans both. Images whose keypoints share one parent
  (or have none) come out identical;
- COCO: when no keypoint label has a `model_index` the converter crashes (ValueError) as soon as an image has
  keypoints; nblabel raises `UnsupportedFormat` with the same advice;
- COCO: a keypoint without `original_width` / `original_height` uses the image's size, as rectangles do (the
  converter raises KeyError); with LABEL_STUDIO_FORCE_ANNOTATOR_EXPORT the keypoint annotations carry their own
  `annotator` (the converter writes it onto the annotation before, or crashes when there is none);
- YOLO_OBB: the converter writes pose lines (`class xc yc w h` + keypoints) into an OBB export; nblabel writes
  each rectangle of the pose selection as its four corners (`class x1 y1 ... x4 y4`, as other OBB lines), with
  the pose classes; keypoints have no place in OBB lines and are left out;
- COCO and YOLO: rectangles or keypoints without coordinates are skipped (the converter raises KeyError).
"""

from __future__ import annotations

from typing import Any, Iterator

from .._errors import UnsupportedFormat
from ._images import corners, labels_of

_ADVICE = ('give the KeyPointLabels labels a model_index, the position of the point in the output, e.g.\n'
           '<KeyPointLabels name="keypoints" toName="image">\n  <Label value="eye" model_index="0"/>\n'
           '  <Label value="nose" model_index="1"/>\n</KeyPointLabels>')


def _controls(config: Any, tag: str) -> list[Any]:
    return [c for c in config.controls.values() if c.tag == tag]


def has_keypoints(config: Any) -> bool:
    return bool(_controls(config, "KeyPointLabels"))


def check_offered(config: Any, fmt: str) -> None:
    """Label Studio hides COCO and YOLO for KeyPointLabels configs without RectangleLabels."""
    if fmt in ("COCO", "YOLO") and has_keypoints(config) and not _controls(config, "RectangleLabels"):
        raise UnsupportedFormat(
            f"format={fmt!r}: Label Studio offers {fmt} for KeyPointLabels only together with RectangleLabels "
            "(the boxes give the categories the keypoints belong to): add a <RectangleLabels> control, or "
            "export JSON")


def _named_labels(control: Any) -> Iterator[tuple[str, dict]]:
    for tag in labels_of(control.node):
        name = tag.attrs.get("alias") or tag.attrs.get("value")
        if name:
            yield name, tag.attrs


def _labels(config: Any, tag: str) -> list[str]:
    """The labels of every `tag` control, config order, each once."""
    return list(dict.fromkeys(n for c in _controls(config, tag) for n, _ in _named_labels(c)))


def order(config: Any) -> list[str]:
    """`build_kp_order`: keypoint labels with an integer `model_index`, sorted by it."""
    attrs: dict[str, dict] = {}
    for control in _controls(config, "KeyPointLabels"):
        for name, tag_attrs in _named_labels(control):
            attrs[name] = tag_attrs  # first place, last attributes: the converter's dict.update
    pairs, used = [], set()
    for name, tag_attrs in attrs.items():
        try:
            idx = int(tag_attrs.get("model_index"))  # int() as the converter: " 1" and "01" count, "1.0" does not
        except (TypeError, ValueError):
            continue
        if idx not in used:
            pairs.append((idx, name))
            used.add(idx)
    pairs.sort(key=lambda p: p[0])
    return [name for _, name in pairs]


def regions(item: Any) -> list[tuple[dict, str, Any, Any]]:
    """(value, control tag, region id, parentID) of every output value, in `output_values` order. The values are
    the results' of the same control in result order, so ids and parents are matched back by position."""
    results = (item.annotation or {}).get("result") or ()
    out = []
    for name, values in item.outputs.items():
        ids = [(r.get("id"), r.get("parentID")) for r in results if isinstance(r, dict) and r.get("from_name") == name]
        if len(ids) != len(values):  # cannot happen for results read by _items; never pair the wrong parents
            ids = [(None, None)] * len(values)
        tag = item.tags.get(name)
        out.extend((v, tag, rid, parent) for v, (rid, parent) in zip(values, ids))
    return out


# ---- COCO ------------------------------------------------------------------------------------------------------

def coco_categories(cats: list[dict], ids: dict[str, int], config: Any) -> tuple[list[dict], dict[str, int]]:
    """`update_categories_for_keypoints`: the keypoint labels become one "default" category."""
    names = _labels(config, "KeyPointLabels")
    if not names:
        return cats, ids
    kept = [dict(c) for c in cats if c["name"] not in names]
    mapping = {c["name"]: c["id"] for c in kept}
    numeric = [c["id"] for c in kept if isinstance(c["id"], int)]
    merged = max(numeric) + 1 if numeric else 0
    kept.append({"id": merged, "name": "default", "supercategory": "default", "keypoints": names, "skeleton": []})
    mapping.update((n, merged) for n in names)
    return kept, mapping


def coco_annotations(points: list[tuple[dict, Any]], kp_order: list[str], ids: dict[str, int], image_id: int,
                     first_id: int, width: Any, height: Any) -> list[dict]:
    """One annotation per parent region (see the module docstring) of `points`: (keypoint value, parentID)."""
    if not kp_order:
        raise UnsupportedFormat("format='COCO': no keypoint order: " + _ADVICE)
    groups: dict[Any, list[dict]] = {}
    for value, parent in points:
        groups.setdefault(parent, []).append(value)
    index = {name: i for i, name in enumerate(kp_order)}
    out = []
    for values in groups.values():
        coords = [0] * (3 * len(kp_order))
        for kp in values:
            if kp.get("x") is None or kp.get("y") is None:
                continue
            w = kp.get("original_width", width)
            h = kp.get("original_height", height)
            x, y = int(round(kp["x"] / 100 * w)), int(round(kp["y"] / 100 * h))
            for label in kp.get("keypointlabels") or ():
                i = index.get(label)
                if i is not None:
                    coords[3 * i:3 * i + 3] = [x, y, 2]
        visible = [i for i in range(len(kp_order)) if coords[3 * i + 2] > 0]
        xs, ys = [coords[3 * i] for i in visible], [coords[3 * i + 1] for i in visible]
        bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)] if visible else [0, 0, 0, 0]
        out.append({"id": first_id + len(out), "image_id": image_id, "category_id": ids.get(kp_order[0], 0),
                    "keypoints": coords, "num_keypoints": len(visible), "bbox": bbox, "iscrowd": 0})
    return out


# ---- YOLO ------------------------------------------------------------------------------------------------------

def yolo_categories(config: Any) -> list[dict]:
    """`get_yolo_categories_for_keypoints`: the rectangle labels, each with every keypoint label."""
    points = _labels(config, "KeyPointLabels")
    return [{"id": i, "name": name, "keypoints": points}
            for i, name in enumerate(_labels(config, "RectangleLabels"))]


def yolo_text(item: Any, cats: list[dict], kp_order: list[str], obb: bool) -> str:
    """The label file of one item: a pose line per rectangle (OBB corners with `obb`)."""
    classes = {c["name"]: c["id"] for c in cats}
    boxes: dict[Any, tuple[int, dict, dict]] = {}  # region id -> (class, box value, keypoint label -> point)
    found = regions(item)
    for value, tag, rid, _ in found:
        if tag != "RectangleLabels" or not value.get("rectanglelabels"):
            continue
        cls = classes.get(value["rectanglelabels"][0])
        if cls is None or any(value.get(k) is None for k in ("x", "y", "width", "height")):
            continue
        boxes[rid] = (cls, value, {})
    for value, tag, _, parent in found:
        if tag != "KeyPointLabels" or parent not in boxes or not value.get("keypointlabels"):
            continue
        if value.get("x") is None or value.get("y") is None:
            continue
        boxes[parent][2][value["keypointlabels"][0]] = (value["x"] / 100.0, value["y"] / 100.0, 2)
    if obb:  # as every OBB line: four corners, one line each, each ended by a newline
        return "".join(" ".join(map(str, [cls, *_corners(box)])) + "\n"
                       for cls, box, _ in boxes.values() if "original_width" in box and "original_height" in box)
    lines = []
    for cls, box, points in boxes.values():
        x, y = box["x"] / 100.0, box["y"] / 100.0
        bw, bh = box["width"] / 100.0, box["height"] / 100.0
        values: list[Any] = [cls, x + bw / 2.0, y + bh / 2.0, bw, bh]
        for name in kp_order:
            values.extend(points.get(name, (0.0, 0.0, 0)))
        lines.append(" ".join(map(str, values)))
    return "\n".join(lines)


def _corners(box: dict) -> list[float]:
    w, h = box["original_width"], box["original_height"]
    return [c / d for pt in corners(box, w, h) for c, d in zip(pt, (w, h))]

"""YOLO and YOLO_OBB: a folder with `classes.txt`, `notes.json`, `images/` and one `labels/<image>.txt` per image.

Rules (`Converter.convert_to_yolo`, `exports/yolo.process_and_save_yolo_annotations`): categories as COCO's;
one line per label of each region (a region with two labels gives two lines): `class xc yc w h` normalised to
0–1 for rectangles (rotation ignored, as Label Studio ignores it), `class x1 y1 x2 y2 ...` for polygons; YOLO_OBB
writes a rectangle's four corners `class x1 y1 ... x4 y4` (rotated about the top-left corner, in pixels, then
normalised). The label file is named after the image (`images/dc308ec1__a.jpg` → `labels/dc308ec1__a.txt`); a
task without annotations gets an empty file; when a task has several annotations the file is rewritten for each
and the oldest wins, as in Label Studio. Numbers are printed with `str()`. Configs with KeyPointLabels (offered
by Label Studio only beside RectangleLabels) give YOLO pose files instead: the rectangle labels as classes, one
`class xc yc w h` line per box followed by its keypoints, as `nblabel.formats._keypoints` describes.

Deliberate differences: YOLO_OBB keeps rectangles that have no `rotation` key (rotation 0); the converter drops
them silently. YOLO_OBB of a keypoint config writes OBB lines, not pose lines (see `_keypoints`).
"""

from __future__ import annotations

import os

from . import _keypoints
from ._frame import Frame
from ._images import categories, category_id, corners, image_field, image_items, image_name, output_values
from ._items import iter_items
from ._jsonio import dumps_indented_ascii


def _lines(labels: list[dict], cats: list[dict], ids: dict[str, int], obb: bool) -> list[str]:
    lines = []
    for label in labels:
        names = [n for k in ("rectanglelabels", "polygonlabels", "labels")
                 if isinstance(label.get(k), list) for n in label[k]]
        for name in names:
            cat = category_id(name, cats, ids)
            if "rectanglelabels" in label or "rectangle" in label or "labels" in label:
                if not all(label.get(k) is not None for k in ("x", "y", "width", "height")):
                    continue
                if obb:
                    if "original_width" not in label or "original_height" not in label:
                        continue
                    w, h = label["original_width"], label["original_height"]
                    values = [c / d for pt in corners(label, w, h) for c, d in zip(pt, (w, h))]
                else:
                    values = [(label["x"] + label["width"] / 2) / 100, (label["y"] + label["height"] / 2) / 100,
                              label["width"] / 100, label["height"] / 100]
            elif "polygonlabels" in label or "polygon" in label:
                if "points" not in label:
                    continue
                values = [c / 100 for pt in label["points"] for c in pt]
            else:
                continue
            lines.append(" ".join(map(str, [cat, *values])) + "\n")
    return lines


def write(frame: Frame, path: str, obb: bool = False) -> None:
    config = frame.config
    _keypoints.check_offered(config, "YOLO_OBB" if obb else "YOLO")
    field = image_field(config, "YOLO_OBB" if obb else "YOLO", repeated=True)
    pose = _keypoints.has_keypoints(config)
    if pose:
        cats, ids = _keypoints.yolo_categories(config), {}
        kp_order = _keypoints.order(config)
    else:
        cats, ids = categories(config)
    labels_dir = os.path.join(path, "labels")
    os.makedirs(labels_dir, exist_ok=True)
    os.makedirs(os.path.join(path, "images"), exist_ok=True)
    files: dict[str, str | None] = {}  # label file -> content (None: create empty only if absent)
    for item in image_items(iter_items(frame, utf16=True), config, field):
        stem = os.path.splitext(os.path.basename(image_name(item.data.get(field), path)))[0][:251]
        target = os.path.join(labels_dir, stem + ".txt")
        values = output_values(item)
        if not values:
            files.setdefault(target, None)
            continue
        if pose:
            files[target] = _keypoints.yolo_text(item, cats, kp_order, obb)
        else:
            files[target] = "".join(_lines(values, cats, ids, obb))
    for target, content in files.items():
        if content is None:
            if not os.path.exists(target):
                open(target, "x").close()
        else:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(content)
    with open(os.path.join(path, "classes.txt"), "w", encoding="utf-8") as fh:
        fh.write("".join(c["name"] + "\n" for c in cats))
    notes = {"categories": cats, "info": {"year": _year(), "version": "1.0", "contributor": "Label Studio"}}
    with open(os.path.join(path, "notes.json"), "wb") as fh:
        fh.write(dumps_indented_ascii(notes))


def _year() -> int:
    import datetime

    return datetime.datetime.now().year


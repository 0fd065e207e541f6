"""`read_yolo`: a YOLO dataset folder (`classes.txt`, `labels/*.txt`, `images/`) as image tasks.

    df = nblabel.read_yolo("yolo_export")                              # labels to review
    df = nblabel.read_yolo("runs/detect/predict", as_="predictions")   # a detector's boxes to correct

Rules (label_studio_sdk's `imports/yolo.convert_yolo_to_ls`): classes are the lines of `classes.txt`, numbered
from 0; one task per image in `images/` with a `.jpg`, `.jpeg` or `.png` name (`image_ext=`), its data the
image's path (`images/` inside `folder`), its size read from the file; a line `class xc yc w h` is a rectangle
`x = (xc - w / 2) * 100`, `y = (yc - h / 2) * 100`, `width = w * 100`, `height = h * 100` in percent, `rotation`
0, and a sixth number is the region's `score`. Regions carry `original_width` / `original_height` when the image
can be read, and `image_rotation` 0. With `as_="predictions"` the regions are a prediction, not an annotation.
The config (when not given) is built as `_import_common` describes, its RectangleLabels named `label` as the
converter names it; pose datasets (`notes.json` giving the
classes `keypoints`, as Label Studio's YOLO export writes them) add a KeyPointLabels of those points.

Deliberate differences, where the converter loses what the folder holds:
- a label file without its image (Label Studio and nblabel export labels only, `images/` empty) is a task too,
  its image `images/<label file name without .txt>`; the converter skips it, so its own exports read back empty;
- a line of `class` and three or more points (`x1 y1 x2 y2 ...`, what YOLO segmentation and Label Studio's
  polygon export write) is a polygon; the converter reads its first four numbers as a box and the fifth as a score;
- pose lines (`class xc yc w h` then `x y v` per keypoint) give the box and its keypoints (`parentID` the box,
  `v` 0 left out, `v` 1 `hidden`); the converter reads the first keypoint's x as a score;
- an empty label file is a task without annotations (what the exporters write for one); the converter gives it
  an empty annotation, which marks it done. Tasks are in file name order (the converter: directory order); region
  ids are `y<line>` (the converter's are random). Percent values are moved by at most a few units in their last
  place where that makes exporting them give back the file's numbers (see `_import_common.exact`).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pandas as pd

from ._frame import resolve_config
from ._images import image_size
from ._import_common import KINDS, Targets, build_config, check_as, exact, frame, region


def read_yolo(folder: str | os.PathLike, config: Any = None, as_: str = "annotations", *,
              image_ext: str = ".jpg,.jpeg,.png") -> pd.DataFrame:
    """A YOLO folder as a DataFrame of image tasks with Label Studio rectangles (polygons, keypoints).

    `config`: the labeling config the regions belong to; None builds one, recorded in
    `df.attrs["nblabel"]["config"]`. `as_`: "annotations" or "predictions".
    """
    as_ = check_as(as_)
    folder = os.fspath(folder)
    with open(os.path.join(folder, "classes.txt"), encoding="utf-8") as fh:
        classes = [line.strip() for line in fh.read().splitlines()]
    while classes and not classes[-1]:
        classes.pop()
    points = _pose_points(folder)
    cfg = resolve_config(None, config)
    targets = Targets(cfg, rectangles="label")
    exts = tuple(e.strip() for e in image_ext.split(",") if e.strip())
    images_dir, labels_dir = os.path.join(folder, "images"), os.path.join(folder, "labels")
    stems: dict[str, str | None] = {}  # label stem -> image file name (None: label file without image)
    if os.path.isdir(images_dir):
        for name in sorted(os.listdir(images_dir)):
            if name.endswith(exts):
                stems.setdefault(os.path.splitext(name)[0], name)
    if os.path.isdir(labels_dir):
        for name in sorted(os.listdir(labels_dir)):
            if name.endswith(".txt"):
                stems.setdefault(name[:-4], None)
    used: set[str] = set()
    tasks = []
    for pos, stem in enumerate(sorted(stems)):
        image = stems[stem]
        if image is not None:
            value = os.path.join(images_dir, image)
            size = image_size(value)
        else:
            value, size = "images/" + stem, None
        task: dict[str, Any] = {"id": pos, "data": {targets.field: value}}
        label_file = os.path.join(labels_dir, stem + ".txt")
        if os.path.exists(label_file):
            with open(label_file, encoding="utf-8") as fh:
                result = _regions(fh.read(), classes, points, size, targets, used, label_file)
            if result:
                task[as_] = [{"result": result, "ground_truth": False}]
        tasks.append(task)
    if cfg is None:
        labels: dict[str, list[tuple[str, Any]]] = {"rectangle": [(c, i) for i, c in enumerate(classes)]}
        if "polygon" in used:
            labels["polygon"] = labels["rectangle"] if "rectangle" in used else labels.pop("rectangle")
        if points:
            labels["keypoint"] = [(p, i) for i, p in enumerate(points)]
        cfg = build_config(labels, rectangles="label")
    return frame(tasks, cfg)


def _pose_points(folder: str) -> list[str]:
    """The keypoint names `notes.json` gives the classes (a Label Studio pose export), else none."""
    try:
        with open(os.path.join(folder, "notes.json"), encoding="utf-8") as fh:
            notes = json.load(fh)
    except (OSError, ValueError):
        return []
    cats = notes.get("categories") if isinstance(notes, dict) else None
    for cat in cats or ():
        if isinstance(cat, dict) and cat.get("keypoints"):
            return [str(p) for p in cat["keypoints"]]
    return []


def _regions(text: str, classes: list[str], points: list[str], size: tuple[int, int] | None, targets: Targets,
             used: set[str], where: str) -> list[dict]:
    width, height = size if size else (None, None)
    out: list[dict] = []
    for n, line in enumerate(text.splitlines()):
        values = line.split()
        if not values:
            continue
        try:
            cls, nums = int(values[0]), [float(v) for v in values[1:]]
        except ValueError:
            raise ValueError(f"{where} line {n + 1}: expected a class number and coordinates, got {line!r}") from None
        if not 0 <= cls < len(classes):
            raise ValueError(f"{where} line {n + 1}: class {cls} is not in classes.txt ({len(classes)} classes)")
        label, rid = classes[cls], f"y{n}"
        pose = bool(points) and len(nums) == 4 + 3 * len(points)
        if len(nums) in (4, 5) or pose:
            xc, yc, w, h = nums[:4]
            pw = exact(w * 100, w, lambda p: p / 100)
            ph = exact(h * 100, h, lambda p: p / 100)
            value = {"x": exact((xc - w / 2) * 100, xc, lambda p, pw=pw: (p + pw / 2) / 100),
                     "y": exact((yc - h / 2) * 100, yc, lambda p, ph=ph: (p + ph / 2) / 100),
                     "width": pw, "height": ph, "rotation": 0}
            out.append(_item("rectangle", rid, targets, value, label, width, height))
            used.add("rectangle")
            if len(nums) == 5 and not pose and nums[4]:
                out[-1]["score"] = nums[4]
            if pose:
                out.extend(_pose(nums[4:], points, rid, targets, width, height))
                used.add("keypoint")
        elif len(nums) >= 6 and len(nums) % 2 == 0:
            pts = [[exact(x * 100, x, lambda p: p / 100), exact(y * 100, y, lambda p: p / 100)]
                   for x, y in zip(nums[0::2], nums[1::2])]
            out.append(_item("polygon", rid, targets, {"points": pts}, label, width, height))
            used.add("polygon")
        else:
            raise ValueError(f"{where} line {n + 1}: {len(nums)} numbers after the class: expected a box "
                             "(xc yc w h [score]) or a polygon (three or more x y pairs)")
    return out


def _pose(nums: list[float], points: list[str], parent: str, targets: Targets, width: Any, height: Any) -> list:
    out = []
    for k, name in enumerate(points):
        x, y, v = nums[3 * k:3 * k + 3]
        if int(v) == 0:
            continue
        value: dict[str, Any] = {"x": exact(x * 100, x, lambda p: p / 100.0),
                                 "y": exact(y * 100, y, lambda p: p / 100.0), "width": 1.0}
        point = _item("keypoint", f"{parent}_k{k}", targets, value, name, width, height)
        if int(v) < 2:
            point["value"]["hidden"] = True
        point["parentID"] = parent
        out.append(point)
    return out


def _item(kind: str, rid: str, targets: Targets, value: dict, label: str, width: Any, height: Any) -> dict:
    from_name, to_name = targets.of(kind)
    value[KINDS[kind][3]] = [label]
    return region(kind, rid, from_name, to_name, value, width, height)

"""What the COCO and YOLO importers share: the controls results go to, the config built when none is given, and the
DataFrame the tasks become.

Rules: with `config=`, boxes go to its first RectangleLabels (or Rectangle) control, polygons to its first
PolygonLabels (or Polygon), keypoints to its first KeyPointLabels (or KeyPoint), each on the Image that control
labels; a kind of region the config has no control for is an error, never a silent drop. Without a config, one is
built as Label Studio's importers build it (`<Image name="image" value="$image"/>` and one labels control per kind
of region found, named `label_rectangles`, `labelpolygons`, `label_keypoints`), except that each label carries
its dataset id as `category` (so exporting again numbers the categories as the file did) and keypoint labels their
position as `model_index` (the order COCO keypoints are written in). The tasks are read as `read_label_studio`
reads a JSON export; the config is in `df.attrs["nblabel"]["config"]`.
"""

from __future__ import annotations

import math
from typing import Any, Callable
from xml.sax.saxutils import quoteattr

import pandas as pd

from .._errors import UnsupportedFormat

KINDS = {
    "rectangle": ("RectangleLabels", "Rectangle", "label_rectangles", "rectanglelabels"),
    "polygon": ("PolygonLabels", "Polygon", "labelpolygons", "polygonlabels"),
    "keypoint": ("KeyPointLabels", "KeyPoint", "label_keypoints", "keypointlabels"),
}


def check_as(as_: str) -> str:
    if as_ not in ("annotations", "predictions"):
        raise ValueError(f'as_={as_!r}: expected "annotations" (labels to review) or "predictions" (suggestions '
                         "to correct in the widget)")
    return as_


class Targets:
    """Where each kind of region goes: (from_name, to_name) per kind, and the task data field of the image."""

    def __init__(self, config: Any | None, rectangles: str = "label_rectangles"):
        self.config = config
        self.rectangles = rectangles
        self.field = "image"
        self.names: dict[str, tuple[str, str]] = {}
        if config is None:
            return
        for kind, (labels_tag, plain_tag, _, _) in KINDS.items():
            for control in config.controls.values():
                if control.tag not in (labels_tag, plain_tag):
                    continue
                obj = next((config.objects[n] for n in control.to_name
                            if n in config.objects and config.objects[n].tag == "Image"), None)
                if obj is not None and obj.field:
                    if not self.names:  # the image field is the one the first control found labels
                        self.field = obj.field
                    self.names[kind] = (control.name, obj.name)
                    break

    def of(self, kind: str) -> tuple[str, str]:
        """(from_name, to_name) of a kind of region."""
        if self.config is None:
            return (self.rectangles if kind == "rectangle" else KINDS[kind][2]), "image"
        if kind not in self.names:
            raise UnsupportedFormat(f"the dataset has {kind}s but the config has no <{KINDS[kind][0]}> on an "
                                    "<Image value=\"$field\">: add one, or pass config=None to build the config")
        return self.names[kind]


def exact(guess: float, target: float, forward: Callable[[float], float]) -> float:
    """`guess` (the converter's percent value), moved by at most a few units in the last place when that makes
    `forward` (how the exporter turns percent back into the file's number) give `target` exactly: float rounding
    would otherwise change the file's numbers in their last digit on export → import → export."""
    if forward(guess) == target:
        return guess
    up = down = guess
    for _ in range(8):
        up, down = math.nextafter(up, math.inf), math.nextafter(down, -math.inf)
        for candidate in (up, down):
            if forward(candidate) == target:
                return candidate
    return guess


def region(kind: str, rid: str, from_name: str, to_name: str, value: dict, width: Any, height: Any) -> dict:
    """One Label Studio result, keys in the order Label Studio's importers write them."""
    item: dict[str, Any] = {"id": rid, "type": KINDS[kind][3], "value": value, "to_name": to_name,
                            "from_name": from_name, "image_rotation": 0}
    if width is not None and height is not None:
        item["original_width"] = width
        item["original_height"] = height
    return item


def build_config(labels: dict[str, list[tuple[str, Any]]], rectangles: str = "label_rectangles") -> str:
    """The config for the kinds found: `labels` maps a kind to its (label, attribute) list, where the attribute is
    the category id (boxes, polygons) or the keypoint position (keypoints). A label's `category` is written once,
    on its first control: Label Studio's exporter collects one category per pinned label it meets."""
    lines = ["<View>", '  <Image name="image" value="$image"/>']
    pinned: set[str] = set()
    for kind in KINDS:
        if kind not in labels:
            continue
        tag, _, name, _ = KINDS[kind]
        name = rectangles if kind == "rectangle" else name
        lines.append(f'  <{tag} name="{name}" toName="image">')
        for label, attr in labels[kind]:
            extra = ""
            if kind == "keypoint":
                extra = f' model_index="{attr}"'
            elif attr is not None and label not in pinned:
                extra = f' category="{attr}"'
                pinned.add(label)
            lines.append(f"    <Label value={quoteattr(str(label))}{extra}/>")
        lines.append(f"  </{tag}>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def frame(tasks: list[dict], config: Any) -> pd.DataFrame:
    """The tasks as `read_label_studio` reads a JSON export, with `config` (XML or Config) recorded."""
    from ._read import read_label_studio

    return read_label_studio(tasks, config=config)

"""Pascal VOC: a folder with `Annotations/<image>.xml` (and an empty `images/`), as `Converter.convert_to_voc`.

Rules: one XML per annotated image, named after the image's base name, for every value that is not a local file
the value's own base name (a URL's, an upload's, a cloud URI's: what a Label Studio server writes, which keeps it
when it does not download the image; nblabel downloads nothing); the size is the first region's
`original_width` / `original_height` (items without it are skipped), depth 3; one `<object>` per rectangle with
its first label and an integer box (`int()` of the pixel values, `xmax = xmin + int(width)`; rotation ignored, as
Label Studio ignores it; polygons are not VOC objects). The XML is laid out as minidom's `writexml(newl="\\n")`:
one element per line, no indentation, `&`, `<`, `>`, `"` escaped in text. When a task has several annotations the
file is rewritten for each and the oldest wins, as in Label Studio.
"""

from __future__ import annotations

import os

from ._frame import Frame
from ._images import image_field, image_items, image_name, output_values
from ._items import annotator, iter_items

_RECT = {"RectangleLabels", "Rectangle"}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")


def _node(tag: str, text: object) -> str:
    return f"<{tag}>{_esc(str(text))}</{tag}>\n"


def document(image: str, who: str, width: object, height: object, boxes: list[dict]) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<annotation>\n', _node("folder", "images"),
             _node("filename", image), "<source>\n", _node("database", "MyDatabase"), _node("annotation", "COCO2017"),
             _node("image", "flickr"), _node("flickrid", "NULL"), _node("annotator", who), "</source>\n",
             "<owner>\n", _node("flickrid", "NULL"), _node("name", "Label Studio"), "</owner>\n",
             "<size>\n", _node("width", width), _node("height", height), _node("depth", 3), "</size>\n",
             _node("segmented", 0)]
    for box in boxes:
        key = "rectanglelabels" if "rectanglelabels" in box else ("labels" if "labels" in box else None)
        if key is None or not box[key]:
            continue
        x = int(box["x"] / 100 * width)
        y = int(box["y"] / 100 * height)
        w = int(box["width"] / 100 * width)
        h = int(box["height"] / 100 * height)
        parts += ["<object>\n", _node("name", box[key][0]), _node("pose", "Unspecified"), _node("truncated", 0),
                  _node("difficult", 0), "<bndbox>\n", _node("xmin", x), _node("ymin", y), _node("xmax", x + w),
                  _node("ymax", y + h), "</bndbox>\n", "</object>\n"]
    parts.append("</annotation>\n")
    return "".join(parts)


def write(frame: Frame, path: str) -> None:
    field = image_field(frame.config, "VOC", _RECT, repeated=True)
    folder = os.path.join(path, "Annotations")
    os.makedirs(folder, exist_ok=True)
    os.makedirs(os.path.join(path, "images"), exist_ok=True)
    files: dict[str, str] = {}
    for item in image_items(iter_items(frame, utf16=True), frame.config, field, _RECT):
        value = item.data.get(field)
        boxes = output_values(item)
        if not boxes or value is None or isinstance(value, float):  # no image (None, NaN)
            continue
        if "original_width" not in boxes[0] or "original_height" not in boxes[0]:
            continue
        # a URL too: its own name, what Label Studio keeps when it does not download; a Path is its path
        image = os.path.basename(value if isinstance(value, str) else image_name(value, path))
        target = os.path.join(folder, os.path.splitext(image)[0] + ".xml")
        files[target] = document(image, annotator(item.annotation, ""), boxes[0]["original_width"],
                                 boxes[0]["original_height"], boxes)
    for target, content in files.items():
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(content)

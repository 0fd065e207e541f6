"""What COCO, YOLO and VOC share: which field holds the image, the file name Label Studio gives it, the
category list, and rotated-box geometry.

Rules (label_studio_sdk 2.1.2):
- categories (`Converter._get_labels`): every `Label`/`Choice` value (its `alias` if set) under any control, in
  alphabetical order, numbered from 0; a `category="7"` attribute pins a label's id and the others skip it;
- image names: a path that exists stays as written; every other value (an http(s) URL, an upload
  `/data/upload/1/a.jpg`, a local-storage `/data/local-files/?d=dir/a.jpg`, a cloud URI `s3://b/a.jpg`, a bare
  path not on disk) becomes `images/<first 8 hex of md5(value)>__<file name>`, the name a Label Studio server
  export gives it (`get_local_path`: the file name is the `?d=` or `filepath=` path's base name, else the URL
  path's). Nothing is downloaded. A value already of that form (`images/dc308ec1__a.jpg`, read back from an
  export) stays as it is, so export → import → export gives the same names;
- a `pathlib.Path` (any `os.PathLike`) is the path it names; an in-memory image (bytes, a PIL image, a numpy array,
  a `data:` URI) has no name, so it is written once to `images/<content digest>.<ext>` beside the export (the
  `images/` folder a Label Studio server export ships) and named by that file.

- an Image inside a `<Repeater on="$images">` (`value="$images[{{idx}}].url"`) is one image per item of the task's
  list: COCO, YOLO and VOC get one image (entry, label file, XML) per item, carrying the regions of the controls that
  label that item (`labels_2` on `page_2`), each named by the rule above. The converter cannot: it looks the
  template `images[{{idx}}].url` up as a data key and stops with a KeyError. Nested Repeaters are refused.

Deliberate differences: the converter without a server (`get_local_path`, downloads off) keeps uploads, local-
storage and cloud values as written but renames URLs and bare paths, so one export mixes the two; a server hashes
the URL it resolved with its own host name for uploads and local storage, which a file cannot know: nblabel
hashes the value as written (URLs and cloud URIs give the server's names exactly).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import math
import mimetypes
import os
import re
from typing import Any, Iterable, Iterator
from urllib.parse import parse_qs, urlparse

from .._errors import UnsupportedFormat
from ..config._repeat import fill, lookup_path
from ..tasks._media import MediaError, is_local, to_bytes

GEOMETRY = {"RectangleLabels", "PolygonLabels", "KeyPointLabels", "Rectangle", "Polygon", "KeyPoint"}


#: the data key a repeated image travels under in the items `image_items` splits out
REPEATED = "\0repeated image"


def _labeled_image(config: Any, allowed: set[str]) -> Any:
    """The Image object the first geometry control labels, or None."""
    for control in config.controls.values():
        if control.tag not in allowed:
            continue
        for name in control.to_name:
            obj = config.objects.get(name)
            if obj is not None and obj.tag == "Image" and (obj.field or obj.repeat):
                return obj
    return None


def image_field(config: Any, fmt: str, allowed: set[str] = GEOMETRY, repeated: bool = False) -> str:
    """The data field of the Image that the first geometry control labels (`REPEATED` for an Image inside a
    `<Repeater>` when the format takes one, `repeated=True`: its items come from `image_items`)."""
    obj = _labeled_image(config, allowed)
    if obj is not None and obj.repeat:
        if repeated and len(obj.repeat) == 1:
            return REPEATED
        raise UnsupportedFormat(
            f"format={fmt!r} cannot write <Image name=\"{obj.name}\"> inside "
            f"{'nested <Repeater>s' if len(obj.repeat) > 1 else 'a <Repeater>'}; export JSON, JSON_MIN, CSV or TSV")
    if obj is not None:
        return obj.field
    wanted = " / ".join(sorted(allowed))
    raise UnsupportedFormat(f"format={fmt!r} needs an <Image value=\"$field\"> labeled by {wanted} "
                       "(Label Studio offers it only for such configs)")


def image_items(items: Iterable[Any], config: Any, field: str, allowed: set[str] = GEOMETRY) -> Iterator[Any]:
    """The export items with one image each: as they are, or (`field` is `REPEATED`) one item per item of a
    `<Repeater>`'s list, holding that item's image under `REPEATED` and the outputs of the controls labeling it."""
    if field != REPEATED:
        yield from items
        return
    obj = _labeled_image(config, allowed)
    flag = obj.repeat[0].flag
    for item in items:
        try:
            listed = lookup_path(obj.repeat[0].on, item.data)
        except KeyError:
            listed = []
        count = len(listed) if isinstance(listed, list) else 0
        groups: list[dict] = [{} for _ in range(count)]
        for name, values in item.outputs.items():
            control = config.controls.get(name)
            for target in control.to_name if control is not None else ():
                found = config.objects.get(target)
                if found is not None and found.tag == "Image" and found.index and found.index[0] < count \
                        and found.name == fill(obj.name, {flag: str(found.index[0])}):
                    groups[found.index[0]][name] = values
                    break
        for k in range(count):
            try:
                value = lookup_path(config.objects[fill(obj.name, {flag: str(k)})].value, item.data)
            except KeyError:
                value = None
            yield item._replace(data={**item.data, REPEATED: value}, outputs=groups[k])


def labels_of(node: Any) -> list[Any]:
    """Label/Choice tags below a control, not entering nested controls (they own their labels)."""
    out = []
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        if child.kind in ("control", "object"):
            continue
        if child.tag in ("Label", "Choice"):
            out.append(child)
        stack.extend(reversed(child.children))
    return out


def categories(config: Any) -> tuple[list[dict], dict[str, int]]:
    names: set[str] = set()
    cats: list[dict] = []
    ids: dict[str, int] = {}
    for control in config.controls.values():
        for tag in labels_of(control.node):
            name = tag.attrs.get("alias") or tag.attrs.get("value")
            if not name:
                continue
            names.add(name)
            pinned = tag.attrs.get("category")
            if pinned is None:
                continue
            try:
                ids[name] = int(pinned)
            except ValueError:
                continue  # the converter warns and numbers it like the others
            cats.append({"id": ids[name], "name": name})
    used = set(ids.values())
    free = (i for i in itertools.count() if i not in used)
    for name, idx in zip(sorted(names - set(ids)), free):
        cats.append({"id": idx, "name": name})
        ids[name] = idx
    return cats, ids


def category_id(name: str, cats: list[dict], ids: dict[str, int]) -> int:
    """Labels missing from the config get the next id, as the converter does."""
    if name not in ids:
        ids[name] = len(cats)
        cats.append({"id": ids[name], "name": name})
    return ids[name]


def image_name(value: Any, out_dir: str | None = None) -> str:
    """The name an export gives one image value (see the rules above; `out_dir`: where in-memory images go)."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        if out_dir is None or not is_local(value):
            raise UnsupportedFormat(f"image {type(value).__name__} values cannot be named in an export: "
                                    "save the images to files and put their paths (or URLs) in the column")
        return _saved(value, out_dir)
    if os.path.exists(value) or EXPORTED_NAME.match(value):
        return value
    if value.startswith("data:"):
        if out_dir is None:
            raise UnsupportedFormat("a data: URI image cannot be named here: save it to a file")
        return _saved(_data_uri_bytes(value), out_dir)
    digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()[:8]
    return os.path.join("images", f"{digest}__{_file_name(value)}")


#: a name an export gave (`images/<8 hex>__<file name>`): kept, never renamed twice
EXPORTED_NAME = re.compile(r"images/[0-9a-f]{8}__[^/]+\Z")


def _file_name(value: str) -> str:
    """The file name Label Studio's downloader gives a value (`download_and_cache._filename_for`)."""
    if value.startswith("/data/") and "?d=" in value:
        return os.path.basename(value.split("?d=", 1)[1])
    parsed = urlparse(value)
    stored = parse_qs(parsed.query).get("filepath", [None])[0]
    return os.path.basename(stored or parsed.path) or os.path.basename(value.rstrip("/")) or "image"


def _data_uri_bytes(value: str) -> bytes:
    head, _, body = value.partition(",")
    try:
        return base64.b64decode(body, validate=False) if head.endswith(";base64") else body.encode()
    except (binascii.Error, ValueError):
        raise UnsupportedFormat("an image data: URI is not valid base64") from None


def _saved(value: Any, out_dir: str) -> str:
    """Write an in-memory image to `<out_dir>/images/<digest>.<ext>` (once) and return that relative name."""
    try:
        data, mime = to_bytes(value)
    except MediaError as exc:
        raise UnsupportedFormat(f"an in-memory image cannot be written for the export: {exc}") from None
    ext = mimetypes.guess_extension(mime) or ".bin"
    name = os.path.join("images", hashlib.sha256(data).hexdigest()[:16] + (".jpg" if ext == ".jpe" else ext))
    target = os.path.join(out_dir, name)
    if not os.path.exists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
    return name


def image_size(path: str) -> tuple[int, int] | None:
    """(width, height) of a local image, if Pillow is there to read it (Label Studio reads it the same way)."""
    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(path) as img:
            return img.size
    except Exception:  # noqa: BLE001 - any unreadable file: fall back to the sizes stored in the results
        return None


def corners(label: dict, width: float, height: float) -> list[tuple[float, float]]:
    """Pixel corners of a Label Studio rectangle: (x, y) is the top-left corner before rotation, and the box
    turns by `rotation` degrees (clockwise on screen) about that corner."""
    x = label["x"] / 100 * width
    y = label["y"] / 100 * height
    w = label["width"] / 100 * width
    h = label["height"] / 100 * height
    theta = math.radians(label.get("rotation") or 0)
    cos, sin = math.cos(theta), math.sin(theta)
    return [(x, y), (x + w * cos, y + w * sin), (x + w * cos - h * sin, y + w * sin + h * cos),
            (x - h * sin, y + h * cos)]


def output_values(item: Any) -> list[dict]:
    """Every value of an item, control after control (the converter's "concatenate results over all tags")."""
    return [v for values in item.outputs.values() for v in values]

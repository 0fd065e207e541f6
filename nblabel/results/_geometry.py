"""Geometry of region results (images, PDFs, audio, time series, video) checked before a result is stored.

Rule: accept exactly what the Label Studio editor writes (ls_formats.md §2) and refuse nonsense with a `ValueError`
that names the key and the allowed range: percent coordinates 0–100 of the original image, positive sizes, a polygon
of at least 3 points, brush `format: "rle"` with byte values, seconds with `0 <= start <= end`, a videorectangle
`sequence` of keyframes in frame order, timeline `ranges` of frames. The shape follows the result type; per-region
items (a TextArea/Choices answering for a region) repeat the region's geometry and are checked by what it holds.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

from .._brief import brief, listing

_EPS = 1e-3  # the editor's float arithmetic may overshoot 100 by a hair
_TYPE_SHAPE = {
    "rectanglelabels": "rect", "rectangle": "rect", "ocrlabels": "rect",
    "polygonlabels": "polygon", "polygon": "polygon", "keypointlabels": "keypoint", "keypoint": "keypoint",
    "ellipselabels": "ellipse", "ellipse": "ellipse", "brushlabels": "brush", "brush": "brush", "magicwand": "brush",
    "timeserieslabels": "range", "videorectangle": "video", "timelinelabels": "timeline",
}
_VISUAL = {"Image", "Pdf"}
_SECONDS = {"Audio", "AudioPlus"}


def _number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def _integer(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _need(where: str, value: dict, key: str, what: str, ok: Callable[[Any], bool]) -> Any:
    if key not in value:
        raise ValueError(f"{where}: value needs {brief(key)} ({what})")
    v = value[key]
    if not ok(v):
        raise ValueError(f"{where}: value[{brief(key)}] must be {what}, got {brief(v)}")
    return v


def _percent(where: str, value: dict, key: str) -> float:
    return _need(where, value, key, "a number from 0 to 100 (percent of the image)",
                 lambda v: _number(v) and -_EPS <= v <= 100 + _EPS)


def _size(where: str, value: dict, key: str) -> float:
    return _need(where, value, key, "a positive number up to 100 (percent of the image)",
                 lambda v: _number(v) and 0 < v <= 100 + _EPS)


def _rotation(where: str, value: dict) -> float:
    if value.get("rotation") is None:
        return 0.0
    return _need(where, value, "rotation", "degrees from 0 to 360", lambda v: _number(v) and 0 <= v <= 360)


def _rect(where: str, value: dict) -> None:
    x, y = _percent(where, value, "x"), _percent(where, value, "y")
    w, h = _size(where, value, "width"), _size(where, value, "height")
    if _rotation(where, value) == 0 and (x + w > 100 + _EPS or y + h > 100 + _EPS):
        raise ValueError(f"{where}: the rectangle leaves the image (x + width = {x + w:g}, y + height = {y + h:g}; "
                         "percent, at most 100)")
    if value.get("pageIndex") is not None:
        _need(where, value, "pageIndex", "a page index >= 0", lambda v: _integer(v) and v >= 0)
    if value.get("ocrtext") is not None and not isinstance(value["ocrtext"], str):
        raise ValueError(f"{where}: value['ocrtext'] must be a string")


def _polygon(where: str, value: dict) -> None:
    points = value.get("points")
    if not isinstance(points, list) or len(points) < 3:
        n = len(points) if isinstance(points, list) else "no"
        raise ValueError(f"{where}: a polygon needs value['points'] with at least 3 [x, y] points, got {n}")
    for i, p in enumerate(points):
        if not (isinstance(p, (list, tuple)) and len(p) == 2
                and all(_number(c) and -_EPS <= c <= 100 + _EPS for c in p)):
            raise ValueError(f"{where}: points[{i}] must be [x, y] in percent (0 to 100), got {brief(p)}")
    if "closed" in value and not isinstance(value["closed"], bool):
        raise ValueError(f"{where}: value['closed'] must be true or false")


def _keypoint(where: str, value: dict) -> None:
    _percent(where, value, "x")
    _percent(where, value, "y")
    if value.get("width") is not None:
        _need(where, value, "width", "a point size >= 0 (percent)", lambda v: _number(v) and v >= 0)


def _ellipse(where: str, value: dict) -> None:
    _percent(where, value, "x")
    _percent(where, value, "y")
    _size(where, value, "radiusX")
    _size(where, value, "radiusY")
    _rotation(where, value)


def _brush(where: str, value: dict) -> None:
    if value.get("format") != "rle":
        raise ValueError(f"{where}: a brush region needs value['format'] == 'rle', got {brief(value.get('format'))}")
    rle = value.get("rle")
    if not isinstance(rle, list) or not rle or not all(_integer(b) and 0 <= b <= 255 for b in rle):
        raise ValueError(f"{where}: value['rle'] must be a non-empty list of integers 0..255 (Label Studio RLE bytes)")


def _seconds(where: str, value: dict) -> None:
    start = _need(where, value, "start", "seconds >= 0", lambda v: _number(v) and v >= 0)
    end = _need(where, value, "end", "seconds >= 0", lambda v: _number(v) and v >= 0)
    if start > end:
        raise ValueError(f"{where}: start {start} is after end {end} (seconds)")
    if "channel" in value and not (_integer(value["channel"]) and value["channel"] >= 0):
        raise ValueError(f"{where}: value['channel'] must be a channel index >= 0")


def _range(where: str, value: dict) -> None:
    ok = lambda v: _number(v) or (isinstance(v, str) and v.strip() != "")  # noqa: E731  (time formatted by timeFormat)
    start = _need(where, value, "start", "a number or a formatted time", ok)
    end = _need(where, value, "end", "a number or a formatted time", ok)
    if _number(start) != _number(end):
        raise ValueError(f"{where}: start and end must both be numbers or both formatted times, "
                         f"got {brief(start)}, {brief(end)}")
    if _number(start) and start > end:
        raise ValueError(f"{where}: start {start} is after end {end}")
    if "instant" in value:
        if not isinstance(value["instant"], bool):
            raise ValueError(f"{where}: value['instant'] must be true or false")
        if value["instant"] and start != end:
            raise ValueError(f"{where}: an instant region has start == end, got {brief(start)} and {brief(end)}")


def _video(where: str, value: dict) -> None:
    count = value.get("framesCount")
    if count is not None and not (_integer(count) and count >= 0):
        raise ValueError(f"{where}: value['framesCount'] must be an integer >= 0, got {brief(count)}")
    if value.get("duration") is not None and not (_number(value["duration"]) and value["duration"] >= 0):
        raise ValueError(f"{where}: value['duration'] must be seconds >= 0, got {brief(value['duration'])}")
    seq = value.get("sequence")
    if not isinstance(seq, list) or not seq:
        raise ValueError(f"{where}: a videorectangle needs value['sequence'], a non-empty list of keyframes")
    last = None
    for i, kf in enumerate(seq):
        at = f"{where} sequence[{i}]"
        if not isinstance(kf, dict):
            raise ValueError(f"{at}: a keyframe must be a dict")
        frame = _need(at, kf, "frame", "a frame number >= 0", lambda v: _integer(v) and v >= 0)
        if count and frame > count:
            raise ValueError(f"{at}: frame {frame} is past framesCount {count}")
        if last is not None and frame <= last:
            raise ValueError(f"{at}: keyframes must be in increasing frame order ({last} then {frame})")
        last = frame
        _rect(at, {k: kf[k] for k in ("x", "y", "width", "height", "rotation") if k in kf})
        if kf.get("time") is not None and not (_number(kf["time"]) and kf["time"] >= 0):
            raise ValueError(f"{at}: time must be seconds >= 0, got {brief(kf['time'])}")
        if "enabled" in kf and not isinstance(kf["enabled"], bool):
            raise ValueError(f"{at}: enabled must be true or false")


def _timeline(where: str, value: dict) -> None:
    ranges = value.get("ranges")
    if not isinstance(ranges, list) or not ranges:
        raise ValueError(f"{where}: timelinelabels need value['ranges'], a non-empty list of {{start, end}} frames")
    for i, r in enumerate(ranges):
        at = f"{where} ranges[{i}]"
        if not isinstance(r, dict):
            raise ValueError(f"{at}: a range must be a dict {{start, end}}")
        start = _need(at, r, "start", "a frame number >= 0", lambda v: _integer(v) and v >= 0)
        end = _need(at, r, "end", "a frame number >= 0", lambda v: _integer(v) and v >= 0)
        if start > end:
            raise ValueError(f"{at}: start frame {start} is after end frame {end}")


_CHECKS: dict[str, Callable[[str, dict], None]] = {
    "rect": _rect, "polygon": _polygon, "keypoint": _keypoint, "ellipse": _ellipse, "brush": _brush,
    "seconds": _seconds, "range": _range, "video": _video, "timeline": _timeline,
}


def _inferred(value: dict, tag: str | None) -> str | None:
    """The shape a value carries, for types that do not fix it (labels, per-region items)."""
    if tag in _VISUAL:
        if "points" in value:
            return "polygon"
        if "radiusX" in value or "radiusY" in value:
            return "ellipse"
        if "rle" in value or "format" in value:
            return "brush"
        if "width" in value and "height" in value:
            return "rect"
        if "x" in value or "y" in value:
            return "keypoint"
        return None
    if tag == "Video":
        return ("video" if "sequence" in value else "timeline" if "ranges" in value
                else "seconds" if "start" in value else None)
    if tag in _SECONDS:
        return "seconds" if "start" in value or "end" in value else None
    if tag == "TimeSeries":
        return "range" if "start" in value or "end" in value else None
    return None


def _top_level(where: str, item: dict) -> None:
    for key in ("original_width", "original_height"):
        if item.get(key) is not None and not (_number(item[key]) and item[key] > 0):
            raise ValueError(f"{where}: {key} must be the image's size in pixels (> 0), got {brief(item[key])}")
    if item.get("image_rotation") is not None and not _number(item["image_rotation"]):
        raise ValueError(f"{where}: image_rotation must be degrees, got {brief(item['image_rotation'])}")
    if item.get("item_index") is not None and not (_integer(item["item_index"]) and item["item_index"] >= 0):
        raise ValueError(f"{where}: item_index must be the page index (an integer >= 0), "
                         f"got {brief(item['item_index'])}")
    length = item.get("original_length")
    if length is not None and not (_number(length) and length >= 0):
        raise ValueError(f"{where}: original_length must be seconds >= 0, got {brief(item['original_length'])}")


def check_geometry(where: str, item: dict, control, config) -> None:
    """Raise ValueError when a region result's geometry is not what Label Studio writes."""
    value = item["value"]
    obj = config.objects.get(item.get("to_name"))
    tag = obj.tag if obj is not None else None
    _top_level(where, item)
    shape = _TYPE_SHAPE.get(control.type) or _inferred(value, tag)
    if shape is None:
        if control.type == "labels" and tag in _VISUAL:
            raise ValueError(f"{where}: labels on <{tag} name=\"{obj.name}\"> need a region's geometry in value "
                             "(x, y, width, height / points / radiusX, radiusY)")
        return
    _CHECKS[shape](where, value)
    if control.type == "videorectangle" and "labels" in value:
        _merged_labels(where, value["labels"], item.get("to_name"), config)


def _merged_labels(where: str, labels: Any, to_name: Any, config) -> None:
    """A videorectangle carries the labels of the `<Labels>` on the same Video (the editor merges them)."""
    if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
        raise ValueError(f"{where}: value['labels'] must be a list of label names")
    sources = [c for c in config.controls_on(to_name) if c.type == "labels"] if isinstance(to_name, str) else []
    if not sources or any(c.dynamic for c in sources):
        return
    allowed = {o for c in sources for o in c.options}
    unknown = [v for v in labels if v not in allowed]
    if unknown:
        raise ValueError(f"{where}: {brief(unknown[0])} is not a label of the <Labels> on {brief(to_name)} "
                         f"(labels: {listing(sorted(allowed))})")

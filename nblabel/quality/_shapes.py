"""Region similarity: how much two regions of one kind overlap, 0–1.

Rules:
- every region is read from its Label Studio `value` into a geometry of one kind: a 1-D interval (text / audio /
  time-series / paragraph spans), frame sets (timeline), a polygon in image percent (rectangles, rotated or not,
  polygons, ellipses), a point (keypoints), a pixel mask (brush) or a box track (video);
- areas are exact for convex shapes (clipping), rasterised on a 512-cell grid for a concave polygon;
- keypoints: similarity falls linearly from 1 (same point) to 0 at `KEYPOINT_SCALE` percent of the image apart;
- a region whose geometry cannot be read compares by its whole `value` (equal → 1, else 0).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import numpy as np

KEYPOINT_SCALE = 5.0  # percent of the image: keypoints this far apart have similarity 0, half as far 0.5
_ELLIPSE_SIDES = 64
_RASTER = 512
_GEOMETRY_KEYS = ("labels", "choices", "text", "rating", "number", "taxonomy", "datetime", "hypertextlabels",
                  "paragraphlabels", "timeserieslabels", "timelinelabels", "rectanglelabels", "polygonlabels",
                  "ellipselabels", "keypointlabels", "brushlabels", "videorectangle_labels")


# -------------------------------------------------------------------------------------------- reading a value
def _number(v: Any) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
    raise ValueError(v)


def geometry(value: dict) -> tuple[str, Any]:
    """(kind, geometry) of one region's `value`; kind "value" (compared whole) when no geometry is found."""
    try:
        if "sequence" in value:
            return "track", _track(value["sequence"])
        if "ranges" in value:
            return "frames", [(int(r["start"]), int(r["end"])) for r in value["ranges"]]
        if "rle" in value or value.get("format") == "rle":
            return "mask", value
        if "points" in value:
            return "polygon", _closed([(float(x), float(y)) for x, y in value["points"]])
        if "radiusX" in value:
            return "polygon", _ellipse(value)
        if "width" in value and "height" in value and "x" in value:
            return "polygon", _rectangle(value)
        if "x" in value and "y" in value:
            return "point", (float(value["x"]), float(value["y"]))
        if "globalOffsets" in value:
            g = value["globalOffsets"]
            return "span", (float(g["start"]), float(g["end"]))
        if "startOffset" in value and str(value.get("start", "")).isdigit():
            base = 2.0 ** 32  # paragraphs: (paragraph, offset) as one position, one paragraph per region
            return "span", (int(value["start"]) * base + float(value["startOffset"]),
                            int(value["end"]) * base + float(value["endOffset"]))
        if "start" in value and "end" in value:
            return "span", (_number(value["start"]), _number(value["end"]))
    except (KeyError, TypeError, ValueError):
        pass
    return "value", json.dumps({k: v for k, v in value.items() if k not in _GEOMETRY_KEYS}, sort_keys=True,
                               default=str)


def _closed(points: list[tuple[float, float]]) -> np.ndarray:
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) > 1 and np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    if _signed_area(pts) < 0:
        pts = pts[::-1]
    return pts


def _rectangle(v: dict) -> np.ndarray:
    x, y, w, h = (float(v[k]) for k in ("x", "y", "width", "height"))
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=float)
    angle = math.radians(float(v.get("rotation") or 0))
    if angle:  # Label Studio rotates about the top-left corner
        c, s = math.cos(angle), math.sin(angle)
        corners = corners @ np.array([[c, s], [-s, c]])
    return _closed(corners + [x, y])


def _ellipse(v: dict) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, _ELLIPSE_SIDES, endpoint=False)
    rx, ry = float(v["radiusX"]), float(v["radiusY"])
    pts = np.c_[rx * np.cos(t), ry * np.sin(t)]
    angle = math.radians(float(v.get("rotation") or 0))
    if angle:
        c, s = math.cos(angle), math.sin(angle)
        pts = pts @ np.array([[c, s], [-s, c]])
    return _closed(pts + [float(v["x"]), float(v["y"])])


def _track(sequence: list[dict]) -> dict[int, np.ndarray]:
    """Frame → box polygon, keyframes interpolated linearly while `enabled` (Label Studio's video tracks)."""
    keys = sorted(sequence, key=lambda k: int(k["frame"]))
    boxes: dict[int, np.ndarray] = {}
    for a, b in zip(keys, keys[1:] + [None]):
        fa = int(a["frame"])
        boxes[fa] = _rectangle(a)
        if b is None or not a.get("enabled", True):
            continue
        fb = int(b["frame"])
        for f in range(fa + 1, fb):
            t = (f - fa) / (fb - fa)
            mid = {k: float(a[k]) + t * (float(b[k]) - float(a[k])) for k in ("x", "y", "width", "height")}
            mid["rotation"] = float(a.get("rotation") or 0) + t * (float(b.get("rotation") or 0)
                                                                   - float(a.get("rotation") or 0))
            boxes[f] = _rectangle(mid)
    return boxes


# ------------------------------------------------------------------------------------------------ similarity
def similarity(kind: str, a: Any, b: Any) -> float:
    """IoU (or its analogue for the kind) of two geometries of the same kind."""
    if kind == "span":
        return _span_iou(a, b)
    if kind == "polygon":
        return polygon_iou(a, b)
    if kind == "point":
        return max(0.0, 1.0 - math.dist(a, b) / KEYPOINT_SCALE)
    if kind == "frames":
        return _frames_iou(a, b)
    if kind == "mask":
        return _mask_iou(a, b)
    if kind == "track":
        frames = set(a) | set(b)
        if not frames:
            return 1.0
        return sum(polygon_iou(a[f], b[f]) for f in frames if f in a and f in b) / len(frames)
    return 1.0 if a == b else 0.0


def _span_iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    (sa, ea), (sb, eb) = sorted(a), sorted(b)
    union = max(ea, eb) - min(sa, sb)
    if union <= 0:
        return 1.0  # the same instant
    return max(0.0, min(ea, eb) - max(sa, sb)) / union


def _frames_iou(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    fa = set().union(*(range(s, e + 1) for s, e in a)) if a else set()
    fb = set().union(*(range(s, e + 1) for s, e in b)) if b else set()
    union = len(fa | fb)
    return len(fa & fb) / union if union else 1.0


def _signed_area(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _convex(p: np.ndarray) -> bool:
    d = np.roll(p, -1, axis=0) - p
    cross = d[:, 0] * np.roll(d[:, 1], -1) - d[:, 1] * np.roll(d[:, 0], -1)
    return bool(np.all(cross >= -1e-12) or np.all(cross <= 1e-12))


def _clip(subject: np.ndarray, clip: np.ndarray) -> np.ndarray:
    """Sutherland–Hodgman: `subject` clipped by the convex, counter-clockwise `clip`."""
    out = list(map(tuple, subject))
    for i in range(len(clip)):
        if not out:
            break
        (ax, ay), (bx, by) = clip[i], clip[(i + 1) % len(clip)]
        inside = [(bx - ax) * (py - ay) - (by - ay) * (px - ax) >= 0 for px, py in out]
        nxt = []
        for k, (p, pin) in enumerate(zip(out, inside)):
            q, qin = out[k - 1], inside[k - 1]
            if pin != qin:
                (px, py), (qx, qy) = p, q
                den = (bx - ax) * (py - qy) - (by - ay) * (px - qx)
                t = ((bx - ax) * (ay - qy) - (by - ay) * (ax - qx)) / den if den else 0.0
                nxt.append((qx + t * (px - qx), qy + t * (py - qy)))
            if pin:
                nxt.append(p)
        out = nxt
    return np.asarray(out, dtype=float).reshape(-1, 2)


def polygon_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Area IoU of two simple polygons (exact when both are convex)."""
    area_a, area_b = abs(_signed_area(a)), abs(_signed_area(b))
    lo, hi = np.minimum(a.min(0), b.min(0)), np.maximum(a.max(0), b.max(0))
    if np.any(np.maximum(a.min(0), b.min(0)) >= np.minimum(a.max(0), b.max(0))):
        return 0.0 if area_a + area_b > 0 else 1.0
    if _convex(a) and _convex(b):
        cut = _clip(a, b)
        inter = abs(_signed_area(cut)) if len(cut) >= 3 else 0.0
    else:
        inter, area_a, area_b = _raster_areas(a, b, lo, hi)
    union = area_a + area_b - inter
    return inter / union if union > 0 else 1.0


def _raster_areas(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float, float]:
    from PIL import Image, ImageDraw

    scale = _RASTER / max(float((hi - lo).max()), 1e-9)
    masks = []
    for poly in (a, b):
        img = Image.new("1", (_RASTER + 1, _RASTER + 1), 0)
        ImageDraw.Draw(img).polygon([tuple(p) for p in (poly - lo) * scale], fill=1)
        masks.append(np.asarray(img, dtype=bool))
    return float((masks[0] & masks[1]).sum()), float(masks[0].sum()), float(masks[1].sum())


def _mask_iou(a: dict, b: dict) -> float:
    from ..results._rle import decode

    ma, mb = decode(a["rle"]) > 0, decode(b["rle"]) > 0
    n = max(len(ma), len(mb))
    ma, mb = np.pad(ma, (0, n - len(ma))), np.pad(mb, (0, n - len(mb)))
    union = int((ma | mb).sum())
    return int((ma & mb).sum()) / union if union else 1.0

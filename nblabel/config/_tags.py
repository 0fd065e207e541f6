"""Registry of every Label Studio tag name.

Rule: one row per tag Label Studio's editor registers (`Registry.addTag`) or documents
under `docs/source/tags/`, with the casing its docs use. Label Studio matches tag names
case-insensitively (`<choices>` works), so lookups here do too and hand back the
canonical casing. `rendered` says whether *this* version of nblabel can draw the tag;
everything else is still known (it parses, and the front end shows "not supported yet").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

__all__ = ["TAGS", "TagInfo", "lookup", "suggest"]


@dataclass(frozen=True)
class TagInfo:
    tag: str  # canonical casing, e.g. "TextArea"
    kind: str  # "visual" | "object" | "control" | "option"
    type: str | None  # Label Studio result `type` for controls, else None
    rendered: bool  # drawn by this version of nblabel
    # Control whose `toName` may (or must) name the tag itself: LS's
    # "self-referencing" tags (ReactCode) that label their own content.
    self_ref: bool = False


# Drawn by this version. Everything else parses but renders as "not supported yet".
_RENDERED = {"View", "Header", "Style", "Text", "Choices", "Choice", "TextArea", "Rating", "Number",
             "Labels", "Label", "Relations", "Relation", "HyperText", "HyperTextLabels", "Paragraphs",
             "ParagraphLabels", "Chat", "Table", "List", "Ranker", "Bucket", "Pairwise", "Taxonomy", "DateTime",
             "TimeSeries", "TimeSeriesLabels", "Channel",
             "Audio", "AudioPlus", "Pdf",
             "Image", "RectangleLabels", "Rectangle", "PolygonLabels", "Polygon", "KeyPointLabels", "KeyPoint",
             "EllipseLabels", "Ellipse", "OcrLabels", "BrushLabels", "Brush",
             "Video", "VideoRectangle", "TimelineLabels", "Repeater"}

_VISUAL = (
    "View", "Header", "Style", "Collapse", "Panel", "Filter", "Dialog", "Markdown",
    "Repeater",
)
_OBJECTS = (
    "Text", "HyperText", "Image", "Audio", "AudioPlus", "Video", "Pdf", "Paragraphs",
    "Chat", "Table", "List", "TimeSeries", "Object3D",
)
_CONTROLS = (
    "Choices", "Labels", "HyperTextLabels", "ParagraphLabels",
    "Rectangle", "RectangleLabels", "Polygon", "PolygonLabels",
    "KeyPoint", "KeyPointLabels", "Ellipse", "EllipseLabels",
    "Brush", "BrushLabels", "Bitmask", "BitmaskLabels", "MagicWand",
    "Vector", "VectorLabels", "Cube", "CubeLabels",
    "TextArea", "Rating", "Number", "DateTime", "Taxonomy",
    "Relations", "Pairwise", "Ranker",
    "TimeSeriesLabels", "TimelineLabels",
    "VideoRectangle", "VideoVector", "VideoVectorLabels",
    "OcrLabels", "ReactCode",
)
# Children that only make sense inside a parent: options of controls (Choice, Label,
# Relation, Bucket, Shortcut) and the columns of a TimeSeries (Channel).
_OPTIONS = ("Choice", "Label", "Relation", "Bucket", "Shortcut", "Channel")

# The LS result type is the lowercased tag name, except where LS names it otherwise.
_TYPE_EXCEPTIONS = {"Relations": "relation"}
_SELF_REF = {"ReactCode"}


def _build() -> dict[str, TagInfo]:
    table: dict[str, TagInfo] = {}
    for kind, names in (
        ("visual", _VISUAL), ("object", _OBJECTS), ("control", _CONTROLS), ("option", _OPTIONS)
    ):
        for name in names:
            result_type = _TYPE_EXCEPTIONS.get(name, name.lower()) if kind == "control" else None
            info = TagInfo(name, kind, result_type, name in _RENDERED, name in _SELF_REF)
            assert name.lower() not in table, name
            table[name.lower()] = info
    return table


#: lowercased tag name -> TagInfo
TAGS: dict[str, TagInfo] = _build()


def lookup(name: str) -> TagInfo | None:
    """The registry row for `name` in any casing, or None if Label Studio has no such tag."""
    return TAGS.get(name.lower())


def suggest(name: str, n: int = 3) -> list[str]:
    """Canonical names closest to an unknown `name` (for "did you mean" messages)."""
    close = difflib.get_close_matches(name.lower(), list(TAGS), n=n, cutoff=0.6)
    return [TAGS[c].tag for c in close]

"""The 36 official Label Studio templates that use Image, Audio, AudioPlus, Video, Pdf or TimeSeries, with task data.

The other half of `templates33` (same source and the same sample data rules).
"""

from __future__ import annotations

from templates33 import _MEDIA, MISSING, _tags, template  # noqa: F401  (re-exported)
from ls_templates import source


def slugs() -> list[str]:
    if MISSING:
        return []
    return [s for s in source().slugs if _tags(s) & _MEDIA]

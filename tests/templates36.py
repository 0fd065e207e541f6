"""The 36 official Label Studio templates that use Image, Audio, AudioPlus, Video, Pdf or TimeSeries, with task data.

The other half of `templates33` (same sample data rules: `template-samples/`, else the JSON in the template's own
comment, else `LabelInterface.generate_sample_task()`). Used by the template tests (issue 4 "Proof").
"""

from __future__ import annotations

import re

from templates33 import _MEDIA, DATA, SAMPLES, TEMPLATES, template  # noqa: F401  (re-exported)


def slugs() -> list[str]:
    out = []
    for f in sorted(TEMPLATES.glob("*.xml")):
        tags = {t.lower() for t in re.findall(r"<([A-Za-z]+)", f.read_text())}
        if tags & _MEDIA:
            out.append(f.stem)
    return out

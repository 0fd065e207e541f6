"""The 33 official Label Studio templates without Image/Audio/Video/Pdf/TimeSeries, with task data.

Data comes from `template-samples/` (first task that has every `$field`), else from the JSON in the template's own
comment, else `LabelInterface.generate_sample_task()`. Used by the template tests (issue 3 "Proof").
"""

from __future__ import annotations

import json
import random
import re
import warnings
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "label-studio"
TEMPLATES = DATA / "templates"
SAMPLES = DATA / "template-samples"
_MEDIA = {"image", "audio", "audioplus", "video", "pdf", "timeseries"}


def slugs() -> list[str]:
    out = []
    for f in sorted(TEMPLATES.glob("*.xml")):
        tags = {t.lower() for t in re.findall(r"<([A-Za-z]+)", f.read_text())}
        if not tags & _MEDIA:
            out.append(f.stem)
    return out


def _tasks_in(obj) -> list[dict]:
    if isinstance(obj, list):
        return [t for o in obj for t in _tasks_in(o)]
    if isinstance(obj, dict):
        return [obj["data"]] if isinstance(obj.get("data"), dict) else [obj]
    return []


def _candidates(slug: str, xml: str) -> list[dict]:
    found = []
    for f in sorted(SAMPLES.glob(f"{slug}.*")):
        try:
            found += _tasks_in(json.loads(f.read_text()))
        except ValueError:
            continue
    for m in re.finditer(r"<!--(.*?)-->", xml, re.S):
        body = m.group(1).strip()
        start = min([i for i in (body.find("{"), body.find("[")) if i >= 0], default=-1)
        if start >= 0:
            try:
                found += _tasks_in(json.loads(body[start:]))
            except ValueError:
                pass
    return found


def template(slug: str) -> tuple[str, dict]:
    """(config xml, task data) for one template."""
    from label_studio_sdk.label_interface import LabelInterface

    from nblabel.config._parse import parse_config

    xml = (TEMPLATES / f"{slug}.xml").read_text()
    fields = set(parse_config(xml).fields)
    for data in _candidates(slug, xml):
        if fields <= set(data):
            return xml, data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = LabelInterface(xml).generate_sample_task()
    return xml, {k: data.get(k, f"sample {k}") for k in fields} | data


def sdk_sample_annotation(slug: str, xml: str) -> dict | None:
    """`LabelInterface.generate_sample_annotation()`, seeded by the slug (the SDK draws from `random`): the same
    annotation on every run; retried a few times while it comes back without a result."""
    from label_studio_sdk.label_interface import LabelInterface

    ann = None
    for attempt in range(10):
        random.seed(f"{slug}{attempt}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ann = LabelInterface(xml).generate_sample_annotation()
        if ann is None or ann.get("result"):
            break
    return ann

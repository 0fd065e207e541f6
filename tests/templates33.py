"""The 33 official Label Studio templates without Image/Audio/Video/Pdf/TimeSeries, with task data.

Templates come from the `label-studio` package (tests/ls_templates.py). A template's task data is the first sample
that has every `$field`: the template's `example.json`, else the JSON in its `config.xml` comment, else the JSON in
its config's own comment, else `LabelInterface.generate_sample_task()`.
"""

from __future__ import annotations

import random
import re
import warnings

from ls_templates import missing_reason, source

MISSING = missing_reason()  # why the template tests skip (None: the templates are here)
_MEDIA = {"image", "audio", "audioplus", "video", "pdf", "timeseries"}


def _tags(slug: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<([A-Za-z]+)", source().config(slug))}


def slugs() -> list[str]:
    if MISSING:
        return []
    return [s for s in source().slugs if not _tags(s) & _MEDIA]


def _tasks_in(obj) -> list[dict]:
    if isinstance(obj, list):
        return [t for o in obj for t in _tasks_in(o)]
    if isinstance(obj, dict):
        return [obj["data"]] if isinstance(obj.get("data"), dict) else [obj]
    return []


def template(slug: str) -> tuple[str, dict]:
    """(config xml, task data) for one template."""
    from label_studio_sdk.label_interface import LabelInterface

    from nblabel.config._parse import parse_config

    xml = source().config(slug)
    fields = set(parse_config(xml).fields)
    for data in (t for sample in source().samples(slug) for t in _tasks_in(sample)):
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

"""The official templates with an Image object render in the built front end (fake model, configs parsed by nblabel's
own parser) with their sample data: no `.nblabel-error`, no page error; their sample images are remote URLs that
cannot load here (every request off the test origin is refused), which is an in-place `.nblabel-media-error` per
image; the SDK's sample annotation (made valid, tests/test_templates36.py) is shown pre-filled and Enter sends it back
exactly. Screenshots: test-artifacts/image-templates/<slug>.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from frontend_page import missing_reason, mount, task, wait_received
from templates36 import MISSING, slugs, template

_REASON = missing_reason() or MISSING
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "image-templates"
SLUGS = [s for s in slugs() if "<Image" in template(s)[0]]


def _key(r: dict) -> str:
    return f'{r.get("id", "")}|{r.get("from_name", "")}|{r.get("type")}|{r.get("from_id", "")}'


def test_there_are_sixteen():
    assert len(SLUGS) == 16


@pytest.mark.parametrize("slug", SLUGS)
def test_image_template_renders_and_prefill_roundtrips(fe_page, slug):
    from nblabel.config._parse import parse_config
    from nblabel.tasks._source import json_safe
    from test_templates36 import sample_result

    fe_page.route(re.compile(r"^(?!http://nblabel\.test/)(https?:)?//"), lambda route: route.abort())
    xml, data, result = sample_result(slug)
    config = parse_config(xml)
    data = {k: json_safe(data.get(k)) for k in config.fields}
    mount(fe_page, config.to_json(), [task("t", data, prefill=result, prefill_from="annotation")])
    images = fe_page.locator(".nblabel-image")
    fe_page.wait_for_function("() => [...document.querySelectorAll('.nblabel-image')].every(i => "
                              "i.querySelector('.nblabel-media-error') "
                              "|| i.querySelector('.nblabel-image-img').naturalWidth)")
    assert images.count() == xml.count("<Image")
    assert fe_page.locator(".nblabel-media-error").count() == images.count()  # remote samples: offline here
    assert fe_page.locator(".nblabel-error").all_text_contents() == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    fe_page.locator(".nblabel").screenshot(path=str(SHOTS / f"{slug}.png"))
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    sent = wait_received(fe_page, "submit", 1)[0]["result"]
    assert sorted(sent, key=_key) == sorted(result, key=_key)

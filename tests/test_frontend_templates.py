"""Issue 3 proof, browser side (fake model, fast): each of the 33 text-family templates renders with its sample data
without `.nblabel-error` or a page error, shows the SDK-generated annotation pre-filled, and Enter sends it back
exactly (region ids, offsets in code points, relations and per-region values included) and valid for
`LabelInterface`."""

from __future__ import annotations

import pytest

from frontend_page import missing_reason, mount, task, wait_received
from templates33 import MISSING, slugs
from test_templates import sample_result

_REASON = missing_reason() or MISSING
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]
SLUGS = slugs()


def _key(r: dict) -> str:
    return f'{r.get("id", "")}|{r.get("from_name", "")}|{r.get("type")}|{r.get("from_id", "")}'


@pytest.mark.parametrize("slug", SLUGS)
def test_template_renders_and_prefill_roundtrips(fe_page, slug):
    from nblabel.config._parse import parse_config
    from nblabel.tasks._source import json_safe

    xml, data, result = sample_result(slug)
    config = parse_config(xml)
    data = {k: json_safe(data.get(k)) for k in config.fields}
    mount(fe_page, config.to_json(), [task("t", data, prefill=result, prefill_from="annotation")])
    errors = fe_page.locator(".nblabel-error")
    assert errors.count() == 0, errors.all_text_contents()
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    sent = wait_received(fe_page, "submit", 1)[0]["result"]
    assert sorted(sent, key=_key) == sorted(result, key=_key)
    from label_studio_sdk.label_interface import LabelInterface

    li = LabelInterface(xml)
    for r in sent:  # what the widget writes validates (Pairwise / chat messages / relations: see test_templates)
        if r["type"] not in ("pairwise", "chatmessage", "relation"):
            assert li.validate_region(r), r

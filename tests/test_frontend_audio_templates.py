"""The ten official templates with an Audio object render in the built front end (fake model, configs parsed by
nblabel's own parser) with their sample data: no `.nblabel-error`, no page error; their sample media
(`/static/samples/game.wav`, remote URLs) cannot load here, which is an in-place `.nblabel-media-error`; the sample
annotation is shown pre-filled and Enter sends it back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontend_page import missing_reason, mount, task, wait_received
from ls_templates import source
from templates33 import MISSING, template

_REASON = missing_reason() or MISSING
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "audio-templates"
SLUGS = [
    "audio-speech-processing__automatic-speech-recognition-using-segments",
    "audio-speech-processing__automatic-speech-recognition",
    "audio-speech-processing__conversational-analysis",
    "audio-speech-processing__intent-classification",
    "audio-speech-processing__signal-quality-detection",
    "audio-speech-processing__sound-event-detection",
    "audio-speech-processing__speaker-segmentation",
    "audio-speech-processing__speech-transcription",
    "ranking-and-scoring__asr-hypotheses",
    "videos__video-timeline-segmentation",
]


def sample_annotation(slug: str) -> list[dict]:
    """The annotation of the template's own sample task (`config.xml`'s comment), if it has one."""
    sample = source().editor_sample(slug)
    anns = (sample.get("annotations") if isinstance(sample, dict) else None) or []
    return anns[0]["result"] if anns else []


@pytest.mark.parametrize("slug", SLUGS)
def test_audio_template_renders_and_prefill_roundtrips(fe_page, slug):
    from nblabel.config._parse import parse_config

    errors: list[str] = []
    fe_page.on("pageerror", lambda e: errors.append(str(e)))
    xml, data = template(slug)
    prefill = sample_annotation(slug)
    mount(fe_page, parse_config(xml).to_json(), [task("t", data, prefill=prefill or None, prefill_from="annotation")])
    # the media settles: loaded (a waveform or a timeline) or an in-place media error
    fe_page.wait_for_function("() => [...document.querySelectorAll('.nblabel-audio')]"
                              ".every(a => a.dataset.wave && a.dataset.wave !== 'loading')")
    assert fe_page.locator(".nblabel-audio").count() == 1
    assert fe_page.locator(".nblabel-error").all_text_contents() == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    fe_page.locator(".nblabel").screenshot(path=str(SHOTS / f"{slug}.png"))
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    if prefill:
        assert wait_received(fe_page, "submit", 1)[0]["result"] == prefill
    assert errors == []

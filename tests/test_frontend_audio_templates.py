"""The ten official templates with an Audio object render in the built front end (fake model, configs parsed by
nblabel's own parser) with their sample data: no `.nblabel-error`, no page error; their sample media
(`/static/samples/game.wav`, remote URLs) cannot load here, which is an in-place `.nblabel-media-error`; the sample
annotation is shown pre-filled and Enter sends it back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontend_page import missing_reason, mount, task, wait_received
from templates33 import SAMPLES, TEMPLATES, template

_REASON = missing_reason() or (None if TEMPLATES.exists() else f"templates not found at {TEMPLATES}")
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
    f = SAMPLES / f"{slug}.sample.json"
    if not f.exists():
        return []
    anns = json.loads(f.read_text()).get("annotations") or []
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

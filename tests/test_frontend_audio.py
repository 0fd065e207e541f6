"""Audio in the built front end (fake model): the waveform of a WAV written with the standard library, segments
selected with the mouse and with the keyboard, relabel / delete, per-region transcription, prefill round trip,
playback keys, zoom, and a media error that leaves labeling working.

Every labeling test ends on the exact Label Studio result the fake Python receives; seconds are checked against the
pixels dragged (within one pixel's worth of seconds, computed from the track's width).
"""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from pathlib import Path

import pytest

from frontend_page import mount, missing_reason, task, wait_received

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
RATE = 8000
SECONDS = 2.0


def wav_data_url(seconds: float = SECONDS, tone: float = 1.0) -> str:
    """Mono 16-bit WAV: a 440 Hz tone for `tone` seconds, then silence."""
    n = int(RATE * seconds)
    frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / RATE)) if i < RATE * tone else 0)
                      for i in range(n))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    return "data:audio/wav;base64," + base64.b64encode(out.getvalue()).decode()


WAV = wav_data_url()

SEGMENTS = """<View>
  <Labels name="labels" toName="audio">
    <Label value="Speech"/><Label value="Noise" hotkey="n"/>
  </Labels>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcription" toName="audio" rows="2" editable="true" perRegion="true"/>
</View>"""

SPEAKERS = """<View>
  <Labels name="label" toName="audio" maxUsages="2">
    <Label value="Speaker one" background="#00FF00"/><Label value="Speaker two" background="#12ad59"/>
  </Labels>
  <AudioPlus name="audio" value="$audio"/>
</View>"""

CLASSIFY = """<View>
  <Audio name="audio" value="$audio"/>
  <Choices name="quality" toName="audio"><Choice value="Good"/><Choice value="Bad"/></Choices>
</View>"""


def ready(page, wave_state: str = "peaks") -> None:
    page.wait_for_function("(s) => document.querySelector('.nblabel-audio')?.dataset.wave === s", arg=wave_state)


def track_box(page) -> dict:
    return page.locator(".nblabel-audio-track").bounding_box()


def drag(page, f0: float, f1: float) -> tuple[float, float, float]:
    """Drag across the track from fraction f0 to f1 of its width; returns (x0, x1, width) relative to the track."""
    box = track_box(page)
    y = box["y"] + box["height"] * 0.4
    x0, x1 = box["x"] + f0 * box["width"], box["x"] + f1 * box["width"]
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=3)
    page.mouse.move(x1, y, steps=3)
    page.mouse.up()
    return x0 - box["x"], x1 - box["x"], box["width"]


def shot(page, name: str) -> None:
    """A screenshot of the widget to look at (test-artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".nblabel").screenshot(path=str(ARTIFACTS / f"{name}.png"))


def submit(page, n: int = 1) -> list[dict]:
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def strip_ids(result: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in result]


def seconds_match(value: dict, x0: float, x1: float, width: float) -> None:
    px = SECONDS / width  # one pixel's worth of seconds
    assert abs(value["start"] - x0 / width * SECONDS) <= px, (value, x0, width)
    assert abs(value["end"] - x1 / width * SECONDS) <= px, (value, x1, width)


def validate(xml: str, result: list[dict]) -> None:
    from label_studio_sdk.label_interface import LabelInterface

    errors = LabelInterface(xml).validate_prediction({"result": result}, return_errors=True)
    assert not errors, errors


def test_waveform_draws_tone_then_silence(fe_page):
    mount(fe_page, CLASSIFY, [task("a", {"audio": WAV})])
    ready(fe_page)
    assert fe_page.locator(".nblabel-audio").get_attribute("data-duration") == "2"
    assert fe_page.locator(".nblabel-audio-time").text_content() == "0:00.00 / 0:02.00"
    # ink per canvas half, above the axis: the tone (first second) is drawn tall, the silence only as the centre line
    left, right = fe_page.evaluate("""() => {
      const c = document.querySelector('.nblabel-audio-wave');
      const g = c.getContext('2d');
      const h = Math.floor(c.height * 0.8), half = Math.floor(c.width / 2);
      const ink = (x0) => { const d = g.getImageData(x0, 0, half, h).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; };
      return [ink(0), ink(half)];
    }""")
    assert left > 20 * right > 0
    assert fe_page.locator(".nblabel-error, .nblabel-media-error").count() == 0
    shot(fe_page, "audio_waveform")


def test_mouse_segment_with_armed_label_and_transcription(fe_page):
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV})])
    ready(fe_page)
    fe_page.locator(".nblabel-label", has_text="Speech").click()  # armed
    assert "drag on the waveform" in fe_page.locator(".nblabel-hint").text_content()
    x0, x1, width = drag(fe_page, 0.1, 0.45)
    assert fe_page.locator(".nblabel-audio-region").count() == 1
    # select the region (click in the list), transcribe it in the per-region TextArea
    fe_page.locator(".nblabel-region-row").click()
    fe_page.locator(".nblabel-per-region textarea").fill("hello there")
    shot(fe_page, "audio_segments")
    result = submit(fe_page)
    assert len(result) == 2 and result[0]["id"] == result[1]["id"]
    value = result[0]["value"]
    seconds_match(value, x0, x1, width)
    start, end = value["start"], value["end"]
    assert strip_ids(result) == [
        {"original_length": 2.0, "from_name": "labels", "to_name": "audio", "type": "labels",
         "value": {"start": start, "end": end, "channel": 0, "labels": ["Speech"]}},
        {"original_length": 2.0, "from_name": "transcription", "to_name": "audio", "type": "textarea",
         "value": {"start": start, "end": end, "channel": 0, "text": ["hello there"]}},
    ]
    validate(SEGMENTS, result)


def test_select_then_label_relabel_delete_and_max_usages(fe_page):
    mount(fe_page, SPEAKERS, [task("a", {"audio": WAV})])
    ready(fe_page)
    a0, a1, width = drag(fe_page, 0.05, 0.3)  # pending selection, then a digit labels it
    assert fe_page.locator(".nblabel-audio-pending").is_visible()
    fe_page.keyboard.press("2")
    b0, b1, _ = drag(fe_page, 0.5, 0.9)
    fe_page.keyboard.press("1")
    c0, c1, _ = drag(fe_page, 0.92, 0.98)
    fe_page.keyboard.press("1")  # a third region: maxUsages=2 refuses
    assert "at most 2" in fe_page.locator(".nblabel-hint").text_content()
    assert fe_page.locator(".nblabel-audio-region").count() == 2
    # click the first region on the waveform: selected; a digit relabels it
    box = track_box(fe_page)
    fe_page.mouse.click(box["x"] + width * 0.2, box["y"] + box["height"] * 0.5)
    assert fe_page.locator(".nblabel-audio-region.is-selected").count() == 1
    fe_page.keyboard.press("1")
    # select the second region in the list and delete it with the Delete key
    fe_page.locator(".nblabel-region-row").nth(1).click()
    fe_page.keyboard.press("Delete")
    assert fe_page.locator(".nblabel-audio-region").count() == 1
    result = submit(fe_page)
    value = result[0]["value"]
    seconds_match(value, a0, a1, width)
    assert strip_ids(result) == [{"original_length": 2.0, "from_name": "label", "to_name": "audio", "type": "labels",
                                  "value": {"start": value["start"], "end": value["end"], "channel": 0,
                                            "labels": ["Speaker one"]}}]
    validate(SPEAKERS, result)


def test_keyboard_segment_at_the_playhead(fe_page):
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV})])
    ready(fe_page)
    root = fe_page.locator(".nblabel")
    root.focus()
    fe_page.keyboard.press("Alt+ArrowRight")  # playhead 0 → 1 s
    fe_page.keyboard.press("[")
    assert fe_page.locator(".nblabel-audio-mark").is_visible()
    fe_page.keyboard.press("Alt+ArrowLeft")  # back to 0 s: the segment is ordered [0, 1]
    fe_page.keyboard.press("]")
    fe_page.keyboard.press("n")  # the Noise hotkey labels the pending segment
    # a second one with the mouse: click seeks to ~1.5 s, then [ … Alt+→ … ] gives [1.5, 2.0] (clamped at the end)
    box = track_box(fe_page)
    fe_page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + 10)
    head = fe_page.evaluate("() => document.querySelector('.nblabel-audio-element').currentTime")
    assert abs(head - 1.5) <= SECONDS / box["width"]
    fe_page.keyboard.press("[")
    fe_page.keyboard.press("Alt+ArrowRight")
    fe_page.keyboard.press("]")
    fe_page.keyboard.press("1")
    # keyboard edit of the first segment: select it (list), playhead to 0.5 s, [ moves its start there
    fe_page.locator(".nblabel-region-row").first.click()
    fe_page.evaluate("() => { document.querySelector('.nblabel-audio-element').currentTime = 0.5; }")
    fe_page.keyboard.press("[")
    result = submit(fe_page)
    assert strip_ids(result) == [
        {"original_length": 2.0, "from_name": "labels", "to_name": "audio", "type": "labels",
         "value": {"start": 0.5, "end": 1, "channel": 0, "labels": ["Noise"]}},
        {"original_length": 2.0, "from_name": "labels", "to_name": "audio", "type": "labels",
         "value": {"start": head, "end": 2, "channel": 0, "labels": ["Speech"]}},
    ]


INTENT = """<View>
  <Labels name="labels" toName="audio"><Label value="Segment"/></Labels>
  <Audio name="audio" value="$audio"/>
  <Choices name="intent" toName="audio" perRegion="true" required="true">
    <Choice value="Question"/><Choice value="Request"/>
  </Choices>
  <Rating name="clarity" toName="audio" perRegion="true" maxRating="5"/>
  <Rating name="overall" toName="audio" maxRating="5"/>
</View>"""


def test_per_region_choices_and_rating_on_a_segment(fe_page):
    mount(fe_page, INTENT, [task("a", {"audio": WAV})])
    ready(fe_page)
    x0, x1, width = drag(fe_page, 0.3, 0.6)
    fe_page.keyboard.press("1")  # Segment
    fe_page.locator(".nblabel-audio-region").click()  # select (and play) it: its per-region controls show
    fe_page.locator(".nblabel-per-region .nblabel-option", has_text="Request").click()
    fe_page.locator(".nblabel-rating[data-name=clarity] .nblabel-star").nth(3).click()
    fe_page.locator(".nblabel-rating[data-name=overall] .nblabel-star").nth(1).click()
    result = submit(fe_page)
    v = result[1]["value"]
    seconds_match(v, x0, x1, width)
    where = {"start": v["start"], "end": v["end"], "channel": 0}
    region = {"original_length": 2.0, "to_name": "audio"}
    assert strip_ids(result) == [
        {"from_name": "overall", "to_name": "audio", "type": "rating", "value": {"rating": 2}},
        {**region, "from_name": "labels", "type": "labels", "value": {**where, "labels": ["Segment"]}},
        {**region, "from_name": "intent", "type": "choices", "value": {**where, "choices": ["Request"]}},
        {**region, "from_name": "clarity", "type": "rating", "value": {**where, "rating": 4}},
    ]
    assert len({r["id"] for r in result[1:]}) == 1
    validate(INTENT, result)


def test_keyboard_only_segments_and_transcription(fe_page):
    """No mouse: mark two segments, step to the first with Alt+↓, Tab into its transcription, type, Ctrl+Enter."""
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV})])
    ready(fe_page)
    kb = fe_page.keyboard
    fe_page.locator(".nblabel").focus()
    for key in ("[", "Alt+ArrowRight", "]", "1", "[", "Alt+ArrowRight", "]", "2"):  # [0, 1] Speech, [1, 2] Noise
        kb.press(key)
    kb.press("Alt+ArrowUp")  # playhead at 2 s, nothing selected: the previous segment starts at 1 s
    assert fe_page.locator(".nblabel-audio-region.is-selected").text_content() == "Noise"
    kb.press("Alt+ArrowUp")
    assert fe_page.locator(".nblabel-audio-region.is-selected").text_content() == "Speech"
    assert fe_page.evaluate("() => document.querySelector('.nblabel-audio-element').currentTime") == 0
    kb.press("Tab")  # Labels → the selected segment's transcription
    assert fe_page.evaluate("() => document.activeElement.closest('[data-name]')?.dataset.name") == "transcription"
    kb.type("one two")
    kb.press("Control+Enter")
    result = wait_received(fe_page, "submit", 1)[0]["result"]
    region = {"original_length": 2.0, "to_name": "audio"}
    assert strip_ids(result) == [
        {**region, "from_name": "labels", "type": "labels",
         "value": {"start": 0, "end": 1, "channel": 0, "labels": ["Speech"]}},
        {**region, "from_name": "transcription", "type": "textarea",
         "value": {"start": 0, "end": 1, "channel": 0, "text": ["one two"]}},
        {**region, "from_name": "labels", "type": "labels",
         "value": {"start": 1, "end": 2, "channel": 0, "labels": ["Noise"]}},
    ]


def test_prefill_round_trip_unchanged(fe_page):
    prefill = [
        {"original_length": 3.77437641723356, "value": {"start": 0.9167245904503621, "end": 2.4340618436095824,
                                                        "labels": ["Speech"]},
         "id": "wavesurfer_8q3en87p138", "from_name": "labels", "to_name": "audio", "type": "labels"},
        {"original_length": 3.77437641723356, "value": {"start": 0.9167245904503621, "end": 2.4340618436095824,
                                                        "text": ["Wow wow wow!!!...."]},
         "id": "wavesurfer_8q3en87p138", "from_name": "transcription", "to_name": "audio", "type": "textarea"},
        {"id": "r2", "from_name": "labels", "to_name": "audio", "type": "labels",
         "value": {"start": 0.1, "end": 0.5, "channel": 0, "labels": ["Noise"]}},
    ]
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV}, prefill=prefill)])
    ready(fe_page)
    assert fe_page.locator(".nblabel-audio-region").count() == 2
    assert fe_page.locator(".nblabel-region-row").first.text_content().startswith("Speech")
    assert submit(fe_page) == prefill


def test_resize_by_edge_and_click_plays_the_region(fe_page):
    prefill = [{"id": "r1", "from_name": "labels", "to_name": "audio", "type": "labels", "original_length": 2.0,
                "value": {"start": 0.5, "end": 1.0, "channel": 0, "labels": ["Speech"]}}]
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV}, prefill=prefill)])
    ready(fe_page)
    region = fe_page.locator(".nblabel-audio-region")
    region.click()  # selects it and plays [0.5, 1.0]
    assert fe_page.locator(".nblabel-audio-region.is-selected").count() == 1
    fe_page.wait_for_function("() => { const a = document.querySelector('.nblabel-audio-element');"
                              " return a.paused && a.currentTime >= 1.0 - 0.05 && a.currentTime < 1.3; }")
    edge = fe_page.locator(".nblabel-audio-edge.is-end").bounding_box()
    box = track_box(fe_page)
    x = edge["x"] + edge["width"] / 2
    target = box["x"] + box["width"] * 0.8
    y = edge["y"] + edge["height"] / 2
    fe_page.mouse.move(x, y)
    fe_page.mouse.down()
    fe_page.mouse.move(target, y, steps=4)
    fe_page.mouse.up()
    result = submit(fe_page)
    end = result[0]["value"]["end"]
    assert abs(end - 1.6) <= SECONDS / box["width"]
    assert result == [{"id": "r1", "from_name": "labels", "to_name": "audio", "type": "labels", "original_length": 2.0,
                       "value": {"start": 0.5, "end": end, "channel": 0, "labels": ["Speech"]}}]


def test_space_plays_and_pauses_zoom_keeps_seconds(fe_page):
    mount(fe_page, SEGMENTS, [task("a", {"audio": WAV})])
    ready(fe_page)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Space")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-audio-element').currentTime > 0.2")
    fe_page.keyboard.press("Space")
    assert fe_page.evaluate("() => document.querySelector('.nblabel-audio-element').paused")
    assert fe_page.locator(".nblabel-audio-play").get_attribute("aria-label") == "play"
    view_w = fe_page.evaluate("() => document.querySelector('.nblabel-audio-view').clientWidth")
    fe_page.keyboard.press("+")
    fe_page.keyboard.press("+")
    assert fe_page.locator(".nblabel-audio-zoom").text_content() == "4×"
    assert track_box(fe_page)["width"] == pytest.approx(4 * view_w, abs=1)
    # a drag on the zoomed (and maybe scrolled) track still maps pixels to seconds through the track's box
    fe_page.locator(".nblabel-label", has_text="Speech").click()
    box = track_box(fe_page)
    view = fe_page.locator(".nblabel-audio-view").bounding_box()
    x0, x1 = view["x"] + 50, view["x"] + 250
    y = view["y"] + 30
    fe_page.mouse.move(x0, y)
    fe_page.mouse.down()
    fe_page.mouse.move(x1, y, steps=4)
    fe_page.mouse.up()
    result = submit(fe_page)
    seconds_match(result[0]["value"], x0 - box["x"], x1 - box["x"], box["width"])
    fe_page.keyboard.press("?")
    legend = fe_page.locator(".nblabel-legend").text_content()
    assert "play / pause" in legend and "mark a segment" in legend


def test_unreachable_audio_is_a_media_error_and_choices_still_submit(fe_page):
    mount(fe_page, CLASSIFY, [task("a", {"audio": "https://example.invalid/nothing.wav"}),
                              task("b", {"audio": "javascript:alert(1)"})])
    ready(fe_page, "failed")
    err = fe_page.locator(".nblabel-audio .nblabel-media-error")
    assert err.count() == 1 and "could not be loaded" in err.text_content()
    assert fe_page.locator(".nblabel-error").count() == 0
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")
    assert strip_ids(submit(fe_page)) == [{"from_name": "quality", "to_name": "audio", "type": "choices",
                                           "value": {"choices": ["Bad"]}}]
    ready(fe_page, "failed")  # the next task: an unsafe URL never reaches the element
    assert "unsafe URL" in fe_page.locator(".nblabel-audio .nblabel-media-error").text_content()
    assert fe_page.evaluate("() => document.querySelector('.nblabel-audio-element').getAttribute('src')") is None


def test_prefilled_regions_survive_a_media_error(fe_page):
    prefill = [{"id": "r1", "from_name": "label", "to_name": "audio", "type": "labels", "original_length": 3.7,
                "value": {"start": 0.5, "end": 1.0, "labels": ["Speaker two"]}}]
    mount(fe_page, SPEAKERS, [task("a", {"audio": "https://example.invalid/x.wav"}, prefill=prefill)])
    ready(fe_page, "failed")
    assert fe_page.locator(".nblabel-region-row").count() == 1
    assert submit(fe_page) == prefill


def test_timeline_when_the_file_plays_but_cannot_be_decoded_dark_theme(fe_page):
    """A server the <audio> element can play from but fetch() cannot read (like one without CORS headers: the route
    refuses the fetch) → a plain timeline with the duration, labeling works."""
    from frontend_page import DARK

    body = base64.b64decode(WAV.split(",", 1)[1])

    def serve(route):
        if route.request.resource_type == "media":
            route.fulfill(status=200, content_type="audio/wav", body=body)
        else:
            route.abort("accessdenied")

    fe_page.route("http://media.test/**", serve)
    mount(fe_page, SEGMENTS, [task("a", {"audio": "http://media.test/clip.wav"})], theme=DARK)
    ready(fe_page, "timeline")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-audio').dataset.duration === '2'")
    assert "timeline only" in fe_page.locator(".nblabel-audio-note").text_content()
    fe_page.locator(".nblabel-label", has_text="Noise").click()
    x0, x1, width = drag(fe_page, 0.5, 0.75)
    shot(fe_page, "audio_timeline_dark")
    result = submit(fe_page)
    seconds_match(result[0]["value"], x0, x1, width)
    assert strip_ids(result) == [{"original_length": 2.0, "from_name": "labels", "to_name": "audio", "type": "labels",
                                  "value": {**result[0]["value"], "labels": ["Noise"]}}]
    assert set(result[0]["value"]) == {"start", "end", "channel", "labels"}


_RECORD = """async () => {
  const ac = new AudioContext(); await ac.resume();
  const osc = ac.createOscillator(), dest = ac.createMediaStreamDestination(); osc.connect(dest); osc.start();
  const rec = new MediaRecorder(dest.stream, {mimeType: 'audio/webm'}), chunks = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise((r) => (rec.onstop = r));
  rec.start(); await new Promise((r) => setTimeout(r, 600)); rec.stop(); await done;
  const buf = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = ''; for (const b of buf) s += String.fromCharCode(b); return btoa(s);
}"""


def test_webm_without_duration_metadata(fe_page):
    """A WebM whose Duration element is voided reports Infinity at first; when it cannot be decoded either (fetch
    refused), the duration the element finds once buffered is taken, the timeline is drawn, segments are seconds."""
    data = bytearray(base64.b64decode(fe_page.evaluate(_RECORD)))
    at = data.find(bytes([0x44, 0x89]))  # Segment/Info/Duration: id, size byte (0x84 / 0x88), float
    assert at > 0
    size = data[at + 2] & 0x0F
    data[at:at + 3 + size] = bytes([0xEC, 0x80 | (size + 1)]) + bytes(size + 1)  # an EBML Void of the same length
    reported = fe_page.evaluate("""async (src) => { const a = new Audio(); a.src = src;
        await new Promise((r) => (a.onloadedmetadata = r)); return a.duration; }""",
                                "data:audio/webm;base64," + base64.b64encode(bytes(data)).decode())
    # Chromium up to 15x reports Infinity here; a newer one may scan the clusters and find the length itself.
    # Either way the widget must end with a finite duration and segments in seconds, which is what follows.
    assert reported == float("inf") or 0.3 < reported < 2

    def serve(route):
        if route.request.resource_type == "media":
            route.fulfill(status=200, content_type="audio/webm", body=bytes(data))
        else:
            route.abort("accessdenied")

    fe_page.route("http://media.test/**", serve)
    mount(fe_page, SEGMENTS, [task("a", {"audio": "http://media.test/rec.webm"})])
    ready(fe_page, "timeline")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-audio').dataset.duration")
    duration = float(fe_page.locator(".nblabel-audio").get_attribute("data-duration"))
    assert 0.3 < duration < 2
    fe_page.locator(".nblabel-label", has_text="Speech").click()
    x0, x1, width = drag(fe_page, 0.25, 0.75)
    result = submit(fe_page)
    value = result[0]["value"]
    px = duration / width
    assert abs(value["start"] - x0 / width * duration) <= px and abs(value["end"] - x1 / width * duration) <= px
    assert result[0]["original_length"] == duration

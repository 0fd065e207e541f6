"""Video in the built front end (fake model): frame stepping, a box tracked over frames (keyframes, interpolation,
lifespan), timeline ranges (TimelineLabels), prefill round trips, media that cannot load.

The test video is a real VP8 WebM (what headless Debian Chromium plays) written by OpenCV's bundled FFmpeg, 50
frames at 25 fps, served as a `data:` URL. Every test ends on the exact Label Studio result the fake Python receives,
with percentages computed from the pixels the mouse used, the way the page computes them.
"""

from __future__ import annotations

import base64
import math
import os
import tempfile

import pytest

from frontend_page import DARK, ROOT, missing_reason, mount, task, wait_received
from nblabel.config._parse import parse_config
from nblabel.results._validate import normalize_result

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

# the official templates' configs (minus their sample comments), written out so the test needs no shared/ checkout
TRACKING = """<View>
   <Labels name="videoLabels" toName="video" allowEmpty="true">
     <Label value="Man" background="blue"/>
     <Label value="Woman" background="red"/>
     <Label value="Other" background="green"/>
   </Labels>
   <Video name="video" value="$video" framerate="25.0"/>
   <VideoRectangle name="box" toName="video" />
</View>"""

FRAMES = """<View>
  <TimelineLabels name="videoLabels" toName="video">
    <Label value="Movement" background="#c813ec"/>
    <Label value="Still" background="#1d81cd"/>
    <Label value="Slow Motion" background="#54d651"/>
  </TimelineLabels>
  <Video name="video" value="$video" timelineHeight="120" />
</View>"""

CLASSIFY = """<View>
  <Video name="video" value="$video"/>
  <Choices name="choice" toName="video" showInLine="true">
    <Choice value="Blurry" />
    <Choice value="Sharp" />
  </Choices>
</View>"""

BOXES_ONLY = """<View>
  <Video name="video" value="$video" frameRate="$fps"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""

W, H, N, FPS = 320, 180, 50, 25


@pytest.fixture(scope="module")
def clip() -> str:
    """A 2 s, 25 fps, 320×180 VP8 WebM as a data: URL (each frame a different colour with its number)."""
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "clip.webm")
        out = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"VP80"), FPS, (W, H))
        if not out.isOpened():
            pytest.skip("this OpenCV build cannot write VP8 WebM")
        for i in range(N):
            img = np.zeros((H, W, 3), np.uint8)
            img[:] = (40 + 4 * i, 90, 200 - 3 * i)
            cv2.rectangle(img, (20 + 4 * i, 40), (80 + 4 * i, 120), (255, 255, 255), -1)
            cv2.putText(img, str(i + 1), (200, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 3)
            out.write(img)
        out.release()
        data = open(path, "rb").read()
    return "data:video/webm;base64," + base64.b64encode(data).decode()


def ready(page, n: int = 1) -> None:
    page.wait_for_function("(n) => document.querySelectorAll('.nblabel-video.is-ready').length >= n", arg=n)


def submit(page, n: int = 1) -> list[dict]:
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def strip_ids(result: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in result]


def frame_text(page) -> str:
    return page.locator(".nblabel-video-frame").text_content()


def overlay(page) -> dict:
    return page.evaluate("() => { const r = document.querySelector('.nblabel-video-overlay').getBoundingClientRect();"
                         " return {left: r.left, top: r.top, width: r.width, height: r.height}; }")


def pct(box: dict, x: float, y: float) -> tuple[float, float]:
    """What the page computes for a mouse point: % of the video's box (clamped to 0..100)."""
    return (min(100, max(0, ((x - box["left"]) / box["width"]) * 100)),
            min(100, max(0, ((y - box["top"]) / box["height"]) * 100)))


def drag(page, a: tuple[int, int], b: tuple[int, int]) -> None:
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move((a[0] + b[0]) // 2, (a[1] + b[1]) // 2, steps=2)
    page.mouse.move(*b, steps=2)
    page.mouse.up()


def go_to_frame(page, f: int) -> None:
    """Step with the keys: `>` = 10 frames, `.` = 1, `,` = −1."""
    page.locator(".nblabel").focus()
    cur = int(frame_text(page).split()[1])
    while f - cur >= 10:
        page.keyboard.press(">")
        cur += 10
    while cur < f:
        page.keyboard.press(".")
        cur += 1
    while cur > f:
        page.keyboard.press(",")
        cur -= 1
    assert frame_text(page).startswith(f"frame {f} /")


def seek(page, f: int) -> None:
    """Click the timeline's scrub strip in the middle of frame f."""
    frames = int(page.locator(".nblabel-video").get_attribute("data-frames"))
    t = page.locator(".nblabel-video-scrub").bounding_box()
    page.mouse.click(t["x"] + t["width"] * ((f - 0.5) / frames), t["y"] + t["height"] / 2)
    assert frame_text(page).startswith(f"frame {f} /")
    page.locator(".nblabel").focus()


def box_style(page) -> dict:
    """The shown box (there is one) as % numbers from its inline style (CSS keeps ~6 significant digits)."""
    s = page.locator(".nblabel-video-box").evaluate("(e) => [e.style.left, e.style.top, e.style.width, e.style.height]")
    return dict(zip(["x", "y", "width", "height"], [float(v.rstrip("%")) for v in s]))


def test_video_loads_and_steps_frames_with_keys(fe_page, clip):
    mount(fe_page, TRACKING, [task("a", {"video": clip})])
    ready(fe_page)
    duration = fe_page.evaluate("() => document.querySelector('video').duration")
    assert duration == pytest.approx(2.0, abs=0.05)
    frames = math.ceil(duration * FPS)
    assert fe_page.locator(".nblabel-video").get_attribute("data-frames") == str(frames)
    assert frame_text(fe_page) == f"frame 1 / {frames}"
    fe_page.locator(".nblabel").focus()
    for key, want in [(".", 2), (".", 3), (">", 13), (",", 12), ("<", 2), ("<", 1), ("Alt+ArrowRight", 2)]:
        fe_page.keyboard.press(key)
        assert frame_text(fe_page) == f"frame {want} / {frames}", key
    # the video element follows: frame f is time f / frameRate (Label Studio)
    fe_page.wait_for_function("() => Math.abs(document.querySelector('video').currentTime - 2 / 25) < 1e-3")
    fe_page.locator(".nblabel-video-next").click()
    assert frame_text(fe_page).startswith("frame 3 /")
    # a click on the timeline seeks to the frame under the pointer
    t = fe_page.locator(".nblabel-video-scrub").bounding_box()
    fe_page.mouse.click(t["x"] + t["width"] * (29.5 / frames), t["y"] + t["height"] / 2)
    assert frame_text(fe_page).startswith("frame 30 /")
    # Space plays, Space again pauses (no page error, the playhead follows)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press(" ")
    fe_page.wait_for_function("() => !document.querySelector('video').paused")
    fe_page.keyboard.press(" ")
    fe_page.wait_for_function("() => document.querySelector('video').paused")


def test_track_a_box_over_frames_exact_json(fe_page, clip):
    mount(fe_page, TRACKING, [task("a", {"video": clip})])
    ready(fe_page)
    duration = fe_page.evaluate("() => document.querySelector('video').duration")
    frames = math.ceil(duration * FPS)
    box = overlay(fe_page)
    assert box["width"] == pytest.approx(W) and box["height"] == pytest.approx(H)  # natural size: % of it
    ox, oy = math.ceil(box["left"]), math.ceil(box["top"])
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # arm "Man", then draw on frame 1
    a, b = (ox + 40, oy + 30), (ox + 120, oy + 110)
    drag(fe_page, a, b)
    assert fe_page.locator(".nblabel-region-row").count() == 1
    assert fe_page.locator(".nblabel-video-box.is-selected").count() == 0  # labelled on creation: digits keep arming
    x0, y0 = pct(box, *a)
    x1, y1 = pct(box, *b)
    k1 = {"frame": 1, "enabled": True, "rotation": 0, "x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0,
          "time": 1 / FPS}
    assert box_style(fe_page) == pytest.approx({k: k1[k] for k in ("x", "y", "width", "height")}, abs=1e-3)

    # frame 10: drag the box by its middle → a second keyframe
    seek(fe_page, 10)
    grab = (ox + 80, oy + 70)
    to = (ox + 180, oy + 90)
    drag(fe_page, grab, to)
    g = pct(box, *grab)
    t = pct(box, *to)
    dx, dy = t[0] - g[0], t[1] - g[1]
    k10 = {**k1, "frame": 10, "x": min(max(k1["x"] + dx, 0), 100 - k1["width"]),
           "y": min(max(k1["y"] + dy, 0), 100 - k1["height"]), "time": 10 / FPS}
    # frame 20: resize with the south-east corner handle → a third keyframe
    seek(fe_page, 20)
    assert fe_page.locator(".nblabel-video-box.is-selected .nblabel-video-handle").count() == 4  # selected by the drag
    h = fe_page.locator(".nblabel-video-handle[data-handle=se]").bounding_box()
    hx, hy = round(h["x"] + h["width"] / 2), round(h["y"] + h["height"] / 2)
    drag(fe_page, (hx, hy), (hx + 30, hy + 20))
    rdx = pct(box, hx + 30, hy)[0] - pct(box, hx, hy)[0]
    rdy = pct(box, hx, hy + 20)[1] - pct(box, hx, hy)[1]
    x2 = min(max(k10["x"] + k10["width"] + rdx, 0), 100)
    y2 = min(max(k10["y"] + k10["height"] + rdy, 0), 100)
    k20 = {**k10, "frame": 20, "width": x2 - k10["x"], "height": y2 - k10["y"], "time": 20 / FPS}

    # between keyframes the box is interpolated linearly, like Label Studio
    seek(fe_page, 4)
    r = (4 - 1) / (10 - 1)
    assert box_style(fe_page) == pytest.approx({k: k1[k] + (k10[k] - k1[k]) * r for k in ("x", "y", "width", "height")},
                                               abs=1e-3)
    assert "is-keyframe" not in fe_page.locator(".nblabel-video-box").get_attribute("class")
    seek(fe_page, 15)
    r = (15 - 10) / (20 - 10)
    assert box_style(fe_page) == pytest.approx(
        {k: k10[k] + (k20[k] - k10[k]) * r for k in ("x", "y", "width", "height")}, abs=1e-3)
    # after the last keyframe the box stays; `v` on frame 30 ends its lifespan there
    seek(fe_page, 30)
    fe_page.keyboard.press("v")
    assert fe_page.locator(".nblabel-video-box").count() == 1  # still drawn on the keyframe itself
    seek(fe_page, 31)
    assert fe_page.locator(".nblabel-video-box").count() == 0
    k30 = {**k20, "frame": 30, "enabled": False, "time": 30 / FPS}
    # the timeline shows one row: the lifespan 1..30 and four keyframes
    assert fe_page.locator(".nblabel-video-row .nblabel-video-kf").count() == 4
    assert fe_page.locator(".nblabel-video-row .nblabel-video-span").count() == 1
    fe_page.locator(".nblabel-video-kf").nth(1).click()  # a keyframe's diamond goes to its frame
    assert frame_text(fe_page).startswith("frame 10 /")
    assert box_style(fe_page) == pytest.approx({k: k10[k] for k in ("x", "y", "width", "height")}, abs=1e-3)

    result = submit(fe_page)
    assert strip_ids(result) == [{
        "from_name": "box", "to_name": "video", "type": "videorectangle",
        "value": {"framesCount": frames, "duration": duration, "sequence": [k1, k10, k20, k30], "labels": ["Man"]},
    }]
    seq = result[0]["value"]["sequence"]
    for got, want in zip(seq, [k1, k10, k20, k30]):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
    from label_studio_sdk.label_interface import LabelInterface

    assert LabelInterface(TRACKING).validate_annotation({"result": result})
    assert normalize_result(result, parse_config(TRACKING), {"video": clip}) == result  # what Python's submit() takes


def test_unlabeled_box_relabel_keyframe_key_and_delete(fe_page, clip, tmp_path):
    mount(fe_page, TRACKING, [task("a", {"video": clip})], theme=DARK)
    ready(fe_page)
    box = overlay(fe_page)
    ox, oy = math.ceil(box["left"]), math.ceil(box["top"])
    drag(fe_page, (ox + 200, oy + 20), (ox + 300, oy + 90))  # no label armed: a box without label, selected
    drag(fe_page, (ox + 10, oy + 100), (ox + 60, oy + 170))
    assert fe_page.locator(".nblabel-region-row").count() == 2
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("2")  # relabel the selected (second) box: Woman
    go_to_frame(fe_page, 5)
    fe_page.keyboard.press("k")  # keyframe of the selected box on frame 5 (holds the same shape)
    assert "is-keyframe" in fe_page.locator(".nblabel-video-box.is-selected").get_attribute("class")
    fe_page.keyboard.press("k")  # and off again
    fe_page.keyboard.press("k")
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    fe_page.locator("#host").screenshot(path=str(out / "video-tracking-dark.png"))
    fe_page.locator(".nblabel-region-row").first.click()
    fe_page.keyboard.press("Delete")
    result = submit(fe_page)
    assert len(result) == 1
    v = result[0]["value"]
    assert (result[0]["from_name"], result[0]["type"], v["labels"]) == ("box", "videorectangle", ["Woman"])
    assert [k["frame"] for k in v["sequence"]] == [1, 5]
    assert {k: v["sequence"][1][k] for k in ("x", "y", "width", "height")} == \
        {k: v["sequence"][0][k] for k in ("x", "y", "width", "height")}
    assert v["sequence"][1]["enabled"] is True and v["sequence"][1]["time"] == 5 / FPS


def test_boxes_without_labels_control_and_frame_rate_from_data(fe_page, clip):
    mount(fe_page, BOXES_ONLY, [task("a", {"video": clip, "fps": 10})])
    ready(fe_page)
    assert fe_page.locator(".nblabel-video-frame").text_content() == "frame 1 / 20"  # 2 s at 10 fps
    box = overlay(fe_page)
    ox, oy = math.ceil(box["left"]), math.ceil(box["top"])
    go_to_frame(fe_page, 3)
    drag(fe_page, (ox + 32, oy + 18), (ox + 64, oy + 54))
    result = submit(fe_page)
    x, y = pct(box, ox + 32, oy + 18)
    x2, y2 = pct(box, ox + 64, oy + 54)
    assert strip_ids(result) == [{"from_name": "box", "to_name": "video", "type": "videorectangle", "value": {
        "framesCount": 20, "duration": pytest.approx(2.0, abs=0.05),
        "sequence": [{"frame": 3, "enabled": True, "rotation": 0, "x": x, "y": y, "width": x2 - x, "height": y2 - y,
                      "time": 0.3}]}}]  # no `labels` key: there are none


def test_timeline_ranges_by_drag_and_keys_exact_json(fe_page, clip, tmp_path):
    mount(fe_page, FRAMES, [task("a", {"video": clip})])
    ready(fe_page)
    frames = int(fe_page.locator(".nblabel-video").get_attribute("data-frames"))
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # arm Movement, drag frames 5..12 on the timeline (then resized to 5..15)
    t = fe_page.locator(".nblabel-video-rows").bounding_box()
    at = lambda f: (t["x"] + t["width"] * ((f - 0.5) / frames), t["y"] + t["height"] / 2)  # noqa: E731
    fe_page.mouse.move(*at(5))
    fe_page.mouse.down()
    fe_page.mouse.move(*at(9), steps=3)
    fe_page.mouse.move(*at(12), steps=3)
    fe_page.mouse.up()
    assert fe_page.locator(".nblabel-region-row").count() == 1
    # select it on the timeline (shows its first frame), drag its end edge to frame 15, deselect
    fe_page.locator(".nblabel-video-span.is-range").click()
    assert frame_text(fe_page).startswith("frame 5 /")
    e = fe_page.locator(".nblabel-video-edge[data-edge=end]").bounding_box()
    fe_page.mouse.move(e["x"] + e["width"] / 2, e["y"] + e["height"] / 2)
    fe_page.mouse.down()
    fe_page.mouse.move(*at(14), steps=2)
    fe_page.mouse.move(*at(15), steps=2)
    fe_page.mouse.up()
    fe_page.locator(".nblabel-video-span.is-range").click()
    assert fe_page.locator(".nblabel-video-row.is-selected").count() == 0
    # keyboard: no label armed → [ at 20, ] at 26 makes a pending range, then 2 labels it Still
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # disarm
    go_to_frame(fe_page, 20)
    fe_page.keyboard.press("[")
    go_to_frame(fe_page, 26)
    fe_page.keyboard.press("]")
    assert fe_page.locator(".nblabel-video-pending").is_visible()
    fe_page.keyboard.press("2")
    assert fe_page.locator(".nblabel-region-row").count() == 2
    # a single frame: [ and ] on the same frame
    go_to_frame(fe_page, 40)
    fe_page.keyboard.press("[")
    fe_page.keyboard.press("]")
    fe_page.keyboard.press("3")
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    fe_page.locator("#host").screenshot(path=str(out / "video-timeline.png"))
    result = submit(fe_page)
    item = lambda s, e, label: {"from_name": "videoLabels", "to_name": "video", "type": "timelinelabels",  # noqa: E731
                                "value": {"ranges": [{"start": s, "end": e}], "timelinelabels": [label]}}
    assert strip_ids(result) == [item(5, 15, "Movement"), item(20, 26, "Still"), item(40, 40, "Slow Motion")]
    from label_studio_sdk.label_interface import LabelInterface

    assert LabelInterface(FRAMES).validate_annotation({"result": result})
    assert normalize_result(result, parse_config(FRAMES), {"video": clip}) == result


def test_prefill_round_trip_unchanged(fe_page, clip):
    """Tracks and ranges from Label Studio come back exactly as they came (also a VideoRectangle with Labels and a
    TimelineLabels on one video)."""
    timeline = FRAMES.split("<View>")[1].split("<Video ")[0].replace('"videoLabels"', '"timeline"')
    xml = TRACKING.replace("</View>", timeline + "</View>")
    track = {"id": "trk1", "from_name": "box", "to_name": "video", "type": "videorectangle",
             "value": {"framesCount": 1051, "duration": 42.008633, "labels": ["Woman"], "sequence": [
                 {"x": 16, "y": 51, "width": 30, "height": 28, "rotation": 0, "enabled": True, "frame": 1,
                  "time": 0.04},
                 {"x": 44.7, "y": 51.5, "width": 30.1, "height": 28.8, "rotation": 0, "enabled": False, "frame": 25,
                  "time": 1},
             ]}}
    bare = {"id": "trk2", "from_name": "box", "to_name": "video", "type": "videorectangle",
            "value": {"framesCount": 50, "duration": 2, "sequence": [
                {"frame": 3, "enabled": True, "rotation": 0, "x": 1.5, "y": 2.5, "width": 10, "height": 20,
                 "time": 0.12}]}}
    ranges = {"id": "rng1", "from_name": "timeline", "to_name": "video", "type": "timelinelabels",
              "value": {"ranges": [{"start": 3, "end": 20}, {"start": 30, "end": 30}], "timelinelabels": ["Still"]}}
    mount(fe_page, xml, [task("a", {"video": clip}, prefill=[track, bare, ranges], prefill_from="annotation")])
    ready(fe_page)
    assert fe_page.locator(".nblabel-region-row").count() == 3
    assert fe_page.locator(".nblabel-video-box").count() == 1  # trk2 starts on frame 3
    assert box_style(fe_page) == pytest.approx({"x": 16, "y": 51, "width": 30, "height": 28})
    assert fe_page.locator(".nblabel-video-row").count() == 3
    assert submit(fe_page) == [track, bare, ranges]
    from label_studio_sdk.label_interface import LabelInterface

    assert LabelInterface(xml).validate_annotation({"result": [track, bare, ranges]})


def test_unreachable_video_is_a_media_error_and_choices_still_submit(fe_page):
    tasks = [task("a", {"video": "/static/samples/opossum_snow.mp4"}),  # the template's sample: not served here
             task("b", {"video": "javascript:alert(1)"})]
    mount(fe_page, CLASSIFY, tasks)
    fe_page.wait_for_selector(".nblabel-video .nblabel-media-error")
    assert "could not be loaded" in fe_page.locator(".nblabel-media-error").text_content()
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    assert strip_ids(submit(fe_page)) == [{"from_name": "choice", "to_name": "video", "type": "choices",
                                           "value": {"choices": ["Blurry"]}}]
    fe_page.wait_for_selector(".nblabel-video .nblabel-media-error:has-text('unsafe')")
    fe_page.keyboard.press("2")
    assert strip_ids(submit(fe_page, 2)) == [{"from_name": "choice", "to_name": "video", "type": "choices",
                                              "value": {"choices": ["Sharp"]}}]


@pytest.mark.parametrize("xml", [TRACKING, FRAMES, CLASSIFY], ids=["tracking", "frames", "classify"])
def test_sdk_sample_annotations_come_back_unchanged(fe_page, clip, xml):
    """`LabelInterface.generate_sample_annotation` (random frames in any order, `labels: null`, a bare `labels` item on
    the video, ranges with extra keys): prefilled, submitted untouched → the same items."""
    from label_studio_sdk.label_interface import LabelInterface

    sample = LabelInterface(xml).generate_sample_annotation()["result"]
    tasks = [task("a", {"video": clip}, prefill=sample, prefill_from="annotation"),
             task("b", {"video": "/static/samples/opossum_snow.mp4"}, prefill=sample, prefill_from="annotation")]
    mount(fe_page, xml, tasks)
    ready(fe_page)
    assert submit(fe_page) == sample
    fe_page.wait_for_selector(".nblabel-media-error")  # task b: the video cannot load, the regions still go back
    assert submit(fe_page, 2) == sample


def serve_ranges(route, body: bytes, mime: str) -> None:
    """Answer like a file server: byte ranges (206), without which a browser cannot seek in a media file."""
    rng = route.request.headers.get("range", "")
    if not rng.startswith("bytes="):
        route.fulfill(status=200, body=body, headers={"content-type": mime, "accept-ranges": "bytes"})
        return
    a, _, b = rng[6:].partition("-")
    start, end = int(a or 0), int(b) if b else len(body) - 1
    route.fulfill(status=206, body=body[start:end + 1], headers={
        "content-type": mime, "accept-ranges": "bytes", "content-range": f"bytes {start}-{end}/{len(body)}"})


def test_video_and_audio_in_sync(fe_page, clip):
    """The timeline-segmentation template: `<Video sync="audio">` + `<Audio sync="video">` on the same file — seeking
    or playing the video moves the audio (the video is muted: the audio plays the sound)."""
    xml = """<View>
  <Header value="Video timeline segmentation via Audio sync trick"/>
  <Video name="video" value="$video_url" sync="audio"/>
  <Labels name="tricks" toName="audio" choice="multiple">
    <Label value="Kickflip" background="#1BB500"/>
    <Label value="360 Flip" background="#FFA91D"/>
    <Label value="Trick" background="#358EF3"/>
  </Labels>
  <Audio name="audio" value="$video_url" sync="video" speed="false"/>
</View>"""
    # served over http (a data: URL of a video is refused as audio: data: URLs must be of the object's own kind)
    body = base64.b64decode(clip.split(",", 1)[1])
    fe_page.route("http://nblabel.test/media/clip.webm", lambda route: serve_ranges(route, body, "video/webm"))
    mount(fe_page, xml, [task("a", {"video_url": "http://nblabel.test/media/clip.webm"})])
    ready(fe_page)
    fe_page.wait_for_function("() => document.querySelector('audio').readyState >= 1")
    assert fe_page.evaluate("() => document.querySelector('video').muted")
    seek(fe_page, 25)  # 25 / 24 s (the template sets no frameRate: 24)
    fe_page.wait_for_function("() => Math.abs(document.querySelector('audio').currentTime - 25 / 24) < 0.06")
    fe_page.keyboard.press(" ")
    fe_page.wait_for_function("() => !document.querySelector('video').paused"
                              " && !document.querySelector('audio').paused")
    fe_page.keyboard.press(" ")
    fe_page.wait_for_function("() => document.querySelector('video').paused && document.querySelector('audio').paused")



def test_webm_without_duration_metadata(fe_page, clip):
    """A WebM without a Duration element (what MediaRecorder writes): the element reports Infinity, the Video seeks
    to the end once to learn the duration, then frames work as usual."""
    data = bytearray(base64.b64decode(clip.split(",", 1)[1]))
    at = data.find(bytes([0x44, 0x89, 0x88]))  # Segment/Info/Duration: 8-byte float
    assert at > 0
    data[at:at + 11] = bytes([0xEC, 0x89]) + bytes(9)  # → an EBML Void element of the same size
    url = "data:video/webm;base64," + base64.b64encode(bytes(data)).decode()
    reported = fe_page.evaluate("""async (src) => { const v = document.createElement('video'); v.src = src;
        await new Promise((r) => (v.onloadedmetadata = r)); return v.duration; }""", url)
    assert reported == float("inf")
    mount(fe_page, BOXES_ONLY, [task("a", {"video": url, "fps": 25})])
    ready(fe_page)
    duration = fe_page.evaluate("() => document.querySelector('.nblabel-video video').duration")
    assert duration == pytest.approx(2.0, abs=0.05)
    frames = math.ceil(duration * 25)
    assert fe_page.locator(".nblabel-video").get_attribute("data-frames") == str(frames)
    assert frame_text(fe_page) == f"frame 1 / {frames}"
    fe_page.wait_for_function("() => document.querySelector('.nblabel-video video').currentTime === 0")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press(".")
    assert frame_text(fe_page) == f"frame 2 / {frames}"

"""`submit()` accepts the region results Label Studio writes for images, PDFs, audio, time series and video, and
refuses nonsense with a ValueError that says what is wrong (nblabel/_geometry.py)."""

from __future__ import annotations

import pytest

import nblabel

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Cat"/></RectangleLabels>
  <Rectangle name="rect" toName="img"/>
  <PolygonLabels name="poly" toName="img"><Label value="Car"/></PolygonLabels>
  <Polygon name="polygon" toName="img"/>
  <KeyPointLabels name="kp" toName="img"><Label value="Nose"/></KeyPointLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Cell"/></EllipseLabels>
  <BrushLabels name="brush" toName="img"><Label value="Car"/></BrushLabels>
  <Labels name="lab" toName="img"><Label value="Text"/></Labels>
  <TextArea name="note" toName="img" perRegion="true"/>
  <Image name="pages" valueList="$pages"/>
  <RectangleLabels name="pbox" toName="pages"><Label value="Title"/></RectangleLabels>
  <Pdf name="pdf" value="$pdf"/>
  <OcrLabels name="ocr" toName="pdf"><Label value="Typo"/></OcrLabels>
  <Audio name="audio" value="$audio"/>
  <Labels name="speaker" toName="audio"><Label value="A"/><Label value="B"/></Labels>
  <TimeSeries name="ts" value="$ts" valueType="url"><Channel column="v"/></TimeSeries>
  <TimeSeriesLabels name="tsl" toName="ts"><Label value="Run"/></TimeSeriesLabels>
  <Video name="video" value="$video"/>
  <Labels name="who" toName="video"><Label value="Man"/><Label value="Woman"/></Labels>
  <VideoRectangle name="track" toName="video"/>
  <TimelineLabels name="timeline" toName="video"><Label value="Walk"/></TimelineLabels>
</View>"""
DATA = {"image": "https://x.test/a.png", "pages": ["https://x.test/1.png"], "pdf": "https://x.test/a.pdf",
        "audio": "https://x.test/a.wav", "ts": "https://x.test/a.csv", "video": "https://x.test/a.mp4"}
RECT = {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0}

GOOD = [
    ("box", "img", "rectanglelabels", {**RECT, "rectanglelabels": ["Car"]},
     {"original_width": 640, "original_height": 480, "image_rotation": 0}),
    ("box", "img", "rectanglelabels", {"x": 90, "y": 90, "width": 30, "height": 40, "rotation": 45,
                                       "rectanglelabels": ["Cat"]}, {}),  # rotated: may reach past the corner
    ("rect", "img", "rectangle", dict(RECT), {}),
    ("poly", "img", "polygonlabels", {"points": [[10, 10], [20, 10], [15, 20]], "closed": True,
                                      "polygonlabels": ["Car"]}, {}),
    ("polygon", "img", "polygon", {"points": [[0, 0], [100, 0], [100, 100]]}, {}),
    ("kp", "img", "keypointlabels", {"x": 50, "y": 50, "width": 0.5, "keypointlabels": ["Nose"]}, {}),
    ("ell", "img", "ellipselabels", {"x": 50, "y": 50, "radiusX": 10, "radiusY": 5, "rotation": 0,
                                     "ellipselabels": ["Cell"]}, {}),
    ("brush", "img", "brushlabels", {"format": "rle", "rle": [0, 0, 0, 48, 57, 27, 254, 19, 0, 159, 255, 9, 128, 0],
                                     "brushlabels": ["Car"]}, {}),
    ("lab", "img", "labels", {**RECT, "labels": ["Text"]}, {}),
    ("note", "img", "textarea", {**RECT, "text": ["hello"]}, {}),
    ("pbox", "pages", "rectanglelabels", {**RECT, "rectanglelabels": ["Title"]}, {"item_index": 2}),
    ("ocr", "pdf", "ocrlabels", {**RECT, "ocrtext": "Lorem", "pageIndex": 0, "ocrlabels": ["Typo"]}, {}),
    ("speaker", "audio", "labels", {"start": 0.0126, "end": 0.6133, "labels": ["A"]}, {"original_length": 3.5}),
    ("tsl", "ts", "timeserieslabels", {"start": 5, "end": 15, "instant": False, "timeserieslabels": ["Run"]}, {}),
    ("tsl", "ts", "timeserieslabels", {"start": "2020-01-04 00:00:00.000000", "end": "2020-01-11 00:00:00.000000",
                                       "instant": False, "timeserieslabels": ["Run"]}, {}),
    ("tsl", "ts", "timeserieslabels", {"start": 7, "end": 7, "instant": True, "timeserieslabels": ["Run"]}, {}),
    ("track", "video", "videorectangle", {"framesCount": 1051, "duration": 42.008633, "sequence": [
        {"x": 16, "y": 51, "width": 30, "height": 28, "rotation": 0, "enabled": True, "frame": 1, "time": 0.04},
        {"x": 44.7, "y": 51.5, "width": 30.1, "height": 28.8, "rotation": 0, "enabled": False, "frame": 25, "time": 1}],
        "labels": ["Man"]}, {}),
    ("timeline", "video", "timelinelabels", {"ranges": [{"start": 3, "end": 20}], "timelinelabels": ["Walk"]}, {}),
]

BAD = [
    ("box", "img", "rectanglelabels", {**RECT, "x": 110, "rectanglelabels": ["Car"]}, {},
     "value['x'] must be a number from 0 to 100 (percent of the image), got 110"),
    ("box", "img", "rectanglelabels", {**RECT, "width": 0, "rectanglelabels": ["Car"]}, {},
     "value['width'] must be a positive number up to 100"),
    ("box", "img", "rectanglelabels", {**RECT, "x": 80, "rectanglelabels": ["Car"]}, {},
     "the rectangle leaves the image (x + width = 110"),
    ("box", "img", "rectanglelabels", {"x": 1, "y": 1, "rectanglelabels": ["Car"]}, {}, "value needs 'width'"),
    ("box", "img", "rectanglelabels", {**RECT, "rectanglelabels": ["Bus"]}, {}, "'Bus' is not an option"),
    ("rect", "img", "rectangle", {**RECT, "height": -4}, {}, "value['height'] must be a positive number"),
    ("rect", "img", "rectangle", {**RECT, "x": True}, {}, "value['x'] must be a number"),
    ("box", "img", "rectanglelabels", {**RECT, "rectanglelabels": ["Car"]}, {"original_width": 0},
     "original_width must be the image's size in pixels (> 0)"),
    ("pbox", "pages", "rectanglelabels", {**RECT, "rectanglelabels": ["Title"]}, {"item_index": -1},
     "item_index must be the page index"),
    ("poly", "img", "polygonlabels", {"points": [[82, 99]], "polygonlabels": ["Car"]}, {},
     "a polygon needs value['points'] with at least 3 [x, y] points, got 1"),
    ("polygon", "img", "polygon", {"points": [[0, 0], [10, 0], [5, 120]]}, {}, "points[2] must be [x, y] in percent"),
    ("kp", "img", "keypointlabels", {"x": 50, "keypointlabels": ["Nose"]}, {}, "value needs 'y'"),
    ("ell", "img", "ellipselabels", {"x": 50, "y": 50, "radiusX": 0, "radiusY": 5, "ellipselabels": ["Cell"]}, {},
     "value['radiusX'] must be a positive number"),
    ("brush", "img", "brushlabels", {"format": "png", "rle": [1], "brushlabels": ["Car"]}, {},
     "a brush region needs value['format'] == 'rle'"),
    ("brush", "img", "brushlabels", {"format": "rle", "rle": [1, 256], "brushlabels": ["Car"]}, {},
     "value['rle'] must be a non-empty list of integers 0..255"),
    ("lab", "img", "labels", {"start": 3, "end": 9, "labels": ["Text"]}, {}, "labels on <Image name=\"img\"> need"),
    ("ocr", "pdf", "ocrlabels", {**RECT, "pageIndex": 1.5, "ocrlabels": ["Typo"]}, {}, "value['pageIndex'] must be"),
    ("speaker", "audio", "labels", {"start": 2205.0, "end": 1046.0, "labels": ["A"]}, {},
     "start 2205.0 is after end 1046.0 (seconds)"),
    ("speaker", "audio", "labels", {"start": -1, "end": 2, "labels": ["A"]}, {}, "value['start'] must be seconds >= 0"),
    ("tsl", "ts", "timeserieslabels", {"start": 9, "end": 5, "instant": False, "timeserieslabels": ["Run"]}, {},
     "start 9 is after end 5"),
    ("tsl", "ts", "timeserieslabels", {"start": 8907, "end": 5636, "instant": True, "timeserieslabels": ["Run"]}, {},
     "start 8907 is after end 5636"),
    ("tsl", "ts", "timeserieslabels", {"start": 1, "end": 5, "instant": True, "timeserieslabels": ["Run"]}, {},
     "an instant region has start == end"),
    ("track", "video", "videorectangle", {"sequence": []}, {}, "a videorectangle needs value['sequence']"),
    ("track", "video", "videorectangle", {"framesCount": 10, "sequence": [{**RECT, "frame": 12}]}, {},
     "frame 12 is past framesCount 10"),
    ("track", "video", "videorectangle", {"sequence": [{**RECT, "frame": 5}, {**RECT, "frame": 5}]}, {},
     "keyframes must be in increasing frame order"),
    ("track", "video", "videorectangle", {"sequence": [{**RECT, "x": 101, "frame": 1}]}, {},
     "sequence[0]: value['x'] must be a number from 0 to 100"),
    ("track", "video", "videorectangle", {"sequence": [{**RECT, "frame": 1}], "labels": ["Dog"]}, {},
     "'Dog' is not a label of the <Labels> on 'video'"),
    ("timeline", "video", "timelinelabels", {"ranges": [{"start": 20, "end": 3}], "timelinelabels": ["Walk"]}, {},
     "ranges[0]: start frame 20 is after end frame 3"),
    ("timeline", "video", "timelinelabels", {"ranges": [{"start": 1.5, "end": 3}], "timelinelabels": ["Walk"]}, {},
     "ranges[0]: value['start'] must be a frame number"),
    ("timeline", "video", "timelinelabels", {"timelinelabels": ["Walk"]}, {},
     "timelinelabels need value['ranges']"),
]


@pytest.fixture(scope="module")
def lab():
    lab = nblabel.Labeler([dict(DATA) for _ in range(2)], CONFIG, store=":memory:")
    yield lab
    lab.close()


def item(name, to, typ, value, top) -> dict:
    return {"id": "r1", "from_name": name, "to_name": to, "type": typ, "value": value, **top}


def test_every_label_studio_shape_is_accepted_unchanged(lab):
    from label_studio_sdk.label_interface import LabelInterface

    result = [{**item(*g), "id": f"r{i}"} for i, g in enumerate(GOOD)]
    lab.submit(result)
    back = lab.to_label_studio()[0]["annotations"][0]["result"]
    assert [{k: v for k, v in r.items() if k != "origin"} for r in back] == result
    li = LabelInterface(CONFIG)
    for r in back:
        if r["type"] == "labels" and r["to_name"] == "img":
            continue  # the editor writes the region's geometry into split-format `labels`; SDK 2.1 wants start/end
        assert li.validate_region(r, return_errors=True) == [], r


@pytest.mark.parametrize("bad", BAD, ids=[f"{b[2]}-{i}" for i, b in enumerate(BAD)])
def test_nonsense_is_refused_with_the_reason(lab, bad):
    *spec, message = bad
    with pytest.raises(ValueError) as err:
        lab.submit([item(*spec)])
    assert message in str(err.value)
    assert str(err.value).startswith("result[0]")

"""Shared ground for the format tests: golden files captured from a Label Studio server, the configs that made
them, the reference converter (label_studio_sdk, run live), small NER and box exports written here for it, W-NUT 17
tasks. (Its own tests check that the ground is what the others assume.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import needs_shared, shared_data

LS = shared_data("label-studio")
WNUT = shared_data("ner/wnut17_train.conll")

# The server's exports are real captures: nothing here can make them, so their tests skip without them.
needs_golden = needs_shared("label-studio/server-exports")
needs_wnut = needs_shared("ner/wnut17_train.conll")

# The config of the server's text project (server-exports/text_*; also in ml-backend-requests/captured_setup.json).
TEXT_CONFIG = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Relations><Relation value="works_for"/></Relations>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <TextArea name="summary" toName="text"/>
  <Rating name="rating" toName="text" maxRating="5"/>
</View>"""

# The Labels config of NER_TASKS.
NER_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

# server-exports/image_* (categories Car, Person, Road) and BOX_TASKS (Airplane, Car, Road).
IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/></PolygonLabels>
</View>"""
BOX_CONFIG = IMAGE_CONFIG.replace('<Label value="Person"/>', '<Label value="Airplane"/>')

WNUT_LABELS = ("person", "location", "group", "corporation", "product", "creative-work")
WNUT_CONFIG = ('<View><Labels name="label" toName="text">'
               + "".join(f'<Label value="{v}"/>' for v in WNUT_LABELS)
               + '</Labels><Text name="text" value="$text"/></View>')


def golden(rel: str) -> bytes:
    return (LS / rel).read_bytes()


def _span(text: str, phrase: str, label: str, rid: str) -> dict:
    start = text.index(phrase)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}}


_T1 = 'A Denver bakery sold 2,450 loaves ($3,180) to the crew of "Don\'t look back", which Okafor filmed in Lisbon.'
_T2 = "Los Angeles-based Acme hired Mei  Tan."
# A Label Studio JSON export with what the CONLL2003 / JSON_MIN / CSV / TSV writers must get right: Treebank
# tokens (`Do n't`, `$`, brackets, quotes), a span inside a hyphenated word, a double space inside a span, a
# `completed_by` that is a user object, a cancelled annotation and a task without annotations.
NER_TASKS = [
    {"data": {"text": _T1}, "id": 1, "annotations": [{
        "id": 10, "completed_by": 1, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "lead_time": 3.2, "was_cancelled": False,
        "result": [_span(_T1, "Denver", "LOC", "s1"), _span(_T1, "Don't look back", "MISC", "s2"),
                   _span(_T1, "Okafor", "PER", "s3"), _span(_T1, "Lisbon", "LOC", "s4")]}]},
    {"id": 2, "data": {"text": _T2}, "annotations": [{
        "id": 11, "completed_by": {"id": 2, "email": "a@b.c"},
        "result": [_span(_T2, "Los Angeles", "LOC", "a"), _span(_T2, "Acme", "ORG", "b"),
                   _span(_T2, "Mei  Tan", "PER", "c")]}]},
    {"id": 3, "data": {"text": "Skipped this one."},
     "annotations": [{"id": 12, "was_cancelled": True, "completed_by": 1, "result": []}]},
    {"id": 4, "data": {"text": "Nothing labeled here."}, "annotations": []},
]


def _rect(rid: str, x, y, w, h, rotation, label: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
            "original_height": 480, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}


# One image task: an upright box, a box rotated 30 degrees about its top-left corner, and a polygon. The image is
# `imgs/a.jpg` relative to the working directory (a 640x480 JPEG that `box_export` writes).
BOX_TASKS = [{"id": 7, "data": {"image": "imgs/a.jpg"}, "annotations": [{
    "id": 70, "completed_by": 1,
    "result": [_rect("r1", 12, 18, 30, 45, 0, "Car"), _rect("r2", 50, 50, 10, 10, 30, "Airplane"),
               {"id": "p1", "from_name": "poly", "to_name": "image", "type": "polygonlabels", "original_width": 640,
                "original_height": 480, "image_rotation": 0,
                "value": {"points": [[0, 90], [45, 55], [100, 95]], "closed": True, "polygonlabels": ["Road"]}}]}]}]


def ner_export(folder: Path) -> Path:
    """NER_TASKS written as a Label Studio JSON export file in `folder`."""
    path = folder / "ner_export.json"
    path.write_text(json.dumps(NER_TASKS), encoding="utf-8")
    return path


def box_export(folder: Path) -> Path:
    """BOX_TASKS as an export file in `folder`, with the 640x480 JPEG its task names at `folder/imgs/a.jpg`."""
    from PIL import Image

    (folder / "imgs").mkdir(exist_ok=True)
    Image.new("RGB", (640, 480), (90, 120, 150)).save(folder / "imgs" / "a.jpg", quality=80)
    path = folder / "box_export.json"
    path.write_text(json.dumps(BOX_TASKS), encoding="utf-8")
    return path


def wnut_sentences(limit: int | None = None) -> list[list[tuple[str, str]]]:
    out, sent = [], []
    for line in WNUT.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sent:
                out.append(sent)
                sent = []
                if limit and len(out) >= limit:
                    break
            continue
        token, tag = line.rsplit("\t", 1) if "\t" in line else line.rsplit(" ", 1)
        sent.append((token, tag))
    if sent and not (limit and len(out) >= limit):
        out.append(sent)
    return out


def wnut_task(i: int, sent: list[tuple[str, str]], emoji: str = "", utf16: bool = True) -> dict:
    """An LS task: the tokens joined by spaces, spans from the BIO tags. With `emoji`, that character is put
    before every third token (and so before many spans); offsets are UTF-16 unless `utf16=False`."""
    text, spans, current = "", [], None
    for k, (token, tag) in enumerate(sent):
        if text:
            text += " "
        if emoji and k % 3 == 0:
            text += emoji + " "
        start = len(text)
        text += token
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = [start, len(text), tag[2:]]
            spans.append(current)
        elif tag.startswith("I-"):
            current[1] = len(text)
        else:
            current = None

    def unit(pos: int) -> int:
        return len(text[:pos].encode("utf-16-le")) // 2 if utf16 else pos

    result = [{"id": f"r{i}_{k}", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": unit(a), "end": unit(b), "text": text[a:b], "labels": [label]}}
              for k, (a, b, label) in enumerate(spans)]
    return {"id": i + 1, "data": {"text": text},
            "annotations": [{"id": i + 1, "completed_by": 1, "result": result, "was_cancelled": False,
                             "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
                             "lead_time": 1.5}],
            "predictions": []}


@pytest.fixture(scope="session")
def converter():
    """`run(tasks, config, format, tmp_path) -> output path`: label_studio_sdk's converter, the reference."""
    conv = pytest.importorskip("label_studio_sdk.converter")

    def run(tasks: list, config: str, fmt: str, tmp_path: Path) -> Path:
        src = tmp_path / f"ref_{fmt}_in.json"
        src.write_text(json.dumps(tasks), encoding="utf-8")
        out = tmp_path / f"ref_{fmt}"
        conv.Converter(config, project_dir=None, download_resources=False).convert(str(src), str(out), fmt,
                                                                                   is_dir=False)
        return out

    return run


@needs_shared("label-studio/ml-backend-requests/captured_setup.json")
def test_golden_configs_match_the_captured_server_config():
    captured = json.loads(golden("ml-backend-requests/captured_setup.json"))["schema"]
    assert captured.split() == TEXT_CONFIG.split()


@needs_wnut
def test_wnut_tasks_rebuild_the_sentences():
    sents = wnut_sentences(50)
    assert len(sents) == 50
    task = wnut_task(0, sents[0], emoji="😀")
    text = task["data"]["text"]
    for r in task["annotations"][0]["result"]:
        v = r["value"]
        assert text.encode("utf-16-le")[2 * v["start"]:2 * v["end"]].decode("utf-16-le") == v["text"]

"""Shared ground for the format tests: golden files, the configs that made them, the reference converter,
W-NUT 17 tasks. (Its own tests check that the ground is what the others assume.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LS = DATA / "label-studio"
WNUT = DATA / "ner" / "wnut17_train.conll"

needs_golden = pytest.mark.skipif(
    not LS.is_dir(), reason=f"Label Studio golden files not found at {LS} (the shared data folder is absent)")
needs_wnut = pytest.mark.skipif(not WNUT.is_file(), reason=f"W-NUT 17 not found at {WNUT} (shared data absent)")

# The config of the server's text project (server-exports/text_*; also in ml-backend-requests/captured_setup.json).
TEXT_CONFIG = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Relations><Relation value="works_for"/></Relations>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <TextArea name="summary" toName="text"/>
  <Rating name="rating" toName="text" maxRating="5"/>
</View>"""

# converter-outputs/ner_* were made from ner_export.json with a Labels config of these labels.
NER_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

# server-exports/image_* (categories Car, Person, Road) and converter-outputs/box_* (Airplane, Car, Road).
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


@needs_golden
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

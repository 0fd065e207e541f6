"""Code points ↔ UTF-16 offsets at the Label Studio boundary."""

from __future__ import annotations

import random

from nblabel.results._offsets import codepoint_to_utf16, convert_result, utf16_to_codepoint

SAMPLES = ["plain ascii", "café naïve", "a😀b", "👨‍👩‍👧 family", "🇫🇷🇩🇪 flags", "mixed 𝔘𝔫𝔦 and 中文 😀😀"]


def test_roundtrip_every_position():
    for text in SAMPLES:
        units = text.encode("utf-16-le")
        for cp in range(len(text) + 1):
            u = codepoint_to_utf16(text, cp)
            assert units[: 2 * u].decode("utf-16-le") == text[:cp]
            assert utf16_to_codepoint(text, u) == cp


def test_random_texts():
    rng = random.Random(0)
    # the edges of the surrogate-pair range too: U+FFFF is one unit, U+10000 and U+10FFFF two
    alphabet = ["a", "é", "😀", "中", "🇫", "\u200d", "\uffff", "\U00010000", "\U0010ffff"]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for cp in range(len(text) + 1):
            assert codepoint_to_utf16(text, cp) == len(text[:cp].encode("utf-16-le")) // 2
            assert utf16_to_codepoint(text, codepoint_to_utf16(text, cp)) == cp


def test_convert_result_only_touches_text_objects():
    text = "😀 Ann"
    result = [{"to_name": "text", "type": "labels", "value": {"start": 2, "end": 5, "labels": ["PER"]}},
              {"to_name": "other", "type": "labels", "value": {"start": 2, "end": 5, "labels": ["PER"]}},
              {"to_name": "text", "type": "choices", "value": {"choices": ["x"]}}]
    out = convert_result(result, {"text": text}, to_utf16=True)
    assert out[0]["value"]["start"] == 3 and out[0]["value"]["end"] == 6
    assert out[1] == result[1] and out[2] == result[2]
    assert result[0]["value"]["start"] == 2  # input untouched
    back = convert_result(out, {"text": text}, to_utf16=False)
    assert back == result

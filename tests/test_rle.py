"""Label Studio brush RLE (`nblabel.brush`): exact round trip, and byte equality with label_studio_sdk's converter
(`mask2rle` / `encode_rle` / `decode_rle`) on random masks, long runs, anti-aliased alpha and literal blocks."""

from __future__ import annotations

import numpy as np
import pytest
from label_studio_sdk.converter import brush

import nblabel
from nblabel import brush as nbrush

RNG = np.random.default_rng(20261201)


def _random_masks():
    """Masks of every kind the brush makes: empty, full, blobs, noise, thin lines, anti-aliased alpha."""
    yield "empty", np.zeros((7, 9), np.uint8)
    yield "full", np.full((5, 4), 255, np.uint8)
    yield "one pixel", np.zeros((1, 1), np.uint8)
    yield "one on", np.full((1, 1), 255, np.uint8)
    for k in range(12):
        h, w = (int(x) for x in RNG.integers(1, 70, 2))
        yield f"noise{k}", ((RNG.random((h, w)) < RNG.random()) * 255).astype(np.uint8)
    for k in range(4):
        h, w = (int(x) for x in RNG.integers(10, 120, 2))
        yield f"alpha{k}", RNG.integers(0, 256, (h, w)).astype(np.uint8)
    yy, xx = np.mgrid[:200, :300]
    disks = ((yy - 80) ** 2 + (xx - 100) ** 2 < 50**2) | ((yy - 150) ** 2 + (xx - 220) ** 2 < 30**2)
    yield "disks", disks.astype(np.uint8) * 255
    line = np.zeros((64, 64), np.uint8)
    line[np.arange(64), np.arange(64)] = 255
    yield "diagonal", line


MASKS = list(_random_masks())


@pytest.mark.parametrize("name,mask", MASKS, ids=[n for n, _ in MASKS])
def test_mask_round_trip_and_sdk_equality(name, mask):
    rle = nbrush.mask_to_rle(mask)
    assert rle == brush.mask2rle(mask)  # byte for byte what the SDK writes
    assert all(isinstance(b, int) and 0 <= b <= 255 for b in rle)
    h, w = mask.shape
    back = nbrush.rle_to_mask(rle, h, w)
    assert back.dtype == np.uint8 and back.shape == (h, w)
    np.testing.assert_array_equal(back, mask)
    # the SDK's decoder reads ours, ours reads the SDK's RGBA exactly
    np.testing.assert_array_equal(brush.decode_rle(rle).reshape(h, w, 4)[:, :, 3], mask)
    np.testing.assert_array_equal(nbrush.decode(brush.mask2rle(mask)), np.repeat(mask.ravel(), 4))


def test_bool_mask_is_255():
    mask = RNG.random((33, 47)) < 0.3
    rle = nbrush.mask_to_rle(mask)
    assert rle == brush.mask2rle(mask.astype(np.uint8) * 255)
    np.testing.assert_array_equal(nbrush.rle_to_mask(rle, 33, 47), mask.astype(np.uint8) * 255)


@pytest.mark.parametrize("length", [1, 2, 8, 9, 16, 17, 256, 257, 65535, 65536, 65537, 131072, 131073, 200000])
def test_run_length_boundaries_match_sdk(length):
    """Every rle-size class and the SDK's split of runs longer than 65536 (and its always-pad-one-byte)."""
    arr = np.concatenate((np.full(length, 7, np.uint8), [3, 3, 9]))
    ours = nbrush.encode(arr)
    assert ours == brush.encode_rle(arr)
    np.testing.assert_array_equal(nbrush.decode(ours), arr)


def test_encode_general_flat_array_matches_sdk():
    arr = RNG.integers(0, 4, 5000).astype(np.uint8)
    arr = np.repeat(arr, RNG.integers(1, 40, arr.size))
    assert nbrush.encode(arr) == brush.encode_rle(arr)
    np.testing.assert_array_equal(nbrush.decode(nbrush.encode(arr)), arr)
    np.testing.assert_array_equal(brush.decode_rle(nbrush.encode(arr)), arr)


def test_large_mask_matches_sdk():
    yy, xx = np.mgrid[:1024, :1024]
    mask = ((yy - 500) ** 2 + (xx - 400) ** 2 < 300**2) | ((xx // 17 + yy // 23) % 5 == 0)
    rle = nbrush.mask_to_rle(mask)
    assert rle == brush.mask2rle(mask.astype(np.uint8) * 255)
    np.testing.assert_array_equal(nbrush.rle_to_mask(rle, 1024, 1024) == 255, mask)


def test_docs_example_decodes_like_the_sdk():
    """The `brushlabels` example of Label Studio's result format (its docs' example): a 12-pixel RGBA."""
    rle = [0, 0, 0, 48, 57, 27, 254, 19, 0, 159, 255, 9, 128, 0]
    np.testing.assert_array_equal(nbrush.decode(rle), brush.decode_rle(rle))
    mask = nbrush.rle_to_mask(rle, 3, 4)
    assert mask.tolist() == [[0, 0, 0, 0], [0, 255, 255, 0], [0, 0, 0, 0]]


def _bits(value: int, n: int) -> str:
    return format(value, f"0{n}b")


def _rle_pack(values, word: int = 8, sizes=(3, 4, 8, 16)) -> list[int]:
    """A reference rle-pack stream with LITERAL blocks (like the Label Studio editor writes), built as a bit
    string: runs of >= 3 equal words as run blocks, everything else grouped in literal blocks."""
    out = _bits(len(values), 32) + _bits(word - 1, 5) + "".join(_bits(s - 1, 4) for s in sizes)

    def block(flag: int, n: int) -> str:
        t = next(k for k, s in enumerate(sizes) if n - 1 < (1 << s))
        return str(flag) + _bits(t, 2) + _bits(n - 1, sizes[t])

    i, lit = 0, []
    limit = 1 << sizes[-1]
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i] and j - i < limit:
            j += 1
        if j - i >= 3:
            if lit:
                out += block(0, len(lit)) + "".join(_bits(v, word) for v in lit)
                lit = []
            out += block(1, j - i) + _bits(values[i], word)
        else:
            lit.extend(values[i:j])
        i = j
    if lit:
        out += block(0, len(lit)) + "".join(_bits(v, word) for v in lit)
    out += "0" * (-len(out) % 8)
    return [int(out[k : k + 8], 2) for k in range(0, len(out), 8)]


def test_decode_literal_blocks_like_the_sdk():
    alpha = RNG.integers(0, 256, (40, 30)).astype(np.uint8)
    alpha[5:30, 3:25] = 255  # an anti-aliased blob: long runs between literal edges
    flat = np.repeat(alpha.ravel(), 4)
    rle = _rle_pack(flat.tolist())
    np.testing.assert_array_equal(nbrush.decode(rle), flat)
    np.testing.assert_array_equal(brush.decode_rle(rle), flat)
    np.testing.assert_array_equal(nbrush.rle_to_mask(rle, 40, 30), alpha)


def test_decode_other_word_sizes():
    vals = RNG.integers(0, 1000, 300).tolist() + [999] * 50
    out = nbrush.decode(_rle_pack(vals, word=10))
    assert out.dtype == np.uint16
    assert out.tolist() == vals
    small = [1, 0, 1, 1, 1, 1, 0, 0]
    out = nbrush.decode(_rle_pack(small, word=1))
    assert out.dtype == np.uint8 and out.tolist() == small


def test_errors():
    with pytest.raises(ValueError, match="the RLE holds 48 values, a 4x4 RGBA image has 64"):
        nbrush.rle_to_mask(nbrush.mask_to_rle(np.zeros((3, 4), bool)), 4, 4)
    with pytest.raises(ValueError, match="ends early"):
        nbrush.decode([0, 0, 1, 0, 57])  # 256 values announced, no blocks
    with pytest.raises(ValueError, match="a 1000x1000 RGBA image has 4000000"):
        nbrush.rle_to_mask([255, 255, 255, 255, 57, 27, 254], 1000, 1000)  # 4 billion announced: refused at once
    with pytest.raises(ValueError, match="expected 12"):
        nbrush.decode(nbrush.encode([1, 2, 3]), count=12)
    with pytest.raises(ValueError, match="ends early"):
        nbrush.decode([177, 39, 137])  # label_studio_sdk's generate_sample_annotation() filler
    with pytest.raises(ValueError, match="0..255"):
        nbrush.decode([0, 300])
    with pytest.raises(ValueError, match="2-D"):
        nbrush.mask_to_rle(np.zeros(5, bool))
    with pytest.raises(ValueError, match="0..255"):
        nbrush.mask_to_rle(np.full((2, 2), 256))
    with pytest.raises(TypeError):
        nbrush.mask_to_rle(np.zeros((2, 2), float))


def test_brush_is_public_and_documented():
    assert nblabel.brush is nbrush and "brush" in nblabel.__all__
    for name in nbrush.__all__:
        assert getattr(nbrush, name).__doc__, f"nblabel.brush.{name} has no docstring"


def test_readme_brush_example_round_trips_through_a_labeler():
    # The README's brush example: a mask in as a result, the same mask out of to_label_studio().
    config = """<View><Image name="image" value="$image"/>
      <BrushLabels name="tag" toName="image"><Label value="Airplane"/><Label value="Car"/></BrushLabels></View>"""
    yy, xx = np.mgrid[:40, :60]
    painted = (yy - 20) ** 2 + (xx - 25) ** 2 < 12 ** 2
    lab = nblabel.Labeler([{"image": "https://example.com/a.png"}], config, store=":memory:")
    lab.submit([{"from_name": "tag", "to_name": "image", "type": "brushlabels", "original_width": 60,
                 "original_height": 40, "value": {"format": "rle", "rle": nbrush.mask_to_rle(painted),
                                                  "brushlabels": ["Car"]}}])
    item = lab.to_label_studio()[0]["annotations"][0]["result"][0]
    mask = nbrush.rle_to_mask(item["value"]["rle"], item["original_height"], item["original_width"])
    np.testing.assert_array_equal(mask > 0, painted)
    assert item["value"]["rle"] == brush.mask2rle(painted.astype(np.uint8) * 255)

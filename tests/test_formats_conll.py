"""CONLL2003: the same tokens and tags as Label Studio (a server's export, and label_studio_sdk's converter run live
on an NER export and on W-NUT 17), except that emoji no longer shift tags (the converter reads UTF-16 offsets as
code points)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import nblabel
from nblabel.formats import _treebank
from nblabel.formats._conll import _general, bio_tags, clear_caches, sentence
from test_formats_support import (  # noqa: F401
    LS, NER_CONFIG, NER_TASKS, TEXT_CONFIG, WNUT_CONFIG, converter, golden, needs_golden, needs_wnut, ner_export,
    wnut_sentences, wnut_task,
)


def _lines(path) -> list[tuple[str, str]]:
    out = []
    for line in open(path, encoding="utf-8").read().split("\n")[1:]:
        if line:
            token, _, _, tag = line.rsplit(" ", 3)
            out.append((token, tag))
    return out


def _agreement(mine: list, ref: list) -> float:
    same = sum(a == b for a, b in zip(mine, ref))
    return same / max(len(mine), len(ref), 1)


@needs_golden
def test_server_conll_byte_identical(tmp_path):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = nblabel.read_label_studio(LS / "server-exports/text_JSON.json", config=TEXT_CONFIG)
    out = nblabel.export(df, tmp_path / "out.conll", format="CONLL2003")
    assert open(out, "rb").read() == golden("server-exports/text_CONLL2003.conll")


def test_conll_byte_identical_to_the_converter(tmp_path, converter):  # noqa: F811
    """Includes Treebank quirks: `Do n't`, `$`, `(`, quotes, "Angeles-based" tagged I-LOC, double spaces, a
    cancelled annotation (no sentence) and a task without annotations (all O)."""
    ref = (converter(NER_TASKS, NER_CONFIG, "CONLL2003", tmp_path) / "result.conll").read_bytes()
    assert b"Do -X- _ B-MISC\nn't -X- _ I-MISC" in ref and b"Angeles-based -X- _ I-LOC" in ref  # the quirks
    df = nblabel.read_label_studio(ner_export(tmp_path), config=NER_CONFIG)
    out = nblabel.export(df, tmp_path / "out.conll", format="CONLL2003")
    assert open(out, "rb").read() == ref


@pytest.fixture(scope="module")
def nltk_span_tokenize():
    pytest.importorskip("label_studio_sdk.converter")  # importing it patches NLTK the way Label Studio does
    from nltk.tokenize.treebank import TreebankWordTokenizer
    return lambda text: list(TreebankWordTokenizer().span_tokenize(text))


@needs_wnut
def test_tokenizer_equals_patched_nltk_on_wnut(nltk_span_tokenize):
    texts = [" ".join(t for t, _ in s) for s in wnut_sentences(400)]
    texts += [t.replace(" ", "\n", 3) + "  " for t in texts[:50]]  # other whitespace: the general path
    assert [_treebank.span_tokenize(t) for t in texts] == [nltk_span_tokenize(t) for t in texts]


def test_tokenizer_equals_patched_nltk_on_random_text(nltk_span_tokenize):
    pieces = list("ab cAN't'\"``''.,:;!?()[]{}<>-$/@#%&\n\t 09é😀") + [
        "cannot", "gonna", "wanna", "'tis", "n't", "'s", "...", "--", "  ", "d'ye", "more'n", "'ll", "\u00a0",
        "'tiſ", "gİmme", "'TWAS", "WanNa"]  # ſ and İ: re's IGNORECASE folds them to s and i
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    mismatches = [t for t in texts if _treebank.span_tokenize(t) != nltk_span_tokenize(t)]
    assert mismatches == []


@needs_wnut
def test_wnut_agreement_with_the_converter(tmp_path, converter):  # noqa: F811
    tasks = [wnut_task(i, s) for i, s in enumerate(wnut_sentences(300))]
    ref = _lines(converter(tasks, WNUT_CONFIG, "CONLL2003", tmp_path) / "result.conll")
    mine_path = nblabel.export(nblabel.read_label_studio(tasks, config=WNUT_CONFIG), tmp_path / "m.conll",
                               "CONLL2003")
    mine = _lines(mine_path)
    assert len(mine) == len(ref) > 5000
    assert _agreement(mine, ref) >= 0.99
    assert mine == ref  # in fact identical


@needs_wnut
def test_emoji_do_not_shift_tags(tmp_path, converter):  # noqa: F811
    """Emoji before the spans: the file holds UTF-16 offsets. The right tags are what the converter writes when
    handed code-point offsets; given the real (UTF-16) file it shifts them."""
    sents = wnut_sentences(120)
    utf16 = [wnut_task(i, s, emoji="😀") for i, s in enumerate(sents)]
    code_points = [wnut_task(i, s, emoji="😀", utf16=False) for i, s in enumerate(sents)]
    right = _lines(converter(code_points, WNUT_CONFIG, "CONLL2003", tmp_path) / "result.conll")
    shifted = _lines(converter(utf16, WNUT_CONFIG, "CONLL2003", tmp_path) / "result.conll")
    df = nblabel.read_label_studio(utf16, config=WNUT_CONFIG)  # UTF-16 file -> code points in the frame
    mine = _lines(nblabel.export(df, tmp_path / "m.conll", "CONLL2003"))
    assert mine == right
    assert _agreement(shifted, right) < 0.99  # the converter's bug this avoids
    direct = _lines(nblabel.export(utf16, tmp_path / "d.conll", "CONLL2003", config=WNUT_CONFIG))
    assert direct == right  # file to file: converted to code points before tagging


def test_labeler_export_conll_with_emoji(tmp_path):
    config = ('<View><Labels name="ner" toName="text"><Label value="LOC"/></Labels>'
              '<Text name="text" value="$text"/></View>')
    text = "I 👨‍👩‍👧 love Paris !"
    lab = nblabel.Labeler(pd.DataFrame({"text": [text, "nothing here"]}), config, store=":memory:")
    start = text.index("Paris")
    lab.submit([{"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["LOC"]}}])
    out = lab.export(tmp_path / "x.conll", format="CONLL2003")
    assert open(out, encoding="utf-8").read() == (
        "-DOCSTART- -X- O\nI -X- _ O\n👨‍👩‍👧 -X- _ O\nlove -X- _ O\nParis -X- _ B-LOC\n! -X- _ O\n\n"
        "nothing -X- _ O\nhere -X- _ O\n\n")


def test_bio_walk_follows_the_converter():
    bounds = [(0, 3), (4, 7), (8, 11), (12, 15)]
    span = lambda s, e, label="X": {"start": s, "end": e, "labels": [label]}  # noqa: E731
    assert bio_tags(bounds, [span(4, 11)]) == ["O", "B-X", "I-X", "O"]
    assert bio_tags(bounds, [span(5, 6)]) == ["O", "B-X", "O", "O"]  # inside a token: tags the token
    assert bio_tags(bounds, [span(8, 11, "B"), span(0, 3, "A")]) == ["B-A", "O", "B-B", "O"]  # sorted by start
    assert bio_tags(bounds, [span(0, 7, "A"), span(4, 15, "B")]) == ["B-A", "I-A", "B-B", "I-B"]  # overlap
    assert bio_tags(bounds, [span(0, 3, "A"), {"start": None, "end": 4}]) == ["O"] * 4  # a bad span: all O
    assert bio_tags(bounds, [{"start": 0, "end": 3, "labels": []}]) == ["O"] * 4


@needs_wnut
def test_cached_paths_equal_the_whole_text_walk():
    """`sentence` takes shortcuts (pre-rendered chunks, whole-chunk spans); each must give what the whole-text
    tokenizer + the converter's walk give, for spans at chunk edges, inside chunks, overlapping, unlabeled,
    out of range, and on chunks of several tokens (`@user`, `it's`)."""
    rng = random.Random(11)
    texts = [" ".join(t for t, _ in s) for s in wnut_sentences(300)] + ["x", "Paris !", "( a )", "@a b"]
    # Whitespace other than single spaces: runs, tabs, newlines, NBSP, at the ends, nothing at all.
    texts += [t.replace(" ", ws, 2) for t, ws in zip(texts[:60], ["  ", "\t", "\n", "\u00a0", " \u2003"] * 12)]
    texts += [" " + texts[0], texts[1] + " ", "", " ", "a  b"]

    def spans_for(text: str) -> list:
        out = []
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
        ends = [i for i, c in enumerate(text) if c == " "] + [len(text)]
        if not text:
            return []
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            k = rng.randrange(len(starts))
            j = min(len(ends) - 1, k + rng.choice((0, 0, 1, 2)))
            start, end = starts[k], ends[j]
            kind = rng.random()
            if kind < 0.15:
                start += 1  # inside a chunk
            elif kind < 0.2:
                end += 3  # past a chunk edge, maybe past the text
            elif kind < 0.23:
                start, end = None, end
            labels = rng.choice((["LOC"], ["PER", "ORG"], [], ["ORG"]))
            out.append({"start": start, "end": end, "labels": labels})
        return out

    cases = [(t, spans_for(t)) for t in texts for _ in range(3)]
    clear_caches()
    cold = [sentence(t, s) for t, s in cases]
    warm = [sentence(t, s) for t, s in cases]
    reference = [_general(t, s) for t, s in cases]
    assert sum(1 for _, s in cases if s) > 500
    assert cold == reference
    assert warm == reference


def test_conll_needs_labels_on_text(tmp_path):
    config = '<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
    with pytest.raises(NotImplementedError, match="CONLL2003"):
        nblabel.export(pd.DataFrame({"t": ["x"]}), tmp_path / "x.conll", "CONLL2003", config=config)

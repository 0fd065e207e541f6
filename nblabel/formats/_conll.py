"""CONLL2003: one `token -X- _ tag` line per token, a blank line after each annotation.

Rule (matches `Converter.convert_to_conll2003` and `utils.create_tokens_and_tags`): the file starts with
`-DOCSTART- -X- O`; each export item (one per non-cancelled annotation, see `_items`) is one "sentence": the
whole text, cut by Label Studio's patched Treebank tokenizer (`_treebank`), tagged from the first `Labels`
output only: `B-<first label>` on the first token a span overlaps, `I-` on the next ones, `O` elsewhere, with
the converter's sequential walk over spans sorted by start (so overlapping spans resolve as they do there).

Deliberate difference: the converter compares the file's UTF-16 span offsets with Python string positions, so
every emoji before a span shifts its tags; here spans are compared in code points, so they land on the right
tokens. The text is the field of the `Text` object the `Labels` control labels (the converter takes the first
of an unordered set of data keys, the same thing when the config reads one field).
"""

from __future__ import annotations

import re
from itertools import accumulate
from operator import itemgetter
from typing import Any

from .._errors import UnsupportedFormat
from ._frame import Frame, convert_items, text_fields, texts_for
from ._items import control_tags, item_annotations
from ._treebank import chunk_tokens, clear_tokens, inert, span_tokenize

_NO_SPANS: list = []
_START = itemgetter("start")


def text_field(config: Any) -> str:
    """The data field CONLL2003 reads: the Text object a Labels control labels."""
    objects = config.objects
    for control in config.controls.values():
        if control.tag != "Labels":
            continue
        for name in control.to_name:
            obj = objects.get(name)
            if obj is not None and obj.tag == "Text" and obj.field:
                return obj.field
    raise UnsupportedFormat("format='CONLL2003' needs a <Labels> control labeling a <Text value=\"$field\"> object "
                            "(Label Studio offers CONLL2003 only for such configs)")


def bio_tags(bounds: list[tuple[int, int]], spans: list[dict]) -> list[str]:
    """Tags for tokens at `bounds` ((start, end) pairs), walking `spans` as the converter does."""
    if not spans or any(s.get("start") is None or s.get("end") is None for s in spans):
        return ["O"] * len(bounds)
    queue = sorted(spans, key=_START) if len(spans) > 1 else spans
    span = queue[0]
    first, final = span["start"], span["end"] - 1  # the converter's inclusive ends
    prefix = "B-"
    nxt = 1
    tags = []
    for start, end in bounds:
        if start > final:  # past the current span: move to the first later span that still reaches this token
            while nxt < len(queue):
                span = queue[nxt]
                nxt += 1
                first, final = span["start"], span["end"] - 1
                prefix = "B-"
                if start <= final:
                    break
        labels = span.get("labels")
        if labels and first <= end - 1 and final >= start:
            tags.append(prefix + labels[0])
            prefix = "I-"
        else:
            tags.append("O")
    return tags


# Whitespace contexts of a chunk in a text whose chunks are separated by single spaces:
# (character before, characters after, ends the text) for a middle, first, last and only chunk.
_CONTEXTS = ((" ", " ", False), ("", " ", False), (" ", "", True), ("", "", True))
_MID, _FIRST, _LAST, _ONLY = range(4)
_WHITESPACE = re.compile(r"\s")  # what str.split() splits at (both use Py_UNICODE_ISSPACE)
_cuts: tuple[dict, ...] = ({}, {}, {}, {})  # chunk -> ((relative start, token), ...) or None
_rendered: tuple[dict, ...] = ({}, {}, {}, {})  # chunk -> its lines, all tagged O (or None: cut not known)


def clear_caches() -> None:
    """Forget every cached cut and rendering (benchmarks measure a first export with this)."""
    for cache in (*_cuts, *_rendered):
        cache.clear()
    clear_tokens()


def _cut(ctx: int, chunk: str) -> tuple | None:
    cache = _cuts[ctx]
    try:
        return cache[chunk]
    except KeyError:
        prev, after, last = _CONTEXTS[ctx]
        cut = cache[chunk] = chunk_tokens(prev, chunk, after, last)
        return cut


def _fill(ctx: int, chunks: list) -> None:
    """Cache the O-tagged lines of every chunk not cached yet (None: the chunk needs the whole-text path)."""
    cache = _rendered[ctx]
    if len(cache) > 500_000:  # bound memory on an endless vocabulary
        cache.clear()
        _cuts[ctx].clear()
    for chunk in chunks:
        if chunk not in cache:
            if not chunk or _WHITESPACE.search(chunk):
                # Texts are cut at single spaces: an empty chunk is a run of spaces, one with other whitespace
                # (tab, newline, NBSP) was not cut where the tokenizer cuts. Either way: the whole-text path.
                cache[chunk] = None
                continue
            if inert(chunk):  # most words: one token in any context
                cache[chunk] = chunk + " -X- _ O\n"
                continue
            cut = _cut(ctx, chunk)
            cache[chunk] = None if cut is None else "".join(f"{tok} -X- _ O\n" for _, tok in cut)


def _ctx(i: int, n: int) -> int:
    if n == 1:
        return _ONLY
    return _FIRST if i == 0 else (_LAST if i == n - 1 else _MID)


def _general(text: str, spans: list) -> str:
    bounds = span_tokenize(text)
    tags = bio_tags(bounds, spans) if spans else ["O"] * len(bounds)
    return "".join(f"{text[a:b]} -X- _ {tag}\n" for (a, b), tag in zip(bounds, tags))


def _o_lines(chunks: list) -> list:
    """The O-tagged lines of every chunk of a text cut at single spaces, one string per chunk; None for a chunk
    that needs the whole-text path."""
    if len(chunks) == 1:
        only = _rendered[_ONLY]
        if chunks[0] not in only:
            _fill(_ONLY, chunks)
        return [only[chunks[0]]]
    first, mid, last = _rendered[_FIRST], _rendered[_MID], _rendered[_LAST]
    if chunks[0] not in first:
        _fill(_FIRST, chunks[:1])
    if chunks[-1] not in last:
        _fill(_LAST, chunks[-1:])
    body = chunks[1:-1]
    try:
        return [first[chunks[0]], *map(mid.__getitem__, body), last[chunks[-1]]]
    except KeyError:
        _fill(_MID, body)
        return [first[chunks[0]], *map(mid.__getitem__, body), last[chunks[-1]]]


def _plain_spans(text: str, chunks: list, lines: list, spans: list) -> list | None:
    """(first chunk, last chunk, label) per labeled span when the converter's walk reduces to whole chunks: spans
    that start and end at chunk edges, do not overlap, and cover only one-token chunks. Then the walk tags the
    first chunk B-, the others I-, and leaves every other token O. None: take the token-by-token walk."""
    out = []
    size = len(text)
    last = -1
    if len(spans) > 1:
        try:
            spans = sorted(spans, key=_START)
        except (KeyError, TypeError):  # a span without a comparable start: the walk decides
            return None
    for span in spans:
        start, end = span.get("start"), span.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= size:
            return None
        if (start and text[start - 1] != " ") or (end < size and text[end] != " "):
            return None
        a = text.count(" ", 0, start)
        b = a + text.count(" ", start, end)
        if a <= last:
            return None
        last = b
        labels = span.get("labels")
        if not labels:
            continue  # its tokens stay O, as in the walk
        label = labels[0]
        if type(label) is not str:
            return None
        for i in range(a, b + 1):
            if len(lines[i]) != len(chunks[i]) + 9:  # not exactly one "<chunk> -X- _ O\n" line
                return None
        out.append((a, b, label))
    return out


def sentence(text: str, spans: list) -> str:
    """The lines of one item. The text is cut at single spaces and every chunk's O-tagged lines come
    pre-rendered (a chunk that is empty or holds other whitespace renders as None and sends the text down the
    whole-text path); only chunks a span touches are tagged token by token (a token no span touches is `O` in the
    converter's walk too, and skipping it leaves the walk's state where it would have been)."""
    chunks = text.split(" ")
    if not spans and len(chunks) > 1:
        # The most common item, in one expression: a chunk not rendered yet (KeyError) falls through to be
        # rendered, one that needs the whole text (None: TypeError) goes there.
        try:
            return (_rendered[_FIRST][chunks[0]] + "".join(map(_rendered[_MID].__getitem__, chunks[1:-1]))
                    + _rendered[_LAST][chunks[-1]])
        except KeyError:
            pass
        except TypeError:
            return _general(text, spans)
    lines = _o_lines(chunks)
    if not all(lines):
        return _general(text, spans)
    if not spans:
        return "".join(lines)
    plain = _plain_spans(text, chunks, lines, spans)
    if plain is not None:
        for a, b, label in plain:
            lines[a] = f"{chunks[a]} -X- _ B-{label}\n"
            for i in range(a + 1, b + 1):
                lines[i] = f"{chunks[i]} -X- _ I-{label}\n"
        return "".join(lines)
    touched: set[int] = set()
    size = len(text)
    for span in spans:
        start, end = span.get("start"), span.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= size:
            return _general(text, spans)  # empty, reversed or out-of-range spans: the exact walk does them
        # Single spaces: the chunk holding position p is the number of spaces before p.
        touched.update(range(text.count(" ", 0, start + 1), text.count(" ", 0, end - 1) + 1))
    n = len(chunks)
    marked = sorted(touched)
    # Token bounds of the marked chunks, then the converter's walk over just those tokens.
    offsets = list(accumulate(map(len, chunks), initial=0))  # chunk i starts at offsets[i] + i
    bounds = []
    cuts = []
    for i in marked:
        cut = _cut(_ctx(i, n), chunks[i])
        if cut is None:
            return _general(text, spans)
        cuts.append(cut)
        at = offsets[i] + i
        for rel, tok in cut:
            bounds.append((at + rel, at + rel + len(tok)))
    tags = iter(bio_tags(bounds, spans))
    for i, cut in zip(marked, cuts):
        if len(cut) == 1:
            lines[i] = f"{cut[0][1]} -X- _ {next(tags)}\n"
        else:
            lines[i] = "".join([f"{tok} -X- _ {tag}\n" for (_, tok), tag in zip(cut, tags)])
    return "".join(lines)


def _first_labels(schema: dict, result: list) -> list:
    """Values of the first Labels control among the result's controls (in order of first appearance), the
    spans the converter tags from."""
    seen = None
    for r in result:
        name = r.get("from_name")
        tag = schema.get(name) if name else None
        if tag is None:
            continue
        if seen is None:
            if tag != "Labels":
                continue
            seen = name
            break
    if seen is None:
        return _NO_SPANS
    return [r.get("value") or {} for r in result if r.get("from_name") == seen]


def write(frame: Frame, path: str) -> None:
    field = text_field(frame.config)
    schema = control_tags(frame)
    fields = text_fields(frame.config) if frame.utf16 else None
    only_field = fields is not None and [f for _, f in fields] == [field]  # then an ASCII text needs no conversion
    items = []  # one string of lines per item; the file puts a blank line after each
    append = items.append
    for _, data, anns in frame.rows():
        if len(anns) == 1 and type(anns[0]) is dict:  # the common case, inlined
            a = anns[0]
            if a.get("was_cancelled") or a.get("skipped"):
                continue
            chosen = anns
        else:
            chosen = item_annotations(anns)
            if not chosen:
                continue
        text = data.get(field)
        if type(text) is not str:
            text = text if isinstance(text, str) else ""
        if fields is not None and chosen[0].get("result") and not (only_field and text.isascii()):
            chosen = convert_items(chosen, texts_for(data, fields), False)  # tag in code points
        for annotation in chosen:
            append(sentence(text, _first_labels(schema, annotation.get("result") or _NO_SPANS)))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("-DOCSTART- -X- O\n")
        if items:
            fh.write("\n".join(items))
            fh.write("\n")

"""Word tokens exactly as Label Studio's CONLL2003 export cuts them, fast.

Rule: the converter (`utils.create_tokens_and_tags`) uses NLTK's `TreebankWordTokenizer().span_tokenize` with its
PUNCTUATION list patched (`/` joins `;@#$%&`), i.e. a chain of regex substitutions that insert spaces, a
whitespace split, quote tokens mapped back to the quotes in the text, and `align_tokens` (find each token from
the end of the previous one). Every rule of that chain looks at most one character past a whitespace run (the
final-period rule, anchored at the end of the text, excepted), so a whitespace-free chunk is cut the same way
wherever it occurs, given the character before it, the character after it and whether it ends the text.
`chunk_tokens` therefore runs the chain once per distinct (context, chunk), on a miniature text that reproduces
that context, and caches the cut; a text is then the concatenation of its chunks' cuts. When a chunk's tokens do
not rebuild the chunk exactly (quote mapping that would shift across chunks), `span_tokenize` falls back to the
whole-text chain and NLTK's alignment. Where NLTK would raise (a token it cannot find), the chunk is kept whole.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

# (pattern, replacement) in NLTK's order: STARTING_QUOTES, PUNCTUATION (as label_studio_sdk.converter.utils
# patches it), PARENS_BRACKETS, DOUBLE_DASHES, then -- after padding with spaces -- ENDING_QUOTES, CONTRACTIONS2
# and CONTRACTIONS3. Same patterns, compiled with the stdlib `re` (NLTK routes some through the `regex` module
# behind a timeout; none of these patterns uses a construct where the two engines differ).
# Each rule carries the substrings without which it cannot match (in the text as it is at that step; for the
# case-insensitive contractions, in its lowercase): testing those is far cheaper than running the regex, and
# substitutions only insert spaces or turn " into `` / '', so a trigger absent at a step stays absent.
# Rules whose pattern is a fixed string or one character of a class, replaced by itself padded with spaces, are
# written as (old, new) pairs for `str.replace`: leftmost non-overlapping matches of a fixed string are what the
# regex finds, and padding one character never makes or breaks a match of another, so the result is the same.
# Replacement templates (`\1 \2`) become functions: CPython 3.11 expands a template in Python code on every call,
# several times slower than formatting the groups (an unmatched group gives "", as in a template).
def _rules(table: tuple) -> list[tuple[tuple[str, ...], Any, Any, bool]]:
    return [(triggers, None, p, False) if isinstance(p, list) else (triggers, re.compile(p), _filler(r),
                                                                     p.startswith("(?i)"))
            for triggers, p, r in table]


def _filler(template: str) -> Any:
    if "\\" not in template:
        return template  # a literal replacement: re's own fast path
    fmt = re.sub(r"\\(\d)", lambda m: "{%d}" % (int(m[1]) - 1), template.replace("{", "{{").replace("}", "}}"))
    return lambda m: fmt.format(*m.groups(""))


def _padded(*tokens: str) -> list[tuple[str, str]]:
    return [(t, f" {t} ") for t in tokens]


_BEFORE_PAD = _rules((
    (('"',), r'^"', "``"),
    (("``",), _padded("``"), None),  # (``) -> " \1 "
    (('"', "''"), r"([ \(\[{<])(\"|\'{2})", r"\1 `` "),
    ((":", ","), r"([:,])([^\d])", r" \1 \2"),
    ((":", ","), r"([:,])$", r" \1 "),
    (("...",), _padded("..."), None),  # \.\.\. -> " ... "
    (tuple(";@#$/%&"), _padded(*";@#$/%&"), None),  # [;@#$/%&] -> " \g<0> "
    ((".",), r'([^\.])(\.)([\]\)}>"\']*)\s*$', r"\1 \2\3 "),
    (("?", "!"), _padded("?", "!"), None),  # [?!] -> " \g<0> "
    (("' ",), r"([^'])' ", r"\1 ' "),
    (tuple("[](){}<>"), _padded(*"[](){}<>"), None),  # [\]\[\(\)\{\}\<\>] -> " \g<0> "
    (("--",), _padded("--"), None),  # -- -> " -- "
))
_AFTER_PAD = _rules((
    (("''",), [("''", " '' ")], None),  # '' -> " '' "
    (('"',), [('"', " '' ")], None),  # " -> " '' "
    (("'",), r"([^' ])('[sS]|'[mM]|'[dD]|') ", r"\1 \2 "),
    (("'",), r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", r"\1 \2 "),
    (("cannot",), r"(?i)\b(can)(not)\b", r" \1 \2 "),
    (("d'ye",), r"(?i)\b(d)('ye)\b", r" \1 \2 "),
    (("gimme",), r"(?i)\b(gim)(me)\b", r" \1 \2 "),
    (("gonna",), r"(?i)\b(gon)(na)\b", r" \1 \2 "),
    (("gotta",), r"(?i)\b(got)(ta)\b", r" \1 \2 "),
    (("lemme",), r"(?i)\b(lem)(me)\b", r" \1 \2 "),
    (("more'n",), r"(?i)\b(more)('n)\b", r" \1 \2 "),
    (("wanna",), r"(?i)\b(wan)(na)(?=\s)", r" \1 \2 "),
    (("'tis",), r"(?i) ('t)(is)\b", r" \1 \2 "),
    (("'twas",), r"(?i) ('t)(was)\b", r" \1 \2 "),
))
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}
_QUOTE_TOKENS = frozenset(('"', "``", "''"))
_QUOTES = re.compile(r"``|'{2}|\"")
_CHUNK = re.compile(r"\S+")
# A chunk free of these is one token whatever surrounds it: no rule can fire inside it.
_CONTEXTUAL = re.compile(r"""["'`:,.?!\[\](){}<>]|--|(?i:cannot|gimme|gonna|gotta|lemme|wanna)""")
_SYMBOL_RUNS = re.compile(r"[;@#$/%&]|[^;@#$/%&]+")
_ACTIVE = re.compile(r"""["'`:,.;@#$/%&?!\[\](){}<>]|--|(?i:cannot|gimme|gonna|gotta|lemme|wanna)""")


def inert(chunk: str) -> bool:
    """True when no rule can fire inside this chunk: it is one token whatever surrounds it."""
    return _ACTIVE.search(chunk) is None


def treebank_tokens(text: str) -> list[str]:
    """The raw Treebank tokens (quotes converted to `` and ''), as `TreebankWordTokenizer.tokenize` gives them."""
    for triggers, rx, rep, _ in _BEFORE_PAD:
        if rx is None:
            for old, padded in rep:
                if old in text:
                    text = text.replace(old, padded)
            continue
        for t in triggers:
            if t in text:
                text = rx.sub(rep, text)
                break
    text = f" {text} "
    lower = None
    for triggers, rx, rep, fold in _AFTER_PAD:
        if rx is None:
            for old, padded in rep:
                if old in text:
                    text = text.replace(old, padded)
                    lower = None
            continue
        if fold:
            if lower is None:
                # Contractions only insert spaces: one lowercase copy serves them all. `re`'s IGNORECASE also
                # lets i match İ and ı, and s match ſ: fold those first so the test never misses a match.
                lower = text.translate(_FOLD).lower()
            hay = lower
        else:
            hay = text
        for t in triggers:
            if t in hay:
                text = rx.sub(rep, text)
                lower = None
                break
    return text.split()


def _restore_quotes(text: str, tokens: list[str]) -> list[str] | None:
    """NLTK `span_tokenize`: quote tokens take back, in order, the quotes found in the text."""
    if '"' not in text and "''" not in text:
        return tokens
    found = iter(_QUOTES.findall(text))
    try:
        return [next(found) if tok in _QUOTE_TOKENS else tok for tok in tokens]
    except StopIteration:
        return None


def _align(text: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """NLTK `align_tokens`: each token searched from the end of the previous one; None where NLTK raises."""
    point = 0
    out = []
    for tok in tokens:
        start = text.find(tok, point)
        if start < 0:
            return None
        point = start + len(tok)
        out.append((start, point))
    return out


_cache: dict[tuple, tuple] = {}


def clear_tokens() -> None:
    _cache.clear()


def chunk_tokens(prev: str, chunk: str, after: str, last: bool) -> tuple | None:
    """Tokens of one whitespace-free chunk as ((relative start, token), ...), or None when the chunk cannot be
    cut on its own. `prev`: the whitespace character before it ("" at the start of the text); `after`: the
    whitespace character after it, or for the last chunk all the trailing whitespace."""
    key = (prev, chunk, after, last)
    cut = _cache.get(key)
    if cut is not None:
        return cut or None
    if _ACTIVE.search(chunk) is None:
        cut = ((0, chunk),)
    elif _CONTEXTUAL.search(chunk) is None:
        # Only `;@#$/%&` are active ("@user", "#tag"): the one rule for them splits each off, whatever the
        # context, so the cut is read off directly.
        tokens = _SYMBOL_RUNS.findall(chunk)
        cut = tuple(zip(accumulate(map(len, tokens), initial=0), tokens))
    else:
        # The miniature text: same neighbours; a non-space sentinel after a chunk that does not end the text
        # keeps the end-of-text rules from firing.
        tokens = treebank_tokens(prev + chunk + after + ("" if last else "\x00"))
        if not last:
            tokens = tokens[:-1] if tokens and tokens[-1] == "\x00" else None
        restored = _restore_quotes(chunk, tokens) if tokens is not None else None
        cut = ()
        if restored is not None and "".join(restored) == chunk:
            at = 0
            parts = []
            for tok in restored:
                parts.append((at, tok))
                at += len(tok)
            cut = tuple(parts)
    if len(_cache) > 500_000:  # bound memory on endless streams of new words
        _cache.clear()
    _cache[key] = cut
    return cut or None


def span_tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of `text`, as Label Studio's patched `span_tokenize` gives them."""
    out: list[tuple[int, int]] = []
    matches = list(_CHUNK.finditer(text))
    last_index = len(matches) - 1
    for i, m in enumerate(matches):
        start, end = m.span()
        prev = text[start - 1] if start else ""
        after = text[end:] if i == last_index else text[end]
        cut = chunk_tokens(prev, m.group(), after, i == last_index)
        if cut is None:
            return _whole_text(text)
        for rel, tok in cut:
            out.append((start + rel, start + rel + len(tok)))
    return out


def _whole_text(text: str) -> list[tuple[int, int]]:
    """The reference path: the whole text through the chain and NLTK's alignment."""
    tokens = _restore_quotes(text, treebank_tokens(text))
    spans = _align(text, tokens) if tokens is not None else None
    if spans is None:  # NLTK would raise here and the converter would stop; keep whitespace chunks instead
        return [m.span() for m in _CHUNK.finditer(text)]
    return spans

"""A Hugging Face `datasets.Dataset` from labeled tasks: what a training script loads.

Rule: one row per task, from its latest non-cancelled annotation (the one the simple columns show); tasks without
one are left out unless `labeled_only=False`. Columns: `id`, the data columns, then per control:
- Choices (single) → `ClassLabel(names=<choices in config order>)`, -1 when nothing was chosen;
  Choices (multiple) and Taxonomy leaves → a sequence of that ClassLabel;
- Labels on a Text → `tokens` and `ner_tags` (`O`, `B-<label>`, `I-<label>` for every label in config order),
  cut and tagged exactly as the CONLL2003 export; a second Labels control gets `<name>_tokens` / `<name>_tags`;
- TextArea → its text (entries joined by newlines); Rating and Number → the number; others → JSON text.
`datasets` is imported only when `to_datasets` runs (`pip install datasets`).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..results._table import latest
from ._conll import bio_tags
from ._frame import paused_gc, read_frame
from ._treebank import span_tokenize


def _latest_result(annotations: list) -> list | None:
    chosen = latest(annotations)
    return chosen.get("result") or [] if chosen else None


def to_datasets(df: pd.DataFrame, config: Any = None, *, labeled_only: bool = True) -> Any:
    """`df` (e.g. `Labeler.to_pandas()` or `read_label_studio(...)`) as a `datasets.Dataset`."""
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_datasets() needs the Hugging Face `datasets` package: pip install datasets") from exc
    with paused_gc():
        frame = read_frame(df, config)
    cfg = frame.config
    if cfg is None:
        raise ValueError("to_datasets() needs the labeling config: pass config=<View>...</View>")
    rows = [(i, r) for i, r in enumerate(_latest_result(a) for a in frame.annotations) if r is not None or not
            labeled_only]
    columns: dict[str, list] = {"id": [_plain(frame.ids[i]) for i, _ in rows]}
    for key in dict.fromkeys(k for i, _ in rows for k in frame.data[i]):
        columns[key] = [frame.data[i].get(key) for i, _ in rows]
    casts: dict[str, Any] = {}
    first_labels = True
    # a <Repeater>'s controls: one column per concrete name answered (labels_0, labels_2), in index order
    answered = {r.get("from_name") for _, result in rows for r in (result or ())}
    for name in cfg.repeated_names([*cfg.controls, *answered]):
        control = cfg.controls[name]
        picked = [[r for r in (result or ()) if r.get("from_name") == name] for _, result in rows]
        if control.tag in ("Choices", "Taxonomy"):
            names = list(control.options)
            label = datasets.ClassLabel(names=names)
            chosen = [[c[-1] if isinstance(c, list) else c for r in rs for c in r["value"].get(control.type, [])]
                      for rs in picked]
            if control.single and control.tag == "Choices":
                columns[name] = [names.index(c[0]) if c and c[0] in names else -1 for c in chosen]
                casts[name] = label
            else:
                columns[name] = [[names.index(x) for x in c if x in names] for c in chosen]
                casts[name] = datasets.Sequence(label)
        elif control.tag == "Labels" and _text_field(cfg, control):
            field = _text_field(cfg, control)
            tag_names = ["O"] + [f"{p}-{v}" for v in control.options for p in ("B", "I")]
            index = {t: k for k, t in enumerate(tag_names)}
            tokens, tags = [], []
            for (i, _), rs in zip(rows, picked):
                text = frame.data[i].get(field)
                text = text if isinstance(text, str) else ""
                bounds = span_tokenize(text)
                spans = [r["value"] for r in rs]
                tokens.append([text[a:b] for a, b in bounds])
                tags.append([index.get(t, 0) for t in bio_tags(bounds, spans)])
            prefix = "" if first_labels else f"{name}_"
            columns[f"{prefix}tokens"] = tokens
            columns[f"{prefix}ner_tags" if first_labels else f"{name}_tags"] = tags
            casts[f"{prefix}ner_tags" if first_labels else f"{name}_tags"] = datasets.Sequence(
                datasets.ClassLabel(names=tag_names))
            first_labels = False
        elif control.tag == "TextArea":
            columns[name] = ["\n".join(t for r in rs for t in r["value"].get("text", [])) if rs else None
                             for rs in picked]
        elif control.tag in ("Rating", "Number"):
            columns[name] = [rs[0]["value"].get(control.type) if rs else None for rs in picked]
        else:
            columns[name] = [json.dumps([r.get("value") for r in rs], ensure_ascii=False) if rs else None
                             for rs in picked]
    ds = datasets.Dataset.from_dict(columns)
    for name, feature in casts.items():
        ds = ds.cast_column(name, feature)
    return ds


def _text_field(cfg: Any, control: Any) -> str | None:
    for target in control.to_name:
        obj = cfg.objects.get(target)
        if obj is not None and obj.tag == "Text" and obj.field:
            return obj.field
    return None


def _plain(ident: Any) -> Any:
    return json.dumps(list(ident)) if isinstance(ident, tuple) else ident

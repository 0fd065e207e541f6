"""A `transformers` pipeline as a predictor, adapted by its task.

Rules:
- the pipeline runs once per batch (`pipe(inputs, batch_size=...)`) with inputs sorted by length, so padding
  stays small: that is what makes `prelabel` faster than a per-task loop;
- model label names map onto the config's options: an explicit `labels={model_name: option}` first, then an
  exact or case-insensitive match, then `LABEL_<i>` → the i-th option; a name that maps to nothing is dropped
  (never stored as a label the config does not have);
- offsets: token-classification character offsets are code points (Python strings), like every Python-side
  result; object detection boxes are converted from pixels to Label Studio percentages with
  `original_width/height`.
"""

from __future__ import annotations

import io
import re
from typing import Any, Mapping

from ..config._parse import Config, Control
from ..results._validate import region_id
from . import _direct
from ._sources import choice_item, first_control, object_field, span_item

_TASK_ALIASES = {"sentiment-analysis": "text-classification", "ner": "token-classification"}
SUPPORTED = ("text-classification", "zero-shot-classification", "token-classification", "object-detection",
             "image-classification")


def is_pipeline(obj: Any) -> bool:
    return any(c.__name__ == "Pipeline" and c.__module__.startswith("transformers") for c in type(obj).__mro__)


class LabelMap:
    """Model label names → config options."""

    def __init__(self, options: tuple[str, ...], explicit: Mapping[str, str] | None) -> None:
        self.options, self.explicit = options, dict(explicit or {})
        self._lower = {o.lower(): o for o in options}

    def __call__(self, name: Any) -> str | None:
        name = str(name)
        if name in self.explicit:
            return self.explicit[name]
        if name in self.options:
            return name
        if name.lower() in self._lower:
            return self._lower[name.lower()]
        m = re.fullmatch(r"LABEL_(\d+)", name)
        if m and int(m.group(1)) < len(self.options):
            return self.options[int(m.group(1))]
        return None


class PipelinePredictor:
    """Predictions for a batch of LS tasks from a transformers pipeline."""

    def __init__(self, pipe: Any, config: Config, labels: Mapping[str, str] | None = None,
                 batch_size: int = 32) -> None:
        self.pipe, self.config, self.batch_size = pipe, config, batch_size
        task = _TASK_ALIASES.get(getattr(pipe, "task", ""), getattr(pipe, "task", ""))
        if task not in SUPPORTED:
            raise ValueError(f"transformers pipeline task {task!r} is not supported "
                             f"(supported: {', '.join(SUPPORTED)})")
        self.task = task
        kinds = {"text-classification": ("choices",), "zero-shot-classification": ("choices",),
                 "image-classification": ("choices",), "token-classification": ("labels", "hypertextlabels"),
                 "object-detection": ("rectanglelabels",)}[task]
        control = first_control(config, kinds)
        if control is None:
            raise ValueError(f"a {task} pipeline needs a {' or '.join(kinds)} control in the config")
        self.control: Control = control
        self.field = object_field(config, control)
        if self.field is None:
            raise ValueError(f'<{control.tag} name="{control.name}"> labels no object with a $field')
        self.map = LabelMap(control.options, labels)
        name = getattr(getattr(pipe, "model", None), "name_or_path", None) or type(pipe).__name__
        self.model_version = f"{task}:{name}"

    def __call__(self, tasks: list[dict]) -> list[dict | None]:
        inputs = [t.get("data", {}).get(self.field) for t in tasks]
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]) if isinstance(inputs[i], str) else 0)
        ready = [_image(inputs[i]) if self.task in ("object-detection", "image-classification") else
                 ("" if inputs[i] is None else str(inputs[i])) for i in order]
        raw = self._run(ready)
        out: list[dict | None] = [None] * len(tasks)
        for i, r, x in zip(order, raw, ready):
            out[i] = self._convert(r, inputs[i], x)
        return out

    def _run(self, inputs: list) -> list:
        kwargs: dict[str, Any] = {"batch_size": self.batch_size}
        if self.task == "zero-shot-classification":
            kwargs["candidate_labels"] = list(self.control.options)
        elif self.task == "token-classification" and _aggregation(self.pipe) == "none":
            kwargs["aggregation_strategy"] = "simple"  # entities, not word pieces
        fast = self._run_direct(inputs, kwargs)
        if fast is not None:
            return fast
        raw = self.pipe(inputs, **kwargs)
        # some pipelines unwrap a one-element batch: put it back
        per_input = list if self.task in ("token-classification", "object-detection") else (dict, list)
        if len(inputs) == 1 and not (isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], per_input)):
            raw = [raw]
        return list(raw)

    def _run_direct(self, inputs: list, kwargs: dict) -> list | None:
        """The model called directly over all inputs (None: this pipeline needs its own path)."""
        if not inputs:
            return None
        if self.task == "text-classification":
            return _direct.text_classification(self.pipe, inputs, self.batch_size)
        if self.task == "zero-shot-classification":
            return _direct.zero_shot(self.pipe, inputs, kwargs["candidate_labels"], self.batch_size)
        if self.task == "token-classification":
            return _direct.token_classification(self.pipe, inputs, self.batch_size, kwargs.get("aggregation_strategy"))
        return None

    def _convert(self, r: Any, source: Any, image: Any) -> dict | None:
        version = {"model_version": self.model_version}
        if self.task in ("text-classification", "image-classification"):
            ranked = r if isinstance(r, list) else [r]
            for guess in sorted(ranked, key=lambda g: -g["score"]):
                label = self.map(guess["label"])
                if label is not None:
                    return {"result": [choice_item(self.control, label)], "score": float(guess["score"]), **version}
            return None
        if self.task == "zero-shot-classification":
            return {"result": [choice_item(self.control, r["labels"][0])], "score": float(r["scores"][0]), **version}
        if self.task == "token-classification":
            items = []
            for ent in r:
                label = self.map(ent.get("entity_group") or re.sub(r"^[BIES]-", "", ent.get("entity", "")))
                if label is None or ent.get("start") is None:
                    continue
                items.append(span_item(self.control, ent["start"], ent["end"], label, source, float(ent["score"])))
            score = min((i["score"] for i in items), default=None)
            return {"result": items, **({"score": score} if score is not None else {}), **version}
        # object-detection
        width, height = image.size
        items = []
        for det in r:
            label = self.map(det["label"])
            if label is None:
                continue
            b = det["box"]
            items.append({"id": region_id(), "from_name": self.control.name, "to_name": self.control.to_name[0],
                          "type": "rectanglelabels", "original_width": width, "original_height": height,
                          "image_rotation": 0, "score": float(det["score"]),
                          "value": {"x": 100 * b["xmin"] / width, "y": 100 * b["ymin"] / height,
                                    "width": 100 * (b["xmax"] - b["xmin"]) / width,
                                    "height": 100 * (b["ymax"] - b["ymin"]) / height, "rotation": 0,
                                    "rectanglelabels": [label]}})
        score = min((i["score"] for i in items), default=None)
        return {"result": items, **({"score": score} if score is not None else {}), **version}


def _aggregation(pipe: Any) -> str:
    strategy = getattr(pipe, "_postprocess_params", {}).get("aggregation_strategy")
    return str(getattr(strategy, "value", strategy) or "none").lower()


def _image(value: Any) -> Any:
    """A PIL image for image pipelines: paths and URLs are opened here so the box size is known."""
    from PIL import Image
    if isinstance(value, Image.Image):
        return value.convert("RGB")
    if isinstance(value, (bytes, bytearray)):
        return Image.open(io.BytesIO(value)).convert("RGB")
    if hasattr(value, "__array__"):
        import numpy as np
        return Image.fromarray(np.asarray(value)).convert("RGB")
    if isinstance(value, str) and re.match(r"^https?://", value):
        import urllib.request
        with urllib.request.urlopen(value, timeout=30) as resp:
            return Image.open(io.BytesIO(resp.read())).convert("RGB")
    return Image.open(value).convert("RGB")

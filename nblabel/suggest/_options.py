"""`nblabel.Suggest`: a predictor together with how a Labeler asks it and shows its suggestions.

Rule: one object carries what are also `Labeler` keywords (`predictor`, `predictor_timeout`, `predictor_batch`,
`predictor_labels`, `threshold`, `hint_below`); the keywords keep working and mean the same, but a `Suggest` and
the keywords together are refused, so no setting is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._shown import HINT_BELOW

DEFAULT_TIMEOUT = 30.0
DEFAULT_BATCH = 16


@dataclass(frozen=True)
class Suggest:
    """Where a Labeler's suggestions come from and how they are asked for and shown; pass it as `predictor=`.

        lab = nblabel.Labeler(df, config, predictor=nblabel.Suggest(pipe, timeout=10, batch=32, threshold=0.6))

    Parameters
    ----------
    predictor : anything `Labeler(predictor=...)` takes: a column name, a Series, a callable, a transformers
        pipeline, a Label Studio ML backend URL or an `nblabel.Learner`.
    timeout : seconds a model may take for one batch; past it labeling goes on without its suggestions and the
        widget says why (default 30).
    batch : tasks per predictor call (default 16); the worker computes two batches ahead of the annotator.
    labels : model label → config label, for pipelines whose labels differ from the config's.
    threshold : suggestions scored below it are hidden (Enter then does nothing); None shows every suggestion.
    hint_below : a Choices suggestion scored below it (default 0.6) is a hint beside the options ("model suggests:
        Positive (52%)"), not pre-selected, so Enter does not accept it; None pre-selects every suggestion.
    """

    predictor: Any
    timeout: float = DEFAULT_TIMEOUT
    batch: int = DEFAULT_BATCH
    labels: dict[str, str] | None = None
    threshold: float | None = None
    hint_below: float | None = HINT_BELOW

    @classmethod
    def of(cls, predictor: Any, *, timeout: float | None = None, batch: int | None = None,
           labels: dict[str, str] | None = None, threshold: float | None = None,
           hint_below: float | None = HINT_BELOW) -> Suggest:
        """`Labeler`'s keywords as one `Suggest` (its `predictor` may be None: task predictions only)."""
        loose = [("predictor_timeout", timeout, None), ("predictor_batch", batch, None),
                 ("predictor_labels", labels, None), ("threshold", threshold, None),
                 ("hint_below", hint_below, HINT_BELOW)]  # (keyword, value, its default)
        if isinstance(predictor, Suggest):
            given = [name for name, value, default in loose if value != default]
            if given:
                raise TypeError(f"predictor= is an nblabel.Suggest: set {', '.join(given)} inside it "
                                "(Suggest(timeout=, batch=, labels=, threshold=)), not as Labeler keywords as well")
            return predictor
        return cls(predictor, timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
                   batch=DEFAULT_BATCH if batch is None else batch, labels=labels, threshold=threshold,
                   hint_below=hint_below)

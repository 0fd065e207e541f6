"""Suggestions and learning: where predictions come from and how they reach the annotator.

| module | concept |
|---|---|
| `_sources.py` | simple values (labels, `(label, score)`, `(start, end, label)` spans) → LS predictions |
| `_pipelines.py` | transformers pipelines adapted by task |
| `_ml_backend.py` | a Label Studio ML backend by URL (`/setup`, `/predict`) |
| `_learner.py` | `Learner`: embeddings or sparse text + a linear head retrained in the background |
| `_worker.py` | batches ahead of the annotator, cached per task and model version, timeout |
| `_options.py` | `Suggest`: a predictor with its timeout, batch size, label map and threshold |
| `_view.py` | what one session was shown: the fixed suggestion per task, scores for the queue, answers logged |
| `_stats.py` | accepted vs corrected, for `suggestion_stats()` and the live panel |
| `_prelabel.py` | `prelabel(data, config, predictor)` without a widget |
"""

from ._learner import Learner
from ._ml_backend import MLBackend, MLBackendError
from ._options import Suggest
from ._pipelines import PipelinePredictor
from ._prelabel import prelabel

__all__ = ["Learner", "MLBackend", "MLBackendError", "PipelinePredictor", "Suggest", "prelabel"]

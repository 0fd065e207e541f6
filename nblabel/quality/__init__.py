"""Quality control over several annotators: agreement, consensus, annotator statistics, likely-wrong labels.

| module | concept |
|---|---|
| `_data.py` | a Labeler / DataFrame / Label Studio task list read into one table of annotations |
| `_values.py` | what each control answered, one column of codes / numbers / items per control |
| `_pairs.py` | every pair of annotations sharing a task, without a loop over tasks |
| `_metrics.py` | pairwise agreement per control type (exact, Jaccard, numeric, edit, span / IoU F1, per region) |
| `_shapes.py`, `_regions.py` | region similarity (spans, polygons, ellipses, keypoints, masks, tracks) and matching |
| `_reliability.py` | Cohen's and Fleiss' kappa, Krippendorff's alpha, vectorised |
| `_agreement.py` | `agreement()` and its report |
| `_html.py` | the report as a compact HTML table |
| `_consensus.py` | `consensus()`, `ground_truth()` |
| `_stats.py` | `annotator_stats()` |
| `_plots.py` | matplotlib figures (optional extra `nblabel[plot]`) |
| `_label_issues.py` | `find_label_issues()`: likely-wrong Choices answers (cleanlab confident learning, CROWDLAB) |
| `_label_issues_regions.py` | its spans (per token) and boxes paths over cleanlab's token / object-detection modules |
| `_pred_probs.py` | out-of-sample probabilities for it: Learner folds, TF-IDF head, kNN label consistency |
"""

from ._agreement import AgreementReport, agreement
from ._consensus import consensus, ground_truth
from ._stats import annotator_stats
from . import _plots as plots  # matplotlib figures: pairs_heatmap, task_histogram, control_bars

from ._label_issues import find_label_issues  # likely-wrong labels: confident learning, CROWDLAB
from ._label_issues_regions import word_tokens  # the words token label issues score, with their offsets

__all__ = ["AgreementReport", "agreement", "annotator_stats", "consensus", "find_label_issues", "ground_truth", "plots",
           "word_tokens"]

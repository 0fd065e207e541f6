"""nblabel: Label Studio's labeling workflow, native to the notebook.

    lab = nblabel.Labeler(df, config, annotator="alice")
    lab                      # label in the cell, keyboard first
    lab.to_pandas()          # annotations back as a DataFrame (Label Studio JSON inside)
"""

from ._errors import ConfigError, QueueEmpty, StoreUnavailable, TaskChanged
from .config import Config, parse_config
from .widget import Labeler
from .formats import export, read_coco, read_label_studio, read_yolo, to_datasets
from .suggest import Learner, Suggest, prelabel
from .quality import agreement, annotator_stats, consensus, find_label_issues, ground_truth
# label_studio: push / pull a project to a Label Studio server (the SDK loads on first use)
from . import brush, label_studio as label_studio

__all__ = [
    "Config", "ConfigError", "agreement", "annotator_stats", "consensus", "ground_truth", "brush", "Labeler",
    "Learner", "prelabel", "QueueEmpty", "StoreUnavailable", "Suggest", "TaskChanged", "export", "find_label_issues",
    "parse_config", "read_coco", "read_label_studio", "read_yolo", "to_datasets",
]
__version__ = "0.1.0"

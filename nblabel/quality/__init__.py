"""Quality control over several annotators: agreement, consensus, annotator statistics, likely-wrong labels.

Each module below owns one concept; this package's face re-exports the public functions.
"""

from ._label_issues import find_label_issues  # likely-wrong labels: confident learning, CROWDLAB

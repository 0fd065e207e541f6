"""Quality control over several annotators: agreement, consensus, annotator statistics, likely-wrong labels.

Each module below owns one concept; this package's face re-exports the public functions.
"""

"""Tasks: where rows come from, how they are named, and the media inside them.

| module | concept |
|---|---|
| `_ids.py` | task ids: plain Python value <-> canonical JSON text key |
| `_source.py` | DataFrame / list of dicts / Label Studio tasks / generator -> lookup by key without copying |
| `_media.py` | local media in task fields (paths, bytes, PIL, numpy, PDF pages) served to the browser and exported |
"""

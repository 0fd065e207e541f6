"""The labeling config: Label Studio XML parsed (defusedxml) into a typed tree with clear errors.

| module | concept |
|---|---|
| `_parse.py` | `parse_config(xml) -> Config`: validation, `to_json()` for the front end, `signature()` for stores |
| `_compat.py` | which config changes an existing store accepts (added options yes; renamed controls no) |
| `_repeat.py` | `<Repeater>`: templates (`labels_{{idx}}`) and the concrete indexed names a task's list gives |
| `_tags.py` | every Label Studio tag name: kind, result `type`, rendered or not |
"""

from ._compat import check_compatible
from ._parse import Config, Control, ObjectTag, Tag, parse_config

__all__ = ["Config", "Control", "ObjectTag", "Tag", "check_compatible", "parse_config"]

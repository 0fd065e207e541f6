"""Store compatibility: may a store created with one config be opened with another?

Rule: a change is compatible when every annotation already stored stays valid. Adding
objects, controls, choices or labels is fine; removing or renaming any of them, changing
a control's tag or type, or dropping one of its toName targets is not, and raises a
`ConfigError` that says which and that adding would have been fine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._brief import listing
from .._errors import ConfigError

if TYPE_CHECKING:
    from ._parse import Config

__all__ = ["check_compatible"]


def check_compatible(stored: dict, config: Config) -> dict:
    """Check `config` against the signature a store was created with.

    Adding controls, objects, choices or labels is fine. Removing or renaming any of
    them, changing a control's tag or type, or dropping a toName target would orphan
    stored annotations, so it raises. Returns the signature to store (options united).
    """
    try:
        old_controls = dict(stored["controls"])
        old_objects = dict(stored["objects"])
        if not all(isinstance(v, dict) for v in old_controls.values()):
            raise TypeError("each stored control must be a JSON object")
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"the store's config signature is unreadable: {exc!r}") from None
    new = config.signature()
    for name, tag in old_objects.items():
        if name not in new["objects"]:
            raise ConfigError(
                f'<{tag} name="{name}"> is missing from the config but the store has '
                f"annotations for it (removed or renamed?). Objects now: "
                f"{listing(new['objects'])}"
            )
        if new["objects"][name] != tag:
            raise ConfigError(
                f'<{new["objects"][name]} name="{name}">: was <{tag}> when the store was created; '
                "changing an object's tag is not compatible"
            )
    for name, old in old_controls.items():
        cur = new["controls"].get(name)
        if cur is None:
            raise ConfigError(
                f'<{old.get("tag")} name="{name}"> is missing from the config but the store has '
                f"annotations for it (removed or renamed?). Controls now: "
                f"{listing(new['controls'])}"
            )
        if (cur["tag"], cur["type"]) != (old.get("tag"), old.get("type")):
            raise ConfigError(
                f'<{cur["tag"]} name="{name}">: was <{old.get("tag")}> (type "{old.get("type")}") '
                "when the store was created; changing a control's tag or type is not compatible"
            )
        dropped = [t for t in old.get("to_name", []) if t not in cur["to_name"]]
        if dropped:
            raise ConfigError(
                f'<{cur["tag"]} name="{name}"> toName: no longer targets {", ".join(dropped)}, '
                "which stored annotations refer to; adding targets is fine, removing is not"
            )
        lost = [o for o in old.get("options", []) if o not in cur["options"]]
        if lost and not config.controls[name].dynamic:
            raise ConfigError(
                f'<{cur["tag"]} name="{name}">: option(s) {", ".join(map(repr, lost))} were '
                "removed or renamed but the store may hold annotations using them; adding "
                "choices or labels is fine, removing or renaming them is not"
            )
        # Config order first; anything only the store knows (dynamic options) after.
        cur["options"] += [o for o in old.get("options", []) if o not in cur["options"]]
    return new

"""`<Repeater>`: one block of tags per item of a list in the task, names indexed as Label Studio indexes them.

Rules (the editor's expansion of the tag while it parses a config):
- `<Repeater on="$images" indexFlag="{{idx}}" mode="pagination">` repeats its children once per item of the list
  that `on` names in the task's data; every occurrence of the flag (default `{{idx}}`) in an attribute below it
  becomes the item's index, 0, 1, …: `labels_{{idx}}` is `labels_0`, `labels_1`… and `$images[{{idx}}].url` reads
  item k's `url`. `mode="pagination"` shows one item at a time; any other mode stacks them (as the editor does);
- the config keeps the templates (`labels_{{idx}}`) as its controls and objects, so the static view (control list,
  types, options, the store signature) has one control per template. A concrete name resolves to its template
  with the index put in every attribute (`Config.controls.get("labels_2")` is a control named `labels_2` labeling
  `page_2`); with a task's data, an index past the end of its list is refused, never stored as a silent label;
- a named tag inside a Repeater must carry the flag in its name, or every item would repeat one name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from .._brief import brief, listing
from .._errors import ConfigError

__all__ = ["DEFAULT_FLAG", "Names", "Repeat", "concrete", "controls_on", "fill", "lookup_path", "name_pattern",
           "out_of_range", "repeat_of", "repeated_names", "substitute"]

DEFAULT_FLAG = "{{idx}}"
_INDEX = "(0|[1-9][0-9]*)"  # what the editor writes for an index: `${i}`, no sign, no leading zeros
_STEP = re.compile(r"\[([0-9]+)\]|\.([^.\[\]]+)")
_HEAD = re.compile(r"\$([^.\[\]]+)")
_LIST = re.compile(r"\$[\w\[\].{}]+")  # what `on=` may be: a `$field` path, as any other value


def repeat_of(node: Any) -> Repeat:
    """The `Repeat` a `<Repeater>` tag declares, or ConfigError for a missing list or an empty flag."""
    on = node.attrs.get("on")
    at = f" (line {node.line})" if node.line else ""
    if on is None or not _LIST.fullmatch(on.strip()):
        raise ConfigError(f'<Repeater>: attribute on="$field" (the list in the task to repeat over) is required, '
                          f"got {'nothing' if on is None else repr(on)}{at}")
    flag = node.attrs.get("indexFlag", DEFAULT_FLAG)
    if not flag:
        raise ConfigError(f'<Repeater on="{on}">: indexFlag="" cannot mark an index; leave it out for '
                          f'"{DEFAULT_FLAG}"{at}')
    return Repeat(flag, on.strip(), node.attrs.get("mode"), node.line)


@dataclass(frozen=True)
class Repeat:
    """One enclosing `<Repeater>` of a tag: its flag, the list it walks (`on`, as written) and its mode."""

    flag: str
    on: str
    mode: str | None
    line: int | None


def name_pattern(template: str, flags: list[str]) -> tuple[re.Pattern, list[str]] | None:
    """A regex matching the concrete names of `template` and the flag of each group, or None (no flag in it).
    A flag written twice must take the same index both times."""
    present = [f for f in flags if f in template]
    if not present:
        return None
    parts = re.split("(" + "|".join(re.escape(f) for f in sorted(present, key=len, reverse=True)) + ")", template)
    order: list[str] = []
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif part in order:
            out.append(f"(?P=g{order.index(part)})")
        else:
            out.append(f"(?P<g{len(order)}>{_INDEX})")
            order.append(part)
    return re.compile("".join(out)), order


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with every flag replaced by its index."""
    for flag, index in values.items():
        text = text.replace(flag, index)
    return text


def substitute(node: Any, values: dict[str, str]) -> Any:
    """A copy of a config `Tag` with the flags replaced in every attribute below it."""
    attrs = {k: fill(v, values) for k, v in node.attrs.items()}
    return replace(node, attrs=attrs, children=tuple(substitute(c, values) for c in node.children))


def lookup_path(expr: str, data: Any) -> Any:
    """The value `$images[2].url` names in a task's data (Label Studio's `parseValue`); KeyError when absent."""
    m = _HEAD.match(expr)
    if m is None:
        raise KeyError(expr)
    if not isinstance(data, dict) or m.group(1) not in data:
        raise KeyError(m.group(1))
    value = data[m.group(1)]
    rest = expr[m.end():]
    pos = 0
    while pos < len(rest):
        step = _STEP.match(rest, pos)
        if step is None:
            raise KeyError(expr)
        if step.group(1) is not None:
            i = int(step.group(1))
            if not isinstance(value, list) or i >= len(value):
                raise KeyError(expr)
            value = value[i]
        else:
            if not isinstance(value, dict) or step.group(2) not in value:
                raise KeyError(expr)
            value = value[step.group(2)]
        pos = step.end()
    return value


def out_of_range(name: str, repeats: tuple[Repeat, ...], index: tuple[int, ...], data: dict) -> str | None:
    """Why the concrete name `name` has no item in this task (its index is past the end of a Repeater's list), or
    None when every index has its item."""
    for repeat, i in zip(repeats, index):
        try:
            items = lookup_path(repeat.on, data)
        except KeyError:
            return f"{name!r} names item {i} of {repeat.on}, which this task does not have"
        if not isinstance(items, list):
            return f"{name!r} names item {i} of {repeat.on}, which is {brief(items)} in this task, not a list"
        if i >= len(items):
            have = f"items 0 to {len(items) - 1}" if items else "no items"
            return (f"{name!r} names item {i} of {repeat.on} (<Repeater> line {repeat.line}), but this task has "
                    f"{have}")
    return None


def concrete(table: dict, patterns: dict[str, tuple[re.Pattern, list[str]]], name: str) -> Any:
    """The entry of `table` (controls or objects, by template name) for the concrete `name`, its indexes put in
    every attribute (name, toName, value, the tag's own attributes), or None."""
    for template, (pattern, flags) in patterns.items():
        m = pattern.fullmatch(name)
        entry = dict.get(table, template)
        if m is None or entry is None:
            continue
        values = {flag: m.group(f"g{i}") for i, flag in enumerate(flags)}
        changes: dict[str, Any] = {
            "name": name, "node": substitute(entry.node, values),
            "index": tuple(int(values[r.flag]) for r in entry.repeat),
            "repeat": tuple(Repeat(r.flag, fill(r.on, values), r.mode, r.line) for r in entry.repeat)}
        if hasattr(entry, "to_name"):
            changes["to_name"] = tuple(fill(t, values) for t in entry.to_name)
        if getattr(entry, "value", None) is not None:
            changes["value"] = fill(entry.value, values)
        return replace(entry, **changes)
    return None


def repeated_names(controls: dict, patterns: dict, names: Iterable[Any]) -> list[str]:
    """Control names among `names` (template or concrete), config order; a template's concrete names by index."""
    given = dict.fromkeys(n for n in names if isinstance(n, str))
    out = []
    for template, control in dict.items(controls):
        pattern = patterns.get(template) if control.repeat else None
        if pattern is None:
            if template in given:
                out.append(template)
            continue
        hits = [n for n in given if pattern[0].fullmatch(n)]
        out.extend(sorted(hits, key=lambda n: controls[n].index))
    return out


def controls_on(controls: dict, patterns: dict, target: str) -> list[Any]:
    """The controls whose toName names the object `target`; for a repeated object's concrete name (`page_2`),
    the same item's concrete controls (`labels_2`)."""
    out = [c for c in dict.values(controls) if target in c.to_name]
    for c in dict.values(controls):
        for t in c.to_name if c.repeat else ():
            found = patterns.get(t)
            m = found[0].fullmatch(target) if found else None
            if m is not None:
                hit = controls.get(fill(c.name, {f: m.group(f"g{i}") for i, f in enumerate(found[1])}))
                if hit is not None:
                    out.append(hit)
                break
    return out


class Names(dict):
    """Name → control (or object) of a config: the templates of repeated tags iterate as written, and a concrete
    name (`labels_2`) is found too, resolved by `resolve` (None: no such name)."""

    def __init__(self, resolve: Callable[[str], Any]) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, name: Any) -> Any:
        found = self._resolve(name) if isinstance(name, str) else None
        if found is None:
            raise KeyError(name)
        return found

    def get(self, name: Any, default: Any = None) -> Any:  # type: ignore[override]
        """The entry for `name` (a template or a concrete repeated name), else `default`."""
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        found = self._resolve(name) if isinstance(name, str) else None
        return default if found is None else found

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or (isinstance(name, str) and self._resolve(name) is not None)


def unrepeated_name(node: Any, repeats: list[Repeat]) -> str:
    """The message for a named tag inside a Repeater whose name lacks a flag."""
    missing = [r.flag for r in repeats if r.flag not in (node.name or "")]
    return (f'<{node.tag} name="{node.name}"> inside <Repeater on="{repeats[-1].on}"> repeats one name for every '
            f"item: put {listing(missing)} in it, e.g. name=\"{node.name}_{missing[0]}\""
            f"{f' (line {node.line})' if node.line else ''}")

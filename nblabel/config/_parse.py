"""Label Studio labeling config -> typed tree, validated.

Rule: accept every config Label Studio accepts (all 69 official templates parse), and
refuse everything else with a `ConfigError` that names the tag and attribute at fault,
the source line, and what would have been valid. XML goes through defusedxml with
DTDs, entities and external references forbidden: a config is often pasted from
elsewhere, and entity expansion is a denial-of-service vector.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field as dc_field
from xml.etree.ElementTree import ParseError, TreeBuilder

from .._brief import listing

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .._errors import ConfigError
from ._repeat import (Names, Repeat, concrete, controls_on, name_pattern, repeat_of, repeated_names,
                      unrepeated_name)
from ._tags import lookup, suggest

__all__ = ["Config", "Control", "ObjectTag", "Tag", "parse_config"]

# Label Studio's own variable pattern (editor `parseValue`): "$" then word chars, dots,
# brackets and braces ("$item.title", "$images[{{idx}}]"). The data column is the part
# before the first "." or "[".
_VAR = re.compile(r"\$[\w\[\].{}]+")
# Inside free text ("Hello $name") only identifier-like tokens count, so "$5" is money.
_TEXT_VAR = re.compile(r"\$([A-Za-z_]\w*)")
_TEMPLATED = {("Header", "value"), ("Text", "value")}  # attrs LS interpolates as text
_OPTION_TAGS = {"Choice", "Label", "Relation"}  # what the SDK's LabelInterface counts
_MAX_DEPTH = 100  # far beyond any real config; keeps the recursive walk safe


@dataclass(frozen=True)
class Tag:
    """One XML element of the config."""

    tag: str  # canonical casing
    kind: str  # visual | object | control | option
    attrs: Mapping[str, str] = dc_field(hash=False)  # exactly as written
    children: tuple[Tag, ...]
    text: str | None  # own text, stripped; None if empty
    line: int | None  # source line, for messages
    supported: bool

    @property
    def name(self) -> str | None:
        return self.attrs.get("name")


@dataclass(frozen=True)
class Control:
    name: str
    tag: str
    type: str  # LS result type: "choices", "textarea", ...
    to_name: tuple[str, ...]
    options: tuple[str, ...]  # Choice/Label/Relation values, config order, unique
    single: bool  # one value, not a list (Choices choice="single"; scalar controls)
    dynamic: bool  # options come from task data (value="$field")
    node: Tag
    # Inside <Repeater>s: the enclosing ones, outermost first; a concrete name (`labels_2`) also has its indexes.
    repeat: tuple[Repeat, ...] = ()
    index: tuple[int, ...] = ()


@dataclass(frozen=True)
class ObjectTag:
    name: str
    tag: str
    value: str | None
    field: str | None  # data column named by value ("text" for "$text"), else None
    node: Tag
    repeat: tuple[Repeat, ...] = ()  # as Control.repeat
    index: tuple[int, ...] = ()


def _describe(node: Tag) -> str:
    return f'<{node.tag} name="{node.name}">' if node.name is not None else f"<{node.tag}>"


def _at(node: Tag) -> str:
    return f" (line {node.line})" if node.line else ""


def _head(token: str) -> str:
    """'$item.title' -> 'item'; '$images[0]' -> 'images'."""
    return re.split(r"[.\[]", token[1:], maxsplit=1)[0]


def _fields_in(node: Tag) -> Iterable[tuple[str, str]]:
    """(field, attribute) pairs node refers to, in attribute order."""
    for attr, value in node.attrs.items():
        if _VAR.fullmatch(value):
            if _head(value):
                yield _head(value), attr
        elif (node.tag, attr) in _TEMPLATED:
            for m in _TEXT_VAR.finditer(value):
                yield m.group(1), attr


def _choice_is_single(node: Tag) -> bool:
    if node.tag == "Choices":
        return node.attrs.get("choice", "single").strip().lower() != "multiple"
    # One scalar per task for these, as JSON_MIN flattens them; per-region values are lists.
    per_region = node.attrs.get("perRegion", "").strip().lower() == "true"
    return node.tag in {"TextArea", "Rating", "Number", "DateTime"} and not per_region


def _options(node: Tag) -> tuple[str, ...]:
    """Option values below a control, depth-first, without entering nested controls."""
    seen: dict[str, None] = {}
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        if child.kind in ("control", "object"):
            continue
        if child.tag in _OPTION_TAGS and child.attrs.get("value") is not None:
            seen.setdefault(child.attrs["value"], None)
        stack.extend(reversed(child.children))
    return tuple(seen)


# --------------------------------------------------------------------------- XML
class _LineTreeBuilder(TreeBuilder):
    """TreeBuilder that remembers each element's source line (stdlib drops it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None
        self.open: list[tuple[str, int | None]] = []  # elements not closed yet: (tag, line), innermost last

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        elem = super().start(tag, attrs)
        line = None
        if self.parser is not None:  # the pure-Python parser exposes expat as .parser
            line = self.lines[id(elem)] = self.parser.parser.CurrentLineNumber
        self.open.append((tag, line))
        return elem

    def end(self, tag):  # type: ignore[no-untyped-def]
        if self.open:
            self.open.pop()
        return super().end(tag)


def _load_xml(xml: str):  # type: ignore[no-untyped-def]
    # Expat refuses whitespace before "<?xml ...?>"; skip it but keep line numbers right.
    body = xml.lstrip()
    offset = xml[: len(xml) - len(body)].count("\n")
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(body)
        root = parser.close()
    except (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden) as exc:
        raise ConfigError(
            "DOCTYPE and entity declarations are not allowed in a labeling config "
            f"(XML entities can expand without bound or read files): {type(exc).__name__}"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        if reason in ("mismatched tag", "no element found") and builder.open:
            # expat blames the first closing tag that does not fit, often the last line; the fault is the
            # innermost element still open when it came
            tag, opened = builder.open[-1]
            where = f" at line {opened + offset}" if opened is not None else ""
            raise ConfigError(
                f"malformed XML: <{tag}>{where} is never closed (write <{tag} .../> or add </{tag}>); "
                f"the parser stopped at line {line + offset}, column {column + 1}: {reason}"
            ) from None
        raise ConfigError(
            f"malformed XML at line {line + offset}, column {column + 1}: {reason}"
        ) from None
    return root, {k: v + offset for k, v in builder.lines.items()}


def _build(elem, lines: dict[int, int], depth: int = 0) -> Tag:  # type: ignore[no-untyped-def]
    line = lines.get(id(elem))
    if depth > _MAX_DEPTH:
        raise ConfigError(f"config is nested more than {_MAX_DEPTH} levels deep (line {line})")
    if not isinstance(elem.tag, str):  # processing instruction or similar: not a tag
        raise ConfigError(f"unexpected XML node at line {line}")
    info = lookup(elem.tag)
    if info is None:
        close = suggest(elem.tag)
        hint = f"; did you mean {', '.join(f'<{c}>' for c in close)}?" if close else ""
        raise ConfigError(f"<{elem.tag}>: unknown Label Studio tag{hint} (line {line})")
    children = tuple(_build(c, lines, depth + 1) for c in elem)
    text = (elem.text or "").strip() or None
    return Tag(info.tag, info.kind, dict(elem.attrib), children, text, line, info.rendered)


def _walk(node: Tag, repeats: tuple[Repeat, ...] = ()) -> Iterable[tuple[Tag, tuple[Repeat, ...]]]:
    """Every node with the Repeaters around it (a Repeater itself is outside its own repeat)."""
    yield node, repeats
    if node.tag == "Repeater":
        repeats = (*repeats, repeat_of(node))
    for child in node.children:
        yield from _walk(child, repeats)


# ------------------------------------------------------------------------ Config
class Config:
    """A parsed, validated labeling config. Build it with `parse_config`."""

    def __init__(self, xml: str, root: Tag) -> None:
        self.xml = xml
        self.root = root
        self.objects: dict[str, ObjectTag] = Names(lambda n: self._concrete(self.objects, n))
        self.controls: dict[str, Control] = Names(lambda n: self._concrete(self.controls, n))
        self._patterns: dict[str, tuple[re.Pattern, list[str]]] = {}  # template name -> its concrete names
        self._resolved: dict[tuple[int, str], object] = {}
        self._field_refs: list[tuple[str, Tag, str]] = []  # first use of each field
        named: dict[str, Tag] = {}
        unsupported: dict[str, None] = {}
        for node, repeats in _walk(root):
            if repeats and node.kind in ("object", "control") and node.name is not None:
                if any(r.flag not in node.name for r in repeats):
                    raise ConfigError(unrepeated_name(node, list(repeats)))
                found = name_pattern(node.name, [r.flag for r in repeats])
                if found is not None:
                    self._patterns[node.name] = found
            if not node.supported:
                unsupported.setdefault(node.tag, None)
            for fld, attr in _fields_in(node):
                if all(f != fld for f, _, _ in self._field_refs):
                    self._field_refs.append((fld, node, attr))
            if node.kind == "object":
                self._add_object(node, named, repeats)
            elif node.kind == "control":
                self._add_control(node, named, repeats)
        for name, node in named.items():  # a plain name that a template would also give: which one is meant?
            clash = next((t for t, (p, _) in self._patterns.items() if t != name and p.fullmatch(name)), None)
            if clash is not None:
                raise ConfigError(f'{_describe(node)}: the name "{name}" is also one that "{clash}" takes inside '
                                  f"its <Repeater>; rename one of them{_at(node)}")
        if not self._patterns:  # nothing repeats: plain dicts, as fast as ever on the export and answer paths
            self.objects, self.controls = dict(self.objects), dict(self.controls)
        self.fields: tuple[str, ...] = tuple(f for f, _, _ in self._field_refs)
        self.unsupported: tuple[str, ...] = tuple(unsupported)
        for control in self.controls.values():
            self._check_to_name(control)

    def _claim(self, node: Tag, named: dict[str, Tag]) -> str:
        name = node.name
        if name is None or not name.strip():
            raise ConfigError(f'{_describe(node)}: attribute name="..." is required{_at(node)}')
        if name in named:
            other = named[name]
            raise ConfigError(
                f'{_describe(node)} name="{name}": duplicate name, already used by '
                f"{_describe(other)}{_at(other)}; names must be unique{_at(node)}"
            )
        named[name] = node
        return name

    def _concrete(self, table: dict, name: str):  # type: ignore[no-untyped-def]
        """The control or object a repeated tag has for the concrete `name` (`labels_2`), or None (memoised)."""
        key = (id(table), name)
        if key not in self._resolved:
            if len(self._resolved) > 4096:  # names come from results: keep the memo small whatever they hold
                self._resolved.clear()
            self._resolved[key] = concrete(table, self._patterns, name)
        return self._resolved[key]

    def repeated_names(self, names: Iterable[str]) -> list[str]:
        """Control names among `names` (template or concrete), config order; a template's concrete names by
        index."""
        return repeated_names(self.controls, self._patterns, names)

    def controls_on(self, target: str) -> list[Control]:
        """The controls whose toName names the object `target` (a Repeater's concrete object, `page_2`, gets its
        item's controls: `labels_2`)."""
        return controls_on(self.controls, self._patterns, target)

    def _add_object(self, node: Tag, named: dict[str, Tag], repeats: tuple[Repeat, ...] = ()) -> None:
        name = self._claim(node, named)
        # Image may take a list of pages instead (valueList="$pages").
        value = node.attrs.get("value", node.attrs.get("valueList"))
        if value is None:
            want = 'value="$field" (or valueList=)' if node.tag == "Image" else 'value="$field"'
            raise ConfigError(f"{_describe(node)}: attribute {want} is required{_at(node)}")
        fld = _head(value) if _VAR.fullmatch(value) else None
        self.objects[name] = ObjectTag(name, node.tag, value, fld or None, node, repeats)

    def _add_control(self, node: Tag, named: dict[str, Tag], repeats: tuple[Repeat, ...] = ()) -> None:
        if node.tag == "Relations" and node.name is None:
            return  # LS's <Relations> is nameless: its results carry no from_name
        name = self._claim(node, named)
        info = lookup(node.tag)
        assert info is not None and info.type is not None
        to_name = tuple(n.strip() for n in node.attrs.get("toName", "").split(",") if n.strip())
        holds_options = node.tag in ("Choices", "Taxonomy") or node.tag.endswith("Labels")
        dynamic = holds_options and node.attrs.get("value", "").startswith("$")
        self.controls[name] = Control(
            name, node.tag, info.type, to_name, _options(node),
            _choice_is_single(node), dynamic, node, repeats,
        )

    def _check_to_name(self, control: Control) -> None:
        node, info = control.node, lookup(control.tag)
        for target in control.to_name:
            if target in self.objects or (info and info.self_ref and target == control.name):
                continue
            objects = ", ".join(self.objects) or "none"
            what = " (that is a control)" if target in self.controls else ""
            raise ConfigError(
                f'{_describe(node)} toName="{node.attrs["toName"]}": no object tag named '
                f'"{target}"{what} (objects: {objects}){_at(node)}'
            )
        if control.tag == "Pairwise" and len(control.to_name) != 2:
            raise ConfigError(
                f'{_describe(node)} toName="{node.attrs.get("toName", "")}": Pairwise compares '
                f"exactly two objects, e.g. toName=\"text1,text2\"{_at(node)}"
            )

    # -- views ---------------------------------------------------------------
    def to_json(self) -> dict:
        """The tree for the front end (format in docs/DESIGN.md)."""

        def node_json(node: Tag) -> dict:
            return {
                "tag": node.tag, "kind": node.kind, "attrs": dict(node.attrs),
                "text": node.text, "children": [node_json(c) for c in node.children],
                "supported": node.supported,
            }

        return node_json(self.root)

    def check_fields(self, columns: Iterable[object]) -> None:
        """Raise ConfigError if the config refers to a `$field` that is not a column."""
        have = {str(c) for c in columns}  # str(): a column 0 satisfies "$0"
        available = sorted(have)
        missing = [(f, n, a) for f, n, a in self._field_refs if f not in have]
        if not missing:
            return
        fld, node, attr = missing[0]
        shown = listing(available)
        also = f"; also missing: {listing(f for f, _, _ in missing[1:])}" if missing[1:] else ""
        near = difflib.get_close_matches(fld, available, n=1, cutoff=0.6)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        raise ConfigError(
            f'{_describe(node)} {attr}="{node.attrs[attr]}": no column "{fld}" in the data '
            f"(columns: {shown}){hint}{also}{_at(node)}"
        )

    def signature(self) -> dict:
        """What a store must agree with: controls (with options) and objects."""
        return {
            "controls": {
                c.name: {"tag": c.tag, "type": c.type, "to_name": list(c.to_name),
                         "options": list(c.options)}
                for c in self.controls.values()
            },
            "objects": {o.name: o.tag for o in self.objects.values()},
        }

    @property
    def hash(self) -> str:
        """12 hex chars naming the default store. Identity only, not options, so adding a
        choice keeps the same store (check_compatible guards the rest)."""
        identity = {
            "objects": sorted([o.name, o.tag] for o in self.objects.values()),
            "controls": sorted([c.name, c.type, list(c.to_name)] for c in self.controls.values()),
        }
        blob = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        return f"<Config {self.hash} objects={list(self.objects)} controls={list(self.controls)}>"


def parse_config(xml: str) -> Config:
    """Parse and validate a Label Studio labeling config."""
    if not isinstance(xml, str):
        raise ConfigError(f"the labeling config must be an XML string, not {type(xml).__name__}")
    if not xml.strip():
        raise ConfigError('the labeling config is empty; expected "<View>...</View>"')
    elem, lines = _load_xml(xml)
    root = _build(elem, lines)
    if root.tag != "View":
        raise ConfigError(f"{_describe(root)}: the root tag must be <View>{_at(root)}")
    return Config(xml, root)

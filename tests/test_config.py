"""Tests for the Label Studio config parser (nblabel.config._parse, _config_compat, _tags)."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest

import ls_templates
from nblabel.config._compat import check_compatible
from nblabel.config._parse import Config, ConfigError, parse_config
from nblabel._errors import ConfigError as ErrorsConfigError
from nblabel._errors import QueueEmpty, TaskChanged
from nblabel.config._tags import TAGS, lookup, suggest

TEMPLATES = ls_templates.slugs()  # the official templates, from the label-studio package (tests/ls_templates.py)
needs_templates = pytest.mark.skipif(ls_templates.missing_reason() is not None,
                                     reason=ls_templates.missing_reason() or "")

RENDERED = {"View", "Header", "Style", "Text", "Choices", "Choice", "TextArea", "Rating", "Number", "Labels", "Label",
            "Relations", "Relation", "HyperText", "HyperTextLabels", "Paragraphs", "ParagraphLabels", "Chat", "Table",
            "List", "Ranker", "Bucket", "Pairwise", "Taxonomy", "DateTime"}
RENDERED |= {"Audio", "AudioPlus"}  # media objects
RENDERED |= {"Image", "RectangleLabels", "Rectangle", "PolygonLabels", "Polygon", "KeyPointLabels", "KeyPoint",
             "EllipseLabels", "Ellipse", "OcrLabels"}  # the Image object and its vector tools
RENDERED |= {"TimeSeries", "TimeSeriesLabels", "Channel"}  # time series
RENDERED |= {"Pdf"}  # Pdf (page images or the browser's viewer)
RENDERED |= {"BrushLabels", "Brush"}  # brush masks (Label Studio RLE)
RENDERED |= {"Video", "VideoRectangle", "TimelineLabels"}  # video
RENDERED |= {"Repeater"}  # repeated blocks

SENTIMENT = """<View>
  <Text name="text" value="$review_text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices></View>"""


def template(slug: str) -> str:
    src = ls_templates.source()
    if src is None or not src.has(slug):
        pytest.skip(ls_templates.missing_reason() or f"template {slug} not in {src}")
    return src.config(slug)


def sentiment(choices: str = "Positive,Negative,Neutral", name: str = "sentiment",
              tag: str = "Choices") -> str:
    opts = "".join(f'<Choice value="{c}"/>' for c in choices.split(","))
    return f'<View><Text name="text" value="$text"/><{tag} name="{name}" toName="text">{opts}</{tag}></View>'


# ----------------------------------------------------------------------- errors module
def test_error_classes() -> None:
    assert ConfigError is ErrorsConfigError
    assert issubclass(ConfigError, ValueError)
    assert issubclass(QueueEmpty, RuntimeError)
    assert issubclass(TaskChanged, ValueError)


# ------------------------------------------------------------------------ templates
@needs_templates
def test_all_69_templates_present() -> None:
    assert len(TEMPLATES) == 69


@needs_templates
@pytest.mark.parametrize("slug", TEMPLATES)
def test_template_parses(slug: str) -> None:
    xml = template(slug)
    config = parse_config(xml)
    assert config.root.tag == "View"
    assert config.controls or config.objects
    json.dumps(config.to_json())  # the front-end tree is plain JSON
    json.dumps(config.signature())
    assert re.fullmatch(r"[0-9a-f]{12}", config.hash)
    # every control points at objects that exist (or at itself, for self-referencing tags)
    for control in config.controls.values():
        for target in control.to_name:
            assert target in config.objects or target == control.name


@needs_templates
@pytest.mark.parametrize("slug", TEMPLATES)
def test_template_tags_are_known(slug: str) -> None:
    # ElementTree drops comments, so sample JSON (which contains <img> etc.) is ignored.
    root = ElementTree.fromstring(template(slug))
    for elem in root.iter():
        info = lookup(elem.tag)
        assert info is not None, f"{elem.tag} in {slug}"
        assert info.tag == elem.tag, "templates use canonical casing"


@needs_templates
def test_templates_use_expected_tag_set() -> None:
    seen: set[str] = set()
    for slug in TEMPLATES:
        seen |= {n.tag for n in _walk(parse_config(template(slug)).root)}
    expected = {
        "View", "Header", "Style", "Text", "HyperText", "Image", "Audio", "Video", "Pdf",
        "Paragraphs", "Chat", "Table", "List", "TimeSeries", "Channel", "Choices", "Choice",
        "Labels", "Label", "HyperTextLabels", "ParagraphLabels", "Rectangle",
        "RectangleLabels", "Polygon", "PolygonLabels", "KeyPointLabels", "BrushLabels",
        "TextArea", "Rating", "Taxonomy", "Relations", "Relation", "Pairwise", "Ranker",
        "Bucket", "TimeSeriesLabels", "TimelineLabels", "VideoRectangle", "OcrLabels",
    }
    assert seen == expected


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)


# ---------------------------------------------------------------------- tag registry
def test_registry_kinds_and_types() -> None:
    kinds = {info.kind for info in TAGS.values()}
    assert kinds == {"visual", "object", "control", "option"}
    for key, info in TAGS.items():
        assert key == info.tag.lower()
        if info.kind == "control":
            assert info.type == ("relation" if info.tag == "Relations" else info.tag.lower())
        else:
            assert info.type is None
    assert {i.tag for i in TAGS.values() if i.rendered} == RENDERED
    for name in ("Text", "HyperText", "Image", "Audio", "AudioPlus", "Video", "Pdf",
                 "Paragraphs", "Chat", "Table", "List", "TimeSeries"):
        assert lookup(name).kind == "object"  # type: ignore[union-attr]
    for name in ("Choices", "Labels", "BrushLabels", "MagicWand", "DateTime", "Taxonomy",
                 "Pairwise", "Ranker", "VideoRectangle", "OcrLabels", "VectorLabels",
                 "BitmaskLabels", "TimelineLabels", "TimeSeriesLabels"):
        assert lookup(name).kind == "control"  # type: ignore[union-attr]
    for name in ("Choice", "Label", "Relation", "Bucket", "Shortcut", "Channel"):
        assert lookup(name).kind == "option"  # type: ignore[union-attr]
    for name in ("View", "Header", "Style", "Collapse", "Filter", "Markdown", "Repeater"):
        assert lookup(name).kind == "visual"  # type: ignore[union-attr]


def test_lookup_is_case_insensitive() -> None:
    assert lookup("choices").tag == "Choices"  # type: ignore[union-attr]
    assert lookup("TEXTAREA").tag == "TextArea"  # type: ignore[union-attr]
    assert lookup("hypertextlabels").tag == "HyperTextLabels"  # type: ignore[union-attr]
    assert lookup("Nope") is None
    assert "Choices" in suggest("Choises")


# ------------------------------------------------------------------------ the tree
def test_to_json_shape() -> None:
    config = parse_config(SENTIMENT)
    tree = config.to_json()
    assert set(tree) == {"tag", "kind", "attrs", "text", "children", "supported"}
    assert tree["tag"] == "View" and tree["kind"] == "visual" and tree["supported"] is True
    assert tree["text"] is None
    text, choices = tree["children"]
    assert text == {"tag": "Text", "kind": "object",
                    "attrs": {"name": "text", "value": "$review_text"},
                    "text": None, "children": [], "supported": True}
    assert choices["kind"] == "control"
    assert choices["attrs"] == {"name": "sentiment", "toName": "text", "choice": "single"}
    assert [c["attrs"]["value"] for c in choices["children"]] == ["Positive", "Negative", "Neutral"]
    assert {c["kind"] for c in choices["children"]} == {"option"}
    assert json.loads(json.dumps(tree)) == tree


def test_mission_config_model() -> None:
    config = parse_config(SENTIMENT)
    assert list(config.objects) == ["text"]
    obj = config.objects["text"]
    assert (obj.name, obj.tag, obj.value, obj.field) == ("text", "Text", "$review_text", "review_text")
    control = config.controls["sentiment"]
    assert control.tag == "Choices" and control.type == "choices"
    assert control.to_name == ("text",)
    assert control.options == ("Positive", "Negative", "Neutral")
    assert control.single is True and control.dynamic is False
    assert control.node.tag == "Choices" and control.node.name == "sentiment"
    assert config.fields == ("review_text",)
    assert config.unsupported == ()
    assert config.xml == SENTIMENT


def test_text_comments_and_lines() -> None:
    xml = """<View>
  <!-- a comment -->
  <Style> .a { color: red } <!-- inside --> .b { } </Style>
  <Header>Pick one</Header>
  <Text name="t" value="$t"/>
</View>
<!-- {"data": {"t": "<img src=x>"}} -->"""
    config = parse_config(xml)
    style, header, text = config.root.children
    assert style.text == ".a { color: red }  .b { }"
    assert header.text == "Pick one" and header.line == 4
    assert text.line == 5 and text.text is None
    assert config.root.line == 1


def test_leading_whitespace_and_declaration() -> None:
    config = parse_config('\n\n<?xml version="1.0"?>\n<View><Text name="t" value="$t"/></View>')
    assert config.root.line == 4
    assert config.objects["t"].node.line == 4


def test_case_insensitive_tags() -> None:
    xml = """<view><TEXT name="text" value="$text"/>
      <choices name="c" toName="text" choice="multiple"><choice value="A"/><CHOICE value="B"/></choices>
      <textarea name="notes" toName="text"/></view>"""
    config = parse_config(xml)
    tree = config.to_json()
    assert [tree["tag"]] + [c["tag"] for c in tree["children"]] == ["View", "Text", "Choices", "TextArea"]
    assert config.controls["c"].tag == "Choices" and config.controls["c"].options == ("A", "B")
    assert config.controls["c"].single is False
    assert config.controls["notes"].type == "textarea"
    assert config.objects["text"].tag == "Text"


def test_rendered_unsupported_split() -> None:
    xml = """<View>
      <Image name="img" value="$image"/>
      <VectorLabels name="vec" toName="img"><Label value="Road"/></VectorLabels>
      <Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="A"/></Choices>
      <Labels name="l" toName="text"><Label value="X"/></Labels>
      <Rating name="r" toName="text"/><Number name="n" toName="text"/>
    </View>"""
    config = parse_config(xml)
    assert config.unsupported == ("VectorLabels",)
    flags = {n["tag"]: n["supported"] for n in config.to_json()["children"]}
    assert flags == {"Image": True, "VectorLabels": False, "Text": True, "Choices": True,
                     "Labels": True, "Rating": True, "Number": True}
    # unsupported tags still parse into the model
    assert config.controls["vec"].type == "vectorlabels"
    assert config.controls["vec"].options == ("Road",)


@needs_templates
def test_every_official_template_is_drawn() -> None:
    """All 69 official templates parse with no tag this version cannot draw."""
    assert len(TEMPLATES) == 69
    unsupported = {slug: parse_config(template(slug)).unsupported for slug in TEMPLATES}
    assert {stem: tags for stem, tags in unsupported.items() if tags} == {}


# -------------------------------------------------------------------------- fields
def test_fields_extraction() -> None:
    xml = """<View>
      <Header value="Review by $author for $product.name costs $5"/>
      <Text name="t" value="$text"/>
      <Paragraphs name="p" value="$dialogue" audioUrl="$audio"/>
      <List name="items" value="$items.list"/>
      <Image name="i" valueList="$pages[0]"/>
      <Text name="lit" value="Plain text, no fields"/>
      <Text name="again" value="$text"/>
      <Choices name="c" toName="t" value="$options"/>
      <TextArea name="ta" toName="t" placeholder="Price in $"/>
    </View>"""
    config = parse_config(xml)
    assert config.fields == ("author", "product", "text", "dialogue", "audio", "items",
                             "pages", "options")
    assert config.objects["lit"].field is None and config.objects["lit"].value.startswith("Plain")
    assert config.objects["items"].field == "items"
    assert config.objects["i"].value == "$pages[0]" and config.objects["i"].field == "pages"


@needs_templates
def test_fields_from_templates() -> None:
    assert parse_config(template("chat__chatbot")).fields == ("chat", "max")
    assert parse_config(template("audio-speech-processing__conversational-analysis")).fields == (
        "audio", "text")
    assert parse_config(template("computer-vision__multipage-documents")).fields == ("pages",)


def test_check_fields_ok_and_missing() -> None:
    config = parse_config(SENTIMENT)
    config.check_fields(["review_text", "other"])
    with pytest.raises(ConfigError, match=r'<Text name="text"> value="\$review_text": no column '
                                          r'"review_text" in the data \(columns: a, b\)') as exc:
        config.check_fields(["b", "a"])
    assert "line 2" in str(exc.value)


def test_check_fields_lists_first_20_sorted() -> None:
    config = parse_config(SENTIMENT)
    columns = [f"col{i:02d}" for i in range(30, 0, -1)]
    with pytest.raises(ConfigError) as exc:
        config.check_fields(iter(columns))
    message = str(exc.value)
    assert "columns: col01, col02," in message and "col20" in message
    assert "col21" not in message and "10 more" in message


def test_check_fields_names_header_and_other_missing() -> None:
    config = parse_config('<View><Header value="Hi $who"/><Text name="t" value="$body"/></View>')
    with pytest.raises(ConfigError, match=r'<Header> value="Hi \$who": no column "who".*also missing: body'):
        config.check_fields(["x"])
    config.check_fields(["who", "body"])


def test_check_fields_non_string_columns() -> None:
    config = parse_config('<View><Text name="t" value="$0"/></View>')
    config.check_fields([0, 1])


# -------------------------------------------------------------------- control model
@needs_templates
def test_taxonomy_nested_options_flatten() -> None:
    control = parse_config(template("natural-language-processing__taxonomy")).controls["taxonomy"]
    assert control.type == "taxonomy" and control.single is False
    assert control.options == ("Archaea", "Bacteria", "Eukarya", "Human", "Oppossum", "Extraterrestial")


@needs_templates
def test_control_details_from_templates() -> None:
    retrieval = parse_config(template("ranking-and-scoring__document-retrieval")).controls["selection"]
    assert retrieval.options == ("One", "Two")  # duplicate "Two" kept once, like the SDK
    assert retrieval.single is False
    tweet = parse_config(template(
        "community-contributions__two-level-sentiment-analysis-of-x-twitter-posts"))
    assert tweet.controls["other-props"].options[0] == "Descriptive"  # options found below <View>
    serp = parse_config(template("ranking-and-scoring__serp-ranking"))
    assert serp.controls["dynamic_choices"].dynamic and serp.controls["dynamic_choices"].options == ()
    assert serp.controls["relevance"].single is True
    assert parse_config(template("computer-vision__inventory-tracking")).controls["objects"].dynamic
    pdf = parse_config(template("structured-data-parsing__pdf-classification")).controls["choices"]
    assert pdf.single is True  # choice="single-radio"
    pair = parse_config(template("ranking-and-scoring__pairwise-classification")).controls["pw"]
    assert pair.to_name == ("text1", "text2") and pair.type == "pairwise"
    rel = parse_config(template("natural-language-processing__relation-extraction"))
    assert "Relations" not in rel.unsupported and list(rel.controls) == ["label"]
    likert = parse_config(template("generative-ai__chatbot-assessment")).controls["likert_scale"]
    assert likert.to_name == ()  # LS template with no toName still parses
    multi = parse_config(template("community-contributions__breast-cancer-mammogram-classification"))
    assert multi.controls["birads_left"].to_name == ("left_cc", "right_cc", "left_mlo", "right_mlo")


def test_single_for_scalar_controls() -> None:
    xml = """<View><Text name="t" value="$t"/>
      <TextArea name="a" toName="t"/><Rating name="r" toName="t"/><Number name="n" toName="t"/>
      <DateTime name="d" toName="t"/><Rating name="rr" toName="t" perRegion="true"/>
      <Labels name="l" toName="t"><Label value="X"/></Labels>
      <Choices name="c" toName="t" choice="multiple"><Choice value="A"/></Choices>
      <Choices name="c2" toName="t"><Choice value="A" alias="a"/></Choices></View>"""
    c = parse_config(xml).controls
    assert {k: v.single for k, v in c.items()} == {
        "a": True, "r": True, "n": True, "d": True, "rr": False, "l": False, "c": False, "c2": True}
    assert c["c2"].options == ("A",)  # alias ignored
    assert c["n"].type == "number" and c["d"].type == "datetime"


def test_self_referencing_react_code() -> None:
    config = parse_config('<View><ReactCode name="app" toName="app" data="$payload"/></View>')
    assert config.controls["app"].to_name == ("app",)
    assert config.fields == ("payload",)


def test_compare_with_label_studio_sdk() -> None:
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    xml = template("natural-language-processing__text-classification")
    ours = parse_config(xml)
    theirs = sdk.LabelInterface(xml)
    assert {c.name: (c.tag, tuple(c.to_name), tuple(c.labels)) for c in theirs.controls} == {
        c.name: (c.tag, c.to_name, c.options) for c in ours.controls.values()}
    assert {o.name: o.tag for o in theirs.objects} == {o.name: o.tag for o in ours.objects.values()}


@needs_templates
@pytest.mark.parametrize("slug", TEMPLATES)
def test_agrees_with_sdk_on_every_template(slug: str) -> None:
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    xml = template(slug)
    ours = parse_config(xml)
    theirs = sdk.LabelInterface(xml)
    # Known, deliberate differences: the SDK models <Chat> as a control (we keep it an
    # object, as the LS editor does) and skips controls without toName.
    expected = {
        c.name: (c.tag, list(c.to_name), list(c.labels), bool(c.dynamic_value))
        for c in theirs.controls if c.tag not in ("Chat", "ChatMessage")
    }
    got = {c.name: (c.tag, list(c.to_name), list(c.options), c.dynamic)
           for c in ours.controls.values() if c.to_name}
    assert got == expected


# -------------------------------------------------------------------------- errors
@pytest.mark.parametrize("bad", ["", "   \n ", None, b"<View/>", 42])
def test_empty_or_non_string(bad: object) -> None:
    with pytest.raises(ConfigError, match="empty|must be an XML string"):
        parse_config(bad)  # type: ignore[arg-type]


def test_malformed_xml_has_line_and_column() -> None:
    # an unclosed tag is named at its own line, not at the closing tag where the parser noticed
    with pytest.raises(ConfigError, match=r"malformed XML: <Text> at line 2 is never closed .*stopped at line 3, "
                                          r"column \d+: mismatched tag"):
        parse_config('<View>\n  <Text name="t" value="$t">\n</View>')
    with pytest.raises(ConfigError, match=r"<Choice> at line 4 is never closed"):
        parse_config('<View>\n<Text name="t" value="$t"/>\n<Choices name="c" toName="t">\n  <Choice value="A">\n'
                     '  <Choice value="B"/>\n</Choices>\n</View>')
    with pytest.raises(ConfigError, match=r"malformed XML: <View> at line 1 is never closed"):
        parse_config("<View><Text name='t' value='$t'/>")
    with pytest.raises(ConfigError, match=r"malformed XML at line 1, column 1: syntax error"):
        parse_config("just text")


def test_labeler_config_errors_surface_at_the_call_with_a_near_miss_column() -> None:
    import gc
    import sys
    import traceback

    import pandas as pd

    import nblabel
    df = pd.DataFrame({"review_text": ["a"]})
    unraisable, hook = [], sys.unraisablehook
    sys.unraisablehook = unraisable.append  # a half-built widget must not complain when it is collected
    try:
        with pytest.raises(ConfigError) as err:
            nblabel.Labeler(df, '<View><Text name="t" value="$review_txt"/></View>', store=":memory:")
        message, exc = str(err.value), err.value
        frames = traceback.extract_tb(exc.__traceback__)
        del err, exc
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert "did you mean `review_text`?" in message
    inside = [f.filename for f in frames if "/nblabel/" in f.filename.replace("\\", "/")
              and not f.filename.endswith("_errors.py")]
    assert inside == [], inside  # only the caller's line and the re-raise: no parser internals
    assert unraisable == []


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<View><Header value="&lol3;"/></View>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE View [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<View><Header value="&xxe;"/></View>"""

PARAM_ENTITY = """<!DOCTYPE View [<!ENTITY % remote SYSTEM "http://example.com/x.dtd"> %remote;]>
<View/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL, PARAM_ENTITY,
                                 '<!DOCTYPE View SYSTEM "http://example.com/v.dtd"><View/>',
                                 "<!DOCTYPE View><View/>"],
                         ids=["billion-laughs", "external-entity", "parameter-entity",
                              "external-dtd", "doctype"])
def test_entities_and_dtd_forbidden(xml: str) -> None:
    with pytest.raises(ConfigError, match="entity declarations are not allowed"):
        parse_config(xml)


def test_undeclared_entity_is_malformed() -> None:
    with pytest.raises(ConfigError, match="malformed XML.*undefined entity"):
        parse_config('<View><Header value="&nope;"/></View>')


def test_root_must_be_view() -> None:
    with pytest.raises(ConfigError, match=r"<Text name=\"t\">: the root tag must be <View>"):
        parse_config('<Text name="t" value="$t"/>')
    with pytest.raises(ConfigError, match="root tag must be <View>"):
        parse_config("<Header value='x'/>")


def test_unknown_tag_suggests() -> None:
    with pytest.raises(ConfigError, match=r"<Choises>: unknown Label Studio tag; did you mean "
                                          r"<Choices>.*\(line 2\)"):
        parse_config('<View><Text name="t" value="$t"/>\n<Choises name="c" toName="t"/></View>')
    with pytest.raises(ConfigError, match=r"<div>: unknown Label Studio tag"):
        parse_config("<View><div>hi</div></View>")


def test_control_without_name() -> None:
    with pytest.raises(ConfigError, match=r'<Choices>: attribute name="..." is required \(line 1\)'):
        parse_config('<View><Text name="t" value="$t"/><Choices toName="t"/></View>')


def test_object_without_name_or_value() -> None:
    with pytest.raises(ConfigError, match=r'<Text>: attribute name="..." is required'):
        parse_config('<View><Text value="$t"/></View>')
    with pytest.raises(ConfigError, match=r'<Text name="t">: attribute value="\$field" is required'):
        parse_config('<View><Text name="t"/></View>')
    with pytest.raises(ConfigError, match=r'<Image name="i">: attribute value="\$field" \(or valueList=\)'):
        parse_config('<View><Image name="i"/></View>')


@pytest.mark.parametrize("xml, first", [
    ('<View><Text name="x" value="$a"/><Choices name="x" toName="x"/></View>', "Choices"),
    ('<View><Text name="x" value="$a"/><Text name="x" value="$b"/></View>', "Text"),
    ('<View><Text name="t" value="$a"/><Rating name="r" toName="t"/><TextArea name="r" toName="t"/></View>',
     "TextArea"),
])
def test_duplicate_names(xml: str, first: str) -> None:
    with pytest.raises(ConfigError, match=rf'<{first} name="\w">.*duplicate name, already used by'):
        parse_config(xml)


def test_to_name_naming_nothing() -> None:
    xml = '<View><Text name="text" value="$t"/><Choices name="sentiment" toName="txt"/></View>'
    with pytest.raises(ConfigError, match=re.escape(
            '<Choices name="sentiment"> toName="txt": no object tag named "txt" (objects: text)')):
        parse_config(xml)
    with pytest.raises(ConfigError, match=r'no object tag named "b" \(objects: a\)'):
        parse_config('<View><Text name="a" value="$t"/><Rating name="r" toName="a, b"/></View>')
    with pytest.raises(ConfigError, match=r'no object tag named "r2" \(that is a control\)'):
        parse_config('<View><Text name="a" value="$t"/><Rating name="r2" toName="a"/>'
                     '<Rating name="r" toName="r2"/></View>')
    with pytest.raises(ConfigError, match=r"\(objects: none\)"):
        parse_config('<View><Rating name="r" toName="x"/></View>')


def test_pairwise_needs_two() -> None:
    with pytest.raises(ConfigError, match=r'<Pairwise name="pw"> toName="a": Pairwise compares exactly two'):
        parse_config('<View><Text name="a" value="$a"/><Pairwise name="pw" toName="a"/></View>')


def test_too_deep() -> None:
    xml = "<View>" * 150 + "</View>" * 150
    with pytest.raises(ConfigError, match="nested more than"):
        parse_config(xml)


# ------------------------------------------------------------- signature and hash
def test_signature_shape() -> None:
    sig = parse_config(SENTIMENT).signature()
    assert sig == {
        "controls": {"sentiment": {"tag": "Choices", "type": "choices", "to_name": ["text"],
                                   "options": ["Positive", "Negative", "Neutral"]}},
        "objects": {"text": "Text"},
    }
    assert json.loads(json.dumps(sig)) == sig


def test_hash_stability() -> None:
    base = parse_config(sentiment()).hash
    assert re.fullmatch(r"[0-9a-f]{12}", base)
    assert parse_config(sentiment()).hash == base
    # formatting, attribute order and casing do not matter
    reformatted = ('<view>\n  <TEXT value="$text" name="text"/>\n  <choices toName="text" name="sentiment">'
                   '<Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>'
                   "</choices>\n</view>")
    assert parse_config(reformatted).hash == base
    assert parse_config(sentiment("Positive,Negative,Neutral,Mixed")).hash == base  # add a choice
    assert parse_config(sentiment("Positive")).hash == base  # options are not identity
    assert parse_config(sentiment(name="mood")).hash != base  # rename control
    assert parse_config(sentiment(tag="Taxonomy")).hash != base  # change type


def test_hash_changes_with_objects_and_targets() -> None:
    base = parse_config(SENTIMENT)
    other = parse_config(SENTIMENT.replace('name="text"', 'name="body"').replace('toName="text"',
                                                                                 'toName="body"'))
    assert base.hash != other.hash
    assert isinstance(base, Config) and "Config" in repr(base)


# -------------------------------------------------------------- check_compatible
def test_compatible_identical_and_adding() -> None:
    stored = parse_config(sentiment()).signature()
    assert check_compatible(stored, parse_config(sentiment())) == stored
    merged = check_compatible(json.loads(json.dumps(stored)),
                              parse_config(sentiment("Positive,Negative,Neutral,Mixed")))
    assert merged["controls"]["sentiment"]["options"] == ["Positive", "Negative", "Neutral", "Mixed"]
    # adding a whole control and object is fine too
    bigger = sentiment().replace("</View>", '<Text name="t2" value="$x"/><TextArea name="n" toName="t2"/></View>')
    merged = check_compatible(stored, parse_config(bigger))
    assert set(merged["controls"]) == {"sentiment", "n"} and set(merged["objects"]) == {"text", "t2"}


def test_compatible_reordered_choices_keep_config_order() -> None:
    stored = parse_config(sentiment()).signature()
    merged = check_compatible(stored, parse_config(sentiment("Neutral,Negative,Positive")))
    assert merged["controls"]["sentiment"]["options"] == ["Neutral", "Negative", "Positive"]


def test_removing_or_renaming_choice_raises() -> None:
    stored = parse_config(sentiment()).signature()
    with pytest.raises(ConfigError, match=r"<Choices name=\"sentiment\">: option\(s\) 'Neutral' were "
                                          r"removed or renamed.*adding choices or labels is fine"):
        check_compatible(stored, parse_config(sentiment("Positive,Negative")))
    with pytest.raises(ConfigError, match="'Negative' were removed or renamed"):
        check_compatible(stored, parse_config(sentiment("Positive,Bad,Neutral")))


def test_changing_control_type_or_name_raises() -> None:
    stored = parse_config(sentiment()).signature()
    with pytest.raises(ConfigError, match=r'was <Choices> \(type "choices"\).*tag or type is not compatible'):
        check_compatible(stored, parse_config(sentiment(tag="Taxonomy")))
    with pytest.raises(ConfigError, match=r'<Choices name="sentiment"> is missing.*removed or renamed.*'
                                          r"Controls now: mood"):
        check_compatible(stored, parse_config(sentiment(name="mood")))


def test_object_changes_raise() -> None:
    stored = parse_config(SENTIMENT).signature()
    renamed = SENTIMENT.replace('name="text"', 'name="body"').replace('toName="text"', 'toName="body"')
    with pytest.raises(ConfigError, match=r'<Text name="text"> is missing.*Objects now: body'):
        check_compatible(stored, parse_config(renamed))
    retagged = SENTIMENT.replace("<Text ", "<HyperText ")
    with pytest.raises(ConfigError, match=r"<HyperText name=\"text\">: was <Text>"):
        check_compatible(stored, parse_config(retagged))


def test_dropping_to_name_target_raises() -> None:
    two = ('<View><Text name="a" value="$a"/><Text name="b" value="$b"/>'
           '<Rating name="r" toName="{}"/></View>')
    stored = parse_config(two.format("a,b")).signature()
    with pytest.raises(ConfigError, match=r"no longer targets b"):
        check_compatible(stored, parse_config(two.format("a")))
    stored = parse_config(two.format("a")).signature()
    check_compatible(stored, parse_config(two.format("a,b")))  # adding a target is fine


def test_dynamic_options_are_not_compared() -> None:
    xml = '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts"/></View>'
    stored = {"controls": {"c": {"tag": "Choices", "type": "choices", "to_name": ["t"],
                                 "options": ["from-data"]}}, "objects": {"t": "Text"}}
    merged = check_compatible(stored, parse_config(xml))
    assert merged["controls"]["c"]["options"] == ["from-data"]


@pytest.mark.parametrize("stored", [{}, None, {"controls": {}}, "nope", {"controls": {"c": 1}, "objects": {}}])
def test_unreadable_stored_signature(stored: object) -> None:
    with pytest.raises(ConfigError, match="signature is unreadable"):
        check_compatible(stored, parse_config(SENTIMENT))  # type: ignore[arg-type]

"""`<Repeater>` in the config: templates for the static view, concrete indexed names (`labels_2`) resolved to
them, checked against the task's list (an index the task does not have is refused, never stored), and the
Labeler answering, storing and exporting repeated controls."""

from __future__ import annotations

import pandas as pd
import pytest

import nblabel
from nblabel import ConfigError, parse_config
from nblabel.results._validate import normalize_result

CONFIG = """<View><Repeater on="$images" indexFlag="{{idx}}">
  <Image name="page_{{idx}}" value="$images[{{idx}}].url"/>
  <RectangleLabels name="labels_{{idx}}" toName="page_{{idx}}"><Label value="Cat"/></RectangleLabels>
</Repeater></View>"""
DATA = {"images": [{"url": "https://example.org/a.jpg"}, {"url": "https://example.org/b.jpg"},
                   {"url": "https://example.org/c.jpg"}]}


def _box(k, to=None):
    return {"from_name": f"labels_{k}", "to_name": to or f"page_{k}", "type": "rectanglelabels",
            "original_width": 100, "original_height": 50,
            "value": {"x": 10, "y": 10, "width": 20, "height": 30, "rotation": 0, "rectanglelabels": ["Cat"]}}


def test_static_view_has_one_control_per_template():
    cfg = parse_config(CONFIG)
    assert list(cfg.controls) == ["labels_{{idx}}"] and list(cfg.objects) == ["page_{{idx}}"]
    template = cfg.controls["labels_{{idx}}"]
    assert (template.type, template.options, template.to_name) == ("rectanglelabels", ("Cat",), ("page_{{idx}}",))
    assert template.repeat[0].on == "$images" and template.index == ()
    assert cfg.fields == ("images",)
    assert set(cfg.signature()["controls"]) == {"labels_{{idx}}"}


def test_concrete_names_resolve_with_the_index_in_every_attribute():
    cfg = parse_config(CONFIG)
    c = cfg.controls["labels_2"]
    assert (c.name, c.to_name, c.index, c.type, c.options) == ("labels_2", ("page_2",), (2,), "rectanglelabels",
                                                               ("Cat",))
    assert cfg.objects["page_11"].value == "$images[11].url"
    for name in ("labels_", "labels_02", "labels_-1", "labels_x", "labels_{{idx}}x", "page_1"):
        assert name not in cfg.controls
    assert cfg.controls.get("labels_03") is None
    assert cfg.repeated_names(["labels_10", "images", "labels_2"]) == ["labels_2", "labels_10"]


def test_results_are_checked_against_the_tasks_list():
    cfg = parse_config(CONFIG)
    ok = normalize_result([_box(0), _box(2)], cfg, DATA)
    assert [r["from_name"] for r in ok] == ["labels_0", "labels_2"]
    with pytest.raises(ValueError, match=r"'labels_7' names item 7 of \$images .*this task has items 0 to 2"):
        normalize_result([_box(7)], cfg, DATA)
    with pytest.raises(ValueError, match="to_name='page_1' is not what"):
        normalize_result([_box(2, to="page_1")], cfg, DATA)
    with pytest.raises(ValueError, match="not a control"):
        normalize_result([{**_box(0), "from_name": "labels_{{idx}}x"}], cfg, DATA)
    with pytest.raises(ValueError, match="is the template of a <Repeater>'s controls: .* 'labels_0'"):
        normalize_result([{**_box(0), "from_name": "labels_{{idx}}", "to_name": "page_{{idx}}"}], cfg, DATA)
    with pytest.raises(ValueError, match="this task has no items"):
        normalize_result([_box(0)], cfg, {"images": []})


def test_nested_repeaters_and_custom_flags():
    cfg = parse_config("""<View><Repeater on="$docs" indexFlag="{{d}}">
      <Repeater on="$docs[{{d}}].pages" indexFlag="[p]">
        <Text name="t_{{d}}_[p]" value="$docs[{{d}}].pages[[p]]"/>
        <Choices name="c_{{d}}_[p]" toName="t_{{d}}_[p]"><Choice value="y"/></Choices>
      </Repeater></Repeater></View>""")
    c = cfg.controls["c_1_0"]
    assert (c.to_name, c.index, [r.on for r in c.repeat]) == (("t_1_0",), (1, 0), ["$docs", "$docs[1].pages"])
    data = {"docs": [{"pages": ["a"]}, {"pages": ["b", "c"]}]}
    item = {"from_name": "c_1_1", "to_name": "t_1_1", "type": "choices", "value": {"choices": ["y"]}}
    assert normalize_result([item], cfg, data)[0]["from_name"] == "c_1_1"
    with pytest.raises(ValueError, match=r"item 1 of \$docs\[0\].pages"):
        normalize_result([{**item, "from_name": "c_0_1", "to_name": "t_0_1"}], cfg, data)


@pytest.mark.parametrize("xml,match", [
    ('<View><Repeater><Text name="t_{{idx}}" value="$x"/></Repeater></View>', 'on="\\$field"'),
    ('<View><Repeater on="$x"><Text name="t" value="$x"/></Repeater></View>', r"repeats one name.*t_\{\{idx\}\}"),
    ('<View><Repeater on="$x" indexFlag=""><Text name="t" value="$x"/></Repeater></View>', 'indexFlag=""'),
    ('<View><Text name="t_0" value="$y"/><Repeater on="$x"><Text name="t_{{idx}}" value="$x"/></Repeater></View>',
     'also one that "t_{{idx}}" takes'),
])
def test_bad_repeaters_are_clear_errors(xml, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(xml)


def test_labeler_stores_and_exports_repeated_answers(tmp_path):
    df = pd.DataFrame({"images": [DATA["images"], DATA["images"][:1]]})
    lab = nblabel.Labeler(df, CONFIG, store=":memory:")
    with pytest.raises(ValueError, match="'labels_3' names item 3"):
        lab.submit([_box(3)])
    lab.submit([_box(0), _box(2)])
    with pytest.raises(ValueError, match="this task has items 0 to 0"):
        lab.submit([_box(1)])
    lab.submit([_box(0)])
    out = lab.to_pandas()
    assert len(out["labels_2"].tolist()[0]) == 1 and out["labels_2"].tolist()[1] is None
    assert "labels_{{idx}}" not in out.columns and "labels_1" not in out.columns  # one column per name answered
    assert out["labels_0"].tolist()[1][0]["rectanglelabels"] == ["Cat"]
    back = nblabel.read_label_studio(lab.export(tmp_path / "min.json", format="JSON_MIN"), config=CONFIG)
    assert [[r["from_name"] for r in anns[0]["result"]] for anns in back["annotations"]] == [
        ["labels_0", "labels_2"], ["labels_0"]]


def test_browser_messages_carry_the_list_and_out_of_range_names_are_nacked(tmp_path):
    import threading
    import uuid

    from helpers import deliver, task_payload

    df = pd.DataFrame({"images": [DATA["images"]]})
    lab = nblabel.Labeler(df, CONFIG, store=tmp_path / "s.db")
    assert task_payload(lab, "0")["data"] == {"images": DATA["images"]}  # the whole list, for the browser to expand
    assert any(n["tag"] == "Repeater" and n["supported"] for n in lab.config.to_json()["children"])
    sent: list[dict] = []
    lab.send = lambda content, buffers=None: sent.append(content)
    for result in ([_box(5)], [_box(1)]):
        msg = {"type": "submit", "id": uuid.uuid4().hex, "key": "0", "lead_time": 1.0, "result": result}
        t = threading.Thread(target=deliver, args=(lab, msg))  # like a kernel subshell
        t.start()
        t.join()
    nack = next(m for m in sent if m["type"] == "nack")
    assert "'labels_5' names item 5 of $images" in nack["message"]
    assert [m["type"] for m in sent if m["type"] in ("ack", "nack")] == ["nack", "ack"]
    assert [r["from_name"] for r in lab.to_pandas()["annotations"][0][0]["result"]] == ["labels_1"]


def test_a_repeated_video_track_takes_the_labels_of_its_own_item():
    cfg = parse_config("""<View><Repeater on="$clips">
      <Video name="video_{{idx}}" value="$clips[{{idx}}]"/>
      <Labels name="who_{{idx}}" toName="video_{{idx}}"><Label value="Man"/></Labels>
      <VideoRectangle name="track_{{idx}}" toName="video_{{idx}}"/></Repeater></View>""")
    assert [c.name for c in cfg.controls_on("video_1")] == ["who_1", "track_1"]
    frame = {"x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0, "frame": 1, "enabled": True, "time": 0.04}
    item = {"from_name": "track_1", "to_name": "video_1", "type": "videorectangle",
            "value": {"sequence": [frame], "labels": ["Man"]}}
    data = {"clips": ["https://x.test/a.mp4", "https://x.test/b.mp4"]}
    assert normalize_result([item], cfg, data)[0]["value"]["labels"] == ["Man"]
    with pytest.raises(ValueError, match="'Dog' is not a label of the <Labels> on 'video_1'"):
        normalize_result([{**item, "value": {"sequence": [frame], "labels": ["Dog"]}}], cfg, data)

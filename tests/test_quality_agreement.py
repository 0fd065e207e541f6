"""Agreement per control type, the report's tables, consensus, annotator statistics, HTML and plots."""

from __future__ import annotations

import pytest

import nblabel
from helpers import CONFIG, FULL_CONFIG, NER_CONFIG, choice, frame
from nblabel.quality._metrics import edit_similarity, levenshtein
from nblabel.quality._shapes import polygon_iou, _rectangle

BOXES = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
<Choices name="kind" toName="img" perRegion="true"><Choice value="new"/><Choice value="old"/></Choices></View>"""


def ann(who: str, result: list, **extra) -> dict:
    return {"id": hash((who, repr(result))) % 10**6, "completed_by": {"email": f"{who}@nblabel.local"},
            "result": result, "was_cancelled": False, **extra}


def task(i, *anns, **data) -> dict:
    return {"id": i, "data": data or {"text": "Alice went to Paris"}, "annotations": list(anns)}


def span(start, end, label, name="ner"):
    text = "Alice went to Paris"
    return {"from_name": name, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def box(x, y, w, h, label, rid="r"):
    return {"id": rid, "from_name": "box", "to_name": "img", "type": "rectanglelabels",
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [label]}}


def test_label_studio_pairwise_and_consensus_scoring():
    """3 annotators, 2 agree: pairwise 1/3 (one agreeing pair of three), consensus 2/3."""
    tasks = [task(0, ann("a", choice("Positive")), ann("b", choice("Positive")), ann("c", choice("Negative")))]
    row = nblabel.agreement(tasks, CONFIG).summary.loc["sentiment"]
    assert row["value"] == pytest.approx(1 / 3) and row["consensus_value"] == pytest.approx(2 / 3)
    assert row["n_tasks"] == 1 and row["n_pairs"] == 3


def test_tasks_with_one_annotation_and_skips_do_not_count():
    tasks = [task(0, ann("a", choice("Positive"))),
             task(1, ann("a", choice("Positive")), ann("b", [], was_cancelled=True)),
             task(2, ann("a", choice("Positive")), ann("b", choice("Positive")))]
    rep = nblabel.agreement(tasks, CONFIG)
    assert rep.per_task.index.tolist() == [2]
    assert rep.summary.loc["sentiment", "n_tasks"] == 1


def test_spans_match_by_overlap_and_label():
    tasks = [task(0, ann("a", [span(0, 5, "PER"), span(14, 19, "LOC")]), ann("b", [span(0, 4, "PER")])),
             task(1, ann("a", [span(0, 5, "PER")]), ann("b", [span(0, 5, "LOC")])),
             task(2, ann("a", []), ann("b", []))]
    rep = nblabel.agreement(tasks, NER_CONFIG)
    assert rep.per_task["ner"].tolist() == pytest.approx([2 * 1 / 3, 0.0, 1.0])  # F1; nothing vs nothing agrees
    assert rep.summary.loc["ner", "metric"] == "overlap_f1"
    assert rep.summary.loc["ner", "exact_f1"] == pytest.approx(1 / 3)  # only task 2 (both empty) is exact
    assert rep.per_label.loc[("ner", "PER"), "value"] == pytest.approx(2 / 3)  # 2 matched of 3 PER spans


def test_boxes_match_by_iou_and_per_region_choices_on_matched_boxes():
    near = box(10, 10, 20, 20, "Car")
    shifted = box(12, 12, 20, 20, "Car")  # IoU 324 / 476 = 0.68
    far = box(60, 60, 20, 20, "Car")
    kind = lambda v, b: {**b, "from_name": "kind", "type": "choices",  # noqa: E731
                         "value": {**{k: b["value"][k] for k in ("x", "y", "width", "height", "rotation")},
                                   "choices": [v]}}
    tasks = [task(0, ann("a", [near, kind("new", near)]), ann("b", [shifted, kind("new", shifted)]), image="x.png"),
             task(1, ann("a", [near, kind("new", near)]), ann("b", [far, kind("old", far)]), image="y.png")]
    rep = nblabel.agreement(tasks, BOXES)
    assert rep.per_task["box"].tolist() == pytest.approx([1.0, 0.0])
    assert rep.summary.loc["box", "mean_iou"] == pytest.approx(324 / 476)
    assert rep.summary.loc["kind", "metric"] == "region"
    assert rep.per_task["kind"].tolist() == pytest.approx([1.0, 0.0])


def test_rotated_and_concave_polygon_iou():
    a = _rectangle({"x": 0, "y": 0, "width": 10, "height": 10, "rotation": 90})
    b = _rectangle({"x": -10, "y": 0, "width": 10, "height": 10, "rotation": 0})
    assert polygon_iou(a, b) == pytest.approx(1.0)
    import numpy as np
    ell = np.array([[0, 0], [10, 0], [10, 10], [5, 10], [5, 5], [0, 5]], float)  # an L, area 75
    sq = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], float)
    assert polygon_iou(ell, sq) == pytest.approx(0.75, abs=0.01)


def test_numbers_text_and_multiple_choices():
    res = lambda stars, score, note, topics: [  # noqa: E731
        {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": stars}},
        {"from_name": "score", "to_name": "text", "type": "number", "value": {"number": score}},
        {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": [note]}},
        {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": topics}}]
    tasks = [task(0, ann("a", res(5, 2, "kitten", ["Price", "Quality"])),
                  ann("b", res(3, 7, "sitting", ["Quality"])), text="x")]
    rep = nblabel.agreement(tasks, FULL_CONFIG)
    t = rep.per_task.iloc[0]
    assert t["stars"] == pytest.approx(1 - 2 / 4)  # maxRating 5: range 4
    assert t["score"] == pytest.approx(1 - 5 / 10)  # min 0, max 10
    assert t["note"] == pytest.approx(1 - 3 / 7)  # kitten -> sitting: 3 edits
    assert t["topics"] == pytest.approx(1 / 2)  # Jaccard
    assert t["overall"] == pytest.approx((0.5 + 0.5 + 4 / 7 + 0.5) / 4)


def test_levenshtein():
    for a, b, d in [("", "abc", 3), ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("abc", "abc", 0), ("😀a", "a", 1)]:
        assert levenshtein(a, b) == d == levenshtein(b, a)
    assert edit_similarity("", "") == 1.0


def test_custom_and_named_metrics():
    tasks = [task(0, ann("a", choice("Positive")), ann("b", choice("Negative")))]
    rep = nblabel.agreement(tasks, CONFIG, metrics={"sentiment": lambda a, b: 0.25})
    assert rep.per_task["sentiment"].tolist() == [0.25]
    assert rep.summary.loc["sentiment", "metric"] == "<lambda>"
    with pytest.raises(KeyError, match="no control"):
        nblabel.agreement(tasks, CONFIG, metrics={"nope": "exact"})
    with pytest.raises(ValueError, match="metric"):
        nblabel.agreement(tasks, CONFIG, metrics={"sentiment": "unknown"})


def test_pairs_matrix_and_labeler_input(tmp_path):
    db = tmp_path / "s.db"
    labs = {a: nblabel.Labeler(frame(4), CONFIG, annotator=a, store=db) for a in ("alice", "bob", "carol")}
    answers = {"alice": "PPPP", "bob": "PPPN", "carol": "NNNN"}
    for who, labels in answers.items():
        for c in labels:
            labs[who].submit(choice({"P": "Positive", "N": "Negative"}[c]))
    rep = nblabel.agreement(labs["alice"])
    assert rep.pairs.loc["alice", "bob"] == pytest.approx(0.75) == rep.pairs.loc["bob", "alice"]
    assert rep.pairs.loc["alice", "carol"] == 0.0 and rep.pairs.loc["bob", "carol"] == pytest.approx(0.25)
    assert rep.pairs_for("sentiment").equals(rep.pairs)
    df_rep = nblabel.agreement(labs["bob"].to_pandas())
    assert df_rep.per_task.equals(rep.per_task)
    stats = nblabel.annotator_stats(labs["carol"])
    assert stats["done"].tolist() == [4, 4, 4]
    assert stats.loc["alice", "agreement"] == pytest.approx((0.75 + 0.0) / 2)
    assert stats.loc["carol", "agreement_consensus"] == pytest.approx(0.25)  # majority: P, P, P, N


def test_consensus_majority_tie_and_weighted():
    tasks = [task(0, ann("a", choice("Positive")), ann("b", choice("Positive")), ann("c", choice("Negative"))),
             task(1, ann("a", choice("Neutral")), ann("b", choice("Negative"))),
             task(2, ann("a", choice("Neutral")), ann("b", choice("Neutral")), ann("c", choice("Negative")))]
    out = nblabel.consensus(tasks, CONFIG)
    assert out["consensus_sentiment"].tolist() == ["Positive", "Neutral", "Neutral"]
    assert out["tie"].tolist() == [False, True, False]
    assert [a[0]["completed_by"]["email"] for a in out["annotations"]] == ["consensus@nblabel.local"] * 3
    other = [task(0, ann("a", choice("Negative")), ann("b", choice("Positive")), ann("c", choice("Positive"))),
             task(1, ann("a", choice("Neutral")), ann("b", choice("Negative"))),
             task(2, ann("a", choice("Positive")), ann("b", choice("Positive")), ann("c", choice("Positive")))]
    assert nblabel.consensus(other, CONFIG)["consensus_sentiment"][1] == "Neutral"  # a tie: the first answer
    weighted = nblabel.consensus(other, CONFIG, method="weighted")  # b agrees with the others more than a
    assert weighted["consensus_sentiment"].tolist() == ["Positive", "Negative", "Positive"]
    with pytest.raises(ValueError, match="method"):
        nblabel.consensus(tasks, CONFIG, method="mode")


def test_consensus_keeps_spans_a_majority_drew():
    tasks = [task(0, ann("a", [span(0, 5, "PER"), span(14, 19, "LOC")]), ann("b", [span(0, 5, "PER")]),
                  ann("c", [span(0, 4, "LOC")]))]
    out = nblabel.consensus(tasks, NER_CONFIG)
    kept = out["annotations"].iloc[0][0]["result"]
    assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for r in kept] == [(0, 5, ["PER"])]


def test_html_report_escapes_and_shows_worst_tasks():
    tasks = [task("<img src=x onerror=alert(1)>", ann("<b>a</b>", choice("Positive")), ann("b", choice("Negative"))),
             task(1, ann("<b>a</b>", choice("Positive")), ann("b", choice("Positive")))]
    html = nblabel.agreement(tasks, CONFIG)._repr_html_()
    assert "<img" not in html and "&lt;img src=x" in html
    assert "Lowest agreement" in html and "sentiment" in html


def test_plots_are_figures():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure
    from nblabel.quality import plots

    tasks = [task(i, ann("a", choice("Positive")), ann("b", choice("Positive" if i % 2 else "Negative")))
             for i in range(6)]
    rep = nblabel.agreement(tasks, CONFIG)
    for fig in (plots.pairs_heatmap(rep), plots.pairs_heatmap(rep, "sentiment"), plots.task_histogram(rep),
                plots.control_bars(rep)):
        assert isinstance(fig, Figure) and fig.axes


def test_bad_input_is_a_clear_error():
    with pytest.raises(TypeError, match="Labeler, a DataFrame"):
        nblabel.agreement(42)
    import pandas as pd
    with pytest.raises(ValueError, match="annotations"):
        nblabel.agreement(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(TypeError, match="annotation dict"):
        nblabel.agreement([{"data": {"text": "x"}, "annotations": ["nope"]}], CONFIG)


def test_task_agreement_reaches_json_json_min_and_csv(tmp_path):
    import csv
    import json

    tasks = [task(0, ann("a", choice("Positive")), ann("b", choice("Positive")), ann("c", choice("Negative"))),
             task(1, ann("a", choice("Neutral")))]
    df = nblabel.read_label_studio(tasks, config=CONFIG)
    nblabel.export(df, tmp_path / "plain.json", format="JSON", config=CONFIG)  # a Label Studio file: as the converter
    assert all("agreement" not in t for t in json.loads((tmp_path / "plain.json").read_text()))
    df.attrs["nblabel"]["annotator"] = "a"  # as a Labeler's to_pandas() frame says
    nblabel.export(df, tmp_path / "t.json", format="JSON", config=CONFIG)
    out = json.loads((tmp_path / "t.json").read_text())
    assert out[0]["agreement"] == pytest.approx(100 / 3) and "agreement" not in out[1]
    nblabel.export(df, tmp_path / "m.json", format="JSON_MIN", config=CONFIG, agreement=True)
    records = json.loads((tmp_path / "m.json").read_text())
    assert [r.get("agreement") for r in records] == [pytest.approx(100 / 3)] * 3 + [None]
    nblabel.export(df, tmp_path / "t.csv", format="CSV", config=CONFIG)
    rows = list(csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8")))
    assert [float(r["agreement"]) if r["agreement"] else None for r in rows] == [pytest.approx(100 / 3)] * 3 + [None]


def test_annotations_that_do_not_count_leave_the_report_as_if_absent():
    # cancelled answers, an annotator's older answer and tasks with a single answer are read by the loader but
    # must change nothing: the report equals that of the counted answers alone.
    two = "<View><Text name='text' value='$text'/>" \
          "<Choices name='sentiment' toName='text'><Choice value='Positive'/><Choice value='Negative'/></Choices>" \
          "<Choices name='topic' toName='text' choice='multiple'><Choice value='x'/><Choice value='y'/>" \
          "</Choices></View>"
    def both(s, t):
        return choice(s) + choice(t, name="topic")
    counted = [task(0, ann("a", both("Positive", "x")), ann("b", both("Negative", "x"))),
               task(1, ann("a", both("Positive", "y")), ann("b", both("Positive", "x")), ann("c", choice("Positive")))]
    noisy = [task(0, ann("c", both("Negative", "y"), was_cancelled=True), ann("a", both("Positive", "x")),
                  ann("b", both("Positive", "y"), updated_at="2020"),
                  ann("b", both("Negative", "x"), updated_at="2021")),
             task(1, ann("a", both("Positive", "y")), ann("b", both("Positive", "x")),
                  ann("c", choice("Positive"))),
             task(2, ann("a", both("Negative", "y")))]
    want, got = nblabel.agreement(counted, two), nblabel.agreement(noisy, two)
    assert got.summary.equals(want.summary) and got.per_task.equals(want.per_task)
    names = want.pairs.index  # the noisy data meets c first (in a cancelled answer): same matrix, other order
    assert got.pairs.loc[names, names].equals(want.pairs) and got.per_label.equals(want.per_label)
    assert want.summary.loc["topic", "n_pairs"] == 4  # c answered sentiment only: their pairs count for it


def _kind(value, b, rid=None):
    """A per-region `kind` answer on box `b` (Label Studio repeats the region's geometry in it)."""
    return {**b, "id": rid or b["id"], "from_name": "kind", "type": "choices",
            "value": {**{k: b["value"][k] for k in ("x", "y", "width", "height", "rotation")}, "choices": [value]}}


def test_consensus_votes_per_region_answers_on_the_matched_box():
    a, b, c = box(10, 10, 20, 20, "Car", "ra"), box(11, 11, 20, 20, "Car", "rb"), box(12, 10, 20, 20, "Car", "rc")
    lone = box(70, 70, 10, 10, "Person", "rl")  # one annotator only: not kept, nor its answer
    tasks = [task(0, ann("a", [a, _kind("new", a), lone, _kind("old", lone)]),
                  ann("b", [b, _kind("new", b, rid="other-id")]),  # matched by place, not id
                  ann("c", [c, _kind("old", c)]), image="x.png")]
    out = nblabel.consensus(tasks, BOXES)
    result = out["annotations"].iloc[0][0]["result"]
    boxes = [r for r in result if r["from_name"] == "box"]
    kinds = [r for r in result if r["from_name"] == "kind"]
    assert len(boxes) == 1 and len(kinds) == 1
    assert kinds[0]["value"]["choices"] == ["new"]  # two of three said new
    assert kinds[0]["id"] == boxes[0]["id"]  # attached to the consensus box
    assert {k: kinds[0]["value"][k] for k in ("x", "y", "width", "height")} == \
        {k: boxes[0]["value"][k] for k in ("x", "y", "width", "height")}
    assert out["consensus_kind"].iloc[0] == [kinds[0]["value"]]
    assert not out["tie"].iloc[0]


def test_consensus_drops_a_region_answer_most_of_its_annotators_did_not_give():
    a, b, c = box(10, 10, 20, 20, "Car", "ra"), box(11, 11, 20, 20, "Car", "rb"), box(12, 10, 20, 20, "Car", "rc")
    tasks = [task(0, ann("a", [a, _kind("old", a)]), ann("b", [b]), ann("c", [c]), image="x.png")]
    result = nblabel.consensus(tasks, BOXES)["annotations"].iloc[0][0]["result"]
    assert [r["from_name"] for r in result] == ["box"]


PER_SPAN = """<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
<TextArea name="why" toName="text" perRegion="true"/></View>"""


def test_consensus_per_region_text_is_the_medoid_and_keeps_its_own_text():
    def why(s, note):
        return {"id": s["id"], "from_name": "why", "to_name": "text", "type": "textarea",
                "value": {"start": s["value"]["start"], "end": s["value"]["end"], "text": [note]}}
    spans = [{**span(0, 5, "PER"), "id": f"s{i}"} for i in range(3)]
    notes = ["a name", "a name!", "zzzz"]
    tasks = [task(0, *[ann(w, [s, why(s, n)]) for w, s, n in zip("abc", spans, notes)])]
    result = nblabel.consensus(tasks, PER_SPAN)["annotations"].iloc[0][0]["result"]
    whys = [r for r in result if r["from_name"] == "why"]
    assert len(whys) == 1 and whys[0]["value"]["text"] in (["a name"], ["a name!"])
    assert (whys[0]["value"]["start"], whys[0]["value"]["end"]) == (0, 5)


ONLY_PER_REGION = """<View><Image name="img" value="$image"/>
<Choices name="kind" toName="img" perRegion="true"><Choice value="new"/><Choice value="old"/></Choices></View>"""


def test_consensus_per_region_answers_without_a_region_control_cluster_by_their_own_place():
    a, b, c = box(60, 60, 20, 20, "Car", "ra"), box(10, 10, 20, 20, "Car", "rb"), box(11, 11, 20, 20, "Car", "rc")
    tasks = [task(0, ann("a", [_kind("new", a)]), ann("b", [_kind("old", b)]), ann("c", [_kind("old", c)]),
                  image="x.png")]
    result = nblabel.consensus(tasks, ONLY_PER_REGION)["annotations"].iloc[0][0]["result"]
    assert [(r["value"]["x"], r["value"]["choices"]) for r in result] in ([(10, ["old"])], [(11, ["old"])])

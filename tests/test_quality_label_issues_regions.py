"""nblabel.find_label_issues on regions: spans scored per token (planted wrong labels first, UTF-16 offsets, the
scores equal cleanlab's own token_classification on the same arrays) and boxes scored per image (a swapped label
and a missing box first, scores equal cleanlab's object_detection), and clear errors for what has no method."""

import copy
import os

import numpy as np
import pandas as pd
import pytest

import nblabel
from nblabel.quality import word_tokens
from nblabel.results._offsets import codepoint_to_utf16

pytest.importorskip("cleanlab")
NER = """<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels></View>"""
BOXES = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="car"/><Label value="person"/></RectangleLabels></View>"""
PEOPLE = ["Alice", "Bruno", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana"]
PLACES = ["Paris", "Lagos", "Lima", "Oslo", "Quito", "Hanoi", "Accra", "Perth"]
CLASSES = ("O", "PER", "LOC")


def sentences(n=60, planted=5, seed=0):
    """Texts "<PER> flew to <LOC> ...", some led by an emoji; `planted` tasks give the LOC span the label PER.
    Returns (Label Studio tasks with UTF-16 offsets, true class per token per task, planted task ids)."""
    rng = np.random.default_rng(seed)
    tasks, truth = [], []
    wrong = set(rng.choice(n, planted, replace=False).tolist())
    for i in range(n):
        who, where = rng.choice(PEOPLE), rng.choice(PLACES)
        lead = "🙂 " if i % 3 == 0 else ""
        text = f"{lead}{who} flew to {where} on day {i} ."
        spans = [(text.index(who), who, "PER"), (text.index(where), where, "LOC")]
        result = [{"from_name": "ner", "to_name": "text", "type": "labels",
                   "value": {"start": codepoint_to_utf16(text, s), "end": codepoint_to_utf16(text, s + len(w)),
                             "text": w, "labels": ["PER" if (i in wrong and lab == "LOC") else lab]}}
                  for s, w, lab in spans]
        tasks.append({"id": i, "data": {"text": text}, "annotations": [{"completed_by": 1, "result": result}]})
        truth.append([1 if s == spans[0][0] else 2 if s == spans[1][0] else 0 for _, s, _ in word_tokens(text)])
    return tasks, truth, wrong


def noisy_probs(truth, n_classes, seed=0, weight=0.8):
    """Per task a tokens × classes array leaning on the true class, with Dirichlet noise."""
    rng = np.random.default_rng(seed)
    return [weight * np.eye(n_classes)[t] + (1 - weight) * rng.dirichlet(np.ones(n_classes), len(t)) for t in truth]


def test_planted_span_labels_rank_first_with_utf16_offsets():
    tasks, truth, wrong = sentences()
    out = nblabel.find_label_issues(tasks, NER, control="ner", pred_probs=noisy_probs(truth, 3))
    assert list(out.columns) == ["task_id", "control", "given", "suggested", "quality", "is_issue",
                                 "token", "start", "end"]
    assert out["quality"].is_monotonic_increasing and (out["control"] == "ner").all()
    top = out.head(len(wrong))
    assert set(top["task_id"]) == wrong
    flagged = out[out["is_issue"]]  # confident learning's verdict: per-class thresholds, so not every planted one
    assert len(flagged) and set(flagged["task_id"]) <= wrong
    assert (top["given"] == "PER").all() and (top["suggested"] == "LOC").all()
    assert set(out["task_id"]) == set(range(len(tasks)))  # every task has a row: its issues or its worst token
    for row in top.itertuples():  # the row points at the word, in Label Studio's units
        text = tasks[row.task_id]["data"]["text"]
        assert text.encode("utf-16-le")[2 * row.start:2 * row.end].decode("utf-16-le") == row.token
        assert row.token in PLACES
    emoji_led = [r for r in top.itertuples() if r.task_id % 3 == 0]
    assert emoji_led and all(r.start == tasks[r.task_id]["annotations"][0]["result"][1]["value"]["start"]
                             for r in emoji_led)
    per_task = out.attrs["tasks"]
    assert set(per_task.head(len(wrong))["task_id"]) == wrong and per_task["quality"].is_monotonic_increasing
    assert per_task["n_issues"].sum() == len(flagged)


def test_span_scores_equal_cleanlab_on_the_same_arrays():
    from cleanlab.token_classification.filter import find_label_issues as cl_find
    from cleanlab.token_classification.rank import get_label_quality_scores
    tasks, truth, wrong = sentences(n=30, planted=3, seed=2)
    P = noisy_probs(truth, 3, seed=2, weight=0.6)
    given = [[1 if (t == 2 and i in wrong) else t for t in row] for i, row in enumerate(truth)]
    sentence, tokens = get_label_quality_scores(given, P)
    flagged = set(map(tuple, cl_find(given, P)))
    out = nblabel.find_label_issues(tasks, NER, control="ner", pred_probs={i: p for i, p in enumerate(P)})
    per_task = out.attrs["tasks"].set_index("task_id")["quality"]
    np.testing.assert_allclose(per_task.loc[range(30)].to_numpy(), sentence)
    for row in out.itertuples():
        text = tasks[row.task_id]["data"]["text"]
        j = [codepoint_to_utf16(text, s) for _, s, _ in word_tokens(text)].index(row.start)
        assert row.quality == pytest.approx(tokens[row.task_id].iloc[j])
        assert row.is_issue == ((row.task_id, j) in flagged)
        assert row.given == CLASSES[given[row.task_id][j]]
    assert int(out["is_issue"].sum()) == len(flagged)


def test_span_predictor_callable_and_frame_input():
    tasks, truth, wrong = sentences(n=40, planted=4, seed=3)
    P = noisy_probs(truth, 3, seed=3)
    by_text = {t["data"]["text"]: p for t, p in zip(tasks, P)}
    seen = []

    def predictor(batch):
        seen.extend(t["id"] for t in batch)
        return [by_text[t["data"]["text"]] for t in batch]

    frame = nblabel.read_label_studio(tasks, NER)
    out = nblabel.find_label_issues(frame, NER, predictor=predictor)  # the only control: picked by itself
    assert sorted(seen) == list(range(40))
    assert set(out.head(len(wrong))["task_id"]) == wrong


def test_span_errors_are_clear():
    tasks, truth, _ = sentences(n=10, planted=1)
    P = noisy_probs(truth, 3)
    with pytest.raises(ValueError, match="shape"):
        nblabel.find_label_issues(tasks, NER, pred_probs=[p[:, :2] for p in P])
    with pytest.raises(ValueError, match="shape"):
        nblabel.find_label_issues(tasks, NER, pred_probs=[p[1:] for p in P])
    with pytest.raises(ValueError, match="summing to 1"):
        nblabel.find_label_issues(tasks, NER, pred_probs=[p * 0.5 for p in P])
    with pytest.raises(ValueError, match="entries"):
        nblabel.find_label_issues(tasks, NER, pred_probs=P[:4])
    with pytest.raises(ValueError, match="Learner scores Choices"):
        nblabel.find_label_issues(tasks, NER, predictor=nblabel.Learner())
    with pytest.raises(ValueError, match="pred_probs= or a predictor"):
        nblabel.find_label_issues(tasks, NER)
    bad = [dict(t, annotations=[{"result": [dict(t["annotations"][0]["result"][0],
                                                  value={"start": 0, "end": 1, "labels": ["ORG"]})]}]) for t in tasks]
    with pytest.raises(ValueError, match="'ORG' is not a label"):
        nblabel.find_label_issues(bad, NER, pred_probs=P)
    audio = """<View><Audio name="audio" value="$audio"/>
<Labels name="seg" toName="audio"><Label value="Speech"/></Labels></View>"""
    with pytest.raises(ValueError, match="over a <Text>"):
        nblabel.find_label_issues([{"id": 1, "data": {"audio": "a.wav"}}], audio, pred_probs=[[]])
    polygons = """<View><Image name="img" value="$image"/>
<PolygonLabels name="poly" toName="img"><Label value="car"/></PolygonLabels></View>"""
    with pytest.raises(ValueError, match="no method for <PolygonLabels>"):
        nblabel.find_label_issues([{"id": 1, "data": {"image": "a.png"}}], polygons, control="poly", pred_probs=[[]])


# -- boxes -------------------------------------------------------------------------------------------------------
def box_item(x, y, w, h, label, score=None, size=(640, 480)):
    item = {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": size[0],
            "original_height": size[1], "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0,
                                                  "rectanglelabels": [label]}}
    if score is not None:
        item["score"] = score
    return item


def images(n=40, seed=0):
    """Images with 2–3 boxes each; a model that finds them all (jittered, confident: cleanlab weighs swapped and
    overlooked boxes on predictions scored at least 0.95); three images get a swapped
    label and two lose a box. Returns (tasks, predictions per task, the planted ids, true boxes per task)."""
    rng = np.random.default_rng(seed)
    tasks, preds, truth = [], [], []
    planted = rng.choice(n, 5, replace=False).tolist()
    swapped, missing = set(planted[:3]), set(planted[3:])
    for i in range(n):
        boxes = []
        for k in range(int(rng.integers(2, 4))):
            boxes.append((5 + 30 * k + rng.uniform(0, 5), rng.uniform(5, 50), rng.uniform(10, 20),
                          rng.uniform(10, 30), str(rng.choice(["car", "person"]))))
        preds.append([box_item(x + rng.normal(0, 0.3), y + rng.normal(0, 0.3), w, h, lab,
                               score=float(rng.uniform(0.96, 0.995))) for x, y, w, h, lab in boxes])
        given = [box_item(x, y, w, h, lab) for x, y, w, h, lab in boxes]
        if i in swapped:
            v = given[0]["value"]
            v["rectanglelabels"] = ["person" if v["rectanglelabels"] == ["car"] else "car"]
        if i in missing:
            given = given[1:]
        tasks.append({"id": f"img{i}", "data": {"image": f"{i}.png"},
                      "annotations": [{"completed_by": 1, "result": given}]})
        truth.append(boxes)
    return tasks, preds, {f"img{i}" for i in planted}


def test_swapped_and_missing_boxes_rank_first():
    tasks, preds, planted = images()
    out = nblabel.find_label_issues(tasks, BOXES, control="box", pred_probs=preds)
    assert list(out.columns) == ["task_id", "control", "given", "suggested", "quality", "is_issue"]
    assert out["quality"].is_monotonic_increasing and len(out) == len(tasks)
    assert set(out.head(len(planted))["task_id"]) == planted
    assert out.head(len(planted))["is_issue"].all()


_FORKS = []
os.register_at_fork(before=lambda: _FORKS.append(1))


def test_box_issues_fork_no_process():
    """cleanlab's object-detection finder asks for a one-process Pool: a fork of the test process (Playwright's
    driver pipes and all) for no parallelism; its worker was seen outliving the call and hanging the session."""
    tasks, preds, _ = images(n=6, seed=1)
    forks = len(_FORKS)
    out = nblabel.find_label_issues(tasks, BOXES, control="box", pred_probs=preds)
    assert len(_FORKS) == forks and len(out) == 6


def test_box_scores_equal_cleanlab_on_the_same_arrays():
    from cleanlab.object_detection.filter import find_label_issues as cl_find
    from cleanlab.object_detection.rank import get_label_quality_scores
    tasks, preds, _ = images(n=30, seed=4)
    classes = ["car", "person"]

    def xyxy(item):  # percent of a 640 × 480 image to pixels
        v = item["value"]
        return [v["x"] * 6.4, v["y"] * 4.8, (v["x"] + v["width"]) * 6.4, (v["y"] + v["height"]) * 4.8]

    labels = [{"bboxes": np.array([xyxy(b) for b in t["annotations"][0]["result"]]).reshape(-1, 4),
               "labels": np.array([classes.index(b["value"]["rectanglelabels"][0])
                                   for b in t["annotations"][0]["result"]], dtype=int)} for t in tasks]
    predictions = [[np.array([xyxy(b) + [b["score"]] for b in p if b["value"]["rectanglelabels"][0] == c])
                    .reshape(-1, 5) for c in classes] for p in preds]
    expected = pd.Series(get_label_quality_scores(labels, predictions, verbose=False), index=[t["id"] for t in tasks])
    flagged = pd.Series(cl_find(labels, predictions), index=expected.index)
    out = nblabel.find_label_issues(tasks, BOXES, pred_probs={t["id"]: p for t, p in zip(tasks, preds)})
    got = out.set_index("task_id")
    np.testing.assert_allclose(got.loc[expected.index, "quality"].to_numpy(), expected.to_numpy())
    assert (got.loc[expected.index, "is_issue"] == flagged).all()


def test_box_errors_are_clear():
    tasks, preds, _ = images(n=6)
    with pytest.raises(ValueError, match="score"):
        nblabel.find_label_issues(tasks, BOXES, pred_probs=[[dict(b, score=None) for b in p] for p in preds])
    with pytest.raises(ValueError, match="list of scored"):
        nblabel.find_label_issues(tasks, BOXES, pred_probs=[0.5] * len(tasks))
    with pytest.raises(ValueError, match="one array"):
        nblabel.find_label_issues(tasks, BOXES, pred_probs=np.zeros((6, 2)))
    other = [p + [{"from_name": "caption", "type": "textarea", "value": {"text": ["a car"]}}] for p in preds]
    pd.testing.assert_frame_equal(nblabel.find_label_issues(tasks, BOXES, pred_probs=other),
                                  nblabel.find_label_issues(tasks, BOXES, pred_probs=preds))
    wrong = [[box_item(1, 1, 5, 5, "bus", score=0.9)] for _ in tasks]
    with pytest.raises(ValueError, match="'bus' is not a label"):
        nblabel.find_label_issues(tasks, BOXES, pred_probs=wrong)


def test_several_annotators_get_a_row_each_with_their_name():
    tasks, truth, wrong = sentences(n=40, planted=4, seed=5)
    for task in tasks:
        task["annotations"][0]["completed_by"] = {"email": "careless@x.org"}
        good = copy.deepcopy(task["annotations"][0]["result"])
        good[1]["value"]["labels"] = ["LOC"]  # every span right
        task["annotations"].append({"completed_by": {"email": "careful@x.org"}, "result": good})
    out = nblabel.find_label_issues(tasks, NER, pred_probs=noisy_probs(truth, 3, seed=5))
    assert list(out.columns)[:2] == ["task_id", "annotator"]
    top = out.head(len(wrong))
    assert set(top["task_id"]) == wrong and (top["annotator"] == "careless@x.org").all()
    assert len(out.attrs["tasks"]) == 2 * len(tasks)


def test_labeler_and_its_label_studio_export_agree():
    tasks, truth, wrong = sentences(n=30, planted=3, seed=6)
    P = noisy_probs(truth, 3, seed=6)
    df = pd.DataFrame({"text": [t["data"]["text"] for t in tasks]})
    lab = nblabel.Labeler(df, NER, annotator="alice", store=":memory:")
    for task in tasks:  # the Labeler holds code points; the task list above has UTF-16 offsets
        text = task["data"]["text"]
        result = copy.deepcopy(task["annotations"][0]["result"])
        for item in result:
            v = item["value"]
            v["start"], v["end"] = text.index(v["text"]), text.index(v["text"]) + len(v["text"])
        lab.submit(result)
    from_labeler = nblabel.find_label_issues(lab, control="ner", pred_probs=P)
    from_tasks = nblabel.find_label_issues(lab.to_label_studio(), NER, control="ner", pred_probs=P)
    lab.close()
    assert set(from_labeler.head(len(wrong))["task_id"]) == wrong
    pd.testing.assert_frame_equal(from_tasks, from_labeler)
    emoji = from_labeler[from_labeler["task_id"] % 3 == 0].iloc[0]
    text = tasks[emoji["task_id"]]["data"]["text"]
    assert text.encode("utf-16-le")[2 * emoji["start"]:2 * emoji["end"]].decode("utf-16-le") == emoji["token"]

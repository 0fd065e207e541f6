"""Agreement coefficients equal the reference packages (sklearn, statsmodels, krippendorff, nltk) to 1e-9, on
generated data with missing answers and on the worked examples of the metrics' papers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import nblabel

krippendorff = pytest.importorskip("krippendorff")
sm_inter = pytest.importorskip("statsmodels.stats.inter_rater")
from nltk.metrics.agreement import AnnotationTask  # noqa: E402
from nltk.metrics.distance import interval_distance  # noqa: E402
from sklearn.metrics import cohen_kappa_score  # noqa: E402

CHOICES = """<View><Text name="text" value="$text"/>
<Choices name="label" toName="text"><Choice value="a"/><Choice value="b"/><Choice value="c"/><Choice value="d"/></Choices>
</View>"""
RATING = """<View><Text name="text" value="$text"/><Rating name="stars" toName="text" maxRating="5"/></View>"""
NUMBER = """<View><Text name="text" value="$text"/><Number name="n" toName="text"/></View>"""
TAXONOMY = """<View><Text name="text" value="$text"/><Taxonomy name="tax" toName="text">
<Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice><Choice value="Plant"/></Taxonomy></View>"""


def _item(kind: str, v):
    if kind == "choices":
        return {"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": [str(v)]}}
    if kind == "rating":
        return {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": int(v)}}
    if kind == "number":
        return {"from_name": "n", "to_name": "text", "type": "number", "value": {"number": float(v)}}
    return {"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [list(v)]}}


def tasks_from(matrix, kind: str = "choices") -> list[dict]:
    """raters × units (None / NaN = no answer) as Label Studio tasks, one annotation per given answer."""
    tasks = []
    for u in range(len(matrix[0])):
        anns = []
        for r, row in enumerate(matrix):
            v = row[u]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            anns.append({"id": len(tasks) * 100 + r, "completed_by": {"email": f"r{r}@example.org"},
                         "result": [_item(kind, v)], "was_cancelled": False})
        tasks.append({"id": u, "data": {"text": f"unit {u}"}, "annotations": anns})
    return tasks


def generated(seed: int, raters=4, units=80, k=4, missing=0.25):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, units)
    m = np.where(rng.random((raters, units)) < 0.7, truth, rng.integers(0, k, (raters, units))).astype(float)
    m[rng.random((raters, units)) < missing] = np.nan
    return m


def _pairwise_sklearn(m, weights=None, labels=None):
    out = []
    for a, b in itertools.combinations(range(len(m)), 2):
        both = ~np.isnan(m[a]) & ~np.isnan(m[b])
        if both.sum() >= 1:
            k = cohen_kappa_score(m[a][both], m[b][both], weights=weights, labels=labels)
            if not np.isnan(k):
                out.append(k)
    return float(np.mean(out))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_choices_with_missing_answers_match_sklearn_krippendorff_nltk(seed):
    m = generated(seed)
    labels = np.array(list("abcd"))
    as_labels = [[labels[int(v)] if not np.isnan(v) else None for v in row] for row in m]
    rep = nblabel.agreement(tasks_from(as_labels), CHOICES)
    row = rep.summary.loc["label"]
    assert row["metric"] == "exact"
    assert abs(row["krippendorff_alpha"] - krippendorff.alpha(m, level_of_measurement="nominal")) < 1e-9
    assert abs(row["cohen_kappa"] - _pairwise_sklearn(m)) < 1e-9
    nltk_data = [(f"r{r}", u, as_labels[r][u]) for r in range(len(m)) for u in range(m.shape[1])
                 if as_labels[r][u] is not None]
    assert abs(row["krippendorff_alpha"] - AnnotationTask(data=nltk_data).alpha()) < 1e-9


@pytest.mark.parametrize("seed", [3, 4])
def test_complete_choices_match_statsmodels_fleiss_and_nltk_pi_kappa(seed):
    m = generated(seed, raters=3, units=60, missing=0.0)
    rep = nblabel.agreement(tasks_from(m.astype(int).tolist()), CHOICES)
    row = rep.summary.loc["label"]
    table, _ = sm_inter.aggregate_raters(m.T.astype(int))
    assert abs(row["fleiss_kappa"] - sm_inter.fleiss_kappa(table, method="fleiss")) < 1e-9
    task = AnnotationTask(data=[(f"r{r}", u, str(int(m[r, u]))) for r in range(3) for u in range(m.shape[1])])
    assert abs(row["fleiss_kappa"] - task.pi()) < 1e-9  # multi-pi is Fleiss' kappa
    assert abs(row["cohen_kappa"] - task.kappa()) < 1e-9
    assert abs(row["percent"] - 100 * task.avg_Ao()) < 1e-9
    # Label Studio's pairwise score of exact match is the mean share of agreeing pairs
    assert abs(row["value"] - task.avg_Ao()) < 1e-9


@pytest.mark.parametrize("seed", [5, 6])
def test_rating_ordinal_alpha_and_quadratic_kappa(seed):
    m = generated(seed, k=5) + 1  # ratings 1..5
    rep = nblabel.agreement(tasks_from(m.tolist(), "rating"), RATING)
    row = rep.summary.loc["stars"]
    assert row["metric"] == "numeric"
    assert abs(row["krippendorff_alpha"] - krippendorff.alpha(m, level_of_measurement="ordinal")) < 1e-9
    observed = sorted(set(m[~np.isnan(m)].tolist()))
    assert abs(row["cohen_kappa"] - _pairwise_sklearn(m, "quadratic", observed)) < 1e-9
    # numeric difference over the 1..5 scale, mean over each task's pairs, then over tasks
    per_task = []
    for u in range(m.shape[1]):
        vals = m[:, u][~np.isnan(m[:, u])]
        if len(vals) >= 2:
            per_task.append(np.mean([1 - abs(x - y) / 4 for x, y in itertools.combinations(vals, 2)]))
    assert abs(row["value"] - np.mean(per_task)) < 1e-9


def test_number_interval_alpha_matches_krippendorff_and_nltk():
    rng = np.random.default_rng(7)
    m = np.round(rng.normal(10, 3, (3, 50)), 1)
    m[rng.random(m.shape) < 0.2] = np.nan
    rep = nblabel.agreement(tasks_from(m.tolist(), "number"), NUMBER)
    row = rep.summary.loc["n"]
    assert abs(row["krippendorff_alpha"] - krippendorff.alpha(m, level_of_measurement="interval")) < 1e-9
    data = [(f"r{r}", u, float(m[r, u])) for r in range(3) for u in range(50) if not np.isnan(m[r, u])]
    assert abs(row["krippendorff_alpha"] - AnnotationTask(data=data, distance=interval_distance).alpha()) < 1e-9


def test_taxonomy_is_nominal_over_paths():
    paths = [("Animal", "Cat"), ("Animal", "Dog"), ("Plant",)]
    m = generated(8, raters=3, units=40, k=3)
    as_paths = [[paths[int(v)] if not np.isnan(v) else None for v in row] for row in m]
    rep = nblabel.agreement(tasks_from(as_paths, "taxonomy"), TAXONOMY)
    row = rep.summary.loc["tax"]
    assert abs(row["krippendorff_alpha"] - krippendorff.alpha(m, level_of_measurement="nominal")) < 1e-9
    assert abs(row["cohen_kappa"] - _pairwise_sklearn(m)) < 1e-9


# -- worked examples -----------------------------------------------------------------------------------------
KRIPPENDORFF_2011 = [  # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the C.-D. example
    [np.nan, np.nan, np.nan, np.nan, np.nan, 3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
    [1, np.nan, 2, 1, 3, 3, 4, 3, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
    [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4],
]
FOUR_CODERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
]


def test_krippendorff_worked_examples():
    rep = nblabel.agreement(tasks_from([[None if np.isnan(v) else str(int(v)) for v in r] for r in KRIPPENDORFF_2011]),
                            CHOICES.replace('value="a"', 'value="1"'))
    assert round(rep.summary.loc["label", "krippendorff_alpha"], 6) == 0.691358
    rep = nblabel.agreement(tasks_from(KRIPPENDORFF_2011, "number"), NUMBER)
    assert round(rep.summary.loc["n", "krippendorff_alpha"], 6) == 0.810845
    rep = nblabel.agreement(tasks_from(FOUR_CODERS, "rating"), RATING)
    assert round(rep.summary.loc["stars", "krippendorff_alpha"], 3) == 0.815


def test_artstein_poesio_example():
    """Artstein & Poesio (2008), two coders, 100 utterances: Ao = 0.88, pi = 0.7995, kappa = 0.8013."""
    cells = {("stat", "stat"): 46, ("stat", "ireq"): 6, ("ireq", "ireq"): 32, ("chck", "ireq"): 6,
             ("chck", "chck"): 10}
    pairs = [p for p, n in cells.items() for _ in range(n)]
    m = [[a for a, _ in pairs], [b for _, b in pairs]]
    config = CHOICES.replace('"a"', '"stat"').replace('"b"', '"ireq"').replace('"c"', '"chck"')
    row = nblabel.agreement(tasks_from(m), config).summary.loc["label"]
    assert abs(row["percent"] - 88.0) < 1e-9
    assert round(row["fleiss_kappa"], 5) == 0.79953  # Scott's pi for two coders
    task = AnnotationTask(data=[(c, i, m[c][i]) for c in range(2) for i in range(100)])
    assert abs(row["cohen_kappa"] - task.kappa()) < 1e-9
    assert abs(row["cohen_kappa"] - cohen_kappa_score(m[0], m[1])) < 1e-9


def test_fleiss_1971_table():
    """Fleiss (1971): 10 subjects, 14 raters, 5 categories, kappa 0.210."""
    table = np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]])
    m = [[None] * 10 for _ in range(14)]
    for u, counts in enumerate(table):
        labels = [c for c, n in zip("abcde", counts) for _ in range(n)]
        for r, lab in enumerate(labels):
            m[r][u] = lab
    config = CHOICES.replace('<Choice value="d"/>', '<Choice value="d"/><Choice value="e"/>')
    row = nblabel.agreement(tasks_from(m), config).summary.loc["label"]
    assert abs(row["fleiss_kappa"] - sm_inter.fleiss_kappa(table, method="fleiss")) < 1e-9
    assert round(row["fleiss_kappa"], 3) == 0.210


def test_sklearn_cohen_example():
    y1 = [0] * 40 + [1] * 60
    y2 = [0] * 20 + [1] * 20 + [0] * 10 + [1] * 50  # Artstein & Poesio (2008), table 1 (sklearn's test data)
    row = nblabel.agreement(tasks_from([[str(v) for v in y1], [str(v) for v in y2]]),
                            CHOICES.replace('"a"', '"0"').replace('"b"', '"1"')).summary.loc["label"]
    assert abs(row["cohen_kappa"] - cohen_kappa_score(y1, y2)) < 1e-9
    assert round(row["cohen_kappa"], 3) == 0.348

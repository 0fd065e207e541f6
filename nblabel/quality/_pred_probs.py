"""Out-of-sample class probabilities for label-issue detection: every task is scored by models that never saw it.

Rules:
- a `Learner` is cross-validated over its own features (cached embeddings or hashed n-grams) with its own head;
- with text and a Learner, two more views join it, because they err on different tasks than the embedding head
  (measured on flipped sentiment labels: the three together rank planted flips clearly better than any one):
  a TF-IDF word and character n-gram head (lexical cues a mean-pooled sentence vector blurs, e.g. "not bad"),
  and kNN consistency: what the given labels of the nearest neighbours in the Learner's embedding space say;
- the views are averaged (probabilities, not ranks: the average keeps cleanlab's thresholds meaningful);
- a user's `pred_probs` array or probability callable is taken as it is: it is already out of sample by contract.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

_NEIGHBOURS = 15  # kNN view: enough neighbours to outvote a few flipped ones, few enough to stay local


def learner_views(learner: Any, texts: list[str], labels: list[tuple[str, ...]], folds: int,
                  lexical: bool, seed: int = 0) -> np.ndarray:
    """Averaged out-of-fold probabilities (tasks × classes of the Learner's config) from the Learner and its
    companion views."""
    embedded = learner._encoder_arg is not None
    # C=1 for the embedding head: on thousands of labels it ranks flips better than the loop's sharper C=4
    views = [learner.out_of_fold(texts, labels, folds=folds, seed=seed, C=1.0 if embedded else None)]
    if lexical:
        views.append(_lexical(texts, labels, learner.classes, learner.multiple, folds, seed))
    if embedded:
        views.append(_knn(learner.embed(texts), labels, learner.classes, learner.multiple))
    return np.mean(views, axis=0)


def _targets(labels: list[tuple[str, ...]], classes: tuple[str, ...], multiple: bool) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    if multiple:
        Y = np.zeros((len(labels), len(classes)))
        for row, label in enumerate(labels):
            Y[row, [index[c] for c in label]] = 1.0
        return Y
    return np.array([index[label[0]] for label in labels])


def _lexical(texts: list[str], labels: list[tuple[str, ...]], classes: tuple[str, ...], multiple: bool,
             folds: int, seed: int) -> np.ndarray:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, StratifiedKFold
    # The vocabulary is fitted on every text (no labels involved), so held-out tasks keep their rare words.
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                            min_df=2 if len(texts) > 50 else 1).fit_transform(texts)
    X = hstack([words, chars]).tocsr()
    y = _targets(labels, classes, multiple)
    out = np.zeros((len(texts), len(classes)))
    strata = np.zeros(len(texts)) if multiple else y
    splitter = KFold if multiple else StratifiedKFold
    counts = np.bincount(y) if not multiple else np.array([len(texts)])
    k = max(2, min(folds, int(counts[counts > 0].min())))
    for train, test in splitter(k, shuffle=True, random_state=seed).split(strata, strata):
        if multiple:
            for j in range(len(classes)):
                col = y[train, j]
                if 0 < col.sum() < len(col):
                    clf = LogisticRegression(C=10.0, solver="liblinear").fit(X[train], col)
                    out[test, j] = clf.predict_proba(X[test])[:, 1]
                else:
                    out[test, j] = (col.sum() + 0.5) / (len(col) + 1.0)
            continue
        clf = LogisticRegression(C=10.0, solver="liblinear").fit(X[train], y[train])
        out[np.ix_(test, clf.classes_)] = clf.predict_proba(X[test])
    return out


def _knn(X: np.ndarray, labels: list[tuple[str, ...]], classes: tuple[str, ...], multiple: bool) -> np.ndarray:
    """Similarity-weighted label share of each task's nearest neighbours (itself left out), lightly smoothed."""
    Y = _targets(labels, classes, multiple)
    onehot = Y if multiple else np.eye(len(classes))[Y]
    n, k = len(X), min(_NEIGHBOURS, len(X) - 1)
    out = np.zeros((n, len(classes)))
    for start in range(0, n, 1024):  # blocks keep the similarity matrix small for large sets
        sims = X[start:start + 1024] @ X.T
        rows = np.arange(sims.shape[0])
        sims[rows, start + rows] = -np.inf
        nn = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        w = np.take_along_axis(sims, nn, axis=1).clip(0)
        votes = (w[..., None] * onehot[nn]).sum(axis=1)
        if multiple:
            out[start:start + len(rows)] = (votes + 0.5) / (w.sum(axis=1, keepdims=True) + 1.0)
        else:
            votes = votes + 0.5
            out[start:start + len(rows)] = votes / votes.sum(axis=1, keepdims=True)
    return out


def given_probs(pred_probs: Any, ids: list, n_classes: int, classes: tuple[str, ...]) -> np.ndarray:
    """A user's probabilities as an array aligned with `ids`: an array with one row per task, or a DataFrame
    indexed by task id with one column per class."""
    import pandas as pd
    if isinstance(pred_probs, pd.DataFrame):
        missing = [c for c in classes if c not in pred_probs.columns]
        if missing:
            raise ValueError(f"pred_probs has no column for {missing}; its columns must be the classes {list(classes)}")
        absent = [i for i in ids if i not in pred_probs.index]
        if absent:
            raise ValueError(f"pred_probs has no row for task {absent[0]!r}")
        P = pred_probs.loc[ids, list(classes)].to_numpy(dtype=float)
    else:
        P = np.asarray(pred_probs, dtype=float)
    if P.shape != (len(ids), n_classes):
        raise ValueError(f"pred_probs has shape {P.shape}; expected {(len(ids), n_classes)} "
                         f"(one row per labeled task, one column per class in config order)")
    if not np.isfinite(P).all() or (P < 0).any() or (P > 1).any():
        raise ValueError("pred_probs must be probabilities in [0, 1]")
    return P


def called_probs(fn: Callable, tasks: list[dict], n_classes: int, classes: tuple[str, ...]) -> np.ndarray:
    """Probabilities from a callable (or an object with `predict_proba`) that takes a list of task dicts."""
    call = getattr(fn, "predict_proba", fn)
    return given_probs(call(tasks), list(range(len(tasks))), n_classes, classes)

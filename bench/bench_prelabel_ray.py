"""Pre-labeling rows/s: in-process vs Ray Data actors (1 and 2), and what starting Ray costs.

    python bench/bench_prelabel_ray.py [--rows 100000] [--batch 256]

The model is a real transformers text-classification pipeline over a tiny BERT built here (no downloads), so
the numbers measure nblabel's and Ray's overhead around a model rather than the model itself. Every engine must
give the same predictions; the script checks that before printing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import nblabel  # noqa: E402
from test_suggest_ray import CONFIG, _tiny_classifier  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    words = np.array(["good", "bad", "fine", "awful", "ok"])
    df = pd.DataFrame({"text": [" ".join(rng.choice(words, size=rng.integers(1, 12))) for _ in range(args.rows)]})
    folder = _tiny_classifier()

    def factory():
        from transformers import pipeline
        return pipeline("text-classification", model=folder)

    t = time.perf_counter()
    local = nblabel.prelabel(df, CONFIG, factory(), batch_size=args.batch)
    t_local = time.perf_counter() - t
    print(f"in-process: {args.rows / t_local:,.0f} rows/s ({t_local:.1f} s)")

    import ray
    here = str(Path(__file__).resolve().parents[1])
    t = time.perf_counter()
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([here, here + "/tests"])}})
    print(f"ray.init: {time.perf_counter() - t:.1f} s")
    ray.data.DataContext.get_current().enable_progress_bars = False
    for actors in (1, 2):
        t = time.perf_counter()
        out = nblabel.prelabel(df, CONFIG, factory, engine="ray", concurrency=actors, batch_size=args.batch)
        took = time.perf_counter() - t
        same = all(a["result"][0]["value"] == b["result"][0]["value"] for a, b in zip(out, local))
        print(f"ray, {actors} actor(s): {args.rows / took:,.0f} rows/s ({took:.1f} s, actor start-up included); "
              f"same predictions: {same}")
    ray.shutdown()


if __name__ == "__main__":
    main()

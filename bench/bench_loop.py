"""Labeling-loop benchmarks: opening a big DataFrame, and the cost of one submit.

- open a 1,000,000-row DataFrame, including the first `current`: target ≤ 0.2 s and ≤ 50 MB (tracemalloc peak)
- submit durable (headless, SQLite file store, synchronous=FULL): median of 60 submits, target ≤ 5 ms

Run: python bench/bench_loop.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

import nblabel

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""


def make_frame(n: int) -> pd.DataFrame:
    words = np.array(["good", "bad", "fine", "awful", "great", "meh", "product", "service", "price", "really"])
    rng = np.random.default_rng(0)
    text = pd.Series(words[rng.integers(0, len(words), n)]).str.cat(
        [pd.Series(words[rng.integers(0, len(words), n)]) for _ in range(5)], sep=" ")
    return pd.DataFrame({"text": text, "stars": rng.integers(1, 6, n)})


def bench_open(n: int, store: Path, shuffled_index: bool = False) -> tuple[float, float]:
    df = make_frame(n)
    if shuffled_index:  # a non-range index: pandas must hash it once for the duplicate-id check
        df.index = np.random.default_rng(1).permutation(n) * 7
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    lab = nblabel.Labeler(df, CONFIG, annotator="bench", store=store)
    cur = lab.current
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert cur is not None
    lab.close()
    return elapsed, peak


def bench_submit(store: Path, n: int = 60) -> list[float]:
    lab = nblabel.Labeler(make_frame(1000), CONFIG, annotator="bench-submit", store=store)
    labels = ["Positive", "Negative", "Neutral"]
    times = []
    for i in range(n):
        _ = lab.current  # what a script does between submits; not timed
        result = [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                   "value": {"choices": [labels[i % 3]]}}]
        t0 = time.perf_counter()
        lab.submit(result)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        runs = [bench_open(n, Path(tmp) / f"open{i}.db") for i in range(3)]
        secs = sorted(r[0] for r in runs)
        print(f"open {n:,}-row DataFrame + first current: median {secs[1]:.3f} s (runs: "
              f"{', '.join(f'{s:.3f}' for s in secs)}), tracemalloc peak {max(r[1] for r in runs):.1f} MB "
              f"[target ≤ 0.2 s, ≤ 50 MB]")
        runs = [bench_open(n, Path(tmp) / f"openi{i}.db", shuffled_index=True) for i in range(3)]
        secs = sorted(r[0] for r in runs)
        print(f"same with a shuffled int64 index: median {secs[1]:.3f} s, tracemalloc peak "
              f"{max(r[1] for r in runs):.1f} MB")
        times = bench_submit(Path(tmp) / "submit.db")
        print(f"submit durable (headless, file store, synchronous=FULL): median {statistics.median(times):.2f} ms, "
              f"p95 {np.percentile(times, 95):.2f} ms over {len(times)} submits [target median ≤ 5 ms]")


if __name__ == "__main__":
    main()

"""Store benchmark: submit latency and throughput with 1, 4 and 16 concurrent writers, SQLite vs PostgreSQL.

Each writer is a process of its own (a kernel) with its own annotator and a `Labeler` on one shared store; after
a barrier, each submits `--submits` answers with `Labeler.submit` (durable on return), reading `current` (which
leases the next task) between submits as bench_loop.py does. Printed per back end and writer count: the median and
p99 of one submit, and submits per second over all writers, leases included (from the barrier to the last
writer's end).

Both back ends are durable here: SQLite runs with synchronous=FULL (fsync per commit), the PostgreSQL server
(Debian's binaries, started in a temporary directory by tests/pg_server.py) with fsync on.
Target: SQLite median ≤ 2 ms with one writer.

Run: python bench/bench_store.py [--submits 200] [--writers 1,4,16]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""


def _writer(store: str, annotator: str, n: int, barrier, out) -> None:
    import pandas as pd

    import nblabel

    frame = pd.DataFrame({"text": [f"review number {i}" for i in range(n + 1)]})
    lab = nblabel.Labeler(frame, CONFIG, annotator=annotator, store=store)
    answer = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    lab.current  # noqa: B018  (the first task leased before the clock starts)
    barrier.wait()
    times = []
    for _ in range(n):
        lab.current  # noqa: B018  (what a script does between submits: leases the next task; not in the latency)
        t = time.perf_counter()
        lab.submit(answer)
        times.append(time.perf_counter() - t)
    out.put((annotator, times, time.time()))
    lab.close()


def run(store: str, writers: int, n: int) -> tuple[float, float, float]:
    """(median ms, p99 ms, submits/s) for `writers` processes on `store`."""
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(writers + 1), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(store, f"w{i}", n, barrier, out)) for i in range(writers)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.time()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    times = sorted(t for _, ts, _ in results for t in ts)
    wall = max(end for _, _, end in results) - start
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times) * 1000, p99 * 1000, len(times) / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=200, help="submits per writer")
    parser.add_argument("--writers", default="1,4,16")
    args = parser.parse_args()
    counts = [int(x) for x in args.writers.split(",")]

    from pg_server import PgServer, missing

    tmp = Path(tempfile.mkdtemp(prefix="nblabel-bench-store-"))
    reason = missing()
    server = None if reason else PgServer(fsync=True).start()
    print(f"{'back end':<12}{'writers':>8}{'median ms':>11}{'p99 ms':>9}{'submits/s':>11}")
    try:
        for writers in counts:
            backends = [("sqlite", str(tmp / f"w{writers}.db"))]
            if server is not None:
                backends.append(("postgresql", server.new_store()))
            for name, store in backends:
                median, p99, rate = run(store, writers, args.submits)
                print(f"{name:<12}{writers:>8}{median:>11.2f}{p99:>9.2f}{rate:>11.0f}", flush=True)
    finally:
        if server is not None:
            server.cleanup()
    if reason:
        print(f"postgresql: not run ({reason})")


if __name__ == "__main__":
    main()

"""Reading Label Studio exports and writing a Labeler's answers back: this tree beside a baseline revision.

    python bench/bench_read.py [--tasks 20000] [--big 100000] [--repeat 5] [--baseline main]

Every number is printed as the best and the worst of --repeat runs, the sides taken in turns so they see the
same machine load; wall clock, and the CPU time of this process (steadier on a shared machine).
1. `read_label_studio` of the 20,000-task W-NUT 17 export (as `bench_export.py` builds it) and of 100,000
   annotated tasks (one emoji-bearing text in ten, so offsets are converted). Targets: <= 0.15 s, <= 0.4 s.
2. read-then-export JSON_MIN (`export(read_label_studio(file), out, "JSON_MIN")`) against
   `label_studio_sdk.converter` file to file. Target: >= 3x in the worst run.
3. A Labeler over a 100,000-row DataFrame whose store holds an answer per row (each with its row's fields hash,
   as the widget stores it): opening, `to_pandas()` (target <= 0.5 s), `to_label_studio()` and
   `export(..., "JSON")` (<= 1 s), and the most memory the export holds at once.
4. `Labeler(list of 100,000 Label Studio tasks, config)`: opening (<= 0.5 s), then the same three write-backs.
`--baseline ""` times this tree alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pandas as pd  # noqa: E402

import nblabel  # noqa: E402
from _baseline import alternate, baseline, line  # noqa: E402
from bench_export import CONFIG, WNUT, sentences, task  # noqa: E402


def fill_store(path: Path, keys: list[str], results: list[list], texts: list[str]) -> None:
    """One live answer per key, written in one transaction (the store's own submit commits one by one), each with
    the hash of its task's `$text` as the widget stores it (write-back checks every answer against its row)."""
    from nblabel.store._sqlite import Store, now_iso
    from nblabel.tasks._media import fields_hash
    store = Store(path)
    stamp = now_iso()
    rows = [(k, "alice", json.dumps(r, ensure_ascii=False), stamp, stamp, 3.5, str(uuid.uuid4()),
             fields_hash({"text": t})) for k, r, t in zip(keys, results, texts)]
    with store._lock:
        store._db.execute("BEGIN")
        store._db.executemany("INSERT INTO annotations (task_key, annotator, result, created_at, updated_at, "
                              "lead_time, unique_id, fields_hash) VALUES (?,?,?,?,?,?,?,?)", rows)
        store._db.execute("COMMIT")
    store.close()


def peak_memory(fn) -> int:
    """The most bytes Python held at once while `fn` ran, above what it held before (tracemalloc: slow, untimed)."""
    import tracemalloc
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def report(title: str, fns: dict, repeat: int) -> dict:
    print(title)
    runs = alternate(fns, repeat)
    for name, (wall, cpu, _) in runs.items():
        print("  " + line(name, wall, cpu))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline", default="main")
    args = ap.parse_args()
    if not WNUT.is_file():
        sys.exit(f"W-NUT 17 not found at {WNUT}")
    from label_studio_sdk.converter import Converter

    base = baseline(args.baseline) if args.baseline else None
    sides = {"this tree": nblabel, **({args.baseline: base} if base is not None else {})}
    sents = sentences(WNUT)
    tmp = Path(tempfile.mkdtemp(prefix="nblabel-bench-read-"))
    small = tmp / "wnut.json"
    small.write_text(json.dumps([task(i, sents[i % len(sents)]) for i in range(args.tasks)]), encoding="utf-8")
    big_tasks = [task(i, sents[i % len(sents)], emoji=i % 10 == 0) for i in range(args.big)]
    big = tmp / "big.json"
    big.write_text(json.dumps(big_tasks), encoding="utf-8")

    report(f"read_label_studio, {args.tasks:,} W-NUT tasks ({small.stat().st_size / 1e6:.1f} MB; target <= 0.15 s)",
           {f"{n}": (lambda m=m: m.read_label_studio(small, config=CONFIG)) for n, m in sides.items()}, args.repeat)
    report(f"read_label_studio, {args.big:,} annotated tasks ({big.stat().st_size / 1e6:.0f} MB; target <= 0.4 s)",
           {f"{n}": (lambda m=m: m.read_label_studio(big, config=CONFIG)) for n, m in sides.items()}, args.repeat)

    converter = Converter(CONFIG, project_dir=None)
    fns = {"label_studio_sdk converter": lambda: converter.convert(str(small), str(tmp / "ref"), "JSON_MIN",
                                                                    is_dir=False)}
    for n, m in sides.items():
        fns[f"read + export, {n}"] = lambda m=m, n=n: m.export(m.read_label_studio(small, config=CONFIG),
                                                                 tmp / f"min_{n}.json", "JSON_MIN")
    runs = report(f"JSON_MIN, {args.tasks:,} W-NUT tasks: read_label_studio then export vs the converter "
                  "(target >= 3x in the worst run)", fns, args.repeat)
    ref = (tmp / "ref" / "result.json").read_bytes()
    ref_wall, ref_cpu, _ = runs["label_studio_sdk converter"]
    for n in sides:
        wall, cpu, _ = runs[f"read + export, {n}"]
        print(f"  {n}: {min(ref_wall) / min(wall):.1f}x best, {max(ref_wall) / max(wall):.1f}x worst "
              f"(CPU {min(ref_cpu) / min(cpu):.1f}x best), identical output: "
              f"{(tmp / f'min_{n}.json').read_bytes() == ref}")

    frame = pd.DataFrame({"text": [t["data"]["text"] for t in big_tasks]}, index=[t["id"] for t in big_tasks])
    from nblabel.tasks._ids import task_key
    labs = {}
    stores = {n: tmp / f"store_{n}.sqlite" for n in sides}
    for n, m in sides.items():
        store = stores[n]
        fill_store(store, [task_key(t["id"]) for t in big_tasks], [t["annotations"][0]["result"] for t in big_tasks],
                   [t["data"]["text"] for t in big_tasks])
        labs[n] = m.Labeler(frame, CONFIG, annotator="alice", store=str(store))
    title = f"Labeler over a {args.big:,}-row DataFrame, an answer per row in its store"
    # opening checks every stored answer against its row (as each write-back does again); close() is ~0.1 ms
    report(f"{title}: open", {n: (lambda m=m, n=n: m.Labeler(frame, CONFIG, annotator="alice",
                                                              store=str(stores[n])).close())
                              for n, m in sides.items()}, args.repeat)
    report(f"{title}: to_pandas() (target <= 0.5 s)", {n: lab.to_pandas for n, lab in labs.items()}, args.repeat)
    report(f"{title}: to_label_studio() (target <= 1 s)", {n: lab.to_label_studio for n, lab in labs.items()},
           args.repeat)
    report(f"{title}: export(..., 'JSON') (target <= 1 s)",
           {n: (lambda lab=lab, n=n: lab.export(tmp / f"lab_{n}.json", "JSON")) for n, lab in labs.items()},
           args.repeat)
    print(f"{title}: export(..., 'JSON'), the most memory held at once (tracemalloc, one untimed run each)")
    for n, lab in labs.items():
        print(f"  {n}: {peak_memory(lambda lab=lab, n=n: lab.export(tmp / f'lab_{n}.json', 'JSON')) / 1e6:.0f} MB")
    for lab in labs.values():
        lab.close()

    runs = report(f"Labeler(list of {args.big:,} Label Studio tasks, config): open (target <= 0.5 s)",
                  {n: (lambda m=m, n=n: m.Labeler(list(big_tasks), CONFIG, annotator="alice",
                                                  store=str(tmp / f"list_{n}_{uuid.uuid4().hex}.sqlite")))
                   for n, m in sides.items()}, args.repeat)
    labs = {n: r[2] for n, r in runs.items()}
    title = f"Labeler over {args.big:,} Label Studio tasks"
    report(f"{title}: to_pandas() (target <= 0.5 s)", {n: lab.to_pandas for n, lab in labs.items()}, args.repeat)
    report(f"{title}: to_label_studio() (target <= 1 s)", {n: lab.to_label_studio for n, lab in labs.items()},
           args.repeat)
    report(f"{title}: export(..., 'JSON') (target <= 1 s)",
           {n: (lambda lab=lab, n=n: lab.export(tmp / f"list_{n}.json", "JSON")) for n, lab in labs.items()},
           args.repeat)
    for lab in labs.values():
        lab.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()

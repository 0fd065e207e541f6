"""Export speed: nblabel vs label_studio_sdk.converter, file to file, in one run.

    .venv/bin/python bench/bench_export.py [--tasks 20000] [--big 100000] [--repeat 3]

1. 20,000 NER tasks built from W-NUT 17 (`shared/data/ner/wnut17_train.conll`, sentences cycled) are written as a
   Label Studio JSON export. Each side converts that file to CONLL2003 and to JSON_MIN; nblabel both through a
   DataFrame (`export(read_label_studio(file), ...)`, the notebook path) and file to file (`export(file, ...)`).
   Outputs are checked byte-identical to the converter's. Targets: >= 10x (CONLL2003), >= 3x (JSON_MIN).
2. 100,000 annotated tasks in a DataFrame (one emoji-bearing text in ten, so offsets are converted) written as
   Label Studio JSON. Target: <= 2 s.
nblabel's token caches are cleared before each of its runs: the times are those of a first export.
Times are the best of --repeat runs, taken alternately so both sides see the same machine load: wall clock, and
CPU time of this process (steadier on a shared machine, where waiting for a CPU inflates wall clock).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nblabel  # noqa: E402
from nblabel.formats._conll import clear_caches  # noqa: E402

WNUT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "wnut17_train.conll"
LABELS = ("person", "location", "group", "corporation", "product", "creative-work")
CONFIG = ('<View><Labels name="label" toName="text">' + "".join(f'<Label value="{v}"/>' for v in LABELS)
          + '</Labels><Text name="text" value="$text"/></View>')


def sentences(path: Path) -> list[list[tuple[str, str]]]:
    out, sent = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sent:
                out.append(sent)
            sent = []
            continue
        token, tag = line.rsplit("\t", 1) if "\t" in line else line.rsplit(" ", 1)
        sent.append((token, tag))
    if sent:
        out.append(sent)
    return out


def task(i: int, sent: list[tuple[str, str]], emoji: bool = False) -> dict:
    """Tokens joined by spaces; BIO tags become `labels` spans (UTF-16 offsets, as Label Studio stores them)."""
    text, spans, current = ("🙂 " if emoji else ""), [], None
    for token, tag in sent:
        if text and not text.endswith(" "):
            text += " "
        start = len(text)
        text += token
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = [start, len(text), tag[2:]]
            spans.append(current)
        elif tag.startswith("I-"):
            current[1] = len(text)
        else:
            current = None
    shift = 1 if emoji else 0  # the emoji is one code point, two UTF-16 units
    result = [{"id": f"{i}-{k}", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": a + shift, "end": b + shift, "text": text[a:b], "labels": [label]}}
              for k, (a, b, label) in enumerate(spans)]
    return {"id": i + 1, "data": {"text": text},
            "annotations": [{"id": i + 1, "completed_by": 1, "result": result, "was_cancelled": False,
                             "ground_truth": False, "created_at": "2024-01-01T00:00:00.000000Z",
                             "updated_at": "2024-01-01T00:00:00.000000Z", "lead_time": 3.5}],
            "predictions": [], "meta": {}}


def timed(fn) -> tuple[float, float]:
    """(wall, cpu) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--wnut", type=Path, default=WNUT, help="W-NUT 17 CoNLL file (default: %(default)s)")
    args = ap.parse_args()
    if not args.wnut.is_file():
        sys.exit(f"W-NUT 17 not found at {args.wnut}")
    from label_studio_sdk.converter import Converter

    sents = sentences(args.wnut)
    tmp = Path(tempfile.mkdtemp(prefix="nblabel-bench-"))
    src = tmp / "tasks.json"
    src.write_text(json.dumps([task(i, sents[i % len(sents)]) for i in range(args.tasks)]), encoding="utf-8")
    print(f"{args.tasks:,} W-NUT 17 tasks ({len(sents):,} sentences cycled), {src.stat().st_size / 1e6:.1f} MB "
          f"Label Studio JSON; best of {args.repeat}")
    converter = Converter(CONFIG, project_dir=None)
    targets = {"CONLL2003": 10.0, "JSON_MIN": 3.0}
    names = {"CONLL2003": "result.conll", "JSON_MIN": "result.json"}
    for fmt, target in targets.items():
        ref_dir = tmp / f"ref_{fmt}"
        frame_out, direct_out = tmp / f"frame_{fmt}", tmp / f"direct_{fmt}"
        t_ref, t_frame, t_direct = [], [], []
        for _ in range(args.repeat):  # alternate, so both sides see the same load
            t_ref.append(timed(lambda d=ref_dir, f=fmt: converter.convert(str(src), str(d), f, is_dir=False)))
            clear_caches()  # a first export: no token cut cached from an earlier run
            t_frame.append(timed(lambda o=frame_out, f=fmt: nblabel.export(
                nblabel.read_label_studio(src, config=CONFIG), o, f)))
            clear_caches()
            t_direct.append(timed(lambda o=direct_out, f=fmt: nblabel.export(src, o, f, config=CONFIG)))
        ref = (ref_dir / names[fmt]).read_bytes()
        same = frame_out.read_bytes() == ref and direct_out.read_bytes() == ref
        (rw, rc), (fw, fc), (dw, dc) = best(t_ref), best(t_frame), best(t_direct)
        print(f"{fmt:9} target >= {target:.0f}x, identical output: {same}")
        print(f"  wall  converter {rw:6.3f} s | nblabel file to file {dw:6.3f} s ({rw / dw:5.1f}x) | "
              f"via DataFrame {fw:6.3f} s ({rw / fw:5.1f}x)")
        print(f"  cpu   converter {rc:6.3f} s | nblabel file to file {dc:6.3f} s ({rc / dc:5.1f}x) | "
              f"via DataFrame {fc:6.3f} s ({rc / fc:5.1f}x)")

    big = [task(i, sents[i % len(sents)], emoji=i % 10 == 0) for i in range(args.big)]
    big_src = tmp / "big.json"
    big_src.write_text(json.dumps(big), encoding="utf-8")
    del big
    t = time.perf_counter()
    df = nblabel.read_label_studio(big_src, config=CONFIG)
    t_read = time.perf_counter() - t
    out = tmp / "big_out.json"
    wall, cpu = best([timed(lambda: nblabel.export(df, out, "JSON")) for _ in range(args.repeat)])
    print(f"{args.big:,} annotated tasks (DataFrame) -> Label Studio JSON: {wall:.3f} s wall, {cpu:.3f} s cpu "
          f"(target <= 2 s); {out.stat().st_size / 1e6:.0f} MB; reading that file into a DataFrame: {t_read:.3f} s")
    for p in sorted(tmp.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    tmp.rmdir()
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()

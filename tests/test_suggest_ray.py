"""Pre-labeling on a real local Ray instance (`ray.init(num_cpus=2)`): the same predictions as in-process."""

from __future__ import annotations

import functools
import os

import numpy as np
import pandas as pd
import pytest

import nblabel
from helpers import minilm

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'nblabel[ray]')")

CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="s" toName="text"><Choice value="Pos"/><Choice value="Neg"/></Choices></View>"""
NER = """<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="X"/></Labels></View>"""


@pytest.fixture(scope="module")
def local_ray():
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    # Workers import this module's factories by reference: they need the tests folder (and this checkout) on
    # their path, as a user's workers need the user's modules.
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.pathsep.join([here, os.path.dirname(here), os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield ray
    ray.shutdown()


def _rule_factory():
    """A zero-argument factory: what each actor calls once to build its model."""
    loads = []

    def predict(tasks):
        loads.append(len(tasks))
        return [("Neg", 0.9) if "bad" in t["data"]["text"] else ("Pos", 0.6 + len(t["data"]["text"]) / 1000)
                for t in tasks]
    return predict


def _strip(pred):
    if pred is None:
        return None
    return {**pred, "result": [{k: v for k, v in r.items() if k != "id"} for r in pred["result"]]}


def _frame(n):
    rng = np.random.default_rng(3)
    words = np.array(["good", "bad", "fine", "awful", "ok"])
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 8))) for _ in range(n)]
    return pd.DataFrame({"text": texts, "other": np.arange(n)}, index=pd.Index([f"t{i}" for i in range(n)]))


def test_dataframe_on_ray_equals_in_process(local_ray):
    df = _frame(2000)
    on_ray = nblabel.prelabel(df, CONFIG, _rule_factory, engine="ray", concurrency=2, batch_size=128)
    local = nblabel.prelabel(df, CONFIG, _rule_factory())
    assert on_ray.index.equals(df.index)
    assert [_strip(p) for p in on_ray] == [_strip(p) for p in local]
    assert sum(p["result"][0]["value"]["choices"] == ["Neg"] for p in on_ray) == df.text.str.contains("bad").sum()


def test_spans_and_missing_suggestions_keep_their_rows(local_ray):
    df = pd.DataFrame({"text": ["an X here", "nothing", "X and X"]}, index=[10, 20, 30])

    def factory():
        return lambda tasks: [[(i, i + 1, "X") for i, c in enumerate(t["data"]["text"]) if c == "X"] or None
                              for t in tasks]
    on_ray = nblabel.prelabel(df, NER, factory, engine="ray", batch_size=2)
    local = nblabel.prelabel(df, NER, factory())
    assert [_strip(p) for p in on_ray] == [_strip(p) for p in local]
    assert on_ray.loc[20] is None and len(on_ray.loc[30]["result"]) == 2
    assert on_ray.loc[30]["result"][1]["value"]["text"] == "X"


def test_ray_dataset_in_dataset_out(local_ray):
    df = _frame(300).reset_index()
    ds = local_ray.data.from_pandas(df)
    out = nblabel.prelabel(ds, CONFIG, _rule_factory, engine="ray", batch_size=64).to_pandas()
    assert len(out) == 300 and set(df.columns) <= set(out.columns)
    import orjson
    by_text = {t: orjson.loads(p) for t, p in zip(out["text"], out["predictions"])}
    local = nblabel.prelabel(df, CONFIG, _rule_factory())
    for text, pred in zip(df["text"], local):
        assert _strip(by_text[text]) == _strip(pred)


def test_a_pipeline_object_is_refused_with_the_factory_advice(local_ray):
    from transformers import pipeline
    pipe = pipeline("text-classification", model=_tiny_classifier())
    with pytest.raises(TypeError, match="factory"):
        nblabel.prelabel(_frame(5), CONFIG, pipe, engine="ray")


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ValueError, match='"local"'):
        nblabel.prelabel(_frame(3), CONFIG, _rule_factory(), engine="dask")


@functools.lru_cache(maxsize=1)
def _tiny_classifier():
    """A randomly initialised two-label BERT small enough to build in the test (no downloads); built once."""
    import tempfile
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast
    folder = tempfile.mkdtemp(prefix="nblabel-tinybert-")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "fine", "awful", "ok"]
    with open(f"{folder}/vocab.txt", "w") as f:
        f.write("\n".join(vocab))
    BertTokenizerFast(f"{folder}/vocab.txt").save_pretrained(folder)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, num_labels=2, id2label={0: "Pos", 1: "Neg"}, label2id={"Pos": 0, "Neg": 1})
    import torch
    torch.manual_seed(0)
    BertForSequenceClassification(cfg).save_pretrained(folder)
    return folder


def test_pipeline_factory_loads_once_per_actor_and_matches(local_ray):
    folder = _tiny_classifier()

    def factory():
        from transformers import pipeline
        return pipeline("text-classification", model=folder)
    df = _frame(400)
    on_ray = nblabel.prelabel(df, CONFIG, factory, engine="ray", concurrency=2, batch_size=64)
    local = nblabel.prelabel(df, CONFIG, factory(), batch_size=64)
    assert [p["result"][0]["value"] for p in on_ray] == [p["result"][0]["value"] for p in local]
    assert np.allclose([p["score"] for p in on_ray], [p["score"] for p in local], atol=1e-5)


def test_learner_embeds_on_ray_and_predicts_the_same(local_ray):
    path = minilm()
    df = _frame(120)
    ray_learner, local_learner = nblabel.Learner(encoder=path), nblabel.Learner(encoder=path)
    from nblabel.suggest import _ray
    ray_learner.bind(nblabel.parse_config(CONFIG))
    assert _ray.embed(ray_learner, df.text.tolist(), concurrency=2) == df.text.nunique()
    assert ray_learner._encode is None  # every vector came from the actors; this process loaded no model yet
    on_ray = nblabel.prelabel(df, CONFIG, ray_learner, engine="ray", concurrency=2)
    local = nblabel.prelabel(df, CONFIG, local_learner)
    assert [p["result"][0]["value"] for p in on_ray] == [p["result"][0]["value"] for p in local]
    assert np.allclose([p["score"] for p in on_ray], [p["score"] for p in local], atol=1e-4)


def test_a_column_name_is_refused_before_ray_starts(monkeypatch):
    """A column runs no model: engine="ray" says so at once instead of failing inside every actor."""
    from nblabel.suggest import _ray

    def no_ray():
        raise AssertionError("Ray was started for a column")
    monkeypatch.setattr(_ray, "_ray", no_ray)
    with pytest.raises(ValueError, match='engine="local"'):
        nblabel.prelabel(_frame(3), CONFIG, "other", engine="ray")

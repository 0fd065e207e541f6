"""Pipelines run directly over the whole input: same answers as a per-text loop, length-sorted batches."""

import os

import pandas as pd
import pytest

import nblabel

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

WORDS = ["ann", "works", "at", "ibm", "good", "bad", "movie", "this", "is", "a", "##s", "bob", "example",
         "positive", "negative", "."]
SENTIMENT = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
NER = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
<Text name="text" value="$text"/></View>"""
# lengths alternate short / long, so batches cut before sorting always pad to the long length
TEXTS = ["bob", "this is a good movie at ibm", "bad", "ann works at ibm this is a bad movie", "good",
         "this movie is good bob works at ibm", "ibm", "a bad bad bad movie ann", "ann"]


@pytest.fixture(scope="module")
def tokenizer():
    # the vocabulary given as a mapping (recent transformers ignore `vocab_file=` on the fast tokenizer)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    tok = transformers.BertTokenizerFast(vocab={w: i for i, w in enumerate(words)})
    assert tok("ann works")["input_ids"] == [2, 5, 6, 3]
    return tok


def tiny(cls, labels, seed=0):
    # large random weights (initializer_range) so that the untrained model's answers differ by text
    config = transformers.BertConfig(vocab_size=5 + len(WORDS), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
                                     initializer_range=0.5,
                                     id2label=dict(enumerate(labels)),
                                     label2id={name: i for i, name in enumerate(labels)})
    torch.manual_seed(seed)
    return cls(config).eval()


def watch(model):
    """Each forward's input width, padding share and whether inference mode was on."""
    seen = []

    def hook(module, args, kwargs):
        mask = kwargs["attention_mask"]
        seen.append((mask.shape, int(mask.sum()), torch.is_inference_mode_enabled()))
    model.register_forward_pre_hook(hook, with_kwargs=True)
    return seen


def test_text_classification_matches_the_loop_and_sorts_the_whole_input(tokenizer):
    model = tiny(transformers.BertForSequenceClassification, ["Negative", "Positive"])
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=tokenizer)
    loop = [pipe(t)[0] for t in TEXTS]
    assert {r["label"] for r in loop} == {"Negative", "Positive"}, "the tiny model must give both answers"
    seen = watch(model)
    out = nblabel.prelabel(pd.DataFrame({"text": TEXTS}), SENTIMENT, pipe, batch_size=2)
    for p, r in zip(out, loop):
        assert p["result"][0]["value"]["choices"] == [r["label"]]
        assert p["score"] == pytest.approx(r["score"], abs=1e-5)
    assert all(inference for _, _, inference in seen)
    widths = [shape[1] for shape, _, _ in seen]
    assert widths == sorted(widths), "batches go shortest first over the whole input"
    assert sum(shape[0] * shape[1] for shape, _, _ in seen) - sum(real for _, real, _ in seen) <= 6, \
        "neighbours in length share a batch: little padding"


def test_text_classification_top_k_ranks_and_maps(tokenizer):
    model = tiny(transformers.BertForSequenceClassification, ["Negative", "other", "Positive"], seed=6)
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=tokenizer, top_k=None)
    loop = [pipe(t)[0] for t in TEXTS]  # a text alone comes back wrapped in a list
    out = nblabel.prelabel(pd.DataFrame({"text": TEXTS}), SENTIMENT, pipe)
    assert {r[0]["label"] for r in loop} >= {"other", "Positive"}, "some texts rank the unmapped label first"
    for p, ranked in zip(out, loop):
        best = next(g for g in ranked if g["label"] != "other")  # "other" is no option of the config
        assert p["result"][0]["value"]["choices"] == [best["label"]]
        assert p["score"] == pytest.approx(best["score"], abs=1e-5)


def test_zero_shot_matches_the_loop(tokenizer):
    model = tiny(transformers.BertForSequenceClassification, ["entailment", "neutral", "contradiction"], seed=2)
    pipe = transformers.pipeline("zero-shot-classification", model=model, tokenizer=tokenizer)
    options = ["Positive", "Negative"]
    loop = [pipe(t, candidate_labels=options) for t in TEXTS]
    assert {r["labels"][0] for r in loop} == set(options), "the tiny model must give both answers"
    seen = watch(model)
    out = nblabel.prelabel(pd.DataFrame({"text": TEXTS}), SENTIMENT, pipe, batch_size=4)
    for p, r in zip(out, loop):
        assert p["result"][0]["value"]["choices"] == [r["labels"][0]]
        assert p["score"] == pytest.approx(r["scores"][0], abs=1e-5)
    assert len(seen) == 5 and all(inference for _, _, inference in seen)  # 18 text/hypothesis pairs, 4 a call


def test_token_classification_matches_the_loop(tokenizer):
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    model = tiny(transformers.BertForTokenClassification, labels, seed=3)
    pipe = transformers.pipeline("token-classification", model=model, tokenizer=tokenizer,
                                 aggregation_strategy="simple")
    texts = ["😀 " + t for t in TEXTS]  # astral characters: offsets stay in code points
    loop = [pipe(t) for t in texts]
    assert sum(len(r) for r in loop) > len(texts), "the tiny model must find entities"
    seen = watch(model)
    out = nblabel.prelabel(pd.DataFrame({"text": texts}), NER, pipe, batch_size=3)
    for p, ents, text in zip(out, loop, texts):
        got = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in p["result"]]
        assert got == [(e["start"], e["end"], e["entity_group"]) for e in ents]
        assert [r["score"] for r in p["result"]] == pytest.approx([e["score"] for e in ents], abs=1e-5)
        assert all(text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"] for r in p["result"])
    assert len(seen) == 3 and all(inference for _, _, inference in seen)


def test_token_classification_with_a_stride_uses_the_pipeline(tokenizer):
    """Long texts cut into overlapping windows: the pipeline's own path, same answers as the loop."""
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    model = tiny(transformers.BertForTokenClassification, labels, seed=3)
    tokenizer.model_max_length = 8
    try:
        pipe = transformers.pipeline("token-classification", model=model, tokenizer=tokenizer,
                                     aggregation_strategy="simple", stride=2)
        loop = [pipe(t) for t in TEXTS]
        out = nblabel.prelabel(pd.DataFrame({"text": TEXTS}), NER, pipe)
    finally:
        tokenizer.model_max_length = 64
    for p, ents in zip(out, loop):
        assert [(r["value"]["start"], r["value"]["end"]) for r in p["result"]] == \
            [(e["start"], e["end"]) for e in ents]


def test_learner_embeds_with_a_pipeline_like_the_pipeline(tokenizer):
    import numpy as np
    model = tiny(transformers.BertModel, ["x"])
    pipe = transformers.pipeline("feature-extraction", model=model, tokenizer=tokenizer)
    learner = nblabel.Learner(encoder=pipe, batch_size=2)
    seen = watch(model)
    got = learner.embed(TEXTS)
    seen = list(seen)
    want = np.stack([np.asarray(pipe(t))[0].mean(0) for t in TEXTS])
    want /= np.linalg.norm(want, axis=1, keepdims=True)
    assert np.allclose(got, want, atol=1e-5)
    widths = [shape[1] for shape, _, _ in seen]
    assert len(seen) == 5 and widths == sorted(widths) and all(inference for _, _, inference in seen)

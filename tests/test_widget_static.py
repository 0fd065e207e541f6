"""The static card displayed after the widget: what a notebook reopened without its kernel shows in its place."""

from __future__ import annotations

import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

import nblabel
from helpers import CONFIG, frame
from nblabel.widget._static import static_html

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def shell():
    return InteractiveShell.instance()


def shown(shell, lab) -> list[dict]:
    shell.user_ns["lab"] = lab
    with capture_output() as out:
        shell.run_cell("lab", store_history=False)
    return [o.data for o in out.outputs]


def test_the_widget_then_its_card(shell, tmp_path):
    lab = nblabel.Labeler(frame(7), CONFIG, annotator="alice", store=tmp_path / "s.db")
    widget, card = shown(shell, lab)
    assert widget[WIDGET_VIEW]["model_id"] == lab.model_id and "text/html" not in widget
    html = card["text/html"]
    assert f'data-nblabel-view="{lab._view_token}"' in html and 'class="nblabel-static"' in html
    assert "Run this cell again to resume labeling" in html
    assert str((tmp_path / "s.db").resolve()) in html and "annotator alice · 7 tasks" in html


def test_the_token_is_what_the_state_carries(tmp_path):
    from test_widget_messages import Browser

    lab = nblabel.Labeler(frame(2), CONFIG, annotator="a", store=tmp_path / "s.db")
    assert Browser(lab).say({"type": "hello", "id": "h1"})["view_token"] == lab._view_token


def test_a_memory_store_says_the_answers_ended_with_the_kernel(shell):
    _, card = shown(shell, nblabel.Labeler(frame(2), CONFIG, annotator="a", store=":memory:"))
    assert "kept in memory only" in card["text/html"]


def test_every_value_in_the_card_is_escaped():
    html = static_html('<img src=x onerror="alert(1)">', "/tmp/<script>x</script>.db", None, '"><b>')
    assert "<img" not in html and "<script>" not in html and '"><b>' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html and "&lt;script&gt;" in html


def test_colab_gets_the_widget_alone(shell, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    outputs = shown(shell, nblabel.Labeler(frame(2), CONFIG, annotator="a", store=tmp_path / "s.db"))
    assert len(outputs) == 1 and WIDGET_VIEW in outputs[0]

"""The Python side of hostile task data: `Labeler(remote=...)` reaches the browser's state, and error messages about
huge configs or values are cut to a readable length (headless and through a widget `nack`)."""

from __future__ import annotations

import threading
import uuid

import pytest

import nblabel
from helpers import CONFIG, choice, deliver, frame


def _state(lab: nblabel.Labeler) -> dict:
    sent: list[dict] = []
    lab.send = lambda content, buffers=None: sent.append(content)
    deliver(lab, {"type": "hello", "id": "h1"})
    return next(m for m in sent if m["type"] == "state")


def test_remote_defaults_to_media_and_reaches_the_state(tmp_path):
    assert _state(nblabel.Labeler(frame(3), CONFIG, store=tmp_path / "a.db"))["remote"] == "media"
    assert _state(nblabel.Labeler(frame(3), CONFIG, store=tmp_path / "b.db", remote="all"))["remote"] == "all"


@pytest.mark.parametrize("bad", ["everything", "", None, True, "ALL"])
def test_remote_refuses_anything_else_with_the_choices(tmp_path, bad):
    with pytest.raises(ValueError, match=r"remote=.*expected one of 'media', 'all'"):
        nblabel.Labeler(frame(3), CONFIG, store=tmp_path / "c.db", remote=bad)


def _many_options(n: int) -> str:
    options = "".join(f'<Choice value="option number {i}"/>' for i in range(n))
    return f'<View><Text name="text" value="$text"/><Choices name="c" toName="text">{options}</Choices></View>'


def test_an_invalid_option_among_thousands_is_a_short_message(tmp_path):
    lab = nblabel.Labeler(frame(3), _many_options(5000), store=tmp_path / "s.db")
    with pytest.raises(ValueError) as err:
        lab.submit(choice("nope", name="c"))
    msg = str(err.value)
    assert "'nope' is not an option" in msg and "option number 0, option number 1" in msg
    assert "(4,980 more)" in msg and len(msg) < 1000


def test_a_two_megabyte_value_is_cut_in_the_message(tmp_path):
    lab = nblabel.Labeler(frame(3), CONFIG, store=tmp_path / "s.db")
    huge = "x" * 2_000_000
    with pytest.raises(ValueError) as err:
        lab.submit(choice(huge))
    msg = str(err.value)
    assert msg.startswith("result[0]: 'xxxx") and "(2,000,002 characters)" in msg and len(msg) < 600
    with pytest.raises(ValueError) as err:
        lab.submit([{"from_name": huge, "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}])
    assert len(str(err.value)) < 600


def test_a_nack_for_a_huge_value_is_short(tmp_path):
    lab = nblabel.Labeler(frame(3), _many_options(5000), store=tmp_path / "s.db")
    sent: list[dict] = []
    lab.send = lambda content, buffers=None: sent.append(content)
    msg = {"type": "submit", "id": uuid.uuid4().hex, "key": "0", "lead_time": 1.0,
           "result": choice("y" * 2_000_000, name="c")}
    t = threading.Thread(target=deliver, args=(lab, msg))  # like a kernel subshell
    t.start()
    t.join()
    nack = next(m for m in sent if m["type"] == "nack")
    assert "is not an option" in nack["message"] and len(nack["message"]) < 1000


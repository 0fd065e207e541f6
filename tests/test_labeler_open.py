"""Opening a Labeler: `nblabel.Suggest` groups the predictor settings, and a constructor that raises shows only its
own error (nothing half-built complains later when it is garbage-collected)."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import nblabel
from helpers import CONFIG, frame

TYPO = CONFIG.replace('toName="text"', 'toName="txt"')  # a typo: names no object


def _unraisable(monkeypatch) -> list:
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(f"{info.exc_type.__name__}: {info.exc_value}"))
    return seen


@pytest.mark.parametrize("kwargs", [
    {"config": TYPO},
    {"config": CONFIG, "order": "sideways"},  # refused by the queue, after the store and suggestions opened
    {"config": CONFIG, "predictor": object()},  # refused by the suggestions, after the store opened
], ids=["config typo", "bad order", "bad predictor"])
def test_a_failed_constructor_leaves_nothing_behind(tmp_path, monkeypatch, kwargs):
    """No comm is opened for it (ipywidgets would keep it alive), and nothing complains when it is collected."""
    seen = _unraisable(monkeypatch)
    before = _labelers()
    with pytest.raises((nblabel.ConfigError, ValueError, TypeError)):
        nblabel.Labeler(frame(3), store=tmp_path / "s.db", **kwargs)
    gc.collect()
    assert _labelers() == before
    assert seen == []


def _labelers() -> int:
    gc.collect()
    return sum(isinstance(o, nblabel.Labeler) for o in gc.get_objects())


def test_a_config_typo_prints_only_the_config_error(tmp_path):
    script = textwrap.dedent(f"""
        import pandas as pd, nblabel
        config = {TYPO!r}
        lab = nblabel.Labeler(pd.DataFrame({{"text": ["a", "b"]}}), config, store=":memory:")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 1
    assert "nblabel._errors.ConfigError" in run.stderr and 'toName="txt"' in run.stderr
    assert "Exception ignored" not in run.stderr and "_closed" not in run.stderr


# -- nblabel.Suggest -----------------------------------------------------------------------------------------------
def _scored(tasks):
    """Positive at 0.9 for even task ids, Negative at 0.3 for odd ones; records each batch's size."""
    _scored.batches.append(len(tasks))
    return [("Positive", 0.9) if t["id"] % 2 == 0 else ("Negative", 0.3) for t in tasks]


def _run(**kwargs) -> tuple[list, list]:
    """Accept every shown suggestion in order; a hidden one is answered by hand. → (labels, batch sizes)."""
    _scored.batches = []
    lab = nblabel.Labeler(frame(6), CONFIG, store=":memory:", **kwargs)
    labels = []
    while (cur := lab.current) is not None:
        try:
            ann = lab.submit()
        except ValueError:  # below the threshold: nothing is shown, so Enter (submit()) has nothing to accept
            ann = lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices",
                               "value": {"choices": ["Neutral"]}}])
        labels.append((cur["id"], ann["result"][0]["value"]["choices"][0], ann["result"][0]["origin"]))
    lab.close()
    return labels, _scored.batches


def test_suggest_means_what_the_five_keywords_mean():
    grouped = _run(predictor=nblabel.Suggest(_scored, timeout=5, batch=2, threshold=0.5))
    loose = _run(predictor=_scored, predictor_timeout=5, predictor_batch=2, threshold=0.5)
    assert grouped == loose
    labels, batches = grouped
    assert labels[:2] == [(0, "Positive", "prediction"), (1, "Neutral", "manual")]  # 0.3 < threshold: hidden
    assert max(batches) == 2


def test_suggest_settings_reach_the_worker():
    lab = nblabel.Labeler(frame(2), CONFIG, store=":memory:", predictor=nblabel.Suggest(_scored, timeout=7, batch=3))
    assert (lab._suggest.worker.timeout, lab._suggest.worker.batch_size) == (7, 3)
    lab.close()


def test_suggest_and_loose_keywords_together_are_refused():
    with pytest.raises(TypeError, match="predictor_batch, threshold, hint_below"):
        nblabel.Labeler(frame(2), CONFIG, store=":memory:", predictor=nblabel.Suggest(_scored), predictor_batch=4,
                        threshold=0.2, hint_below=None)


def test_suggest_is_documented_and_exported():
    assert "timeout" in nblabel.Suggest.__doc__ and "threshold" in nblabel.Suggest.__doc__
    assert "Suggest" in nblabel.__all__ and "Suggest" in nblabel.Labeler.__doc__
    assert nblabel.Suggest(pd.Series(["Positive"])).batch == 16

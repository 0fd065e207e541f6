"""What happened to the suggestions: accepted or corrected, per answer, for `suggestion_stats()` and the panel.

Rule: an answer counts as *accepted* when every item of the shown suggestion came back with
`origin: "prediction"` and nothing was added; anything else with a suggestion shown is *corrected*. Answers
without a suggestion are not counted (there was nothing to accept). A resumed Labeler rebuilds the log from the
store (`resume`): answers with a `parent_prediction`, in the order they were last saved; there the rule is "every
item has `origin: "prediction"`" (the store does not keep how many items the suggestion had, so a suggested item
deleted before submitting counts as accepted only in a resumed log).
"""

from __future__ import annotations

import time
from datetime import datetime

import pandas as pd

from ..tasks._ids import id_from_key, plain_id

_WINDOW = 20  # the accuracy line is the acceptance rate over the last 20 answers


class SuggestionLog:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def record(self, key: str, result: list[dict], shown: dict | None, pid: int | None) -> None:
        if shown is None:
            return
        accepted = bool(result) and all(item.get("origin") == "prediction" for item in result) \
            and len(result) == len(shown.get("result", []))
        self.withdraw(key)  # a re-submit replaces the earlier answer's row
        self.rows.append({"task_key": key, "accepted": accepted, "score": shown.get("score"),
                          "model_version": shown.get("model_version"), "prediction_id": pid, "time": time.time()})

    def resume(self, annotations) -> None:
        """Rows for stored answers (a re-run or a resumed session), oldest first; `annotations` are store rows."""
        rows: dict[str, dict] = {}  # one row per task (a live annotation per task and annotator): O(n)
        for a in sorted(annotations, key=lambda a: a.updated_at):
            if a.was_cancelled or a.parent_prediction is None:
                continue
            meta = a.prediction or {}
            accepted = bool(a.result) and all(item.get("origin") == "prediction" for item in a.result)
            rows.pop(a.task_key, None)
            rows[a.task_key] = {"task_key": a.task_key, "accepted": accepted, "score": meta.get("score"),
                                "model_version": meta.get("model_version"), "prediction_id": a.parent_prediction,
                                "time": _epoch(a.updated_at)}
        known = set(rows)
        self.rows = [r for r in self.rows if r["task_key"] not in known] + list(rows.values())

    def withdraw(self, key: str) -> None:
        self.rows = [r for r in self.rows if r["task_key"] != key]

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=["task_key", "accepted", "score", "model_version", "prediction_id",
                                              "time"])
        df.insert(0, "task_id", [plain_id(id_from_key(k)) for k in df["task_key"]])
        df = df.drop(columns="task_key")
        df["accepted"] = df["accepted"].astype(bool)
        df["corrected"] = ~df["accepted"]
        df["accuracy_recent"] = df["accepted"].astype(float).rolling(_WINDOW, min_periods=1).mean()
        df["accepted_total"] = df["accepted"].cumsum()
        df["time"] = pd.to_datetime(df["time"], unit="s", utc=True)
        return df

    def panel(self, points: int = 60) -> dict:
        accepted = sum(r["accepted"] for r in self.rows)
        line, run = [], []
        for r in self.rows:
            run.append(r["accepted"])
            line.append(round(sum(run[-_WINDOW:]) / len(run[-_WINDOW:]), 3))
        return {"accepted": accepted, "corrected": len(self.rows) - accepted, "window": _WINDOW,
                "accuracy": line[-points:]}


def _epoch(stamp: str) -> float:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        return time.time()

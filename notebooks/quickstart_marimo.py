import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    import marimo as mo

    mo.md(
        """
        # nblabel quickstart (marimo)

        Label product reviews as **Positive**, **Negative** or **Neutral**. Open this notebook with
        `marimo edit notebooks/quickstart_marimo.py` (or serve it as an app with `marimo run`).
        The widget appears under the cell that ends with `widget`.
        """
    )
    return (mo,)


@app.cell
def _():
    from pathlib import Path

    import pandas as pd
    import nblabel

    # reviews.csv sits beside this notebook; one row per task, the index is the task id
    df = pd.read_csv(Path(__file__).parent / "reviews.csv")
    df.head()
    return df, nblabel


@app.cell
def _():
    config = """<View>
      <Text name="text" value="$review_text"/>
      <Choices name="sentiment" toName="text" choice="single">
        <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
      </Choices>
      <TextArea name="note" toName="text" placeholder="Optional note"/>
    </View>"""
    return (config,)


@app.cell
def _(mo):
    mo.md(
        """
        Click the widget, then label with the keyboard: `1` `2` `3` pick an option, `Enter` submits,
        `s` skips, `z` / `Shift+Z` undo / redo, `←` goes back, `?` shows every key, `Esc` hands the keyboard back
        to marimo. While the widget has the focus its keys never reach marimo's shortcuts.

        `store=":memory:"` keeps this demo's labels in memory only. Leave `store` out to keep them in
        `./.nblabel/` (SQLite), where they survive restarts; re-running this cell resumes where you stopped.
        """
    )
    return


@app.cell
def _(config, df, mo, nblabel):
    lab = nblabel.Labeler(df, config, annotator="you", store=":memory:")
    widget = mo.ui.anywidget(lab)
    widget
    return lab, widget


@app.cell
def _(lab, mo, widget):
    # This cell reads `widget`, so marimo re-runs it after every answer given in the widget.
    _status = widget.value.get("status") or lab.progress
    _last = lab.last_annotation
    mo.md(
        f"**{_status['done']}** of {_status['total']} done, {_status['skipped']} skipped"
        + (f" · latest: task {_last['task']}" if _last else "")
    )
    return


@app.cell
def _(lab):
    # Everything the widget does is also a method: label from code, then read the answers back.
    if lab.current is not None:
        lab.submit([{"from_name": "sentiment", "to_name": "text", "type": "choices",
                     "value": {"choices": ["Positive"]}}])
    labeled = lab.to_pandas()
    labeled[["review_text", "sentiment", "note"]].head()
    return


if __name__ == "__main__":
    app.run()

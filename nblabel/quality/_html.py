"""The agreement report as a compact HTML table for the notebook: one row per control, then the worst tasks.

Rule: every name and id shown comes from task data or annotators, so all of it is escaped; styles are scoped to
the table's own class and use JupyterLab's `--jp-*` variables with fallbacks.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

_STYLE = """<style>
.nblabel-agreement{font:12px var(--jp-ui-font-family,system-ui,sans-serif);color:var(--jp-ui-font-color1,#222)}
.nblabel-agreement table{border-collapse:collapse;margin:4px 0 10px}
.nblabel-agreement th,.nblabel-agreement td{padding:2px 8px;text-align:right;white-space:nowrap;
 border-bottom:1px solid var(--jp-border-color2,#ddd)}
.nblabel-agreement th:first-child,.nblabel-agreement td:first-child{text-align:left}
.nblabel-agreement .bar{display:inline-block;height:8px;background:var(--jp-brand-color1,#1976d2);
 vertical-align:middle;margin-right:4px}
.nblabel-agreement caption{text-align:left;font-weight:600;padding:2px 0}
</style>"""
_COLUMNS = [("metric", "metric"), ("value", "agreement"), ("consensus_value", "consensus"),
            ("percent", "percent"), ("cohen_kappa", "Cohen κ"), ("fleiss_kappa", "Fleiss κ"),
            ("krippendorff_alpha", "Krippendorff α"), ("mean_iou", "mean IoU"), ("n_tasks", "tasks"),
            ("n_pairs", "pairs")]


def _cell(value, bar: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "<td>–</td>"
    if isinstance(value, float):
        shown = f"{value:.1f}" if abs(value) > 1.5 else f"{value:.3f}"
        if bar and 0 <= value <= 1:
            return f'<td><span class="bar" style="width:{round(value * 60)}px"></span>{shown}</td>'
        return f"<td>{shown}</td>"
    return f"<td>{escape(str(value))}</td>"


def report_html(rep: Any, worst: int = 5) -> str:
    """Summary per control, overall agreement and the `worst` tasks of an agreement report, as one HTML fragment
    (`rep` is typed loosely: this module sits below the report's and imports nothing from it)."""
    cols = [(k, label) for k, label in _COLUMNS if k in rep.summary.columns and rep.summary[k].notna().any()]
    head = "".join(f"<th>{escape(label)}</th>" for _, label in cols)
    rows = []
    for name, row in rep.summary.iterrows():
        cells = "".join(_cell(row[k], bar=k in ("value", "consensus_value")) for k, _ in cols)
        rows.append(f"<tr><td>{escape(str(name))}</td>{cells}</tr>")
    overall = "–" if math.isnan(rep.overall) else f"{rep.overall:.3f}"
    parts = [_STYLE, '<div class="nblabel-agreement">',
             f"<table><caption>Agreement · overall {overall} · {len(rep.per_task)} tasks · "
             f"{len(rep.pairs)} annotators</caption><tr><th>control</th>{head}</tr>{''.join(rows)}</table>"]
    low = rep.worst(worst)
    if len(low):
        controls = list(rep.per_task.columns)
        head = "".join(f"<th>{escape(str(c))}</th>" for c in controls)
        body = "".join(f"<tr><td>{escape(str(task))}</td>" + "".join(_cell(float(v)) for v in values) + "</tr>"
                       for task, values in zip(low.index, low.to_numpy()))
        parts.append(f"<table><caption>Lowest agreement</caption><tr><th>task</th>{head}</tr>{body}</table>")
    parts.append("</div>")
    return "".join(parts)

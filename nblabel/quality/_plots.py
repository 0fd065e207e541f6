"""Pictures of agreement, each a function returning a matplotlib `Figure` (optional extra: `nblabel[plot]`).

    from nblabel.quality import plots
    plots.pairs_heatmap(rep); plots.task_histogram(rep); plots.control_bars(rep)

Rule: figures are made with the object API (`matplotlib.figure.Figure`), never pyplot state, so nothing is shown
or kept open behind the caller's back; the notebook shows a returned Figure by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._agreement import AgreementReport


def _figure(width: float, height: float) -> "Figure":
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("nblabel's plots need matplotlib: pip install 'nblabel[plot]'") from None
    return Figure(figsize=(width, height), layout="constrained")


def pairs_heatmap(rep: "AgreementReport", control: str | None = None) -> "Figure":
    """Annotator × annotator agreement (overall, or of one `control`), each cell labeled."""
    matrix = rep.pairs if control is None else rep.pairs_for(control)
    names = [str(n) for n in matrix.index]
    size = max(3.0, 0.6 * len(names) + 2)
    fig = _figure(size + 1, size)
    ax = fig.add_subplot()
    values = matrix.to_numpy(float)
    image = ax.imshow(np.ma.masked_invalid(values), vmin=0, vmax=1, cmap="viridis")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    for (r, c), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(c, r, f"{v:.2f}", ha="center", va="center", color="white" if v < 0.6 else "black", fontsize=9)
    ax.set_title("Pairwise agreement" + (f" · {control}" if control else ""))
    fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def task_histogram(rep: "AgreementReport", column: str = "overall", bins: int = 20) -> "Figure":
    """How many tasks reach each level of agreement (0–1)."""
    values = rep.per_task[column].dropna().to_numpy(float)
    fig = _figure(6, 3.5)
    ax = fig.add_subplot()
    ax.hist(values, bins=np.linspace(0, 1, bins + 1), color="#1976d2", edgecolor="white")
    if len(values):
        ax.axvline(values.mean(), color="#d32f2f", linestyle="--", label=f"mean {values.mean():.2f}")
        ax.legend()
    ax.set_xlabel(f"per-task agreement ({column})")
    ax.set_ylabel("tasks")
    ax.set_title(f"Agreement per task · {len(values)} tasks")
    return fig


def control_bars(rep: "AgreementReport") -> "Figure":
    """One bar per control: pairwise agreement beside consensus agreement."""
    summary = rep.summary
    names = [str(n) for n in summary.index]
    fig = _figure(max(4.0, 1.2 * len(names) + 2), 3.5)
    ax = fig.add_subplot()
    x = np.arange(len(names))
    ax.bar(x - 0.2, summary["value"].to_numpy(float), 0.4, label="pairwise", color="#1976d2")
    ax.bar(x + 0.2, summary["consensus_value"].to_numpy(float), 0.4, label="consensus", color="#ffa000")
    ax.set_xticks(x, names)
    ax.set_ylim(0, 1)
    ax.set_ylabel("agreement")
    ax.set_title("Agreement per control")
    ax.legend()
    return fig

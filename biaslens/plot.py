"""Plots of per-party attributions (matplotlib). Each draws on ``ax`` and returns it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .report import LABELS, Report

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Okabe-Ito colour-blind-safe palette; one fixed colour per label.
LABEL_COLOURS = {"observation": "#0072B2", "allegation": "#E69F00", "opinion": "#CC79A7",
                 "other": "#999999"}


def attributions(report: Report, *, ax: "Axes | None" = None, **kwargs) -> "Axes":
    """Per party, statements about them stacked by label."""
    import matplotlib.pyplot as plt

    if ax is None:
        ax = plt.figure(figsize=kwargs.pop("figsize", (6, 3))).add_subplot()
    roles = list(report.parties)
    left = [0] * len(roles)
    for label in LABELS[:3]:
        counts = [sum(1 for s in report.statements if r in s.targets and s.label == label) for r in roles]
        ax.barh(roles, counts, left=left, color=LABEL_COLOURS[label], label=label, **kwargs)
        left = [a + b for a, b in zip(left, counts)]
    ax.set_xlabel("statements about the party")
    ax.set_title("Statements about each party, by label")
    if roles:
        ax.legend(loc="lower right", fontsize="small")
    return ax

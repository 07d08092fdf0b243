"""Charts as inline SVG text: matplotlib with the Agg backend, text kept as text, no external references.

One chart code path for the brief and the dashboard: each function takes plain values and returns an
``<svg ...>`` element (no XML prologue, no metadata block, no fonts or images fetched from anywhere). The
brief's map, over the shipped country outlines, is :mod:`amu.brief.mapchart`.
"""

from __future__ import annotations

import io
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"svg.fonttype": "none", "svg.hashsalt": "amu", "font.size": 9, "axes.spines.top": False,
         "axes.spines.right": False}
BAR = "#4a6fa5"


def to_svg(fig: Any) -> str:
    """The figure as an ``<svg>`` element: no prologue, no metadata (dates, URLs), closed afterwards."""
    buf = io.StringIO()
    try:
        fig.savefig(buf, format="svg", bbox_inches="tight",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    finally:
        plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):].strip()


def timeline_svg(months: Sequence[str], counts: Sequence[int], title: str = "Incidents per month") -> str:
    """Bars of incidents per month (``months`` as YYYY-MM, every month in range, 0 where none)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 2.8))
        xs = list(range(len(months)))
        ax.bar(xs, list(counts), color=BAR, width=0.8)
        step = max(1, len(months) // 12)
        ax.set_xticks(xs[::step], list(months)[::step], rotation=45, ha="right")
        ax.set_ylabel("incidents")
        ax.set_title(title, loc="left")
        ax.yaxis.get_major_locator().set_params(integer=True)
        return to_svg(fig)


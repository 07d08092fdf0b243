"""Charts as inline SVG text: matplotlib with the Agg backend, text kept as text, no external references.

One chart code path for the brief and the dashboard: each function takes plain values and returns an
``<svg ...>`` element (no XML prologue, no metadata block, no fonts or images fetched from anywhere).
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
POINT = "#b03a2e"


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


def positions_svg(lons: Sequence[float], lats: Sequence[float], labels: Sequence[str] = (),
                  title: str = "Positions (longitude, latitude), no basemap") -> str:
    """Points at their longitude and latitude on plain axes, a few labelled; no tiles, no outlines."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
        ax.scatter(list(lons), list(lats), s=22, color=POINT, alpha=0.7, edgecolors="none")
        for x, y, label in list(zip(lons, lats, labels))[:25]:
            if label:
                ax.annotate(label, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.margins(0.08)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(True, linewidth=0.3, alpha=0.5)
        ax.set_title(title, loc="left")
        return to_svg(fig)

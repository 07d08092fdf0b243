"""Briefs: one self-contained HTML report over the incidents that pass the filters of `amu incidents`.

>>> from amu.brief import write_brief
>>> write_brief(store, rows, "country TJ", "brief.html")

Charts come from :mod:`amu.brief.charts` (matplotlib, Agg, inline SVG), the one chart code path that the
dashboard reuses, and the map from :mod:`amu.brief.mapchart` (the shipped country outlines); the page is
assembled in :mod:`amu.brief.html`, every text escaped; :mod:`amu.brief.pdf` prints it with headless
Chromium.
"""

from __future__ import annotations

from amu.brief.html import brief_html, write_brief

__all__ = ["brief_html", "write_brief"]

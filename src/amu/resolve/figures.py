"""Fused casualty/arrest figures in the manner of UCDP GED, and source independence.

Rules (documented here because analysts will ask):

* **Sources.** Every mention reporting the figure is kept as a
  :class:`FigureSource` ``(mention_id, doc, figure: Count, evidence)`` so any fused
  number can be traced to its sentence.
* **Superseded reports.** Death tolls are revised upwards as bodies are found.
  A figure is *superseded* when a document published strictly later reports an
  exact figure at least as large as its lower bound (60 on day 1, 133 on day 2,
  145 on day 4: 60 and 133 are superseded). Superseded figures stay in
  ``sources`` and are listed in ``superseded``; ``revised`` is set. A later
  *lower* exact figure does not supersede: a downward revision is a genuine
  discrepancy and is flagged as a conflict. Without publication dates nothing
  can be superseded.
* **low / high.** ``low`` is the lowest *credible* figure: the lowest lower
  bound among non-superseded reports (a preliminary count that the reporters
  themselves replaced is not a credible estimate of the total, so the revised
  toll above fuses to low = best = high = 145). ``high`` is the highest bound
  stated by a non-superseded report ("over 140" contributes 141).
* **best.** The latest-reported exact figure (by publication date; ties on the
  same date: the most common value, then the larger). Without dated exact
  figures: the most common exact figure (ties: the larger, as tolls tend to
  rise). Without any exact figure: the largest lower bound ("over 140" -> 141),
  else the smallest upper bound.
* **conflict.** Set when two non-superseded reports cannot both be true:
  their ranges are disjoint. Exact 139 vs "over 140" ({min: 141}) conflicts;
  {min: 141} vs {min: 141} does not; 139 vs 139 does not. Approximate wording
  ("about 140") widens an exact figure by ``widen`` (10 %) first, so wording
  alone never raises the flag.

Source independence: documents sharing a content hash (``doc_id``) are one
source; so are documents whose evidence sentences are near-duplicates
(Jaccard similarity over normalised word 5-shingles >= 0.8), which is what a
wire story republished by several outlets looks like.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from amu.records import Count, Evidence
from amu.resolve.disjoint import DisjointSets

INF = math.inf
_APPROX = re.compile(
    r"\b(about|around|approximately|approx|roughly|some|nearly|almost|estimated|close to|up to)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


class FigureSpan(NamedTuple):
    """What the matcher needs to know about one side's figure.

    ``lo``/``hi`` bound every reported value (``hi`` may be ``inf`` for
    "at least" reports); ``exacts`` holds the exact values reported.
    """

    lo: float
    hi: float
    exacts: frozenset[int]


class FigureSource(NamedTuple):
    """One report of a figure: which mention, which document, what it said."""

    mention_id: str
    doc: str
    figure: Count        # not "count": that would shadow tuple.count
    evidence: Evidence


def count_bounds(count: Count, widen: float = 0.0) -> tuple[float, float] | None:
    """The range of values a reported figure allows.

    Args:
        count: The reported figure.
        widen: Relative tolerance applied to exact figures worded
            approximately ("about 140").

    Returns:
        ``(lo, hi)`` with open bounds as 0 / ``inf``, or ``None`` when the
        count carries no number at all.
    """
    if count.min is None and count.max is None:
        return None
    lo: float = count.min if count.min is not None else 0
    hi: float = count.max if count.max is not None else INF
    if widen and count.exact is not None and count.text and _APPROX.search(count.text):
        delta = max(1, round(count.exact * widen))
        lo, hi = max(0, lo - delta), hi + delta
    return lo, hi


def count_span(count: Count | None, widen: float = 0.0) -> FigureSpan | None:
    """A single report as a :class:`FigureSpan` (``None`` when absent)."""
    if count is None:
        return None
    bounds = count_bounds(count, widen)
    if bounds is None:
        return None
    exact = frozenset((count.exact,)) if count.exact is not None else frozenset()
    return FigureSpan(bounds[0], bounds[1], exact)


def merge_spans(spans: Sequence[FigureSpan]) -> FigureSpan | None:
    """The union of several spans: the incident-side view used for matching."""
    if not spans:
        return None
    exacts: frozenset[int] = frozenset().union(*(s.exacts for s in spans))
    return FigureSpan(min(s.lo for s in spans), max(s.hi for s in spans), exacts)


def compare_spans(a: FigureSpan, b: FigureSpan, params: Mapping[str, float]) -> str:
    """Classify how two figures relate, as an outcome of the ``killed`` feature.

    Returns:
        ``same`` (a shared exact value), ``consistent`` (ranges overlap),
        ``near`` (disjoint but within ``figure_near_abs`` or
        ``figure_near_ratio``: 139 vs "over 140"), ``far`` (the larger is at
        least ``figure_far_ratio`` times the smaller and ``figure_far_abs``
        apart: 5 vs 60) or ``differ`` (anything else: 60 vs 133).
    """
    if a.exacts & b.exacts:
        return "same"
    if a.lo <= b.hi and b.lo <= a.hi:
        return "consistent"
    low, high = (a.hi, b.lo) if a.hi < b.lo else (b.hi, a.lo)
    gap = high - low
    if gap <= params["figure_near_abs"] or gap <= params["figure_near_ratio"] * high:
        return "near"
    if high >= params["figure_far_ratio"] * max(low, 1) and gap >= params["figure_far_abs"]:
        return "far"
    return "differ"


@dataclass
class FusedFigure:
    """A fused figure with its sources; see the module docstring for the rules."""

    low: int | None
    best: int | None
    high: int | None
    sources: list[FigureSource]
    conflict: bool = False
    revised: bool = False
    superseded: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (sources as dicts)."""
        return {
            "low": self.low, "best": self.best, "high": self.high,
            "conflict": self.conflict, "revised": self.revised,
            "superseded": list(self.superseded),
            "sources": [
                {"mention_id": s.mention_id, "doc": s.doc, "count": s.figure.to_json(),
                 "text": s.figure.text, "evidence": s.evidence.text}
                for s in self.sources
            ],
        }


def _mode_larger(values: Sequence[int]) -> int:
    """Most common value; ties go to the larger (tolls tend to be revised upwards)."""
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], v))


def fuse_figure(
    sources: Sequence[FigureSource],
    reported: Sequence[str | None],
    widen: float = 0.1,
) -> FusedFigure | None:
    """Fuse the reports of one figure (killed, wounded or arrested).

    Args:
        sources: The reports, in any order (the result does not depend on it).
        reported: Publication date (ISO, any precision) of each source's
            document, aligned with ``sources``; ``None`` when unknown.
        widen: Tolerance for approximately worded figures in conflict checks.

    Returns:
        The fused figure, or ``None`` when no source carries a number.
    """
    rows = [(s, pub) for s, pub in zip(sources, reported, strict=True) if count_bounds(s.figure) is not None]
    if not rows:
        return None
    rows.sort(key=lambda r: (r[1] or "", r[0].mention_id))
    dated_exact = [(pub, s.figure.exact) for s, pub in rows if pub and s.figure.exact is not None]
    superseded: set[str] = set()
    for s, pub in rows:
        lo = s.figure.min if s.figure.min is not None else 0
        if pub and any(later > pub and value >= lo for later, value in dated_exact):
            superseded.add(s.mention_id)
    active = [(s, pub) for s, pub in rows if s.mention_id not in superseded]

    exact_active = [(pub, s.figure.exact) for s, pub in active if s.figure.exact is not None]
    dated = [(pub, v) for pub, v in exact_active if pub]
    if dated:
        latest = max(pub for pub, _ in dated)
        best: int | None = _mode_larger([v for pub, v in dated if pub == latest])
    elif exact_active:
        best = _mode_larger([v for _, v in exact_active])
    else:
        floors = [s.figure.min for s, _ in active if s.figure.min is not None]
        ceilings = [s.figure.max for s, _ in active if s.figure.max is not None]
        best = max(floors) if floors else (min(ceilings) if ceilings else None)

    lows = [s.figure.min for s, _ in active if s.figure.min is not None]
    highs: list[int | None] = [s.figure.max if s.figure.max is not None else s.figure.min for s, _ in active]
    high_values = [h for h in highs if h is not None]
    bounds = [count_bounds(s.figure, widen) for s, _ in active]
    conflict = any(
        a[1] < b[0] or b[1] < a[0]  # type: ignore[index]
        for i, a in enumerate(bounds) for b in bounds[i + 1:]
    )
    return FusedFigure(
        low=min(lows) if lows else None,
        best=best,
        high=max(high_values) if high_values else None,
        sources=[s for s, _ in rows],
        conflict=conflict,
        revised=bool(superseded),
        superseded=sorted(superseded),
    )


def shingles(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
    """Word ``size``-shingles of lower-cased text; short texts are one shingle."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return frozenset((tuple(words),)) if words else frozenset()
    return frozenset(tuple(words[i:i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    """Jaccard similarity of two sets (0 for two empty sets)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def independent_sources(
    evidence: Mapping[str, Sequence[str]], size: int = 5, threshold: float = 0.8
) -> int:
    """Count independent sources among documents.

    Args:
        evidence: ``doc_id`` (a content hash, so equal texts already collapse)
            -> the evidence sentences that document contributed.
        size: Shingle length in words.
        threshold: Jaccard similarity at or above which two documents'
            evidence counts as the same (republished) text.

    Returns:
        The number of groups of documents after joining near-duplicates.
    """
    docs = sorted(evidence)
    groups = DisjointSets(docs)
    sets = {d: [shingles(t, size) for t in evidence[d]] for d in docs}
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if groups.find(a) == groups.find(b):
                continue
            if any(jaccard(x, y) >= threshold for x in sets[a] for y in sets[b]):
                groups.union(a, b)
    return len(groups.groups())

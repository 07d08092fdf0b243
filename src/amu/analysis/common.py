"""What every analysis shares: one result record, month arithmetic, figure sums.

Every analysis returns an :class:`Analysis`: a title, the method and its
parameters stated in words, column names, one dict per output row, and notes
that say what was left out and why (undated incidents, places known only to
the country, samples too small to claim anything). The CLI only formats it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from amu.find.rows import Figure, IncidentRow

FIGURES = ("killed", "wounded", "arrested")


@dataclass(frozen=True)
class Analysis:
    """One analysis result: a table with its method and caveats, ready for table, JSON or CSV."""

    name: str                               # counts, changes, external, hotspots, network, warning
    title: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    method: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": self.name, "title": self.title, "method": self.method, "params": dict(self.params),
                "columns": list(self.columns), "rows": [dict(r) for r in self.rows], "notes": list(self.notes)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def to_csv(self) -> str:
        """The rows as CSV (lists joined with ';'); the method and notes are not part of CSV."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(self.columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in self.rows:
            writer.writerow({k: _cell(r.get(k)) for k in self.columns})
        return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def month_of(row: IncidentRow) -> str | None:
    """The incident's month ("2024-03"), or None when it is undated or dated only to a year."""
    if not row.date or len(row.date) < 7:
        return None
    return row.date[:7]


def year_of(row: IncidentRow) -> str | None:
    return row.date[:4] if row.date else None


def month_index(month: str) -> int:
    year, m = month.split("-")
    return int(year) * 12 + int(m) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included ("2024-11", "2025-01" -> three months)."""
    return [month_name(i) for i in range(month_index(first), month_index(last) + 1)]


def monthly_counts(rows: Iterable[IncidentRow], months: Sequence[str] | None = None) -> dict[str, int]:
    """Incidents per month, months without incidents as 0 (from the first to the last month seen,
    or over ``months`` when given). Rows without a month are not counted."""
    seen: dict[str, int] = {}
    for r in rows:
        m = month_of(r)
        if m:
            seen[m] = seen.get(m, 0) + 1
    if months is None:
        months = month_range(min(seen), max(seen)) if seen else []
    return {m: seen.get(m, 0) for m in months}


@dataclass
class FigureSum:
    """Sums of one fused figure over incidents: best, and the low and high bounds.

    ``best`` adds the best estimates (an incident with none adds 0); ``low`` and ``high``
    add each incident's bound, falling back to its best estimate, so that
    ``low <= best <= high`` whenever the sources' ranges hold their best figure.
    ``reported`` counts the incidents that give the figure at all.
    """

    best: int = 0
    low: int = 0
    high: int = 0
    reported: int = 0

    def add(self, figure: Figure | None) -> None:
        if figure is None or (figure.best is None and figure.low is None and figure.high is None):
            return
        self.reported += 1
        best = figure.best if figure.best is not None else figure.low
        self.best += best or 0
        self.low += figure.low if figure.low is not None else (best or 0)
        self.high += figure.high if figure.high is not None else (best or 0)


def iter_unique(values: Iterable[str]) -> Iterator[str]:
    yield from dict.fromkeys(v for v in values if v)

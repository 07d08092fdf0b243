"""Early-warning panel: do propaganda, threat and plot events run ahead of attacks? (lead-lag only)

For each leading kind, the monthly counts ``lead[t]`` are correlated (Pearson) with the monthly attack
counts ``attacks[t + lag]`` for lag = 0..max_lag months, over every month from the first to the last
dated incident (months with none count 0). The best lag is the one with the highest correlation; the
number of month pairs behind it is stated, with the rough 95% band for no relation, ``±2 / sqrt(n)``.
This is a description of co-movement, never evidence of cause: picking the best of several lags, shared
trends and autocorrelation all inflate ``r``, and a small ``n`` makes it noise.
"""

from __future__ import annotations

import math
from typing import Sequence

from amu.analysis.common import Analysis, monthly_counts, month_of, month_range
from amu.analysis.stats import pearson
from amu.find.rows import IncidentRow

LEADS = ("propaganda", "threat", "plot")
COLUMNS = ("lead", "lead_events", "attacks", "best_lag", "r", "n_months", "band_95", "r_by_lag", "reading")
METHOD = "lead-lag Pearson cross-correlation of monthly counts"


def early_warning(rows: Sequence[IncidentRow], max_lag: int = 6, min_months: int = 24,
                  min_events: int = 10) -> Analysis:
    """Cross-correlate each leading kind (and the three together) with later attacks, lags 0..``max_lag``.

    Args:
        rows: Incident rows (already filtered; a ``--type`` filter that drops the leads or the attacks
            leaves nothing to relate).
        max_lag: The longest lead tried, in months.
        min_months: Fewer month pairs than this at the best lag is called too few to read.
        min_events: Fewer leading events, or attacks, than this is called too few to read.
    """
    months_seen = [m for r in rows if (m := month_of(r))]
    params = {"max_lag": max_lag, "min_months": min_months, "min_events": min_events}
    notes = ["correlation of counts, not cause: the best of several lags is picked (which inflates r), and "
             "shared trends or autocorrelation can make unrelated series correlate",
             f"band_95 = 2/sqrt(n): |r| inside it is what unrelated series give; a reading needs n >= "
             f"{min_months} months and >= {min_events} events on each side"]
    if len(months_seen) < len(rows):
        notes.append(f"{len(rows) - len(months_seen)} incidents dated only to a year, or undated, are left out")
    if not months_seen:
        return Analysis("warning", "Early warning: leads before attacks", COLUMNS, (), METHOD, params,
                        tuple(notes + ["no dated incidents"]))
    months = month_range(min(months_seen), max(months_seen))
    attacks = list(monthly_counts([r for r in rows if r.event_type == "attack"], months).values())
    out = []
    for lead in (*LEADS, "+".join(LEADS)):
        kinds = lead.split("+")
        series = list(monthly_counts([r for r in rows if r.event_type in kinds], months).values())
        out.append(_panel(lead, series, attacks, max_lag, min_months, min_events))
    return Analysis("warning", "Early warning: leads before attacks", COLUMNS, tuple(out), METHOD, params,
                    tuple(notes))


def lagged_correlation(lead: Sequence[int], target: Sequence[int], lag: int) -> tuple[float | None, int]:
    """Pearson's r of ``lead[t]`` with ``target[t + lag]``, and the number of month pairs."""
    n = len(lead) - lag
    if n <= 0:
        return None, 0
    return pearson(lead[:n], target[lag:lag + n]), n


def _panel(lead: str, series: list[int], attacks: list[int], max_lag: int, min_months: int,
           min_events: int) -> dict[str, object]:
    by_lag = [lagged_correlation(series, attacks, lag) for lag in range(max_lag + 1)]
    defined = [(r, lag, n) for lag, (r, n) in enumerate(by_lag) if r is not None]
    row: dict[str, object] = {"lead": lead, "lead_events": sum(series), "attacks": sum(attacks),
                              "best_lag": None, "r": None, "n_months": len(series), "band_95": None,
                              "r_by_lag": [None if r is None else round(r, 3) for r, _ in by_lag]}
    if not defined:
        row["reading"] = "no correlation to compute (a series is constant, e.g. no events, or < 3 months)"
        return row
    r, lag, n = max(defined, key=lambda d: (d[0], -d[1]))
    band = 2 / math.sqrt(n)
    row.update({"best_lag": lag, "r": round(r, 3), "n_months": n, "band_95": round(band, 3)})
    if n < min_months or sum(series) < min_events or sum(attacks) < min_events:
        row["reading"] = (f"too few to read: {n} months, {sum(series)} {lead} events, {sum(attacks)} attacks "
                          f"(needs {min_months} months and {min_events} events each)")
    elif abs(r) < band:
        row["reading"] = "within the noise band: no sign of a lead"
    else:
        row["reading"] = f"{lead} runs {lag} months ahead of attacks (r above the noise band; co-movement, not cause)"
    return row

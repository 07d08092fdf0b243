"""Change detection on monthly incident counts: an exact Poisson rate comparison.

Method (the conditional test for two Poisson rates, Przyborowski and Wilenski 1940): with ``x1``
incidents in the last ``window`` months and ``x0`` in the ``b`` months before them, under equal
monthly rates ``x1`` given ``n = x0 + x1`` is Binomial(n, window / (window + b)). The two-sided exact
binomial p-value is reported with the rate ratio ``(x1 / window) / (x0 / b)``. A change is claimed
only when ``p < alpha`` and ``n >= min_events`` and ``b >= window``; smaller samples are reported as
too small to say anything. Months with no incident count as 0, so a lull is seen as a fall.
"""

from __future__ import annotations

from typing import Sequence

from amu.analysis.common import Analysis, month_index, month_name, month_of
from amu.analysis.counts import KEYS, check_by
from amu.analysis.stats import binom_test_two_sided
from amu.errors import AmuError
from amu.find.rows import IncidentRow

METHOD = "exact conditional Poisson rate test (binomial), two-sided"
COLUMNS = ("series", "recent", "baseline", "recent_incidents", "baseline_incidents", "recent_rate",
           "baseline_rate", "rate_ratio", "expected_recent", "p_value", "verdict")


def changes(rows: Sequence[IncidentRow], by: str = "month", window: int = 3, baseline: int | None = None,
            end: str | None = None, alpha: float = 0.05, min_events: int = 10) -> Analysis:
    """Test whether the last ``window`` months' incident rate differs from the months before.

    Args:
        rows: Incident rows (already filtered).
        by: ``month`` for one series of all incidents, or country, type, group or nationality for one
            series per value (every series over the same months).
        window: Months in the recent window (ends with ``end``).
        baseline: Months in the baseline just before the window; None takes every earlier month.
        end: Last month of the recent window ("2025-06"); None takes the last month with an incident.
        alpha: Significance level for claiming a change.
        min_events: The least number of incidents, both windows together, for any claim.
    """
    check_by(by)
    if window < 1 or (baseline is not None and baseline < 1):
        raise AmuError("the window and the baseline must be at least one month",
                       hint="give --window 3 (and --baseline 12, or leave it out for every earlier month)")
    dated = [(month_index(m), r) for r in rows if (m := month_of(r))]
    notes = [f"method: {METHOD}; a change is claimed only when p < {alpha}, the two windows hold at least "
             f"{min_events} incidents and the baseline is at least as long as the window"]
    if len(dated) < len(rows):
        notes.append(f"{len(rows) - len(dated)} incidents dated only to a year, or undated, are left out")
    if not dated:
        return Analysis("changes", "Change in the monthly incident rate", COLUMNS, (), METHOD,
                        {"by": by, "window": window, "baseline": baseline, "alpha": alpha,
                         "min_events": min_events}, tuple(notes + ["no dated incidents"]))
    last = month_index(end) if end else max(i for i, _ in dated)
    first = min(i for i, _ in dated)
    w_start = last - window + 1
    b_start = min(w_start, first if baseline is None else w_start - baseline)
    b_months = w_start - b_start
    series: dict[str, list[int]] = {}
    for i, r in dated:
        keys = ["all"] if by == "month" else KEYS[by](r)
        for k in keys:
            series.setdefault(k, [])
            series[k].append(i)
    out = []
    for key in sorted(series, key=lambda k: (-len(series[k]), k)):
        months = series[key]
        x1 = sum(w_start <= i <= last for i in months)
        x0 = sum(b_start <= i < w_start for i in months)
        out.append(_test(key, x1, x0, window, b_months, (w_start, last), (b_start, w_start - 1), alpha,
                         min_events))
    params = {"by": by, "window": window, "baseline": b_months, "end": month_name(last), "alpha": alpha,
              "min_events": min_events}
    return Analysis("changes", "Change in the monthly incident rate", COLUMNS, tuple(out), METHOD, params,
                    tuple(notes))


def _span(a: int, b: int) -> str:
    return month_name(a) if a == b else f"{month_name(a)}..{month_name(b)}"


def _test(key: str, x1: int, x0: int, window: int, b_months: int, recent: tuple[int, int],
          base: tuple[int, int], alpha: float, min_events: int) -> dict[str, object]:
    n = x0 + x1
    row: dict[str, object] = {
        "series": key, "recent": _span(*recent), "baseline": _span(*base) if b_months > 0 else "",
        "recent_incidents": x1, "baseline_incidents": x0, "recent_rate": round(x1 / window, 3),
        "baseline_rate": round(x0 / b_months, 3) if b_months > 0 else None,
        "rate_ratio": None, "expected_recent": None, "p_value": None,
    }
    if b_months < window or n < min_events:
        why = f"baseline of {b_months} months < window of {window}" if b_months < window \
            else f"{n} incidents < {min_events}"
        row["verdict"] = f"too few to say ({why})"
        return row
    share = window / (window + b_months)
    p = binom_test_two_sided(x1, n, share)
    row["rate_ratio"] = round((x1 / window) / (x0 / b_months), 3) if x0 else None
    row["expected_recent"] = round(n * share, 3)
    row["p_value"] = float(f"{p:.3g}")
    if p < alpha:
        row["verdict"] = "increase" if x1 > n * share else "decrease"
    else:
        row["verdict"] = "no change detected"
    return row

"""The few statistics the analyses need, written out (no SciPy): an exact binomial test and Pearson's r."""

from __future__ import annotations

import math
from typing import Sequence


def binom_pmf(x: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0 if x == 0 else 0.0
    if p >= 1.0:
        return 1.0 if x == n else 0.0
    log = math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * math.log(p) \
        + (n - x) * math.log1p(-p)
    return math.exp(log)


def binom_test_two_sided(x: int, n: int, p: float) -> float:
    """Exact two-sided binomial test: the probability of every outcome no likelier than ``x``.

    The same rule as R's ``binom.test`` (outcomes within a relative 1e-7 of ``P(x)`` count as equal).
    """
    if n == 0:
        return 1.0
    observed = binom_pmf(x, n, p)
    total = sum(q for k in range(n + 1) if (q := binom_pmf(k, n, p)) <= observed * (1 + 1e-7))
    return min(1.0, total)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation coefficient, or None when either series is constant or has < 3 points."""
    n = len(xs)
    if n != len(ys) or n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)

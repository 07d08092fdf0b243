"""The incident columns that counts read, derived from the fused record (``Incident.to_dict()``).

Fusion writes them with each incident (:func:`amu.resolve.incidents._row`); migration 0008 fills them
for incidents fused before. Counting by figure or group then reads narrow columns, not ``data_json``.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

FIGURES = ("killed", "wounded", "arrested")
PARTS = ("best", "low", "high")
FIGURE_COLUMNS = tuple(f"{f}_{p}" for f in FIGURES for p in PARTS)


def summary_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """Each fused figure's best, low and high (None where not reported) and the groups named, each once,
    main one first (``actors_json``, as :class:`amu.find.IncidentRow` lists them)."""
    out: dict[str, Any] = {}
    for f in FIGURES:
        figure = record.get(f) or {}
        out.update({f"{f}_{p}": figure.get(p) for p in PARTS})
    actors = [a for a in [record.get("perpetrator"), *(record.get("perpetrators") or [])] if a]
    out["actors_json"] = json.dumps(list(dict.fromkeys(actors)), ensure_ascii=False)
    return out

"""Country outlines shipped with Amu: an offline basemap for the dashboard and the brief's map.

The data is Natural Earth 1:50m admin-0 (public domain) as TopoJSON, ids ISO 3166-1 alpha-2, built once
by ``scripts/build_outlines.py`` into ``amu/data/outlines/countries-50m.topo.json`` (see the LICENSE file
beside it). This module decodes it without a GIS library.

>>> from amu.geo import outlines
>>> afghanistan = next(c for c in outlines() if c.code == "AF")
>>> afghanistan.svg_path()[:12]
'M66.52 -37.3'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

OUTLINES = "countries-50m.topo.json"
SOURCE = "Natural Earth 1:50m admin-0 countries (public domain), via the npm package world-atlas 2.0.2"

Ring = tuple[tuple[float, float], ...]       # (longitude, latitude) points, closed


@dataclass(frozen=True)
class Country:
    """One country's outline: its ISO code (None for the few units without one), name and polygons."""

    code: str | None
    name: str
    polygons: tuple[tuple[Ring, ...], ...]    # each polygon: outer ring, then holes

    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        xs = [x for poly in self.polygons for ring in poly for x, _ in ring]
        ys = [y for poly in self.polygons for ring in poly for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)

    def svg_path(self, digits: int = 2) -> str:
        """SVG path data with x = longitude and y = -latitude (north up), in degrees.

        A viewer scales it (``scale(cos(lat0), 1)`` gives an equirectangular map true at ``lat0``).
        """
        parts = []
        for poly in self.polygons:
            for ring in poly:
                pts = [f"{x:.{digits}f} {-y:.{digits}f}" for x, y in ring]
                parts.append("M" + "L".join(_dedupe(pts)) + "Z")
        return "".join(parts)


def _dedupe(pts: Sequence[str]) -> list[str]:
    out: list[str] = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    return out


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The TopoJSON's quantized, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((round(x * sx + tx, 6), round(y * sy + ty, 6)))
        arcs.append(pts)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: Sequence[int]) -> Ring:
    """Join a ring's arcs (a negative index ~i is arc i reversed); shared end points once."""
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    return tuple(pts)


@lru_cache(maxsize=1)
def outlines() -> tuple[Country, ...]:
    """Every country outline of the shipped basemap (decoded once per process)."""
    text = resources.files("amu.data").joinpath("outlines").joinpath(OUTLINES).read_text(encoding="utf-8")
    topo = json.loads(text)
    arcs = decode_arcs(topo)
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        polygons = tuple(tuple(_ring(arcs, ring) for ring in poly) for poly in polys)
        out.append(Country(g.get("id"), g.get("properties", {}).get("name", ""), polygons))
    return tuple(out)


def basemap(digits: int = 2) -> dict[str, Any]:
    """The outlines as SVG path data, for a viewer that projects them itself: ``{"source", "projection",
    "countries": [{"code", "name", "d", "bbox"}]}``."""
    return {"source": SOURCE,
            "projection": "x = longitude, y = -latitude (degrees); scale x by cos(central latitude) for an "
                          "equirectangular map",
            "countries": [{"code": c.code, "name": c.name, "d": c.svg_path(digits),
                           "bbox": [round(v, 2) for v in c.bbox()]} for c in outlines()]}

"""Build src/amu/data/outlines/countries-50m.topo.json, the dashboard's offline basemap (run once; the output is committed).

Source: Natural Earth 1:50m admin-0 countries (public domain, https://www.naturalearthdata.com), as the
TopoJSON that the npm package ``world-atlas`` 2.0.2 ships (ISC licence, Mike Bostock; file
``countries-50m.json``). What this script changes:

- each country's id becomes its ISO 3166-1 alpha-2 code (from the numeric id, via ``pycountry``), the
  code Amu's incidents use; the few Natural Earth units without an ISO code (Kosovo: XK; Somaliland,
  N. Cyprus, Siachen Glacier: none) keep their name only;
- every arc is simplified (Douglas-Peucker, tolerance ``--tolerance`` degrees, 0.02 by default, i.e.
  about 2 km; shared borders stay shared because arcs, not polygons, are simplified) and re-quantized;
- nothing else (no projection: coordinates stay longitude and latitude).

Usage (needs network access to the npm registry and PyPI once, not at run time)::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m venv /tmp/ov && /tmp/ov/bin/pip install pycountry
    /tmp/ov/bin/python scripts/build_outlines.py /tmp/package/countries-50m.json

Amu reads the result with :mod:`amu.geo` (a small TopoJSON decoder; no GIS library needed).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from amu.geo import decode_arcs

OUT = Path(__file__).resolve().parents[1] / "src" / "amu" / "data" / "outlines" / "countries-50m.topo.json"
EXTRA = {"Kosovo": "XK"}


def simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps both ends (arcs meet there)."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > best:
                best, idx = d, i
        if idx > 0 and best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    out = [p for p, k in zip(pts, keep) if k]
    if out[0] == out[-1] and len(out) < 4:     # a closed ring (an island) needs at least a triangle
        return pts if len(pts) < 4 else [pts[0], pts[len(pts) // 3], pts[2 * len(pts) // 3], pts[-1]]
    return out


def main() -> None:
    import pycountry

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="countries-50m.json from the npm package world-atlas 2.0.2")
    ap.add_argument("--tolerance", type=float, default=0.02, help="simplification tolerance, degrees")
    ap.add_argument("-o", "--output", default=str(OUT))
    args = ap.parse_args()

    topo = json.loads(Path(args.source).read_text())
    q = 1e-3                                        # quantum of the output: 0.001 degree
    arcs = []
    for pts in decode_arcs(topo):
        ints = [(round((x + 180) / q), round((y + 90) / q)) for x, y in simplify(pts, args.tolerance)]
        deltas, px, py = [], 0, 0
        for x, y in ints:
            if deltas and (x, y) == (px, py):
                continue
            deltas.append([x - px, y - py])
            px, py = x, y
        arcs.append(deltas)
    geometries = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name", "")
        code = None
        if g.get("id"):
            c = pycountry.countries.get(numeric=g["id"])
            code = c.alpha_2 if c else None
        code = code or EXTRA.get(name)
        item = {"type": g["type"], "arcs": g["arcs"], "properties": {"name": name}}
        if code:
            item["id"] = code
        geometries.append(item)
    out = {"type": "Topology",
           "source": "Natural Earth 1:50m admin-0 countries (public domain), via npm world-atlas 2.0.2 "
                     "countries-50m.json (ISC); ids ISO 3166-1 alpha-2; arcs simplified "
                     f"(Douglas-Peucker {args.tolerance} deg); built by scripts/build_outlines.py",
           "transform": {"scale": [q, q], "translate": [-180, -90]},
           "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
           "arcs": arcs}
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"{len(geometries)} countries, {sum(len(a) for a in arcs)} points, {path.stat().st_size} bytes -> {path}")


if __name__ == "__main__":
    main()

"""The brief's map: incidents as markers over the shipped country outlines, matplotlib to inline SVG.

No tiles, no network, no GIS library: the outlines come from :mod:`amu.geo` (Natural Earth 1:50m), are
clipped to the map's view and thinned to what the view can show, so the SVG stays small. The projection is
equirectangular, true at the view's middle latitude (the dashboard's map draws the same). Incidents that fall
on the same spot at the map's scale share one marker, whose area grows with the number killed there: the
marker count, and so the file, is bounded however many incidents there are.

>>> svg = map_svg([69.2, 68.8], [34.5, 38.6], [12, 0], {"AF", "TJ"}, ["Kabul", "Dushanbe"])
>>> svg.startswith("<svg")
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from amu.brief.charts import STYLE, plt, to_svg
from amu.geo import Country, Ring, outlines

SEA = "#e3edf5"
LAND = "#f4f3ee"
LAND_HIT = "#f2dcc8"
BORDER = "#9a9a9a"
MARKER = "#b03a2e"
CELLS = 150              # markers closer than the view's width / CELLS are merged into one
MAX_SPOTS = 2000         # more spots than this: the merging grid coarsens until they fit (bounds the SVG)
DETAIL = 800             # outline detail finer than the view's width / DETAIL is left out
LABELS = 10              # the most-killed places are labelled, at most this many


@dataclass(frozen=True)
class View:
    """The map's extent in degrees: (west, south, east, north)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south

    @property
    def aspect(self) -> float:
        """matplotlib's y/x scale for an equirectangular map true at the middle latitude."""
        return 1 / max(0.2, math.cos(math.radians((self.north + self.south) / 2)))

    def grown(self, by: float) -> "View":
        return View(self.west - by, self.south - by, self.east + by, self.north + by)

    def overlaps(self, bbox: tuple[float, float, float, float]) -> bool:
        w, s, e, n = bbox
        return not (e < self.west or w > self.east or n < self.south or s > self.north)


def fit_view(lons: Sequence[float], lats: Sequence[float], margin: float = 0.12,
             min_width: float = 24.0, min_height: float = 14.0) -> View:
    """The incidents' extent with a margin (at least 4° by 3°), at least ``min_width`` by ``min_height``
    degrees (so a single city still shows its neighbours); Central Asia when there is nothing to fit."""
    if not lons:
        return View(25.0, 20.0, 85.0, 55.0)
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    pad_x, pad_y = max(4.0, (e - w) * margin), max(3.0, (n - s) * margin)
    w, e, s, n = w - pad_x, e + pad_x, s - pad_y, n + pad_y
    if e - w < min_width:
        c = (e + w) / 2
        w, e = c - min_width / 2, c + min_width / 2
    if n - s < min_height:
        c = (n + s) / 2
        s, n = c - min_height / 2, c + min_height / 2
    return View(max(-180.0, w), max(-90.0, s), min(180.0, e), min(90.0, n))


def clip_ring(ring: Sequence[tuple[float, float]], view: View) -> list[tuple[float, float]]:
    """The ring clipped to the view's rectangle (Sutherland–Hodgman; a concave ring may gain edges along
    the rectangle's border, which is why the caller clips to a slightly larger view than it shows)."""
    pts = list(ring)
    edges = ((0, view.west, True), (0, view.east, False), (1, view.south, True), (1, view.north, False))
    for axis, bound, lower in edges:
        if not pts:
            break
        out: list[tuple[float, float]] = []
        prev = pts[-1]
        for cur in pts:
            cur_in = cur[axis] >= bound if lower else cur[axis] <= bound
            prev_in = prev[axis] >= bound if lower else prev[axis] <= bound
            if cur_in != prev_in:
                t = (bound - prev[axis]) / (cur[axis] - prev[axis])
                cross = (prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1]))
                out.append(cross)
            if cur_in:
                out.append(cur)
            prev = cur
        pts = out
    return pts


def thin(ring: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """The ring with only the points that matter at ``tolerance`` degrees (Douglas–Peucker after dropping
    near-duplicates); a ring that collapses (fewer than three points, or narrower than the tolerance both
    ways) is dropped."""
    if not ring:
        return []
    kept = [ring[0]]
    for x, y in ring[1:]:
        px, py = kept[-1]
        if abs(x - px) >= tolerance / 2 or abs(y - py) >= tolerance / 2:
            kept.append((x, y))
    if len(kept) > 3:
        kept = _douglas_peucker(kept, tolerance)
    xs, ys = [p[0] for p in kept], [p[1] for p in kept]
    if len(kept) < 3 or (max(xs) - min(xs) < tolerance and max(ys) - min(ys) < tolerance):
        return []
    return kept


def _douglas_peucker(pts: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    # a closed ring's first and last points coincide: split it at its farthest point from the first
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, at = -1.0, a
        for i in range(a + 1, b):
            px, py = pts[i]
            dist = (abs(dy * (px - ax) - dx * (py - ay)) / norm) if norm else math.hypot(px - ax, py - ay)
            if dist > best:
                best, at = dist, i
        if best > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(pts, keep) if k]


def land(view: View, countries: Iterable[Country] | None = None) -> list[tuple[Country, list[Ring]]]:
    """Each country that shows in the view with its rings clipped to (a little more than) the view and
    thinned to the view's detail; countries wholly outside are left out."""
    pad = max(view.width, view.height) * 0.02
    clip = view.grown(pad)
    tolerance = max(view.width, view.height) / DETAIL
    out = []
    for c in outlines() if countries is None else countries:
        if not clip.overlaps(c.bbox()):
            continue
        rings = []
        for poly in c.polygons:
            for ring in poly:
                clipped = thin(clip_ring(ring, clip), tolerance)
                if clipped:
                    rings.append(tuple(clipped))
        if rings:
            out.append((c, rings))
    return out


def merge_points(lons: Sequence[float], lats: Sequence[float], killed: Sequence[int], labels: Sequence[str],
                 cell: float) -> list[tuple[float, float, int, int, str]]:
    """Incidents in the same ``cell``-degree square as one marker: (lon, lat, incidents, killed, label),
    at the mean position, the label of the most-killed incident (or the first); most killed first."""
    inverse, n = _cells(lons, lats, cell)
    x, y, dead = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float), np.asarray(killed, dtype=np.int64)
    size = np.bincount(inverse, minlength=n)
    sx, sy = np.bincount(inverse, x, n) / size, np.bincount(inverse, y, n) / size
    total = np.bincount(inverse, dead, n).astype(np.int64)
    # the most-killed member of each cell (the first of them on a tie): sort by cell, then killed down, then index
    order = np.lexsort((np.arange(len(dead)), -dead, inverse))
    firsts = order[np.r_[True, inverse[order][1:] != inverse[order][:-1]]]
    top = np.empty(n, dtype=np.int64)
    top[inverse[firsts]] = firsts
    out = [(float(sx[g]), float(sy[g]), int(size[g]), int(total[g]),
            labels[int(top[g])] if int(top[g]) < len(labels) else "") for g in range(n)]
    out.sort(key=lambda m: (-m[3], -m[2]))
    return out


def _cells(lons: Sequence[float], lats: Sequence[float], cell: float) -> tuple[np.ndarray, int]:
    """Each point's cell as an index 0..n-1, and n."""
    ix = np.floor(np.asarray(lons, dtype=float) / cell).astype(np.int64)
    iy = np.floor(np.asarray(lats, dtype=float) / cell).astype(np.int64)
    _, inverse = np.unique(ix * 4_000_003 + iy, return_inverse=True)
    inverse = inverse.ravel()
    return inverse, int(inverse.max()) + 1 if len(inverse) else 0


def count_cells(lons: Sequence[float], lats: Sequence[float], cell: float) -> int:
    """How many markers ``cell``-degree squares would give."""
    return _cells(lons, lats, cell)[1]


def marker_area(killed: int, unit: float = 14.0) -> float:
    """Marker area in points²: ``unit`` for none killed, growing with the square root of the number killed
    (the radius grows as 1 + √killed / 3, as on the dashboard's map)."""
    return unit * (1 + math.sqrt(max(0, killed)) / 3) ** 2


_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d*)?(?:e-?\d+)?")


def compact_path(d: str) -> str:
    """SVG path data at a tenth of a point (matplotlib writes six decimals, one command a line) with the
    ``L`` after an ``M`` or ``L`` left implicit: about half the bytes, the same drawing."""
    out: list[str] = []
    last = ""
    for tok in _TOKEN.findall(d):
        if tok.isalpha():
            if tok == "L" and last in ("M", "L"):
                last = "L"
                continue
            last = tok
            out.append(tok)
        else:
            num = f"{float(tok):.1f}".rstrip("0").rstrip(".")
            out.append(("0" if num == "-0" else num) if out and out[-1].isalpha() else " " + (
                "0" if num == "-0" else num))
    return "".join(out)


def _compact_paths(svg: str) -> str:
    svg = _markers_as_circles(svg)
    return re.sub(r'(\sd=")([^"]*)(")', lambda m: m.group(1) + compact_path(m.group(2)) + m.group(3), svg)


_MARKER = re.compile(r'<path d="([^"]*)"(?: clip-path="([^"]*)")? style="([^"]*)"/>')


def _markers_as_circles(svg: str) -> str:
    """Each marker (matplotlib writes a circle as a Bézier path with its own style, ~380 bytes) as a
    ``<circle>``, the style and clip once on the group: ~40 bytes a marker."""
    start = svg.find('<g id="markers">')
    if start < 0:
        return svg
    end = svg.index("</g>", start)
    group = svg[start:end]
    found = _MARKER.findall(group)
    if not found:
        return svg
    circles = []
    for d, _, _ in found:
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = nums[0::2], nums[1::2]
        cx, cy, r = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2
        circles.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.2f}"/>')
    clip, style = found[0][1], found[0][2]
    head = f'<g id="markers" style="{style}"' + (f' clip-path="{clip}"' if clip else "") + ">\n"
    return svg[:start] + head + "\n".join(circles) + "\n" + svg[end:]


def map_svg(lons: Sequence[float], lats: Sequence[float], killed: Sequence[int], countries_hit: Iterable[str],
            labels: Sequence[str] = (), title: str = "Incidents with coordinates") -> str:
    """The map as an ``<svg>`` element: outlines (countries in ``countries_hit``, ISO codes, shaded), one
    marker per spot (area by the killed there), the most-killed spots labelled, a legend of marker sizes. A
    spot is a cell of a grid ``view width / CELLS`` wide, coarsened until there are at most ``MAX_SPOTS``.

    The country outlines are ``<g id="land-XX">`` groups and the markers one ``<g id="markers">`` group.
    """
    view = fit_view(lons, lats)
    hit = set(countries_hit)
    cell = view.width / CELLS
    while count_cells(lons, lats, cell) > MAX_SPOTS:
        cell *= 1.5
    spots = merge_points(lons, lats, killed, labels, cell) if lons else []
    with plt.rc_context(STYLE):
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path as MplPath

        fig, ax = plt.subplots(figsize=(7.5, 5.2))
        ax.set_facecolor(SEA)
        for i, (country, rings) in enumerate(land(view)):
            path = MplPath.make_compound_path(*[MplPath(list(r) + [r[0]], closed=True) for r in rings])
            shaded = country.code in hit
            patch = PathPatch(path, facecolor=LAND_HIT if shaded else LAND, edgecolor=BORDER, linewidth=0.4)
            patch.set_gid(f"land-{country.code or i}")
            ax.add_patch(patch)
        if spots:
            dots = ax.scatter([s[0] for s in spots], [s[1] for s in spots], s=[marker_area(s[3]) for s in spots],
                              color=MARKER, alpha=0.6, edgecolors="white", linewidths=0.4, zorder=3)
            dots.set_gid("markers")
        for x, y, label in _labels(spots, view):
            ax.annotate(label, (x, y), fontsize=7, xytext=(4, 3), textcoords="offset points", zorder=4)
        ax.set_xlim(view.west, view.east)
        ax.set_ylim(view.south, view.north)
        ax.set_aspect(view.aspect)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        ax.tick_params(labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        ax.set_title(f"{title}: {len(lons)} incidents at {len(spots)} spots (grid {cell:.2g}°)"
                     if len(spots) < len(lons) else title, loc="left")
        ax.legend(handles=_legend(max((s[3] for s in spots), default=0)), loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False, title="killed", title_fontsize=7,
                  labelspacing=1.1, borderaxespad=0)
        return _compact_paths(to_svg(fig))


def _labels(spots: Sequence[tuple[float, float, int, int, str]], view: View) -> list[tuple[float, float, str]]:
    """Labels for the most-killed spots, at most :data:`LABELS`, none where it would overprint one already
    placed (closer than about a label's width and a line's height at the map's scale)."""
    placed: list[tuple[float, float, str]] = []
    dx, dy = view.width / 9, view.height / 22
    for x, y, _, _, label in spots:
        if len(placed) == LABELS:
            break
        if label and label not in {p[2] for p in placed} and \
                all(abs(x - px) > dx or abs(y - py) > dy for px, py, _ in placed):
            placed.append((x, y, label))
    return placed


def _legend(most: int) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    steps = [0] + [v for v in (10, 50, 200) if v <= max(most, 10)]
    handles: list = [Line2D([], [], linestyle="none", marker="o", markersize=math.sqrt(marker_area(v)),
                            markerfacecolor=MARKER, alpha=0.6, markeredgecolor="white", label=str(v))
                     for v in steps]
    handles.append(Patch(facecolor=LAND_HIT, edgecolor=BORDER, linewidth=0.4, label="country with\nincidents"))
    return handles

"""The brief's map: the view fits the incidents, outlines are clipped and thinned, markers merge, the SVG
stays small however many incidents there are."""

from __future__ import annotations

import random
import re

from amu.brief.mapchart import View, clip_ring, compact_path, fit_view, land, map_svg, marker_area, merge_points, thin


def test_the_view_fits_the_incidents_with_a_margin_and_a_minimum_size():
    v = fit_view([60.0, 75.0], [35.0, 45.0])
    assert v.west < 60 and v.east > 75 and v.south < 35 and v.north > 45
    assert v.width >= 24 and v.height >= 14
    one = fit_view([69.0], [38.0])                       # a single place still shows its neighbours
    assert (one.width, one.height) == (24, 14) and one.west == 57 and one.north == 45
    assert fit_view([], []) == View(25.0, 20.0, 85.0, 55.0)
    wide = fit_view([-170.0, 170.0], [-80.0, 80.0])
    assert (wide.west, wide.east, wide.south, wide.north) == (-180, 180, -90, 90)


def test_a_ring_is_clipped_to_the_view():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip_ring(square, View(5.0, 5.0, 20.0, 20.0))
    assert sorted(clipped) == sorted([(5.0, 5.0), (10.0, 5.0), (10.0, 10.0), (5.0, 10.0)])
    assert clip_ring(square, View(20.0, 20.0, 30.0, 30.0)) == []
    assert sorted(clip_ring(square, View(-1.0, -1.0, 11.0, 11.0))) == sorted(square)


def test_thinning_keeps_the_shape_and_drops_specks():
    wiggly = [(x / 100, (x % 2) * 0.001) for x in range(1000)] + [(10.0, 5.0), (0.0, 5.0)]
    thinned = thin(wiggly, 0.05)
    assert 3 <= len(thinned) < 10 and (10.0, 5.0) in thinned and (0.0, 5.0) in thinned
    assert thin([(0.0, 0.0), (0.01, 0.0), (0.0, 0.01)], 0.05) == []


def test_land_keeps_only_countries_in_view_with_few_points():
    view = fit_view([69.2, 68.8, 74.6], [34.5, 38.6, 42.9])
    shapes = land(view)
    codes = {c.code for c, _ in shapes}
    assert {"AF", "TJ", "KG", "UZ", "PK"} <= codes and "US" not in codes and "BR" not in codes
    for _, rings in shapes:
        for ring in rings:
            assert all(view.west - 1 <= x <= view.east + 1 and view.south - 1 <= y <= view.north + 1 for x, y in ring)
    assert sum(len(r) for _, rings in shapes for r in rings) < 5000


def test_nearby_incidents_share_a_marker_that_sums_the_killed():
    spots = merge_points([69.20, 69.21, 74.6], [34.50, 34.51, 42.9], [3, 4, 0], ["Kabul", "Kabul city", "Bishkek"],
                         cell=0.2)
    assert [(n, k, label) for _, _, n, k, label in spots] == [(2, 7, "Kabul city"), (1, 0, "Bishkek")]
    assert marker_area(0) < marker_area(10) < marker_area(100)


def test_path_data_is_compacted_without_changing_the_drawing():
    assert compact_path("M 1.000000 2.040000 \nL 3.000000 -0.01 \nL 5.5 6 \nz") == "M1 2 3 0 5.5 6z"
    assert compact_path("M 0 0 C 1 1 2 2 3 3 L 4 4") == "M0 0C1 1 2 2 3 3L4 4"


def test_the_map_svg_has_outlines_shaded_countries_markers_and_a_legend():
    svg = map_svg([69.2, 68.8, 74.6], [34.5, 38.6, 42.9], [12, 0, 3], {"AF", "TJ"}, ["Kabul", "Dushanbe", "Bishkek"])
    assert svg.startswith("<svg") and 'id="markers"' in svg and 'id="land-AF"' in svg and 'id="land-KZ"' in svg
    assert "Kabul" in svg and "killed" in svg and "country with" in svg
    shaded = re.search(r'<g id="land-AF">.*?fill: (#[0-9a-f]+)', svg, re.S)
    plain = re.search(r'<g id="land-KZ">.*?fill: (#[0-9a-f]+)', svg, re.S)
    assert shaded and plain and shaded.group(1) != plain.group(1)


def test_the_map_stays_small_for_many_incidents():
    rng = random.Random(3)
    n = 20_000
    lons = [rng.uniform(55, 75) for _ in range(n)]
    lats = [rng.uniform(30, 45) for _ in range(n)]
    svg = map_svg(lons, lats, [rng.choice([0, 1, 5, 40]) for _ in range(n)], {"AF", "TJ"}, [f"P{i}" for i in range(n)])
    assert len(svg) < 200_000 and "20000 incidents at" in svg


def test_labels_do_not_overprint_each_other():
    from amu.brief.mapchart import _labels

    view = View(60.0, 30.0, 84.0, 44.0)
    spots = [(69.0, 38.5, 1, 9, "Vahdat"), (69.3, 38.3, 1, 5, "Danghara"), (74.6, 42.9, 1, 0, "Bishkek"),
             (74.6, 42.9, 1, 0, "Bishkek")]
    assert [label for _, _, label in _labels(spots, view)] == ["Vahdat", "Bishkek"]

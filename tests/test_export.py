"""Exports of the seeds: STIX 2.1 that the OASIS validator accepts, CSV that round-trips, GeoJSON that
fits its schema, JSON Lines; byte-identical re-exports; the README documents every CSV column."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from amu.export import FORMATS, export_file
from amu.export.csv import COLUMNS, FIELDNAMES
from amu.export.stix import NAMESPACE, incident_stix_id
from amu.find import find_incidents, parse_filters
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store

from conftest import ROOT, SEEDS

GEOJSON_SCHEMA = Path(__file__).parent / "data" / "geojson" / "FeatureCollection.json"
# The validator's "should" warnings this mapping breaks on purpose (see amu.export.stix):
# 103 ids are UUIDv5 (deterministic), not v4;
# 202 'attributed-to' and 'located-at' from an incident are permitted but not suggested.
ACCEPTED_WARNINGS = {"103", "202"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    store = Store(tmp_path_factory.mktemp("seeds") / "seeds.db")
    run([SEEDS], store, Settings(use_model=False))
    return store


@pytest.fixture(scope="module")
def rows(seeds):
    rows = find_incidents(seeds)
    assert len(rows) > 20
    return rows


def test_stix_bundle_of_the_seeds_validates(rows, tmp_path):
    from stix2validator import ValidationOptions, validate_file

    path = tmp_path / "seeds.stix.json"
    result = export_file(rows, "stix", path)
    assert result.written == len(rows)
    outcome = validate_file(str(path), ValidationOptions(version="2.1"))
    assert outcome.is_valid, [str(e) for r in outcome.object_results for e in r.errors]
    warnings = [str(w) for r in outcome.object_results for w in r.warnings]
    codes = {m.group(1) if (m := re.search(r"\{(\d+)\}", w)) else w for w in warnings}
    assert codes <= ACCEPTED_WARNINGS, codes


def test_stix_objects_ids_and_relationships(rows, tmp_path):
    import stix2

    path = tmp_path / "b.json"
    export_file(rows, "stix", path)
    bundle = stix2.parse(path.read_text(), allow_custom=True)
    by_type: dict[str, list] = {}
    for o in bundle.objects:
        by_type.setdefault(o.type, []).append(o)
    assert len(by_type["incident"]) == len(rows) and len(by_type["identity"]) == 1
    assert [o.id for o in by_type["incident"]] == [f"incident--{uuid.uuid5(NAMESPACE, r.id)}" for r in rows]
    crocus = next(r for r in rows if r.location == "Crocus City Hall")
    inc = next(o for o in by_type["incident"] if o.id == incident_stix_id(crocus.id))
    assert inc.x_amu_killed == {"best": 139, "low": 139, "high": 141}
    assert inc.x_amu_perpetrator_nationality == ["TJ"]
    assert {ref["source_name"] for ref in inc.external_references} >= {"amu", "The Diplomat", "Eurasianet"}
    groups = {o.name: o for o in by_type["intrusion-set"]}
    assert "ISIS-K" in groups["ISKP"].aliases
    rels = {(r.source_ref, r.relationship_type, r.target_ref) for r in by_type["relationship"]}
    assert (inc.id, "attributed-to", groups["ISKP"].id) in rels
    place = next(o for o in by_type["location"] if o.get("name") == "Crocus City Hall")
    assert (place.country, place.administrative_area, place.latitude) == ("RU", "Moscow Oblast", 55.8256)
    assert (inc.id, "located-at", place.id) in rels
    every_ref = {r.source_ref for r in by_type["relationship"]} | {r.target_ref for r in by_type["relationship"]}
    assert every_ref <= {o.id for o in bundle.objects}


@pytest.mark.parametrize("fmt", FORMATS)
def test_re_export_is_byte_identical(rows, seeds, tmp_path, fmt):
    first, second = tmp_path / "1", tmp_path / "2"
    export_file(rows, fmt, first)
    export_file(find_incidents(seeds), fmt, second)
    assert first.read_bytes() == second.read_bytes()


def test_re_export_is_identical_across_processes(seeds, tmp_path):
    """Set and dict orders vary with the hash seed between processes; the bytes must not."""
    db = seeds.path
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"b{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "amu.cli", "export", "--db", db, "--format", "stix", "-o", str(out)],
                       env=env, check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_csv_round_trips_with_the_documented_columns(rows, tmp_path):
    path = tmp_path / "seeds.csv"
    assert export_file(rows, "csv", path).written == len(rows)
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        back = list(reader)
    assert tuple(reader.fieldnames or ()) == FIELDNAMES
    assert [b["event_id"] for b in back] == [r.id for r in rows]
    crocus = next(b for b in back if b["location"] == "Crocus City Hall")
    assert (crocus["event_date"], crocus["date_precision"], crocus["country"], crocus["country_name"]) == \
        ("2024-03-22", "day", "RU", "Russia")
    assert (float(crocus["latitude"]), float(crocus["longitude"]), crocus["geo_precision"]) == (55.8256, 37.3886, "1")
    assert (crocus["killed_best"], crocus["killed_low"], crocus["killed_high"]) == ("139", "139", "141")
    assert crocus["perpetrator_nationality"] == "TJ" and crocus["actor1"] == "ISKP"
    assert "killed: sources disagree (139–141)" in crocus["notes"]
    assert "The Diplomat" in crocus["sources"] and crocus["n_sources"] == "4"
    for b, r in zip(back, rows):
        assert b["killed_best"] == ("" if r.killed is None or r.killed.best is None else str(r.killed.best))
        assert b["geo_precision_label"] == (r.geo_precision or "")


def test_csv_reads_back_in_pandas_with_the_documented_columns(rows, tmp_path):
    import pandas as pd

    path = tmp_path / "seeds.csv"
    export_file(rows, "csv", path)
    frame = pd.read_csv(path, dtype={"event_id": str, "country": str})
    assert tuple(frame.columns) == FIELDNAMES and len(frame) == len(rows)
    assert list(frame["event_id"]) == [r.id for r in rows]
    assert frame["latitude"].dtype.kind == "f" and frame["killed_best"].dtype.kind in "fi"
    crocus = frame[frame["location"] == "Crocus City Hall"].iloc[0]
    assert (crocus["country"], crocus["killed_best"], crocus["latitude"]) == ("RU", 139, 55.8256)
    assert frame["killed_best"].sum() == sum(r.killed.best for r in rows if r.killed and r.killed.best is not None)


def test_readme_documents_every_csv_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.M)
    assert [c for c in documented if c in FIELDNAMES] == list(FIELDNAMES)
    assert all(desc for _, desc in COLUMNS)


def test_geojson_fits_the_schema_and_counts_what_it_leaves_out(rows, tmp_path):
    import jsonschema

    path = tmp_path / "seeds.geojson"
    result = export_file(rows, "geojson", path)
    data = json.loads(path.read_text())
    schema = json.loads(GEOJSON_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    located = [r for r in rows if r.lat is not None]
    assert result.written == len(data["features"]) == len(located)
    assert result.left_out == data["amu"]["without_coordinates"] == len(rows) - len(located) > 0
    first = data["features"][0]
    assert first["geometry"]["coordinates"] == [located[0].lon, located[0].lat]
    assert first["properties"]["event_id"] == located[0].id == first["id"]


def test_geojson_schema_rejects_a_broken_point():
    import jsonschema

    schema = json.loads(GEOJSON_SCHEMA.read_text())
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [69.7]}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_jsonl_is_one_incident_per_line(rows, tmp_path):
    path = tmp_path / "seeds.jsonl"
    export_file(rows, "jsonl", path)
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [x["id"] for x in lines] == [r.id for r in rows]
    crocus = next(x for x in lines if x["location"] == "Crocus City Hall")
    assert crocus["killed"]["best"] == 139 and crocus["nationality"] == ["TJ"] and crocus["sources"]


def test_filters_apply_to_exports(seeds, tmp_path):
    path = tmp_path / "tj.csv"
    rows = find_incidents(seeds, parse_filters(country=["Tajikistan"], since="2018"))
    export_file(rows, "csv", path)
    with path.open(newline="") as f:
        back = list(csv.DictReader(f))
    assert back and {b["country"] for b in back} == {"TJ"}
    assert all(b["event_date"] >= "2018" for b in back)


def test_export_file_is_readable_like_any_other_file(tmp_path):
    import os
    import stat

    from amu.export import export_file

    old = os.umask(0o022)
    try:
        export_file([], "jsonl", tmp_path / "out.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == 0o644

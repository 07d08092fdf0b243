"""The REST API of `amu serve` (FastAPI's TestClient) over a store of the bundled demo corpus."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

import pytest

from amu.find import find_incidents, parse_filters
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store
from conftest import DEMO

with warnings.catch_warnings():
    warnings.simplefilter("ignore")        # starlette's notice that it prefers httpx2; httpx works
    from fastapi.testclient import TestClient

from amu.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(tmp_path_factory.mktemp("web") / "demo.db")
    run([DEMO], s, Settings(use_model=False), progress=False)
    return s


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return TestClient(create_app(store))


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "hint", "valid"}
    assert body["error"]["code"] == code
    return body["error"]


def test_list_is_the_library_answer_newest_first_with_paging(client, store):
    every = find_incidents(store, sources=False)
    body = client.get("/api/incidents", params={"limit": 0}).json()
    assert body["total"] == len(every) > 20
    assert [r["id"] for r in body["items"]] == [r.id for r in every]
    page = client.get("/api/incidents", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == len(every) and [r["id"] for r in page["items"]] == [r.id for r in every[5:10]]
    first = page["items"][0]
    assert {"id", "date", "event_type", "country", "lat", "lon", "killed", "actors", "nationality",
            "geo_precision", "sources"} <= set(first)
    assert first["sources"] and first["sources"][0]["doc_id"]


def test_filters_are_those_of_amu_incidents(client, store):
    params = {"country": ["TJ", "Uzbekistan"], "since": "2018"}
    body = client.get("/api/incidents", params={**params, "limit": 0}).json()
    want = find_incidents(store, parse_filters(country=["TJ", "Uzbekistan"], since="2018"), sources=False)
    assert [r["id"] for r in body["items"]] == [r.id for r in want] and want
    assert {r["country"] for r in body["items"]} <= {"TJ", "UZ"}
    assert "country TJ, UZ" in body["filters"] and "since 2018-01-01" in body["filters"]
    comma = client.get("/api/incidents", params={"country": "TJ,UZ", "since": "2018", "limit": 0}).json()
    assert comma["total"] == body["total"]
    iskp = client.get("/api/incidents", params={"actor": "ISIS-K", "limit": 0}).json()   # an alias
    assert iskp["total"] > 0 and all("ISKP" in r["actors"] for r in iskp["items"])
    killed = client.get("/api/incidents", params={"min_killed": 50, "type": "attack", "limit": 0}).json()
    assert killed["total"] > 0 and all(r["killed"]["best"] >= 50 for r in killed["items"])


def test_an_unknown_filter_value_is_a_400_listing_the_valid_values(client):
    err = _error(client.get("/api/incidents", params={"country": "Atlantis"}), 400, "invalid_filter")
    assert "Atlantis" in err["message"] and "TJ" in err["valid"] and "UZ" in err["valid"]
    err = _error(client.get("/api/incidents", params={"type": "rocket"}), 400, "invalid_filter")
    assert "rocket_attack" in err["valid"] and "attack" in err["valid"]
    err = _error(client.get("/api/incidents", params={"status": "rumoured"}), 400, "invalid_filter")
    assert err["valid"] == ["claimed", "attributed", "alleged", "disputed", "foiled"]
    err = _error(client.get("/api/incidents", params={"since": "last year"}), 400, "invalid_filter")
    assert "2022-03" in err["hint"]
    _error(client.get("/api/incidents", params={"min_killed": "many"}), 400, "invalid_request")
    _error(client.get("/api/incidents/inc-nosuchthing"), 404, "not_found")
    _error(client.get("/api/nowhere"), 404, "not_found")
    err = _error(client.get("/api/export", params={"format": "xml"}), 400, "invalid_filter")
    assert err["valid"] == ["csv", "geojson", "json", "jsonl", "stix"]


def test_incident_detail_has_evidence_with_fact_spans_and_figures_side_by_side(client):
    items = client.get("/api/incidents", params={"limit": 0}).json()["items"]
    crocus = max(items, key=lambda r: r["n_mentions"])
    d = client.get(f"/api/incidents/{crocus['id']}").json()
    assert d["incident"]["id"] == crocus["id"] and len(d["mentions"]) == crocus["n_mentions"] >= 2
    kinds = set()
    for m in d["mentions"]:
        text = m["evidence"]["text"]
        assert m["source"]["doc_id"] == m["doc_id"]
        last = 0
        for h in m["highlights"]:
            assert last <= h["start"] < h["end"] <= len(text) and text[h["start"]:h["end"]] == h["text"]
            last = h["end"]
            kinds.add(h["kind"])
    assert {"killed", "place", "perpetrator", "date"} <= kinds
    killed = next(c for c in d["conflicts"] if c["figure"] == "killed")
    assert len({(b["min"], b["max"]) for b in killed["by_source"]}) > 1        # 133, 139, 145 side by side
    assert killed["fused"]["best"] == d["incident"]["killed"]["best"]
    prefix = client.get(f"/api/incidents/{crocus['id'][:10]}").json()         # an unambiguous prefix
    assert prefix["incident"]["id"] == crocus["id"]


def test_actors_and_one_actor_with_relations(client):
    body = client.get("/api/actors").json()
    names = [a["name"] for a in body["items"]]
    assert body["total"] == len(names) and "ISKP" in names
    groups = client.get("/api/actors", params={"kind": "group"}).json()["items"]
    assert groups and all(a["kind"] == "group" for a in groups)
    _error(client.get("/api/actors", params={"kind": "tribe"}), 400, "invalid_filter")
    iskp = client.get("/api/actors/ISIS-K").json()           # by alias
    assert iskp["name"] == "ISKP" and iskp["parent"] == "IS"
    assert iskp["relations"] and all(r["evidence_text"] for r in iskp["relations"])
    assert iskp["incidents"] and iskp["aliases"]
    _error(client.get("/api/actors/Nobody%20At%20All"), 404, "not_found")


@pytest.mark.parametrize("name", ["counts", "changes", "external", "hotspots", "network", "warning"])
def test_analysis_endpoints_wrap_the_library(client, store, name):
    from amu import analysis

    body = client.get(f"/api/analysis/{name}", params={"since": "2016"}).json()
    assert body["analysis"] == name and body["method"] and body["columns"] and "notes" in body
    rows = find_incidents(store, parse_filters(since="2016"), sources=False)
    direct = {"counts": lambda: analysis.counts(rows), "changes": lambda: analysis.changes(rows),
              "external": lambda: analysis.external_share(rows), "hotspots": lambda: analysis.hotspots(rows),
              "network": lambda: analysis.network(rows, analysis.people_by_incident(store), top=30)[0],
              "warning": lambda: analysis.early_warning(rows)}[name]()
    assert body["rows"] == json.loads(json.dumps([dict(r) for r in direct.rows], default=str))


def test_analysis_options_and_their_errors(client):
    by_country = client.get("/api/analysis/counts", params={"by": "country"}).json()
    assert by_country["columns"][0] == "country"
    err = _error(client.get("/api/analysis/counts", params={"by": "planet"}), 400, "invalid_filter")
    assert "nationality" in err["valid"]
    _error(client.get("/api/analysis/changes", params={"end": "2024"}), 400, "invalid_filter")
    net = client.get("/api/analysis/network").json()
    assert net["edges"] and {"source", "target", "weight"} <= set(net["edges"][0])


def test_exports_in_every_format(client, store):
    n = len(find_incidents(store, parse_filters(country=["TR"]), sources=False))
    r = client.get("/api/export", params={"format": "csv", "country": "TR"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n > 0 and {row["country"] for row in rows} == {"TR"} and "latitude" in rows[0]
    geo = client.get("/api/export", params={"format": "geojson", "country": "TR"}).json()
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) + geo["amu"]["without_coordinates"] == n
    lines = client.get("/api/export", params={"format": "jsonl", "country": "TR"}).text.splitlines()
    assert len(lines) == n and all(json.loads(x)["country"] == "TR" for x in lines)
    bundle = client.get("/api/export", params={"format": "stix", "country": "TR"}).json()
    assert bundle["type"] == "bundle" and sum(o["type"] == "incident" for o in bundle["objects"]) == n
    assert "attachment" in client.get("/api/export", params={"format": "json"}).headers["content-disposition"]


def test_openapi_schema_documents_the_api_and_docs_need_no_cdn(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/incidents", "/api/incidents/{incident_id}", "/api/actors", "/api/actors/{name}",
                 "/api/export", "/api/analysis/counts", "/api/analysis/changes", "/api/analysis/external",
                 "/api/analysis/hotspots", "/api/analysis/network", "/api/analysis/warning"):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/incidents"]["get"]["parameters"]}
    assert {"since", "until", "actor", "type", "nationality", "country", "min_killed", "status", "limit",
            "offset"} <= params
    assert "ErrorResponse" in schema["components"]["schemas"]
    docs = client.get("/docs").text
    assert "swagger-ui-bundle.js" in docs and not re.search(r"""(?:src|href)=["']https?:""", docs)
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_basemap_timeline_chart_and_dashboard_assets(client):
    base = client.get("/api/basemap").json()
    codes = {c["code"] for c in base["countries"]}
    assert {"AF", "TJ", "UZ", "KG", "TM", "KZ", "PK", "IR", "RU", "TR"} <= codes and len(codes) > 200
    tj = next(c for c in base["countries"] if c["code"] == "TJ")
    west, south, east, north = tj["bbox"]
    assert 67 < west < 68.5 and 74.5 < east < 75.5 and 36.5 < south < 37.5 and 40.5 < north < 41.5
    assert tj["d"].startswith("M") and tj["d"].endswith("Z")
    chart = client.get("/api/charts/timeline.svg", params={"country": "TJ"})
    assert chart.headers["content-type"].startswith("image/svg+xml") and chart.text.startswith("<svg")
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200


# A URL to another host: anything but the SVG and XLink namespace names, which are identifiers, not requests.
_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


def external_urls(text: str) -> list[str]:
    found = re.findall(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'<>)]*""", text)
    return [u for u in found if not u.startswith(_NAMESPACES)]


def test_served_page_scripts_and_styles_reference_no_external_url(client):
    for path in ("/", "/static/app.js", "/static/style.css"):
        text = client.get(path).text
        assert external_urls(text) == [], path
    # the check itself catches what it should
    assert external_urls('<script src="https://cdn.example.com/x.js">') and external_urls("url(//fonts.gstatic.com/a)")


def test_the_server_sees_what_an_ingest_adds_while_it_runs(tmp_path, report_dir):
    from conftest import REPORT

    s = Store(tmp_path / "live.db")
    run([report_dir], s, Settings(use_model=False), progress=False)
    live = TestClient(create_app(s, refresh_s=0))
    before = live.get("/api/incidents").json()["total"]
    assert before >= 1 and live.get("/api/incidents").json()["total"] == before      # served from the cache
    more = tmp_path / "more"
    more.mkdir()
    (more / "khujand.txt").write_text(REPORT.replace("Kulob", "Khujand").replace("nine", "six")
                                      .replace("May 3", "August 9"), encoding="utf-8")
    run([more], s, Settings(use_model=False), progress=False)
    after = live.get("/api/incidents", params={"limit": 0}).json()
    assert after["total"] > before and any(r["location"] == "Khujand" for r in after["items"])


def test_amu_serve_says_how_to_fix_a_missing_store_or_a_busy_port(tmp_path, store):
    import socket

    from click.testing import CliRunner

    from amu.cli import cli

    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nothing.db")])
    assert res.exit_code == 2 and "no database at" in res.output and "amu ingest PATH" in res.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(cli, ["serve", "--db", store.db, "--port", str(port)])
    assert res.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in res.output and "--port" in res.output
    assert "/api/incidents" in CliRunner().invoke(cli, ["serve", "--help"]).output

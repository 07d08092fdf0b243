"""amu.analysis on small hand-built incident sets whose answers are worked out here by hand, and
`amu analyze` on the seeds store."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from click.testing import CliRunner

from amu.analysis import changes, counts, early_warning, external_share, hotspots, network, write_graphml
from amu.analysis.hotspots import NO_ADMIN1
from amu.cli import cli
from amu.errors import AmuError
from amu.find.rows import Figure, IncidentRow

from conftest import SEEDS


def row(id: str, date: str | None, event_type: str = "attack", attack_type: str | None = None,
        country: str | None = None, admin1: str | None = None, location: str | None = None,
        actors: tuple[str, ...] = (), nationality: tuple[str, ...] = (), killed: Figure | None = None,
        wounded: Figure | None = None, arrested: Figure | None = None, geo: str | None = None) -> IncidentRow:
    return IncidentRow(id=id, event_type=event_type, attack_type=attack_type, date=date, country=country,
                       admin1=admin1, location=location, actors=actors, perpetrator=actors[0] if actors else None,
                       nationality=nationality, killed=killed, wounded=wounded, arrested=arrested,
                       geo_precision=geo)


def fig(low: int | None, best: int | None, high: int | None) -> Figure:
    return Figure(low, best, high)


# -- counts -------------------------------------------------------------------------------------------------
COUNT_ROWS = [
    row("a", "2024-01-05", attack_type="bombing", country="AF", actors=("ISKP",), nationality=("TJ",),
        killed=fig(5, 7, 10), wounded=fig(None, 3, None)),
    row("b", "2024-01", country="PK", actors=("ISKP", "TTP"), killed=fig(2, 2, 2)),
    row("c", "2024-03-10", event_type="plot", country="TJ", actors=("IS",), nationality=("TJ", "UZ"),
        arrested=fig(4, None, 6)),
    row("d", "2024", attack_type="bombing"),
]


def _by(result, key):
    return {r[result.params["by"]]: r for r in result.rows}[key]


def test_counts_by_month_fills_empty_months_and_sums_best_low_high():
    result = counts(COUNT_ROWS, by="month")
    assert [(r["month"], r["incidents"]) for r in result.rows] == [("2024-01", 2), ("2024-02", 0), ("2024-03", 1)]
    jan = _by(result, "2024-01")
    # a: killed 5/7/10, b: 2/2/2 -> best 9, low 7, high 12; wounded: a's best 3 stands in for both bounds
    assert (jan["killed_best"], jan["killed_low"], jan["killed_high"]) == (9, 7, 12)
    assert (jan["wounded_best"], jan["wounded_low"], jan["wounded_high"]) == (3, 3, 3)
    mar = _by(result, "2024-03")
    # c: no best arrested figure, so the low bound (4) is the best estimate; high 6
    assert (mar["arrested_best"], mar["arrested_low"], mar["arrested_high"], mar["killed_best"]) == (4, 4, 6, 0)
    assert any("1 incidents dated only to a year" in n for n in result.notes)     # d has no month


def test_counts_by_country_type_group_and_nationality():
    by_country = counts(COUNT_ROWS, by="country")
    assert [(r["country"], r["incidents"]) for r in by_country.rows] == [("AF", 1), ("PK", 1), ("TJ", 1),
                                                                         ("unknown", 1)]
    by_type = counts(COUNT_ROWS, by="type")
    assert [(r["type"], r["incidents"], r["killed_best"]) for r in by_type.rows] == [
        ("attack/bombing", 2, 7), ("attack", 1, 2), ("plot", 1, 0)]
    by_group = counts(COUNT_ROWS, by="group")     # b counts for ISKP and for TTP
    assert [(r["group"], r["incidents"], r["killed_best"]) for r in by_group.rows] == [
        ("ISKP", 2, 9), ("IS", 1, 0), ("TTP", 1, 2), ("unknown", 1, 0)]
    assert any("1 incidents count under more than one group" in n for n in by_group.notes)
    by_nat = counts(COUNT_ROWS, by="nationality")
    assert [(r["nationality"], r["incidents"]) for r in by_nat.rows] == [("TJ", 2), ("UZ", 1), ("unknown", 2)]
    with pytest.raises(AmuError, match="cannot count by 'city'"):
        counts(COUNT_ROWS, by="city")


# -- change detection ----------------------------------------------------------------------------------------
def _monthly(per_month: dict[str, int], **kw) -> list[IncidentRow]:
    return [row(f"{m}-{i}", f"{m}-15", **kw) for m, n in per_month.items() for i in range(n)]


def _upper_tail(x: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(x, n + 1))


def test_changes_claims_an_increase_with_the_exact_poisson_test():
    # 1 incident a month in 2024-01..09 (baseline: 9 months), 4 a month in 2024-10..12 (window: 3 months).
    rows = _monthly({f"2024-{m:02d}": 1 for m in range(1, 10)} | {f"2024-{m:02d}": 4 for m in (10, 11, 12)})
    result = changes(rows, window=3)
    (r,) = result.rows
    assert (r["recent"], r["baseline"]) == ("2024-10..2024-12", "2024-01..2024-09")
    assert (r["recent_incidents"], r["baseline_incidents"]) == (12, 9)
    # Under equal rates, x1 | n=21 ~ Binomial(21, 3/12). P(X=12) = 0.0013 is below P(X=0) = 0.75^21 = 0.0024,
    # so no lower-tail outcome is as unlikely: the two-sided p-value is the upper tail P(X >= 12).
    assert r["p_value"] == pytest.approx(_upper_tail(12, 21, 0.25), rel=1e-2)
    assert r["p_value"] < 0.01
    assert (r["rate_ratio"], r["expected_recent"], r["verdict"]) == (4.0, 5.25, "increase")
    assert "Poisson" in result.method and result.params["window"] == 3 and result.params["baseline"] == 9


def test_changes_no_change_decrease_and_too_few():
    steady = _monthly({f"2024-{m:02d}": 2 for m in range(1, 13)})       # 18 before, 6 in the window: as expected
    (r,) = changes(steady, window=3).rows
    assert (r["recent_incidents"], r["expected_recent"], r["p_value"], r["verdict"]) == (6, 6.0, 1.0,
                                                                                         "no change detected")
    # Nothing since September: the window ends in December because --end says so; P(X=0) = 0.75^18 = 0.0056.
    lull = _monthly({f"2024-{m:02d}": 2 for m in range(1, 10)})
    (r,) = changes(lull, window=3, end="2024-12").rows
    assert r["recent_incidents"] == 0 and r["verdict"] == "decrease"
    assert 0.75 ** 18 <= r["p_value"] < 0.05
    few = _monthly({f"2024-{m:02d}": 1 for m in (1, 5, 11, 12)})
    (r,) = changes(few, window=3).rows
    assert r["p_value"] is None and r["verdict"] == "too few to say (4 incidents < 10)"
    short = _monthly({"2024-11": 10, "2024-12": 10})                    # baseline of 0 months
    assert changes(short, window=3).rows[0]["verdict"].startswith("too few to say (baseline of 0 months")


def test_changes_by_group_tests_each_series_over_the_same_months():
    rows = _monthly({f"2024-{m:02d}": 1 for m in range(1, 10)} | {f"2024-{m:02d}": 4 for m in (10, 11, 12)},
                    actors=("ISKP",)) + _monthly({"2024-02": 3}, actors=("IS",))
    result = changes(rows, by="group", window=3)
    assert [(r["series"], r["recent_incidents"], r["baseline_incidents"]) for r in result.rows] == [
        ("ISKP", 12, 9), ("IS", 0, 3)]
    assert result.rows[1]["verdict"].startswith("too few to say")


# -- external operations ---------------------------------------------------------------------------------------
def test_external_share_by_group_and_year():
    rows = [row("1", "2022-03-01", country="AF", actors=("ISKP",)), row("2", "2022-05", country="TJ", actors=("ISKP",)),
            row("3", "2022", country="UZ", actors=("ISKP",)), row("4", "2023-01-02", country="PK", actors=("ISKP",)),
            row("5", "2023-06-01", country="RU", actors=("IS",)), row("6", "2023-07-01", actors=("ISKP",)),
            row("7", "2023-07-01", country="KG")]
    result = external_share(rows)
    assert [(r["group"], r["year"], r["incidents"], r["external"], r["share_external"], r["external_countries"])
            for r in result.rows] == [("IS", "2023", 1, 1, 1.0, ["RU"]),
                                      ("ISKP", "2022", 3, 2, 0.667, ["TJ", "UZ"]),
                                      ("ISKP", "2023", 1, 0, 0.0, [])]
    assert "ISKP,2022,3,2,0.667,TJ;UZ\n" in result.to_csv()     # lists in a cell joined with ';'
    notes = " ".join(result.notes)
    assert "1 incidents that name no group" in notes and "1 incidents that have no country" in notes


# -- hotspots --------------------------------------------------------------------------------------------------
def test_hotspots_by_admin1_with_precision():
    rows = [row("1", None, country="AF", admin1="Kabul", killed=fig(10, 10, 10), geo="exact"),
            row("2", None, country="AF", admin1="Kabul", killed=fig(5, 5, 8), wounded=fig(2, 2, 2), geo="province"),
            row("3", None, country="TJ", admin1="Khatlon", killed=fig(1, 1, 1), geo="district"),
            row("4", None, country="AF", killed=fig(100, 100, 100), geo="country"),
            row("5", None)]
    result = hotspots(rows)
    assert [(r["country"], r["admin1"], r["incidents"], r["killed_best"], r["wounded_best"], r["precision"])
            for r in result.rows] == [("AF", "Kabul", 2, 15, 2, "exact 1; province 1"),
                                      ("TJ", "Khatlon", 1, 1, 0, "district 1"),
                                      ("AF", NO_ADMIN1, 1, 100, 0, "country 1")]   # vague places last
    assert any("1 incidents with no known place" in n for n in result.notes)
    assert [r["admin1"] for r in hotspots(rows, top=1).rows] == ["Kabul"]


# -- actor network ---------------------------------------------------------------------------------------------
NETWORK_ROWS = [row("i1", "2024-01-01", country="TJ", location="Kulob", actors=("ISKP",)),
                row("i2", "2024-02-01", country="AF", location="Kabul", actors=("ISKP", "Taliban")),
                row("i3", "2024-03-01", country="TJ", location="Kulob", actors=("ISKP",))]


def test_network_centrality_communities_and_graphml(tmp_path):
    result, graph = network(NETWORK_ROWS, people={"i1": ["Abu Test"]})
    nodes = {r["node"]: r for r in result.rows}
    # Two triangles that share ISKP: {ISKP, Kulob, Abu Test} (i1, i3) and {ISKP, Kabul, Taliban} (i2).
    assert set(nodes) == {"group:ISKP", "group:Taliban", "place:TJ/Kulob", "place:AF/Kabul", "person:abu test"}
    assert graph["group:ISKP"]["place:TJ/Kulob"]["weight"] == 2 and graph.number_of_edges() == 6
    # Degree centrality = degree / (5 - 1): ISKP touches all four others; everyone else two.
    assert nodes["group:ISKP"]["degree_centrality"] == 1.0
    assert {nodes[n]["degree_centrality"] for n in nodes if n != "group:ISKP"} == {0.5}
    # Betweenness: ISKP lies on the only shortest path of the 4 pairs across the triangles, of 6 pairs
    # among the other four nodes -> 4/6; the others lie on none.
    assert nodes["group:ISKP"]["betweenness"] == pytest.approx(0.6667)
    assert {nodes[n]["betweenness"] for n in nodes if n != "group:ISKP"} == {0.0}
    assert result.rows[0]["node"] == "group:ISKP"
    # Modularity (total weight 7): ISKP with Kulob's triangle gives Q = 4/7 - (10/14)^2 + 1/7 - (4/14)^2 = 0.122,
    # ISKP with Kabul's gives 1/7 - (5/14)^2 + 3/7 - (9/14)^2 = 0.031: the first partition wins.
    communities = {}
    for n, r in nodes.items():
        communities.setdefault(r["community"], set()).add(n)
    assert sorted(communities.values(), key=len) == [{"group:Taliban", "place:AF/Kabul"},
                                                     {"group:ISKP", "place:TJ/Kulob", "person:abu test"}]
    path = tmp_path / "net.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path)
    assert back.nodes["group:ISKP"]["kind"] == "group" and back.nodes["group:ISKP"]["incidents"] == 3
    assert back["group:ISKP"]["place:TJ/Kulob"]["weight"] == 2
    _, no_people = network(NETWORK_ROWS)
    assert "person:abu test" not in no_people


# -- early warning ---------------------------------------------------------------------------------------------
def test_early_warning_finds_the_lag_and_says_when_n_is_small():
    lead = [1, 0, 2, 0, 1, 0, 0, 0]            # propaganda per month, 2024-01..08
    attacks = [0, 1, 0, 2, 0, 1, 0, 0]         # the same one month later
    rows = [row(f"p{m}{i}", f"2024-{m + 1:02d}-10", event_type="propaganda") for m, n in enumerate(lead)
            for i in range(n)]
    rows += [row(f"a{m}{i}", f"2024-{m + 1:02d}-20") for m, n in enumerate(attacks) for i in range(n)]
    rows.append(row("x", "2024-08-01", event_type="arrest"))          # makes the series run to August
    result = early_warning(rows, max_lag=3, min_months=5, min_events=3)
    panel = {r["lead"]: r for r in result.rows}
    prop = panel["propaganda"]
    # Lag 1 pairs lead[0:7] with attacks[1:8]: the same numbers, r = 1 over 7 months; band 2/sqrt(7) = 0.756.
    assert (prop["best_lag"], prop["r"], prop["n_months"], prop["band_95"]) == (1, 1.0, 7, 0.756)
    # Lag 0: both means 0.5; sum of products of deviations -2, each sum of squares 4 -> r = -2/4.
    assert prop["r_by_lag"][0] == -0.5
    assert prop["reading"].startswith("propaganda runs 1 months ahead") and "not cause" in prop["reading"]
    assert panel["threat"]["best_lag"] is None and "no correlation" in panel["threat"]["reading"]
    assert panel["propaganda+threat+plot"]["r"] == 1.0
    strict = {r["lead"]: r for r in early_warning(rows, max_lag=3).rows}   # defaults: 24 months, 10 events
    assert strict["propaganda"]["reading"].startswith("too few to read: 7 months, 4 propaganda events")
    assert any("not cause" in n for n in result.notes)


# -- the CLI on the seeds --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> str:
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    res = CliRunner().invoke(cli, ["ingest", str(SEEDS), "--db", db, "--no-model", "-q"])
    assert res.exit_code == 0, res.output
    return db


def test_analyze_cli_on_the_seeds(seeds_db, tmp_path):
    def run(*args):
        return CliRunner().invoke(cli, ["analyze", *args, "--db", seeds_db])

    every = json.loads(CliRunner().invoke(cli, ["incidents", "--db", seeds_db, "--format", "json",
                                                "--limit", "0"]).output)
    by_country = json.loads(run("counts", "--by", "country", "--format", "json").output)
    assert by_country["analysis"] == "counts" and sum(r["incidents"] for r in by_country["rows"]) == len(every)
    iskp = [r for r in every if "ISKP" in r["actors"]]
    grouped = run("counts", "--by", "group", "--actor", "ISIS-K", "--format", "csv")
    assert grouped.exit_code == 0 and f"\nISKP,{len(iskp)}," in grouped.output
    table = run("changes", "--by", "group", "--country", "TJ")
    assert table.exit_code == 0 and "Poisson" in table.output and "country TJ" in table.output
    warning = json.loads(run("warning", "--format", "json").output)
    assert [r["lead"] for r in warning["rows"]][:3] == ["propaganda", "threat", "plot"]
    assert all(r["reading"] for r in warning["rows"])
    out = tmp_path / "seeds.graphml"
    written = run("network", "-o", str(out))
    assert written.exit_code == 0 and "group:ISKP" in nx.read_graphml(out)
    for args, message in [(["network", "--format", "graphml"], "add -o network.graphml"),
                          (["hotspots", "--country", "Narnia"], "unknown country 'Narnia'"),
                          (["changes", "--end", "2024"], "give a month")]:
        res = run(*args)
        assert res.exit_code == 2 and message in res.output, (args, res.output)

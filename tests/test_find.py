"""Finding incidents: the filter parser, its matcher on hand-built rows, rows read from a small store."""

from __future__ import annotations

import pytest

from amu.errors import FilterError
from amu.find import Figure, Filters, IncidentRow, find_incidents, parse_filters, period
from amu.ingest import document_from_text
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store

from conftest import REPORT

# Six incidents whose filter answers are worked out by hand below.
ROWS = [
    IncidentRow("inc-a", "attack", "bombing", date="2024-03-22", country="RU", perpetrator="ISKP", actors=("ISKP",),
                nationality=("TJ",), killed=Figure(139, 139, 145, conflict=True), status="claimed"),
    IncidentRow("inc-b", "attack", "rocket_attack", date="2022-04", country="UZ", perpetrator="ISKP",
                actors=("ISKP", "IS"), killed=None),
    IncidentRow("inc-c", "plot", "bombing", date="2023", country="AT", perpetrator="ISKP", actors=("ISKP",),
                nationality=("TJ", "KG"), status="foiled"),
    IncidentRow("inc-d", "arrest", date="2024-06", country="KG", arrested=Figure(15, 15, 15)),
    IncidentRow("inc-e", "attack", "armed_assault", date="2017-01-01", country="TR", perpetrator="IS",
                actors=("IS",), nationality=("UZ",), killed=Figure(None, 39, 39)),
    IncidentRow("inc-f", "attack", date=None, country="TJ", perpetrator="ISKP", actors=("ISKP",),
                killed=Figure(3, None, None)),
]


def ids(filters: Filters) -> list[str]:
    return [r.id for r in ROWS if filters.matches(r)]


def test_no_filter_keeps_everything():
    assert ids(parse_filters()) == [r.id for r in ROWS]


@pytest.mark.parametrize("since, until, expected", [
    ("2022", None, ["inc-a", "inc-b", "inc-c", "inc-d"]),          # undated inc-f left out
    ("2023-06", "2024-03", ["inc-a", "inc-c"]),                       # "2023" overlaps the window
    ("2024-03-23", None, ["inc-d"]),
    (None, "2017", ["inc-e"]),
    ("2022-04-30", "2022-04-30", ["inc-b"]),                          # a month-dated incident overlaps a day
])
def test_date_window_covers_whole_periods(since, until, expected):
    assert ids(parse_filters(since=since, until=until)) == expected


def test_countries_by_code_or_name_any_case_repeated_or_comma_separated():
    assert ids(parse_filters(country=["uz", "Kyrgyzstan"])) == ["inc-b", "inc-d"]
    assert ids(parse_filters(country=["UZ,kg"])) == ["inc-b", "inc-d"]
    assert ids(parse_filters(country="russia")) == ["inc-a"]


def test_actor_by_any_alias():
    assert ids(parse_filters(actor=["Islamic State Khorasan Province"])) == ["inc-a", "inc-b", "inc-c", "inc-f"]
    assert ids(parse_filters(actor=["isis-k"])) == ids(parse_filters(actor=["ISKP"]))
    assert ids(parse_filters(actor=["Daesh"])) == ["inc-b", "inc-e"]


def test_type_matches_event_or_attack_type_or_both():
    assert ids(parse_filters(type=["bombing"])) == ["inc-a", "inc-c"]
    assert ids(parse_filters(type=["attack/bombing"])) == ["inc-a"]
    assert ids(parse_filters(type=["rocket_attack"])) == ["inc-b"]
    assert ids(parse_filters(type=["plot", "arrest"])) == ["inc-c", "inc-d"]


def test_nationality_by_demonym_code_or_country():
    assert ids(parse_filters(nationality=["Tajik"])) == ["inc-a", "inc-c"]
    assert ids(parse_filters(nationality=["uzbekistan", "kg"])) == ["inc-c", "inc-e"]


def test_min_killed_uses_best_else_lower_bound_and_drops_unknown_tolls():
    assert ids(parse_filters(min_killed=39)) == ["inc-a", "inc-e"]
    assert ids(parse_filters(min_killed=3)) == ["inc-a", "inc-e", "inc-f"]
    assert ids(parse_filters(min_killed=0)) == ["inc-a", "inc-e", "inc-f"]


def test_status_and_combinations():
    assert ids(parse_filters(status=["Foiled", "claimed"])) == ["inc-a", "inc-c"]
    assert ids(parse_filters(actor="ISKP", nationality="TJ", since="2024")) == ["inc-a"]
    assert ids(parse_filters(actor="ISKP", country="TR")) == []


@pytest.mark.parametrize("kwargs, names", [
    ({"country": ["Narnia"]}, ["country 'Narnia'", "TJ", "UZ", "alpha-2"]),
    ({"actor": ["ISKPP"]}, ["actor 'ISKPP'", "ISKP", "Taliban", "TTP"]),
    ({"type": ["rocket"]}, ["type 'rocket'", "rocket_attack", "bombing", "security_operation"]),
    ({"type": ["bombing/attack"]}, ["type 'bombing/attack'", "attack/bombing"]),
    ({"status": ["confirmed"]}, ["status 'confirmed'", "claimed", "foiled"]),
    ({"nationality": ["Martian"]}, ["nationality 'Martian'", "demonym"]),
    ({"since": "2022-13"}, ["not a date", "2022-03"]),
    ({"since": "last year"}, ["not a date"]),
    ({"since": "2024", "until": "2023"}, ["after", "swap"]),
    ({"min_killed": -1}, ["negative"]),
])
def test_unknown_or_malformed_values_are_errors_that_list_valid_ones(kwargs, names):
    with pytest.raises(FilterError) as err:
        parse_filters(**kwargs)
    text = str(err.value)
    assert "hint:" in text
    for name in names:
        assert name in text


def test_perpetrators_in_the_store_are_valid_actor_values():
    row = IncidentRow("inc-z", "attack", actors=("Some Local Cell",))
    f = parse_filters(actor=["some local cell"], known_actors=["Some Local Cell"])
    assert f.matches(row)


def test_period_of_partial_dates():
    assert period("2024-02") == ("2024-02-01", "2024-02-29")
    assert period("2023") == ("2023-01-01", "2023-12-31")
    assert period("2023-02-03") == ("2023-02-03", "2023-02-03")


def test_rows_from_a_store_carry_nationality_precision_and_sources():
    store = Store(":memory:")
    doc = document_from_text(REPORT, "kulob.txt", published="2025-05-04", publisher="Test Wire",
                             url="https://example.org/kulob", title="Blast at Kulob market kills nine")
    tashkent = document_from_text(
        "Police in Tashkent detained three men suspected of plotting an attack on a market, "
        "the Interior Ministry said on Monday.", "tashkent.txt", published="2025-06-02")
    from amu.extract import extract
    from amu.extract.mentions import ExtractOptions
    from amu.resolve.incidents import fuse_store

    for d in (doc, tashkent):
        store.add_document(d, extract(d, ExtractOptions(use_model=False)))
    fuse_store(store)
    rows = find_incidents(store)
    kulob = next(r for r in rows if r.location == "Kulob")
    assert (kulob.event_type, kulob.attack_type, kulob.country, kulob.admin1) == ("attack", "bombing", "TJ", "Khatlon")
    assert kulob.nationality == ("TJ",) and kulob.actors == ("ISKP",) and kulob.status == "claimed"
    assert (kulob.geo_precision, kulob.geo_precision_code, kulob.date_precision) == ("exact", 1, "day")
    assert kulob.killed is not None and (kulob.killed.low, kulob.killed.best, kulob.killed.high) == (9, 9, 9)
    assert [(s.doc, s.url, s.publisher) for s in kulob.sources] == [("kulob.txt", "https://example.org/kulob",
                                                                     "Test Wire")]
    assert [r.id for r in find_incidents(store, parse_filters(country="UZ"))] == \
        [r.id for r in rows if r.country == "UZ"]
    assert find_incidents(store, parse_filters(nationality="Tajiks")) == [kulob]


def test_pipeline_reports_documents_in_a_language_it_cannot_read(tmp_path, report_dir):
    (report_dir / "ru.txt").write_text(
        "В пятницу вечером в концертном зале в Красногорске неизвестные открыли стрельбу по посетителям. "
        "По данным Следственного комитета, погибли более 140 человек, еще сотни получили ранения. "
        "Ответственность за нападение взяла на себя группировка. Задержаны четыре гражданина.", encoding="utf-8")
    (report_dir / "tg.txt").write_text(
        "Дар шаҳри Кӯлоб рӯзи ҷумъа дар назди бозор таркиш ба амал омад. Ба гуфтаи Вазорати корҳои дохилӣ, "
        "се нафар ҳалок ва даҳ нафари дигар захмӣ шуданд.", encoding="utf-8")
    store = Store(tmp_path / "a.db")
    report = run([report_dir], store, Settings(use_model=False))
    assert report.documents == 3
    assert [(name.split("/")[-1], p.description) for name, p in report.flagged] == [("tg.txt", "Tajik")]
    assert any(m.location == "Krasnogorsk" for m in store.mentions())


def test_the_store_side_cut_of_country_and_dates_never_drops_a_matching_incident():
    import json

    store = Store(":memory:")

    def inc(ident, date, country, place_country=None):
        data = {"id": ident, "event_type": "attack", "date": date, "country": country,
                "place": {"name": "X", "country": place_country, "kind": "city"} if place_country else None}
        return {"id": ident, "event_type": "attack", "date": date, "country": country, "data_json": json.dumps(data),
                "updated_at": "now"}

    store.write_incidents([
        inc("inc-year", "2019", "TJ"),              # a year reaches a window that starts mid-year
        inc("inc-month", "2019-06", "TJ"),
        inc("inc-day", "2019-05-31", "TJ"),         # before the window
        inc("inc-late", "2021-01-01", "TJ"),        # after it
        inc("inc-place", "2019-07-01", None, "TJ"),  # the country only in its place
        inc("inc-other", "2019-07-01", "UZ"),
        inc("inc-undated", None, "TJ"),
    ])
    found = find_incidents(store, parse_filters(country="TJ", since="2019-06-15", until="2020-12"), sources=False)
    assert sorted(r.id for r in found) == ["inc-month", "inc-place", "inc-year"]
    assert sorted(r.id for r in find_incidents(store, parse_filters(until="2019-01-01"), sources=False)) == \
        ["inc-year"]


def test_the_columns_cut_keeps_exactly_the_rows_that_match():
    """The server's column cut (amu.find.columns) agrees with Filters.matches on every filter it handles,
    over rows with every kind of date, type, status and toll, including missing ones."""
    import itertools
    import random

    from amu.find.columns import RowColumns

    rng = random.Random(7)
    dates = [None, "2019", "2019-06", "2019-06-30", "2020-01-01", "2021-12", "2024-02-29"]
    kinds = [("attack", "bombing"), ("attack", None), ("attack", "armed_assault"), ("plot", None), ("arrest", None)]
    rows = [IncidentRow(id=f"i{n}", event_type=e, attack_type=a, date=rng.choice(dates),
                        status=rng.choice([None, "claimed", "alleged"]), country=rng.choice([None, "AF", "TJ", "UZ"]),
                        killed=rng.choice([None, Figure(None, None, None), Figure(0, 0, 0), Figure(3, 5, 9)]))
            for n, (e, a) in enumerate(rng.choice(kinds) for _ in range(300))]
    columns = RowColumns(rows)
    choices = {"country": [None, "TJ", "AF,UZ"], "since": [None, "2019-06-15", "2020"],
               "until": [None, "2019", "2021-12-31"], "type": [None, "bombing", "attack", "plot,arrest"],
               "min_killed": [None, 0, 4], "status": [None, "claimed"]}
    for combo in itertools.product(*choices.values()):
        kw = {k: v for k, v in zip(choices, combo) if v is not None}
        if kw.get("since") == "2020" and kw.get("until") == "2019":
            continue
        f = parse_filters(**kw)
        assert [rows[i].id for i in columns.candidates(f)] == [r.id for r in rows if f.matches(r)], kw


def test_rows_are_listed_newest_first_a_coarser_date_after_the_finer_ones_inside_it():
    from amu.find.query import order_key

    dates = {"a": "2023-12-31", "b": None, "c": "2024", "d": "2024-03", "e": "2024-03-02", "f": "2024-03-02",
             "g": "2024-03-01"}
    rows = [IncidentRow(ident, "attack", date=date) for ident, date in dates.items()]
    assert [r.id for r in sorted(reversed(rows), key=order_key)] == ["e", "f", "g", "d", "c", "a", "b"]


def test_rows_read_in_bulk_have_exactly_the_fields_of_the_record_and_stay_frozen():
    from dataclasses import FrozenInstanceError, fields, replace

    from amu.find.rows import row_from_record

    record = {"id": "inc-x", "event_type": "attack", "date": "2021-07", "perpetrator": "ISKP",
              "perpetrators": ["ISKP", "IS"], "killed": {"low": 3, "best": 4, "high": 5},
              "place": {"name": "Jalalabad", "country": "AF", "kind": "city", "lat": 34.4, "lon": 70.4},
              "mention_ids": ["m1", "m2"]}
    row = row_from_record(record, ["TJ"])
    assert set(vars(row)) == {f.name for f in fields(IncidentRow)}
    assert row == replace(row) and row.sources == ()
    assert (row.actors, row.country, row.date_precision, row.n_mentions) == (("ISKP", "IS"), "AF", "month", 2)
    with pytest.raises(FrozenInstanceError):
        row.id = "inc-y"  # type: ignore[misc]

"""Full-text search with filters, on both engines, over a small hand-made store whose answers are known."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from amu.cli import cli
from amu.errors import QueryError
from amu.records import DateValue, Document, Evidence, Mention, Provenance
from amu.store import SearchQuery, Store
from amu.store.search import fts5_query

DOCS = {
    # name: (publisher, published, text, [(mention id, type, attack type, date, country, place, actor, sentence)])
    "termez.txt": ("Test Wire", "2022-07-05",
                   "Rockets fired from Afghanistan struck Termez on Tuesday. No one was hurt, officials said.",
                   [("m-termez", "attack", "rocket_attack", "2022-07-05", "UZ", "Termez", "ISKP",
                     "Rockets fired from Afghanistan struck Termez on Tuesday.")]),
    "kulob.txt": ("Asia Desk", "2021-05-04", "A bomb exploded at a market in Kulob, killing nine people.",
                  [("m-kulob", "attack", "bombing", "2021-05-03", "TJ", "Kulob", "ISKP",
                    "A bomb exploded at a market in Kulob, killing nine people.")]),
    "analysis.md": ("Think Tank", "2023-01-10",
                    "An analysis of rocket attacks on Termez and the border. Officials in Termez fear more.", []),
    "termez-2019.txt": ("Test Wire", "2019-05-01", "A rocket hit Termez in April 2019, a local paper said.",
                        [("m-old", "attack", "rocket_attack", "2019-04", "UZ", "Termez", None,
                          "A rocket hit Termez in April 2019, a local paper said.")]),
    "arrests.txt": ("Asia Desk", "2022-11-21", "Police arrested three men in Tashkent who planned an attack.",
                    [("m-arrest", "arrest", None, "2022-11-20", "UZ", "Tashkent", None,
                      "Police arrested three men in Tashkent who planned an attack.")]),
}


def _fill(store: Store) -> Store:
    for name, (publisher, published, text, rows) in DOCS.items():
        doc = Document(id=f"doc-{name}", name=name, text=text, publisher=publisher, published=published)
        mentions = []
        for mid, etype, atype, day, country, place, actor, sentence in rows:
            start = text.index(sentence)
            precision = {4: "year", 7: "month"}.get(len(day), "day")
            mentions.append(Mention(
                id=mid, doc=name, doc_id=doc.id, event_type=etype, attack_type=atype,
                evidence=Evidence(sentence, start, start + len(sentence)),
                provenance=Provenance(doc.id, "test", "1"), date=DateValue(day, precision),  # type: ignore[arg-type]
                country=country, location=place, perpetrator=actor))
        store.add_document(doc, mentions, "test")
    return store


@pytest.fixture()
def store(db_url: str) -> Store:
    return _fill(Store(db_url))


def _found(store: Store, text: str, **filters: object) -> set[str]:
    return {h.mention_id or h.doc for h in store.search(text, **filters)}


def test_words_must_all_occur_and_evidence_comes_before_reports(store: Store) -> None:
    hits = store.search("rocket Termez")
    assert {h.mention_id or h.doc for h in hits} == {"m-termez", "m-old", "analysis.md"}
    assert [h.kind for h in hits] == ["evidence", "evidence", "document"]
    assert "[Termez]" in hits[-1].text or "[termez]" in hits[-1].text.lower()


def test_the_issue_example_filters_by_country_and_date(store: Store) -> None:
    hits = store.search("rocket Termez", country="uz", since="2022")
    assert [(h.kind, h.mention_id, h.incident_id, h.date, h.perpetrator) for h in hits] == [
        ("evidence", "m-termez", None, "2022-07-05", "ISKP")]
    assert _found(store, "rocket Termez", until="2020") == {"m-old"}


def test_a_date_range_keeps_a_mention_whose_own_precision_overlaps_it(store: Store) -> None:
    assert _found(store, "rocket", since="2019-04-15", until="2019-12") == {"m-old"}   # "2019-04" overlaps
    assert _found(store, "rocket", since="2019-05", until="2019-12") == set()


def test_type_actor_and_source_filters(store: Store) -> None:
    assert _found(store, "market", event_type="bombing") == {"m-kulob"}
    assert _found(store, "market", event_type="attack") == {"m-kulob"}
    assert _found(store, "market", event_type="arrest") == set()
    assert _found(store, "Kulob OR Termez", actor="iskp") == {"m-kulob", "m-termez"}
    assert _found(store, "Termez", source="think") == {"analysis.md"}
    assert _found(store, "Termez", source="test wire") == {"m-termez", "m-old"}


def test_phrases_alternatives_and_exclusions(store: Store) -> None:
    assert _found(store, '"no one was hurt"') == {"termez.txt"}        # in the report, not the evidence
    assert _found(store, "Kulob OR Tashkent") == {"m-kulob", "m-arrest"}
    assert _found(store, "Termez -analysis") == {"m-termez", "m-old"}
    assert _found(store, "rockets") == _found(store, "rocket")          # stemmed on both engines
    assert len(store.search("Termez", limit=1)) == 1


def test_the_index_follows_re_extraction(store: Store) -> None:
    store.replace_mentions("doc-termez.txt", [])
    hits = store.search("rocket Termez", since="2022")
    assert hits == []                                                   # the filters need a mention now
    assert _found(store, "rocket Termez") == {"m-old", "termez.txt", "analysis.md"}


@pytest.mark.parametrize("kwargs, message, hint", [
    ({"text": "  - \" \""}, "nothing to search for", "at least one word"),
    ({"text": "x", "country": "Uzbek"}, "unknown country 'Uzbek'", "--country UZ"),
    ({"text": "x", "since": "2022-13"}, "bad --since date '2022-13'", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"text": "x", "until": "22"}, "bad --until date '22'", "YYYY"),
    ({"text": "x", "since": "2023", "until": "2022"}, "is after", "swap"),
    ({"text": "x", "event_type": "bombings"}, "unknown type 'bombings'", "rocket_attack"),
])
def test_bad_input_says_how_to_fix_it(kwargs: dict[str, str], message: str, hint: str) -> None:
    with pytest.raises(QueryError) as err:
        SearchQuery(**kwargs)  # type: ignore[arg-type]
    assert message in str(err.value) and hint in (err.value.hint or "")


def test_fts5_query_matches_the_websearch_syntax() -> None:
    assert fts5_query("rocket Termez") == '("rocket") AND ("Termez")'
    assert fts5_query('"suicide bomber" OR blast -Kabul') == '(("suicide bomber" OR "blast")) NOT ("Kabul")'
    assert fts5_query('a"b') == '("a""b")' and fts5_query("-only") == ""


# -- the command --------------------------------------------------------------------------------------
@pytest.fixture()
def db(tmp_path) -> str:
    path = str(tmp_path / "amu.db")
    _fill(Store(path)).close()
    return path


def test_cli_json_answers_the_issue_example(db: str) -> None:
    res = CliRunner().invoke(cli, ["search", "rocket Termez", "--country", "UZ", "--since", "2022", "--db", db,
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["count"] == 1 and out["hits"][0]["mention_id"] == "m-termez" and out["query"]["country"] == "UZ"


def test_cli_table_takes_country_names_and_aliases(db: str) -> None:
    res = CliRunner().invoke(cli, ["search", "Kulob OR Termez", "--country", "Uzbekistan", "--actor", "ISIS-K",
                                   "--db", db])
    assert res.exit_code == 0, res.output
    assert "Search (1 hits)" in res.output and "termez.txt" in res.output and "kulob" not in res.output


def test_cli_table_keeps_the_matched_words(db: str) -> None:
    """The snippet marks matches as [word]; the table must show them, not read them as style tags."""
    res = CliRunner().invoke(cli, ["search", "rocket", "--db", db], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "[rocket" in res.output.lower() or "[rockets" in res.output.lower()


@pytest.mark.parametrize("args, expected", [
    (["--country", "Narnia"], "error: unknown country 'Narnia'\n  hint: give an ISO 3166-1 alpha-2 code"),
    (["--since", "2022-13"], "error: bad --since date '2022-13'\n  hint: write a date as YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_cli_bad_input_is_one_message_with_a_hint(db: str, args: list[str], expected: str) -> None:
    res = CliRunner().invoke(cli, ["search", "rocket", "--db", db, *args])
    assert res.exit_code == 2 and res.output.startswith(expected), res.output


def test_cli_search_never_creates_a_database(tmp_path) -> None:
    res = CliRunner().invoke(cli, ["search", "rocket", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no database at" in res.output and not (tmp_path / "none.db").exists()

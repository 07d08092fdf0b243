"""Actors and relations: each relation type, aliases seen, idempotent storage, `amu actors` / `amu actor`.

The sentences are written for these tests (invented names and events), not taken from the corpus.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from amu.cli_actors import register
from amu.extract.relations import Relation, actor_aliases, extract_relations, store_relations
from amu.pipeline import run
from amu.records import Document, Evidence, Mention, Provenance
from amu.settings import Settings
from amu.store import Store


def _doc(text: str, name: str = "t.txt", doc_id: str = "doc-1") -> Document:
    return Document(id=doc_id, name=name, text=text)


def _triples(rels: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.subject, r.relation, r.object) for r in rels}


def rules_only(text: str, mentions: list[Mention] | None = None) -> list[Relation]:
    return extract_relations(_doc(text), mentions, use_model=False)


# -- group to group (rules only) ------------------------------------------------------------------------
@pytest.mark.parametrize("text, triple", [
    ("Analysts describe the Sayhun Foundation, ISIS-K's media arm, as its busiest producer of Uzbek videos.",
     ("Sayhun Foundation", "media_wing_of", "ISKP")),
    ("Voice of Khurasan, the official propaganda outlet of the Islamic State Khorasan Province, went quiet in May.",
     ("Voice of Khurasan", "media_wing_of", "ISKP")),
    ("Jamaat Ansarullah, a small splinter faction of the Islamic Movement of Uzbekistan, recruits in Rasht.",
     ("Jamaat Ansarullah", "split_from", "IMU")),
    ("ISKP was formed largely by defectors from the TTP and al-Qaeda.",
     ("ISKP", "defected_from", "TTP")),
    ("Fighters of the Daesh-aligned Katibat Imam al-Bukhari were seen near Idlib.",
     ("Katibat Imam al-Bukhari", "allied_with", "IS")),
    ("The Turkistan Islamic Party is closely allied with al-Qaeda, the monitors wrote.",
     ("Turkistan Islamic Party", "allied_with", "al-Qaeda")),
    ("Last month the Taliban carried out night raids against suspected Wilayat Khorasan cells in Kunduz.",
     ("ISKP", "targeted_by", "Taliban")),
    ("Several IMU commanders were killed by the Taliban in Faryab, the statement said.",
     ("IMU", "targeted_by", "Taliban")),
])
def test_group_relations(text: str, triple: tuple[str, str, str]) -> None:
    rels = rules_only(text)
    assert triple in _triples(rels)
    rel = next(r for r in rels if (r.subject, r.relation, r.object) == triple)
    assert rel.evidence.text == text.strip() and rel.evidence.start == 0
    assert rel.doc_id == "doc-1" and rel.doc == "t.txt"


def test_defectors_list_gives_each_group() -> None:
    rels = rules_only("ISKP was formed largely by defectors from the TTP and al-Qaeda.")
    assert {("ISKP", "defected_from", "TTP"), ("ISKP", "defected_from", "al-Qaeda")} <= _triples(rels)


def test_unknown_outlet_takes_the_outlet_kind() -> None:
    rels = rules_only("Analysts describe the Sayhun Foundation, ISIS-K's media arm, as its busiest producer.")
    assert rels[0].subject_kind == "media_wing" and rels[0].object_kind == "militant"


# -- claims and attributions ----------------------------------------------------------------------------
CLAIM = ("A suicide bomber struck a bus station in Jalalabad on Friday, killing six people. "
         "The Islamic State Khorasan Province claimed responsibility for the bombing on Saturday.")


def _mention(doc: Document, start: int, end: int, perpetrator: str | None, event_type: str = "attack") -> Mention:
    return Mention(id=f"m-{start}", doc=doc.name, doc_id=doc.id, event_type=event_type,
                   evidence=Evidence(doc.text[start:end], start, end),
                   provenance=Provenance(doc.id, "test", "0"), perpetrator=perpetrator)


def test_claim_links_the_mention_of_its_sentence_or_the_one_before() -> None:
    doc = _doc(CLAIM)
    first_end = CLAIM.index(" The Islamic")
    # The mention's evidence is the attack sentence; the claim follows in the next one.
    near = _mention(doc, 0, first_end, "ISKP")
    rels = extract_relations(doc, [near], use_model=False)
    claim = next(r for r in rels if r.relation == "claimed")
    assert (claim.subject, claim.object, claim.object_kind) == ("ISKP", near.id, "incident")
    assert claim.mention_id == near.id and claim.evidence.start == first_end + 1
    # A mention on the claim sentence itself wins; an arrest is never what a group claims.
    own = _mention(doc, first_end + 1, len(CLAIM), "ISKP")
    arrest = _mention(doc, first_end + 1, len(CLAIM), "ISKP", "arrest")
    rels = extract_relations(doc, [near, arrest, own], use_model=False)
    assert next(r for r in rels if r.relation == "claimed").mention_id == own.id


def test_claim_without_mentions_keeps_a_phrase() -> None:
    rels = rules_only(CLAIM)
    claim = next(r for r in rels if r.relation == "claimed")
    assert claim.object == "the bombing on Saturday" and claim.mention_id is None


@pytest.mark.parametrize("text", [
    "The Taliban claimed to have detained forty ISKP members in Herat.",   # a statement, not a claim of an attack
    "ISKP has not claimed the ambush, and officials suspect a local gang.",
    "Officials said the Islamic State had nothing to do with the fire.",
])
def test_no_claim(text: str) -> None:
    assert not [r for r in rules_only(text) if r.relation == "claimed"]


def test_attributed_to() -> None:
    rels = rules_only("Uzbek prosecutors blamed the market bombing in Andijan on the Islamic Movement of Uzbekistan.")
    attr = next(r for r in rels if r.relation == "attributed_to")
    assert (attr.subject, attr.subject_kind, attr.object) == ("market bombing in Andijan", "incident", "IMU")


# -- people (the NLP model) -----------------------------------------------------------------------------
PEOPLE = """Police in Osh said Bakhodir Yuldashev, a senior recruiter for Jamaat Ansarullah, was detained on Monday.
The group's emir, Mullah Nasrullo Kamolov, has not commented.
Hizb ut-Tahrir spokesman Ilhom Sattorov denied any role.
The IMU was founded by Tursun Akhmedov a.k.a. Abu Yusuf al-Farghoni in the late 1990s.
The weather in Osh was cold and Bakhodir went home.
"""


@pytest.fixture(scope="module")
def people_relations() -> list[Relation]:
    return extract_relations(_doc(PEOPLE), use_model=True)


@pytest.mark.parametrize("triple", [
    ("Bakhodir Yuldashev", "member_of", "Jamaat Ansarullah"),
    ("Mullah Nasrullo Kamolov", "leader_of", "Jamaat Ansarullah"),     # "the group" = the last group named
    ("Ilhom Sattorov", "member_of", "Hizb ut-Tahrir"),
    ("Tursun Akhmedov", "leader_of", "IMU"),
    ("Tursun Akhmedov", "also_known_as", "Abu Yusuf al-Farghoni"),
])
def test_person_relations(people_relations: list[Relation], triple: tuple[str, str, str]) -> None:
    assert triple in _triples(people_relations)


def test_people_only_in_relation_sentences(people_relations: list[Relation]) -> None:
    names = {r.subject for r in people_relations if r.subject_kind == "person"}
    assert "Bakhodir" not in names    # a name in a sentence with no group and no relation is not recorded
    assert all(r.evidence.text in PEOPLE for r in people_relations)


def test_without_the_model_no_people() -> None:
    assert not [r for r in rules_only(PEOPLE) if "person" in (r.subject_kind, r.object_kind)]


# -- aliases --------------------------------------------------------------------------------------------
def test_aliases_seen_with_counts_and_first_offsets() -> None:
    text = "ISIS-K struck again. Islamic State Khorasan Province fighters fled; ISIS-K later regrouped. Amaq said so."
    seen = {(a.name, a.alias): a for a in actor_aliases(_doc(text))}
    assert seen[("ISKP", "ISIS-K")].count == 2 and seen[("ISKP", "ISIS-K")].start == 0
    assert seen[("ISKP", "Islamic State Khorasan Province")].count == 1
    amaq = seen[("Amaq", "Amaq")]          # an outlet keeps its own name, not its parent's
    assert amaq.kind == "media_wing" and text[amaq.start:amaq.end] == "Amaq"


# -- store ----------------------------------------------------------------------------------------------
def _counts(store: Store) -> tuple[int, int, int]:
    return tuple(store.count(t) for t in ("relations", "actor_aliases", "people"))  # type: ignore[return-value]


def test_store_is_idempotent_and_replaces_a_documents_rows(db_url: str) -> None:
    store = Store(db_url)
    doc = _doc(CLAIM)
    rels = rules_only(CLAIM)
    person = Relation("Tolib Ergashev", "person", "member_of", "ISKP", "militant", doc.id, doc.name,
                      Evidence("x", 0, 1))
    store_relations(store, doc, rels + [person], actor_aliases(doc))
    first = _counts(store)
    store_relations(store, doc, rels + [person], actor_aliases(doc))
    assert _counts(store) == first and first[0] == len(rels) + 1 and first[2] == 1
    store_relations(store, doc, [], [])
    assert _counts(store) == (0, 0, 0)
    assert store.schema_version() >= 3


def test_people_table_holds_names_only() -> None:
    from sqlalchemy import inspect

    cols = {c["name"] for c in inspect(Store(":memory:").engine).get_columns("people")}
    assert cols == {"name", "key", "doc_id", "relation_id"}


# -- commands -------------------------------------------------------------------------------------------
REPORT = """Bombing at Khujand bus depot kills five

KHUJAND, April 2 (Test Wire) — A bomb exploded at a bus depot in Khujand on Tuesday, killing five people, police said. \
ISIS-K claimed the bombing in a message on Wednesday.

The Al-Azaim Foundation, the Islamic State Khorasan Province's media wing, published photos of the bomber. \
The Taliban later raided ISKP hideouts in Kunduz.
"""


@pytest.fixture()
def actor_db(tmp_path: Path) -> str:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "khujand.txt").write_text(REPORT, encoding="utf-8")
    db = str(tmp_path / "amu.db")
    store = Store(db)
    run([folder], store, Settings(use_model=False), progress=False)
    for doc in store.documents():
        mentions = store.mentions(doc.id)
        store_relations(store, doc, extract_relations(doc, mentions, use_model=False), actor_aliases(doc))
    store.close()
    return db


def _cli() -> click.Group:
    group = click.Group()
    register(group)
    return group


def test_actors_command_lists_groups_outlets_and_aliases(actor_db: str) -> None:
    res = CliRunner().invoke(_cli(), ["actors", "--db", actor_db])
    assert res.exit_code == 0, res.output
    for word in ("ISKP", "ISIS-K", "Al-Azaim Foundation", "outlet", "Taliban"):
        assert word in res.output


def test_actor_command_by_alias_shows_relations_evidence_and_incidents(actor_db: str) -> None:
    res = CliRunner().invoke(_cli(), ["actor", "isis-k", "--db", actor_db])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Aliases seen" in out and "Islamic State Khorasan" in out
    assert "media_wing_of" in out and "targeted_by" in out and "claimed" in out
    assert "khujand.txt" in out and "Incidents" in out and "Khujand" in out


def test_actor_unknown_name_says_how_to_fix(actor_db: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(_cli(), ["actor", "Nobody Group", "--db", actor_db])
    assert res.exit_code == 2 and "hint:" in res.output
    res = CliRunner().invoke(_cli(), ["actor", "Hamas", "--db", actor_db])    # in the alias table, not in the store
    assert res.exit_code == 2 and "amu ingest" in res.output
    res = CliRunner().invoke(_cli(), ["actors", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "amu ingest" in res.output


def test_relation_names_match_the_data() -> None:
    from amu.extract.lexicon import load_json
    from amu.extract.relations import RELATIONS

    assert {r["relation"] for r in load_json("relations.json")["relations"]} == set(RELATIONS)


def test_the_group_is_not_the_outlet_just_named() -> None:
    rels = rules_only("The video went out on Amaq, the group's news agency, after the Islamic State took the town. "
                      "It was published by Amaq, the group's news agency.")
    assert ("Amaq", "media_wing_of", "IS") in _triples(rels)


def test_actors_lists_a_stated_aka_as_an_alias(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "a.db"))
    doc = _doc("x")
    ev = Evidence("x", 0, 1)
    store_relations(store, doc, [
        Relation("Tursun Akhmedov", "person", "also_known_as", "Abu Yusuf", "person", doc.id, doc.name, ev),
        Relation("Tursun Akhmedov", "person", "leader_of", "IMU", "militant", doc.id, doc.name, ev),
    ], [])
    store.close()
    out = CliRunner().invoke(_cli(), ["actors", "--db", str(tmp_path / "a.db"), "--kind", "person"]).output
    row = next(line for line in out.splitlines() if "Tursun Akhmedov" in line)
    assert "Abu Yusuf" in row and "│ 2 " in row
    assert sum("Abu Yusuf" in line for line in out.splitlines()) == 1

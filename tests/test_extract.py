"""Extraction rules on sentences written for the tests (not taken from any corpus)."""

from __future__ import annotations

import pytest

from amu.extract import extract
from amu.extract.mentions import ExtractOptions
from amu.ingest import document_from_text

OPTS = ExtractOptions(use_model=False)


def run(text: str, published: str = "2024-08-01"):
    doc = document_from_text(text, "test.txt", published=published)
    return extract(doc, OPTS)


def one(text: str, published: str = "2024-08-01"):
    ms = run(text, published)
    assert len(ms) == 1, [(m.event_type, m.country, m.evidence.text) for m in ms]
    return ms[0]


def test_attack_with_bounds_and_partial_date():
    m = one("The group's June attack on a market in Quetta, which killed more than 25 people, was claimed by ISKP.")
    assert (m.event_type, m.country, m.location, m.perpetrator) == ("attack", "PK", "Quetta", "ISKP")
    assert m.date.iso == "2024-06" and m.killed.min == 26 and m.killed.max is None


def test_evidence_span_points_into_text():
    text = "Background first.\nIn March 2023, police arrested six members of Jamaat Ansarullah in Khujand."
    m = one(text)
    assert text[m.evidence.start:m.evidence.end] == m.evidence.text
    assert m.arrested.exact == 6 and m.perpetrator == "Jamaat Ansarullah" and m.date.iso == "2023-03"


def test_coordinated_countries_are_two_incidents():
    ms = run("In 2021 ISKP fired rockets into Uzbekistan and Tajikistan.")
    assert sorted(m.country for m in ms) == ["TJ", "UZ"]
    assert all(m.attack_type == "rocket_attack" and m.date.iso == "2021" for m in ms)


def test_two_triggers_two_places():
    ms = run("It followed the bombing in Quetta, Pakistan, and the shooting in Kerman, Iran, in 2023.")
    assert sorted((m.country, m.attack_type) for m in ms) == [("IR", "armed_assault"), ("PK", "bombing")]


def test_foiled_plot_merges_arrest():
    m = one("In April 2022, police in Almaty thwarted a plot to bomb a mall and arrested three Kazakh nationals.")
    assert (m.event_type, m.status, m.country) == ("plot", "foiled", "KZ")
    assert m.arrested.exact == 3 and m.perpetrator_nationality == ["KZ"]


def test_state_forces_place_the_event():
    m = one("In 2020, 12 militants were killed by Kyrgyz security forces at a checkpoint near the border.")
    assert m.event_type == "clash" and m.country == "KG" and m.killed.exact == 12


def test_continuation_adds_to_previous_event():
    ms = run("In June 2023, three men were detained in Vienna. The suspects, reportedly Uzbeks, were allegedly "
             "plotting attacks on behalf of ISKP.")
    assert len(ms) == 1
    m = ms[0]
    assert m.event_type == "plot" and m.perpetrator == "ISKP" and m.perpetrator_nationality == ["UZ"]


def test_days_later_dates_from_previous_event():
    ms = run("On March 2, gunmen shot dead a judge in Kunduz. Only days later, a bomb attack in Kunduz killed "
             "six people.", published="2023-04-01")
    dates = sorted(m.date.iso for m in ms)
    assert dates == ["2023-03", "2023-03-02"]


@pytest.mark.parametrize("text", [
    "The group could carry out lone-wolf attacks anywhere in Europe.",
    "Analysts fear the possibility of a terror attack in the region.",
    "Several other plots were foiled across the continent.",
    "Its rhetorical attacks on the government continue.",
    "Officials warned of further attacks.",
])
def test_generic_or_hypothetical_sentences_give_nothing(text):
    assert run(text) == []


def test_security_operation_by_taliban_is_in_afghanistan():
    m = one("In May 2023, Taliban intelligence raided an ISKP hideout, killing four militants.")
    assert (m.event_type, m.country, m.perpetrator) == ("security_operation", "AF", "Taliban")


def test_dateline_date_is_a_source_date():
    ms = run("KABUL, June 4 (Test Wire) — A suicide bomber killed 14 people at a mosque in Kabul on Friday.",
             published="2024-06-04")
    assert len(ms) == 1 and ms[0].date.iso == "2024-05-31" and ms[0].attack_type == "suicide_bombing"


def test_repeated_mentions_in_one_document_fuse():
    ms = run("The March 3 attack in Bishkek killed four people. Police later said the Bishkek attack was "
             "carried out by ISKP.", published="2024-04-01")
    assert len(ms) == 1 and ms[0].perpetrator == "ISKP" and ms[0].date.iso == "2024-03-03"


def test_toll_and_wounded_in_later_sentences_attach_to_the_event():
    ms = run("A suicide bomber struck a wedding hall in Kunduz on Friday. At least 31 people were killed, "
             "officials said on Saturday. More than 60 people were being treated in hospitals.",
             published="2024-02-12")
    assert len(ms) == 1
    m = ms[0]
    assert m.killed.min == 31 and m.wounded.min == 61 and m.date.iso == "2024-02-09"


def test_office_holder_killed_counts_one():
    m = one("In May 2022, gunmen killed the district governor of Khost in an ambush.")
    assert m.killed.exact == 1 and m.event_type == "attack"


def test_prison_riot_is_unrest():
    m = one("In 2021, inmates armed with knives attacked guards at the prison in Khujand, and 17 people died.")
    assert m.event_type == "unrest" and m.location == "Khujand"


def test_report_that_nobody_claimed_is_not_claimed():
    m = one("No group claimed the bombing in Quetta on 3 May 2023 that killed five people.")
    assert m.status != "claimed"


def test_quoted_analyst_is_not_recorded_as_a_person():
    doc = document_from_text("Analyst John Carver said the March 2023 bombing in Quetta, which killed five people, "
                             "was the work of ISKP.", "t.txt", published="2023-06-01")
    ms = extract(doc, ExtractOptions(use_model=True))
    assert ms and all("John Carver" not in m.people for m in ms)


def test_claim_reported_next_to_the_attack_names_the_perpetrator():
    ms = run("On 4 March 2024 gunmen opened fire on worshippers at a mosque in Herat, killing six people. "
             "The Islamic State claimed the shooting a day later through its Amaq outlet.", published="2024-03-10")
    attacks = [m for m in ms if m.event_type == "attack"]
    assert len(attacks) == 1 and attacks[0].perpetrator == "IS"


def test_wire_dateline_dates_a_report_with_no_other_date(tmp_path):
    from amu.ingest import ingest_paths

    (tmp_path / "w.txt").write_text("Blast in Osh\n\nOSH, May 12 (Test Wire) — A bomb exploded at a market in Osh "
                                    "on Sunday. It was the worst attack in the city since 2015 and the first in 2023.\n")
    doc = ingest_paths([tmp_path]).documents[0]
    assert doc.published == "2023-05-12" and doc.published_inferred


def test_continuation_dates_an_event_known_only_from_the_dateline():
    text = ("KHUJAND, May 9 (Test Wire) — Militants said on Thursday that their fighters had set off a bomb at a "
            "bus station in Khujand, killing 12 people.\n\nThe blast struck on Tuesday morning near the ticket hall.")
    m = one(text, published="2024-05-09")
    assert m.date.iso == "2024-05-07" and m.killed.exact == 12


def test_date_of_a_legal_step_does_not_date_the_attack_it_names():
    text = ("Gunmen attacked a police post in Osh on Friday, killing three officers. "
            "A court in Osh on Monday ordered two men accused of the attack on the police post held for two months.")
    ms = [m for m in run(text, published="2024-08-06") if m.event_type == "attack"]
    assert [m.date.iso for m in ms] == ["2024-08-02"]


def test_date_naming_an_event_after_since_is_its_date():
    text = "Arrests have risen since the March bombing in Bishkek, officials said on Friday."
    m = one(text, published="2024-08-01")
    assert (m.event_type, m.date.iso, m.location) == ("attack", "2024-03", "Bishkek")
    # A bound that names no event stays a bound: nothing is dated by it.
    assert run("Arrests have risen since March, officials said.", published="2024-08-01") == []


def test_attackers_who_blew_themselves_up_made_a_suicide_attack():
    m = one("Two gunmen opened fire at the bus station in Khujand on Monday and then blew themselves up, "
            "killing seven people.", published="2024-08-01")
    assert m.attack_type == "suicide_bombing"


def test_a_refined_attack_type_is_the_same_attack():
    from amu.extract.lexicon import attacks_differ, same_attack

    assert same_attack("bombing", "suicide_bombing") == same_attack("suicide_bombing", "bombing") == "suicide_bombing"
    assert same_attack(None, "arson") == "arson" and same_attack("bombing", "armed_assault") is None
    assert attacks_differ("bombing", "armed_assault") and not attacks_differ("bombing", None)
    text = ("Islamic State said its suicide bombers carried out the blast in Kulob.\n\n"
            "The explosion at the Kulob market on Friday killed nine people.")
    ms = run(text, published="2024-08-03")
    assert [(m.attack_type, m.killed.exact) for m in ms] == [("suicide_bombing", 9)]


def test_event_named_in_a_comparison_is_not_recorded():
    text = ("Gunmen attacked a concert in Almaty on Friday, killing 40 people. "
            "It was the deadliest attack in Kazakhstan since the 2011 Taraz shooting.")
    ms = run(text, published="2024-08-05")
    assert [(m.date.iso, m.location) for m in ms] == [("2024-08-02", "Almaty")]

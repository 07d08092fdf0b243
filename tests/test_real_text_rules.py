"""Error classes seen on real reports, each fixed by a general rule; sentences written for these tests."""

from __future__ import annotations

from amu.extract import extract
from amu.extract.figures import find_figures
from amu.extract.attribution import claimants
from amu.extract.mentions import ExtractOptions
from amu.extract.nlp import parses
from amu.extract.placing import speaker_places
from amu.ingest import document_from_text

OPTS = ExtractOptions(use_model=False)


def run(text: str, published: str | None = "2023-05-10"):
    return extract(document_from_text(text, "t.txt", published=published), OPTS)


# 1. Not every killing is an attack.
def test_reports_of_other_causes_yield_nothing():
    assert run("Quake kills 30 in mountain villages\nAn earthquake of magnitude 6.1 struck the province on Tuesday, "
               "killing at least 30 people and destroying hundreds of homes, officials said.") == []
    assert run("A bus collided with a lorry on the highway near Mazar on Monday, killing 14 passengers.") == []
    assert run("Police said two robbers were shot dead on Sunday when officers in Karachi tried to stop them.") == []
    assert run("Artillery shelling across the border killed four villagers on Friday, the defence ministry said.") == []


def test_a_report_with_no_word_of_political_violence_yields_nothing():
    # No other cause is named in the lead either: an explosion, a fire, a fall are not attacks by themselves.
    assert run("One dead, dozens hurt in explosion near airport\nA powerful explosion at a storage depot near the "
               "city's airport on Thursday killed one worker and injured 48 others, the emergency ministry said.") == []
    assert run("Five killed as fire guts apartment block\nFive residents died and two were injured when flames "
               "swept through a nine-storey building in the city centre on Monday night.") == []
    assert run("A minibus carrying pilgrims left a mountain road and went down a gorge on Saturday, killing 17.") == []


def test_a_place_name_that_opens_a_longer_name_is_not_that_place():
    ms = run("Gunmen opened fire on worshippers at the Ali bin Abi Talib mosque in the Wadi al-Kabir district of "
             "Muscat on Monday, killing six, police said.", published="2024-07-17")
    assert ms and ms[0].country == "OM" and ms[0].location == "Muscat"


def test_a_sentences_one_event_owns_its_far_weekday():
    ms = run("At least nine people, including four children, were killed and 20 others were wounded after militants "
             "drove two explosive-laden trucks into the outer wall of the garrison compound in an attempt to break "
             "into the heavily guarded area on Tuesday evening, police said.", published="2025-03-05")
    assert ms and ms[0].date.iso == "2025-03-04"


def test_an_attack_told_with_guns_in_the_next_sentences_is_an_armed_assault():
    ms = run("Militants attacked a police post in the mountains of Dagestan late on Sunday, killing two officers. "
             "Three of the attackers died in the gun battle that followed, the ministry said.", published="2024-04-29")
    assert [m.attack_type for m in ms if m.event_type == "attack"] == ["armed_assault"]
    ms = run("An attack on a police post in the mountains of Dagestan late on Sunday killed two officers. A car "
             "packed with explosives was driven into the gate and gunfire followed, the ministry said.",
             published="2024-04-29")
    assert all(m.attack_type != "armed_assault" for m in ms)


def test_an_attack_planned_or_stopped_is_a_plot():
    ms = run("Police in Graz arrested a 17-year-old on Monday who was planning a knife attack on a Christmas market.")
    assert ms and all(m.event_type != "attack" for m in ms)
    ms = run("Security forces foiled a terrorist attack on a military base in Khujand on Saturday, officials said.")
    assert [m.event_type for m in ms] == ["plot"]
    # ... but the man who planned an attack that happened is no plot of his own
    ms = run("Forces killed the commander who planned the 2022 suicide bombing of a school in Kabul, officials said.",
             published="2023-04-26")
    assert "plot" not in [m.event_type for m in ms]
    ms = run("A roadside bomb intended to target a police patrol detonated early in Kunduz on Friday, killing two "
             "militants.", published="2024-03-26")
    assert "plot" not in [m.event_type for m in ms]


def test_an_attack_thwarted_in_a_fight_is_the_attack():
    ms = run("Troops thwarted an attack on an army camp in Zhob on Monday. Four assailants were killed in the "
             "gun battle that followed and two soldiers died, the army said.", published="2024-03-26")
    assert [m.event_type for m in ms] == ["attack"]
    ms = run("Police foiled a plot to bomb a church in Lyon on Monday and arrested two men, prosecutors said.",
             published="2024-03-26")
    assert "attack" not in [m.event_type for m in ms]


def test_a_definite_reference_on_a_later_day_is_the_same_attack():
    ms = run("Gunmen opened fire on a group of foreign visitors in Bamiyan on Friday, killing four, officials said. "
             "Friday's attack was the deadliest against foreigners in years. On Sunday, officials said the death toll "
             "from the attack had risen to six.", published="2024-05-20")
    assert len(ms) == 1 and ms[0].date.iso == "2024-05-17"
    ms = run("A bomb exploded at a market in Quetta on Monday, killing nine people. On Tuesday, another bomb went off "
             "at a checkpoint in Peshawar, wounding five.", published="2024-05-22")
    assert len(ms) == 2     # "another", and a place of its own: a second attack


def test_a_claim_story_takes_the_day_and_place_its_next_reference_tells():
    ms = run("BAGHDAD, June 12 - Islamic State claimed responsibility on Wednesday for an assault on a shrine in "
             "Iraq that left at least seven people dead. The attack began on Tuesday evening at a shrine in the "
             "city of Samarra, officials said.", published="2024-06-12")
    assert len(ms) == 1 and ms[0].date.iso == "2024-06-11" and ms[0].location.startswith("Samarra")


def test_a_prison_term_does_not_make_the_attack_a_prison_riot():
    ms = run("A man who drove a van into a crowd began a life term in prison on Monday for the 2019 attack that "
             "killed six people. He rammed the van into a market crowd in Graz on March 3, 2019, killing six, after "
             "pledging allegiance to the Islamic State.", published="2021-02-08")
    assert [m.event_type for m in ms] == ["attack"]
    assert ms[0].date.iso == "2019-03-03"     # the precise date inside "the 2019 attack" refines it


def test_a_one_incident_report_is_placed_where_its_lead_says_things_happened():
    ms = run("Gunmen attacked a police post in Iran on Sunday, killing two officers, state media said. Ambulances "
             "rushed to the scene in the border town of Saravan.", published="2023-08-14")
    assert [(m.country, m.location) for m in ms] == [("IR", "Saravan")]
    # ... never a namesake abroad when the incident has no country of its own
    ms = run("Gunmen attacked a police post on Sunday, killing two officers. Ambulances rushed to the scene in "
             "Westminster.", published="2023-08-14")
    assert all(m.location != "Westminster" or m.country == "GB" for m in ms)


def test_a_vehicle_full_of_explosives_is_a_bomb_not_a_ramming():
    ms = run("A suicide bomber drove an explosive-filled vehicle into the gate of the police lines in Bannu on "
             "Tuesday, police said.", published="2025-09-03")
    assert [m.attack_type for m in ms] == ["suicide_bombing"]
    ms = run("A man drove a rented truck into a crowd of shoppers in Stockholm on Friday, killing five.",
             published="2017-04-08")
    assert [m.attack_type for m in ms] == ["vehicle_ramming"]


def test_a_raid_that_only_arrests_is_an_arrest():
    ms = run("During a special raid in the Almaty region on Tuesday, the security services detained four members "
             "of a banned group, officials said.", published="2016-08-20")
    assert [m.event_type for m in ms] == ["arrest"]
    ms = run("During a raid in the Almaty region on Tuesday, security forces killed two members of a banned group "
             "and detained four others, officials said.", published="2016-08-20")
    assert [m.event_type for m in ms] == ["security_operation"]


def test_a_claim_outranks_an_attribution_and_the_first_named_leads():
    from amu.extract.attribution import _best_credit
    from amu.extract.sentences import split_sentences

    def best(text: str) -> str | None:
        return _best_credit(split_sentences(text))

    assert best("Sources attributed the attack to Lashkar-e-Jhangvi. The TTP claimed responsibility for it.") == "TTP"
    assert best("Lashkar-e-Jhangvi and the TTP each claimed responsibility for the bombing.") == "Lashkar-e-Jhangvi"
    assert best("Police patrolled the city on Friday.") is None
    # in a report of one attack, the strongest credit names its perpetrator
    ms = run("Gunmen attacked a police post in Quetta on Monday, killing four officers. Lashkar-e-Jhangvi and "
             "the TTP each claimed responsibility.", published="2016-07-29")
    assert ms and ms[0].perpetrator == "Lashkar-e-Jhangvi"


def test_where_victims_come_from_is_not_where_they_were_attacked():
    ms = run("TWO tourists from Germany's Bavaria region were killed yesterday in a shooting that took place in "
             "Afghanistan's Bamyan province.", published="2024-05-18")
    assert ms and ms[0].country == "AF"


def test_an_attack_on_an_abstraction_is_a_figure_of_speech():
    assert run("Rights groups, who rallied in Almaty this week, said the new law was an attack on press freedom.") == []
    assert [m.event_type for m in run("Gunmen carried out an attack on a police station in Quetta on Monday, "
                                       "killing three.")] == ["attack"]


def test_militants_killed_in_a_state_strike_are_its_toll_not_its_authors():
    ms = run("Six fighters of Pakistan's Tehreek-e-Taliban were killed in an Afghan drone strike in the Kunar "
             "province, officials said on Monday.", published="2024-05-07")
    assert [m.event_type for m in ms] == ["security_operation"] and ms[0].country == "AF"
    assert ms[0].killed.min == 6 and ms[0].perpetrator != "TTP"
    ms = run("Army says air strike kills 9 al-Shabab fighters in Somalia", published="2024-05-07")
    assert [m.event_type for m in ms] == ["security_operation"]


def test_statistics_of_many_attacks_are_no_incident():
    assert run("The report ranked 120 countries by the severity of terror attacks they suffered in 2023, and found "
               "that more than 8,000 people were killed in terror attacks last year.", published="2024-03-01") == []
    assert run("Officials said the network's recruits went on to kill more than 90 soldiers in suicide bombings.",
               published="2024-03-01") == []
    assert run("Sanctions aim to stop the group financing terrorist acts in Afghanistan and beyond.",
               published="2024-03-01") == []
    # ... but twin attacks on a day, in a town, are one incident
    ms = run("At least 20 people were killed in two suicide bombings at a rally in Quetta on Friday.",
             published="2024-03-02")
    assert [m.event_type for m in ms] == ["attack"]


def test_drills_anniversaries_armies_and_mental_illness_are_not_new_attacks():
    assert run("Gunfire rang out at the airport at noon as police stormed a hijacked plane in a staged exercise "
               "to test the city's counter-terrorism plans.") == []
    assert run("Residents laid flowers on Sunday, five years since the bombing at the concert hall killed 22 people.",
               published="2022-05-23") == []
    assert run("Three soldiers were killed overnight in a new confrontation between the armies of the two "
               "neighbouring states, the defence ministry said.") == []
    assert run("A man who attacked shoppers with a knife on Friday was detained under mental health laws, police "
               "said, adding that the attack was not being treated as terrorism.") == []


def test_a_stated_motive_of_crime_outweighs_the_word_gunmen():
    assert run("Gunmen opened fire at a shop in Karachi on Sunday, sparking a shootout with police that left three "
               "attackers dead, in what police said stemmed from a land dispute.") == []
    assert [m.event_type for m in run("Gunmen opened fire at a police post in Bannu on Sunday, killing two "
                                       "officers, police said.")] == ["attack"]
    assert run("A bloody war over the territory, which killed some 30,000 people, ended in a truce in 1994.") == []


def test_a_denied_attack_does_not_mark_political_violence():
    assert run("Four workers died in a blast at a fertiliser plant on Tuesday. The governor said a breach of "
               "safety rules was to blame and that it was not a terrorist attack.") == []
    assert run("Police ruled out terrorism after a gas main exploded under a busy street on Friday, killing two.") == []


def test_an_unnamed_attacker_is_still_political_violence():
    ms = run("Gunmen on a motorbike opened fire on a polio vaccination team in Bajaur on Monday, killing a "
             "police guard.")
    assert [m.event_type for m in ms] == ["attack"]


def test_an_attack_report_with_such_words_still_counts():
    ms = run("A suicide bomber struck a mosque in Kunduz on Friday, killing 40 worshippers. Rescuers said "
             "the blast caused the roof to collapse.")
    assert [m.event_type for m in ms] == ["attack"] and ms[0].killed.exact == 40


def test_militants_killed_by_forces_are_an_operation():
    ms = run("Security forces killed six terrorists in a raid in North Waziristan on Sunday, the army said.")
    assert [m.event_type for m in ms] == ["security_operation"]


# 2. Background is not news; the headline and the body are one report.
def test_heading_date_is_the_reports_not_the_events():
    ms = run(" date 2023-05-10 Gunmen kill three at checkpoint\nGunmen attacked a police checkpoint in Quetta "
             "on Monday, killing three officers, police said.", published="2023-05-10")
    assert len(ms) == 1
    assert ms[0].date.iso == "2023-05-08" and ms[0].killed.exact == 3 and ms[0].location == "Quetta"


def test_headline_and_body_are_one_incident():
    ms = run("Bomb kills nine at Peshawar market\nA bomb hidden in a cart exploded at a busy market in Peshawar "
             "on Tuesday, killing nine people and wounding 20.\nThe blast damaged several shops.")
    assert len(ms) == 1 and ms[0].killed.exact == 9 and ms[0].wounded.exact == 20


def test_a_bare_later_reference_is_the_same_event():
    ms = run("A suicide bomber attacked a rally in Khar on Sunday, police said.\nThe attack left 50 people dead.")
    assert len(ms) == 1 and ms[0].killed.exact == 50


def test_setting_sentence_places_the_event():
    ms = run("A bomb attack on a wedding party killed 12 people on Saturday, officials in Pakistan said.\n"
             "The incident took place in the Khar area of Bajaur district.")
    assert len(ms) == 1 and ms[0].country == "PK" and ms[0].location in ("Khar", "Bajaur District")


def test_arrests_of_the_attackers_are_part_of_the_attack():
    ms = run("Gunmen stormed a hotel in Kabul on Monday, killing five guests. "
             "Two of the gunmen were captured after the attack, police said.")
    assert [m.event_type for m in ms] == ["attack"] and ms[0].arrested.exact == 2


# 3. Attribution.
def test_claims_credit_the_claimant_not_the_speaker():
    assert claimants("No group claimed the blast, but officials attributed it to the Taliban.") == {"Taliban"}
    assert claimants("A Taliban spokesman said Islamic State was behind the bombing.") == {"IS"}
    assert claimants("A Taliban spokesman said nobody had claimed the attack.") == set()


def test_new_groups_of_the_region_are_known():
    ms = run("The Baloch Liberation Army claimed the bombing of a train in Quetta on Saturday that killed 26.")
    assert ms and ms[0].perpetrator == "BLA"
    ms = run("Lashkar-e-Jhangvi claimed the attack on pilgrims near Mastung on Monday that killed 24 people.")
    assert ms and ms[0].perpetrator == "Lashkar-e-Jhangvi"


# 5. Figures.
def test_zero_figures():
    roles = {(f.role, f.count.exact) for f in find_figures("No one was hurt in the explosion.")}
    assert roles == {("killed", 0), ("wounded", 0)}
    assert {(f.role, f.count.exact) for f in find_figures("There were no casualties.")} == {("killed", 0), ("wounded", 0)}


def test_coordinated_toll_counts_victims_only():
    (f,) = [f for f in find_figures("Three soldiers and five attackers were killed in the fighting.") if f.role == "killed"]
    assert f.count.exact == 3
    (f,) = [f for f in find_figures("At least two guards and a dozen civilians were killed.") if f.role == "killed"]
    assert f.count.min == 14 and f.count.max is None
    (f,) = [f for f in find_figures("Four police officers and two passers-by were killed.") if f.role == "killed"]
    assert f.count.exact == 6


# 4. Places: no lookalike far from the report.
def test_namesakes_far_from_the_report_are_not_places():
    ms = run("Gunmen attacked a police post in Karabulak on Saturday, killing two officers, the Telegram "
             "channel Baza reported.")
    assert ms and all(m.country in (None, "RU") for m in ms) and all(m.location != "Basel" for m in ms)
    ms = run("Police arrested eight men in New York, Los Angeles and Philadelphia in June over an IS plot.")
    assert ms and all(m.country == "US" for m in ms)


def test_possessive_date_names_the_event():
    ms = run("Mourners gathered at the site of Sunday's car bombing in Ankara, Turkey, on March 17, 2016.",
             published="2016-03-18")
    assert len(ms) == 1 and ms[0].date.iso == "2016-03-13"


def test_clashes_after_an_attack_are_its_fighting():
    ms = run("Militants attacked a border post near Saravan on Thursday, killing five guards. Four militants "
             "were also killed in clashes with security forces.")
    assert [m.event_type for m in ms] == ["attack"] and ms[0].killed.exact == 5


def test_attackers_killed_by_return_fire_are_part_of_the_attack():
    ms = run("Masked militants attacked a border post in Khatlon on Wednesday, killing two guards. "
             "Fifteen attackers were killed by return fire and five were captured, officials said.")
    assert len(ms) == 1 and ms[0].killed.exact == 2


def test_a_reported_day_joins_the_event_told_of_the_same_target():
    ms = run(" date 2022-10-29 The gunman who attacked the shrine in Shiraz has died of his wounds, officials said. "
             "According to state media, on Wednesday three gunmen attacked the shrine, killing 15 people.",
             published="2022-10-29")
    assert len(ms) == 1 and ms[0].killed.exact == 15 and ms[0].date.iso == "2022-10-26"


def test_a_date_inside_a_relative_clause_is_not_the_events():
    ms = run("One leader of the prison riot in Vahdat on Sunday was the son of a colonel, who defected to the "
             "group in 2015, officials said.", published="2019-05-21")
    assert all(m.date is None or m.date.iso != "2015" for m in ms)


def test_a_second_attacker_shot_dead_is_not_a_second_attack():
    ms = run("Gunmen stormed the parliament in Tehran on Wednesday, killing 12 people. "
             "A second attacker was shot dead, he said.", published="2017-06-08")
    assert len(ms) == 1 and ms[0].killed.exact == 12


def test_a_question_reports_nothing():
    assert run("Attack on the cathedral in Cologne on New Year's Eve?\nPolice said on Sunday they had found "
               "no explosives in the building.") == []


def test_guns_and_no_other_means_make_an_armed_assault_and_the_target_is_read():
    (m,) = run("Gunmen opened fire on worshippers at a church in Istanbul on Sunday, killing one person.")
    assert m.attack_type == "armed_assault" and m.target == "church"
    (m,) = run("Gunmen detonated a bomb at a mosque in Quetta on Friday, killing six people.")
    assert m.attack_type == "bombing" and m.target == "mosque"


def test_one_named_or_singular_victim_counts_one():
    assert [(f.role, f.count.exact) for f in find_figures(
        "Noorullah Noori, the education department head, was killed in the attack.")] == [("killed", 1)]
    assert ("killed", 1) in [(f.role, f.count.exact) for f in find_figures("A police officer was killed.")]
    assert find_figures("He was killed in the attack.") == []
    assert find_figures("A group of people were killed.") == []


def test_no_reported_casualties_reaches_the_attack():
    (m,) = run("Assailants attacked a police checkpoint in Gizab, Uruzgan, Afghanistan, on Monday. "
               "There were no reported casualties.")
    assert m.killed.exact == 0 and m.wounded.exact == 0


def test_figures_of_a_sentence_referring_back_reach_the_event():
    (m,) = run("Assailants threw a firebomb at the consulate in Herat on Monday. "
               "There were no reported casualties in the attack.")
    assert m.killed.exact == 0 and m.wounded.exact == 0


def test_a_subset_of_the_toll_is_not_the_toll():
    figs = [(f.role, f.count.min, f.count.max) for f in find_figures(
        "At least four people, including three officers and a civilian, were killed in the blast.")]
    assert figs == [("killed", 4, None)]
    figs = [(f.role, f.count.exact) for f in find_figures("The blast killed 12 people, including four children, "
                                                          "and wounded 30.")]
    assert figs == [("killed", 12), ("wounded", 30)]


def test_assailants_attacking_in_person_make_an_armed_assault():
    (m,) = run("Assailants attacked a police checkpoint in Nad Ali, Helmand, Afghanistan, on Tuesday, killing four officers.")
    assert m.attack_type == "armed_assault"


def test_one_killed_and_more_than_thirty_killed_are_two_attacks():
    ms = run("ISKP killed the provincial governor in Mazar on March 9. Only days later, ISKP claimed a bombing at a "
             "cultural centre in Mazar that killed more than 30 people.", published="2023-03-20")
    assert len(ms) == 2


def test_perpetrator_nationality_phrasings_and_not_victims():
    from amu.extract.actors import nationalities
    from amu.extract.attribution import nationality_lookup as _nationality_lookup
    from amu.places import Gazetteer

    lookup = _nationality_lookup(Gazetteer.default())
    iso = lambda text: sorted(c for c, _ in nationalities(text, lookup))  # noqa: E731
    assert iso("Police detained a 30-year-old Tajik over the attack.") == ["TJ"]
    assert iso("The suspects, all of them Tajik, were detained on Sunday.") == ["TJ"]
    assert iso("One is from Tajikistan and the other from Russia, he said.") == ["RU", "TJ"]
    assert iso("The attack killed four foreign cyclists, including one French citizen.") == []
    (m,) = run("Gunmen killed four cyclists, including one Swiss citizen, near Danghara on Sunday. Two suspects "
               "were detained. One is from Tajikistan, the other from Uzbekistan, police said.", published="2018-07-31")
    assert m.perpetrator_nationality == ["TJ", "UZ"]


def test_adjacent_triggers_are_one_event():
    ms = run("Mourners prayed at the site of Sunday's suicide bomb attack in Ankara, Turkey, March 17, 2016.",
             published="2016-03-18")
    assert len(ms) == 1 and ms[0].date.iso == "2016-03-13" and ms[0].location == "Ankara"


def test_the_date_of_a_claim_is_not_the_attacks():
    ms = run(" date 2024-01-05 Kerman, Iran - The Islamic State group on Thursday claimed responsibility for two "
             "bomb blasts in Kerman that killed 84 people. The blasts struck a memorial ceremony on Wednesday.",
             published="2024-01-05")
    assert len(ms) == 1 and ms[0].date.iso == "2024-01-03"


def test_a_superlative_predicate_is_a_comparison_and_the_victims_state_is_not_the_setting():
    ms = run("Thursday's attack in Kabul killed 13 US troops. Thursday's attack is the deadliest attack against "
             "the US forces by any Islamic State franchise anywhere.", published="2021-08-27")
    assert len(ms) == 1 and ms[0].country == "AF" and ms[0].killed.exact == 13


def test_weekdays_are_not_resolved_against_a_guessed_publication_date():
    from amu.ingest import document_from_text

    doc = document_from_text("Gunmen stormed a Sikh temple in Kabul on Saturday, killing two people. The temple had "
                             "been attacked before, on 25 March 2020, when 25 worshippers were killed.", "t.txt")
    assert doc.published_inferred
    ms = extract(doc, OPTS)
    saturday = next(m for m in ms if m.killed and m.killed.exact == 2)
    assert saturday.date is None     # not the Saturday before the background date


def test_a_drone_strike_is_a_states_operation_not_a_militant_rocket_attack():
    (m,) = run("A US drone strike killed five militants in North Waziristan on Saturday, officials said.")
    assert m.event_type == "security_operation" and m.attack_type is None


def test_a_photo_captions_closing_date_is_the_pictures_and_bombs_that_exploded_count():
    ms = run("Mourners pray at the site of the bombing in Ankara, Turkey March 17, 2016.", published="2016-03-18")
    assert all(m.date is None or m.date.qualifier == "reported" for m in ms)
    (m,) = run("A bomb exploded in Ankara on March 13, 2016, killing 37 people.")
    assert m.attack_type == "bombing" and m.date.iso == "2016-03-13" and m.killed.exact == 37


def test_one_suspect_held_and_captured_attackers_add_to_the_attack():
    assert [(f.role, f.count.exact) for f in find_figures("The man was detained in a suburb on Friday.")] == \
        [("arrested", 1)]
    ms = run("Masked militants attacked a border post in Rudaki on Wednesday, triggering a gun battle that killed "
             "two guards. Five of the gunmen were captured after the attack, officials said.")
    assert len(ms) == 1 and ms[0].arrested.exact == 5


def test_a_named_office_holder_killed_is_an_assassination_and_a_place_is_no_target_person():
    (m,) = run("Assailants shot and killed Naimatullah, the head of the security zone, in Kandahar on Sunday.")
    assert m.attack_type == "assassination" and m.killed.exact == 1
    (m,) = run("Assailants opened fire on police officers in Nawi Bazaar, Helmand, on Sunday, killing two officers.")
    assert m.attack_type == "armed_assault"


def test_the_lead_news_without_a_date_happened_by_the_reports_date():
    (m,) = run("Gunmen attacked a police checkpoint in Kabul, killing three officers, officials said.",
               published="2019-11-06")
    assert m.date.iso == "2019-11-06" and m.date.qualifier == "reported"
    (m,) = run("Gunmen attacked a police checkpoint in Kabul, killing three officers, officials said.",
               published="2019-11")
    assert m.date is None    # a month-only date is an analysis's, not a wire's


def test_single_victims_of_the_article_and_a_named_pair():
    figs = lambda t: [(f.role, f.count.exact) for f in find_figures(t)]  # noqa: E731
    assert figs("The police officer, Nasreen, was killed in the attack.") == [("killed", 1)]
    assert figs("Kaker and his son were killed in the attack.") == [("killed", 2)]
    assert figs("A sniper shot and killed a peshmerga member near Kirkuk.") == [("killed", 1)]


# 7. One report, one incident: the details a report gives of its event are not new events.
def test_details_without_their_own_date_or_place_fold_into_the_event():
    ms = run("Gunmen stormed a Sikh temple in the old city of Kabul on Wednesday, killing at least five worshippers, "
             "a lawmaker said. Several of the worshippers were being held hostage by the gunmen, who were throwing "
             "grenades at Afghan special forces, he said.")
    assert len(ms) == 1 and ms[0].killed.min == 5 and ms[0].location == "Kabul"
    ms = run("At least 30 people were killed in a prison riot in Tajikistan, officials said on Monday. The ministry "
             "said the rioters first stabbed to death three guards, and then five other inmates.")
    assert [m.event_type for m in ms] == ["unrest"] and ms[0].killed.min == 30


def test_an_event_marked_as_another_is_kept_apart():
    lead = "Gunmen stormed a Hindu temple in Peshawar on Tuesday, killing three worshippers, police said. "
    assert len(run(lead + "Another bombing, at a shrine, wounded nine people.")) == 2
    assert len(run(lead + "A bombing at a shrine had wounded nine people.")) == 2   # the past perfect: before


def test_a_raid_by_assailants_is_an_attack():
    ms = run("Assailants raided a guest house in Aqcha, Jowzjan, Afghanistan, on Monday. At least two people "
             "were killed.")
    assert [(m.event_type, m.attack_type) for m in ms] == [("attack", "armed_assault")]


def test_a_place_name_inside_a_longer_unknown_name_is_not_that_place():
    ms = run("Assailants fired a rocket at a car in the Shaheed Bagh area, Kunduz, Afghanistan, on Sunday, "
             "wounding two people.")
    assert len(ms) == 1 and ms[0].country == "AF" and ms[0].location != "Bagh"


def test_a_state_striking_from_afar_does_not_place_the_strike():
    ms = run("A US drone strike killed four militants on Saturday, officials said.")
    assert ms and all(m.country != "US" for m in ms)
    ms = run("Kyrgyz security forces arrested three members of a banned group on Saturday, officials said.")
    assert ms and ms[0].country == "KG"   # a state acting at home still places its arrests


def test_a_claim_date_is_not_the_attack_date():
    ms = run("Islamic State claimed responsibility on June 3 for the bombing that killed six people near Kulob\n"
             "The group's news agency issued a statement on Monday, June 3, claiming a bombing that killed six people "
             "in southern Tajikistan on Sunday, June 2.", published="2019-06-04")
    assert len(ms) == 1 and ms[0].date.iso == "2019-06-02" and ms[0].location in ("Kulob", "Kulyab")


def test_a_later_reference_placed_near_the_event_is_the_same_event():
    ms = run("A suicide bomber attacked a crowded shrine in Sehwan on Thursday, killing at least 70 people, police "
             "said. Deputy Inspector General (DIG), Hyderabad, Ali Khan, said up to 250 people were hurt in the "
             "explosion, the latest in a string of attacks in the country.")
    assert len(ms) == 1 and ms[0].location == "Sehwan" and ms[0].wounded.max == 250


def test_two_arrests_in_one_region_stay_two():
    ms = run("Police arrested three men in Cologne on Sunday over a plot against the cathedral. A fourth suspect "
             "was detained in Bochum, prosecutors said.")
    assert len(ms) == 2


# 6. Dates: an undated text whose latest date is written with its own weekday counts days from it.
def test_weekday_stated_date_anchors_relative_days():
    ms = run("Militants attacked a police post near Peshawar on Thursday, killing two officers, police said.\n"
             "Mourners carry the coffin of an officer during his funeral in Peshawar, Pakistan, Saturday, "
             "Dec. 20, 2014.", published=None)
    assert [m.date.iso for m in ms] == ["2014-12-18"]
    # without the weekday, the inferred date may be a background one: "on Thursday" stays unresolved
    ms = run("Militants attacked a police post near Peshawar on Thursday, killing two officers, police said.\n"
             "The post had been attacked before, on Dec. 20, 2014.", published=None)
    assert all(m.date is None or m.date.iso != "2014-12-18" for m in ms)


def test_a_past_death_told_in_passing_is_background():
    text = ("At least 20 inmates were killed in a riot at a prison in Khujand on Sunday, officials said. The "
            "ministry named the ringleader as the son of a former police commander who joined Islamic State "
            "and was killed in Syria in May 2017.")
    ms = run(text, published="2019-05-20")
    assert [(m.event_type, m.location) for m in ms] == [("unrest", "Khujand")]


def test_a_past_act_of_a_named_group_is_still_an_incident():
    ms = run("From its bases in northern Afghanistan, ISKP attacked Uzbekistan for the first time in 2022.",
             published="2025-03-18")
    assert [(m.event_type, m.country, m.date.iso) for m in ms] == [("attack", "UZ", "2022")]


def test_an_undated_attack_in_the_same_town_is_the_same_attack():
    ms = run("A car bomb ripped through a busy square in Ankara on Sunday, killing 30 people, officials said. The "
             "group said on its website that it staged a suicide car-bomb attack that killed 34 people in the "
             "capital Ankara.")
    assert len(ms) == 1 and ms[0].killed.exact == 30


def test_same_day_same_town_is_one_incident_however_told():
    ms = run("Suicide bombers attacked the parliament in Tehran on Wednesday, officials said. Four gunmen stormed "
             "into the parliament building in central Tehran on Wednesday morning, taking hostages, state media "
             "reported.")
    assert len(ms) == 1


def test_also_killed_adds_to_the_toll():
    ms = run("Twelve U.S. troops were killed on Thursday in a suicide bombing outside Kabul airport, an attack that "
             "also killed at least 60 Afghans, officials said.")
    assert len(ms) == 1 and ms[0].killed.min == 72 and ms[0].country == "AF"
    (f,) = find_figures("The bombing killed at least 170 people as well as the 13 U.S. service members.")
    assert f.count.min == 183


def test_a_country_that_acts_or_speaks_does_not_set_the_attack():
    ms = run("Gunmen attacked a checkpoint in Kandahar on Monday, killing four police officers. The U.S. will "
             "coordinate with the authorities to prevent further attacks, the embassy said.")
    assert ms and all(m.country == "AF" for m in ms)


def test_a_remembrance_or_designation_report_yields_no_incident():
    ms = run("Families mark two years since school massacre\nParents of pupils killed in the 2014 attack on an army "
             "school in Peshawar gathered on Friday to mark its second anniversary. Taliban gunmen killed more than "
             "150 people there on Dec. 16.", published="2016-12-17")
    assert ms == []
    ms = run("The United States designated the Majeed Brigade a terrorist organisation on Tuesday. In 2024 the group "
             "claimed suicide attacks outside Karachi airport and in Gwadar.", published="2025-08-12")
    assert ms == []


def test_a_remembrance_with_fresh_news_keeps_the_news():
    ms = run("Mourners marking the anniversary of a mosque bombing were attacked by a suicide bomber in Quetta on "
             "Friday, killing 12 people, police said.", published="2023-02-11")
    assert len(ms) == 1 and ms[0].date.iso == "2023-02-10" and ms[0].killed.exact == 12


def test_a_verdict_story_tells_only_its_own_news():
    # The attack a court judged, a year back, is background of the verdict (real-news annotators keep it
    # optional at most), unless the report tells it to the day; news the report tells of its own stays.
    assert run("A court in Oslo sentenced a man to life on Thursday for the 2017 attack on a market that killed "
               "five people.", published="2018-06-08") == []
    ms = run("A court in Stockholm sentenced a man to life on Thursday for driving a truck into shoppers on "
             "April 7, 2017, an attack that killed five people.", published="2018-06-08")
    assert any(m.event_type == "attack" and m.date.iso == "2017-04-07" for m in ms)
    ms = run("In the Volgograd region, a group of prisoners convicted of terrorism took the prison staff hostage.",
             published="2024-08-23")
    assert [m.event_type for m in ms] == ["attack"]


def test_the_kind_of_attack_comes_from_the_story():
    ms = run("Four foreign cyclists were killed in southern Tajikistan on Sunday, officials said. The tourists were "
             "run down by a car near Danghara before the attackers stabbed them.")
    assert [m.attack_type for m in ms if m.event_type == "attack"] == ["vehicle_ramming"]
    ms = run("A blast tore through a mosque in Kerman on Wednesday, killing 30 people, officials said. Officials "
             "later said the bomber blew himself up at the gate.")
    assert [m.attack_type for m in ms if m.event_type == "attack"] == ["suicide_bombing"]


def test_a_dateline_city_is_where_the_reporter_files_from():
    ms = run("DUSHANBE, Tajikistan: At least 30 people were killed in a prison riot in Tajikistan on Sunday, "
             "officials said.", published="2019-05-20")
    assert len(ms) == 1 and ms[0].country == "TJ" and ms[0].location != "Dushanbe"
    ms = run("KABUL (Wire) - A suicide bomber struck a mosque in Kunduz on Friday, killing 40 worshippers.",
             published="2021-10-09")
    assert len(ms) == 1 and ms[0].location == "Kunduz"


def test_a_landmark_to_measure_from_is_not_the_setting():
    ms = run("Gunmen attacked a border post 60 kilometers southwest of Dushanbe on Wednesday, killing two guards.",
             published="2019-11-07")
    assert len(ms) == 1 and ms[0].country == "TJ" and ms[0].location != "Dushanbe"


def test_a_date_that_names_another_thing_is_not_the_event_date():
    ms = run("Twelve soldiers were killed in an attack outside Kabul airport on Thursday, signalling a deadly turn "
             "ahead of President Biden's August 31 deadline to withdraw.", published="2021-08-27")
    assert len(ms) == 1 and ms[0].date.iso == "2021-08-26"


def test_a_state_acting_places_the_attack_but_its_hit_forces_do_not():
    ms = run("Turkish police on Monday captured the gunman suspected of killing 39 people at a nightclub on New "
             "Year's Day.", published="2017-01-17")
    assert any(m.event_type == "attack" and m.country == "TR" for m in ms)
    ms = run("Twelve U.S. troops were killed on Thursday in a suicide bombing, officials said.", published="2021-08-27")
    assert ms and all(m.country != "US" for m in ms)


def test_a_closing_year_dates_the_aside_and_same_day_phrases_skip_it():
    ms = run("A suicide bomber hit a convoy of engineers near Besham on Tuesday, killing five of them. A blast on "
             "a bus had killed 13 people, including nine Chinese nationals, in 2021. Earlier in the day, security "
             "forces killed four militants in an operation in Dera Ismail Khan.", published="2024-03-26")
    dates = sorted((m.event_type, m.date.iso if m.date else None, m.date.qualifier if m.date else None) for m in ms)
    assert dates == [("attack", "2021", None), ("attack", "2024-03-26", None),
                     ("security_operation", "2024-03-26", "inherited")]   # dated from the story, not the report


def test_an_unplaced_incident_takes_the_reports_one_country():
    ms = run("A suicide bomber hit a convoy of engineers in Peshawar on Tuesday, killing five of them. A blast on "
             "a bus had killed 13 people, including nine Chinese nationals, in 2021.", published="2024-03-26")
    assert sorted((m.country, m.location or "") for m in ms) == [("PK", ""), ("PK", "Peshawar")]


def test_acting_on_behalf_of_a_group_credits_it():
    ms = run("A man stabbed three people to death at a festival in Solingen on Friday, police said. A Syrian man has "
             "been detained on suspicion of carrying out the rampage on behalf of the Islamic State group.",
             published="2024-08-25")
    assert [m.perpetrator for m in ms if m.event_type == "attack"] == ["IS"]


def test_a_group_named_in_another_clause_is_not_the_perpetrator():
    ms = run("A suicide attack on a police van in Lakki Marwat on Monday killed one officer, police said. The attack "
             "comes amid a surge in violence after the TTP ended its ceasefire in 2022.", published="2025-12-01")
    assert [m.perpetrator for m in ms if m.event_type == "attack"] == [None]
    ms = run("A suicide attack on a police van in Lakki Marwat on Monday killed one officer; it was claimed by "
             "the TTP.", published="2025-12-01")
    assert [m.perpetrator for m in ms if m.event_type == "attack"] == ["TTP"]


def test_killing_them_counts_the_people_just_named():
    roles = lambda text: [(f.role, f.count.min, f.count.max) for f in find_figures(text)]  # noqa: E731
    assert roles("Gunmen ran over four cyclists near Danghara on Sunday, killing them.") == [("killed", 4, 4)]
    assert roles("Militants ambushed a convoy of 12 soldiers, killing them all.") == [("killed", 12, 12)]
    assert roles("Police arrested four men, questioning them.") == [("arrested", 4, 4)]


def test_a_place_inside_a_possessive_container_is_the_setting():
    ms = run("A suicide attack on a police van in Khyber Pakhtunkhwa's Lakki Marwat district on Monday killed one "
             "officer, authorities said.", published="2025-12-02")
    assert len(ms) == 1 and ms[0].location == "Lakki"


def test_the_place_where_a_statement_was_made_does_not_set_the_event():
    # The dependency parse hangs "in Tashkent" from the verb of speaking, not from the bombing.
    with_model = ExtractOptions(use_model=True)
    doc = document_from_text("A car bomb exploded outside the consulate in Osh on Monday night, injuring two guards, "
                             "a ministry spokesman told a briefing in Tashkent.", "t.txt", published="2023-05-10")
    ms = extract(doc, with_model)
    assert [(m.country, m.location) for m in ms] == [("KG", "Osh")]
    # The speakers' own place ("officials in Quetta said") is not the place of a statement: local officials
    # tell local events.
    text = "A bomb killed five people at a market on Monday, officials in Quetta said in a statement in Karachi."
    arcs = parses([text])[0]
    quetta, karachi = text.index("Quetta"), text.index("Karachi")
    bomb = (text.index("bomb"), text.index("bomb") + 4)
    assert speaker_places(arcs, [(quetta, quetta + 6), (karachi, karachi + 7)], [bomb]) == {karachi}


def test_a_calendar_day_is_never_a_count():
    roles = lambda text: [(f.role, f.count.min) for f in find_figures(text)]  # noqa: E731
    assert roles("KABUL, June 14 (AFP) -- Three police officers were killed when their post was attacked.") == \
        [("killed", 3)]
    assert roles("Militants killed 9 villagers on 3 May in a raid on the settlement.") == [("killed", 9)]


def test_a_joint_strike_by_a_foreign_state_is_set_where_it_hit():
    for means in ("air strike", "airstrike", "drone strike"):
        ms = run(f"Four militants were killed on Sunday in a joint U.S.-Iraqi {means} in northern Iraq, the "
                 "coalition said.", published="2023-05-10")
        assert [(m.event_type, m.country) for m in ms] == [("security_operation", "IQ")]


def test_a_report_that_names_its_country_is_not_read_in_another_countrys_villages():
    # "Bagan" is also a small Russian village; this report names Kurram and Parachinar, both Pakistani only.
    ms = run("Gunmen attacked a convoy of lorries carrying flour to Parachinar in the Bagan area of Kurram district "
             "on Thursday, killing two drivers, police said.", published="2025-01-17")
    assert [m.country for m in ms] == ["PK"]
    assert ms[0].location != "Bagan"


def test_where_travellers_were_headed_is_not_where_they_were_attacked():
    ms = run("The passengers were travelling from Quetta to Karachi when gunmen stopped the bus near Khuzdar on "
             "Monday and shot dead nine of them.", published="2025-01-17")
    assert [(m.country, m.location) for m in ms] == [("PK", "Khuzdar")]
    ms = run("Gunmen stopped a bus carrying pilgrims to Karachi on Monday and shot dead nine of them.",
             published="2025-01-17")
    assert [m.location for m in ms] == [None]


def test_a_persons_surname_named_in_full_elsewhere_is_no_place():
    # Kirillov and Razini are also small towns; the report names the people in full first.
    with_model = ExtractOptions(use_model=True)
    doc = document_from_text("Gunmen shot dead the judge Hamid Razini outside a court in Tehran on Saturday, police "
                             "said. The attack on Razini was the second on a judge this year.", "t.txt",
                             published="2025-01-19")
    assert {m.location for m in extract(doc, with_model)} == {"Tehran"}


def test_an_earlier_attempt_told_by_its_year_is_not_the_undated_event():
    doc = document_from_text("Gunmen shot dead the judge Hamid Razini outside a court in Tehran on Saturday, police "
                             "said.\n\nRazini had survived an assassination attempt in 2005.", "t.txt")
    ms = extract(doc, ExtractOptions(use_model=True))
    assert [m.date for m in ms if m.location == "Tehran"] == [None]


def test_an_attack_stopped_only_after_people_died_is_an_attack():
    ms = run("Gunmen opened fire on spectators at the parade in Ahvaz on Saturday and then tried to storm the stand, "
             "killing 24 people.", published="2018-09-23")
    assert [m.event_type for m in ms] == ["attack"]
    ms = run("Attack on the consulate in Karachi foiled; seven killed", published="2018-11-24")
    assert [m.event_type for m in ms] == ["attack"]
    # A state's forces killing the plotters is an operation; a plot stopped before anyone died stays a plot.
    assert [m.event_type for m in run("Police foiled a plot to bomb a church in Lahore on Friday, killing two "
                                      "militants.")] == ["security_operation"]
    assert [m.event_type for m in run("Police foiled a plot to bomb a church in Lahore on Friday.")] == ["plot"]


def test_a_birth_or_founding_year_dates_no_event():
    ms = run("Police arrested a man in Moscow on Wednesday over the bombing. The detained man, born in 1995, is a "
             "citizen of Uzbekistan.", published="2024-12-19")
    assert "1995" not in {m.date.iso for m in ms if m.date}
    ms = run("Formed in 2012, the group has carried out a string of bombings on police in the province.",
             published="2024-12-19")
    assert "2012" not in {m.date.iso for m in ms if m.date}


def test_a_terrorist_attack_on_a_state_company_is_no_state_killing():
    # "terrorist" here names the attackers (an adjective of the attack), not militants killed by a state.
    ms = run("A terrorist attack on the offices of Turkish Aerospace Industries near Ankara on Wednesday killed "
             "five people, according to Turkish officials.", published="2024-10-24")
    assert [m.event_type for m in ms] == ["attack"]


def test_a_report_without_a_date_line_keeps_the_days_it_states_as_hints():
    text = ("Gunmen ambushed a police patrol outside Quetta on Thursday, killing four officers, "
            "the provincial government said on Friday.")
    (m,) = run(text, published=None)
    assert m.date is None and m.date_hint == "-W-4"    # Thursday: the ambush's day, not the statement's
    (m,) = run("On 9 March a suicide bomber struck a checkpoint in Bannu, killing three soldiers.", published=None)
    assert m.date is None and m.date_hint == "--03-09"
    (m,) = run(text)                                   # with a publication date the day is resolved
    assert m.date is not None and m.date_hint is None


def test_knife_attacks_and_ambushes_are_armed_assaults():
    (m,) = run("A knife attack at a town fair in western Germany killed three people on Friday, police said.")
    assert m.event_type == "attack" and m.attack_type == "armed_assault"
    (m,) = run("Insurgents ambushed a police patrol near Iranshahr on Friday, killing four officers.")
    assert m.event_type == "attack" and m.attack_type == "armed_assault"


def test_where_an_attacks_organisers_sit_is_not_where_it_happened():
    text = ("A bomb hidden in a parked scooter killed a general outside his home in Moscow on Tuesday. "
            "Investigators said the camera's pictures went live to the organisers of the attack in the city of Dnipro.")
    ms = run(text)
    assert ms and all(m.country == "RU" for m in ms)


def test_where_a_train_was_heading_is_not_where_it_was_attacked():
    (m,) = run("Militants attacked a passenger train heading towards Peshawar near Sibi on Tuesday, killing two guards.")
    assert m.location == "Sibi"
    (m,) = run("Militants attacked a passenger train heading towards Peshawar on Tuesday, killing two guards.")
    assert m.location is None


def test_clashes_of_crowds_with_the_police_are_unrest():
    (m,) = run("Some 227 people died in the clashes between rioters and security forces in Kazakhstan in January, "
               "officials said.", published="2022-02-01")
    assert m.event_type == "unrest"
    (m,) = run("Militants clashed with security forces in North Waziristan on Tuesday, leaving five soldiers dead.")
    assert m.event_type == "clash"


def test_a_state_whose_forces_attack_runs_an_operation_and_its_target_is_no_perpetrator():
    (m,) = run("Turkish forces attacked PKK positions in northern Iraq on Sunday, the defence ministry said.")
    assert m.event_type == "security_operation" and m.perpetrator is None
    (m,) = run("Pakistani troops attacked a militant hideout in North Waziristan on Monday.")
    assert m.event_type == "security_operation"
    # An insider's shooting and gunmen whom the police killed after their attack stay attacks.
    (m,) = run("An Afghan police officer opened fire on colleagues at a checkpoint in Mihtarlam, killing three.")
    assert m.event_type == "attack"
    (m,) = run("Russian police shot dead four gunmen who attacked an Orthodox church in Grozny on Saturday.")
    assert m.event_type == "attack"


def test_a_titled_persons_surname_is_no_town():
    from amu.extract.mentions import ExtractOptions
    text = ("Lt. Gen. Igor Kirillov, a senior Russian officer, was killed by a bomb outside his Moscow home on Tuesday. "
            "The assassination came a day after Ukraine filed criminal charges against Kirillov.")
    ms = extract(document_from_text(text, "t.txt", published="2024-12-18"), ExtractOptions())
    assert ms and all(m.location != "Kirillov" for m in ms)


# Session 8: asides past the lead, full dates that name an event, arrests announced days later.
LEAD = ("Gunmen killed four police officers at a checkpoint in Karachayevsk on Monday, officials said. "
        "The attackers fled in a car towards the mountains. Police set up roadblocks across the region. "
        "Schools in the town stayed closed on Tuesday. ")


def test_an_undated_aside_past_the_lead_is_no_incident():
    for later in ("In Nalchik, the police also began detaining activists.",
                  "Currently, migrants face checks, with many being detained at airports in Moscow."):
        ms = run(LEAD + later, published="2024-04-30")
        assert [(m.event_type, m.location) for m in ms] == [("attack", "Karachayevsk")], later


def test_a_later_incident_with_a_date_figure_or_perpetrator_is_kept():
    for later in ("In March, a bombing at a market in Nalchik killed two shoppers.",
                  "Islamic State claimed a bombing at a market in Nalchik, the group's second there."):
        ms = run(LEAD + later, published="2024-04-30")
        assert len([m for m in ms if m.event_type == "attack"]) == 2, later


def test_a_full_date_before_an_event_noun_names_that_event():
    ms = run("The road to the valley has stayed closed since the Nov 21, 2024, attack on a passenger convoy "
             "in the Bagan area that left more than 50 dead.", published=None)
    assert [m.date.iso for m in ms if m.event_type == "attack"] == ["2024-11-21"]


def test_an_imminent_attack_has_not_happened():
    for text in ("The embassy in Ankara and a school in Istanbul were closed on Thursday, citing a \"concrete "
                 "threat\" of an imminent attack.",
                 "Officials in Istanbul on Thursday warned of an imminent attack on the city's airport."):
        assert [m for m in run(text, published="2016-03-18") if m.event_type == "attack"] == [], text


def test_a_states_drone_that_kills_a_groups_members_runs_an_operation():
    # The group's members are the ones killed ("six PKK members ... were killed"): the group is no attacker.
    ms = run("Six PKK members, among them two commanders, were killed on Monday when a Turkish drone hit their "
             "car on a road near Sinjar, the regional authorities said.")
    assert [m.event_type for m in ms] == ["security_operation"] and ms[0].perpetrator != "PKK"
    # The state's means strike ("an American drone struck a house"), whoever was inside.
    ms = run("A Turkish drone bombed a car near Qamishli on Sunday, killing four people, in an attack condemned "
             "by the local administration.")
    assert [m.event_type for m in ms] == ["security_operation"]
    ms = run("Four people were killed on Sunday in an attack near Qamishli when a Turkish drone bombed their car.")
    assert [m.event_type for m in ms] == ["security_operation"]
    # "The attack occurred when a Turkish drone bombed ...": the bare noun is the strike it is told as.
    ms = run("The attack took place on Sunday afternoon when a Turkish drone bombed a van near Sinjar and killed "
             "three men, the mayor said.")
    assert [m.event_type for m in ms] == ["security_operation"]
    # The group acting keeps its attack.
    ms = run("PKK militants attacked an army post near the border on Monday, killing three soldiers.")
    assert [m.event_type for m in ms] == ["attack"] and ms[0].perpetrator == "PKK"


def test_the_reports_own_weekday_in_the_lead_is_the_events_day():
    # Published on a Wednesday, "an attack on Wednesday" is that day's attack, not a date known only from the report.
    ms = run("A bomb attack on Wednesday killed four people outside a bus station in Quetta.", published="2024-10-23")
    assert ms and ms[0].date.iso == "2024-10-23" and ms[0].date.qualifier is None
    # The report's date heading the text still is only the report's.
    ms = run("date 2024-10-23 A bomb attack killed four people outside a bus station in Quetta.",
             published="2024-10-23")
    assert ms and ms[0].date.qualifier == "reported"


def test_a_town_or_shrine_the_model_tags_as_a_person_is_no_person():
    from amu.extract.mentions import _is_named_person
    from amu.extract.nlp import Entity
    from amu.places.gazetteer import Gazetteer
    gaz = Gazetteer.default()
    text = "A suicide bomber struck a seminary in Akora Khattak as Yusuf Rahimov led the Friday prayer."
    town, person = text.index("Akora Khattak"), text.index("Yusuf Rahimov")
    assert not _is_named_person(Entity(town, town + 13, "Akora Khattak", "PERSON"), text, gaz)
    assert _is_named_person(Entity(person, person + 13, "Yusuf Rahimov", "PERSON"), text, gaz)


def test_a_district_is_shown_as_the_report_spells_it_not_by_its_office():
    # The gazetteer names some district seats by their office ("Hukumat-e ...", "Wuleswali ..."): the table
    # shows the report's spelling, without a trailing "district"; the coordinates still say which place it is.
    ms = run("Gunmen killed two teachers in Nad Ali, Helmand, Afghanistan, on Monday.", published="2016-04-23")
    assert ms and ms[0].location == "Nad Ali" and ms[0].place is not None and ms[0].place.country == "AF"
    ms = run("Assailants attacked a police post in Badam Kandi, Sayed Karam district, Paktia, Afghanistan, on "
             "Monday, killing two.", published="2016-04-23")
    assert ms and ms[0].location == "Sayed Karam"


def test_what_a_court_judged_is_no_news_of_an_event():
    assert run("A court in Hamburg on Tuesday sentenced a Chechen man to nine years after finding him guilty of "
               "helping to prepare an attack on a synagogue.", published="2022-03-10") == []
    # The day and toll of the attack a court judged are its own, not the verdict's.
    ms = run("A court in Hamburg on Tuesday jailed a man for life over a knife attack at a market on June 3, 2020, "
             "that killed two people.", published="2020-06-30")
    assert any(m.event_type == "attack" and m.date.iso == "2020-06-03" for m in ms)


def test_a_count_of_many_attacks_is_a_tally_not_an_incident():
    assert run("Officials said 23 terrorist attacks were thwarted in the republic last year.", published="2019-02-01") == []
    assert run("Since 2021 the group has carried out more than 150 attacks in the province.", published="2024-02-01") == []
    ms = run("Two bomb attacks on Monday killed nine people in Quetta.", published="2024-02-01")
    assert ms and ms[0].event_type == "attack"


def test_a_day_told_as_so_many_days_after_the_event_dates_the_event_back():
    ms = run("Families buried the victims on Saturday, two days after a suicide bomber killed 25 worshippers at a "
             "mosque in Kunduz.", published="2021-10-10")
    assert [m.date.iso for m in ms if m.event_type == "attack"] == ["2021-10-07"]
    ms = run("Police detained four men on Tuesday, hours after a bomb went off near a bus station in Quetta.",
             published="2021-10-13")
    assert {(m.event_type, m.date.iso) for m in ms} == {("attack", "2021-10-12"), ("arrest", "2021-10-12")}


def test_a_named_security_body_that_acts_makes_a_specific_event():
    # "the State Security Service (SSS) has dismantled a cell": the abbreviation does not hide the act.
    ms = run("Kyrgyzstan's State Committee for National Security (GKNB) has dismantled a clandestine cell linked "
             "to the Islamic State-Khorasan Province, a branch of the group.", published="2025-07-20")
    assert [(m.event_type, m.perpetrator) for m in ms] == [("arrest", "ISKP")]


def test_a_weekday_in_an_undated_report_anchors_like_a_day():
    # No publication date: "on Sunday" is kept as a hint, and counts as much as the day it would resolve to.
    ms = run("A devastating terrorist attack claimed the lives of at least 40 people on Sunday, officials said.",
             published=None)
    assert ms and ms[0].killed is not None and ms[0].killed.min == 40


def test_the_same_explosion_told_again_keeps_its_cause():
    ms = run("The bodies of six coal miners killed in a methane gas explosion in Balochistan were recovered on "
             "Sunday. The explosion occurred on Friday at a depth of 900 feet in the Marwar area, officials said. "
             "In early January, 11 coal miners were killed by Islamic State militants in the province's Machh area.",
             published="2021-03-14")
    assert [(m.event_type, m.date.iso) for m in ms] == [("attack", "2021-01")]


def test_a_launched_shell_or_rocket_and_an_attempted_abduction_are_attacks_where_they_are_told():
    # The lead tells what, where and when; the toll comes in the next sentence and joins it.
    (m,) = run("Militants launched a mortar shell at a police post in Kunduz on Monday. Two officers were hurt.")
    assert m.attack_type == "rocket_attack" and m.location == "Kunduz" and m.date.iso == "2023-05-08"
    (m,) = run("Gunmen tried to abduct three engineers on a road near Jalalabad on Monday, but guards drove them "
               "off; one guard was killed.")
    assert m.attack_type == "hostage_taking" and m.location == "Jalalabad" and m.killed.exact == 1
    # A state's forces that launch missiles make no militant attack, as when they fire them.
    for verb in ("launched", "fired"):
        ms = run(f"Pakistani troops {verb} two missiles at a hideout in North Waziristan on Monday, killing four.")
        assert all(m.event_type != "attack" for m in ms)

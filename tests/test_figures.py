"""Casualty and arrest figures read from wording, as exact numbers or bounds."""

import pytest

from amu.extract.figures import find_figures


def figs(text):
    return [(f.role, f.count.min, f.count.max) for f in find_figures(text)]


@pytest.mark.parametrize("text, expected", [
    ("A gunman killed 12 people at the market.", [("killed", 12, 12)]),
    ("The blast killed over 60 worshippers.", [("killed", 61, None)]),
    ("The raid left more than 20 fighters dead.", [("killed", 21, None)]),
    ("Officials said at least nine suspects were detained.", [("arrested", 9, None)]),
    ("Police say up to 1,200 people have been detained since spring.", [("arrested", None, 1200)]),
    ("The army killed close to 300 insurgents.", [("killed", None, 300)]),
    ("Two students were arrested near the border.", [("arrested", 2, 2)]),
    ("Dozens of people were killed.", [("killed", 24, None)]),
    ("The bombing killed 7 and injured 31 others.", [("killed", 7, 7), ("wounded", 31, 31)]),
    ("Nine militants were killed and three others were captured.", [("killed", 9, 9), ("arrested", 3, 3)]),
    ("The death toll rose to 88 on Sunday.", [("killed", 88, 88)]),
    ("Four attackers killed 19 people in the hall.", [("killed", 19, 19)]),
    ("the men shot dead a district governor", [("killed", 1, 1)]),
])
def test_figures(text, expected):
    assert figs(text) == expected


@pytest.mark.parametrize("text", [
    "The 34-year-old suspect was born in 1990.",
    "Estimates put its fighters at between 2,000 and 3,000.",
    "In 2019 the group killed no one.",
    "A report from 2021 counted 5 camps.",
])
def test_no_figures(text):
    assert figs(text) == []


def test_spans_point_into_text():
    text = "Security forces arrested 14 suspects on Monday."
    f = find_figures(text, offset=100)[0]
    assert text[f.count.start - 100:f.count.end - 100] == "14"


def test_lives_martyrs_and_shot_to_death_are_tolls():
    from amu.extract.figures import find_figures

    def killed(text: str) -> tuple[int | None, int | None]:
        f = [f for f in find_figures(text, 0) if f.role == "killed"]
        return (f[0].count.min, f[0].count.max) if f else (None, None)

    assert killed("The blast tore through the market, claiming the lives of at least 12 shoppers.") == (12, None)
    assert killed("Four policemen were martyred and six were injured when the checkpoint was attacked.") == (4, 4)
    assert killed("A guard was shot to death at the gate of the consulate.") == (1, 1)
    assert killed("Seven civilians lost their lives in the shelling of the bazaar.") == (7, 7)
    assert killed("The group claimed two attacks in the city on Friday.") == (None, None)
    wounded = [f for f in find_figures("The blast led to injuries to six policemen.", 0) if f.role == "wounded"]
    assert wounded and wounded[0].count.min == 6


def test_nationality_plurals_and_visitors_count_as_people_in_a_toll():
    (f,) = find_figures("Three embassy staff in Kabul and 9 more Afghans died in the suicide bombing.")
    assert (f.role, f.count.min, f.count.max) == ("killed", 12, 12)
    (f,) = find_figures("The bomber blew himself up at the gate, killing two guards and five Pakistani visa-seekers.")
    assert (f.role, f.count.min) == ("killed", 7)
    # The day of an ISO date line is no count: "2024-03-26 Five Chinese killed" is five.
    (f,) = find_figures("date 2024-03-26 Five Chinese killed in a convoy attack")
    assert f.count.min == 5


def test_one_more_wounded_told_as_another():
    assert [(f.role, f.count.min) for f in find_figures(
        "Gunmen killed two police officers and wounded another at a checkpoint.")] == [("killed", 2), ("wounded", 1)]
    assert [(f.role, f.count.min) for f in find_figures(
        "Two traffic police officers were killed and one was seriously wounded.")] == [("killed", 2), ("wounded", 1)]


def test_one_person_held_counts_one_arrest():
    for text in ("Swedish police arrested a 39-year-old Uzbek man on suspicion of ramming a truck into crowds.",
                 "A 19-year-old Austrian citizen had been arrested on Wednesday morning.",
                 "The suspect, a 23-year-old Syrian, was arrested after the attack."):
        assert [(f.role, f.count.min, f.count.max) for f in find_figures(text)] == [("arrested", 1, 1)], text


def parsed(text, have=frozenset()):
    from amu.extract.figures import parsed_figures
    from amu.extract.nlp import parses
    [arcs] = parses([text])
    return [(f.role, f.count.min, f.count.max) for f in parsed_figures(text, arcs, 0, frozenset(have))]


def test_the_parse_reads_a_counted_subject_far_from_its_verb():
    # Sentences written for this test. The counted people stand well before the word of harm.
    assert parsed("Three customs inspectors working the night shift at the northern crossing were shot dead "
                  "on Sunday.") == [("killed", 3, 3)]
    assert parsed("\"Five pilgrims have so far been killed,\" the governor told reporters.") == [("killed", 5, 5)]
    assert parsed("Seven people, among them the deputy mayor of the town, have been killed in the blast.") == \
        [("killed", 7, 7)]
    assert parsed("The explosion caused at least 14 deaths and dozens of injuries.")[0] == ("killed", 14, None)


def test_the_parse_counts_named_victims_coordinated_as_the_subject():
    assert parsed("Colonel Rustam Aliev and his driver were killed when the device went off.") == [("killed", 2, 2)]


def test_the_parse_adds_nothing_where_the_patterns_read_the_role_or_no_one_was_harmed():
    assert parsed("Three customs inspectors were shot dead on Sunday.", have={"killed"}) == []
    assert parsed("The rally drew 300 people to the square on Sunday.") == []
    assert parsed("Two suspects were questioned for six hours by the police.") == []

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

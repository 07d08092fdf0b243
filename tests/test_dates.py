"""Temporal expressions, publication date lines and inferred publication dates.

Every call passes its anchor explicitly: nothing here depends on today's date.
The sentences are written for these tests.
"""

from __future__ import annotations

import time

import pytest

from amu.extract.dates import easter, find_dates, parse_anchor, resolve_partial
from amu.extract.pubdate import detect_publication_date, find_dateline, infer_publication_date
from amu.records import DateValue

ANCHOR = "2024-06-27"  # a Thursday


def dates(text: str, anchor: str | None = ANCHOR) -> list[tuple[str, str, str | None]]:
    """(iso, precision, qualifier) of every value found."""
    return [(v.iso, v.precision, v.qualifier) for v in find_dates(text, anchor)]


def one(text: str, anchor: str | None = ANCHOR) -> DateValue:
    values = find_dates(text, anchor)
    assert len(values) == 1, values
    return values[0]


# ------------------------------------------------------------------ absolute dates
@pytest.mark.parametrize(
    ("sentence", "iso", "span"),
    [
        ("Gunmen stormed the checkpoint on July 31, 2018, officials said.", "2018-07-31", "July 31, 2018"),
        ("The verdict came on 31 July 2018 in the capital.", "2018-07-31", "31 July 2018"),
        ("A curfew was declared on March 23, 2024 after the blast.", "2024-03-23", "March 23, 2024"),
        ("Filed 07/19/2024 by the prosecutor.", "2024-07-19", "07/19/2024"),
        ("The order is dated 2024-03-22 and signed.", "2024-03-22", "2024-03-22"),
        ("Stamped 2024-03-22T08:15:00Z.", "2024-03-22", "2024-03-22"),
        ("Three men were sentenced on 5 May 2022 in absentia.", "2022-05-05", "5 May 2022"),
        ("The note (Dec. 5, 2022) was leaked.", "2022-12-05", "Dec. 5, 2022"),
        ("It began on the 5th of May 2022.", "2022-05-05", "the 5th of May 2022"),
        ("It happened on Friday, March 22, 2024 at dusk.", "2024-03-22", "Friday, March 22, 2024"),
        ("The registry entry reads 19.07.2024 for the transfer.", "2024-07-19", "19.07.2024"),
        ("A form dated 25/12/2023 was found.", "2023-12-25", "25/12/2023"),
        ("The court met on 1st March 2021.", "2021-03-01", "1st March 2021"),
    ],
)
def test_absolute_dates(sentence: str, iso: str, span: str) -> None:
    value = one(sentence)
    assert (value.iso, value.precision, value.text) == (iso, "day", span)
    assert sentence[value.start:value.end] == span


def test_absolute_dates_need_no_anchor() -> None:
    assert dates("Police raided the flat on July 31, 2018.", None) == [("2018-07-31", "day", None)]
    assert dates("The raid took place in March and in 2019.", None) == [("2019", "year", None)]


def test_offset_makes_document_spans() -> None:
    doc = "Intro sentence here. The convoy was hit on 5 May 2022 near the pass."
    sentence_start = doc.index("The convoy")
    [value] = find_dates(doc[sentence_start:], ANCHOR, sentence_start)
    assert doc[value.start:value.end] == "5 May 2022" == value.text


# ------------------------------------------------------------------ months, lists and ranges
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The cell was dismantled in April 2020.", [("2020-04", "month", None)]),
        ("A car bomb went off in December 2022 in the north.", [("2022-12", "month", None)]),
        ("In September 2017, the ministry announced his death.", [("2017-09", "month", None)]),
        ("Rockets struck the border town in April and May 2022.",
         [("2022-04", "month", None), ("2022-05", "month", None)]),
        ("Raids continued through March, April and May 2021.",
         [("2021-03", "month", None), ("2021-04", "month", None), ("2021-05", "month", None)]),
        ("Fighting flared from March to June 2021.", [("2021-03", "month", "from"), ("2021-06", "month", "until")]),
        ("Protests ran through December and January 2023.",
         [("2022-12", "month", None), ("2023-01", "month", None)]),
        ("The trial ran from December 2022 to January 2023.",
         [("2022-12", "month", None), ("2023-01", "month", None)]),
        ("Talks were held on 22-23 March 2024.", [("2024-03-22", "day", "from"), ("2024-03-23", "day", "until")]),
        ("Talks were held on March 22-23, 2024.", [("2024-03-22", "day", "from"), ("2024-03-23", "day", "until")]),
        ("The summit ran March 30 - April 2, 2024.", [("2024-03-30", "day", "from"), ("2024-04-02", "day", "until")]),
    ],
)
def test_months_lists_and_ranges(sentence: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert dates(sentence) == expected


def test_list_spans_point_at_each_item() -> None:
    sentence = "Rockets struck the border town in April and May 2022."
    spans = [v.text for v in find_dates(sentence, ANCHOR)]
    assert spans == ["April", "May 2022"]


# ------------------------------------------------------------------ years
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The group was founded in 2019 by defectors.", [("2019", "year", None)]),
        ("The 2018 bombing shocked the valley.", [("2018", "year", None)]),
        ("Its campaign picked up in 2020/2021 online.", [("2020", "year", "from"), ("2021", "year", "until")]),
        ("Recruitment peaked between 2014 and 2016.", [("2014", "year", "from"), ("2016", "year", "until")]),
        ("Recruitment peaked in 2014-16.", [("2014", "year", "from"), ("2016", "year", "until")]),
        ("Attacks were recorded in 2014 and 2016.", [("2014", "year", None), ("2016", "year", None)]),
        ("It has grown since 2014.", [("2014", "year", "since")]),
        ("No such attack happened before 2010.", [("2010", "year", "before")]),
        ("The network dates from pre-2014 days.", [("2014", "year", "before")]),
    ],
)
def test_years(sentence: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert dates(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said 1,700 fighters and 4,000 relatives remain in the camps.",
        "The ransom was $2019 in cash.",
        "Some 2000 troops were deployed to the valley.",
        "The council adopted Resolution 2178 on foreign fighters.",
        "The convoy left at 1930 GMT.",
        "Case file AK-2019 was reopened.",
        "A 29-year-old man and his 41-year-old brother were charged.",
        "The plot was compared to 9/11 by the prosecutor.",
        "He lived on the 3rd floor and left at 10:30.",
        "Codes follow ISO 3166 and version 1.2.10 of the tool.",
        "The militia grew in the 1990s.",
        "Cases of COVID-19 rose in the camp.",
        "Roughly 12.5 percent of voters abstained.",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert dates(sentence) == []


# ------------------------------------------------------------------ partial dates against the anchor
@pytest.mark.parametrize(
    ("sentence", "expected", "span"),
    [
        ("The shrine was attacked in March.", ("2024-03", "month", None), "March"),
        ("He was detained on March 22 at the airport.", ("2024-03-22", "day", None), "March 22"),
        ("The governor was shot dead March 9 outside his office.", ("2024-03-09", "day", None), "March 9"),
        ("Police detained 15 suspects in mid-June.", ("2024-06", "month", "mid"), "mid-June"),
        ("Two teenagers were arrested in late December 2023.", ("2023-12", "month", "late"), "late December 2023"),
        ("The plan was drafted in early 2021.", ("2021", "year", "early"), "early 2021"),
        ("The channel went quiet in mid-2021.", ("2021", "year", "mid"), "mid-2021"),
        ("By mid-2021, the wing had its own editors.", ("2021", "year", "mid"), "By mid-2021"),
        ("The order came at the end of 2022.", ("2022", "year", "late"), "the end of 2022"),
        ("Around 2015, the cell moved north.", ("2015", "year", "around"), "Around 2015"),
        ("The group’s March attack killed dozens.", ("2024-03", "month", None), "March"),
        ("The raid came last March, officials said.", ("2024-03", "month", None), "March"),
    ],
)
def test_partial_dates(sentence: str, expected: tuple[str, str, str | None], span: str) -> None:
    value = one(sentence)
    assert (value.iso, value.precision, value.qualifier) == expected
    assert value.text == span


def test_partial_dates_never_pass_the_anchor() -> None:
    assert dates("He was detained on March 22.", "2024-02-10") == [("2023-03-22", "day", None)]
    assert dates("It was bombed in December.", "2024-02-10") == [("2023-12", "month", None)]
    assert dates("The raid came last March.", "2024-03-15") == [("2023-03", "month", None)]
    assert dates("The raid came last March.", "2024-05-15") == [("2024-03", "month", None)]


def test_resolve_partial() -> None:
    assert resolve_partial(3, 22, "2024-06-27") == DateValue("2024-03-22", "day")
    assert resolve_partial(7, 1, "2024-06-27") == DateValue("2023-07-01", "day")
    assert resolve_partial(6, 27, "2024-06-27") == DateValue("2024-06-27", "day")
    assert resolve_partial(12, None, "2024-06-27") == DateValue("2023-12", "month")
    assert resolve_partial(3, 22, "2024-03") == DateValue("2024-03-22", "day")  # coarse anchor: its last day
    assert resolve_partial(11, None, "2024") == DateValue("2024-11", "month")
    assert resolve_partial(2, 29, "2023-06-01") == DateValue("2020-02-29", "day")
    with pytest.raises(ValueError):
        resolve_partial(13, 1, "2024-06-27")


@pytest.mark.parametrize(
    "sentence",
    [
        "May God grant them peace, the imam said.",
        "Prime Minister Theresa May said the threat was severe.",
        "Veterans of the Long March gathered.",
        "March on the capital, the leaflet urged.",
        "The interview was given to April Ryan of the network.",
        "Jan and Mar signed the petition.",
        "After the fall of Kabul the group regrouped.",
        "Hardliners may spring into action.",
        "The Christmas market was closed.",
        "Shoppers crowded the stores on Black Friday.",
        "She writes for the Sunday Times.",
    ],
)
def test_names_and_words_are_not_dates(sentence: str) -> None:
    assert dates(sentence) == []


# ------------------------------------------------------------------ relative expressions
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Thirty militants were detained this month.", ("2024-06", "month", None)),
        ("Arrests rose this year across the region.", ("2024", "year", None)),
        ("The group lost ground last year.", ("2023", "year", None)),
        ("The suspect was extradited last month.", ("2024-05", "month", None)),
        ("A gurdwara was attacked in Kabul last summer.", ("2023", "year", "summer")),
        ("Earlier this year, the ministry banned the books.", ("2024", "year", None)),
        ("In recent weeks, raids have intensified.", ("2024-06", "month", "around")),
        ("In recent months, two cells were broken up.", ("2024", "year", "around")),
        ("Over the past few weeks, arrests continued.", ("2024-06", "month", "around")),
        ("A bomb exploded yesterday near the market.", ("2024-06-26", "day", None)),
        ("Police say the suspects are being questioned today.", ("2024-06-27", "day", None)),
        ("The statement was issued on Tuesday.", ("2024-06-25", "day", None)),
        ("The statement was issued on Thursday.", ("2024-06-27", "day", None)),
        ("The envoy met them last Thursday.", ("2024-06-20", "day", None)),
        ("The cell was formed two years ago.", ("2022", "year", None)),
        ("The clash broke out three days ago.", ("2024-06-24", "day", None)),
        ("The cleric fled about six months ago.", ("2023-12", "month", "around")),
        ("The camp was built a decade ago.", ("2014", "year", "around")),
        ("The raids began late last year.", ("2023", "year", "late")),
        ("A winter 2022 offensive stalled.", ("2022", "year", "winter")),
        ("Fighting resumed in the summer of 2019.", ("2019", "year", "summer")),
        ("The attack came on New Year's Eve 2017 at a club.", ("2017-12-31", "day", None)),
        ("The market was targeted at Christmas 2023.", ("2023-12-25", "day", None)),
        ("Churches were bombed on Easter Sunday 2019.", ("2019-04-21", "day", None)),
        ("A blast hit the crowd on Christmas Day.", ("2023-12-25", "day", None)),
        ("Security was tightened during Nowruz.", ("2024-03-21", "day", None)),
    ],
)
def test_relative(sentence: str, expected: tuple[str, str, str | None]) -> None:
    value = one(sentence)
    assert (value.iso, value.precision, value.qualifier) == expected


def test_relative_edges() -> None:
    assert dates("The suspect was extradited last month.", "2024-01-10") == [("2023-12", "month", None)]
    assert dates("A shrine was attacked last summer.", "2024-10-05") == [("2024", "year", "summer")]
    assert dates("A shrine was attacked last winter.", "2024-03-05") == [("2024", "year", "winter")]
    assert dates("The vote is expected this summer.", "2024-03-05") == [("2024", "year", "summer")]
    # a coarse anchor cannot give a day: the value keeps the anchor's precision
    assert dates("A bomb exploded yesterday.", "2024-06") == [("2024-06", "month", None)]
    assert dates("A bomb exploded on Tuesday.", "2024") == [("2024", "year", "around")]
    # relative values need an anchor
    assert dates("A bomb exploded yesterday.", None) == []


def test_durations_are_not_dates() -> None:
    assert dates("Over the last year the group shrank.") == []
    assert dates("In recent years the group shrank.") == []
    assert dates("The 29-year-old had been in custody for years.") == []


def test_weekday_next_to_its_date_is_one_value() -> None:
    assert dates("The raid on Tuesday (June 25) was filmed.") == [("2024-06-25", "day", None)]


def test_holiday_tables() -> None:
    assert easter(2019).isoformat() == "2019-04-21"
    assert easter(2024).isoformat() == "2024-03-31"
    assert dates("The cathedral was hit on Good Friday 2016.") == [("2016-03-25", "day", None)]


def test_anchor_forms() -> None:
    assert parse_anchor("2024-06-27T10:00:00Z").day == 27
    assert parse_anchor("2024-06").precision == "month"
    assert parse_anchor("June 27, 2024").day == 27
    with pytest.raises(ValueError):
        parse_anchor("not a date")


# ------------------------------------------------------------------ date lines
HEAD = "Analysis Desk\n\nThe Long Road North: Militancy on the Frontier\n\nAuthor: Jane Roe\n\n"


def test_dateline_alone_on_a_line() -> None:
    text = HEAD + "07/19/2024\n\nImage source: archive\n\nThe group has grown since 2019.\n"
    value = find_dateline(text)
    assert value is not None and (value.iso, value.precision) == ("2024-07-19", "day")
    assert text[value.start:value.end] == "07/19/2024"


@pytest.mark.parametrize(
    ("line", "iso", "precision"),
    [
        ("By Jane Roe for Steppe Review June 27, 2024", "2024-06-27", "day"),
        ("Published: 2024-06-27 10:45", "2024-06-27", "day"),
        ("Posted on 27 June 2024 | 5 min read", "2024-06-27", "day"),
        ("Thursday, June 27, 2024", "2024-06-27", "day"),
        ("June 27, 2024 at 9:15 am EST", "2024-06-27", "day"),
        ("June 27, 2024 · By Jane Roe", "2024-06-27", "day"),
        ("Posted by admin on June 27, 2024", "2024-06-27", "day"),
        ("June 2024", "2024-06", "month"),
        ("27 июня 2024", "2024-06-27", "day"),
        ("19 iyul 2024, 10:15", "2024-07-19", "day"),
        ("12-06-2024 15:30", "2024-06-12", "day"),
        ("KABUL, March 22, 2024 (Wire) — Officials said a blast hit the city.", "2024-03-22", "day"),
    ],
)
def test_dateline_forms(line: str, iso: str, precision: str) -> None:
    value = find_dateline(HEAD + line + "\n\nBody text follows here.\n")
    assert value is not None and (value.iso, value.precision) == (iso, precision)


def test_dateline_prefers_published_over_updated() -> None:
    text = HEAD + "Updated: June 30, 2024\nPublished: June 27, 2024\n\nBody.\n"
    assert find_dateline(text).iso == "2024-06-27"  # type: ignore[union-attr]
    text = HEAD + "Last updated June 30, 2024\n\nBody.\n"
    assert find_dateline(text).iso == "2024-06-30"  # type: ignore[union-attr]


def test_no_dateline() -> None:
    text = HEAD + "The attack on March 22, 2024 killed 139 people in the hall.\n"
    assert find_dateline(text) is None
    assert find_dateline("x" * 2000 + "\n07/19/2024\n") is None  # beyond the head


# ------------------------------------------------------------------ inferred publication dates
CITATIONS = (
    "Militants were active along the river in recent weeks (Valley Post, April 6). "
    "Neighbours tightened border controls (Steppe Wire, July 25, 2022).\n"
    "A car bomb killed a police chief in December 2022 (River Agency, December 26). "
    "Raids followed on safe houses in the province (Interior Bulletin, April 2). "
    "The district governor was killed on March 9 in his office.\n"
    "Propaganda targeted regional leaders (Monitor Weekly, December 5, 2022).\n"
)


def test_infer_from_citations() -> None:
    value = infer_publication_date(CITATIONS)
    assert value is not None
    assert (value.iso, value.precision, value.qualifier) == ("2023-04-06", "day", "inferred")
    without_latest = CITATIONS.replace("(Valley Post, April 6)", "")
    assert infer_publication_date(without_latest).iso == "2023-04-02"  # type: ignore[union-attr]


def test_infer_from_caption_and_yearless_reference() -> None:
    text = (
        "In this photo released on March 23, 2024, rescuers search the ruins.\n\n"
        "The March 22 attack on the hall killed 139 people. The group was formed in 2015.\n"
    )
    value = infer_publication_date(text)
    assert value is not None and (value.iso, value.precision, value.qualifier) == ("2024-03-23", "day", "inferred")
    assert text[value.start:value.end] == "March 23, 2024"


def test_infer_ignores_boilerplate_and_plans() -> None:
    body = "Police raided the flat on May 8, 2022. " * 5
    tail = "\n\nRelated Articles\n\nAnother story\n\nJanuary 1, 2025\n"
    assert infer_publication_date(body + tail).iso == "2022-05-08"  # type: ignore[union-attr]
    plans = body + "A retrial is scheduled for October 27, 2026. Troops must leave by December 2026.\n"
    assert infer_publication_date(plans).iso == "2022-05-08"  # type: ignore[union-attr]


def test_infer_month_precision_and_none() -> None:
    text = "The cell was broken up in June 2023 after raids."
    start = text.index("June")
    assert infer_publication_date(text) == DateValue("2023-06", "month", start, start + 9, "June 2023", "inferred")
    assert infer_publication_date("The group was formed in 2015 and grew.") is None


def test_detect_prefers_dateline() -> None:
    text = HEAD + "07/19/2024\n\n" + CITATIONS
    assert detect_publication_date(text).qualifier is None  # type: ignore[union-attr]
    assert detect_publication_date(CITATIONS).qualifier == "inferred"  # type: ignore[union-attr]


# ------------------------------------------------------------------ speed smoke test
def test_fast_reject_speed() -> None:
    sentences = [
        f"Officials in district {i % 7} said the network relied on couriers and private channels." for i in range(4000)
    ]
    t0 = time.perf_counter()
    for sentence in sentences:
        find_dates(sentence, ANCHOR)
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0  # ~0.1 s on a laptop; a generous bound so slow CI machines pass

"""Sentence splitting keeps exact offsets and stops at page boilerplate."""

from amu.extract.sentences import main_text_end, split_sentences


def test_offsets_and_abbreviations():
    text = "Officials in the U.S. said two men were held. Gen. Smith agreed.\nA second paragraph follows here."
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Officials in the U.S. said two men were held.",
        "Gen. Smith agreed.",
        "A second paragraph follows here.",
    ]
    for s in sents:
        assert text[s.start:s.end] == s.text
    assert sents[2].paragraph == 2


def test_headings_flagged():
    sents = split_sentences("Bomb Hits Market in the North\n\nA bomb went off on Monday.")
    assert sents[0].heading and not sents[1].heading


def test_related_articles_cut():
    body = "First line of the report.\n" * 10
    text = body + "Related Articles\nAnother story about a bombing in Kabul."
    assert main_text_end(text) == len(body)
    assert all("Kabul" not in s.text for s in split_sentences(text))

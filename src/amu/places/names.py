"""Place-name text handling for the gazetteer: matching keys, and capitalised runs in prose.

A *key* is a name folded for matching: lower case, no diacritics, apostrophes or dots, dashes
as spaces ("Mazar-e Sharif" -> "mazar e sharif", "Kŭlob" -> "kulob", "St. Petersburg" ->
"st petersburg"). :func:`fold_many` gives the same keys for a whole table at C speed.

:func:`runs` cuts prose into runs of capitalised words that may form one name: words joined
by a space, a hyphen, or lower-case particles ("Isle of Man", "Rostov-on-Don", "Mazar-i-Sharif").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

_ASCII_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ-_/,", b"abcdefghijklmnopqrstuvwxyz    ")
_COMBINING_RE = re.compile("[\u0300-\u036f]+")
# Letters that carry no combining mark to strip, so NFKD leaves them alone.
_SPECIAL = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ə": "a"}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
_DELETE = ("'", "’", "‘", "ʼ", "ʻ", "`", "´", ".")
_TO_SPACE = ("-", "‐", "–", "—", "_", "/", ",")
_EDGES = ((" |", "|"), ("| ", "|"), (" \t", "\t"), ("\t ", "\t"), (" \n", "\n"), ("\n ", "\n"))

# Words that follow a place name and say what kind of place it is ("Kunar province").
DESIGNATORS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("province", "region", "oblast", "governorate", "state", "krai", "kray", "okrug",
                     "republic", "prefecture", "county"), ("admin1", "admin2", "region")),
    "district": ("admin2", "admin1"),
    "valley": ("region", "admin2"),
    **dict.fromkeys(("city", "town", "village"), ("city",)),
    "airport": ("venue",),
}
DESIGNATOR_RE = re.compile(r"[ \t]+(" + "|".join(DESIGNATORS) + r")\b", re.IGNORECASE)

# A place name directly followed by one of these is part of a name that is not a place:
# "Moscow Times", "Tolo News", "Hindustan Times", "Olympic Games".
MEDIA_WORDS = frozenset(
    "news times post journal herald tribune gazette daily weekly review press agency radio tv "
    "television channel media games cup foundation airlines airways bank fc club".split()
)
# Nouns that make "<place> <noun>" a place ("Kabul University", "Krasnogorsk Court"), so that a
# small town at the head of a longer capitalised name is still believed.
HEAD_NOUNS = frozenset(
    "city province region district oblast valley airport airbase base university college mosque "
    "shrine prison court police hall square street road highway bridge station market bazaar "
    "border gorge pass river lake mountain mountains embassy consulate hospital stadium museum "
    "camp county state governorate municipality village town checkpoint crossing".split()
)
# Capitalised words that start no place name; next to one, a name is not "wedged" in another.
FUNCTION_WORDS = frozenset(
    "the a an in on at of for from to with by and or but after before near into over under during "
    "since against between as is was are were its his her their our this that these those".split()
)
# Lower-case particles inside multi-word names.
_CONNECTORS = ("of", "and", "de", "del", "la", "le", "el", "al", "ad", "an", "ar", "as", "ash", "at",
               "az", "ez", "es", "e", "i", "ul", "ud", "ur", "y", "da", "do", "dos", "das", "du",
               "des", "the", "on", "upon", "am", "der", "den", "sur", "en", "di")
_GAP_RE = re.compile(r"\.?(?:[ \t]*\n?[ \t]*|-)(?:(?:" + "|".join(_CONNECTORS) + r")(?:[ \t]+|-))*")
_ABBREVIATIONS = frozenset({"st", "mt", "ft", "pt", "ste"})   # "St. Petersburg": the dot joins
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper() or ch.istitle())
# A capitalised word (Latin, Greek, Cyrillic), or an acronym with dots ("U.S."). Hyphens end a
# word, so "Tajik-Uzbek" is two words and "Jalal-Abad" two words joined by a hyphen.
_TOKEN_RE = re.compile(r"(?<![\w'’ʼ])(?:(?:[A-Z]\.){2,}|[" + re.escape(_UPPER) + r"][\w'’ʼ]*)")


def fold_many(text: str) -> str:
    """Fold many ``|``-, tab- or newline-separated names at once; separators survive.

    Loading the gazetteer folds ~280,000 spellings: a few passes of ``str.replace`` over one
    string take a tenth of the time of one Python call per name.
    """
    if not text.isascii():
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text).casefold())
        if _SPECIAL_RE.search(text):
            text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)
    else:
        text = text.lower()
    for ch in _DELETE:
        text = text.replace(ch, "")
    for ch in _TO_SPACE:
        text = text.replace(ch, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    for old, new in _EDGES:
        text = text.replace(old, new)
    return text


def fold_all(names: list[str]) -> list[str]:
    """:func:`fold` of each name, in bulk: the ASCII ones through one ``bytes.translate``."""
    odd = [i for i, name in enumerate(names) if not name.isascii()]
    plain = "|".join(["" if not name.isascii() else name for name in names]) if odd else "|".join(names)
    plain = plain.encode().translate(_ASCII_FOLD, b"'`.").decode()
    while "  " in plain:
        plain = plain.replace("  ", " ")
    keys = plain.replace(" |", "|").replace("| ", "|").strip(" ").split("|")
    for i, key in zip(odd, fold_many("|".join([names[i] for i in odd])).split("|")):
        keys[i] = key.strip(" ")
    return keys


def fold(text: str) -> str:
    """One name's key; the same as :func:`fold_many` gives for it inside a table."""
    if text.isascii():  # the common case: one bytes.translate
        out = text.encode().translate(_ASCII_FOLD, b"'`.").decode()
        return out if "  " not in out and out[:1] != " " and out[-1:] != " " else " ".join(out.split())
    return " ".join(fold_many(text).split())


@lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """The matching key of a name, cached: "Mazar-e Sharif" -> "mazar e sharif"."""
    return fold(text)


class Token(NamedTuple):
    """A capitalised word: its span, its key, and the particles that join it to the previous
    word of its run, with a trailing space ("of " in "Isle of Man"; "" when none)."""

    start: int
    end: int
    key: str
    joiner: str


def runs(text: str) -> Iterator[list[Token]]:
    """Runs of capitalised words that may form one name, in text order."""
    run: list[Token] = []
    prev_end, prev_key = -1, ""
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        word = m.group()
        if word.endswith(("'s", "’s")) and len(word) > 3:  # possessive: "Russia's"
            end -= 2
            word = word[:-2]
        key = normalize_name(word)
        if not key:
            continue
        joined, joiner = False, ""
        if run:
            gap = text[prev_end:start]
            if gap == " " or gap == "-":
                joined = True
            elif _GAP_RE.fullmatch(gap) and "\n\n" not in gap and (
                    not gap.startswith(".") or prev_key in _ABBREVIATIONS):
                joined = True
                words = fold(gap).split()
                joiner = " ".join(words) + " " if words else ""
        if not joined and run:
            yield run
            run = []
        run.append(Token(start, end, key, joiner))
        prev_end, prev_key = end, key
    if run:
        yield run


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (so its capital says nothing)."""
    j = start - 1
    while j >= 0 and text[j] in " \t\"'“‘(«[":
        j -= 1
    return j < 0 or text[j] in ".!?\n:;•*#>|"


def demonym_rows(text: str) -> list[tuple[str, str]]:
    """``(word, ISO2)`` of each row of a ``demonyms.tsv`` text, as written (comments and header left out)."""
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) >= 2 and cols[0] != "word":
                out.append((cols[0], cols[1].strip().upper()))
    return out

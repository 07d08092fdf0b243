"""Places of a sentence: gazetteer matches read in the report's context.

The report's own hierarchy ("Fatehabad, Nangarhar province, Afghanistan") decides among namesakes and
marks the most precise setting; a namesake outside the countries the report names is not taken by an
alias or when small; facility names ("Ataturk airport", "Sayyidabad Shia Mosque") are venues.
"""

from __future__ import annotations

import re

from amu.extract.attribution import nationality_lookup
from amu.extract.frames import FACILITY_AFTER, PlaceHit, place_weight
from amu.extract.lexicon import cue, cue_words, lexicon, word_pattern
from amu.extract.nlp import Arc
from amu.extract.sentences import Sentence, wire_dateline
from amu.places.gazetteer import Gazetteer, PlaceMatch
from amu.places.names import normalize_name
from amu.records import Place


def document_countries(gaz: Gazetteer, text: str) -> frozenset[str]:
    """Countries a report names: as countries, provinces, demonyms ("a German investigation"), venues, or
    districts and towns no other country has a name for near their size ("Kurram", "Moscow"). A report that
    names none is read in the gazetteer's regional focus; one that names some is read in those (a small
    Russian village called Bagan is not the Bagan area of a report on Kurram)."""
    named: set[str] = set()
    for m in gaz.find(text):
        top = m.candidates[0] if m.candidates else None
        if top is None or not top.country:
            continue
        if top.kind in ("country", "admin1") or (_own_name(top, m.text) and _unrivalled(top, m.candidates)
                                                  and (top.kind in ("admin2", "venue") or top.population >= 50_000)):
            named.add(top.country)
    lookup = nationality_lookup(gaz)
    named |= {iso for w in set(_CAPITALISED.findall(text)) if (iso := lookup(w))}
    return frozenset(named) or gaz.focus


def _unrivalled(top: Place, candidates: tuple[Place, ...]) -> bool:
    """No namesake in another country comes near the first candidate's size (Moscow, Russia vs Moscow, Idaho)."""
    rivals = [c.population for c in candidates if c.country != top.country]
    return not rivals or top.population >= 10 * max(rivals)


def _own_name(place: Place, text: str) -> bool:
    own = normalize_name(place.name)
    return normalize_name(text) in (own, own.removesuffix(" district"), own.removesuffix(" province"))


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


def _plausible(gaz: Gazetteer, m: PlaceMatch, context: frozenset[str]) -> Place | None:
    """The match's place, unless it is a namesake far from the report: outside the countries the report
    names (and the regional focus), a place is taken only by its own name and only when it is large
    ("Baza", a Telegram channel, is not the Spanish town; "IRNA" is not an alias of Salerno)."""
    place = m.candidates[0] if m.candidates else gaz.resolve(m.text)
    if place is None or not context or place.country in context or place.kind in ("country", "region"):
        return place
    own = [c for c in m.candidates if normalize_name(c.name) == normalize_name(m.text)]
    large = [c for c in own if c.population >= 100_000 or c.kind == "admin1"]
    if place in large:
        return place                      # "Philadelphia" is the US city, not an old name of a Turkish town
    near = [c for c in own if c.country in context]
    return (near or large or [None])[0]


# A capitalised word right before a match, not the sentence's first: "Angor Bagh", "Karte Parwan".
_NAME_BEFORE = re.compile(r"(?<=[\w,;:()'’\"] )([A-Z][\w'’-]*[a-z0-9])\s+$")


def _tail_of_name(text: str, start: int) -> bool:
    """The match ends a longer proper name the gazetteer does not know ("Angor Bagh area", "the Karte Parwan
    neighbourhood"): it names that other place, not the one it spells. Its setting is then the next place
    of the text's hierarchy ("..., Kunduz, Afghanistan"), never a lookalike elsewhere."""
    m = _NAME_BEFORE.search(text[max(0, start - 40):start])
    return m is not None and not m.group(1).endswith(("'s", "’s")) and not _PLACE_PREFIX.fullmatch(m.group(1))


_PLACE_PREFIX = cue("place_prefixes")
# A name particle after the match: the match opens a longer name, a person's ("Ali bin Abi Talib", "Omar ibn
# al-Khattab") or a place's ("Wadi al-Kabir", "Ras al-Ain").
_NAME_GOES_ON = re.compile(r"\s+(?:(?:bin|ibn|bint|ben|abu|ould)\s+[A-Z]|(?:al|el|ad|ash|as|az|an|ar)-[A-Z])")
_DISTANCE_BEFORE = re.compile(r"\b\d[\d,.]*\s*(?:km|kilomet(?:er|re)s?|miles?)\b(?:\s*\([^)]{1,20}\))?"
                              r"(?:\s+(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?)?\s+(?:of|from)\s+(?:the\s+)?$",
                              re.I)
DATELINE_WEIGHT = 0.5   # a place, but the event's only when nothing else places it
_SUBJECT = re.compile(rf"^\s+(?:still\s+|also\s+)?(?:{cue_words('country_subject')})\b", re.I)
_COUNTRYMEN = re.compile(rf"^\s+(?:[\w-]+\s+)?(?:{word_pattern(lexicon().figures['people_nouns'])})\b", re.I)
# ... also a joint one: "a joint U.S.-Somali airstrike".
_STRIKER = re.compile(rf"^(?:'s|’s)?(?:[-–][\w.]+)?\s+(?:[\w-]+\s+)?(?:{cue_words('from_afar')})(?![\w-])", re.I)
_CHAIN = re.compile(r"^\s*(?:province|district|region|city|area)?\s*,\s*(?:the\s+)?$", re.I)


def _in_hierarchy(matches: list[PlaceMatch], text: str) -> tuple[list[PlaceMatch], set[int]]:
    """The text's own hierarchy decides among namesakes: in "Fatehabad, Nangarhar province, Afghanistan"
    each name is read inside the next (the Afghan Fatehabad, not the Iranian one). Also returns the
    offsets of the innermost names of such chains: the most precise setting the text gives."""
    out = list(matches)
    inner: set[int] = set()
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if not m.candidates or not nxt.candidates or not _CHAIN.match(text[m.end:nxt.start]):
            continue
        outer = nxt.candidates[0]
        if outer.kind not in ("country", "admin1", "admin2"):
            continue
        inside = [c for c in m.candidates if c.country == outer.country and
                  (outer.kind == "country" or not c.admin1 or c.admin1 == outer.name or c.admin1 == outer.admin1)]
        inside = inside or [c for c in m.candidates if c.country == outer.country]
        if inside and inside[0] is not m.candidates[0]:
            out[i] = PlaceMatch(m.start, m.end, m.text, tuple(inside) + tuple(c for c in m.candidates if c not in inside))
        if inside:
            inner.add(m.start)
            inner.discard(nxt.start)
    return out, inner


SPEECH_VERBS = cue("speech_verbs")
# Relations through which a place hangs from a verb of speaking as the speaking's own setting
# ("told a press conference in Beijing", "said in Moscow"); not its subject ("officials in Kandahar said")
# nor a clause it reports ("said [an attack in Kabul killed five]").
_SPEAKING_SETTING = frozenset({"prep", "dobj", "npadvmod", "advmod", "pobj", "dative", "obl"})
# Relations of a word that heads a clause (a verb), not a noun phrase ("a security post in Balkh").
_CLAUSE_HEAD = frozenset({"ROOT", "ccomp", "advcl", "xcomp", "conj", "parataxis", "relcl", "acl", "pcomp"})


def speaker_places(arcs: list[Arc], places: list[tuple[int, int]], triggers: list[tuple[int, int]]) -> set[int]:
    """Which places (spans relative to the parsed sentence) the parse hangs from a verb of speaking before any
    event word: where a statement was made, not where the event happened. Returns their start offsets."""
    out: set[int] = set()
    for ps, pe in places:
        inside = [i for i, a in enumerate(arcs) if a.start < pe and ps < a.end]
        tok = inside[-1] if inside else None      # the name's last word heads it ("Lakki Marwat")
        seen: set[int] = set()
        while tok is not None and tok not in seen:
            seen.add(tok)
            a = arcs[tok]
            if any(s < a.end and a.start < e for s, e in triggers):
                break                              # the event's own phrase: its setting
            if a.head == tok:
                break                              # the root, no verb of speaking on the way
            head = arcs[a.head]
            if SPEECH_VERBS.fullmatch(head.lower) and head.dep in _CLAUSE_HEAD:
                if a.dep in _SPEAKING_SETTING:
                    out.add(ps)
                break
            tok = a.head
    return out


def find_places(gaz: Gazetteer, sent: Sentence, blocked: list[tuple[int, int]],
            context: frozenset[str] = frozenset(), arcs: list[Arc] | None = None,
            triggers: list[tuple[int, int]] | None = None) -> list[PlaceHit]:
    """Places of one sentence. With the sentence's dependency parse (``arcs``) and its event words
    (``triggers``, spans relative to the sentence), a place where a statement was made sets nothing."""
    out = []
    text = sent.text
    found, inner = _in_hierarchy(gaz.find(text), text)
    speaker = speaker_places(arcs, [(m.start, m.end) for m in found], triggers or []) if arcs else set()
    for m in found:
        s, e = sent.start + m.start, sent.start + m.end
        if any(a < e and s < b for a, b in blocked):
            continue
        if _tail_of_name(text, m.start) or _NAME_GOES_ON.match(text[m.end:m.end + 12]):
            continue   # "Ali bin Abi Talib mosque", "Wadi al-Kabir": a longer name, not the town of Ali or Wadi
        place = _plausible(gaz, m, context)
        if place is None:
            continue
        fac = FACILITY_AFTER.match(text[m.end:m.end + 60])
        if fac and place.kind != "venue":
            # "Ataturk airport": the venue if the gazetteer knows it, else a facility named after
            # somewhere, which does not place the event there ("Saheb al-Zaman mosque").
            venue = gaz.resolve(text[m.start:m.end + fac.end()])
            if venue is not None and venue.kind == "venue":
                place, e = venue, sent.start + m.end + fac.end()
            elif place.kind == "city" and place.population < 20000:
                continue   # a small namesake: "Saheb al-Zaman mosque" is not in the village of Saheb
            # else "the St Petersburg metro", "Kabul airport": a facility of that city
        weight = 0.0 if m.start in speaker else place_weight(text, m.start, m.end)
        if _DISTANCE_BEFORE.search(text[max(0, m.start - 50):m.start]) and place.kind != "country":
            # "60 kilometers southwest of Dushanbe": a landmark to measure from; only its country is the setting's
            # (most likely: the text would say "across the border" otherwise)
            country = gaz.country(place.country) if place.country else None
            if country is None:
                continue
            place, weight = country, 1.0
        if (line := wire_dateline(text)) is not None and m.end <= line.end():
            weight = DATELINE_WEIGHT   # "DUSHANBE, Tajikistan —": where the reporter files from
        if place.kind == "country" and (_STRIKER.match(text[m.end:m.end + 40]) or
                                        _COUNTRYMEN.match(text[m.end:m.end + 40]) or
                                        _SUBJECT.match(text[m.end:m.end + 40])):
            # "a US drone strike", "12 U.S. service members", "the U.S. will coordinate": the state that
            # strikes, whose people, the state that acts or speaks; not where
            weight = 0
        if m.start in inner and weight >= 3:
            weight += 0.5   # "in Mihtarlam, Laghman, Afghanistan": the text's own most precise setting
        out.append(PlaceHit(place, s, e, text[s - sent.start:e - sent.start], weight))
    return out

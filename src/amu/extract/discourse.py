"""Links between sentences and between mentions of one document.

- Elliptical coordination: "rocket attacks into Uzbekistan and Tajikistan"
  is two events; "in Khujand in 2018 and east of Dushanbe in 2019" too.
- Continuations: "The detained individuals, reportedly Tajiks, were plotting
  attacks" adds to the arrest reported just before instead of being new.
- Temporal anaphora: "Only days later" dates an event from the one before.
- Group anaphora: "the group's March attack" credits the document's group.
- Coreference: a document that mentions the same incident three times yields
  one mention, with the most precise date and place of the three.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from amu.extract.figures import Figure, plus
from amu.extract.frames import DateHit, Frame, PlaceHit, _COORD
from amu.extract.lexicon import cue, cue_words, lexicon
from amu.places.names import normalize_name
from amu.records import Count, DateValue, Document, Evidence, Mention, Provenance

if TYPE_CHECKING:
    from amu.extract.actors import GroupHit, StateAgent
    from amu.extract.mentions import SentenceInfo
    from amu.extract.sentences import Sentence
    from amu.places.gazetteer import Gazetteer

_PRECISION_LEN = {"year": 4, "month": 7, "day": 10}
FAMILY = {"attack": "attack", "plot": "plot", "arrest": "plot", "clash": "force", "security_operation": "force",
          "unrest": "unrest", "threat": "threat", "propaganda": "propaganda", "policy": "policy"}
# Low-salience types need a month-precise date of their own and, for group products, a group.
NEEDS_EXPLICIT_DATE = {"propaganda", "policy", "threat"}
NEEDS_GROUP = {"propaganda", "threat"}


def elliptical_frames(frames: list[Frame], places: list[PlaceHit], dates: list[DateHit], text: str, offset: int,
                      bounds: list[int]) -> list[Frame]:
    """New frames for coordinated settings with no trigger of their own.

    "ISKP attacked Uzbekistan and Tajikistan" -> a second frame for Tajikistan,
    when the conjunct names a place in another country, or its own date.
    """
    out: list[Frame] = []
    edges = sorted(set(bounds)) + [offset + len(text)]
    for i, b in enumerate(edges[:-1]):
        seg_start, seg_end = b, edges[i + 1]
        if not _COORD.match(text[seg_start - offset:seg_end - offset]):
            continue
        if any(seg_start <= f.start < seg_end for f in frames):
            continue
        prev_start = edges[i - 1] if i > 0 else offset
        source = [f for f in frames if prev_start <= f.start < seg_start]
        if not source:
            continue
        src = source[-1]
        seg_places = [p for p in src.places if seg_start <= p.start < seg_end]
        seg_dates = [d for d in src.dates if seg_start <= d.value.start < seg_end and not d.citation]
        if not seg_places:
            continue
        rest_places = [p for p in src.places if p not in seg_places]
        rest_dates = [d for d in src.dates if d not in seg_dates]
        new_country = {p.place.country for p in seg_places} - {p.place.country for p in rest_places}
        if not (new_country or (seg_dates and rest_dates)):
            continue
        clone = replace(src, places=seg_places, dates=seg_dates or list(rest_dates), figures=[],
                        roles=set(src.roles))
        src.places, src.dates = rest_places, rest_dates or list(seg_dates)
        out.append(clone)
    return out


_OTHER_CLAUSE = cue("other_clause")


def _other_clause(g: GroupHit, fr: Frame, text: str, offset: int) -> bool:
    """The group stands in another clause than the event word ("the attack comes amid a surge ... after the TTP
    ended its ceasefire"), with no claim between them."""
    if not text:
        return False
    a, b = sorted((g.end, fr.start) if g.end <= fr.start else (fr.end, g.start))
    between = text[max(0, a - offset):max(0, b - offset)]
    return bool(_OTHER_CLAUSE.search(between)) and not _CREDIT_BETWEEN.search(between)


# "claimed by", "on behalf of", "blamed on": what links an event to a group across words.
_CREDIT_BETWEEN = re.compile(r"\b(?:claim\w*|responsib\w*|blam\w*|attribut\w*|behalf|carried out by|by)\b", re.I)


def _dominant_group(infos: list["SentenceInfo"]) -> str | None:
    counts = Counter(g.name for info in infos for g in info.groups if g.kind != "de_facto_authority")
    return counts.most_common(1)[0][0] if counts else None


def _choose_perpetrator(fr: Frame, text: str = "", offset: int = 0) -> str | None:
    groups = [g for g in fr.groups if not g.victim and not _other_clause(g, fr, text, offset)]
    if fr.event_type == "security_operation":
        state = [g for g in groups if g.kind == "de_facto_authority"]
        if state:
            return state[0].name
        return None
    militant = [g for g in groups if g.kind != "de_facto_authority"]
    # The de facto authorities carry out an attack only as the agent of its verb ("the Taliban attacked"),
    # not when named in passing ("since the Taliban seized power").
    pool = militant or ([g for g in groups if not g.agent_state and g.subject] if fr.event_type == "attack" else [])
    if not pool:
        return None
    # Prefer the most specific of related groups (ISKP over IS) when both are named near the event.
    pool.sort(key=lambda g: (abs(g.start - fr.start), g.start))
    best = pool[0]
    if best.name == "IS" and any(g.name == "ISKP" for g in pool) and fr.event_type != "attack":
        return "ISKP"
    return best.name


_FROM_AFAR = cue("from_afar")


def state_kill(fr: Frame, text: str, offset: int = 0) -> bool:
    """A killing by state forces, or by the de facto authorities, rather than by militants."""
    if any(g.kind != "de_facto_authority" and g.subject and not g.victim for g in fr.groups):
        return False  # "ISKP killed ..." : the militants are the killers
    if any(g.kind == "de_facto_authority" and g.victim for g in fr.groups):
        return False  # "killed a Taliban police chief"
    # A state that only speaks ("officials in Pakistan said") does not act in the event.
    acting = [a for a in fr.agents if not _SPEAKS.match(text[a.end - offset:a.end - offset + 60])]
    state = bool(acting) or any(g.kind == "de_facto_authority" and not g.victim for g in fr.groups)
    if not state:
        return False
    if any(not a.victim and _strikes(a, text, offset) for a in acting):
        return True   # "a Turkish drone bombed their car": the state struck, whoever was killed
    # ... killed as militants, not "a terrorist attack" (the word as the attack's adjective names the attackers).
    militants = any(g.kind != "de_facto_authority" for g in fr.groups) or re.search(
        r"\b(?:militants?|fighters?|insurgents?|terrorists?|hideouts?|commanders?|jihadists?|extremists?)\b"
        r"(?!\s+(?:attacks?|acts?|strikes?|bombings?|assaults?|incidents?)\b)", text, re.I)
    rel = fr.start - offset
    if lexicon().attack_means.search(text[max(0, rel - 150):rel]) and not lexicon().militant_victims.search(text):
        return False   # "police held a man after a truck was driven into a crowd, killing four": the truck's
    return bool(militants) or any(a.subject for a in acting)


# "a Turkish drone bombed a car", "Pakistani troops shelled the village": the state's forces or means struck.
_STATE_STRIKES = re.compile(rf"^\s*(?:also\s+|reportedly\s+)?(?:{cue_words('state_strikes')})\b", re.I)


def _strikes(a: "StateAgent", text: str, offset: int) -> bool:
    """The state's forces or means are the subject of a striking verb; a bare country name is not
    ("a bus in southeastern Iran killed 27" is where, not who)."""
    rest = text[a.end - offset:a.end - offset + 60]
    noun = lexicon().state_nouns.match(rest)
    if noun is not None:
        rest = rest[noun.end():]
    elif a.country is not None:
        return False
    return bool(_STATE_STRIKES.match(rest))


# The past perfect ("had killed", "had been taken"): an event before the story's own time.
PAST_PERFECT = r"\bhad\s+(?:been\s+)?[a-z]+(?:ed|en)\b"
_PAST_PERFECT = re.compile(PAST_PERFECT, re.I)
_SPEAKS = re.compile(r"^\W*(?:[\w-]+\s+){0,3}?(?:said|says|told|announced|reported|confirmed|stated|added)\b", re.I)


def link(doc: Document, infos: list["SentenceInfo"], sents: list["Sentence"], gaz: "Gazetteer") -> list[Frame]:
    """Resolve cross-sentence links and finish each frame's perpetrator and dates."""
    from amu.extract.actors import find_groups

    dominant = _dominant_group(infos)
    out: list[Frame] = []
    for info in infos:
        sent = info.sentence
        prev_sent = sents[sent.index - 1] if sent.index > 0 else None
        prev_groups = {g.name for g in find_groups(prev_sent.text)} - {"Taliban"} if prev_sent and \
            prev_sent.paragraph == sent.paragraph else set()
        for fr in info.frames:
            alone = not any(o is not fr and o.role != "attr" for o in info.frames)
            if fr.role == "kill" and fr.merged == 1 and out and alone and not any(p.weight >= 2 for p in fr.places) \
                    and not [d for d in fr.dates if not d.citation and not d.vague]:
                # "At least 84 people were killed, officials said": a toll, not a new event.
                fr.role = "attr"
            if fr.role == "attr":
                out.append(fr)   # attached after filtering, to the event reported just before it
                continue
            fr.perpetrator = _choose_perpetrator(fr, sent.text, sent.start)
            # A group the sentence names in another clause takes its anaphors with it ("after the TTP ended its
            # ceasefire"): they infer nothing about this event.
            elsewhere = any(_other_clause(g, fr, sent.text, sent.start) for g in fr.groups if not g.victim)
            if fr.perpetrator is None and fr.event_type in ("attack", "plot", "arrest", "threat", "propaganda") \
                    and not elsewhere:
                if info.anaphor and dominant:
                    fr.perpetrator, fr.perpetrator_inferred = dominant, True
                elif fr.event_type in ("attack", "plot") and prev_groups == {dominant}:
                    # "This includes the nightclub attack ..." right after a sentence about the group.
                    fr.perpetrator, fr.perpetrator_inferred = dominant, True
            # Continuations refer back to an earlier sentence's specific event.
            events = [o for o in out if o.role != "attr" and not o.generic_strong and o.sentence_index < sent.index]
            previous = events[-1] if events else None
            # "Earlier in the day, ...": counted from the story's last event, not from an aside about the past
            # told in between ("A blast on a bus had killed 13 people in 2021.").
            story = [o for o in events if not _PAST_PERFECT.search(sents[o.sentence_index].text)]
            told = story[-1] if story else previous
            if told is not None and info.temporal and not [d for d in fr.dates if not d.citation]:
                shift, precision = info.temporal
                fr.inherited_date = _shifted(_best_date(told), shift, precision)
                if precision in ("same", "month") and not fr.places:
                    fr.inherited_place = _best_place(told)
            if previous is not None and (fr.continuation or fr.anaphoric) and not fr.has_strong_args():
                # "the assault", "the suspects": the latest event of the same kind, else the one just before.
                same = [o for o in reversed(events) if FAMILY.get(o.event_type) == FAMILY.get(fr.event_type)]
                target = same[0] if same else previous
                if _continues(target, fr):
                    _fold(target, fr)
                    continue
            out.append(fr)
    return out


def _shifted(d: DateValue | None, days: int, precision: str) -> DateValue | None:
    """The previous event's date moved by ``days``, at the precision the phrase supports."""
    if d is None:
        return None
    prec = d.precision if precision == "same" else precision
    if _PRECISION_LEN[prec] > len(d.iso):
        prec = d.precision
    try:
        y, m, day = (int(x) for x in (d.iso + "-01-01")[:10].split("-"))
        base = _dt.date(y, m, day if d.precision == "day" else 15 if d.precision == "month" else 1)
        if d.precision == "year":
            base = _dt.date(y, 6, 30) if days else base
        moved = base + _dt.timedelta(days=days)
    except ValueError:
        return d
    return DateValue(moved.isoformat()[:_PRECISION_LEN[prec]], prec, qualifier="inherited")  # type: ignore[arg-type]


def _continues(prev: Frame, fr: Frame) -> bool:
    # A new setting ("in Almaty") or a new state acting ("Kazakhstan busted a cell") starts a new event.
    mine = {p.place.country for p in fr.places if p.weight >= 2 and p.place.country}
    mine |= {a.country for a in fr.agents if a.subject and a.country}
    theirs = {p.place.country for p in prev.places if p.weight > 0}
    if mine and theirs and mine.isdisjoint(theirs):
        return False
    return FAMILY.get(prev.event_type) == FAMILY.get(fr.event_type) or fr.event_type in ("attack", "plot") \
        and prev.event_type in ("attack", "plot", "arrest", "clash")


def add_figures(host: Frame, figures: list[Figure]) -> None:
    """Add figures for roles the host lacks; a number replaces a vague word ("dozens" -> "at least 84")."""
    for f in figures:
        old = next((x for x in host.figures if x.role == f.role), None)
        if old is None or f.also:
            host.figures.append(f)   # an added figure ("also killed 60") is summed when the mention is made
        elif not any(c.isdigit() for c in old.count.text) and any(c.isdigit() for c in f.count.text):
            host.figures[host.figures.index(old)] = f


def _fold(prev: Frame, fr: Frame) -> None:
    """Add what a continuation sentence says to the frame it continues."""
    if fr.event_type == "plot" and prev.event_type == "arrest":
        prev.event_type = "plot"
        prev.status = "foiled"
    prev.perpetrator = prev.perpetrator or fr.perpetrator
    # "The explosions struck on Wednesday": the continuation dates an event known so far only from the
    # report's own date (a dateline, "said on Thursday").
    if not [d for d in prev.dates if not d.citation and not d.vague]:
        prev.dates = [d for d in fr.dates if not d.citation and not d.vague] + prev.dates
    prev.nationality = sorted(set(prev.nationality) | set(fr.nationality))
    add_figures(prev, fr.figures)
    prev.status = prev.status or fr.status
    prev.people = sorted(set(prev.people) | set(fr.people))
    prev.last_index = max(prev.last_index, fr.sentence_index)
    # A setting sentence places an event known so far only by its country, or by nothing.
    if fr.role == "attr" and fr.places:
        mine = [p for p in prev.places if p.weight > 0]
        if not [p for p in mine if p.place.kind not in ("country", "region")] and \
                all(p.place.country == fr.places[0].place.country for p in mine):
            prev.places = list(fr.places) + prev.places


_RELATIVE_DAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight", re.I)


def _best_date(fr: Frame) -> DateValue | None:
    """The event's date: the frame's own, then a source's; calendar dates before weekdays; nearest first."""
    own = [d for d in fr.dates if not d.vague]
    text_dates = [d for d in own if not d.citation]
    pool = text_dates or own
    if pool:
        # "Sunday's attack" names the event's own day; otherwise calendar dates before weekdays, nearest first.
        pool.sort(key=lambda d: (not d.possessive, bool(_RELATIVE_DAY.search(d.value.text)),
                                 abs(d.value.start - fr.start), d.value.start))
        best = pool[0].value
        # "the 2017 attack ... on October 31, 2017": a more precise date inside the chosen one refines it.
        finer = [d.value for d in pool if len(d.value.iso) > len(best.iso) and d.value.iso.startswith(best.iso)]
        return max(finer, key=lambda v: len(v.iso)) if finer else best
    return fr.inherited_date


def _best_place(fr: Frame) -> PlaceHit | None:
    places = [p for p in fr.places if p.weight > 0 and p.place.country]
    if not places:
        return fr.inherited_place
    rank = {"venue": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 5, "country": 6}
    # The setting: locative places first, then the most specific, then the nearest.
    places.sort(key=lambda p: (-p.weight, rank.get(p.place.kind, 4), abs(p.start - fr.start)))
    top = places[0]
    # "the Crocus City Hall attack in Moscow": the named venue is the more precise place.
    venues = [p for p in places if p.place.kind == "venue" and p is not top and p.place.country == top.place.country
              and top.place.kind in ("city", "admin2", "admin1")]
    if venues:
        return venues[0]
    # ... but not a dateline's city (weight under 1): "DUSHANBE — a riot in a prison in Tajikistan".
    specific = [p for p in places if p.place.country == top.place.country and p.place.kind != "country"
                and p.weight >= 1]
    if top.place.kind == "country" and specific:
        specific.sort(key=lambda p: (rank.get(p.place.kind, 4), -p.weight, abs(p.start - fr.start)))
        return specific[0]
    return top


def keep(fr: Frame, min_anchor: float, score: float) -> bool:
    """Whether a frame is a specific, real incident rather than a generic or hypothetical one."""
    if fr.role == "attr":
        return True
    if fr.event_type in NEEDS_EXPLICIT_DATE:
        own = [d for d in fr.dates if not d.vague and not d.citation and d.value.precision in ("month", "day")]
        if not own:
            return False
    if fr.event_type in NEEDS_GROUP and not fr.perpetrator:
        return False
    if fr.generic_strong and not fr.figures:
        return False
    # A bare plural ("raids and executions", "attacks across the globe") needs a date or a figure.
    # ("ISKP rocket attacks into Uzbekistan" is specific enough: how, who and where are all named.)
    specific = bool(fr.attack_type and fr.perpetrator and any(p.weight >= 3 for p in fr.places))
    if fr.generic and not specific and not fr.figures and not [d for d in fr.dates if not d.vague]:
        return False
    # "18,000 people were killed in terror attacks last year", "killed 150 soldiers in suicide bombings": a bare
    # plural with a toll but no day or month and no town is a statistic, not an incident.
    if fr.generic and not specific and not [d for d in fr.dates if not d.vague and d.value.precision != "year"] \
            and not any(p.weight > 0 and p.place.kind not in ("country", "region") for p in fr.places):
        return False
    return score >= min_anchor


def _country(fr: Frame, gaz: "Gazetteer") -> tuple[str | None, PlaceHit | None]:
    place = _best_place(fr)
    if place is not None:
        return place.place.country, place
    # "A US drone strike killed five militants": a state striking from afar places nothing; nor do the
    # forces an attack hits abroad ("twelve U.S. troops were killed"). A state acting ("Turkish police
    # captured the gunman") does so at home.
    agents = [a for a in fr.agents if a.country and not a.victim]
    if agents and not _FROM_AFAR.search(fr.trigger):
        return agents[0].country, None
    # The de facto authorities act at home: a Taliban raid or arrest with no place named is in Afghanistan.
    if fr.event_type in ("security_operation", "arrest", "plot", "clash"):
        for g in fr.groups:
            if g.kind == "de_facto_authority" and not g.victim and (g.agent_state or fr.perpetrator == g.name):
                home = lexicon().groups[g.name].home
                if home:
                    return home, None
    return None, None


_DISTRICT_WORD = re.compile(r"\s+district$", re.I)   # "North Waziristan district": the name is North Waziristan
_ADMIN_SEAT = re.compile(rf"^['‘’]?(?:{cue_words('admin_seat_prefixes')})\b", re.I)


def _location_name(hit: PlaceHit | None, fr: Frame, gaz: "Gazetteer") -> str | None:
    """The most specific named place, as a city, district or province (a venue gives its city)."""
    if hit is None or hit.place.kind in ("country", "region"):
        return None
    if hit.place.kind == "venue":
        cities = [p for p in fr.places if p.place.kind == "city" and p.place.country == hit.place.country]
        if cities:
            return cities[0].place.name
        near = gaz.nearest_city(hit.place) if hasattr(gaz, "nearest_city") else None
        return near.name if near is not None else hit.place.admin1
    # A district or province found by another spelling of its name keeps the report's spelling
    # ("Mangajek district" for Mingajik District): the GeoNames id and coordinates say which it is.
    # A district keeps it too when the gazetteer's name is only another form of it ("Wuleswali Sayyid Karam"
    # for "Sayed Karam district").
    # So does a district seat the gazetteer names by its office ("Hukumat-e Nad 'Ali" for "Nad Ali").
    if (hit.place.kind == "admin2" or _ADMIN_SEAT.match(hit.place.name)) and \
            normalize_name(hit.text) != normalize_name(hit.place.name):
        return _DISTRICT_WORD.sub("", hit.text) or hit.text
    known = {normalize_name(hit.place.name), *map(normalize_name, gaz.aliases(hit.place))}
    if normalize_name(hit.text) not in known and not any(normalize_name(hit.text).startswith(k + " ") for k in known):
        return hit.text
    return hit.place.name


@lru_cache(maxsize=1)
def _attacker_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon().figures["perpetrator_nouns"]) - {"militants", "militant", "fighters",
                                                                                   "fighter", "insurgents", "insurgent"}


def to_mention(doc: Document, fr: Frame, evidence: Evidence, prov: Provenance, gaz: "Gazetteer") -> Mention:
    """The finished mention record for a frame."""
    country, place = _country(fr, gaz)
    counts: dict[str, Count] = {}
    attackers = _attacker_nouns() if fr.event_type in ("attack", "plot", "unrest") else frozenset()
    for f in fr.figures:
        if f.role in ("killed", "wounded") and f.noun in attackers:
            continue   # "two assailants were killed": the attack's victims are counted, not its attackers
        counts[f.role] = plus(counts[f.role], f.count) if f.also and f.role in counts else counts.get(f.role, f.count)
    date = _best_date(fr)
    if date is not None and not [d for d in fr.dates if not d.vague and not d.citation] and \
            any(d.value == date for d in fr.dates):
        date = replace(date, qualifier="reported")   # known only from a citation or a dateline
    return Mention(
        id="", doc=doc.name, doc_id=doc.id, event_type=fr.event_type, evidence=evidence, provenance=prov,
        attack_type=fr.attack_type if fr.event_type in ("attack", "plot") else None,
        date=date, country=country, location=_location_name(place, fr, gaz), place=place.place if place else None,
        perpetrator=fr.perpetrator, perpetrator_nationality=list(fr.nationality),
        killed=counts.get("killed"), wounded=counts.get("wounded"), arrested=counts.get("arrested"),
        status=fr.status, people=list(fr.people), target=fr.target if fr.event_type in ("attack", "plot") else None,
    )

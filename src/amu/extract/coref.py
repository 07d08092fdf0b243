"""In-document coreference: one report that mentions an incident several times yields one mention.

"The March 22 attack", "the Crocus City Hall attack" and "the attack in
Krasnogorsk" in one report are merged, keeping the most precise date and
place; figures and nationality from sentences without an event word go to the
event reported just before them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from amu.extract.discourse import FAMILY, PAST_PERFECT, _best_date, _best_place, _country, _fold, add_figures
from amu.extract.frames import Frame, PlaceHit
from amu.extract.lexicon import attacks_differ, cue, cue_words, lexicon, same_attack
from amu.records import DateValue

if TYPE_CHECKING:
    from amu.places.gazetteer import Gazetteer


def attach_attributes(frames: list[Frame]) -> list[Frame]:
    """Give figures and nationality from sentences without an event word to the event reported before them.

    "More than 280 people were wounded." follows the report of a bombing; it is
    attached to the nearest kept event at most three sentences earlier.
    """
    out: list[Frame] = []
    for fr in sorted(frames, key=lambda f: (f.sentence_index, f.start)):
        if fr.role != "attr":
            out.append(fr)
            continue
        near = [o for o in out if fr.sentence_index - o.last_index <= 3
                and o.event_type in ("attack", "plot", "clash", "security_operation", "unrest")]
        # The event being reported: the latest nearby one with a date of its own (background events
        # mentioned in passing have none), else the best attested.
        dated = [o for o in near if [d for d in o.dates if not d.vague and not d.citation]]
        host = max(dated, key=lambda o: (o.last_index, _richness(o)[0]), default=None) or \
            max(near, key=lambda o: (_richness(o)[0], o.last_index), default=None)
        if host is not None:
            _fold(host, fr)
            host.last_index = fr.sentence_index
    return out


def _dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    n = min(len(a.iso), len(b.iso))
    return a.iso[:n] == b.iso[:n]


def _places_compatible(a: PlaceHit | None, b: PlaceHit | None, gaz: "Gazetteer") -> bool:
    if a is None or b is None:
        return True
    pa, pb = a.place, b.place
    if pa.country != pb.country:
        return False
    if pa.kind == "country" or pb.kind == "country" or pa.name == pb.name:
        return True
    if gaz.contains(pa, pb) or gaz.contains(pb, pa):
        return True
    dist = gaz.distance_km(pa, pb)
    return dist is not None and dist <= 50


def corefer(frames: list[Frame], gaz: "Gazetteer") -> list[Frame]:
    """Merge one document's repeated mentions of one incident."""
    out: list[Frame] = []
    for fr in frames:
        host = None
        if fr.role == "attr":
            out.append(fr)
            continue
        for g in out:
            if g.role == "attr" or g.aggregate or fr.aggregate:
                continue
            if FAMILY.get(g.event_type) != FAMILY.get(fr.event_type):
                continue
            if attacks_differ(g.attack_type, fr.attack_type):
                continue
            cg, pg = _country(g, gaz)
            cf, pf = _country(fr, gaz)
            # A country known only from a state named in the sentence ("an attack against the US forces")
            # does not set an attack apart from one placed elsewhere.
            weak = FAMILY.get(fr.event_type) == "attack" and (pg is None or pf is None)
            if cg and cf and cg != cf and not weak:
                continue
            # Nothing places either: only a bare later reference ("the attack killed 54") may join.
            if not cg and not cf and not underspecified(fr):
                continue
            if not _places_compatible(pg, pf, gaz):
                continue
            if not _dates_compatible(_best_date(g), _best_date(fr)) and not _cited_later(g, fr) \
                    and not _cited_later(fr, g):
                continue
            # "Razini was the target of an assassination attempt in 1998", after an undated killing of Razini:
            # a new (indefinite) event told by its year alone is another event than an undated one told before.
            if _best_date(g) is None and (d := _best_date(fr)) is not None and d.precision == "year" \
                    and not fr.definite and not fr.anaphoric and not underspecified(fr):
                continue
            if g.perpetrator and fr.perpetrator and g.perpetrator != fr.perpetrator and \
                    {g.perpetrator, fr.perpetrator} != {"IS", "ISKP"}:
                continue
            if _figures_conflict(g, fr):
                continue
            if (_cited_only(g) or _cited_only(fr)) and not _agree_on_how_or_where(g, fr, pg, pf) \
                    and not underspecified(fr) and not fr.anaphoric:
                continue
            host = g
            break
        if host is None:
            out.append(fr)
        else:
            _merge_into(host, fr)
    return out


def underspecified(fr: Frame) -> bool:
    """A later reference with nothing of its own to tell it apart: no date of its own (other than a
    source's), no place finer than a country, no group other than a perpetrator's.

    "The attack resulted in the deaths of 54 people": such a frame refers back to the event reported
    before it rather than opening a new one.
    """
    own_date = [d for d in fr.dates if not d.vague and not d.citation]
    fine_place = [p for p in fr.places if p.weight > 0 and p.place.kind not in ("country", "region")]
    return not own_date and not fine_place and fr.inherited_place is None


def _cited_later(a: Frame, b: Frame) -> bool:
    """``b`` is dated only by a source citation that comes after ``a``'s own date, and the two agree on how.

    A citation ("(Agency, April 2)") dates the report, an upper bound of the
    event; it does not contradict an earlier date when the kind of attack matches.
    """
    da, db = _best_date(a), _best_date(b)
    if da is None or db is None or not b.dates or not all(d.citation for d in b.dates):
        return False
    if attacks_differ(a.attack_type, b.attack_type):
        return False
    # The report comes after the event, and within weeks of it.
    return da.iso[:len(db.iso)] <= db.iso and _days_between(da.iso, db.iso) <= 31


def _days_between(a: str, b: str) -> int:
    """Days from date ``a`` to date ``b`` (ISO at any precision; coarse dates count from their start)."""
    import datetime as dt

    def start(iso: str) -> dt.date:
        parts = [int(x) for x in iso.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])
    return abs((start(b) - start(a)).days)


def _cited_only(fr: Frame) -> bool:
    """The frame's only date is a source citation's."""
    return bool(fr.dates) and all(d.citation for d in fr.dates)


def _agree_on_how_or_where(a: Frame, b: Frame, pa: PlaceHit | None, pb: PlaceHit | None) -> bool:
    if a.attack_type and b.attack_type and same_attack(a.attack_type, b.attack_type):
        return True
    if a.target and a.target == b.target:
        return True   # both tell of the attack on the shrine
    return pa is not None and pb is not None and pa.place.kind != "country" and pb.place.kind != "country"


def _figures_conflict(a: Frame, b: Frame) -> bool:
    """Two figures of one role that cannot both hold: 7 and 9, or one killed and "more than 30"."""
    fa = {f.role: f.count for f in a.figures}
    for f in b.figures:
        c = fa.get(f.role)
        if c is None:
            continue
        if c.exact is not None and f.count.exact is not None:
            if c.exact != f.count.exact:
                return True
            continue
        lo_a, hi_a = c.min or 0, c.max if c.max is not None else float("inf")
        lo_b, hi_b = f.count.min or 0, f.count.max if f.count.max is not None else float("inf")
        if (c.exact is not None or f.count.exact is not None) and (lo_a > hi_b or lo_b > hi_a):
            return True
    return False


def _richness(fr: Frame) -> tuple[int, int]:
    """How much a frame's own sentence says: its figures count double (they are what analysts cite)."""
    return (2 * len(fr.figures) + len(fr.places) + len([d for d in fr.dates if not d.citation]), -fr.start)


def _merge_into(host: Frame, fr: Frame) -> None:
    da, db = _best_date(host), _best_date(fr)
    # The event's own day beats the report's: a date of the text ("Wednesday's blasts") over a citation's.
    own_b = [d for d in fr.dates if not d.citation and not d.vague]
    if own_b and (_cited_only(host) or any(d.possessive for d in own_b) and
                  not any(d.possessive for d in host.dates)) and da is not None and db is not None \
            and len(db.iso) >= len(da.iso):
        host.dates = own_b + host.dates
    elif db is not None and (da is None or len(db.iso) > len(da.iso)):
        host.dates = [d for d in fr.dates if d.value == db] + host.dates if fr.dates else host.dates
        if not fr.dates:
            host.inherited_date = db
    pa, pb = _best_place(host), _best_place(fr)
    rank = {"venue": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 5, "country": 6}
    if pb is not None and (pa is None or rank.get(pb.place.kind, 4) < rank.get(pa.place.kind, 4)):
        host.places = [pb] + [p for p in host.places if p is not pa]
        if pa is not None:
            host.places.append(pa)
    add_figures(host, fr.figures)
    host.attack_type = same_attack(host.attack_type, fr.attack_type) or host.attack_type
    host.perpetrator = host.perpetrator if host.perpetrator and not host.perpetrator_inferred else \
        (fr.perpetrator or host.perpetrator)
    if host.perpetrator == "IS" and fr.perpetrator == "ISKP":
        host.perpetrator = "ISKP"
    host.nationality = sorted(set(host.nationality) | set(fr.nationality))
    host.people = sorted(set(host.people) | set(fr.people))
    host.status = host.status or fr.status
    host.target = host.target or fr.target
    host.agents = host.agents or fr.agents
    host.last_index = max(host.last_index, fr.last_index)
    if _richness(fr) > _richness(host):
        host.sentence_index, host.start, host.end, host.trigger = fr.sentence_index, fr.start, fr.end, fr.trigger


def fold_headline(frames: list[Frame], headings: set[int], gaz: "Gazetteer",
                  standalone: list[Frame] | None = None) -> list[Frame]:
    """A headline and the body under it are one report: a headline's event is the body's first event of
    the same kind that does not contradict it, and only stands alone when the body has none.

    "Four killed in attack on shrine in Iran" heads the story that tells the attack in full.
    """
    out = [f for f in frames if f.sentence_index not in headings or f.role == "attr"]
    for h in [f for f in frames if f.sentence_index in headings and f.role != "attr"]:
        fits = [b for b in out if b.role != "attr" and b.sentence_index not in headings
                and not attacks_differ(b.attack_type, h.attack_type) and _no_contradiction(b, h, gaz)]
        body = next((b for b in fits if FAMILY.get(b.event_type) == FAMILY.get(h.event_type)), None) or \
            next((b for b in fits if _same_story(b.event_type, h.event_type)), None)
        if body is None:
            out.append(h)
            if standalone is not None and h.last_index in headings:
                standalone.append(h)   # headlines the body told otherwise (and nothing of the body joined)
            continue
        # The body's own account wins on when and where; the headline adds what the body leaves out.
        keep_dates, keep_places = body.dates, body.places
        _merge_into(body, h)
        if [d for d in keep_dates if not d.citation and not d.vague]:
            body.dates = keep_dates
        # ... except a headline's town over a body that names only the country ("near Danghara" over "in
        # southern Tajikistan").
        if [p for p in keep_places if p.weight > 0 and p.place.kind not in ("country", "region")] or \
                not [p for p in h.places if p.weight > 0 and p.place.kind not in ("country", "region")]:
            body.places = keep_places
    return sorted(out, key=lambda f: (f.sentence_index, f.start))


def _same_story(body: str, head: str) -> bool:
    """A headline's event type may be the body's, or an attack that the body tells as a fight ("attack on
    border post" over "a gun battle at the border post")."""
    return FAMILY.get(body) == FAMILY.get(head) or {FAMILY.get(body), FAMILY.get(head)} == {"attack", "force"}


def _no_contradiction(a: Frame, b: Frame, gaz: "Gazetteer", figures: bool = True) -> bool:
    """Nothing sets the two apart: country, place, own date, and (unless told otherwise) figures."""
    ca, pa = _country(a, gaz)
    cb, pb = _country(b, gaz)
    if ca and cb and ca != cb:
        return False
    own = lambda f: next((d.value for d in f.dates if not d.citation and not d.vague), None)  # noqa: E731
    return _places_compatible(pa, pb, gaz) and _dates_compatible(own(a), own(b)) and \
        not (figures and _figures_conflict(a, b))


_ATTACKERS_FELL = re.compile(rf"\b(?:{cue_words('attackers_fell')})\b[^.;]{{0,40}}\b(?:was|were)\s+(?:also\s+)?"
                             rf"(?:{cue_words('attackers_fell', 'verbs')})\b", re.I)


def fold_followups(frames: list[Frame], texts: dict[int, str], cue: "re.Pattern[str]", gaz: "Gazetteer") -> list[Frame]:
    """Arrests, clashes and operations against an attack's own perpetrators are part of that attack.

    "Five of the gunmen were captured after the attack": the arrests add to the attack reported
    before (its ``arrested`` figure), they are not a new incident. Only a sentence that names the
    attack's participants or refers to the attack counts, and only when nothing (place, date) sets it apart.
    """
    out: list[Frame] = []
    for fr in frames:
        host = None
        text = texts.get(fr.sentence_index, "")
        # The attackers' own deaths and capture ("fifteen attackers were killed by return fire") are part of
        # the event reported before, whatever its type.
        if fr.event_type == "attack" and _ATTACKERS_FELL.search(text) and underspecified(fr):
            events = [a for a in out if a.event_type in ("attack", "clash", "unrest", "security_operation")
                      and a.role != "attr"]
            host = next((a for a in reversed(events) if _no_contradiction(a, fr, gaz, figures=False)), None)
            if host is not None:
                add_figures(host, [f for f in fr.figures if f.role == "arrested"])
                host.last_index = max(host.last_index, fr.last_index)
                continue
        # Clashes right after an attack are its fighting ("militants were killed in clashes with security forces").
        if (fr.event_type in ("arrest", "clash", "security_operation") and cue.search(text)) \
                or (fr.event_type == "clash" and underspecified(fr)):
            attacks = [a for a in out if a.role != "attr" and (a.event_type in ("attack", "unrest")
                                                                 or a.event_type == "clash" and fr.event_type == "arrest")]
            host = next((a for a in reversed(attacks) if _no_contradiction(a, fr, gaz)), None)
        if host is None:
            out.append(fr)
            continue
        # Its arrests add to the attack; so does a toll when the attack has none ("killed in the ensuing clash").
        add_figures(host, [f for f in fr.figures if f.role == "arrested" or fr.event_type == "clash"])
        host.nationality = sorted(set(host.nationality) | set(fr.nationality))
        host.last_index = max(host.last_index, fr.last_index)
    return out


# Families that tell one violent story: a riot's stabbings, an attack's gun battle, a raid's shootout.
_VIOLENT = frozenset({"attack", "force", "unrest"})
_APART_BEFORE = re.compile(rf"(?<![\w-])(?:{cue_words('apart')})(?![\w-])\s+(?:[\w-]+\s+){{0,2}}$", re.I)
_APART_AFTER = re.compile(rf"^\W{{0,3}}(?:[\w-]+\s+){{0,2}}(?:{cue_words('apart', 'after')})(?![\w-])", re.I)
# The past perfect tells of an event before the story's own time: "a blast on a bus had killed 13", "had been
# attacked".
_PERFECT_BEFORE = re.compile(r"\bhad\s+(?:been\s+)?$", re.I)
_PERFECT_AFTER = re.compile(rf"^\s+(?:[\w-]+\s+){{0,3}}{PAST_PERFECT}", re.I)
# The event word inside a phrase ("the toll from the attack had risen"): a past perfect after it is its head's.
_IN_PHRASE = re.compile(r"\b(?:from|of|in|after|since|for|over|behind|about)\s+(?:the|this|that|its|their)\s+"
                        r"(?:[\w-]+\s+){0,2}$", re.I)


def fragment(fr: Frame, text: str, offset: int) -> bool:
    """A frame with nothing of its own that sets it apart from the event already reported: no date of its own,
    no place finer than a country, and no word that marks it as another event ("a similar attack")."""
    if fr.role == "attr" or fr.aggregate or not underspecified(fr) or fr.inherited_date is not None:
        return False
    return not _apart(fr, text, offset)


def _apart(fr: Frame, text: str, offset: int) -> bool:
    """Words around the event word mark it as another event ("a similar attack", "had killed")."""
    rel = fr.start - offset
    before, after = text[max(0, rel - 40):rel], text[fr.end - offset:fr.end - offset + 40]
    return bool(_APART_BEFORE.search(before) or _APART_AFTER.search(after) or _PERFECT_BEFORE.search(before)
                or _PERFECT_AFTER.search(after) and not _IN_PHRASE.search(before))


def _refers_back(fr: Frame, host: Frame, gaz: "Gazetteer") -> bool:
    """An undated violent frame placed where the event already reported happened tells more of it: it names the same
    target ("the convoy"), or it is a definite reference ("the explosion") placed in, around or near the
    event's place (a province that contains the town, an official's city nearby)."""
    if [d for d in fr.dates if not d.vague and not d.citation] or fr.aggregate or fr.role == "attr":
        return False
    if fr.inherited_date is not None:
        return False   # dated from the event before it ("only days later"): another event
    if FAMILY.get(fr.event_type) not in _VIOLENT:
        return False   # arrests and plots are many and alike: several in one region are several events
    cf, pf = _country(fr, gaz)
    ch, ph = _country(host, gaz)
    if not cf or cf != ch or pf is None or ph is None:
        return False
    if fr.target and fr.target == host.target:
        return True
    if _same_place(pf, ph) and pf.place.kind not in ("country", "region") and fr.event_type != "security_operation":
        # "a suicide car bomb killed 37 people in the capital Ankara", after the Ankara blast (operations
        # are another matter: forces often run several in one district)
        return True
    if not (fr.definite or fr.anaphoric):
        return False
    if gaz.contains(pf.place, ph.place) or gaz.contains(ph.place, pf.place):
        return True
    dist = gaz.distance_km(pf.place, ph.place)
    return dist is not None and dist <= 150


def fold_foiled(frames: list[Frame], gaz: "Gazetteer") -> list[Frame]:
    """An attack "thwarted" or "foiled" where the report also tells the fighting of it is that attack.

    "Security forces thwarted an attack on a naval base in Turbat; four terrorists were eliminated" reports an
    attack that was made and repelled, not a plot found in time: when one attack or clash of the report has the
    foiled attack's target or place, and nothing (country, date) sets them apart, the foiled frame is folded
    into it. A report of a plot with no fighting keeps its plot."""
    out = list(frames)
    for fr in frames:
        if fr.event_type != "plot" or "foil" not in fr.roles or fr.role == "attr" or fr.aggregate:
            continue
        _, pf = _country(fr, gaz)
        near = [(h, _country(h, gaz)[1]) for h in out
                if h is not fr and h.event_type in ("attack", "clash") and h.role != "attr"
                and not h.aggregate and _no_contradiction(h, fr, gaz, figures=False)]
        # The attack at its target or place; else the fighting told right after it with no place of its own
        # ("in the gun battle that followed").
        fine = pf is not None and pf.place.kind not in ("country", "region")
        hosts = [h for h, hp in near if fr.target and fr.target == h.target
                 or fine and hp is not None and _same_place(pf, hp)] or \
            [h for h, hp in near if hp is None and 0 <= h.sentence_index - fr.sentence_index <= 1]
        if len(hosts) != 1:
            continue
        host = hosts[0]
        _merge_into(host, fr)
        host.event_type = "attack"     # the fighting was the attack, made and repelled
        out.remove(fr)
    return out


def reported_only(fr: Frame) -> bool:
    """Dated only by the report (a citation, a statement's day), with no date of its own."""
    return bool(fr.dates) and not [d for d in fr.dates if not d.vague and not d.citation]


def _names_it_again(fr: Frame, host: Frame, gaz: "Gazetteer") -> bool:
    """A definite reference to the event of its kind just reported ("Friday's attack was the deadliest ...",
    "the death toll from the attack had climbed to 94", said on a later day) is that event: its own date is the
    event's day or a later day of the news (when it was said), its place is the event's or none, and no group
    or country sets it apart."""
    if not (fr.definite or fr.anaphoric) or fr.aggregate or fr.role == "attr" or fr.inherited_date is not None:
        return False
    if FAMILY.get(fr.event_type) != FAMILY.get(host.event_type):
        return False
    dh = _best_date(host)
    own = [d.value for d in fr.dates if not d.vague and not d.citation]
    # A host dated only by the report ("IS claimed responsibility on Tuesday for an assault on a mosque"):
    # the reference may tell the day before it ("the attack began on Monday evening").
    told_before = reported_only(host) and dh is not None and dh.precision == "day" and \
        all(d.precision == "day" and 0 <= _days_between(d.iso, dh.iso) <= 7 for d in own)
    if own and not told_before and (
            dh is None or dh.precision != "day"
            or not all(d.precision == "day" and 0 <= _days_between(dh.iso, d.iso) <= 31 for d in own)):
        return False
    cf, pf = _country(fr, gaz)
    ch, ph = _country(host, gaz)
    if cf and ch and cf != ch:
        return False
    if pf is not None and pf.place.kind not in ("country", "region"):
        if ph is None or not (_same_place(pf, ph) or gaz.contains(pf.place, ph.place)
                              or gaz.contains(ph.place, pf.place)):
            return False
    return not (fr.perpetrator and host.perpetrator and fr.perpetrator != host.perpetrator
                and {fr.perpetrator, host.perpetrator} != {"IS", "ISKP"})


def _story_host(fr: Frame, before: list[Frame], gaz: "Gazetteer") -> Frame | None:
    """The event a fragment is a detail of: the latest earlier one of its family, else of the violent story it
    belongs to (a stabbing in a riot, a gun battle in an attack), that no country or group sets apart."""
    cf, _ = _country(fr, gaz)
    for h in _story_host_candidates(fr, before):
        ch, _ = _country(h, gaz)
        if cf and ch and cf != ch:
            continue
        if fr.perpetrator and h.perpetrator and fr.perpetrator != h.perpetrator and \
                {fr.perpetrator, h.perpetrator} != {"IS", "ISKP"}:
            continue
        return h
    return None


def _same_place(a: PlaceHit, b: PlaceHit) -> bool:
    return a.place.geonameid == b.place.geonameid if a.place.geonameid and b.place.geonameid \
        else a.place.name == b.place.name and a.place.country == b.place.country


def same_day_same_place(fr: Frame, host: Frame, gaz: "Gazetteer") -> bool:
    """Two violent frames of one report on the same day in the same town are one incident, however each
    tells it ("suicide bombers attacked parliament" and "gunmen stormed the parliament building", both in
    Tehran on June 7): kinds of attack and partial tolls differ between a report's sentences."""
    if FAMILY.get(fr.event_type) not in _VIOLENT or FAMILY.get(host.event_type) not in _VIOLENT:
        return False
    day = lambda f: {d.value.iso for d in f.dates if not d.vague and not d.citation and d.value.precision == "day"}  # noqa: E731
    if not day(fr) & day(host):
        return False
    _, pf = _country(fr, gaz)
    _, ph = _country(host, gaz)
    return pf is not None and ph is not None and pf.place.kind not in ("country", "region") and _same_place(pf, ph)


def _story_host_candidates(fr: Frame, before: list[Frame]) -> list[Frame]:
    """The latest earlier event of the frame's family, then the latest of the violent story it may belong to."""
    fam = FAMILY.get(fr.event_type)
    events = [h for h in reversed(before) if h.role != "attr" and not h.aggregate]
    same = [h for h in events if FAMILY.get(h.event_type) == fam]
    story = [h for h in events if fam in _VIOLENT and FAMILY.get(h.event_type) in _VIOLENT]
    # "... thwarted an attack in Bamako." then "The attack, claimed by JNIM, ...": the foiled attack was made.
    foiled = [h for h in events[:1] if fr.event_type == "attack" and h.event_type == "plot" and "foil" in h.roles]
    return same[:1] + story[:1] + foiled


def absorb_fragments(frames: list[Frame], texts: dict[int, tuple[int, str]], gaz: "Gazetteer",
                     headlines: list[Frame] | None = None) -> list[Frame]:
    """Fold the details a report gives of an event it has already reported into that event.

    "Several of the worshippers were being held hostage by the gunmen" after the report of an assault
    on a temple, "the rioters first stabbed three guards" after the report of a prison riot: a later
    sentence with an event word, but with no date, no place and no group of its own that would set it
    apart, tells more of the same event rather than of a new one. Its figures fill only what the event
    lacks; its kind of attack is not a reason to split it off. An undated later reference placed where the
    event happened ("the explosion" with an official's nearby city) is folded the same way. A headline that
    stands alone (its body told the event otherwise) hosts nothing: the body's own account does.
    """
    out: list[Frame] = []
    alone = {id(h) for h in headlines or ()}
    for fr in sorted(frames, key=lambda f: (f.sentence_index, f.start)):
        offset, text = texts.get(fr.sentence_index, (0, ""))
        hosts = [h for h in out if id(h) not in alone]
        host = _story_host(fr, hosts, gaz) if hosts and fragment(fr, text, offset) else None
        if host is None and hosts and not _apart(fr, text, offset):
            host = next((h for h in _story_host_candidates(fr, hosts) if _refers_back(fr, h, gaz)), None) or \
                next((h for h in reversed(hosts) if same_day_same_place(fr, h, gaz)), None)
            again = None if host is not None else \
                next((h for h in _story_host_candidates(fr, hosts)[:1] if _names_it_again(fr, h, gaz)), None)
            if again is not None and reported_only(again):
                _merge_into(again, fr)   # the reference tells the day (and place) the report's lead left out
                continue
            host = host or again
        if host is None:
            out.append(fr)
            continue
        add_figures(host, fr.figures)
        host.nationality = sorted(set(host.nationality) | set(fr.nationality))
        host.people = sorted(set(host.people) | set(fr.people))
        host.perpetrator = host.perpetrator or fr.perpetrator
        host.attack_type = host.attack_type or fr.attack_type
        host.last_index = max(host.last_index, fr.last_index)
        if host.event_type == "plot" and fr.event_type == "attack":
            host.event_type = "attack"   # the report goes on to tell the attack: it was made, and repelled
    return out


def background_aside(fr: Frame, now: DateValue | None) -> bool:
    """A passing aside about the past, not news: a killing or attack dated a year or more before the report
    (or the event it leads with) at no finer than a month, with no toll, no kind of attack and no place finer
    than a country.

    "..., who joined the group in 2015 and was later killed in Syria", "since the takeover in 2021 the
    group has stepped up its attacks". A past incident told with details of its own (its toll, its town)
    stays an incident.
    """
    if fr.role == "attr" or fr.figures or fr.attack_type or now is None or len(now.iso) < 7:
        return False
    if FAMILY.get(fr.event_type) not in ("attack", "unrest"):
        return False   # an old arrest, plot or border fight named with its year is an incident of its own
    if any(g.subject and not g.victim for g in fr.groups):
        return False   # "ISKP attacked Uzbekistan for the first time in 2022": a group's act, recalled
    own = [d.value for d in fr.dates if not d.vague and not d.citation]
    if not own or any(d.precision == "day" for d in own):
        return False
    fine = [p for p in fr.places if p.weight > 0 and p.place.kind not in ("country", "region")]
    if fine or fr.inherited_place is not None:
        return False
    when = max(own, key=lambda d: d.iso)
    return _months(when.iso) <= _months(now.iso) - 12


def _months(iso: str) -> int:
    """Months since year 0 of an ISO date at month precision or finer (a bare year counts from its December,
    so that "2023" is not a year before March 2024)."""
    return int(iso[:4]) * 12 + (int(iso[5:7]) if len(iso) >= 7 else 12)


# How specific each kind of attack is: a story told with several kinds takes the most specific one its
# sentences give (a suicide bombing over a bombing, a ramming over the stabbing that followed it).
_SPECIFIC = ("suicide_bombing", "vehicle_ramming", "rocket_attack", "hostage_taking", "arson", "bombing",
             "armed_assault")


_STORY_REACH = 3   # sentences after the first that tells an attack: further on, a report is often elsewhere
_LEAD_REACH = 6    # only the attacks a report leads with (headline, lead and the sentences after them)


def attack_type_from_story(frames: list[Frame], texts: dict[int, tuple[int, str]]) -> None:
    """Give an attack that a report leads with, and whose own sentence names no means, the kind its other
    sentences tell.

    "Four cyclists were killed ..." then "... after being run down by a car": the sentences that follow the
    first that tells an attack, until the report moves on to another attack, say how it was done. A plain
    bombing told there as a suicide one becomes one; an attack told there with guns only ("the gunmen stormed
    in", "a gun battle followed") is an armed assault.
    """
    lex = lexicon()
    other_means = cue("other_means")
    attacks = [f for f in frames if f.role != "attr" and f.event_type == "attack"]
    for fr in attacks:
        if fr.attack_type not in (None, "bombing") or min(fr.sentence_index, fr.last_index) > _LEAD_REACH:
            continue   # an analysis's passing incidents: their neighbours tell other stories
        others = {o.sentence_index for o in attacks if o is not fr} | \
            {o.last_index for o in attacks if o is not fr}
        found: set[str] = set()
        story_guns = story_means = False
        first = min(fr.sentence_index, fr.last_index)
        for i in range(first, first + _STORY_REACH + 1):
            if i in others:
                break   # the report has moved on to another attack
            if i not in texts:
                continue
            text = texts[i][1]
            found |= {r.attack_type for r in lex.triggers if r.attack_type and r.pattern.search(text)}
            story_guns = story_guns or bool(lex.firearm_cues.search(text))
            story_means = story_means or bool(other_means.search(text))
            if lex.suicide_cues.search(text):
                found.add("suicide_bombing")
        found.discard("assassination")
        if fr.attack_type == "bombing":
            found &= {"suicide_bombing"}
        elif not found and story_guns and not story_means:
            found.add("armed_assault")   # "a gun battle followed", "the gunmen stormed in": told with guns only
        best = next((t for t in _SPECIFIC if t in found), None)
        if best is not None:
            fr.attack_type = best

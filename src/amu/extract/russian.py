"""Incident mentions of a Russian report: the language's words in a data file, the core shared.

Russian inflects what English rules match as written ("в Кулябе", "погибли 139 человек", "граждане
Таджикистана"), so this stage reads lemmas: ``pymorphy3`` (its dictionaries ship in a wheel) gives each
word's normal form and tags names of places (``Geox``). The vocabulary is ``amu/data/ru.json``:
event words, figure words, number words, months and weekdays, group aliases, country names and
demonyms. What comes out is the same :class:`~amu.records.Mention` the English stage makes, placed
with the same gazetteer (Cyrillic aliases, else a transliteration of the lemma: Худжанд → Khudzhand →
Khujand) and passed through the same :func:`~amu.resolve.report.one_report`, so fusion, the store
and every export treat it alike and reports in both languages fuse into one incident.

A sentence with an event word becomes a candidate; its figures, dates, places, group and
perpetrators' nationality come from the same sentence, and the report's lead fills in the date and
place of its first incident. A report with no word of political violence (a gas-cylinder blast, a
road crash) yields nothing, like an English one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from amu.places.gazetteer import Gazetteer
from amu.records import Count, DateValue, Document, Evidence, Mention, Place, Provenance
from amu.extract.sentences import Sentence, split_sentences
from amu.resolve.report import one_report
from amu.resolve.rule import Rule

EXTRACTOR_RU = "amu.extract.russian.v1"
LEAD_SENTENCES = 3
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*|\d+")
_PLACE_KINDS = {"city": 0, "venue": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4}


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str
    start: int          # document offsets
    end: int
    geo: bool           # a place name, by the morphology's tags
    capital: bool
    noun: bool          # a noun (a place is never an adjective: "в Московском регионе")


@dataclass
class Vocabulary:
    """``ru.json``, with its group aliases as lemma sequences."""

    data: dict[str, Any]
    groups: list[tuple[tuple[str, ...], str]]


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def vocabulary() -> Vocabulary:
    data = json.loads(resources.files("amu").joinpath("data", "ru.json").read_text("utf-8"))
    groups = [(tuple(_lemma(w) for w in _WORD.findall(alias)), name)
              for alias, name in data["groups"].items() if not alias.startswith("_")]
    return Vocabulary(data, sorted(groups, key=lambda g: -len(g[0])))


@cache
def _parse(word: str) -> tuple[str, bool, bool]:
    if word.isdigit():
        return word, False, False
    p = _morph().parse(word)[0]
    return p.normal_form.replace("ё", "е"), "Geox" in p.tag, p.tag.POS in (None, "NOUN")


def _abbreviation(word: str) -> bool:
    return word.isupper() and 2 <= len(word) <= 5


def _lemma(word: str) -> str:
    """The normal form; an abbreviation (КТО, ИГИЛ) stays as written: it is no inflected word."""
    return word if _abbreviation(word) else _parse(word)[0]


def tokens(sent: Sentence) -> list[Token]:
    out = []
    for m in _WORD.finditer(sent.text):
        w = m.group(0)
        lemma, geo, noun = (w, False, True) if _abbreviation(w) else _parse(w)
        out.append(Token(w, lemma, sent.start + m.start(), sent.start + m.end(), geo, w[:1].isupper(), noun))
    return out


# -- figures ----------------------------------------------------------------------------------------


def _number(toks: list[Token], i: int) -> tuple[int, int | None, int | None] | None:
    """The number at token i and the bounds the words before it give: (value, min, max)."""
    v = vocabulary().data
    t = toks[i]
    if t.text.isdigit():
        n = int(t.text)
        if 1900 <= n <= 2100 or (i + 1 < len(toks) and toks[i + 1].lemma in v["months"]):
            return None    # a year, a day of a month
    elif t.lemma in v["numbers"]:
        n = int(v["numbers"][t.lemma])
    else:
        return None
    before = {x.lemma for x in toks[max(0, i - 3):i]}
    b = v["bounds"]
    if before & set(b["above"]):
        return n, n + 1, None
    if before & set(b["min"]):
        return n, n, None
    if before & set(b["max"]):
        return n, None, n
    return n, n, n     # "около 20" is read as 20, as the English "about 20"


def figures(toks: list[Token]) -> dict[str, Count]:
    """killed / wounded / arrested: the number nearest each figure word (none: 'пострадавших нет')."""
    v = vocabulary().data
    out: dict[str, Count] = {}
    nums = [(i, n) for i in range(len(toks)) if (n := _number(toks, i)) is not None]
    for i, t in enumerate(toks):
        kind = next((k for k, words in v["figures"].items() if t.lemma in words), None)
        if kind is None or kind in out:
            continue
        if i + 1 < len(toks) and toks[i + 1].lemma == "нет" or i > 0 and toks[i - 1].lemma == "не" \
                and kind != "arrested":
            out[kind] = Count(0, 0, toks[i].text, t.start, t.end)
            continue
        listed = _listed(toks, i) if kind != "arrested" else 0
        if listed and not any(i < j <= i + 2 for j, _ in nums):
            # "погибли продавец, офицер и военнослужащий": the people named one by one are counted
            out[kind] = Count(listed, listed, toks[i + 1].text, toks[i + 1].start, toks[i + 1].end)
            continue
        near = [(abs(j - i) + (0.5 if j < i else 0), j, n) for j, n in nums if abs(j - i) <= 6]
        if not near:
            continue
        _, j, (_n, lo, hi) = min(near)
        counted = {x.lemma for x in toks[j + 1:j + 3]} | {x.lemma for x in toks[i + 1:i + 2]}
        if counted & set(v["attackers"]):
            continue    # "убиты 6 нападавших": the attackers, not the victims
        extra = _summed(toks, j, dict(nums), v)
        if extra and lo is not None and hi is not None:
            lo, hi = lo + extra, hi + extra
        out[kind] = Count(lo, hi, toks[j].text, toks[j].start, toks[j].end)
    return out


def _listed(toks: list[Token], i: int) -> int:
    """How many people the words right after figure word i name one by one, each a singular noun of a
    person ("солдат и сотрудник милиции": 2; "Кириллов и его помощник": 2), with their modifiers."""
    morph, n = _morph(), 0
    for t in toks[i + 1:i + 12]:
        if t.lemma in vocabulary().data["list_joiners"]:
            continue
        parses = morph.parse(t.text)
        if any(p.tag.POS == "NOUN" and {"anim", "sing", "nomn"} <= p.tag.grammemes for p in parses) or \
                t.capital and t.text.lower().endswith(tuple(vocabulary().data["surname_endings"])):
            n += 1   # ... or a surname the dictionary lacks ("Кириллов")
        elif not any(p.tag.POS in ("ADJF", "PRTF", "NPRO") or p.tag.POS == "NOUN" and "gent" in p.tag
                     for p in parses):
            break    # a preposition, a verb, a number: the list is over
    return n


def _summed(toks: list[Token], j: int, nums: dict[int, tuple[int, int | None, int | None]], v: dict) -> int:
    """What the groups counted after the first add ("убиты три охранника и 29 заключенных": 3 + 29), up to
    the next figure word or the attackers."""
    total, k = 0, j + 1
    figure_words = {w for words in v["figures"].values() for w in words}
    while k < len(toks) and k <= j + 8:
        if toks[k].lemma in figure_words or toks[k].lemma in v["attackers"]:
            break
        after = {x.lemma for x in toks[k + 1:k + 4]}
        if k in nums and toks[k - 1].lemma in ("и", "также") and k + 1 < len(toks) \
                and toks[k + 1].lemma not in v["attackers"] and not after & figure_words:
            total += nums[k][0]     # not "пять погибли и 12 получили ранения": that is the next figure's
        k += 1
    return total


# -- dates ------------------------------------------------------------------------------------------


def _years_ago(toks: list[Token]) -> int:
    """'год назад' 1, 'два года назад' / '5 лет назад' that many; 0 when the sentence says none."""
    v = vocabulary().data
    for i, t in enumerate(toks[:-1]):
        if t.lemma == "год" and toks[i + 1].lemma == "назад":
            prev = toks[i - 1] if i else None
            if prev is not None and (prev.text.isdigit() or prev.lemma in v["numbers"]):
                return int(prev.text) if prev.text.isdigit() else int(v["numbers"][prev.lemma])
            return 1
    return 0


def _year_for(month: int, day: int | None, pub: date | None) -> int | None:
    if pub is None:
        return None
    return pub.year if (month, day or 1) <= (pub.month, pub.day) else pub.year - 1


def dates(toks: list[Token], pub: date | None) -> tuple[DateValue | None, str | None]:
    """The sentence's most precise date (or, without a publication date, the day it states as a hint): a
    day and month ("во вторник, 17 декабря") before a weekday, a weekday before a month, a month before a year."""
    found = list(_dates(toks, pub))
    if not found:
        return None, None
    _, when, hint = min(found, key=lambda f: f[0])
    return when, hint


def _dates(toks: list[Token], pub: date | None) -> Iterator[tuple[int, DateValue | None, str | None]]:
    """(rank, date, hint) for every date the sentence states; rank 0 is the most precise."""
    v = vocabulary().data
    if pub is not None:
        pub = pub.replace(year=pub.year - _years_ago(toks))    # "Год назад, 29 июля": a year before the report
    for i, t in enumerate(toks):
        if t.text.isdigit() and i + 1 < len(toks) and toks[i + 1].lemma in v["months"] and int(t.text) <= 31:
            day, month = int(t.text), int(v["months"][toks[i + 1].lemma])
            year = int(toks[i + 2].text) if i + 2 < len(toks) and toks[i + 2].text.isdigit() and \
                len(toks[i + 2].text) == 4 else _year_for(month, day, pub)
            span = (t.start, toks[i + 1].end)
            if year is None:
                yield 0, None, f"--{month:02d}-{day:02d}"
                continue
            try:
                yield 0, DateValue(date(year, month, day).isoformat(), "day", *span, t.text), None
            except ValueError:
                continue
        if t.lemma in v["months"] and i > 0 and toks[i - 1].lemma == "в":
            month = int(v["months"][t.lemma])
            year = int(toks[i + 1].text) if i + 1 < len(toks) and toks[i + 1].text.isdigit() and \
                len(toks[i + 1].text) == 4 else _year_for(month, None, pub)
            if year is not None:
                yield 2, DateValue(f"{year:04d}-{month:02d}", "month", t.start, t.end, t.text), None
        if t.lemma in v["weekdays"] and i > 0 and toks[i - 1].lemma in ("в", "во"):
            wd = int(v["weekdays"][t.lemma])
            if pub is None:
                yield 1, None, f"-W-{wd}"
                continue
            day_ = pub - timedelta(days=(pub.isoweekday() - wd) % 7)
            yield 1, DateValue(day_.isoformat(), "day", t.start, t.end, t.text), None
        if t.lemma in v["relative_days"] and pub is not None:
            day_ = pub + timedelta(days=int(v["relative_days"][t.lemma]))
            yield 1, DateValue(day_.isoformat(), "day", t.start, t.end, t.text), None
        if t.text.isdigit() and len(t.text) == 4 and 1990 <= int(t.text) <= 2100 and \
                i + 1 < len(toks) and toks[i + 1].lemma == "год" and i > 0 and toks[i - 1].lemma == "в":
            yield 3, DateValue(t.text, "year", t.start, t.end, t.text), None


# -- places, groups, nationality ------------------------------------------------------------------


def _translit(word: str) -> str:
    table = vocabulary().data["translit"]
    return "".join(table.get(ch, ch) for ch in word.lower())


def places(toks: list[Token], gaz: Gazetteer, prefer: tuple[str, ...]) -> list[tuple[Place, Token]]:
    """Places named in the sentence, by their lemma: a Cyrillic alias, else its transliteration."""
    out = []
    for i, t in enumerate(toks):
        if not t.capital or t.text.isupper() or not t.noun:
            continue    # an abbreviation, or a dateline's city ("МОСКВА, 15 авг — РИА Новости")
        cued = t.geo or i > 0 and toks[i - 1].lemma in ("в", "во", "под", "из", "у", "близ", "около", "район")
        if i == 0 and not t.geo:
            continue    # a sentence's first word is capitalised anyway
        found = None
        for name in (t.lemma.title(), t.text, _translit(t.lemma).title()):
            found = _resolve(gaz, name, prefer)
            if found is not None:
                break
        # Without a tag or a preposition, a capitalised word is a place only in a country the report names
        # ("в трех районах Актобе (Казахстан)"), never a surname that is also some town's name.
        if found is not None and (cued or found.country in prefer) and found.kind in _PLACE_KINDS \
                and found.kind != "region":
            out.append((found, t))
    return out


def _resolve(gaz: Gazetteer, name: str, prefer: tuple[str, ...]) -> Place | None:
    """The best-known place of that name; one in a country the report names only if it is a province or
    a town of some size (a Tajik village called Moskva is not Moscow)."""
    best = gaz.resolve(name)
    if best is None or not prefer or best.country in prefer:
        return best
    near = gaz.resolve(name, prefer)
    if near is not None and near.country in prefer and (near.kind in ("admin1", "admin2") or near.population >= 20_000):
        return near
    return best


def _best_place(found: list[tuple[Place, Token]]) -> Place | None:
    if not found:
        return None
    return min(found, key=lambda pt: (_PLACE_KINDS.get(pt[0].kind, 5), pt[1].start))[0]


def groups(toks: list[Token]) -> list[tuple[str, int]]:
    """Groups named in the sentence (by lemma sequence): (name, offset)."""
    lemmas = [t.lemma for t in toks]
    out = []
    i = 0
    while i < len(toks):
        hit = next(((alias, name) for alias, name in vocabulary().groups
                    if tuple(lemmas[i:i + len(alias)]) == alias), None)
        if hit is not None:
            out.append((hit[1], toks[i].start))
            i += len(hit[0])
        else:
            i += 1
    return out


def nationalities(toks: list[Token]) -> list[str]:
    """'граждане Таджикистана', 'уроженец Узбекистана', 'таджик' next to the perpetrators' words."""
    v = vocabulary().data
    out: list[str] = []
    lemmas = [t.lemma for t in toks]
    near_perp = any(w in lemmas for w in v["perpetrator_words"])
    for i, t in enumerate(toks):
        iso = None
        if t.lemma in v["nationality_heads"] and i + 1 < len(toks):
            iso = v["countries"].get(toks[i + 1].lemma)
        elif t.lemma in v["demonyms"] and near_perp:
            iso = v["demonyms"][t.lemma]
        if iso and iso not in out:
            out.append(iso)
    return out


# -- the document -----------------------------------------------------------------------------------


def _triggers(toks: list[Token]) -> list[tuple[str, str | None, Token]]:
    v = vocabulary().data
    lemmas = {t.lemma for t in toks}
    out = []
    for t in toks:
        hit = v["triggers"].get(t.lemma)
        if hit is None or t.lemma.startswith("_"):
            continue
        needs = v["needs"].get(t.lemma)
        if needs and not lemmas & set(needs):
            continue
        out.append((hit[0], hit[1], t))
    return out


def _event(trigs: list[tuple[str, str | None, Token]], figs: dict[str, Count]) -> tuple[str, str | None]:
    kinds = [k for k, _, _ in trigs]
    attack_types = [a for k, a, _ in trigs if k == "attack" and a]
    attack_type = next((a for a in attack_types if a == "suicide_bombing"), attack_types[0] if attack_types else None)
    if "plot" in kinds and not (figs.get("killed") and figs["killed"].min):
        return "plot", None
    if "arrest" in kinds and not figs.get("killed"):
        return "arrest", None
    if "attack" in kinds:
        return "attack", attack_type
    if "security_operation" in kinds:
        return "security_operation", None
    return kinds[0], None


def _relevant(toks_all: list[Token]) -> bool:
    v = vocabulary().data
    lemmas = {t.lemma for t in toks_all}
    claimed = {"взять", "ответственность"} <= lemmas     # "взяла на себя ответственность"
    return bool(lemmas & set(v["markers"]["words"]) or claimed or groups(toks_all))


def _planned(trigs: list[tuple[str, str | None, Token]]) -> bool:
    """An arrest or a foiling told with the attack it stopped ("задержали ..., готовивших нападение")."""
    kinds = {k for k, _, _ in trigs}
    return bool(kinds & {"arrest", "plot"}) and "attack" in kinds


def _published(doc: Document) -> date | None:
    if not doc.published or len(doc.published) < 10 or doc.published_inferred:
        return None
    try:
        return date.fromisoformat(doc.published[:10])
    except ValueError:
        return None


def extract_russian(doc: Document, gaz: Gazetteer | None = None) -> list[Mention]:
    """Incident mentions of one Russian document."""
    gaz = gaz or Gazetteer.default()
    sents = [s for s in split_sentences(doc.text) if s.text.strip()]
    toks = {s.index: tokens(s) for s in sents}
    every = [t for s in sents for t in toks[s.index]]
    trigs_of = {s.index: _triggers(toks[s.index]) for s in sents}
    if not _relevant(every) and not any(_planned(t) for t in trigs_of.values()):
        return []
    pub = _published(doc)
    v = vocabulary().data
    named = {v["countries"][t.lemma] for t in every if t.lemma in v["countries"]}
    prefer = tuple(sorted(named))
    lead = sents[:LEAD_SENTENCES]
    lead_toks = [t for s in lead for t in toks[s.index]]
    lead_date, lead_hint = dates(lead_toks, pub)
    lead_place = _best_place(places(lead_toks, gaz, prefer))
    placed_of = {s.index: places(toks[s.index], gaz, prefer) for s in sents}
    prov = Provenance(doc.id, EXTRACTOR_RU, "1")
    out: list[Mention] = []
    off_topic = set(v["off_topic"])
    pending: dict[str, Count] = {}
    for s in sents:
        ts = toks[s.index]
        trigs = trigs_of[s.index]
        figs = figures(ts)
        if not trigs:
            if figs and out:    # "Погибли 20 человек": the event before
                for k, c in figs.items():
                    if getattr(out[-1], k) is None:
                        setattr(out[-1], k, c)
            elif figs and s in lead:     # ... or, in the lead, the event the report goes on to name
                pending.update({k: c for k, c in figs.items() if k not in pending})
            continue
        if {t.lemma for t in ts} & off_topic and not {t.lemma for t in ts} & set(v["markers"]["words"]):
            continue
        event_type, attack_type = _event(trigs, figs)
        when, hint = dates(ts, pub)
        place = _best_place(placed_of[s.index])
        in_lead = s in lead
        first = not out
        if when is None and hint is None and first:
            when, hint = lead_date, lead_hint
            if when is None and in_lead and pub is not None:
                when = DateValue(pub.isoformat(), "day", qualifier="reported")
        if place is None and first:
            place = lead_place
        gs = groups(ts)
        nat = nationalities(ts)
        if not (when or hint or figs or place or gs) or not in_lead and not (when or hint or figs or gs or nat):
            continue    # an event word with nothing of its own, past the lead: an aside
        m = Mention(id="", doc=doc.name, doc_id=doc.id, event_type=event_type,
                    evidence=Evidence(s.text, s.start, s.end), provenance=prov, attack_type=attack_type,
                    date=when, country=place.country if place else (prefer[0] if len(prefer) == 1 else None),
                    location=place.name if place else None, place=place,
                    perpetrator=gs[0][0] if gs and event_type in ("attack", "plot", "arrest") else None,
                    perpetrator_nationality=nat, killed=figs.get("killed"), wounded=figs.get("wounded"),
                    arrested=figs.get("arrested") if event_type in ("arrest", "plot") else None,
                    date_hint=hint if when is None else None, confidence=0.5)
        m.id = hashlib.sha1(f"{doc.id}:{s.start}:{event_type}".encode()).hexdigest()[:16]
        if first:
            for k, c in pending.items():
                if getattr(m, k) is None and (k != "arrested" or event_type in ("arrest", "plot")):
                    setattr(m, k, c)
        out.append(m)
    _complete(out, every, [pt for s in sents for pt in placed_of[s.index]])
    if {t.lemma for t in lead_toks} & set(v["looks_back"]):    # "Год назад, 29 июля ..." — a remembrance
        out = [m for m in out if _fresh(m.date, pub, int(v["looks_back_days"]))]
    return one_report(_fold_tellings(out))


def _fresh(when: DateValue | None, pub: date | None, days: int) -> bool:
    """Dated to the day within ``days`` before the report (not its filing date): news, not a recollection."""
    if when is None or pub is None or _reported(when) or len(when.iso) < 10:
        return False
    return 0 <= (pub - date.fromisoformat(when.iso)).days <= days


def _complete(mentions: list[Mention], every: list[Token], placed: list[tuple[Place, Token]]) -> None:
    """What a sentence leaves out, the report says elsewhere: the one group it names (the perpetrator of
    its attacks, plots, arrests and riots), the means its words tell (смертник, ракета, автомат), a town
    in the country a mention is placed in only by its country."""
    v = vocabulary().data
    named = list(dict.fromkeys(name for name, _ in groups(every)))
    words = [v["attack_words"][t.lemma] for t in every if t.lemma in v["attack_words"]]
    for m in mentions:
        if m.perpetrator is None and len(named) == 1 and m.event_type in ("attack", "plot", "arrest", "unrest"):
            m.perpetrator = named[0]
        if m.event_type in ("attack", "plot") and m.attack_type is None:
            own = [v["attack_words"][t.lemma] for t in every if m.evidence.start <= t.start < m.evidence.end
                   and t.lemma in v["attack_words"]]
            pick = own or words
            if pick:
                m.attack_type = "suicide_bombing" if "suicide_bombing" in pick else max(set(pick), key=pick.count)
        if m.place is not None and m.place.kind == "country":
            town = next((p for p, _ in placed if p.country == m.place.country and p.kind in ("city", "venue")), None)
            if town is not None:
                m.place, m.location = town, town.name


def _reported(d: DateValue | None) -> bool:
    return d is not None and d.qualifier == "reported"


def _same_time(a: DateValue | None, b: DateValue | None) -> bool:
    """No day of its own on one side (a filing date counts as none), or the same at the coarser precision."""
    if a is None or b is None or _reported(a) or _reported(b):
        return True
    return a.iso[:len(b.iso)] == b.iso[:len(a.iso)]


def _followup(host: Mention, m: Mention) -> bool:
    """The attack's aftermath: attackers killed, arrested or fought after the attack the report leads with."""
    return host.event_type == "attack" and m.event_type in ("arrest", "security_operation", "clash")


def _fold_tellings(mentions: list[Mention]) -> list[Mention]:
    """A later mention of the same family that states no other day or country is the report's incident told
    again (its figures, group and place complete the first telling); Russian reports rarely name the
    incident twice the same way, so the fusion rule's test is too strict here."""
    rule = Rule.load()
    out: list[Mention] = []
    for m in mentions:
        host = next((h for h in out if (rule.family(h.event_type) == rule.family(m.event_type) or _followup(h, m))
                     and _same_time(h.date, m.date)
                     and (m.country is None or h.country is None or m.country == h.country)), None)
        if host is None:
            out.append(m)
            continue
        if _reported(host.date) and m.date is not None and not _reported(m.date):
            host.date = m.date     # the day the report states beats the day it was filed
        for f in ("attack_type", "perpetrator", "killed", "wounded", "arrested", "date", "date_hint"):
            if getattr(host, f) is None and getattr(m, f) is not None:
                setattr(host, f, getattr(m, f))
        if host.place is None and m.place is not None:
            host.place, host.location, host.country = m.place, m.location, m.country or host.country
        host.perpetrator_nationality = list(dict.fromkeys(host.perpetrator_nationality + m.perpetrator_nationality))
    return out

"""Attribution: who a report holds responsible, the attackers' nationality, and the claim status.

A claim or attribution credits the armed group it names (never a spokesman's or a governing group);
a denied claim credits nobody unless the sentence turns ("but officials blamed ..."); in a report about
one attack, its claim and the perpetrators' nationality (from sentences about them) belong to it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Callable

from amu.extract.actors import about_perpetrators, find_groups, nationalities
from amu.extract.frames import Frame
from amu.extract.lexicon import lexicon
from amu.extract.sentences import Sentence
from amu.places.gazetteer import Gazetteer
from amu.records import STATUSES, Document


SUSPECTS = re.compile(r"\b(?:suspects?|suspected|gunm[ae]n|attackers?|assailants?|perpetrators?|bombers?|"
                       r"in connection with|over the (?:attack|bombing|shooting))\b", re.I)


_REFERS_BACK = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:attack|assault|bombing|blast|shooting|explosion|"
                          r"killing|massacre|riot|raid|plot)s?\b|\bclaimed it\b|\bresponsibility\b", re.I)


_CLAIM_WORDS = re.compile(r"\b(?:claim(?:ed|s)?|responsibility|blamed|points? to|attributed|affiliate)\b", re.I)


def _credits(text: str) -> bool:
    """A sentence that credits a group: the words above, or a claimed or attributed status cue of
    triggers.json ("on behalf of", "carried out by", "responsible for")."""
    return any(p.search(text) for p in _credit_patterns())


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], ...]:
    cues = dict(lexicon().status)
    return _CLAIM_WORDS, cues["claimed"], cues["attributed"]


def attribute_single_incident(doc: Document, sents: list[Sentence], frames: list[Frame], gaz: Gazetteer) -> None:
    """In a report about one attack or plot, the report's claim and the attackers' nationality belong to it.

    Arrests of "the suspects" in such a report add their number to the attack too.
    """
    main = [f for f in frames if f.event_type in ("attack", "plot")]
    if len(main) != 1:
        return
    fr = main[0]
    by_index = {s.index: s for s in sents}
    for other in frames:
        if other.event_type == "arrest" and SUSPECTS.search(by_index[other.sentence_index].text):
            if not any(f.role == "arrested" for f in fr.figures):
                fr.figures += [f for f in other.figures if f.role == "arrested"][:1]
            fr.nationality = sorted(set(fr.nationality) | set(other.nationality))
    if fr.perpetrator is None:
        best = _best_credit(sents)
        if best is not None:
            fr.perpetrator, fr.perpetrator_inferred = best, True
    if not fr.nationality:
        # Only sentences about the perpetrators: victims' nationalities are not theirs.
        # (or right after one: "Two suspects were held. One is from Tajikistan, the other from Russia.")
        about = [s for i, s in enumerate(sents) if SUSPECTS.search(s.text) or about_perpetrators(s.text)
                 or i and (SUSPECTS.search(sents[i - 1].text) or about_perpetrators(sents[i - 1].text))]
        nats = {iso for s in about for iso, _ in nationalities(s.text, nationality_lookup(gaz))}
        fr.nationality = sorted(nats)


def _best_credit(sents: list[Sentence]) -> str | None:
    """The group a report credits most strongly: a claim before an official attribution before an allegation
    ("The Taliban claimed it; sources also attributed it to ISKP"), then the group credited most often, then
    the one credited first, and in one sentence the one named first ("ISKP and the Taliban each claimed it")."""
    rank = {k: i for i, k in enumerate(STATUSES)}
    seen: dict[str, tuple[int, int, int]] = {}
    count: Counter[str] = Counter()
    for n, sent in enumerate(sents):
        part = _claim_part(sent.text)
        if not _credits(part):
            continue
        status = min((rank[k] for k, pat in lexicon().status if k in rank and pat.search(part)), default=len(rank))
        for name, at in _credited(part).items():
            count[name] += 1
            seen[name] = min(seen.get(name, (status, n, at)), (status, n, at))
    if not seen:
        return None
    return min(seen, key=lambda g: (seen[g][0], -count[g], seen[g][1], seen[g][2], g))


@lru_cache(maxsize=4)
def nationality_lookup(gaz: Gazetteer) -> "Callable[[str], str | None]":
    """Demonym or country name -> ISO code, memoised (called for every capitalised word)."""
    @lru_cache(maxsize=65536)
    def lookup(word: str) -> str | None:
        return gaz.demonym(word) or country_name(gaz, word)
    return lookup


def attribute_nearby_claims(sents: list[Sentence], frames: list[Frame]) -> None:
    """An attack with no group named gets the group of a claim reported with it or in the next sentence.

    "Gunmen opened fire at the church ... The Islamic State claimed the attack the next day."
    Only a claim naming exactly one armed group counts.
    """
    for fr in frames:
        if fr.perpetrator is not None or fr.event_type not in ("attack", "plot", "unrest"):
            continue
        for s in sents[fr.sentence_index:fr.last_index + 2]:
            # The claim must be about this event: in its sentence, or the next one referring back to it.
            part = _claim_part(s.text)
            if not _credits(part):
                continue
            if s.index > fr.last_index and not _REFERS_BACK.search(s.text):
                continue
            names = claimants(part)
            if len(names) == 1:
                fr.perpetrator, fr.perpetrator_inferred = names.pop(), True
                break


# A group followed by one of these speaks or governs here; it is not the claimant ("a Taliban spokesman said").
_SPEAKER_AFTER = re.compile(r"^(?:'s|’s)?\s*(?:-led\s+)?(?:spokes(?:man|men|woman|person|persons)|officials?|"
                            r"government|administration|authorities|police|forces|governor|ministry|minister|"
                            r"intelligence|security|commanders?\s+said|leaders?\s+said|interior|media office|"
                            r"statement said)\b", re.I)


# "claimed responsibility", "attributed the attack to", "blamed": the group named with these is the perpetrator.
_CLAIM_WORD = re.compile(r"\b(?:claim(?:ed|s|ing)?|responsib|attribut|blam|suspect|behind)", re.I)


def claimants(sentence: str) -> set[str]:
    """Groups a claim or attribution sentence credits with an attack: any armed group (the Taliban too, as
    before 2021), never a group that only speaks or governs in it, nor a victim."""
    return set(_credited(sentence))


def _credited(sentence: str) -> dict[str, int]:
    """The groups :func:`claimants` gives, each with where the sentence first names it."""
    first: dict[str, int] = {}
    out = set()
    for g in find_groups(sentence):
        first.setdefault(g.name, g.start)
        if g.victim or _SPEAKER_AFTER.match(sentence[g.end:g.end + 40].lstrip(" -")):
            continue
        if g.kind == "de_facto_authority" and (g.agent_state or not _CLAIM_WORD.search(sentence)):
            continue
        out.add(g.name)
    return {name: first[name] for name in out}


def country_name(gaz: Gazetteer, word: str) -> str | None:
    place = gaz.resolve(word)
    return place.country if place is not None and place.kind == "country" else None


_NO_CLAIM = re.compile(r"\b(?:no (?:group|one|organi[sz]ation)|nobody|not (?:yet |immediately )?(?:been )?claimed|"
                       r"(?:has|have|had|did) not (?:yet |immediately )?claim|without (?:a )?claim|"
                       r"no (?:immediate |initial )?claims? (?:of|for)|no (?:immediate )?responsibility)", re.I)


# "No group claimed it, but officials blamed the TTP": what follows the turn may still attribute it.
_TURN = re.compile(r"\b(?:but|however|though|although|yet)\b", re.I)


def _claim_part(sentence: str) -> str:
    """The part of a sentence that may credit a group: all of it, or after the turn of a denied claim."""
    if not _NO_CLAIM.search(sentence):
        return sentence
    turn = _TURN.search(sentence, _NO_CLAIM.search(sentence).end())
    return sentence[turn.end():] if turn else ""


def status_of(text: str, fr: Frame) -> str | None:
    found = {k for k, pat in lexicon().status if pat.search(text)}
    if _NO_CLAIM.search(text):
        found.discard("claimed")   # "No group immediately claimed the bombing"
    if "disputed" in found:
        return "disputed"
    if fr.event_type == "plot" and ("foil" in fr.roles or "foiled" in found or "arrest" in fr.roles):
        return "foiled"
    for k in ("claimed", "attributed", "alleged"):
        if k in found:
            return k
    return None

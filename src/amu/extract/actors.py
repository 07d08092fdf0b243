"""Actors in a sentence: armed groups (with their role), state agents and perpetrator nationality.

Groups are found with the alias table in ``amu/data/actors.json``. Roles are
read from the words around a group: "the Taliban governor" names a victim,
"Tajik security forces" a state agent, "two Pakistani ISKP operatives" the
perpetrators' nationality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from amu.extract.lexicon import canonical_group, cue_words, lexicon

Lookup = Callable[[str], "str | None"]

_TARGET_BEFORE = re.compile(
    r"(?:against|targeting|targeted|target|on|hostile to|relations with|war on|fight against|pressure on|"
    r"crack(?:ed|ing)? down on|suppress|hideouts of|defect(?:ed|ors)? from|from the)\s+(?:the\s+)?"
    r"(?:alleged\s+|suspected\s+)?$",
    re.IGNORECASE,
)
_SUBJECT_AFTER = re.compile(
    r"^\s*(?:\([^)]{1,20}\)\s*)?(?:'s\s+|’s\s+)?(?:has\s+|had\s+|have\s+|then\s+|also\s+|reportedly\s+|later\s+)*"
    r"(?:claimed|carried out|attacked|killed|detonated|launched|fired|stormed|struck|targeted|conducted|"
    r"threatened|released|raided|arrested|detained|captured|said|announced)\b",
    re.IGNORECASE,
)
_HARM_BEFORE = re.compile(r"\b(?:killed|killing|assassinated|assassination of|murder(?:ed)? of|murdered|shot|"
                          r"targeted|targeting|attack(?:ed)? on|ambushed|kidnapped|abducted)\b", re.I)
_HARM_AFTER = re.compile(r"^(?:(?!\b(?:said|says|told|claimed|and)\b)[^.;:]){0,45}?\b(?:(?:was|were|had been|has been|is)\s+(?:\w+\s+)?)?(?:killed|shot|"
                         r"assassinated|murdered|wounded|injured|kidnapped|abducted|targeted)\b(?!\s+(?:\d|a\b|an\b|the\b|two|three|four|five|six|seven|eight|nine|ten|dozens|several|more|over|at least))",
                         re.I)
# "Five PKK members, including a woman, were killed": the group's own members are the ones harmed.
_PASSIVE_HARM = re.compile(r"^[^.;:]{0,45}?\b(?:was|were|had been|have been|has been)\s+(?:\w+\s+)?"
                           r"(?:killed|shot dead|wounded|injured)\b", re.I)
_ANAPHOR = re.compile(r"\b(?:the (?:terror |terrorist |militant |jihadist |extremist )?group|the organi[sz]ation|"
                      r"the movement)(?:'s|’s)?\b|\bits\b", re.IGNORECASE)
_COUNTRY_SUBJECT = re.compile(r"^\s*(?:\([A-Z][\w.-]{1,10}\)\s*)?(?:has\s+|have\s+|had\s+|reportedly\s+|also\s+)*"
                              r"(?:claimed|said|announced|killed|arrested|detained|busted|foiled|thwarted|captured|"
                              r"struck|raided|eliminated|neutrali[sz]ed|carried out|dismantled|uncovered|exposed|"
                              r"broke up)\b", re.I)
# ... and what a state body does, rather than says ("the SSS has dismantled a cell", not "the FSB said").
_BODY_ACTS = re.compile(r"^\s*(?:\([A-Z][\w.-]{1,10}\)\s*)?(?:has\s+|have\s+|had\s+|reportedly\s+|also\s+)*"
                        r"(?:killed|arrested|detained|busted|foiled|thwarted|captured|raided|eliminated|"
                        r"neutrali[sz]ed|dismantled|uncovered|exposed|broke up)\b", re.I)
# "a national of Tajikistan", "citizens of Uzbekistan" (the demonym table maps country names too).
_CITIZEN_OF = re.compile(r"\b(?:nationals?|citizens?|natives?)\s+of\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
_NATIONALITY_BEFORE = re.compile(r"(?:\b\d{1,2}-year-old|\b(?:all|both|each)(?:\s+of\s+them)?|"
                                 r"\b(?:is|are|was|were|comes?|came|hails?|hailed|originally)\s+from|"
                                 r"\bthe other\s+(?:is\s+)?from|\b(?:a|an)\s+(?:[\w-]+\s+)?(?:citizen|national)\s+of)\s+$",
                                 re.I)
_VICTIM_BEFORE = re.compile(rf"\b(?:{cue_words('victim_before')})\b[^.;]*$", re.I)
_ABOUT_PERPETRATORS = re.compile(r"\b(?:suspects?|suspected|suspicion|attackers?|assailants?|gunm[ae]n|bombers?|"
                                 r"perpetrators?|militants?|members?|recruits?|arrested|detained|charged|convicted|"
                                 r"accused|confessed|responsible|carried out|carrying out|plotted|planned|"
                                 r"turned (?:himself|herself|themselves) in)\b", re.I)


def about_perpetrators(sentence: str) -> bool:
    """The sentence speaks of an attack's perpetrators or suspects."""
    return bool(_ABOUT_PERPETRATORS.search(sentence))
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class GroupHit:
    name: str        # canonical group (media wings credited to their parent)
    kind: str        # militant, de_facto_authority, media_wing
    start: int       # document offsets
    end: int
    victim: bool     # the group is the target or victim here
    subject: bool    # the group is the grammatical agent of a following event verb
    agent_state: bool  # the group acts as the state (e.g. Taliban forces, GDI)


@dataclass(frozen=True)
class StateAgent:
    country: str | None
    start: int
    end: int
    text: str
    subject: bool = False   # the state is the subject of an action verb ("Russia claimed to have killed")
    victim: bool = False    # its forces are the ones hit ("twelve U.S. troops were killed", "an attack on Iranian guards")


def find_groups(sentence: str, offset: int = 0) -> list[GroupHit]:
    """Armed groups named in ``sentence`` with their role."""
    lex = lexicon()
    out: list[GroupHit] = []
    for m in lex.group_pattern.finditer(sentence):
        name = canonical_group(m.group(0))
        if name is None:
            continue
        raw = lex.groups[lex.group_alias[m.group(0).lower()]]
        after = sentence[m.end():m.end() + 40]
        before = sentence[max(0, m.start() - 40):m.start()]
        # "ISKP's", "ISKP’s": skip the possessive before looking at the noun that follows.
        after_noun = re.sub(r"^(?:'s|’s)", "", after)
        # "killed the Taliban governor", "a Taliban official was shot": the group is the victim's employer.
        noun = re.sub(r"^-[\w-]+", "", after_noun)
        victim = bool(_TARGET_BEFORE.search(before)) or bool(lex.victim_nouns.match(noun)) and (
            bool(_HARM_BEFORE.search(sentence[max(0, m.start() - 60):m.start()]))
            or bool(_HARM_AFTER.search(sentence[m.end():m.end() + 70]))) or \
            bool(lex.member_nouns.match(noun)) and bool(_PASSIVE_HARM.match(noun))
        state = raw.kind == "de_facto_authority" and (
            bool(lex.state_agent.match(after_noun.strip())) or raw.name != name or m.group(0).isupper()
            or bool(re.match(r"^\s*(?:'s|’s)?\s*(?:forces|intelligence|gdi|general directorate)", after, re.I))
        )
        out.append(GroupHit(name, lex.groups[name].kind, offset + m.start(), offset + m.end(), victim,
                            bool(_SUBJECT_AFTER.match(after)), state))
    return out


def has_group_anaphor(sentence: str) -> bool:
    """The sentence refers to a group without naming it ("the group", "its")."""
    return bool(_ANAPHOR.search(sentence))


def nationalities(sentence: str, demonym: Lookup, offset: int = 0) -> list[tuple[str, int]]:
    """Perpetrator nationalities stated in the sentence, with their offsets.

    A demonym counts when a perpetrator noun follows it ("Tajik nationals",
    "an Uzbek gunman", "two Pakistani ISKP operatives") or when it is used as a
    plural noun for people ("reportedly Tajiks"). A demonym before a state
    noun ("Tajik security forces") is a state agent, not a nationality.
    """
    lex = lexicon()
    out: list[tuple[str, int]] = []
    for m in _CITIZEN_OF.finditer(sentence):
        iso = demonym(m.group(1))
        if iso:
            out.append((iso, offset + m.start(1)))
    words = list(_WORD.finditer(sentence))
    for i, w in enumerate(words):
        token = w.group(0)
        if not token[0].isupper():
            continue
        iso = demonym(token)
        if iso is None:
            continue
        rest = sentence[w.end():w.end() + 60]
        if lex.state_nouns.match(rest):
            continue
        following = [x.group(0).lower() for x in words[i + 1:i + 5]]
        # Allow group names and adjectives between the demonym and its noun: "Pakistani ISKP operatives".
        noun_hit = False
        for j, f in enumerate(following):
            if f in lex.perpetrator_nouns:
                noun_hit = True
                break
            if j >= 2 or (f.islower() and f not in {"islamic", "state"} and not f.endswith("-linked")):
                # a lower-case non-perpetrator word ends the noun phrase: "Tajik government"
                if f not in {"islamic", "state", "is", "iskp"}:
                    break
        plural_noun = token.endswith("s") and token[:-1] and demonym(token[:-1]) == iso and not following[:1] == ["and"]
        listed = bool(re.search(r"[–—-]\s*(?:a|an)\s*$|,\s*(?:and\s+)?(?:a|an)\s*$", sentence[max(0, w.start() - 8):w.start()]))
        # "the gunman ... was an Uzbek who": the demonym as the predicate of a sentence about a perpetrator.
        listed = listed or bool(re.search(r"\b(?:was|were|is|are)\s+(?:an?\s+)?$", sentence[max(0, w.start() - 10):w.start()])
                                and re.search(r"\b(?:gunm[ae]n|attackers?|bombers?|assailants?|suspects?|perpetrators?|"
                                              r"shooters?)\b", sentence[:w.start()], re.I))
        # "Afghans were waiting": a plural demonym names the perpetrators only in a sentence about them.
        plural_noun = plural_noun and bool(_ABOUT_PERPETRATORS.search(sentence))
        # "a 30-year-old Tajik", "the suspects, all of them Tajik", "one is from Tajikistan".
        listed = listed or bool(_NATIONALITY_BEFORE.search(sentence[max(0, w.start() - 40):w.start()]))
        # "killing four cyclists, including one French citizen": a victim's nationality, not the attackers'.
        if _VICTIM_BEFORE.search(sentence[max(0, w.start() - 50):w.start()]) and not listed:
            continue
        if noun_hit or plural_noun or listed:
            out.append((iso, offset + w.start()))
    return out


# "U.S. troops were killed", "... killing two Pakistani soldiers", "an attack on Iranian border guards".
_HIT_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){1,3}(?:were|was|had been|have been)\s+(?:\w+\s+)?"
                        r"(?:killed|wounded|injured|hurt|attacked|targeted|ambushed)\b", re.I)
_HIT_BEFORE = re.compile(r"\b(?:killing|killed|wounding|wounded|injuring|injured|attack(?:s|ed)?\s+(?:on|against)|"
                         r"targeting|targeted|ambushed)\s+(?:(?!by\b)\w+\s+){0,3}$", re.I)   # not "killed by"


def state_agents(sentence: str, demonym: Lookup, country_of: Lookup, offset: int = 0) -> list[StateAgent]:
    """State actors that act in the sentence: "Tajik security forces", "Kyrgyz authorities", "the FSB"."""
    lex = lexicon()
    out: list[StateAgent] = []
    for w in _WORD.finditer(sentence):
        token = w.group(0)
        if not token[0].isupper():
            continue
        rest = sentence[w.end():w.end() + 60]
        rest = re.sub(r"^(?:'s|’s)", "", rest)
        if lex.state_nouns.match(rest):
            iso = demonym(token) or country_of(token)
            if iso:
                hit = bool(_HIT_AFTER.match(rest) or _HIT_BEFORE.search(sentence[max(0, w.start() - 40):w.start()]))
                out.append(StateAgent(iso, offset + w.start(), offset + w.end(), token, victim=hit))
        elif _COUNTRY_SUBJECT.match(rest):
            iso = country_of(token)
            if iso:
                out.append(StateAgent(iso, offset + w.start(), offset + w.end(), token, subject=True))
    for m in lex.state_bodies.finditer(sentence):
        # "the State Security Service (SSS) has dismantled a cell": a named body acting is a specific event.
        acts = bool(_BODY_ACTS.match(sentence[m.end():m.end() + 60]))
        out.append(StateAgent(None, offset + m.start(), offset + m.end(), m.group(0), subject=acts))
    return out

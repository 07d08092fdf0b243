"""Casualty and arrest figures: "killed over 140 people", "15 militants were detained", "dozens".

Figures are read as exact numbers or bounds (``Count``) and tied to a role
(killed, wounded, arrested) by the verb next to them. Word lists live in
``amu/data/figures.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from amu.extract.datescan import DAY_DATES
from amu.extract.lexicon import lexicon
from amu.extract.nlp import Arc
from amu.records import Count

ROLES = ("killed", "wounded", "arrested")


@dataclass(frozen=True)
class Figure:
    role: str          # killed, wounded, arrested
    count: Count       # span in document offsets
    anchor: int        # document offset of the verb, used to tie the figure to a trigger
    noun: str | None = None   # who the figure counts ("assailants", "people"), when the text says
    also: bool = False        # "which also killed 60 Afghans": counts more victims of the same event, to be added


def plus(a: Count, b: Count) -> Count:
    """Two figures of one role that add up ("twelve troops were killed ... which also killed at least 60"); the
    evidence span runs from the first to the second."""
    lo = (a.min or 0) + (b.min or 0)
    hi = a.max + b.max if a.max is not None and b.max is not None else None
    return Count(lo, hi, f"{a.text} + {b.text}", min(a.start, b.start), max(a.end, b.end))


# Up to four modifier words between a number and its noun ("eight Tajik nationals", "13 U.S. service members").
_MODS = r"(?:\s+[A-Za-z][\w'’-]*(?:\.[A-Z]\.?)?){0,4}?"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    fig = lexicon().figures
    numwords = [w for w in fig["numbers"]]
    counted = _alt([w for w in numwords if w not in ("a", "an")])   # number words, not the articles
    vague = list(fig["vague"])
    quals = list(fig["qualifiers"])
    # A number: digits (not a year-like 19xx/20xx standing alone, nor the day of an ISO date), number words,
    # or vague quantities.
    num = (
        rf"(?P<qual>(?:{_alt(quals)})\s+)?"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|(?<!\d{{4}}-\d\d-)\d+(?!\d)|(?:{_alt(numwords)})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_alt(vague)})(?![\w])"
    )
    mods = _MODS
    noun = rf"\s+(?P<noun>{_alt(fig['people_nouns'])})\b"
    tail = r"(?:\s+(?:(?!\b(?:and|were|was|who|which)\b)[^.;:\d]){0,60}?)?"  # "with ties to ISKP", "connected to the group"

    def verb_first(verbs: list[str], need_noun: bool = False) -> re.Pattern[str]:
        n = f"{mods}{noun}" if need_noun else f"(?:{mods}{noun})?"
        return re.compile(rf"\b(?P<verb>{_alt(verbs)})\s+{num}{n}", re.IGNORECASE)

    def number_first(words: list[str]) -> re.Pattern[str]:
        # Passive or stative reading only: "15 militants were killed", "139 dead". A bare verb
        # right after the noun ("three members killed 41 people") is active and is skipped.
        passive = [w for w in words if " " in w]
        stative = [w for w in words if " " not in w]
        return re.compile(
            rf"\b{num}(?:{mods}{noun})?(?:{tail}\s+(?P<verb>{_alt(passive)})\b|\s+(?P<verb2>{_alt(stative)})\b(?!\s+(?:\d|a\b|an\b|the\b|{_alt(list(lexicon().figures['numbers']))}\b)))",
            re.IGNORECASE,
        )

    # "two members of the embassy staff", "two embassy staff in Afghanistan"
    part = rf"{num}{mods}{noun}(?:\s+(?:of|in)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?"
    sep = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)(?:the\s+)?"   # "... as well as the 13 troops"
    died = [w for w in fig["died_words"]]
    hurt = [w for w in fig["wounded_words"]]
    return {
        # "At least two people and four assailants were killed": one figure over the coordinated parts.
        "killed_coord": re.compile(rf"\b(?P<seq>{_strip_names(part)}(?:{sep}{_strip_names(part)})+)"
                                   rf"{tail}\s+(?P<verb>{_alt(died)})\b", re.IGNORECASE),
        "wounded_coord": re.compile(rf"\b(?P<seq>{_strip_names(part)}(?:{sep}{_strip_names(part)})+)"
                                    rf"{tail}\s+(?P<verb>{_alt(hurt)})\b", re.IGNORECASE),
        # "killed two members of the embassy staff and four others"
        "killed_vcoord": re.compile(rf"\b(?P<verb>{_alt([v for v in fig['kill_verbs'] if v != 'left'])})\s+"
                                    rf"(?P<seq>{_strip_names(part)}(?:{sep}{_strip_names(part)})+)", re.IGNORECASE),
        "wounded_vcoord": re.compile(rf"\b(?P<verb>{_alt(fig['wound_verbs'])})\s+"
                                     rf"(?P<seq>{_strip_names(part)}(?:{sep}{_strip_names(part)})+)", re.IGNORECASE),
        # "ran over four cyclists near Danghara, killing them": the people just counted are the dead.
        "killed_them": re.compile(rf"\b(?P<num>\d{{1,3}}(?:,\d{{3}})*|{counted})"
                                  rf"{mods}{noun}[^.;:]{{0,80}}?,\s+(?P<verb>killing)\s+"
                                  rf"(?:them|all of them|them all|both of them|both|all four|all three|all two)\b",
                                  re.IGNORECASE),
        # "The police officer, Nasreen, was killed", "the employee was killed": one victim.
        "killed_thesingle": re.compile(rf"\b(?P<num>the)\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{_alt(sorted(_singular_nouns()))})"
                                       rf"(?:,\s[^,;]{{2,60}},)?\s+(?P<verb>was\s+(?:\w+\s+)?(?:killed|executed|shot dead|"
                                       rf"murdered|beheaded|shot and killed))\b", re.IGNORECASE),
        # "Kaker and his son were killed": a named victim and a relative.
        "killed_pair": re.compile(r"^\s*(?P<num>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+and\s+(?:his|her)\s+"
                                  r"(?:[\w-]+\s+)?(?:son|daughter|brother|sister|wife|husband|cousin|nephew|father|"
                                  r"mother|bodyguard|driver|guard|uncle)\s+(?P<verb>were\s+(?:\w+\s+)?(?:killed|executed|"
                                  r"shot dead))\b"),
        # "Noorullah Noori, the education department head, was killed": one named victim.
        "killed_named": re.compile(r"^\s*(?P<num>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})(?:,\s[^,;]{2,90},)?\s+"
                                   r"(?P<verb>was\s+(?:killed|shot dead|executed|assassinated|murdered|beheaded|"
                                   r"stabbed to death|publicly executed))\b"),
        # "The man was detained", "the suspect has been arrested": one person held.
        "arrested_single": re.compile(rf"\b(?P<num>the|a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:{_alt(fig['single_suspects'])})"
                                      r"(?:,\s[^,;]{2,60},)?\s+(?:was|has been|had been)\s+"
                                      r"(?:\w+\s+)?(?P<verb>arrested|detained|captured|apprehended|taken into custody)\b",
                                      re.I),
        # "Swedish police arrested a 39-year-old Uzbek man", "it detained a citizen from Uzbekistan": one held.
        "arrested_asingle": re.compile(rf"\b(?P<verb>arrested|detained|captured|apprehended)\s+(?P<num>a|an)\s+"
                                       rf"(?:[\w-]+\s+){{0,2}}?(?:{_alt(fig['single_suspects'])})\b(?!-)"
                                       rf"(?!\s+and\s+(?:\d|{counted})\b)", re.I),
        # "killed two officers and wounded another", "two were killed and one was seriously wounded": one more.
        "wounded_another": re.compile(rf"\b(?P<verb>wounded|injured|wounding|injuring)\s+(?P<num>another|one other)\b"
                                      rf"(?!\s+(?:\d|{counted})\b)", re.I),
        "wounded_onewas": re.compile(r"\band\s+(?P<num>one|another)\s+(?:other\s+)?was\s+(?:\w+\s+)?"
                                     r"(?P<verb>wounded|injured|hurt)\b", re.I),
        "killed_v": verb_first([v for v in fig["kill_verbs"] if v != "left"]),
        "wounded_v": verb_first(fig["wound_verbs"]),
        "arrested_v": verb_first(fig["arrest_verbs"], need_noun=False),
        "killed_left": re.compile(rf"\b(?P<verb>left)\s+{num}(?:{mods}{noun})?\s+dead\b", re.IGNORECASE),
        # "the death toll from Friday's shooting ... had reached 139"
        "killed_toll": re.compile(rf"\b(?P<verb>death toll|toll)\b[^.;]{{0,160}}?\s(?:rose to|risen to|climbed to|reached|"
                                  rf"stood at|stands at|hit|of|to|at)\s+{num}", re.IGNORECASE),
        # "killed the Taliban governor of Balkh": one named office-holder
        "killed_the": re.compile(rf"\b(?P<verb>killed|killing|assassinated|murdered|shot dead)\s+(?P<num>the)"
                                 rf"(?:\s+[\w-]+){{0,2}}?\s+(?P<noun>{_alt(fig['singular_victims'])})\b(?!s)"),
        "killed_n": number_first(fig["died_words"]),
        "wounded_n": number_first(fig["wounded_words"]),
        "arrested_n": number_first(fig["arrested_words"]),
    }


# Patterns whose match is a fixed number of people, and those of them that start at a victim's name.
_FIXED = {"arrested_single": 1, "killed_thesingle": 1, "killed_pair": 2, "killed_named": 1,
          "wounded_another": 1, "wounded_onewas": 1, "arrested_asingle": 1}
_NAMED = frozenset({"killed_pair", "killed_named"})

# Capitalised sentence openers that are not a victim's name.
_NOT_NAMES = frozenset("the a an he she it this that one no none nobody everyone someone each another his her "
                       "their its our police officials".split())


@lru_cache(maxsize=1)
def _singular_nouns() -> frozenset[str]:
    """People nouns naming one person ("policeman", "police officer"), not a group ("staff", "police")."""
    return frozenset(w.lower() for w in lexicon().figures["people_nouns"]
                     if not w.lower().endswith(("s", "people", "personnel", "staff", "police")))


@lru_cache(maxsize=1)
def _perpetrator_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon().figures["perpetrator_nouns"])


_SUBSET = re.compile(r"\b(?:including|among them|of whom|among whom)\s+(?:at least\s+|some\s+)?(?=\d|(?:one|two|three|four|"
                     r"five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty|several|dozens|"
                     r"scores|hundreds)\b)(?:(?!\b(?:were|was|are|is|have|has|had)\b)[^;.])*?"
                     r"(?=\s*,?\s*\b(?:were|was|are|is|have|has|had)\b|,\s*(?:and|but|while)\b|[;.]|$)", re.I)


def _strip_names(pattern: str) -> str:
    """The same pattern without named groups (to repeat it inside another)."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@lru_cache(maxsize=1)
def _part_pattern() -> re.Pattern[str]:
    fig = lexicon().figures
    return re.compile(
        rf"(?:(?P<qual>{_alt(list(fig['qualifiers']))})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?!\d)|"
        rf"(?:{_alt(list(fig['numbers']))})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
        rf"{_alt(list(fig['vague']))})(?![\w])(?:{_MODS})\s+(?P<noun>{_alt(fig['people_nouns'])})\b",
        re.IGNORECASE)


def _parts(seq: str) -> list[tuple[str | None, str, str]]:
    """(qualifier, number, noun) of each coordinated part of ``seq``."""
    return [(m.group("qual"), m.group("num"), m.group("noun")) for m in _part_pattern().finditer(seq)]


def _coordinated(seq: str) -> tuple[int | None, int | None] | None:
    """Victims over coordinated parts: attackers are left out unless every part names attackers."""
    parts = _parts(seq)
    if len(parts) < 2:
        return None
    victims = [p for p in parts if p[2].lower() not in _perpetrator_nouns()] or parts
    lo_total, hi_total, first_qual = 0, 0, parts[0][0]
    for _, num, _ in victims:
        val = _value(num)
        if val is None or val[0] is None:
            return None
        lo_total += val[0]
        hi_total += val[1] if val[1] is not None else val[0]
    return _bounded(lo_total, hi_total, first_qual) if lo_total == hi_total else (lo_total, None)


def _value(word: str) -> tuple[int | None, int | None] | None:
    fig = lexicon().figures
    w = re.sub(r"\s+", " ", word.lower())
    if w == "the":
        return 1, 1
    if w in fig["vague"]:
        v = fig["vague"][w]
        return v.get("min"), v.get("max")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", w):
        n = int(w.replace(",", ""))
        return n, n
    parts = re.split(r"[- ]", w)
    if w in fig["numbers"]:
        n = fig["numbers"][w]
        return n, n
    if len(parts) == 2 and parts[0] in fig["numbers"] and parts[1] in fig["numbers"]:
        n = fig["numbers"][parts[0]] + fig["numbers"][parts[1]]
        return n, n
    return None


def _bounded(lo: int | None, hi: int | None, qual: str | None) -> tuple[int | None, int | None]:
    if not qual or lo is None or lo != hi:
        return lo, hi
    kind = lexicon().figures["qualifiers"].get(re.sub(r"\s+", " ", qual.strip().lower()))
    n = lo
    if kind == "min_plus1":
        return n + 1, None
    if kind == "min":
        return n, None
    if kind == "max":
        return None, n
    if kind == "max_minus1":
        return None, max(n - 1, 0)
    return n, n


def _is_year(m: re.Match[str]) -> bool:
    num = m.group("num")
    return bool(re.fullmatch(r"(19|20)\d\d", num)) and not m.group(0).lower().endswith(
        tuple(lexicon().figures["people_nouns"]))


def find_figures(sentence: str, offset: int = 0) -> list[Figure]:
    """Every killed/wounded/arrested figure in ``sentence`` (spans are document offsets)."""
    out: list[Figure] = []
    taken: list[tuple[int, int]] = []
    low = sentence.lower()
    for phrase, roles in lexicon().figures["none_phrases"].items():
        i = low.find(phrase)
        if i >= 0 and not any(i < b and a < i + len(phrase) for a, b in taken):
            taken.append((i, i + len(phrase)))
            for role in roles:
                out.append(Figure(role, Count(0, 0, sentence[i:i + len(phrase)], offset + i, offset + i + len(phrase)),
                                  offset + i))
    # "killing 12 people, including three children": the figures of a subset do not count on their own;
    # blanking the subset (offsets kept) lets "At least four people, including ..., were killed" read whole.
    sentence = _SUBSET.sub(lambda m: " " * len(m.group(0)), sentence)
    # "MOGADISHU, March 11 (Xinhua) -- Five ... were killed": a calendar day is no count, even where the
    # date itself cannot be resolved (no year known).
    for pat in DAY_DATES:
        sentence = pat.sub(lambda m: " " * len(m.group(0)), sentence)
    for key, pat in _patterns().items():
        role = key.split("_")[0]
        if key.endswith("coord"):
            for m in pat.finditer(sentence):
                s, e = m.span("seq")
                val = _coordinated(m.group("seq"))
                if val is None or any(s < b and a < e for a, b in taken):
                    continue
                taken.append((s, e))
                out.append(Figure(role, Count(val[0], val[1], sentence[s:e], offset + s, offset + e),
                                  offset + m.start("verb")))
            continue
        for m in pat.finditer(sentence):
            s, e = m.span("num")
            if any(s < b and a < e for a, b in taken) or _is_year(m):
                continue
            if key in _FIXED:
                # The "num" group of these is a name or "the"/"a": the count is the pattern's own.
                if key in _NAMED and m.group("num").split()[0].lower() in _NOT_NAMES:
                    continue
                n = _FIXED[key]
                taken.append((s, e))
                out.append(Figure(role, Count(n, n, m.group("num"), offset + s, offset + e), offset + m.start("verb")))
                continue
            val = _value(m.group("num"))
            # "a policeman was killed", "a police officer was killed" is one; a bare "a" or "a ... people" is none.
            verb_at_ = m.start("verb") if m.group("verb") else m.start("verb2")
            words_ = sentence[m.end("num"):verb_at_].split() if verb_at_ > m.end("num") else \
                (m.groupdict().get("noun") or "").split()
            last_ = words_[-1].lower().strip(",") if words_ else ""
            single = last_ in _singular_nouns()
            if val is None or (m.group("num").lower() in ("a", "an") and not single):
                continue
            lo, hi = _bounded(val[0], val[1], m.groupdict().get("qual"))
            qs = m.start("qual") if m.groupdict().get("qual") else s
            # Ages and durations are not figures: "29-year-old", "two years".
            after = sentence[e:e + 12].lower()
            if re.match(r"[- ](?:year|month|week|day|hour|minute)s?\b", after):
                continue
            taken.append((s, e))
            verb_at = m.start("verb") if m.group("verb") else m.start("verb2")
            out.append(Figure(role, Count(lo, hi, sentence[qs:e], offset + qs, offset + e), offset + verb_at,
                              (m.groupdict().get("noun") or "").lower() or None))
    # "..., which also killed at least 60 Afghans": more victims of the event, on top of those already counted.
    out = [replace(f, also=True) if _ALSO_BEFORE.search(sentence[max(0, f.anchor - offset - 12):f.anchor - offset])
           else f for f in out]
    return sorted(out, key=lambda f: f.count.start)


_ALSO_BEFORE = re.compile(r"\balso\s+$", re.I)


# Relations of a counted noun to the word that says what befell it: "[people] were killed", "[judges] died".
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NUMBER_DEPS = frozenset({"nummod", "quantmod"})


@lru_cache(maxsize=1)
def parsed_cue() -> re.Pattern[str]:
    """Words of harm that make a sentence worth parsing for figures the patterns miss."""
    fig = lexicon().figures
    words = [w for ws in fig["parsed_heads"].values() for w in ws] + list(fig["parsed_nouns"])
    return re.compile(rf"\b(?:{_alt(words)})\b", re.I)


def _parsed_role(arcs: list[Arc], i: int) -> str | None:
    """The role a counted noun (token ``i``) takes from the parse, if any."""
    fig = lexicon().figures
    a = arcs[i]
    if a.lower in fig["parsed_nouns"] and a.dep in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj", "appos"):
        return fig["parsed_nouns"][a.lower]          # "caused at least 11 deaths", "left 20 dead"
    if a.dep not in _SUBJECT_DEPS or a.head == i:
        return None
    head = arcs[a.head]
    for role, words in fig["parsed_heads"].items():
        if head.lower in words and not (head.lower == "dead" and a.dep != "nsubj"):
            return role                               # "Four people have so far been killed", "two died"
    if head.lower in fig["parsed_dead_after"] and any(
            b.head == a.head and b.lower == "dead" for b in arcs):
        return "killed"                               # "Two ... judges ... were shot dead"
    return None


def parsed_figures(sentence: str, arcs: list[Arc], offset: int = 0, have: frozenset[str] = frozenset()) -> list[Figure]:
    """Figures of the roles not in ``have``, read from the dependency parse of ``sentence`` (spans of ``arcs``
    relative to it): a number that counts the subject of a word of harm, or a noun of harm it counts, and
    named victims coordinated as the subject ("Kirillov and his assistant were killed": two)."""
    out: list[Figure] = []
    quals = lexicon().figures["qualifiers"]
    qual_before = re.compile(rf"\b(?P<qual>{_alt(list(quals))})\s+$", re.I)
    for i, a in enumerate(arcs):
        val = _value(a.lower)
        if val is None or a.lower in ("a", "an", "the") or re.fullmatch(r"(19|20)\d\d", a.lower):
            continue
        noun = a.head if a.dep in _NUMBER_DEPS and a.head != i else i
        role = _parsed_role(arcs, noun)
        if role is None or role in have or any(f.role == role for f in out):
            continue
        q = qual_before.search(sentence[max(0, a.start - 30):a.start])
        lo, hi = _bounded(val[0], val[1], q.group("qual") if q else None)
        s = a.start - (len(q.group(0)) if q else 0)
        verb = arcs[arcs[noun].head] if arcs[noun].dep in _SUBJECT_DEPS else arcs[noun]
        out.append(Figure(role, Count(lo, hi, sentence[s:a.end], offset + s, offset + a.end), offset + verb.start,
                          arcs[noun].lower if noun != i else None))
    if "killed" not in have and not any(f.role == "killed" for f in out):
        out += _named_victims(sentence, arcs, offset)
    return out


def _named_victims(sentence: str, arcs: list[Arc], offset: int) -> list[Figure]:
    """"Igor Kirillov and his assistant were killed": a coordinated subject of one person per part."""
    heads = lexicon().figures["parsed_heads"]["killed"]
    for i, a in enumerate(arcs):
        if a.dep != "nsubjpass" or arcs[a.head].lower not in heads or _value(a.lower) is not None:
            continue
        parts = [i] + [j for j, b in enumerate(arcs) if b.dep == "conj" and _conj_root(arcs, j) == i]
        if len(parts) < 2 or any(arcs[j].lower.endswith("s") and not sentence[arcs[j].start].isupper()
                                 for j in parts) or any(_value(arcs[j].lower) for j in parts):
            return []
        first = min([i] + [j for j, b in enumerate(arcs) if b.head == i and j < i])
        s, e = arcs[first].start, arcs[max(parts)].end
        return [Figure("killed", Count(len(parts), len(parts), sentence[s:e], offset + s, offset + e),
                       offset + arcs[a.head].start)]
    return []


def _conj_root(arcs: list[Arc], j: int) -> int:
    while arcs[j].dep == "conj" and arcs[j].head != j:
        j = arcs[j].head
    return j

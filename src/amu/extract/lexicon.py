"""Load the shipped lexicons (trigger words, actor aliases, figure words) and compile them once.

The words live in ``amu/data/*.json`` so they can be reviewed and extended
without touching code; this module only turns them into regular expressions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from amu.places.names import demonym_rows


def load_json(name: str) -> Any:
    """Read a JSON data file shipped in ``amu/data``."""
    return json.loads(resources.files("amu.data").joinpath(name).read_text(encoding="utf-8"))


def _with_demonyms(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures table, its people nouns completed with the plurals of ``demonyms.tsv`` ("10 Afghans were
    killed", "two Pakistanis and three Chinese"): nationality nouns count people like any other."""
    text = resources.files("amu.data").joinpath("demonyms.tsv").read_text(encoding="utf-8")
    plurals = {w if w.endswith(("ese", "z", "ch", "sh")) else w + "s" for w, _ in demonym_rows(text) if " " not in w}
    return {**figures, "people_nouns": [*figures["people_nouns"], *sorted(plurals)]}


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first so the longest phrase wins."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class TriggerRule:
    pattern: re.Pattern[str]
    event_type: str
    attack_type: str | None
    role: str  # event, kill, foil, attempt


@dataclass(frozen=True)
class Group:
    name: str
    kind: str
    parent: str | None
    home: str | None


@dataclass(frozen=True)
class Lexicon:
    triggers: tuple[TriggerRule, ...]
    any_trigger: re.Pattern[str]
    priority: tuple[str, ...]
    irrealis: re.Pattern[str]
    generic_heads: frozenset[str]
    continuation: re.Pattern[str]
    state_agent: re.Pattern[str]
    clash_cues: re.Pattern[str]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    temporal_anaphora: re.Pattern[str]
    temporal_rules: dict[str, tuple[int, str]]
    generic_quantifier: re.Pattern[str]
    not_physical: re.Pattern[str]
    unrest_cues: re.Pattern[str]
    sentence_terms: re.Pattern[str]
    groups: dict[str, Group]
    group_pattern: re.Pattern[str]
    group_alias: dict[str, str]          # lower-cased alias -> canonical name
    case_sensitive: frozenset[str]
    state_bodies: re.Pattern[str]
    state_nouns: re.Pattern[str]
    perpetrator_nouns: frozenset[str]
    victim_nouns: re.Pattern[str]
    member_nouns: re.Pattern[str]
    figures: dict[str, Any]
    refines: dict[str, frozenset[str]]   # specific attack type -> the general ones it refines
    suicide_cues: re.Pattern[str]        # "blew themselves up", "explosive vests"
    setting_verbs: re.Pattern[str]       # "took place", "occurred": a sentence placing the event just reported
    militant_victims: re.Pattern[str]    # "killed six terrorists", "three IS members were killed"
    attack_means: re.Pattern[str]        # "truck", "bomb", "gunmen": the means of an attack
    firearm_cues: re.Pattern[str]        # "opened fire", "gunmen": an attack carried out with guns


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The default lexicon, loaded once per process."""
    trig = load_json("triggers.json")
    actors = load_json("actors.json")
    rules = tuple(
        TriggerRule(
            re.compile(rf"(?<![\w-])(?:{t['pattern']})(?![\w-])", re.IGNORECASE),
            t["type"], t.get("attack_type"), t.get("role", "event"),
        )
        for t in trig["triggers"]
    )
    any_trigger = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in rules), re.IGNORECASE)
    groups: dict[str, Group] = {}
    alias: dict[str, str] = {}
    case_sensitive: set[str] = set()
    for g in actors["groups"]:
        groups[g["name"]] = Group(g["name"], g["kind"], g.get("parent"), g.get("home"))
        for a in g["aliases"] + [g["name"]]:
            alias.setdefault(a.lower(), g["name"])
        case_sensitive.update(g.get("case_sensitive", []))
    insensitive = [a for a in alias if a not in {c.lower() for c in case_sensitive}]
    group_pattern = re.compile(
        rf"(?<![\w-])(?:(?i:{_alternation(insensitive)})|{_alternation(sorted(case_sensitive))})(?![\w])"
    )
    bodies = [a for b in actors["state_forces"]["bodies"] for a in b["aliases"]]
    st = trig["status"]
    ta = trig["temporal_anaphora"]
    return Lexicon(
        triggers=rules,
        any_trigger=any_trigger,
        priority=tuple(trig["priority"]),
        irrealis=re.compile(rf"\b(?:{_alternation(trig['irrealis'])})\b", re.IGNORECASE),
        generic_heads=frozenset(trig["generic_heads"]),
        continuation=re.compile(rf"^\s*(?:{_alternation(trig['continuation'])})\b", re.IGNORECASE),
        state_agent=re.compile(rf"\b(?:{_alternation(trig['state_agent_cues'])})\b", re.IGNORECASE),
        clash_cues=re.compile(rf"\b(?:{_alternation(trig['clash_cues'])})", re.IGNORECASE),
        status=tuple((k, re.compile(rf"\b(?:{_alternation(v)})\b", re.IGNORECASE)) for k, v in st.items()),
        temporal_anaphora=re.compile(rf"\b(?:{_alternation([r[0] for r in ta['rules']])})\b", re.IGNORECASE),
        unrest_cues=re.compile(rf"\b(?:{_alternation(trig['unrest_cues'])})\b", re.IGNORECASE),
        sentence_terms=re.compile(rf"\b(?:{_alternation(trig['sentence_terms'])})\b", re.IGNORECASE),
        not_physical=re.compile(rf"\b(?:{_alternation(trig['not_physical'])})\s+$", re.IGNORECASE),
        temporal_rules={r[0]: (int(r[1]), r[2]) for r in ta["rules"]},
        generic_quantifier=re.compile(rf"\b(?:{_alternation(trig['generic_quantifiers'])})\s+(?:[\w-]+\s+){{0,2}}$",
                                      re.IGNORECASE),
        groups=groups,
        group_pattern=group_pattern,
        group_alias=alias,
        case_sensitive=frozenset(case_sensitive),
        state_bodies=re.compile(rf"\b(?:{_alternation(bodies)})\b"),
        state_nouns=re.compile(rf"^\s*(?:{_alternation(actors['state_forces']['nouns'])})\b", re.IGNORECASE),
        perpetrator_nouns=frozenset(actors["perpetrator_nouns"]),
        victim_nouns=re.compile(rf"^\s*(?:{_alternation(actors['victim_nouns'])})\b", re.IGNORECASE),
        member_nouns=re.compile(rf"^\s*(?:{_alternation(actors['member_nouns'])})\b", re.IGNORECASE),
        figures=_with_demonyms(load_json("figures.json")),
        # One table for both stages: fusion scores a refinement as the same attack type.
        refines=_refines(load_json("fusion_weights.json")["attack_types"]["refines"]),
        militant_victims=re.compile(
            rf"\b(?:killed|killing|eliminated|neutrali[sz]ed|shot dead)\s+(?:at least\s+|up to\s+|as many as\s+)?"
            rf"(?:[\w-]+\s+){{0,2}}(?:{_alternation(trig['militant_victims'])})\b|"
            rf"\b(?:{_alternation(trig['militant_victims'])})\s+(?:[\w-]+\s+){{0,3}}(?:were|was|have been|had been|"
            rf"are|being)\s+(?:\w+\s+)?(?:killed|eliminated|neutrali[sz]ed|shot dead)\b", re.IGNORECASE),
        firearm_cues=re.compile(rf"\b(?:{_alternation(trig['firearm_cues'])})\b", re.IGNORECASE),
        attack_means=re.compile(rf"\b(?:{_alternation(trig['attack_means'])})\b", re.IGNORECASE),
        setting_verbs=re.compile(rf"\b(?:{_alternation(trig['setting_verbs'])})\b", re.IGNORECASE),
        suicide_cues=re.compile(rf"(?<![\w-])(?:{'|'.join(trig['suicide_cues']['words'])})(?![\w-])", re.IGNORECASE),
    )


def same_attack(a: str | None, b: str | None) -> str | None:
    """The more specific of two attack types that describe one attack ("suicide_bombing" for it and
    "bombing"), the one given when the other is missing, else ``None`` (they differ or both are missing)."""
    if a is None or b is None or a == b:
        return a or b
    refines = lexicon().refines
    return a if b in refines.get(a, ()) else b if a in refines.get(b, ()) else None


def word_pattern(words: list[str]) -> str:
    """An alternation of words and phrases (a trailing * matches any ending), longest first."""
    alts = sorted((re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w) for w in words),
                  key=len, reverse=True)
    return "|".join(a.replace(r"\ ", r"\s+") for a in alts)


@lru_cache(maxsize=None)
def cue(name: str, part: str = "words") -> re.Pattern[str]:
    """The words of one list in ``data/cues.json`` as a case-insensitive pattern on word boundaries."""
    return re.compile(rf"(?<![\w-])(?:{word_pattern(load_json('cues.json')[name][part])})(?![\w-])", re.IGNORECASE)


def cue_words(name: str, part: str = "words") -> str:
    """The alternation of one list in ``data/cues.json``, to build a larger pattern from."""
    return word_pattern(load_json("cues.json")[name][part])


def _refines(raw: dict[str, Any]) -> dict[str, frozenset[str]]:
    """The refines table, each value a set (a string is one type)."""
    return {k: frozenset([v] if isinstance(v, str) else v) for k, v in raw.items()}


def attacks_differ(a: str | None, b: str | None) -> bool:
    """Two attack types that cannot describe one attack."""
    return a is not None and b is not None and same_attack(a, b) is None


def canonical_group(name: str) -> str | None:
    """Canonical group name for an alias ("ISIS-K" -> "ISKP"); media wings map to their parent."""
    lex = lexicon()
    canon = lex.group_alias.get(name.lower())
    if canon is None:
        return None
    group = lex.groups[canon]
    if group.kind == "media_wing" and group.parent:
        return group.parent
    return canon

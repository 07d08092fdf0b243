"""Actors and the relations reports state between them, each with its evidence sentence.

Groups and outlets come from the alias table (``amu/data/actors.json``);
people are the NLP model's PERSON entities, read only in sentences that
already name a group and hold a relation cue, and only as the report writes
them. Relation patterns live in ``amu/data/relations.json``: each sentence is
*masked* (named actors replaced by placeholders such as ``\\ue000G0\\ue001``)
so a pattern reads like the sentence it describes ("{P:subj}, a member of
{G:obj}") instead of repeating the alias alternation.

Privacy: a person is recorded only as a name in a sentence that links them
to a group or an incident; nothing about them is looked up, inferred or scored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from amu.extract.lexicon import canonical_group, lexicon, load_json
from amu.extract.nlp import DEFAULT_MODEL, Entity, entities
from amu.extract.sentences import Sentence, split_sentences
from amu.records import RELATION_EXTRACTOR, AliasSeen, Document, Evidence, Mention, Relation

if TYPE_CHECKING:
    from amu.store import Store

EXTRACTOR = RELATION_EXTRACTOR
RELATIONS = ("member_of", "leader_of", "media_wing_of", "split_from", "defected_from", "allied_with",
             "claimed", "attributed_to", "targeted_by", "also_known_as")

_OPEN, _CLOSE = "\ue000", "\ue001"          # private-use characters: never in a report's text
_TOKEN = re.compile(f"{_OPEN}([GAP])(\\d+){_CLOSE}")
# One word of a gap: plain words, numbers ("1,700"), and modifiers built on a name ("IS-allied").
_WORD = rf"(?:(?:{_OPEN}[GAP]\d+{_CLOSE}-)?[\w'’-]+|\d[\d,]*)\s+"
# A proper name the alias table does not know (an outlet): capitalised words, "al-", "of", "for".
_NEW_NAME = r"(?-i:(?:[A-Z][\w'’-]*|al-[\w'’-]+)(?:\s+(?:(?:of|for|al|and|the)\s+)?(?:[A-Z][\w'’-]*|al-[\w'’-]+)){0,5})"
_MODIFIER = r"(?!-(?:allied|aligned|affiliated|linked|backed|inspired)\b)"
_SLOTS = {
    "G": f"{_OPEN}G\\d+{_CLOSE}{_MODIFIER}",
    "A": f"{_OPEN}[GA]\\d+{_CLOSE}{_MODIFIER}",
    "GM": f"{_OPEN}G\\d+{_CLOSE}",
    "P": f"{_OPEN}P\\d+{_CLOSE}",
    "GN": f"(?:{_OPEN}G\\d+{_CLOSE}|{_NEW_NAME})",
    "GL": f"{_OPEN}G\\d+{_CLOSE}(?:(?:\\s*,\\s*|\\s+and\\s+|\\s+or\\s+|\\s*,\\s*and\\s+)(?:the\\s+|former\\s+)*"
          f"{_OPEN}G\\d+{_CLOSE})*",
}
_PLACEHOLDER = re.compile(r"\{(GL|GN|GM|G|A|P):(subj|obj)\}|\{w(\d+)\}|\{POS\}")
# Same group twice in a row is one name: "Islamic State Khorasan Province (ISKP)", "the Taliban’s GDI".
_SAME_NAME_GAP = re.compile(r"^(?:\s*\(\s*|['’]s\s+|\s+)$")
_NOT_CLAIMED = frozenset({"arrest", "security_operation", "policy"})
_LINK_REACH = 300                   # characters between a claim sentence and the attack it claims
_PHRASE_LEAD = re.compile(r"^(?:(?:late |early )?on \w+ |in a \w+ |for |that |(?:later|earlier) (?:in the day|that day)?\s*)+",
                          re.IGNORECASE)
_PERSON_TRIM = re.compile(r"(?:\s+(?:a\.k\.a\.?|aka|alias)|['’]s?)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Rule:
    relation: str
    subject: str
    object: str
    cue: re.Pattern[str]
    pattern: re.Pattern[str]
    subject_group_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Rules:
    rules: tuple[_Rule, ...]
    any_cue: re.Pattern[str]
    person_cue: re.Pattern[str]      # cues of the relations that need a person's name
    negation: re.Pattern[str]
    anaphor: re.Pattern[str]


@dataclass
class _Slot:
    letter: str        # G (group), A (anaphor), P (person)
    name: str
    kind: str
    start: int         # sentence offsets of the original text
    end: int


@dataclass
class _Masked:
    text: str
    slots: list[_Slot] = field(default_factory=list)


def _expand(pattern: str) -> str:
    """Turn a pattern of relations.json into a regular expression over masked text."""
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return f"(?P<{m.group(2)}>{_SLOTS[m.group(1)]})"
        if m.group(3):
            return f"(?:{_WORD}){{0,{m.group(3)}}}"
        return "(?:'s|’s|’|')"
    # Spaces first (the slot expansions hold none that should become \s+).
    return _PLACEHOLDER.sub(repl, pattern.replace(" ", r"\s+"))


def _words(words: list[str]) -> re.Pattern[str]:
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    # No hyphen guard: "IS-allied" must show the cue "allied".
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The relation patterns of ``amu/data/relations.json``, compiled once per process."""
    data = load_json("relations.json")
    out: list[_Rule] = []
    cues: list[str] = []
    person_cues: list[str] = []
    for entry in data["relations"]:
        cues.extend(entry["cues"])
        if any("{P:" in (p if isinstance(p, str) else p["re"]) for p in entry["patterns"]):
            person_cues.extend(entry["cues"])
        for p in entry["patterns"]:
            spec: dict[str, Any] = p if isinstance(p, dict) else {"re": p}
            out.append(_Rule(entry["relation"], entry["subject"], entry["object"], _words(entry["cues"]),
                             re.compile(_expand(spec["re"]), re.IGNORECASE),
                             frozenset(spec.get("subject_group_kinds", []))))
    return _Rules(tuple(out), _words(cues), _words(person_cues), re.compile(data["negation"], re.IGNORECASE),
                  re.compile(data["anaphor"], re.IGNORECASE))


def _group_hits(text: str) -> list[_Slot]:
    """Groups and outlets named in ``text`` (each keeps its own canonical name: a wing is not its parent)."""
    lex = lexicon()
    out: list[_Slot] = []
    for m in lex.group_pattern.finditer(text):
        name = lex.group_alias[m.group(0).lower()]
        out.append(_Slot("G", name, lex.groups[name].kind, m.start(), m.end()))
    return out


def actor_aliases(doc: Document) -> list[AliasSeen]:
    """Every surface form of every group or outlet named in the document's main text, with counts.

    Forms that differ only in case are one alias, written as the document writes it most
    often (a lower-cased page title does not rename "ISKP" to "iskp").
    """
    seen: dict[tuple[str, str], tuple[_Slot, int, Counter[str]]] = {}
    for sent in split_sentences(doc.text):
        for hit in _group_hits(sent.text):
            alias = " ".join(sent.text[hit.start:hit.end].split())
            key = (hit.name, alias.casefold())
            if key not in seen:
                seen[key] = (_Slot("G", hit.name, hit.kind, sent.start + hit.start, sent.start + hit.end), 0, Counter())
            first, n, forms = seen[key]
            forms[alias] += 1
            seen[key] = (first, n + 1, forms)
    groups = lexicon().groups
    return [AliasSeen(h.name, h.kind, forms.most_common(1)[0][0], doc.id, doc.name, n, h.start, h.end,
                      groups[h.name].parent if h.name in groups else None)
            for h, n, forms in seen.values()]


def _merge_same(text: str, hits: list[_Slot]) -> list[_Slot]:
    """Fold "Name (ABBR)" and "Taliban’s GDI" into one slot so patterns see one actor."""
    out: list[_Slot] = []
    for h in hits:
        prev = out[-1] if out else None
        if prev and prev.name == h.name and _SAME_NAME_GAP.match(text[prev.end:h.start]):
            close = re.match(r"\s*\)", text[h.end:]) if "(" in text[prev.end:h.start] else None
            prev.end = h.end + (close.end() if close else 0)
            continue
        out.append(h)
    return out


def _clean_person(text: str) -> str:
    """A PERSON entity's text without what the model sweeps in: "Name a.k.a", "Name's"."""
    return _PERSON_TRIM.sub("", text.strip()).strip(" ,")


def _persons(text: str, ents: list[Entity], taken: list[_Slot]) -> list[_Slot]:
    """PERSON entities that are not a group's name, trimmed of "a.k.a" and possessives."""
    lex = lexicon()
    out = []
    for e in ents:
        if e.label != "PERSON":
            continue
        name = _clean_person(e.text)
        end = e.start + len(name)
        if (not name or not name[0].isupper() or any(c.isdigit() for c in name) or name.lower() in lex.group_alias
                or any(s.start < end and e.start < s.end for s in taken)):
            continue
        out.append(_Slot("P", name, "person", e.start, end))
    return out


def _mask(text: str, slots: list[_Slot]) -> _Masked:
    """Replace each actor by a placeholder numbered by its position (slots must not overlap)."""
    slots = sorted(slots, key=lambda s: s.start)
    parts, pos = [], 0
    for i, s in enumerate(slots):
        parts.append(text[pos:s.start])
        parts.append(f"{_OPEN}{s.letter}{i}{_CLOSE}")
        pos = s.end
    parts.append(text[pos:])
    return _Masked("".join(parts), slots)


def _unmask(masked: _Masked, text: str, original: str) -> str:
    """Masked text back to the words of the report."""
    return _TOKEN.sub(lambda m: original[masked.slots[int(m.group(2))].start:masked.slots[int(m.group(2))].end],
                      text)


def _actors(masked: _Masked, span: str, rule_kind: str) -> list[tuple[str, str]]:
    """(name, kind) of every actor in a matched slot; a name the table lacks takes the rule's kind."""
    found = [masked.slots[int(t.group(2))] for t in _TOKEN.finditer(span)]
    if found:
        return [(s.name, s.kind) for s in found]
    name = re.sub(r"^(?:The|An?)\s+", "", span.strip())
    return [(name, rule_kind)] if name else []


def _link(sent: Sentence, mentions: list[Mention], group: str | None) -> Mention | None:
    """The extracted mention a claim or an attribution sentence is about.

    Groups claim attacks and plots, not the arrests that follow, so arrests and state
    operations are never linked. First a mention whose evidence overlaps the sentence
    (preferring one credited to the group); else the nearest mention credited to the group
    within a short reach on either side, because a claim often stands in its own sentence
    next to the report of the attack.
    """
    parent = canonical_group(group) if group else None
    usable = [m for m in mentions if m.event_type not in _NOT_CLAIMED]
    over = [m for m in usable if m.evidence.start < sent.end and sent.start < m.evidence.end]
    if over:
        return sorted(over, key=lambda m: (m.perpetrator != parent, m.evidence.start))[0]

    def gap(m: Mention) -> int:
        return sent.start - m.evidence.end if m.evidence.end <= sent.start else m.evidence.start - sent.end
    near = [m for m in usable if m.perpetrator == parent and 0 <= gap(m) <= _LINK_REACH]
    return min(near, key=gap) if near else None


def _phrase(masked: _Masked, m: re.Match[str], original: str) -> str:
    """The incident as the sentence words it, when no extracted mention carries it."""
    what = m.groupdict().get("what")
    text = _unmask(masked, what, original) if what else "incident"
    # "claimed responsibility on Monday for an attack ...": keep the incident, not the when.
    text = _PHRASE_LEAD.sub("", " ".join(text.split()))
    return text.rstrip(" .")[:80] or "incident"


def _sentence_relations(doc: Document, sent: Sentence, masked: _Masked, mentions: list[Mention]) -> list[Relation]:
    """Every relation the patterns find in one masked sentence."""
    r = rules()
    ev = Evidence(sent.text, sent.start, sent.end)
    out: list[Relation] = []
    for rule in r.rules:
        if not rule.cue.search(sent.text):
            continue
        for m in rule.pattern.finditer(masked.text):
            # Negation is read outside the captured incident phrase: "claimed ..., not the attack".
            head = m.group(0)
            if m.groupdict().get("what"):
                head = masked.text[m.start():m.start("what")] + masked.text[m.end("what"):m.end()]
            if r.negation.search(head):
                continue
            subj = _actors(masked, m.group("subj"), rule.subject) if "subj" in m.groupdict() else []
            obj = _actors(masked, m.group("obj"), rule.object) if "obj" in m.groupdict() else []
            if rule.subject_group_kinds and not all(k in rule.subject_group_kinds for _, k in subj):
                continue
            mention: Mention | None = None
            if rule.object == "incident" or rule.subject == "incident":
                group = (subj or obj)[0][0] if (subj or obj) else None
                mention = _link(sent, mentions, group)
                incident = [(mention.id if mention else _phrase(masked, m, sent.text), "incident")]
                subj, obj = (incident, obj) if rule.subject == "incident" else (subj, incident)
            for s_name, s_kind in subj:
                for o_name, o_kind in obj:
                    if s_name == o_name:
                        continue
                    out.append(Relation(s_name, s_kind, rule.relation, o_name, o_kind, doc.id, doc.name, ev,
                                        mention.id if mention else None))
    return out


def extract_relations(doc: Document, mentions: list[Mention] | None = None, *, use_model: bool = True,
                      model: str = DEFAULT_MODEL) -> list[Relation]:
    """Relations stated in a document, each with its evidence sentence.

    Args:
        doc: The document.
        mentions: Its extracted incident mentions; claims and attributions are linked to the
            mention whose evidence is the same sentence (or the one just before it).
        use_model: Read people's names with the NLP model. Without it, relations that need
            a person (member_of, leader_of, also_known_as) are not found.
        model: The spaCy model package.

    Returns:
        Relations in document order, without duplicates.
    """
    r = rules()
    cand: list[tuple[Sentence, list[_Slot]]] = []
    last: _Slot | None = None          # the armed group named most recently: the antecedent of "the group"
    for sent in split_sentences(doc.text):
        hits = _merge_same(sent.text, _group_hits(sent.text))
        slots = list(hits)
        # "the group" means an armed group, not the outlet just named ("Amaq, the group's news outlet").
        groups = [h for h in hits if h.kind != "media_wing"]
        for a in r.anaphor.finditer(sent.text):
            ante = [h for h in groups if h.end <= a.start()]
            ref = ante[-1] if ante else last
            if ref is not None and not any(h.start < a.end() and a.start() < h.end for h in hits):
                slots.append(_Slot("A", ref.name, ref.kind, a.start(), a.end()))
        if groups:
            last = groups[-1]
        if slots and r.any_cue.search(sent.text):
            cand.append((sent, slots))
    # The model is the expensive part: it reads, in one batch, only the candidates whose cues
    # belong to a relation with a person in it ("leader", "member", "a.k.a.").
    ask = [s for s, _ in cand if use_model and r.person_cue.search(s.text)]
    ents = dict(zip((s.index for s in ask), entities([s.text for s in ask], model))) if ask else {}
    out: list[Relation] = []
    seen: set[tuple[str, str, str, int]] = set()
    for sent, slots in cand:
        masked = _mask(sent.text, slots + _persons(sent.text, ents.get(sent.index, []), slots))
        for rel in _sentence_relations(doc, sent, masked, mentions or []):
            key = (rel.subject, rel.relation, rel.object, rel.evidence.start)
            if key not in seen:
                seen.add(key)
                out.append(rel)
    return out


def store_relations(store: "Store", doc: Document, relations: list[Relation], aliases: list[AliasSeen]) -> None:
    """Write a document's relations, aliases seen and people in one transaction.

    Idempotent: the document's earlier rows are replaced, so re-running extraction for the
    same document leaves the same rows. The document is stored first if it is not there yet.
    """
    store.replace_actor_facts(doc, relations, aliases)


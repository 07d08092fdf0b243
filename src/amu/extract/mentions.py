"""Document-level assembly: from sentences to incident mentions with provenance.

Steps for one document:

1. split into sentences (cheap rules) and keep those with an event trigger;
2. run the NLP model on those candidate sentences only (people's names);
3. build frames per sentence, give each its dates, places, figures, actors;
4. link frames across sentences (continuations, "days later", "the group");
5. drop generic or hypothetical frames ("lone-wolf attacks", "could strike");
6. merge the document's own repeated mentions of one incident;
7. emit :class:`~amu.records.Mention` records with the evidence sentence span.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace

from amu import __version__
from amu.extract import coref, discourse
from amu.extract.actors import find_groups, has_group_anaphor, nationalities, state_agents
from amu.extract.attribution import (
    attribute_nearby_claims, attribute_single_incident, country_name, nationality_lookup, status_of,
)
from amu.extract.dates import find_dates, unanchored_days
from amu.extract.figures import Figure, find_figures, parsed_cue, parsed_figures
from amu.extract.frames import (
    DateHit, Frame, boundaries, boundary_costs, find_triggers, islands, merge_sentence_frames, nearest,
    separating_boundaries, target_of,
)
from amu.extract.lexicon import cue, cue_words, lexicon, load_json
from amu.extract.nlp import DEFAULT_MODEL, Arc, Entity, entities, model_id, parses
from amu.extract.placing import SPEECH_VERBS, document_countries, find_places
from amu.extract.relevance import LEAD_SENTENCES, relevance
from amu.extract.sentences import Sentence, split_sentences, wire_dateline
from amu.places.gazetteer import Gazetteer
from amu.records import Count, DateValue, Document, Evidence, Mention, Place, Provenance
from amu.extract.russian import extract_russian
from amu.ingest.language import profile_of
from amu.resolve.report import one_report

EXTRACTOR = "amu.extract.rules.v1"
_CITATION = re.compile(r"\(([^()]{2,80}?),\s*([^()]{3,40})\)")
# Qualifiers that make a date a bound or a period rather than when the event happened.
_VAGUE = {"since", "until", "before", "after", "by", "from"}
# What follows a date that heads a report: a colon or dash, another date, or the headline itself.
# Before a caption's closing date: a comma or a place name, not a preposition ("on March 13, 2016").
_CAPTION_BEFORE = re.compile(r"(?:,|[A-Z][a-z]+)\s*$")
# Expressions that count days from the report's date.
_DAY_RELATIVE = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
                           r"tomorrow|overnight|last night|this morning|this week|last week|earlier in the day)\b", re.I)
_CLOSING_IN = re.compile(r",\s+in\s+$")
_IN_BARE_PLURAL = re.compile(rf"^(?:\s+[\w,.’'-]+){{0,7}}?\s+in\s+(?!(?:the|two|three|twin|these|those|its|their|"
                             rf"a|coordinated|simultaneous)\b)(?:[a-z-]+\s+){{0,2}}"
                             rf"(?:{'|'.join(sorted(load_json('triggers.json')['generic_heads']))})\b", re.I)
_WEEKDAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday)\b", re.I)
_DATE_OWNER = re.compile(rf"^\s+(?:{cue_words('date_owners')})\b", re.I)
_HEADING_DATE = re.compile(r"^\s*(?:[:—–-]|\(|\w)")
_HEADING_OPENS = re.compile(r"^\W*(?:[A-Za-z]+\W+)?$")   # "date 2024-10-23", "Monday, August 1:"
_REPORTED_BEFORE = re.compile(rf"\b(?:{cue_words('statement_verbs')})(?:\s+\w+){{0,2}}\s+(?:on\s+)?$", re.I)
_CROWD = re.compile(rf"\b(?:{cue_words('crowd_parties')})(?![\w-])", re.I)
_REPORTED_AFTER = re.compile(rf"\s*(?:morning|afternoon|evening|night)?\s*(?:{cue_words('statement_verbs')})\b", re.I)
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|through|by)\s+(?:at least\s+)?$", re.I)
# "was planning a suicide attack", "foiled a terror attack": an attack word that is the object of a plan or of a
# foiling (group "stopped").
_INTENDED = re.compile(rf"(?<![\w-])(?:(?:{cue_words('intended')})(?![\w-])\s+(?:an?|another)\s+|"
                       rf"(?P<stopped>{cue_words('intended', 'stopped')})(?![\w-])\s+)(?:[\w'’-]+\s+){{0,5}}$", re.I)
_ABSTRACT_TARGET = re.compile(rf"^\s+(?:on|against)\s+(?:(?:the|our|their|its|basic|fundamental|[A-Z][\w-]*)\s+)?"
                              rf"(?:{cue_words('abstract_targets')})\b", re.I)
# "the most senior official to be killed since 2021": a comparison with past events, not an event.
_COMPARISON = re.compile(r"\b(?:most|deadliest|worst|bloodiest|largest|biggest|first)\b[^.;]{0,80}\bsince\b", re.I)
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+|taking\s+\w+\s+in\s+|[\w-]+\s+){0,3}$", re.I)
# Words that make a sentence without an event word worth reading for figures or nationality.
_ATTRIBUTE_CUE = re.compile(r"\b(?:dead|died|wounded|injured|hurt|hospitali[sz]ed|hospitals?|treated|death toll|"
                            r"casualt\w*|fatalit\w*|no one|nobody|unharmed|injuries|"
                            r"nationals?|citizens?)\b", re.I)
_NAME_LIKE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z’'-]+\s+(?:(?:al|bin|ibn|ul|de|van|von)[- ])?[A-Z][a-z’'-]+")
_TITLE_DOT = re.compile(rf"\b({cue_words('name_titles')})\.(?=\s)")   # "Lt. Gen. Igor Kirillov"
# "four men accused of the attack on Crocus City Hall": the attack is the object of a legal step, and the
# sentence's date is that step's (like a citation's), not the attack's.
_LEGAL_OBJECT = re.compile(r"\b(?:(?:accused|charged|convicted|sentenced|suspected|jailed|indicted|prosecuted|tried|"
                           r"detained|arrested|held|questioned)\s+(?:\w+\s+){0,2}?(?:of|with|over|for|in connection "
                           r"with)|(?:trial|investigation|probe|inquiry)\s+(?:of|over|into))\s+(?:the|this|that)\s+"
                           r"(?:[\w-]+\s+){0,3}$|"
                           # "IS claimed responsibility for two deadly bomb blasts": the claim's date, not the blasts'.
                           r"\bclaim(?:ed|ing|s)?(?:\s+responsibility)?\s+for\s+"
                           r"(?:the|this|that|a|an|its|two|three|twin|several)?\s*(?:[\w-]+\s+){0,3}$", re.I)
# "sentenced him to ten years after finding him guilty of helping to plan an attack": what a court judged.
_VERDICT_CORE = (rf"\b(?:(?:found|finding|declared|pleaded|pleads)\s+(?:\w+\s+)?(?:{cue_words('verdicts')})\s+of|"
                 rf"(?:was|were|been|being|is|are)\s+(?:{cue_words('verdicts', 'passive')})\b[^.;]{{0,60}}?\b"
                 rf"(?:of|for|over)|(?:{cue_words('verdicts', 'passive')})\s+(?:[\w-]+\s+){{0,8}}?(?:for|over))")
_VERDICT = re.compile(_VERDICT_CORE + r"\s+[^.;]*$", re.I)
_VERDICT_SPAN = re.compile(_VERDICT_CORE, re.I)   # "sentenced a man to life on Thursday for": the verdict's day
_AIMED_AT = re.compile(rf"\b(?:{cue_words('aimed_at')}|(?:{cue_words('aimed_at', 'throw_verbs')})\b[^.;,]{{0,30}}"
                       rf"\b(?:at|on))\s+(?:the\s+)?(?:(?!(?:in|at|near|of|from|on|outside|inside)\b)[a-z][\w-]*\s+){{0,4}}$")
# "... is the deadliest attack against US forces": the trigger names the class compared with.
_PREDICATE_SUPERLATIVE = re.compile(rf"\b(?:is|was|as|became|becomes|marks?|marked|remains?|remained)\s+(?:the|a|its|their)\s+"
                                    rf"(?:{cue_words('superlatives')})\s+(?:[\w-]+\s+)?$", re.I)
_NAMED_VICTIM = re.compile(r"\b(?:shot and killed|shot dead|assassinated|murdered|killed)\s+(?P<name>[A-Z][\w'’-]+"
                           r"(?:\s+[A-Z][\w'’-]+){0,3}),\s+(?:the|a|an)\s+[a-z]")
_PERSON_VICTIM = re.compile(r"\b(?:killed|killing|assassinated|murdered|shot dead|shot)\s*$", re.I)


@dataclass
class ExtractOptions:
    """Options of the extraction stage."""

    model: str = DEFAULT_MODEL
    use_model: bool = True          # False: rules only (no people's names), for quick runs
    min_anchor: float = 3.0         # how much evidence a frame needs to be kept (see ``anchor_score``)
    gazetteer: Gazetteer | None = None


@dataclass
class SentenceInfo:
    sentence: Sentence
    frames: list[Frame] = field(default_factory=list)
    groups: list = field(default_factory=list)
    anaphor: bool = False
    temporal: tuple[int, str] | None = None


_POSSESSIVE_END = re.compile(r"\b[A-Z][\w.-]*(?:'s|’s)\s+(?:banned\s+|outlawed\s+)?$")


def _possessive_before(sent: Sentence, start: int) -> int:
    """Where a name starting at ``start`` begins with a possessive before it ("Pakistan's TTP")."""
    m = _POSSESSIVE_END.search(sent.text[max(0, start - sent.start - 40):start - sent.start])
    return start - (len(m.group(0)) if m else 0)


_LIFE_DATE = re.compile(rf"(?<![\w-])(?:{cue_words('life_dates')})\s+(?:in\s+|on\s+)?(?:the\s+)?$", re.I)


def _judged(fr: Frame, sent: Sentence, any_date: bool = False) -> bool:
    """A court's judgement comes before the event word in its sentence, and no date but the judgement's
    day (or the report's) is the event's own ("sentenced on Wednesday ... guilty of helping to plan an attack")."""
    rel = fr.start - sent.start
    verdict = _VERDICT.search(sent.text[:rel])
    if verdict is None:
        return False
    return any_date or not [d for d in fr.dates if not d.citation and not d.vague
                            and d.value.start - sent.start > verdict.start()]


# "17 terrorist attacks were prevented", "carried out 120 attacks": a count of many events is a tally, not one.
_COUNTED = re.compile(r"\b(?P<n>\d[\d,]*|[a-z]+)\s+(?:(?!(?:of|in|on|at|and|or)\b)[a-z-]+\s+){0,2}$", re.I)
_TALLY_FROM = 3


def _counted(before: str) -> bool:
    m = _COUNTED.search(before)
    if m is None:
        return False
    word = m.group("n").replace(",", "").lower()
    n = int(word) if word.isdigit() else lexicon().figures["numbers"].get(word)
    return n is not None and n >= _TALLY_FROM and not (1900 <= n <= 2100)   # "the 2015 attacks" is a year


# ", a day after", "two days after", "hours after", "a week after": the span back to the event that follows.
_SPAN_AFTER = re.compile(r"^\s*,?\s*(?:(?P<n>[\w-]+)\s+(?P<unit>days?|weeks?)|(?:just\s+|only\s+|several\s+)?hours)"
                         r"\s+after\b", re.I)


def _day_spanned_back(d: DateHit, text: str, offset: int) -> DateValue | None:
    """The day of the event told after "<day>, N days after": that day less N days."""
    if d.citation or d.vague or d.value.precision != "day" or len(d.value.iso) != 10:
        return None
    m = _SPAN_AFTER.match(text[d.value.end - offset:])
    if m is None:
        return None
    n = 0
    if m.group("unit"):
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else lexicon().figures["numbers"].get(word, -1)
        if n < 0:
            return None
        n *= 7 if m.group("unit").lower().startswith("week") else 1
    day = dt.date.fromisoformat(d.value.iso) - dt.timedelta(days=n)
    return replace(d.value, iso=day.isoformat(), qualifier=None)


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with ``pattern``'s matches blanked out, offsets kept."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _dates(sent: Sentence, anchor: str | None, inferred: bool = False) -> list[DateHit]:
    """Dates of a sentence, marking those of a source (citation, wire dateline) and those that are bounds.

    With a publication date only inferred from the text (``inferred``), days counted from it ("on
    Saturday", "yesterday") are left unresolved: an inferred anchor is often a background date, and every
    weekday resolved against it would inherit the error."""
    cites = [(m.start(), m.end()) for m in _CITATION.finditer(sent.text)]
    line = wire_dateline(sent.text)
    if line:
        cites.append((0, line.end()))
    out = []
    for d in find_dates(sent.text, anchor, sent.start):
        if inferred and _DAY_RELATIVE.search(d.text):
            continue
        rel = d.start - sent.start
        if _LIFE_DATE.search(sent.text[max(0, rel - 25):rel]):
            continue   # "the detained man, born in 1995", "formed in 2012, the group ...": no event's date
        # The report's own date heading the text ("date 2023-08-01", "August 1: ...") is the report's,
        # not the event's.
        # It opens its line: "An attack on Wednesday" in a report of that Wednesday is the attack's day.
        heading = bool(anchor) and d.start < 60 and anchor[:len(d.iso)] == d.iso and \
            bool(_HEADING_DATE.match(sent.text[rel + len(d.text):] if sent.start < 60 else "")) and \
            bool(_HEADING_OPENS.match(sent.text[:rel].rsplit("\n", 1)[-1]))
        # A photo caption's date closes its sentence with no preposition before it ("..., in Ankara,
        # Turkey March 17, 2016."): the picture's day, not the event's.
        caption = d.precision == "day" and len(d.iso) == 10 and not sent.text[rel + len(d.text):].strip(" .)\"”'") \
            and bool(_CAPTION_BEFORE.search(sent.text[max(0, rel - 25):rel]))
        # "investigators said on Saturday": the date of a statement, like a citation's.
        citation = heading or caption or any(a <= rel < b for a, b in cites) or \
            _statement_day(sent.text, rel, d.end - sent.start)
        # "since the March attack": the date names the attack (a modifier of the event noun), not a bound.
        bound = bool(_SINCE_BEFORE.search(sent.text[max(0, rel - 30):rel])) or \
            bool(_UNTIL_BEFORE.search(sent.text[max(0, rel - 30):rel]))
        # ... unless a comparison names it: "the deadliest attack since the 2004 Beslan siege".
        reference = bound and _names_event(sent.text[d.end - sent.start:]) and \
            not _COMPARISON.search(sent.text[max(0, rel - 120):rel])
        # "ahead of the August 31 deadline", "the March 3 elections": the date of another thing.
        owned = bool(_DATE_OWNER.match(sent.text[d.end - sent.start:]))
        vague = (d.qualifier or "") in _VAGUE or "recent" in d.text.lower() or bound and not reference or owned
        after = sent.text[d.end - sent.start:]
        possessive = after[:2] in ("'s", "’s") and _names_event(after[2:])
        out.append(DateHit(d, citation=citation and not possessive, vague=vague, reference=reference,
                           possessive=possessive))
    return out


def _state_subject(fr: Frame, agents: list, text: str, offset: int) -> bool:
    """A state's forces are the subject right before the attack verb ("Pakistani forces attacked")."""
    for a in agents:
        if a.victim or a.end > fr.start or fr.start - a.end > 30:
            continue
        between = text[a.end - offset:fr.start - offset]
        noun = lexicon().state_nouns.match(between)
        if noun is not None and not between[noun.end():].strip():
            return True   # the forces themselves, not "an Afghan police officer opened fire"
    return False


def _sentence_hints(sent: Sentence) -> list[tuple[int, str]]:
    """For a report with no publication date: the days and months a sentence states without a year
    ("killed Tuesday", "On August 26"), not a statement's day ("said Wednesday"), a source's or a life's."""
    cites = [(sent.start + m.start(), sent.start + m.end()) for m in _CITATION.finditer(sent.text)]
    out = []
    for start, end, form in unanchored_days(sent.text, sent.start):
        rel = start - sent.start
        if not (_statement_day(sent.text, rel, end - sent.start) or
                _LIFE_DATE.search(sent.text[max(0, rel - 25):rel]) or any(a <= start < b for a, b in cites)):
            out.append((start, form))
    return out


def _statement_day(text: str, start: int, end: int) -> bool:
    """The date at ``text[start:end]`` is a statement's: "said on Saturday", "police on Friday said"."""
    return bool(_REPORTED_BEFORE.search(text[max(0, start - 40):start]) or _REPORTED_AFTER.match(text, end))


def _date_hint(fr: Frame, evidence: Sentence) -> str:
    """The day a frame's own sentence states nearest its trigger, else the first its other sentences state."""
    own = [h for h in fr.hints if evidence.start <= h[0] < evidence.end]
    if own:
        return min(own, key=lambda h: (abs(h[0] - fr.start), h[0]))[1]
    return min(fr.hints)[1]


def _names_event(after: str) -> bool:
    """The text right after a date is an event noun, perhaps after a word or two ("March terrorist attack"),
    or after the comma that closes a full date ("the Nov 21, 2024, attack")."""
    m = lexicon().any_trigger.search(after[:40])
    return m is not None and re.fullmatch(r",?\s+(?:[\w-]+\s+){0,2}", after[:m.start()]) is not None


def _temporal(sent: Sentence) -> tuple[int, str] | None:
    """A phrase near the start that dates the sentence from the previous event ("Only days later")."""
    head = sent.text[:80]
    m = lexicon().temporal_anaphora.search(head)
    if m is None:
        return None
    return lexicon().temporal_rules[re.sub(r"\s+", " ", m.group(0).lower())]


def build_frames(doc: Document, sent: Sentence, ents: list[Entity], gaz: Gazetteer,
                 context: frozenset[str] = frozenset(), arcs: list[Arc] | None = None,
                 surnames: re.Pattern[str] | None = None) -> SentenceInfo:
    """All frames of one candidate sentence, with their arguments assigned. ``surnames``: the last names of
    people the report names in full (:func:`_surnames`), which are no places."""
    info = SentenceInfo(sent)
    frames = find_triggers(sent.text, sent.start, sent.index)
    if not frames:
        info.frames = _attribute_frames(sent, gaz, context)
        return info
    text = sent.text
    lex = lexicon()
    groups = find_groups(text, sent.start)
    persons = [e for e in ents if e.label == "PERSON" and _is_named_person(e, text, gaz)]
    # A day read from a wire dateline ("ISTANBUL, June 29") anchors weekdays even when only its year is inferred.
    # ... and so does a date written with its own weekday ("Saturday, Dec. 20, 2014").
    day_known = (doc.meta.get("metadata_from") or {}).get("published") in ("inferred-year", "inferred-day")
    dates = _dates(sent, doc.published, doc.published_inferred and not day_known)
    verdicts = [(sent.start + m.start(), sent.start + m.end()) for m in _VERDICT_SPAN.finditer(sent.text)]
    dates = [replace(d, citation=True) if any(a <= d.value.start < b for a, b in verdicts) else d for d in dates]
    # Days a report with no publication date (or only an inferred one) cannot resolve are kept as hints.
    hints = _sentence_hints(sent) if not doc.published or (doc.published_inferred and not day_known) else []
    # Places never stand inside a group name, a person's name, a date or a source citation.
    # ... nor in a possessive before a group's name ("Turkey's Kurdistan Workers' Party": the party's country).
    blocked = [(_possessive_before(sent, g.start), g.end) for g in groups] + \
        [(sent.start + e.start, sent.start + e.end) for e in persons]
    blocked += [(d.value.start, d.value.end) for d in dates]
    if surnames is not None:
        blocked += [(sent.start + m.start(), sent.start + m.end()) for m in surnames.finditer(text)]
    blocked += [(sent.start + m.start(), sent.start + m.end()) for m in _CITATION.finditer(text)]
    places = find_places(gaz, sent, blocked, context, arcs,
                         [(f.start - sent.start, f.end - sent.start) for f in frames])
    figures = find_figures(text, sent.start)
    if arcs:
        # What the patterns miss, the parse may read ("Two judges involved in ... were shot dead").
        figures += parsed_figures(text, arcs, sent.start, frozenset(f.role for f in figures))
    protected = [(d.value.start, d.value.end) for d in dates] + [(p.start, p.end) for p in places]
    bounds = boundaries(text, sent.start, protected)
    skip = islands(text, sent.start)
    costs = boundary_costs(text, sent.start, bounds)
    nats = nationalities(text, nationality_lookup(gaz), sent.start)
    agents = state_agents(text, gaz.demonym, lambda w: country_name(gaz, w), sent.start)
    for fr in frames:
        fr.hints = list(hints)
        rel = fr.start - sent.start
        before = text[max(0, rel - 45):rel]
        # "the deadliest attack since 2004", "the most senior official to be killed since 2021": the
        # trigger sits inside a comparison with past events (not "a bomb killed 20, the deadliest since").
        comparison = _COMPARISON.search(text[max(0, rel - 60):fr.end - sent.start + 80])
        fr.irrealis = bool(lex.irrealis.search(before[-30:])) or bool(lex.not_physical.search(before)) \
            or bool(comparison and comparison.start() < min(rel, 60)) or bool(_PREDICATE_SUPERLATIVE.search(before))
        if _ABSTRACT_TARGET.match(text[fr.end - sent.start:fr.end - sent.start + 60]):
            fr.irrealis = True   # "an attack on Internet freedoms": a figure of speech
        if fr.event_type == "clash" and _CROWD.search(text[max(0, rel - 80):fr.end - sent.start + 80]):
            fr.event_type = "unrest"   # "clashes between protesters and the police": a crowd's, not militants'
        intended = _INTENDED.search(text[max(0, rel - 90):rel]) if fr.event_type == "attack" else None
        if intended:
            fr.event_type = "plot"      # planned, prepared or stopped: not carried out
            if intended.group("stopped"):
                fr.roles = fr.roles | {"foil"}
        head = fr.trigger.lower().split()[-1]
        plural = head in lex.generic_heads
        fr.generic_strong = plural and (bool(lex.generic_quantifier.search(before[-25:])) or _counted(before[-40:]))
        # "the two attacks", "their recent bombings" (not "the trend of overall attacks": that "the" is the trend's)
        fr.generic = plural and not re.search(r"\b(?:the|these|those|its|their)\s+(?:(?!(?:of|in|on|for|by|from|"
                                              r"against|with)\b)\w+\s+){0,3}$", before, re.I)
        # "18,000 people were killed in terror attacks last year", "killed 150 soldiers in suicide bombings":
        # a killing told through a bare plural of attacks is a sum of many, like the plural itself.
        if "kill" in fr.roles and _IN_BARE_PLURAL.match(text[fr.end - sent.start:fr.end - sent.start + 90]):
            fr.generic = True
        fr.definite = bool(re.search(r"(?:\bthe|'s|’s)\s+(?:[\w-]+\s+){0,4}$", before, re.I))
        fr.continuation = bool(lex.continuation.match(text))
        fr.anaphoric = bool(re.search(r"\b(?:the|this|that|these)\s+(?:[\w-]+\s+){0,2}$", before, re.I)) and \
            fr.role == "event"
        fr.groups, fr.agents = groups, agents
        fr.legal_object = bool(_LEGAL_OBJECT.search(before))
        fr.target = target_of(text, rel)
        # Inmates attacking guards inside a prison is a prison riot (unrest), not an attack from outside.
        if fr.event_type == "attack" and fr.attack_type in (None, "armed_assault") and \
                lex.unrest_cues.search(_blank(lex.sentence_terms, text)[max(0, rel - 60):rel]):
            fr.event_type = "unrest"
            continue
        # "Assailants raided a residence": a raid by attackers, not by a state's forces, is an attack.
        if fr.event_type == "security_operation" and any(m.start() <= rel <= m.end()
                                                         for m in _ASSAILANTS_ATTACKED.finditer(text)):
            fr.event_type, fr.attack_type = "attack", fr.attack_type or "armed_assault"
        # A killing by state forces (or the de facto authorities) is an operation, or a clash at a checkpoint.
        if "kill" in fr.roles and (discourse.state_kill(fr, text, sent.start) or _militants_killed(fr, text)):
            fr.event_type = "clash" if lex.clash_cues.search(text) else "security_operation"
        # "Turkish warplanes attacked PKK targets": a state that attacks runs an operation; the group it
        # attacks is its target, not the attacker.
        elif fr.event_type == "attack" and "kill" not in fr.roles and _state_subject(fr, agents, text, sent.start) \
                and not _ASSAILANTS_ATTACKED.search(text):   # not "police shot dead gunmen who attacked a church"
            fr.event_type, fr.attack_type = "security_operation", None
            fr.groups = [replace(g, victim=True, subject=False) if g.start >= fr.end else g for g in fr.groups]
    # Arguments go to the nearest trigger; citation dates are kept aside as a fallback.
    # A sentence with one event: its settings ("in Pakistan") can belong to nothing else, however far
    # from the trigger they stand ("the attack that occurred at a convention in Pakistan"). Dates keep
    # the reach: a far date across a clause is often another act's ("photo released on March 23").
    sole = len({f.start for f in frames}) == 1
    stray: list[DateHit] = []
    for d in dates:
        # "mourned on Thursday, a day after a truck bomb exploded": the event after is dated back from that day.
        before_it = _day_spanned_back(d, text, sent.start)
        if before_it is not None:
            later = [f for f in frames if f.start >= d.value.end and f.role != "attr"]
            if later:
                later[0].dates.append(replace(d, value=before_it))
                earlier = [f for f in frames if f.start < d.value.start]
                target = nearest(earlier, d.value.start, costs, skip=skip) if earlier else None
                if target is not None:
                    target.dates.append(d)   # "Police arrested three men on Monday, hours after ..."
                continue
        if not d.citation:
            target = nearest(frames, d.value.start, costs, skip=skip)
            # "A blast on a bus had killed 13 people, including nine Chinese, in 2021.": a sentence's closing
            # "in <year or month>" dates its nearest event, however far from the event word.
            if target is None and d.value.precision in ("year", "month") and \
                    _CLOSING_IN.search(text[:d.value.start - sent.start]) and \
                    not text[d.value.end - sent.start:].strip(" .)\"”'"):
                target = nearest(frames, d.value.start, costs, reach=None, skip=skip)
            if target is not None:
                # A date before an event named as a legal step's or a claim's object is that step's date.
                step = target.legal_object and d.value.start < target.start
                target.dates.append(replace(d, citation=True) if step else d)
            elif sole and not d.vague and d.value.precision == "day" and _WEEKDAY.search(d.value.text):
                # "At least 11 people were killed ... after terrorists rammed two vehicles into the gate ... on
                # Tuesday evening": a sentence's one event owns the day its sentence counts from the report.
                stray.append(d)
    if sole and stray and not [d for d in frames[0].dates if not d.citation and not d.vague]:
        for fr in frames:
            fr.dates.append(stray[0])
    for p in places:
        if p.weight > 0:
            target = nearest(frames, p.start, costs, reach=None if sole and p.weight >= 3 else 45, skip=skip)
            if target is not None:
                target.places.append(p)
    for f in figures:
        target = nearest(frames, f.anchor, costs, reach=None, skip=skip)
        if target is not None:
            target.figures.append(f)
    # "Assailants shot and killed Naimatullah, the head of the security zone": a named office-holder killed,
    # read from the apposition even where the model tags no person.
    for m in _NAMED_VICTIM.finditer(text):
        if m.group("name").split()[0].lower() in ("the", "a", "an", "he", "she", "they", "two", "three"):
            continue
        target = nearest(frames, sent.start + m.start("name"), costs, reach=None)
        if target is not None and target.event_type == "attack" and target.attack_type in (None, "armed_assault"):
            target.attack_type = "assassination"
            if not any(f.role == "killed" for f in target.figures):
                target.figures.append(Figure("killed", Count(1, 1, m.group("name"), sent.start + m.start("name"),
                                                             sent.start + m.end("name")), sent.start + m.start()))
    for e in persons:
        # "Assailants opened fire on <name>", "a bomb targeting <name>": an attack aimed at a named person.
        if not sent.heading and _AIMED_AT.search(text[max(0, e.start - 60):e.start]):
            target = nearest(frames, sent.start + e.start, costs, reach=None)
            if target is not None and target.event_type == "attack" and \
                    target.attack_type in (None, "armed_assault", "bombing"):
                target.attack_type = "assassination"
        # "ISKP killed <name>": a named victim of a killing is an assassination with one dead.
        if _PERSON_VICTIM.search(text[:e.start]):
            target = nearest(frames, sent.start + e.start, costs, reach=None)
            if target is not None and target.event_type in ("attack", "security_operation", "clash"):
                if target.event_type == "attack":
                    target.attack_type = target.attack_type or "assassination"
                if not any(f.role == "killed" for f in target.figures):
                    target.figures.append(Figure("killed", Count(1, 1, e.text, sent.start + e.start,
                                                                 sent.start + e.end), sent.start + e.start))
    elided = discourse.elliptical_frames(frames, places, dates, text, sent.start, bounds)
    frames = merge_sentence_frames(frames, separating_boundaries(text, sent.start, protected)) + elided
    # A bare "foiled" or "attempted" with nothing to modify is not an event.
    frames = [f for f in frames if f.role not in ("foil", "attempt") or f.merged > 1]
    # "During a special raid, the security services detained four members of a cell": a raid whose sentence
    # tells arrests and no killing is the arrest.
    # "Gunmen opened fire on the parade and then attempted to storm the stand, killing 24"; "Attack on the
    # consulate foiled; 7 killed": an attack stopped only after people died was carried out (foiled, but an
    # attack), unless a state's forces did the killing.
    for fr in frames:
        if fr.event_type == "plot" and not agents and \
                any(x.role == "killed" and (x.count.min or 0) > 0 for x in fr.figures):
            fr.event_type = "attack"
    killing = any("kill" in f.roles or any(x.role == "killed" for x in f.figures) for f in frames)
    for fr in frames:
        if fr.event_type == "security_operation" and not killing and any(x.role == "arrested" for x in fr.figures):
            fr.event_type = "arrest"
    cites = [d for d in dates if d.citation]
    since = any(d.value.qualifier == "since" for d in dates)
    for fr in frames:
        # Citation dates date the whole sentence when a frame has no date of its own.
        if cites and not [d for d in fr.dates if not d.vague]:
            fr.dates.append(cites[0])
        fr.aggregate = since and fr.event_type in ("security_operation", "arrest")
        fr.nationality = sorted({iso for iso, _ in nats})
        fr.people = sorted({e.text for e in persons})
        fr.status = status_of(text, fr)
    _suicide_attack(frames, text)
    info.frames = frames
    info.groups = groups
    info.anaphor = has_group_anaphor(text)
    info.temporal = _temporal(sent)
    return info


def _militants_killed(fr: Frame, text: str) -> bool:
    """Militants are the ones killed ("security forces killed six terrorists"), and no militant group acts."""
    if any(g.subject and not g.victim and g.kind != "de_facto_authority" for g in fr.groups):
        return False
    return lexicon().militant_victims.search(text) is not None and _SUSPECTS_ACT.search(text) is None


# Attackers who die in their own attack are not victims of an operation.
_SUSPECTS_ACT = re.compile(r"\b(?:by return fire|blew (?:himself|herself|themselves) up|suicide)\b", re.I)


def _suicide_attack(frames: list[Frame], text: str) -> None:
    """The sentence's one attack is a suicide bombing when its attackers blew themselves up, and an armed
    assault when it was carried out with guns and by no other means the sentence names."""
    attacks = [f for f in frames if f.event_type in ("attack", "plot") and not f.generic_strong]
    if len(attacks) != 1:
        return
    if attacks[0].attack_type in (None, "bombing", "armed_assault") and lexicon().suicide_cues.search(text):
        attacks[0].attack_type = "suicide_bombing"
    elif attacks[0].event_type == "attack" and attacks[0].attack_type is None and not _OTHER_MEANS.search(text) and \
            (lexicon().firearm_cues.search(text) or _ASSAILANTS_ATTACKED.search(text)):
        attacks[0].attack_type = "armed_assault"


# "Assailants attacked a checkpoint", "militants stormed the post": attackers assaulting a place in person.
_ASSAILANTS_ATTACKED = re.compile(rf"\b(?:{cue_words('assailants')})\s+(?:[a-z]+\s+){{0,2}}?"
                                  rf"(?:{cue_words('assailants', 'verbs')})\b", re.I)
# Means other than guns: a sentence naming one of these is not told as a plain armed assault.
_OTHER_MEANS = cue("other_means")


_COMMENTATOR = re.compile(r"\b(?:researcher|analyst|expert|scholar|professor|journalist|author|editor|writer|"
                          r"commentator|correspondent|reporter|fellow)\s+$", re.I)
_SAID_AFTER = re.compile(r"^\s*(?:,[^,]{0,60},\s*)?(?:said|says|noted|notes|told|wrote|writes|argued|argues|added)\b", re.I)


def _is_named_person(e: Entity, text: str, gaz: Gazetteer) -> bool:
    """A person the report names in connection with the event: not a mis-tagged word, not a commentator.

    The model tags some nationality words as people ("Tajik"); analysts quoted
    about an event are not part of it, and Amu records people only as reports
    name them in connection with an incident.
    """
    first = e.text.split()[0]
    if gaz.demonym(first.split("-")[0]) or "-language" in e.text or len(e.text) < 4:
        return False
    # "Akora Khattak", "Shah Cheragh": a town or a shrine the model took for a person.
    if lexicon().group_pattern.fullmatch(e.text) or gaz.resolve(e.text) is not None:
        return False
    return not (_COMMENTATOR.search(text[max(0, e.start - 30):e.start]) or _SAID_AFTER.match(text[e.end:e.end + 70]))


def _attribute_frames(sent: Sentence, gaz: Gazetteer, context: frozenset[str] = frozenset()) -> list[Frame]:
    """A sentence with figures or perpetrators' nationality but no event word adds to the event before it.

    "More than 100 people were hospitalised." / "All four suspects are Tajik nationals."
    """
    figures = find_figures(sent.text, sent.start)
    nats = nationalities(sent.text, nationality_lookup(gaz), sent.start)
    # "The incident took place in the Khar area of Bajaur district": where the event just reported happened.
    places = [p for p in find_places(gaz, sent, [], context) if p.weight >= 3] \
        if lexicon().setting_verbs.search(sent.text) else []
    if not figures and not nats and not places:
        return []
    fr = Frame(sent.index, sent.start, sent.start, "", "attr", None, "attr", figures=figures,
               nationality=sorted({iso for iso, _ in nats}), roles={"attr"}, places=places)
    return [fr]


def anchor_score(fr: Frame) -> float:
    """How much evidence ties a frame to one real incident (see ``ExtractOptions.min_anchor``)."""
    s = 0.0
    own = [d for d in fr.dates if not d.vague]
    if own:
        s += 2.0 if not all(d.citation or d.reference for d in own) else 1.5 if not all(d.reference for d in own) \
            else 1.0
    elif fr.inherited_date is not None:
        s += 1.0
    elif fr.hints:
        s += 2.0   # "on Sunday" in a report without a date: what a dated report would resolve to a day
    if fr.figures:
        s += 2.0
    places = [p for p in fr.places if p.weight > 0]
    if any(p.place.kind not in ("country", "region") for p in places) or fr.inherited_place:
        s += 2.0
    if places or fr.agents:
        s += 1.0
    if any(a.subject for a in fr.agents):
        s += 1.0   # a named state acting ("Kazakhstan busted a cell") is a specific event
    if fr.perpetrator:
        s += 1.0
    if fr.attack_type:
        s += 1.0
    if fr.definite:
        s += 1.0
    if fr.people:
        s += 0.5
    if fr.generic and not (fr.attack_type and fr.perpetrator):
        s -= 1.5
    if fr.irrealis:
        s -= 3.0
    return s


# A sentence about an attack's own perpetrators or referring to the attack: its arrests and clashes are part of it.
_FOLLOWUP = cue("followup")


def _date_by_report(doc: Document, frames: list[Frame], lead: set[int]) -> None:
    """The news a report leads with, when it gives no date for it, happened by the report's date: that
    date, marked as the report's ("reported"), not as the day of the event. Only in the lead (later
    undated references are often to older events) and with a publication date that was not guessed."""
    if not doc.published or doc.published_inferred or len(doc.published) < 10:
        return   # (a month-only date is a magazine's or an analysis's, whose lead is seldom fresh news)
    value = DateValue(doc.published[:10], "day")
    for fr in frames:
        if fr.role != "attr" and fr.sentence_index in lead and not fr.dates and fr.inherited_date is None \
                and fr.event_type != "policy":
            fr.dates.append(DateHit(value, citation=True))


_YEAR_OR_DAY = re.compile(r"\b(?:1[89]|20)\d\d\b|" + _DAY_RELATIVE.pattern, re.I)


_ELAPSED_BEFORE = re.compile(r"\b(?:years?|months?|decades?)\s+(?:since|after|on from)\s+(?:[\w'’-]+\s+){0,4}$", re.I)
_ELAPSED_AFTER = re.compile(r"^\W{0,3}(?:[\w'’-]+\s+){0,3}(?:years?|months?|decades?)\s+ago\b", re.I)


def _place_from_lead(m: Mention, lead: list[Sentence], gaz: Gazetteer, context: frozenset[str]) -> None:
    """A report of one incident that its sentences do not place (or only in a country) happened where its lead
    says things happened ("... on the Tajik-Afghan border, at the village of Kavo", "in Shiraz"), when the lead
    names exactly one town, district or venue in that setting, in the incident's known country."""
    if m.country is None or m.place is not None and m.place.kind != "country":
        return   # without a country of its own, a lone name in the lead is too easily a namesake elsewhere
    found: dict[object, Place] = {}
    for sent in lead:
        for hit in find_places(gaz, sent, [], context):
            p = hit.place
            if hit.weight >= 3 and p.kind in ("city", "venue", "admin2") and p.country == m.country:
                found[p.geonameid or (p.name, p.country)] = p
    if len(found) == 1:
        place = next(iter(found.values()))
        m.place, m.location, m.country = place, place.name, place.country


def _own_dates(fr: Frame) -> list[DateHit]:
    return [d for d in fr.dates if not d.vague and not d.citation]


def _fresh(fr: Frame, doc: Document) -> bool:
    """The frame's own date puts it within weeks before the report: news, not a recollection. The date must
    say its year or count days from the report ("on Friday"); a bare "Dec. 16" in a remembrance is the day
    being remembered. A frame also dated months or years back ("killed in the 2014 attack ... gathered on
    Friday") is the old incident, whatever day its sentence also names."""
    if not doc.published or len(doc.published) < 10:
        return False
    try:
        pub = dt.date.fromisoformat(doc.published[:10])
    except ValueError:
        return False
    own = [d for d in fr.dates if not d.vague and not d.citation]
    if any(_days_before(pub, d.value.iso) > 180 for d in own):
        return False
    # "five years since the bombing", "the attack two years ago": the event is that far back, whatever day
    # its sentence also names.
    if _ELAPSED_BEFORE.search(doc.text[max(0, fr.start - 60):fr.start]) or \
            _ELAPSED_AFTER.search(doc.text[fr.end:fr.end + 40]):
        return False
    for d in own:
        if d.value.precision != "day" or not _YEAR_OR_DAY.search(d.value.text):
            continue
        try:
            days = (pub - dt.date.fromisoformat(d.value.iso)).days
        except ValueError:
            continue
        if -1 <= days <= 45:
            return True
    return False


def _days_before(pub: dt.date, iso: str) -> int:
    """Days from the end of the period ``iso`` names to ``pub`` (negative when after it): "2014" ended
    two years before a report of December 2016; "2016" had not."""
    parts = [int(x) for x in iso.split("-")]
    try:
        end = dt.date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except (ValueError, IndexError):
        return 0
    return (pub - end).days


def _report_time(doc: Document, frames: list[Frame]) -> DateValue | None:
    """When the report speaks from: its publication date, else the date of the first event it tells."""
    if doc.published:
        return DateValue(doc.published[:10], "day" if len(doc.published) >= 10 else "month")
    for fr in frames:
        own = [d.value for d in fr.dates if not d.vague and not d.citation]
        if fr.role != "attr" and own:
            return own[0]
    return None


def _headings(sents: list[Sentence]) -> set[int]:
    """Headlines: the first sentence when it stands alone (no closing full stop), and any later line set as
    a heading (a sub-headline, a related story's title)."""
    first = next((s for s in sents if s.text.strip()), None)
    if first is None or len(sents) < 2:
        return set()
    out = {s.index for s in sents if s.heading and s is not first}
    if first.heading or not first.text.rstrip().endswith((".", "!", "\"", "”")):
        out.add(first.index)
    return out


def _question(sent: Sentence) -> bool:
    """A sentence that asks ("Attack on the cathedral on New Year's Eve?") reports nothing."""
    return sent.text.rstrip(" \"'”’)").endswith("?")


def _mention_id(doc: Document, m: Mention, taken: set[str]) -> str:
    """Deterministic id from the document, the evidence span and what the mention says.

    One trigger can give several mentions ("rockets into Uzbekistan and
    Tajikistan"), so the country, place and date are part of the key.
    """
    raw = f"{doc.id}:{m.evidence.start}:{m.event_type}:{m.country}:{m.location}:{m.date.iso if m.date else ''}"
    ident = hashlib.sha1(raw.encode()).hexdigest()[:16]
    n = 0
    while ident in taken:
        n += 1
        ident = hashlib.sha1(f"{raw}#{n}".encode()).hexdigest()[:16]
    taken.add(ident)
    return ident


def extract_document(doc: Document, options: ExtractOptions | None = None,
                     ents: dict[int, list[Entity]] | None = None) -> list[Mention]:
    """Incident mentions of one document."""
    opts = options or ExtractOptions()
    gaz = opts.gazetteer or Gazetteer.default()
    if profile_of(doc.text, doc.meta).language == "ru":
        return extract_russian(doc, gaz)   # the same records, from Russian words (amu/data/ru.json)
    sents = split_sentences(doc.text)
    lex = lexicon()
    gate = relevance()
    written = [s for s in sents if s.text.strip()]
    lead = " ".join(s.text for s in written[:LEAD_SENTENCES])
    if gate.off_topic_report(lead, doc.text):
        return []   # an explosion, a crash, a robbery, a war between states: no word of political violence
    cand = [s for s in sents if lex.any_trigger.search(s.text) or _ATTRIBUTE_CUE.search(s.text)
            or lex.setting_verbs.search(s.text)]
    triggered = [s for s in cand if lex.any_trigger.search(s.text)]
    if ents is None:
        ents = candidate_entities(triggered, opts)
    context = document_countries(gaz, doc.text)
    arcs = candidate_parses(triggered, opts)
    surnames = _surnames(cand, ents, gaz)
    infos = [build_frames(doc, s, ents.get(s.index, []), gaz, context, arcs.get(s.index), surnames) for s in cand]
    frames = discourse.link(doc, infos, sents, gaz)
    by_index = {s.index: s for s in sents}
    kept = []
    other_cause: set[str] = set()   # event words of sentences told as another cause (a gas explosion, a crash)
    for fr in frames:
        if not discourse.keep(fr, opts.min_anchor, anchor_score(fr)):
            # "There were no reported casualties in the attack": not an event of its own, but its figures
            # tell of the one before.
            if fr.figures and fr.definite and fr.role != "attr":
                kept.append(replace(fr, role="attr", event_type="attr", attack_type=None, dates=[], places=[]))
            continue
        if fr.role != "attr" and (gate.off_topic_sentence(by_index[fr.sentence_index].text)
                                  or _question(by_index[fr.sentence_index])):
            other_cause.add(fr.trigger.lower().split()[-1])
            continue
        # "a methane gas explosion ... The explosion occurred at a depth of 1,000 feet": the same explosion.
        if fr.role != "attr" and (fr.definite or fr.anaphoric) and fr.trigger.lower().split()[-1] in other_cause \
                and not fr.groups and not gate.is_political(by_index[fr.sentence_index].text):
            continue
        # What a court judged, with no date or toll of its own, is no news of an event.
        if fr.role != "attr" and not fr.figures and _judged(fr, by_index[fr.sentence_index]):
            continue
        kept.append(fr)
    headings = _headings(sents)
    headlines: list[Frame] = []
    kept = coref.fold_headline(coref.corefer(kept, gaz), headings, gaz, headlines)
    kept = coref.attach_attributes(kept)
    kept = coref.fold_followups(kept, {s.index: s.text for s in sents}, _FOLLOWUP, gaz)
    texts = {s.index: (s.start, s.text) for s in sents}
    kept = coref.absorb_fragments(kept, texts, gaz, headlines)
    kept = coref.corefer(kept, gaz)   # the folds above completed some frames: compare them again
    kept = coref.fold_foiled(kept, gaz)
    coref.attack_type_from_story(kept, texts)
    now = _report_time(doc, kept)
    kept = [fr for fr in kept if not coref.background_aside(fr, now)]
    _date_by_report(doc, kept, {s.index for s in written[:LEAD_SENTENCES + 1]})
    if gate.looks_back(lead) and not any(_fresh(fr, doc) for fr in kept if fr.role != "attr"):
        return []   # an anniversary, a designation: the incidents it recalls are background
    if gate.judged(lead):
        # a verdict: the attack judged is background, unless told to the day; news the report tells (fresh,
        # or undated) stays
        kept = [fr for fr in kept if fr.role == "attr" or _fresh(fr, doc) or not (_own_dates(fr) or fr.legal_object)
                and not _judged(fr, by_index[fr.sentence_index], any_date=True)
                or any(d.value.precision == "day" for d in _own_dates(fr))]
    attribute_single_incident(doc, sents, kept, gaz)
    attribute_nearby_claims(sents, kept)
    prov = Provenance(doc.id, EXTRACTOR, __version__, model_id(opts.model) if opts.use_model else None)
    out = []
    taken: set[str] = set()
    evidence = [by_index[fr.sentence_index] for fr in kept]
    ms = [discourse.to_mention(doc, fr, Evidence(s.text, s.start, s.end), prov, gaz) for fr, s in zip(kept, evidence)]
    # A report whose placed incidents all lie in one country sets there those it does not place ("a blast on
    # a bus had killed 13 people in 2021", in a report on Pakistan): the country only, never a town.
    if len(ms) == 1:
        _place_from_lead(ms[0], written[:LEAD_SENTENCES + 1], gaz, context)
    countries = {m.country for m in ms if m.country}
    home = countries.pop() if len(countries) == 1 else None
    for fr, m, s in zip(kept, ms, evidence):
        if m.country is None and home is not None:
            m.country = home
        if m.date is None and fr.hints:
            m.date_hint = _date_hint(fr, s)
        m.id = _mention_id(doc, m, taken)
        m.confidence = min(1.0, anchor_score(fr) / 8)
        out.append(m)
    lead_end = written[LEAD_SENTENCES].start if len(written) > LEAD_SENTENCES else len(doc.text)
    out = [m for i, m in enumerate(out) if i == 0 or not _unanchored_aside(m, lead_end)]
    return one_report(out)   # a report tells its incident in its headline, lead and body: once


def _unanchored_aside(m: Mention, lead_end: int) -> bool:
    """A mention past the report's lead (and not its first) that has no date, no day without a year, no
    figure, no perpetrator and no perpetrators' nationality: an aside ("In that attack, a man drove into
    pedestrians"), a step of the story ("the gunmen also carried axes") or a comparison, not an incident
    of its own. An analysis that recalls "the Kerman bombing claimed by ISKP" names who did it."""
    return m.evidence.start >= lead_end and m.date is None and not m.date_hint and not m.perpetrator and \
        not m.perpetrator_nationality and m.killed is None and m.wounded is None and m.arrested is None


def _name_like(text: str) -> bool:
    """Two capitalised words in a row inside the sentence (a title's full stop does not start a sentence)."""
    return _NAME_LIKE.search(_TITLE_DOT.sub(r"\1,", text)) is not None


def candidate_entities(cand: list[Sentence], opts: ExtractOptions) -> dict[int, list[Entity]]:
    """Run the NLP model on the candidate sentences that can name a person (two capitalised words in a row)."""
    if not opts.use_model or not cand:
        return {}
    named = [s for s in cand if _name_like(s.text)]
    if not named:
        return {}
    res = entities([s.text for s in named], opts.model)
    return {s.index: e for s, e in zip(named, res)}


def _surnames(cand: list[Sentence], ents: dict[int, list[Entity]], gaz: Gazetteer) -> re.Pattern[str] | None:
    """The last names of the people the report names in full ("Igor Kirillov"), as one pattern: found alone
    elsewhere ("against Kirillov") they name the person, not a town."""
    texts = {s.index: s.text for s in cand}
    names = set()
    for i, es in ents.items():
        for e in es:
            last = e.text.split()[-1]
            if e.label == "PERSON" and " " in e.text and len(last) >= 4 and last[0].isupper() and i in texts \
                    and _is_named_person(e, texts[i], gaz):
                names.add(last)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(names)))})\b") if names else None


def candidate_parses(cand: list[Sentence], opts: ExtractOptions) -> dict[int, list[Arc]]:
    """Parse the candidate sentences with a verb of speaking (where a place may be the speaker's) or a word of
    harm (whose figures the parse may read)."""
    if not opts.use_model:
        return {}
    speaking = [s for s in cand if SPEECH_VERBS.search(s.text) or parsed_cue().search(s.text)]
    if not speaking:
        return {}
    return {s.index: a for s, a in zip(speaking, parses([s.text for s in speaking], opts.model))}

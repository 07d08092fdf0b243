"""Sentence-level event frames: triggers, their arguments, and how they combine.

A *frame* is one candidate event inside one sentence: a trigger word plus the
dates, places, figures and actors assigned to it. Arguments go to the nearest
trigger, where crossing a clause boundary ("; ", ", and", "even as") costs
more than distance, so "the bombing in Kerman, Iran, and the shooting in
Istanbul" gives two frames with one place each. Frames of one sentence that
describe one event ("were arrested after police disrupted a plot") are then
merged by a table of compatible types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from amu.extract.actors import GroupHit, StateAgent
from amu.extract.figures import Figure
from amu.extract.lexicon import attacks_differ, cue, cue_words, lexicon, same_attack
from amu.records import DateValue, Place

_BOUNDARY = re.compile(
    r";|\s[–—]\s|\beven as\b|\bwhile\b|\bwhereas\b|\bbut\b|,\s*(?:which|who)\b|,?\s*\bafter\b|,?\s*\bfollowing\b|"
    r",?\s*\band\b|,?\s*\bas well as\b|\bsuch as\b|\bincluding\b|\bbefore\b|\bthough\b|\balthough\b|\bunlike\b|"
    r"\bwhen\b|\bsince\b|\bthat\b",
    re.IGNORECASE,
)
_POSSESSOR = re.compile(r"[A-Z][\w.-]*(?:[\s-]+[A-Z][\w.-]*)*(?:'s|’s)\s+$")
_COORD = re.compile(r"^\s*,?\s*(?:and|as well as)\b", re.IGNORECASE)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|into|inside|outside|across|on|toward|towards|against|attacked|struck|hit|of the city of|outskirts of|suburbs of|"
    r"east of|west of|north of|south of|city of|province of|region of|district of|town of|village of)\s+(?:the\s+)?"
    r"(?:[a-z]+\s+){0,2})$"
)
_COORDINATED = re.compile(r"[A-Z][\w'’.-]*(?:[\s-]+[A-Z][\w'’.-]*)*\s*,?\s*(?:and|or|,)\s+$")
# Words after a place name that make it a modifier of a state actor rather than a setting,
# or the state itself speaking ("Washington rejected ...").
_STATE_AFTER = re.compile(r"^(?:'s|’s)?\s*(?:and\s+\w+\s+)?(?:officials|government|authorities|forces|troops|military|army|"
                          r"police|intelligence|president|leaders|embassy|consulate|diplomats|diplomatic|citizens|"
                          r"nationals|-trained|-led|-born|"
                          r"(?:has\s+|have\s+|had\s+)?(?:rejected|denied|said|says|blamed|accused|condemned|announced|"
                          r"vowed|insisted|warned|urged|called|responded|welcomed)\b)", re.I)
# Words before a place name that make it a person's origin, not the setting.
_ORIGIN_BEFORE = re.compile(r"\b(?:nationals?|citizens?|natives?|residents?|born|descent|hailing|originally|"
                            r"passport|immigrants?|migrants?)\s+(?:of|in|from)\s+(?:the\s+)?$|\bfrom\s+$|"
                            r"\b(?:the other|another|one)\s+(?:a\s+)?of\s+$|"
                            # where people or goods were headed ("travelling from Parachinar to Peshawar",
                            # "carrying food to Parachinar", "a train heading towards Peshawar"): a destination,
                            # not where it happened
                            r"(?<!close )(?<!next )(?<!near )(?<!due )\bto\s+(?:the\s+)?$|"
                            r"\b(?:towards?|bound\s+for|en\s+route\s+(?:to|for)|headed\s+(?:for|to))\s+(?:the\s+)?$", re.I)
# "the attack's organisers in Dnipro", "handlers of the cell based in Afghanistan": where they are, not the attack.
_REMOTE_BEFORE = re.compile(rf"\b(?:{cue_words('remote_directors')})(?:\s+of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){{0,3}}?)?"
                            r"\s+(?:(?:based|located|sitting)\s+)?in\s+(?:the\s+(?:city|town|region)\s+of\s+)?$", re.I)
# A lower-case facility noun after a name: "Ataturk airport", "the Saheb al-Zaman mosque".
FACILITY_AFTER = re.compile(r"^(?:[\s-]+(?:[A-Z]|al-|el-|ul-|ad-|an-|as-|ash-|at-|az-)[\w'’-]*)*?\s+(?i:airport|mosque|church|cathedral|synagogue|temple|shrine|"
                            r"station|stations|metro|hospital|school|university|stadium|hotel|market|bazaar|square|"
                            r"street|avenue|road|bridge|prison|embassy|consulate|hall|theatre|theater|cemetery|mall|"
                            r"nightclub|club|restaurant|cafe|park|building|tower|center|centre|camp|base|gurdwara)\b")
# The facility an event struck, read near its trigger ("attacked the Shia shrine", "the embassy attack").
# Only fixed sites: a convoy, a bus or a rally moves past sites, so "a convoy near the airport" and "the
# airport bombing" are not two targets.
TARGET_NOUN = re.compile(r"\b(airport|mosque|church|cathedral|synagogue|temple|shrine|gurdwara|station|metro|"
                         r"hospital|school|university|stadium|hotel|market|bazaar|embassy|consulate|prison|jail|"
                         r"police station|concert hall|nightclub|parliament|ministry|court|base|camp)s?\b", re.I)


def target_of(sentence: str, rel: int) -> str | None:
    """The facility noun nearest after a trigger, else just before it."""
    m = TARGET_NOUN.search(sentence[rel:rel + 90]) or next(iter(reversed(list(
        TARGET_NOUN.finditer(sentence[max(0, rel - 50):rel])))), None)
    return m.group(1).lower() if m else None


# Modifiers that make a merged arrest or attack into a foiled or attempted plot.
PLOT_ROLES = {"foil", "attempt"}
# Which frame types fold into which when they describe one event in one sentence.
MERGE_INTO = {
    ("arrest", "plot"): "plot",
    ("attack", "plot"): "plot",
    ("arrest", "security_operation"): "security_operation",
    ("arrest", "clash"): "clash",
    ("security_operation", "clash"): "clash",
    ("attack", "clash"): "clash",
}


_BARE_EVENT_NOUNS = cue("bare_event_nouns")
_WEEKDAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.I)


@dataclass
class PlaceHit:
    place: Place
    start: int
    end: int
    text: str
    weight: float      # locative 3, possessive 2, bare 1, state modifier 0


@dataclass
class DateHit:
    value: DateValue
    citation: bool = False   # "(Agency, April 2)": the date of a source, not of the event
    vague: bool = False      # "in recent years"
    reference: bool = False  # "since the March attack": dates an event named only as a time reference
    possessive: bool = False  # "Sunday's suicide attack": the date names the event itself


@dataclass
class Frame:
    """One candidate event in one sentence."""

    sentence_index: int
    start: int               # trigger span, document offsets
    end: int
    trigger: str
    event_type: str
    attack_type: str | None
    role: str
    dates: list[DateHit] = field(default_factory=list)
    places: list[PlaceHit] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    groups: list[GroupHit] = field(default_factory=list)
    agents: list[StateAgent] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    status: str | None = None
    irrealis: bool = False
    generic: bool = False
    generic_strong: bool = False   # a quantified plural: "several other plots", "past attacks"
    aggregate: bool = False        # a running total ("since August 2021"), never one incident
    anaphoric: bool = False        # "the attack" with nothing of its own: refers back
    legal_object: bool = False     # "accused of the attack": its sentence's date is a legal step's
    definite: bool = False
    continuation: bool = False
    inherited_date: DateValue | None = None
    hints: list[tuple[int, str]] = field(default_factory=list)  # undated report: days stated without a year
    inherited_place: PlaceHit | None = None
    perpetrator: str | None = None
    perpetrator_inferred: bool = False
    target: str | None = None       # the facility attacked, as a noun of the text ("shrine", "embassy")
    merged: int = 1
    last_index: int = -1      # the last sentence that reported on this event (for attaching later figures)

    def __post_init__(self) -> None:
        if self.last_index < 0:
            self.last_index = self.sentence_index

    def has_own_args(self) -> bool:
        return bool([d for d in self.dates if not d.citation]) or bool(self.places) or bool(self.figures)

    def has_strong_args(self) -> bool:
        """Own calendar date, figure, or a place marked as the setting ("in X", "X's")."""
        return bool([d for d in self.dates if not d.citation and not d.vague and not _WEEKDAY.search(d.value.text)]) \
            or bool(self.figures) or any(p.weight >= 2 for p in self.places)


def find_triggers(sentence: str, offset: int, index: int) -> list[Frame]:
    """Trigger matches in the sentence; overlapping matches keep the longest."""
    hits: list[tuple[int, int, int]] = []  # start, end, rule index
    for i, rule in enumerate(lexicon().triggers):
        for m in rule.pattern.finditer(sentence):
            hits.append((m.start(), m.end(), i))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
    chosen: list[tuple[int, int, int]] = []
    for h in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[2])):
        if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
            chosen.append(h)
    frames = []
    for s, e, i in sorted(chosen):
        rule = lexicon().triggers[i]
        frames.append(Frame(index, offset + s, offset + e, sentence[s:e], rule.event_type, rule.attack_type, rule.role,
                            roles={rule.role}))
    return frames


SOFT = 100    # cost of crossing a coordination ("and"): the conjuncts often share a date or a place
HARD = 1000   # cost of crossing any other clause boundary


def boundaries(sentence: str, offset: int, protected: list[tuple[int, int]]) -> list[int]:
    """Offsets of clause boundaries, skipping any that fall inside a protected span (a date, a place)."""
    out = []
    for m in _BOUNDARY.finditer(sentence):
        pos = offset + m.start()
        if any(a <= pos < b for a, b in protected):
            continue
        out.append(pos)
    return out


_SEPARATING = re.compile(r";|\s[–—]\s|\beven as\b|\bwhile\b|\bwhereas\b|\bbut\b|,?\s*\bafter\b|,?\s*\bfollowing\b|"
                         r",\s*\band\b|,?\s*\bas well as\b|\bsuch as\b|\bbefore\b|\bunlike\b", re.IGNORECASE)


def separating_boundaries(sentence: str, offset: int, protected: list[tuple[int, int]]) -> list[int]:
    """Boundaries that set two clauses apart as two events (not relative clauses)."""
    return [offset + m.start() for m in _SEPARATING.finditer(sentence)
            if not any(a <= offset + m.start() < b for a, b in protected)]


def boundary_costs(sentence: str, offset: int, bounds: list[int]) -> dict[int, int]:
    """Crossing cost of each boundary: soft for plain coordination, hard otherwise."""
    return {b: SOFT if _COORD.match(sentence[b - offset:b - offset + 14]) else HARD for b in bounds}


_ISLAND = re.compile(r",\s*(?:who|which|whose|where)\b[^,;()]{1,90},|\s[–—]\s[^–—;]{1,80}\s[–—]\s|\([^()]{1,80}\)")


def islands(sentence: str, offset: int) -> list[tuple[int, int]]:
    """Parenthetical relative clauses (", who was the governor of the province,"): skipped when measuring."""
    return [(offset + m.start(), offset + m.end()) for m in _ISLAND.finditer(sentence)]


def cost(frame: Frame, pos: int, bounds: "list[int] | dict[int, int]", skip: list[tuple[int, int]] | None = None) -> float:
    """Distance from a frame's trigger to an argument, plus a penalty per clause boundary crossed.

    Parenthetical relative clauses between the two are skipped, so "killed X,
    who was the governor, on March 9" dates the killing.
    """
    # An argument inside a relative clause belongs to that clause ("a colonel, who defected in 2015, ..."),
    # not to an event outside it.
    if any(a <= pos < b and not a <= frame.start < b for a, b in (skip or [])):
        return float("inf")
    lo, hi = (pos, frame.start) if pos < frame.start else (frame.end, pos)
    inside = [(a, b) for a, b in (skip or []) if lo <= a and b <= hi]
    weights = bounds if isinstance(bounds, dict) else {b: HARD for b in bounds}
    crossed = sum(w for b, w in weights.items() if lo <= b < hi and not any(a <= b < e for a, e in inside))
    dist = hi - lo - sum(b - a for a, b in inside)
    return max(dist, 0) + crossed


def nearest(frames: list[Frame], pos: int, bounds: "list[int] | dict[int, int]", reach: int | None = 45,
            skip: list[tuple[int, int]] | None = None) -> Frame | None:
    """The frame an argument at ``pos`` belongs to.

    None when the argument lies across a clause boundary and more than ``reach``
    characters away from every trigger ("..., even as Vienna and Cologne
    increased controls" does not place an arrest); ``reach=None`` never drops.
    """
    best = min(frames, key=lambda f: (cost(f, pos, bounds, skip), f.start))
    c = cost(best, pos, bounds, skip)
    if c == float("inf"):
        return None
    if reach is None or c < HARD + reach:
        return best
    return None


def place_weight(sentence: str, s: int, e: int) -> float:
    """How strongly a place name marks the setting of an event, from the words around it."""
    before = sentence[max(0, s - 40):s]
    after = sentence[e:e + 30]
    if _STATE_AFTER.match(after) or _ORIGIN_BEFORE.search(before) or \
            _REMOTE_BEFORE.search(sentence[max(0, s - 80):s]):
        return 0.0
    owner = _POSSESSOR.search(before)
    if owner and _ORIGIN_BEFORE.search(before[:owner.start()]):
        return 0.0   # "tourists from Spain's Catalonia region": where the victims come from
    if _LOCATIVE.search(before):
        return 3.0
    # "in Khyber Pakhtunkhwa's Lakki Marwat district": the place inside the possessive container shares
    # the container's marking.
    if owner and _LOCATIVE.search(before[:owner.start()]):
        return 3.0
    # "into Uzbekistan and Tajikistan": a coordinated place shares the first one's marking.
    head = _COORDINATED.sub("", before)
    if head != before and _LOCATIVE.search(head):
        return 3.0
    # "Tajikistan's Danghara district", "Turkey's Ataturk airport"; not "Moscow's prime target".
    if re.match(r"^(?:'s|’s)\s+(?:[A-Z]|(?:northern|southern|eastern|western|central|capital|border|district|"
                r"province|region|city|town|village|airport|frontier)\b)", after):
        return 2.0
    return 1.0


def type_rank(event_type: str) -> int:
    prio = lexicon().priority
    return prio.index(event_type) if event_type in prio else len(prio)


def conflict(a: Frame, b: Frame) -> bool:
    """Two frames of a sentence disagree on where or when, or on how (attack type)."""
    ca = {p.place.country for p in a.places if p.weight > 0 and p.place.country}
    cb = {p.place.country for p in b.places if p.weight > 0 and p.place.country}
    if ca and cb and not ca & cb:
        return True
    da = {d.value.iso for d in a.dates if not d.citation and not d.vague}
    db = {d.value.iso for d in b.dates if not d.citation and not d.vague}
    if da and db and not any(x.startswith(y) or y.startswith(x) for x in da for y in db):
        return True
    if attacks_differ(a.attack_type, b.attack_type):
        return True
    fa = {f.role: f.count for f in a.figures if not f.also}   # "also killed 60": more victims, no conflict
    fb = {f.role: f.count for f in b.figures if not f.also}
    return any(r in fb and (fa[r].min, fa[r].max) != (fb[r].min, fb[r].max) for r in fa)


def merged_type(a: Frame, b: Frame) -> str | None:
    """The type of the merged frame, or None when the two cannot describe one event."""
    ta, tb = a.event_type, b.event_type
    if ta == tb:
        return ta
    for x, y in ((ta, tb), (tb, ta)):
        if (x, y) in MERGE_INTO:
            return MERGE_INTO[(x, y)]
    # "32 people were killed in a prison riot": a killing with no means of its own is the riot's toll; so is
    # "five militants were killed in a drone strike" the strike's (the killing told before its cause, or
    # right after it).
    for x, y in ((a, b), (b, a)):
        if x.role == "kill" and x.attack_type is None and y.event_type == "unrest":
            return "unrest"
        if x.role == "kill" and x.attack_type is None and y.event_type == "security_operation" and \
                (x.start < y.start or 0 <= x.start - y.end <= 2):   # ... or "a drone strike kills five"
            return "security_operation"
    # "The attack occurred on Sunday when a Turkish drone bombed a car": the bare noun is the strike it is told as.
    for x, y in ((a, b), (b, a)):
        if x.event_type == "attack" and x.attack_type is None and x.start < y.start and \
                y.event_type == "security_operation" and _BARE_EVENT_NOUNS.fullmatch(x.trigger) is not None:
            return "security_operation"
    # A bare modifier trigger ("foiled", a killing verb) joins whatever it modifies.
    if b.role in PLOT_ROLES | {"kill"} and not b.has_own_args():
        return ta
    if a.role in PLOT_ROLES | {"kill"} and not a.has_own_args():
        return tb
    return None


def absorb(a: Frame, b: Frame, new_type: str) -> None:
    """Fold frame ``b`` into ``a``."""
    a.event_type = new_type
    a.attack_type = same_attack(a.attack_type, b.attack_type) or a.attack_type
    a.dates += b.dates
    a.hints += b.hints
    a.places += b.places
    a.figures += [f for f in b.figures if f.role not in {x.role for x in a.figures} or f.also]
    a.roles |= b.roles
    a.definite = a.definite or b.definite
    a.generic = a.generic and b.generic
    a.irrealis = a.irrealis and b.irrealis
    a.merged += b.merged
    if b.role not in PLOT_ROLES | {"kill"} and (a.role in PLOT_ROLES | {"kill"}):
        a.start, a.end, a.trigger, a.role = b.start, b.end, b.trigger, b.role


def merge_sentence_frames(frames: list[Frame], bounds: list[int] | None = None) -> list[Frame]:
    """Merge the frames of one sentence that describe one event.

    Generic frames ("several other plots") never merge. Two triggers of the
    same type separated by a clause boundary are two events ("the assault ...,
    following the bombing in Kerman"); complementary types ("arrested after
    police disrupted a plot") merge across it.
    """
    out: list[Frame] = []
    bounds = bounds or []
    for f in sorted(frames, key=lambda x: x.start):
        target = None
        if f.generic_strong:
            out.append(f)
            continue
        for g in out:
            if g.generic_strong:
                continue
            t = merged_type(g, f)
            # Adjacent triggers are one noun phrase ("suicide bomb attack"): one event, whatever the
            # arguments each picked up.
            adjacent = t is not None and 0 <= f.start - g.end <= 1
            if t is None or conflict(g, f) and not adjacent:
                continue
            both_events = f.role == g.role == "event"
            # Two attacks in clauses set apart by "following", "while", "and" ... are two attacks
            # ("the assault ..., following the bombing"); a relative clause ("an attack that ...,
            # killing 30 in a bombing") describes the same one, and so does an arrest "after" a plot.
            if g.event_type == f.event_type == "attack" and both_events and any(g.end <= b < f.start for b in bounds):
                continue
            target = (g, t)
        if target:
            absorb(target[0], f, target[1])
        else:
            out.append(f)
    return out

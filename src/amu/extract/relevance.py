"""Relevance: is a report, or a sentence, about political violence at all?

Earthquakes, road crashes, mine blasts, robberies and wars between states kill people too; the
words for them are not the words of an attack's report. The vocabulary lives in
``data/relevance.json``: words that mark political violence, and words that mark another cause.

- A report whose lead (headline and first sentences) names another cause, and whose text never marks
  political violence, reports no incident.
- Nor does a report whose text never marks political violence (no word of it, no armed group the alias
  table knows) and names no violent act ("an attack", "a riot"): a blast in a warehouse, a fire in a tower block or a bus in a ravine kill
  people without any agent of political violence, and every report of an attack in the evaluation
  sets (279 real excerpts, 1,000 GTD summaries) names one.
- A sentence that names another cause and no political violence yields no attack of its own.
- A report whose lead looks back (an anniversary, a designation) and that tells of no fresh
  incident yields none: the attacks it recalls are background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from amu.extract.lexicon import lexicon, load_json, word_pattern

LEAD_SENTENCES = 3


def _pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{word_pattern(words)})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Relevance:
    political: re.Pattern[str]
    agents: re.Pattern[str]
    motives: re.Pattern[str]
    denials: re.Pattern[str]
    violent_acts: re.Pattern[str]
    other: re.Pattern[str]
    retrospective: re.Pattern[str]
    verdicts: re.Pattern[str]

    def is_political(self, text: str) -> bool:
        """Words of political violence, or an armed group the alias table knows (denials do not count); the
        words for attackers ("gunmen") only where no other motive is stated ("stemmed from a land dispute")."""
        return self._political(self.denials.sub(" ", text))

    def _political(self, plain: str) -> bool:
        """:meth:`is_political` of a text whose denials are already blanked."""
        if self.political.search(plain) or lexicon().group_pattern.search(plain):
            return True
        return bool(self.agents.search(plain)) and self.motives.search(plain) is None

    def other_cause(self, text: str) -> str | None:
        m = self.other.search(text)
        return m.group(0) if m else None

    def off_topic_report(self, lead: str, text: str) -> bool:
        """The report never marks political violence, and its lead names another cause of death or damage,
        or it names no violent act ("an attack", "a riot") at all: no incident Amu records."""
        plain = self.denials.sub(" ", text)
        if self._political(plain):
            return False
        return self.other_cause(lead) is not None or self.violent_acts.search(plain) is None

    def looks_back(self, lead: str) -> bool:
        """The lead is a remembrance or a designation ("marked the second anniversary of",
        "designated as a terrorist organisation"): fresh news only if it tells a fresh incident."""
        return self.retrospective.search(lead) is not None

    def judged(self, lead: str) -> bool:
        """The lead reports a court's verdict ("sentenced to life for the 2016 attack"): the attack judged is
        background; only news the report tells of its own counts."""
        return self.verdicts.search(lead) is not None

    def off_topic_sentence(self, sentence: str) -> bool:
        return self.other_cause(sentence) is not None and not self.is_political(sentence)


@lru_cache(maxsize=1)
def relevance() -> Relevance:
    raw = load_json("relevance.json")
    other = [w for words in raw["other_causes"].values() for w in words]
    motives = raw["other_causes"]["crime"] + raw["other_causes"]["mental"]
    return Relevance(_pattern(raw["political"]), _pattern(raw["agents"]), _pattern(motives), _pattern(raw["denials"]),
                     _pattern(raw["violent_acts"]), _pattern(other), _pattern(raw["retrospective"]),
                     _pattern(raw["verdicts"]))

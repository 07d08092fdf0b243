"""Is a document in English? A light heuristic, so that no report is silently read as empty.

Amu's rules and model read English only. A report in another language gives no
mention, which must be reported, not mistaken for "nothing happened". Two
cues, no model:

1. the script: fewer than half the letters Latin means not English (Cyrillic,
   Arabic script, CJK ...);
2. for Latin-script text, the share of very common English function words:
   English prose has 30-45 % of its words in :data:`_FUNCTION_WORDS`, Uzbek,
   Turkish, French or German prose under 5 % (a few loanwords and names aside).

Texts of fewer than :data:`MIN_WORDS` words are not judged (a headline, a
caption). This is a screen, not a language identifier: it names the script, and
for Latin text says only "not English".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

MIN_WORDS = 25              # shorter texts are not judged
MIN_LATIN_SHARE = 0.5       # of letters
MIN_FUNCTION_SHARE = 0.12   # of words, for Latin-script text

_FUNCTION_WORDS = frozenset("""
the of and to in a an is was were are be been has have had that this these those it its for on with by as at
from or but not which who whom their they he she his her we our you said after before into over about than
""".split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class LanguageCheck:
    """The verdict on one text. ``script`` is the dominant writing system ("Latin", "Cyrillic" ...)."""

    english: bool
    script: str
    judged: bool = True         # False when the text was too short to say

    @property
    def description(self) -> str:
        if self.english:
            return "English"
        return f"{self.script} script" if self.script != "Latin" else "Latin script, not English"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ")[0].title() if name else "Unknown"


def check_language(text: str) -> LanguageCheck:
    """Whether ``text`` reads as English (see the module docstring for the cues)."""
    words = _WORD.findall(text[:20_000])
    if len(words) < MIN_WORDS:
        return LanguageCheck(english=True, script="Latin", judged=False)
    scripts = Counter(_script(ch) for w in words for ch in w)
    total = sum(scripts.values())
    latin = scripts.get("Latin", 0)
    if latin / total < MIN_LATIN_SHARE:
        top = max((s for s in scripts if s != "Latin"), key=lambda s: scripts[s])
        return LanguageCheck(english=False, script=top)
    latin_words = [w.lower() for w in words if all(_script(c) == "Latin" for c in w)]
    share = sum(w in _FUNCTION_WORDS for w in latin_words) / max(len(latin_words), 1)
    return LanguageCheck(english=share >= MIN_FUNCTION_SHARE, script="Latin")


def is_english(text: str) -> bool:
    """Shorthand for ``check_language(text).english``."""
    return check_language(text).english

"""Which languages a document is written in, per document and per paragraph.

Amu reads English and Russian (:data:`READABLE`). A report in another language, or a report with
a long passage in a language other than its own, gives fewer mentions than it holds; that must be reported and the
document flagged for an analyst, not mistaken for "nothing happened".

:func:`identify` splits a text into paragraphs, names each paragraph's language and sums the
letters per language into shares; the largest share is the document's language. Codes are those of
issue 10: ``en ru tg uz-Latn uz-Cyrl ky kk fa ps tr``, ``other`` for any other language and ``und``
for a text too short to judge. Uzbek gets its script from its letters (the identifier says "uz").

The identifier is ``py3langid`` 0.4.0: its model ships in the wheel (nothing is downloaded), it
knows all the region's languages, and it can be restricted to a set of languages
(:data:`CANDIDATES`). ``pycld2`` 0.42 was measured against it on ``tests/data/languages`` (21
documents in ten languages and scripts, 69 sentences): both name every document right;
on single sentences py3langid names 69 of 69, CLD2 68 (it gives "unknown" for a short Russian
sentence). CLD2 is ten times faster (~4 M vs ~0.4 M characters/s) but loads nothing, while
py3langid loads its model once (~1 s); neither is a bottleneck next to extraction. Neither
tells Dari (prs) from Persian: both are reported as ``fa``, with :data:`DARI_NOTE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable

ENGLISH = "en"
READABLE = ("en", "ru")   # languages with an extractor (amu.extract.mentions, amu.extract.russian)
UNDETERMINED = "und"
OTHER = "other"

# The languages issue 10 names (uz is split by script below) ...
NAMED = ("en", "ru", "tg", "uz", "ky", "kk", "fa", "ps", "tr")
# ... and the others a report on the region may hold; the identifier chooses among these only, so
# that it cannot wander into a rare language close to a named one, and names any of them "other".
OTHERS = ("ar", "ur", "uk", "be", "bg", "sr", "mk", "mn", "tt", "ba", "az", "tk", "ug", "ku",
          "de", "fr", "es", "it", "pt", "nl", "pl", "hi", "zh", "ja", "ko", "he", "el", "ka", "hy", "id")
CANDIDATES = NAMED + OTHERS

NAMES = {
    "en": "English", "ru": "Russian", "tg": "Tajik", "uz-Latn": "Uzbek (Latin)", "uz-Cyrl": "Uzbek (Cyrillic)",
    "ky": "Kyrgyz", "kk": "Kazakh", "fa": "Persian", "ps": "Pashto", "tr": "Turkish",
    OTHER: "another language", UNDETERMINED: "an undetermined language",
}
DARI_NOTE = "fa covers Persian and Dari (prs): the identifier does not tell them apart"

MIN_LETTERS = 40            # a text with fewer letters (a headline, a caption) is not judged
MIN_PARAGRAPH_LETTERS = 30  # a shorter paragraph takes the language of its neighbours
FLAG_SHARE = 0.2            # of letters: more than this not in English flags an English document
MAX_SAMPLE = 2_000          # characters of a paragraph the identifier reads (speed; shares count all)

_BLOCKS = re.compile(r"\n[ \t]*\n")
_LINES = re.compile(r"\n")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its character span in the text, its language and its letters."""

    start: int
    end: int
    language: str
    letters: int


@dataclass(frozen=True)
class LanguageProfile:
    """What a text is written in.

    Attributes:
        language: The main language (the largest share of letters), or ``und`` when not judged.
        shares: Share of the letters in each language, largest first; sums to 1 (empty if not judged).
        paragraphs: Each paragraph's span and language, in text order.
        note: A caveat on the result (Persian and Dari), or None.
    """

    language: str
    shares: dict[str, float] = field(default_factory=dict)
    paragraphs: tuple[Paragraph, ...] = ()
    note: str | None = None

    @property
    def judged(self) -> bool:
        return self.language != UNDETERMINED

    @property
    def foreign_share(self) -> float:
        """Share of letters that the document's extractor does not read: not in its own language where
        Amu reads that language, else not in English."""
        own = self.language if self.language in READABLE else ENGLISH
        return 0.0 if not self.judged else round(1.0 - self.shares.get(own, 0.0), 3)

    @property
    def flagged(self) -> bool:
        """True when Amu cannot fully read the text: not in a readable language, or more than FLAG_SHARE
        in another language than its own."""
        return self.judged and (self.language not in READABLE or self.foreign_share > FLAG_SHARE)

    @property
    def description(self) -> str:
        """"Russian", "English, with 31 % Tajik", "Russian and English (27 %)"."""
        main = NAMES.get(self.language, self.language)
        rest = [(lang, share) for lang, share in self.shares.items() if lang != self.language and share >= 0.05]
        if not rest:
            return main
        parts = ", ".join(f"{round(share * 100)} % {NAMES.get(lang, lang)}" for lang, share in rest)
        return f"{main}, with {parts}"

    def to_json(self) -> dict[str, Any]:
        """A compact form for ``Document.meta`` (paragraphs as ``[start, end, language]``)."""
        out: dict[str, Any] = {"language": self.language, "shares": self.shares,
                               "paragraphs": [[p.start, p.end, p.language] for p in self.paragraphs],
                               "flagged": self.flagged}
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LanguageProfile:
        """The profile :meth:`to_json` wrote (paragraph letters are not kept: 0)."""
        paragraphs = tuple(Paragraph(int(s), int(e), str(lang), 0) for s, e, lang in data.get("paragraphs", []))
        return cls(str(data["language"]), {str(k): float(v) for k, v in data.get("shares", {}).items()},
                   paragraphs, data.get("note"))


def profile_of(text: str, meta: dict[str, Any] | None = None) -> LanguageProfile:
    """A document's profile: the one ingest kept in its ``meta``, else identified now."""
    kept = (meta or {}).get("language_profile")
    return LanguageProfile.from_json(kept) if isinstance(kept, dict) and "language" in kept else identify(text)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _uzbek_script(text: str) -> str:
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    return "uz-Cyrl" if cyrillic > latin else "uz-Latn"


@cache
def _identifier() -> Any:
    """py3langid's model, loaded once per process from the wheel and restricted to CANDIDATES."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def classify(text: str) -> str:
    """The language code (see the module docstring) of one piece of text, judged whatever its length."""
    code, _ = _identifier().classify(text[:MAX_SAMPLE])
    if code == "uz":
        return _uzbek_script(text[:MAX_SAMPLE])
    return code if code in NAMED else OTHER


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs: blocks between blank lines, or lines when the text has no blank line.

    A paragraph longer than :data:`MAX_SAMPLE` characters (a record's text on one line) is cut at
    spaces into pieces of about that length, so that a language change inside it is still seen.
    """
    splitter = _BLOCKS if _BLOCKS.search(text) else _LINES
    spans: list[tuple[int, int]] = []
    start = 0
    for m in [*splitter.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.extend(_pieces(text, start + lead, start + len(chunk.rstrip())))
        if m:
            start = m.end()
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SAMPLE * 3 // 2:
        cut = text.rfind(" ", start + MAX_SAMPLE // 2, start + MAX_SAMPLE)
        cut = cut if cut > start else start + MAX_SAMPLE
        pieces.append((start, cut))
        start = cut + 1 if text[cut] == " " else cut
    return [*pieces, (start, end)]


def identify(text: str) -> LanguageProfile:
    """Name the language of ``text`` and of each of its paragraphs.

    Args:
        text: A document's text.

    Returns:
        The profile: main language, shares of letters per language, each paragraph's language.
        A text of fewer than :data:`MIN_LETTERS` letters is not judged (language ``und``).
    """
    if _letters(text) < MIN_LETTERS:
        return LanguageProfile(UNDETERMINED)
    spans = [(s, e, _letters(text[s:e])) for s, e in paragraph_spans(text)]
    langs: list[str | None] = [classify(text[s:e]) if n >= MIN_PARAGRAPH_LETTERS else None for s, e, n in spans]
    if not any(langs):           # only short paragraphs: judge them together
        whole = classify(text)
        langs = [whole] * len(spans)
    # A short paragraph (a heading, a byline) takes the language of the paragraph before it, or after it.
    known = [lang for lang in langs if lang]
    previous = known[0]
    for i, lang in enumerate(langs):
        previous = langs[i] = lang or previous
    paragraphs = tuple(Paragraph(s, e, lang or OTHER, n) for (s, e, n), lang in zip(spans, langs))
    totals: dict[str, int] = {}
    for p in paragraphs:
        totals[p.language] = totals.get(p.language, 0) + p.letters
    letters = sum(totals.values()) or 1
    shares = {lang: round(n / letters, 3) for lang, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))}
    main = next(iter(shares))
    return LanguageProfile(main, shares, paragraphs, DARI_NOTE if "fa" in shares else None)


def identify_many(texts: Iterable[str]) -> list[LanguageProfile]:
    """:func:`identify` for each text."""
    return [identify(t) for t in texts]


def flag_summary(flagged: list[tuple[str, LanguageProfile]], stored: bool = True) -> list[str]:
    """The lines ingest prints for documents Amu cannot fully read, grouped by language.

    Args:
        flagged: (document name, profile) for each flagged document.
        stored: Whether the documents were stored (``amu ingest``) or only read (``amu extract``).

    Returns:
        A headline, then one line per language with the documents' names; nothing when none is flagged.
    """
    if not flagged:
        return []
    groups: dict[str, list[str]] = {}
    for name, profile in flagged:
        groups.setdefault(profile.description, []).append(name)
    n = len(flagged)
    docs, verb = ("document", "was") if n == 1 else ("documents", "were")
    tail = f"{verb} {'stored and ' if stored else ''}flagged: Amu extracts English and Russian only for now"
    if len(groups) == 1 and next(iter(groups)) in NAMES.values():   # all in one language, no mixture
        [(what, names)] = groups.items()
        lines = [f"{n} {docs} in {what} {tail}", f"  {', '.join(names)}"]
    else:
        lines = [f"{n} {docs} not fully in English {tail}"]
        lines += [f"  {what}: {', '.join(names)}" for what, names in groups.items()]
    if any(p.note for _, p in flagged):
        lines.append(f"  note: {DARI_NOTE}")
    return lines


# -- the former English screen, kept for callers that only ask "is it English?" ---------------------------


@dataclass(frozen=True)
class LanguageCheck:
    """The verdict on one text: English (and fully readable) or not. ``script`` is the main writing system."""

    english: bool
    script: str
    judged: bool = True         # False when the text was too short to say
    language: str = ENGLISH
    what: str = "English"

    @property
    def description(self) -> str:
        return self.what


def _script(text: str) -> str:
    import unicodedata

    counts: dict[str, int] = {}
    for ch in text[:20_000]:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            script = name.split(" ")[0].title() if name else "Unknown"
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "Latin"


def check_language(text: str) -> LanguageCheck:
    """Whether ``text`` is English that Amu can fully read (:func:`identify` without the detail)."""
    profile = identify(text)
    if not profile.judged:
        return LanguageCheck(english=True, script="Latin", judged=False)
    return LanguageCheck(english=profile.language == ENGLISH and not profile.flagged, script=_script(text),
                         language=profile.language,
                         what=profile.description)


def is_english(text: str) -> bool:
    """Shorthand for ``check_language(text).english``."""
    return check_language(text).english

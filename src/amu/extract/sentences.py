"""Fast, rule-based sentence splitting with exact character offsets.

The NLP model is expensive, so sentences are found with a cheap splitter and
only the sentences that can hold an event are sent to the model. Offsets
always refer to the document text as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A wire dateline opening a sentence: "KABUL, March 9 (Agency) —", "DUSHANBE, Tajikistan:", "SEHWAN/KARACHI:".
# Its date is the report's and its city where the reporter files from, not the event's.
WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .'’/-]{2,40}(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\.?)?"
                           r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([^)]{2,60}\))?\s*[:—–-]")
# ... also in mixed case when it carries its date and its agency: "Islamabad [Pakistan], March 5 (ANI):".
_MIXED_DATELINE = re.compile(r"^[A-Z][A-Za-z .'’/-]{2,40}(?:\s*\[[^\]]{2,40}\])?(?:,\s*[A-Z][a-z]+)?"
                             r",\s*[A-Z][a-z]{2,8}\.? \d{1,2}\s*\([^)]{2,60}\)\s*[:—–-]")
# The page date a stored excerpt opens with (" date 2024-07-17 DUBAI, July 17 — ..."): the dateline follows it.
_PAGE_DATE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")


def wire_dateline(text: str) -> re.Match[str] | None:
    """The wire dateline opening a sentence (after a page-date heading, if any); its ``end()`` is in ``text``."""
    head = _PAGE_DATE.match(text)
    pos = head.end() if head else 0
    return WIRE_DATELINE.match(text, pos) or _MIXED_DATELINE.match(text, pos)

# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "u.s", "u.n", "u.k", "e.u", "st", "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt",
    "prof", "sen", "rep", "gov", "pres", "no", "vs", "etc", "e.g", "i.e", "a.k.a", "aka", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "inc", "ltd", "co",
    "jr", "sr", "mt", "ft", "fig", "al", "p.m", "a.m", "d.c",
}
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-ZА-ЯЁ0-9])")   # Latin or Cyrillic capitals
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# Lines that start the trailing boilerplate of a web page: nothing after them is the report.
_BOILERPLATE = re.compile(
    r"^\s*(related articles|related stories|related posts|related|read more|read next|more from|"
    r"recommended|you may also like|share this( article)?|subscribe|most popular|trending|"
    r"about the author|comments?)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: its span and whether it stands alone as a heading."""

    start: int
    end: int
    text: str
    index: int
    paragraph: int
    heading: bool = False


def main_text_end(text: str) -> int:
    """Offset where the report's own text ends (before 'Related articles' and the like)."""
    floor = len(text) // 3  # a 'Related' line near the top is navigation, not the end
    for m in _BOILERPLATE.finditer(text):
        if m.start() >= floor:
            return m.start()
    return len(text)


def _split_paragraph(text: str, start: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        candidate = text[pos:m.start() + 1]
        last = _LAST_WORD.search(candidate.rstrip("\"'”’)]"))
        if last:
            word = last.group(1).lower()
            # "U.S." and friends, and single initials ("J. Smith") do not end sentences.
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
        end = m.end()
        spans.append((start + pos, start + end))
        pos = end
    if pos < len(text):
        spans.append((start + pos, start + len(text)))
    return spans


def split_sentences(text: str, limit: int | None = None) -> list[Sentence]:
    """Split ``text`` into sentences with document offsets.

    Paragraphs are separated by line breaks; a short line without terminal
    punctuation is flagged as a heading.

    Args:
        text: The document text.
        limit: Offset to stop at (defaults to :func:`main_text_end`).
    """
    end_at = main_text_end(text) if limit is None else limit
    out: list[Sentence] = []
    para = 0
    for m in re.finditer(r"[^\n]+", text[:end_at]):
        line = m.group(0)
        if not line.strip():
            continue
        para += 1
        for s, e in _split_paragraph(line, m.start()):
            raw = text[s:e]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw) - len(raw.rstrip())
            s2, e2 = s + lead, e - trail
            if e2 <= s2:
                continue
            body = text[s2:e2]
            heading = len(body.split()) <= 16 and body[-1] not in ".!?\"”'’:;"
            out.append(Sentence(s2, e2, body, len(out), para, heading))
    return out

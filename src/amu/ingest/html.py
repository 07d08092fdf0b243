"""HTML pages: decoding, main-text extraction and meta tags, with trafilatura.

trafilatura finds the article body and drops navigation, adverts and comments; when it finds
nothing (a very short page, an odd layout) the page's whole visible text is used instead,
so that a page never fails only because its layout is unusual.
"""

from __future__ import annotations

import codecs
import logging
import re
from html.parser import HTMLParser
from typing import Any

from amu.errors import IngestError
from amu.ingest.files import check_not_binary, invalid_utf8
from amu.ingest.meta import pick_fields

log = logging.getLogger(__name__)

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# htmldate's extensive search guesses dates from free text and URLs; the ingest stage has its
# own dateline and inference steps (flagged as such), so only dates marked up as such count here.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}
_EXTRA_KEYS = ("description", "hostname", "categories", "tags")


def decode_html(data: bytes, name: str = "FILE") -> tuple[str, str]:
    """Decode an HTML file: UTF-8, or the charset the page itself declares.

    A page that declares its encoding in a ``<meta charset>`` tag is decoded with it: unlike
    a plain text file, the page states its encoding, so nothing is guessed.

    Args:
        data: The file's bytes.
        name: The file name, used in the suggested fix.

    Returns:
        ``(text, encoding)``.

    Raises:
        IngestError: Binary, empty, or undecodable data.
    """
    check_not_binary(data, name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        declared = _declared_charset(data)
        if declared is None:
            raise invalid_utf8(data, exc, name) from None
        try:
            text, encoding = data.decode(declared), declared
        except UnicodeDecodeError:
            raise invalid_utf8(data, exc, name) from None
    if not text.strip():
        raise IngestError("empty file", "the file holds no text; remove it or fill it")
    return text, encoding


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 kB, if Python knows it and it is not UTF-8."""
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec == "utf-8" else codec


def extract_html(html: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Extract the main text and metadata of a page.

    Args:
        html: The decoded page.

    Returns:
        ``(text, fields, extra)``: the text (not yet normalised; empty if the page has none),
        metadata fields as :func:`amu.ingest.meta.pick_fields` names them (title, author,
        url, publisher, published, language) and extra page facts (description, hostname ...).
    """
    import trafilatura  # imported here: it pulls in lxml, htmldate and more

    doc: Any = None
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,  # reader comments are not the report
            include_tables=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception:  # noqa: BLE001 - a parser bug on one page must not sink the batch
        log.warning("trafilatura failed; using the page's plain text", exc_info=True)
    text = (getattr(doc, "text", None) or "").strip()
    if doc is None or not text:
        doc = _metadata_only(html) if doc is None else doc
        text = _plain_text(html)
    record = {
        "title": doc.title if doc else None,
        "author": doc.author if doc else None,
        "url": doc.url if doc else None,
        "sitename": doc.sitename if doc else None,
        "date": doc.date if doc else None,
        "language": getattr(doc, "language", None) if doc else None,
    }
    extra = {k: getattr(doc, k, None) for k in _EXTRA_KEYS} if doc else {}
    return text, pick_fields(record), {k: v for k, v in extra.items() if v}


def _metadata_only(html: str) -> Any:
    """Meta tags of a page whose body trafilatura could not extract."""
    import trafilatura

    try:
        return trafilatura.extract_metadata(html, date_config=dict(_DATE_PARAMS))
    except Exception:  # noqa: BLE001 - see extract_html
        log.warning("trafilatura metadata extraction failed", exc_info=True)
        return None


def _plain_text(html: str) -> str:
    """All visible text of a page, scripts and styles removed."""
    import trafilatura

    try:
        text = trafilatura.html2txt(html).strip()
    except Exception:  # noqa: BLE001 - see extract_html
        log.warning("plain text conversion failed", exc_info=True)
        text = ""
    # html2txt wants a whole page; fragments (common in JSON exports) need the simple parser.
    return text or _TextParser.convert(html)


class _TextParser(HTMLParser):
    """Last-resort HTML to text: all character data outside scripts and styles, one block a line."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    @classmethod
    def convert(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

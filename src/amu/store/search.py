"""Full-text search over evidence sentences and whole reports, combined with filters.

SQLite answers from its FTS5 tables (Porter stemming), PostgreSQL from GIN indexes over
``to_tsvector('english', ...)`` (Snowball stemming, English stop words ignored). The query
language is the same on both, PostgreSQL's ``websearch_to_tsquery``: words must all occur
(``rocket Termez``), ``"a phrase"`` in that order, ``OR`` between alternatives, ``-word``
excludes.

A hit is either an **evidence** sentence (a mention whose sentence holds the words; the
filters apply to the mention) or a **document** whose text holds them and that has no
evidence hit already (the filters on country, type, actor and dates then need at least one
of its mentions to pass them). Evidence hits come first, each kind by relevance.

Dates are ISO at any precision (``2022``, ``2022-05``, ``2022-05-03``); a mention passes a
range when its date, at its own precision, overlaps the range.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Float, Select, Text, and_, exists, func, literal, literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from amu.errors import QueryError
from amu.records import ATTACK_TYPES, EVENT_TYPES
from amu.store.tables import PG_CONFIG, PG_DOCUMENT_TSV, PG_EVIDENCE_TSV, documents, mentions

if TYPE_CHECKING:
    from amu.store.base import StoreBase

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w", re.UNICODE)
TYPES = EVENT_TYPES + ATTACK_TYPES


def check_date(value: str, flag: str = "date") -> str:
    """An ISO date at year, month or day precision, checked (``2022-13`` is refused with a hint)."""
    m = _DATE.match(value.strip())
    ok = m is not None
    if m is not None:
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        try:
            date(year, month, day)
        except ValueError:
            ok = False
    if not ok:
        raise QueryError(f"bad {flag} {value!r}",
                         hint="write a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. --since 2022 or --until 2023-06-30")
    return value.strip()


def _after(value: str) -> str:
    """The first date after the period ``value`` names ("2022" -> "2023", "2022-12" -> "2023-01")."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        y, mo = parts
        return f"{y + mo // 12:04d}-{mo % 12 + 1:02d}"
    return (date(*parts) + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. Every filter is optional; ``text`` is not.

    Attributes:
        text: Words, "phrases", ``OR`` and ``-word`` (see the module's docstring).
        country: ISO 3166-1 alpha-2 code (``UZ``).
        event_type: An event type (``attack``, ``arrest`` ...) or an attack type (``rocket_attack`` ...).
        actor: The perpetrator's canonical name (``ISKP``); case does not matter.
        since / until: ISO dates, both ends included.
        source: Part of the publisher's name, the document's file name or its URL.
    """

    text: str
    country: str | None = None
    event_type: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        if not fts5_query(self.text):
            raise QueryError(f"nothing to search for in {self.text!r}",
                             hint='give at least one word that must occur, e.g. amu search "rocket Termez"')
        if self.country is not None:
            code = self.country.strip().upper()
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise QueryError(f"unknown country {self.country!r}",
                                 hint="give an ISO 3166-1 alpha-2 code, e.g. --country UZ for Uzbekistan")
            object.__setattr__(self, "country", code)
        if self.event_type is not None and self.event_type not in TYPES:
            raise QueryError(f"unknown type {self.event_type!r}", hint=f"use one of: {', '.join(TYPES)}")
        for flag in ("since", "until"):
            value = getattr(self, flag)
            if value is not None:
                object.__setattr__(self, flag, check_date(value, f"--{flag} date"))
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"--since {self.since} is after --until {self.until}", hint="swap the two dates")
        if self.limit < 1:
            raise QueryError(f"bad limit {self.limit}", hint="give --limit 1 or more")


@dataclass(frozen=True)
class SearchHit:
    """One answer: an evidence sentence (with its mention and incident) or a report."""

    kind: Literal["evidence", "document"]
    doc_id: str
    doc: str
    text: str                  # the evidence sentence, or a snippet of the report with [matches] marked
    score: float               # relevance, higher is better (comparable within one kind and one engine)
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    mention_id: str | None = None
    incident_id: str | None = None
    event_type: str | None = None
    attack_type: str | None = None
    date: str | None = None
    country: str | None = None
    location: str | None = None
    perpetrator: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fts5_query(raw: str) -> str:
    """The query in FTS5 syntax, with the meaning ``websearch_to_tsquery`` gives it; "" when no word must occur."""
    must: list[str] = []
    nots: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(raw):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            pending_or = bool(must)
            continue
        negate = word is not None and word.startswith("-") and len(word) > 1
        body = phrase if phrase is not None else (word[1:] if negate else word)
        if not body or not _WORD.search(body):
            continue
        term = '"' + body.replace('"', '""') + '"'
        if negate:
            nots.append(term)
        elif pending_or:
            must[-1] = f"{must[-1]} OR {term}"
        else:
            must.append(term)
        pending_or = False
    if not must:
        return ""
    expr = " AND ".join(f"({t})" for t in must)
    return f"({expr}) NOT ({' OR '.join(nots)})" if nots else expr


def _mention_filters(q: SearchQuery, m: Any) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if q.country:
        out.append(m.c.country == q.country)
    if q.event_type:
        out.append(or_(m.c.event_type == q.event_type, m.c.attack_type == q.event_type))
    if q.actor:
        out.append(func.lower(m.c.perpetrator) == q.actor.strip().lower())
    if q.since:   # the mention's period ends after the start: compare at the mention's own precision
        out.append(m.c.date >= func.substr(literal(q.since, Text), 1, func.length(m.c.date)))
    if q.until:
        out.append(m.c.date < _after(q.until))
    return out


def _source_filter(q: SearchQuery) -> list[ColumnElement[bool]]:
    if not q.source:
        return []
    s, d = q.source.strip().lower(), documents
    return [or_(*(func.lower(func.coalesce(col, "")).contains(s, autoescape=True)
                  for col in (d.c.publisher, d.c.name, d.c.url)))]


_HIT_COLUMNS = (documents.c.name.label("doc"), documents.c.title, documents.c.publisher, documents.c.published)


def _evidence(store: "StoreBase", q: SearchQuery) -> Select[Any]:
    m, d = mentions, documents
    cols = (m.c.id.label("mention_id"), m.c.doc_id, m.c.incident_id, m.c.event_type, m.c.attack_type, m.c.date,
            m.c.country, m.c.location, m.c.perpetrator, m.c.evidence_text.label("text"), *_HIT_COLUMNS)
    where = [*_mention_filters(q, m), *_source_filter(q)]
    if store.dialect == "postgresql":
        tsq = func.websearch_to_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), q.text)
        tsv: ColumnClause[Any] = literal_column(PG_EVIDENCE_TSV)
        score = func.ts_rank(tsv, tsq)
        return (select(*cols, score.label("score")).select_from(m.join(d, d.c.id == m.c.doc_id))
                .where(tsv.op("@@")(tsq), *where).order_by(score.desc(), m.c.date.desc(), m.c.id).limit(q.limit))
    fts = (text("SELECT ref, bm25(evidence_fts) AS rank FROM evidence_fts WHERE evidence_fts MATCH :q")
           .bindparams(q=fts5_query(q.text)).columns(ref=Text, rank=Float).subquery("f"))
    return (select(*cols, (-fts.c.rank).label("score"))
            .select_from(fts.join(m, m.c.id == fts.c.ref).join(d, d.c.id == m.c.doc_id))
            .where(*where).order_by(fts.c.rank, m.c.date.desc(), m.c.id).limit(q.limit))


def _documents(store: "StoreBase", q: SearchQuery, limit: int) -> Select[Any]:
    d = documents
    where = _source_filter(q)
    filters = _mention_filters(q, mentions)
    if filters:
        where.append(exists().where(mentions.c.doc_id == d.c.id, and_(*filters)))
    cols = (d.c.id.label("doc_id"), *_HIT_COLUMNS)
    if store.dialect == "postgresql":
        config: ColumnClause[Any] = literal_column(f"'{PG_CONFIG}'::regconfig")
        tsq = func.websearch_to_tsquery(config, q.text)
        tsv: ColumnClause[Any] = literal_column(PG_DOCUMENT_TSV)
        score = func.ts_rank(tsv, tsq)
        snippet = func.ts_headline(config, func.left(d.c.text, 100_000), tsq,
                                   "StartSel=[, StopSel=], MaxWords=24, MinWords=12, MaxFragments=1")
        return (select(*cols, snippet.label("text"), score.label("score"))
                .where(tsv.op("@@")(tsq), *where).order_by(score.desc(), d.c.name, d.c.id).limit(limit))
    fts = (text("SELECT ref, bm25(documents_fts) AS rank, snippet(documents_fts, 1, '[', ']', '…', 16) AS snip "
                "FROM documents_fts WHERE documents_fts MATCH :q")
           .bindparams(q=fts5_query(q.text)).columns(ref=Text, rank=Float, snip=Text).subquery("f"))
    return (select(*cols, fts.c.snip.label("text"), (-fts.c.rank).label("score"))
            .select_from(fts.join(d, d.c.id == fts.c.ref))
            .where(*where).order_by(fts.c.rank, d.c.name, d.c.id).limit(limit))


def search(store: "StoreBase", query: SearchQuery) -> list[SearchHit]:
    """Evidence sentences first, then reports, at most ``query.limit`` hits in all."""
    hits = [_hit("evidence", r) for r in store._rows(_evidence(store, query))]
    room = query.limit - len(hits)
    if room > 0:
        seen = {h.doc_id for h in hits}
        more = store._rows(_documents(store, query, room + len(seen)))
        hits += [_hit("document", r) for r in more if r["doc_id"] not in seen][:room]
    return hits


def _hit(kind: Literal["evidence", "document"], row: Any) -> SearchHit:
    values = {k: row[k] for k in row.keys() if k in SearchHit.__dataclass_fields__}
    values["score"] = round(float(values.get("score") or 0.0), 6)
    values["text"] = " ".join((values.get("text") or "").split())
    return SearchHit(kind=kind, **values)

"""Documents, rejections and mentions: written one document per transaction, read back as records.

A document and its mentions are written in one transaction, so a crash in the middle of a
batch leaves every document either fully stored or absent; ids are content hashes, so
running the same ingest again changes nothing. On SQLite the full-text tables are written
with the rows they index (PostgreSQL indexes the columns themselves).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

from sqlalchemy import Connection, bindparam, delete, or_, select, text, tuple_, update

from amu.errors import NotFound
from amu.records import Count, DateValue, Document, Evidence, Mention, Place, Provenance, Rejection
from amu.store.base import StoreBase
from amu.store.tables import (
    FTS_TABLES, actors, documents, fts_rowid, fusion_pending, mention_actors, mentions, places, rejections,
)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def place_id(p: Place) -> str:
    return f"gn:{p.geonameid}" if p.geonameid else f"{p.country}:{p.kind}:{p.name}"


def actor_id(name: str) -> str:
    return name.lower().replace(" ", "-")


class DocumentRows(StoreBase):
    """Documents, rejections and mentions."""

    # -- full-text tables (SQLite) -----------------------------------------------------------------
    def _fts_put(self, conn: Connection, table: str, rows: list[tuple[str, str]]) -> None:
        if self.dialect != "sqlite" or not rows:
            return
        fts = FTS_TABLES[table]
        conn.execute(text(f"DELETE FROM {fts} WHERE rowid = :r"), [{"r": fts_rowid(i)} for i, _ in rows])
        conn.execute(text(f"INSERT INTO {fts} (rowid, ref, body) VALUES (:r, :i, :b)"),
                     [{"r": fts_rowid(i), "i": i, "b": b} for i, b in rows])

    def _fts_drop(self, conn: Connection, table: str, ids: list[str]) -> None:
        if self.dialect == "sqlite" and ids:
            conn.execute(text(f"DELETE FROM {FTS_TABLES[table]} WHERE rowid = :r"), [{"r": fts_rowid(i)} for i in ids])

    # -- documents -------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return bool(self._rows(select(documents.c.id).where(documents.c.id == doc_id)))

    def _insert_document(self, conn: Connection, doc: Document) -> bool:
        new = self._insert(conn, documents, {
            "id": doc.id, "name": doc.name, "path": doc.path, "title": doc.title, "url": doc.url,
            "publisher": doc.publisher, "author": doc.author, "published": doc.published,
            "published_inferred": int(doc.published_inferred), "language": doc.language,
            "source_format": doc.source_format, "meta_json": json.dumps(doc.meta, default=str), "text": doc.text,
            "ingested_at": now()}, on_conflict="ignore") == 1
        if new:
            self._fts_put(conn, "documents", [(doc.id, f"{doc.title or ''} {doc.text}")])
        return new

    def add_document(self, doc: Document, mentions: Iterable[Mention] | None = None,
                     extracted_with: str | None = None) -> bool:
        """Store a document (and, if given, its mentions) atomically. Returns True if the document is new."""
        with self.transaction() as conn:
            new = self._insert_document(conn, doc)
            if mentions is not None:
                self._replace_mentions(conn, doc.id, list(mentions), extracted_with)
        return new

    def document(self, doc_id: str) -> Document:
        rows = self._rows(select(documents).where(or_(documents.c.id == doc_id, documents.c.name == doc_id))
                          .order_by(documents.c.id).limit(1))
        if not rows:
            raise NotFound(f"no document {doc_id!r}", hint="list documents with: amu documents")
        return _document(rows[0])

    def documents(self, batch: int = 200) -> Iterator[Document]:
        """Every document, by name, read in batches (the corpus is never held whole, no read stays open)."""
        order = (documents.c.name, documents.c.id)
        after: tuple[str, str] | None = None
        while True:
            stmt = select(documents).order_by(*order).limit(batch)
            if after is not None:
                stmt = stmt.where(tuple_(*order) > tuple_(*after))
            rows = self._rows(stmt)
            for row in rows:
                yield _document(row)
            if len(rows) < batch:
                return
            after = (rows[-1]["name"], rows[-1]["id"])

    def published_dates(self) -> dict[str, str]:
        """Document id -> publication date, for the documents that have one."""
        rows = self._rows(select(documents.c.id, documents.c.published).where(documents.c.published.is_not(None)))
        return {r["id"]: r["published"] for r in rows}

    def add_rejection(self, rejection: Rejection) -> bool:
        """Record a rejected input and why; the same rejection again (a re-run) is not added twice.

        Returns True if it is new.
        """
        with self.transaction() as conn:   # under the writer lock: two ingests never both add it
            known = conn.execute(select(rejections.c.id).where(rejections.c.source == rejection.source,
                                                               rejections.c.reason == rejection.reason).limit(1))
            if known.first() is not None:
                return False
            self._insert(conn, rejections, {"source": rejection.source, "reason": rejection.reason, "at": now()})
            return True

    def rejections(self) -> list[Rejection]:
        return [Rejection(r["source"], r["reason"]) for r in self._rows(select(rejections).order_by(rejections.c.id))]

    # -- mentions --------------------------------------------------------------------------------
    def replace_mentions(self, doc_id: str, mentions: list[Mention], extracted_with: str | None = None) -> None:
        """Replace a document's mentions (re-extraction is idempotent)."""
        with self.transaction() as conn:
            self._replace_mentions(conn, doc_id, mentions, extracted_with)

    def _replace_mentions(self, conn: Connection, doc_id: str, found: list[Mention],
                          extracted_with: str | None) -> None:
        was: dict[str, str | None] = {
            i: inc for i, inc in conn.execute(select(mentions.c.id, mentions.c.incident_id)
                                              .where(mentions.c.doc_id == doc_id))}
        self._fts_drop(conn, "mentions", list(was))
        conn.execute(delete(mentions).where(mentions.c.doc_id == doc_id))
        # The incidents these mentions were in are re-fused next time (a mention may be gone); a mention that
        # comes back under its id stays in its incident until then.
        self._insert(conn, fusion_pending, [{"incident_id": i} for i in sorted({i for i in was.values() if i})],
                     on_conflict="ignore")
        place_rows: dict[str, dict[str, Any]] = {}
        actor_rows: dict[str, dict[str, Any]] = {}
        rows: dict[str, dict[str, Any]] = {}      # by id: a repeated id keeps its last row, as before
        links = []
        for m in found:
            pid = None
            if m.place is not None:
                pid, p = place_id(m.place), m.place
                place_rows[pid] = {"id": pid, "name": p.name, "country": p.country, "kind": p.kind,
                                   "admin1": p.admin1, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid,
                                   "population": p.population}
            rows[m.id] = _mention_row(m, pid)
            if m.incident is None:
                rows[m.id]["incident_id"] = was.get(m.id)
            if m.perpetrator:
                # Kind and parent come from the aliases seen in the same document (ActorFacts).
                aid = actor_id(m.perpetrator)
                actor_rows[aid] = {"id": aid, "name": m.perpetrator, "kind": "group", "parent": None}
                links.append({"mention_id": m.id, "actor_id": aid, "role": "perpetrator"})
        # Sorted keys: two writers never take the same rows in opposite orders.
        self._insert(conn, places, [place_rows[k] for k in sorted(place_rows)], on_conflict="ignore")
        self._insert(conn, mentions, list(rows.values()), on_conflict="update")
        self._fts_put(conn, "mentions", [(i, r["evidence_text"]) for i, r in rows.items()])
        self._insert(conn, actors, [actor_rows[k] for k in sorted(actor_rows)], on_conflict="ignore")
        self._insert(conn, mention_actors, links, on_conflict="ignore")
        conn.execute(update(documents).where(documents.c.id == doc_id).values(extracted_with=extracted_with))

    def set_incident(self, assignments: Mapping[str, str | None]) -> None:
        """Record which fused incident each mention belongs to."""
        if not assignments:
            return
        stmt = update(mentions).where(mentions.c.id == bindparam("mid")).values(incident_id=bindparam("inc"))
        with self.transaction() as conn:
            conn.execute(stmt, [{"mid": mid, "inc": inc} for mid, inc in assignments.items()])

    def mentions(self, doc_id: str | None = None, incident_id: str | None = None,
                 id_prefix: str | None = None) -> list[Mention]:
        stmt = _MENTIONS
        if doc_id:
            stmt = stmt.where(mentions.c.doc_id == doc_id)
        if incident_id:
            stmt = stmt.where(mentions.c.incident_id == incident_id)
        if id_prefix:
            stmt = stmt.where(mentions.c.id.startswith(id_prefix, autoescape=True))
        stmt = stmt.order_by(mentions.c.doc, mentions.c.evidence_start, mentions.c.id)
        return [_mention(r) for r in self._rows(stmt)]

    def mention(self, mention_id: str) -> Mention:
        rows = self.mentions(id_prefix=mention_id)
        if not rows:
            raise NotFound(f"no mention {mention_id!r}", hint="list incidents with: amu incidents")
        return rows[0]


_MENTIONS = (select(mentions, places.c.name.label("p_name"), places.c.country.label("p_country"),
                    places.c.kind.label("p_kind"), places.c.admin1.label("p_admin1"), places.c.lat.label("p_lat"),
                    places.c.lon.label("p_lon"), places.c.geonameid.label("p_geonameid"),
                    places.c.population.label("p_population"))
             .select_from(mentions.outerjoin(places, places.c.id == mentions.c.place_id)))


def _mention_row(m: Mention, pid: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": m.id, "doc_id": m.doc_id, "doc": m.doc, "event_type": m.event_type, "attack_type": m.attack_type,
        "date": m.date.iso if m.date else None, "date_precision": m.date.precision if m.date else None,
        "country": m.country, "location": m.location, "place_id": pid, "perpetrator": m.perpetrator,
        "nationality_json": json.dumps(m.perpetrator_nationality), "status": m.status,
        "people_json": json.dumps(m.people), "evidence_text": m.evidence.text, "evidence_start": m.evidence.start,
        "evidence_end": m.evidence.end, "extractor": m.provenance.extractor,
        "extractor_version": m.provenance.version, "model": m.provenance.model, "confidence": m.confidence,
        "incident_id": m.incident, "spans_json": json.dumps(_spans(m)), "target": m.target,
        "date_qualifier": m.date.qualifier if m.date else None, "date_text": m.date.text if m.date else None,
        "date_hint": m.date_hint,
    }
    for key in ("killed", "wounded", "arrested"):
        c: Count | None = getattr(m, key)
        row[f"{key}_min"], row[f"{key}_max"], row[f"{key}_text"] = (c.min, c.max, c.text) if c else (None, None, None)
    return row


def _spans(m: Mention) -> dict[str, list[int]]:
    """Character spans of the facts inside the evidence (date, figures), kept for provenance."""
    out = {}
    if m.date is not None and m.date.start >= 0:
        out["date"] = [m.date.start, m.date.end]
    for key in ("killed", "wounded", "arrested"):
        c = getattr(m, key)
        if c is not None and c.start >= 0:
            out[key] = [c.start, c.end]
    return out


def _uncount(row: Mapping[Any, Any], key: str) -> Count | None:
    lo, hi = row[f"{key}_min"], row[f"{key}_max"]
    if lo is None and hi is None:
        return None
    start, end = json.loads(row["spans_json"] or "{}").get(key, [-1, -1])
    return Count(lo, hi, row[f"{key}_text"] or "", start, end)


def _document(row: Mapping[Any, Any]) -> Document:
    return Document(id=row["id"], name=row["name"], text=row["text"], path=row["path"], title=row["title"],
                    url=row["url"], publisher=row["publisher"], author=row["author"], published=row["published"],
                    published_inferred=bool(row["published_inferred"]), language=row["language"],
                    source_format=row["source_format"] or "txt", meta=json.loads(row["meta_json"] or "{}"))


def _mention(row: Mapping[Any, Any]) -> Mention:
    place = None
    if row["p_name"]:
        place = Place(row["p_name"], row["p_country"], row["p_kind"], row["p_lat"], row["p_lon"], row["p_admin1"],
                      row["p_population"] or 0, row["p_geonameid"])
    date = None
    if row["date"]:
        start, end = json.loads(row["spans_json"] or "{}").get("date", [-1, -1])
        date = DateValue(row["date"], row["date_precision"], start, end, row["date_text"] or "",
                         row["date_qualifier"])
    return Mention(
        id=row["id"], doc=row["doc"], doc_id=row["doc_id"], event_type=row["event_type"],
        evidence=Evidence(row["evidence_text"], row["evidence_start"], row["evidence_end"]),
        provenance=Provenance(row["doc_id"], row["extractor"], row["extractor_version"], row["model"]),
        attack_type=row["attack_type"], date=date, country=row["country"], location=row["location"], place=place,
        perpetrator=row["perpetrator"], perpetrator_nationality=json.loads(row["nationality_json"]),
        killed=_uncount(row, "killed"), wounded=_uncount(row, "wounded"), arrested=_uncount(row, "arrested"),
        status=row["status"], people=json.loads(row["people_json"]), incident=row["incident_id"],
        target=row["target"], confidence=row["confidence"] or 0.0, date_hint=row["date_hint"],
    )

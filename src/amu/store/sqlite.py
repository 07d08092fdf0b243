"""The embedded SQLite store (the default).

A document and its mentions are written in one transaction, so a crash in
the middle of a batch leaves every document either fully stored or absent;
ids are content hashes, so running the same ingest again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from amu.errors import NotFound, StoreError
from amu.extract.lexicon import lexicon
from amu.records import Count, DateValue, Document, Evidence, Mention, Place, Provenance, Rejection
from amu.store.schema import MIGRATIONS

if TYPE_CHECKING:
    from amu.extract.relations import AliasSeen, Relation


_MENTION_COLUMNS = (
    "id, doc_id, doc, event_type, attack_type, date, date_precision, country, location, place_id, perpetrator, "
    "nationality_json, killed_min, killed_max, killed_text, wounded_min, wounded_max, wounded_text, arrested_min, "
    "arrested_max, arrested_text, status, people_json, evidence_text, evidence_start, evidence_end, extractor, "
    "extractor_version, model, confidence, incident_id, spans_json"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def person_key(name: str) -> str:
    """How one person's name is matched across documents: exact, up to case, spacing and apostrophes."""
    return " ".join(name.replace("’", "'").casefold().split())


def _place_id(p: Place) -> str:
    return f"gn:{p.geonameid}" if p.geonameid else f"{p.country}:{p.kind}:{p.name}"


class Store:
    """An Amu database in one SQLite file (``":memory:"`` for tests)."""

    def __init__(self, path: str | Path = "amu.db") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.exists():
                raise StoreError(f"folder {parent} does not exist", hint="create it, or pass --db with another path")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}", hint="check the path and permissions") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.migrate()

    # -- schema --------------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply the migrations that have not run yet; return their numbers."""
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                          "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            with self.transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
            applied.append(version)
        return applied

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def transaction(self) -> "_Tx":
        return _Tx(self.conn)

    def close(self) -> None:
        self.conn.close()

    # -- documents -----------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def _insert_document(self, doc: Document) -> bool:
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO documents (id, name, path, title, url, publisher, author, published, "
            "published_inferred, language, source_format, meta_json, text, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.name, doc.path, doc.title, doc.url, doc.publisher, doc.author, doc.published,
             int(doc.published_inferred), doc.language, doc.source_format, json.dumps(doc.meta, default=str),
             doc.text, _now()),
        )
        return cur.rowcount == 1

    def add_document(self, doc: Document, mentions: Iterable[Mention] | None = None,
                     extracted_with: str | None = None) -> bool:
        """Store a document (and, if given, its mentions) atomically. Returns True if the document is new."""
        with self.transaction():
            new = self._insert_document(doc)
            if mentions is not None:
                self._replace_mentions(doc.id, list(mentions), extracted_with)
        return new

    def document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ? OR name = ?", (doc_id, doc_id)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id!r}", hint="list documents with: amu documents")
        return _document(row)

    def documents(self) -> Iterator[Document]:
        for row in self.conn.execute("SELECT * FROM documents ORDER BY name"):
            yield _document(row)

    def add_rejection(self, rejection: Rejection) -> None:
        self.conn.execute("INSERT INTO rejections (source, reason, at) VALUES (?, ?, ?)",
                          (rejection.source, rejection.reason, _now()))

    def rejections(self) -> list[Rejection]:
        return [Rejection(r["source"], r["reason"]) for r in self.conn.execute("SELECT * FROM rejections ORDER BY id")]

    # -- mentions ------------------------------------------------------------------------------
    def replace_mentions(self, doc_id: str, mentions: list[Mention], extracted_with: str | None = None) -> None:
        """Replace a document's mentions (re-extraction is idempotent)."""
        with self.transaction():
            self._replace_mentions(doc_id, mentions, extracted_with)

    def _replace_mentions(self, doc_id: str, mentions: list[Mention], extracted_with: str | None) -> None:
        self.conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
        for m in mentions:
            place_id = None
            if m.place is not None:
                place_id = _place_id(m.place)
                p = m.place
                self.conn.execute("INSERT OR IGNORE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  (place_id, p.name, p.country, p.kind, p.admin1, p.lat, p.lon, p.geonameid))
            values = (m.id, m.doc_id, m.doc, m.event_type, m.attack_type, m.date.iso if m.date else None,
                      m.date.precision if m.date else None, m.country, m.location, place_id, m.perpetrator,
                      json.dumps(m.perpetrator_nationality), *_count(m.killed), *_count(m.wounded),
                      *_count(m.arrested), m.status, json.dumps(m.people), m.evidence.text, m.evidence.start,
                      m.evidence.end, m.provenance.extractor, m.provenance.version, m.provenance.model,
                      m.confidence, m.incident, json.dumps(_spans(m)))
            self.conn.execute(f"INSERT OR REPLACE INTO mentions ({_MENTION_COLUMNS}) "
                              f"VALUES ({', '.join('?' * len(values))})", values)
            if m.perpetrator:
                self._link_actor(m.id, m.perpetrator, "perpetrator")
        self.conn.execute("UPDATE documents SET extracted_with = ? WHERE id = ?", (extracted_with, doc_id))

    def _link_actor(self, mention_id: str, name: str, role: str) -> None:
        group = lexicon().groups.get(name)
        actor_id = name.lower().replace(" ", "-")
        self.conn.execute("INSERT OR IGNORE INTO actors VALUES (?, ?, ?, ?)",
                          (actor_id, name, group.kind if group else "group", group.parent if group else None))
        self.conn.execute("INSERT OR IGNORE INTO mention_actors VALUES (?, ?, ?)", (mention_id, actor_id, role))

    def set_incident(self, assignments: dict[str, str]) -> None:
        """Record which fused incident each mention belongs to."""
        with self.transaction():
            self.conn.executemany("UPDATE mentions SET incident_id = ? WHERE id = ?",
                                  [(inc, mid) for mid, inc in assignments.items()])

    def mentions(self, doc_id: str | None = None, incident_id: str | None = None,
                 id_prefix: str | None = None) -> list[Mention]:
        sql, args = "SELECT m.*, p.name AS p_name, p.country AS p_country, p.kind AS p_kind, p.admin1 AS p_admin1, " \
                    "p.lat AS p_lat, p.lon AS p_lon, p.geonameid AS p_geonameid FROM mentions m " \
                    "LEFT JOIN places p ON p.id = m.place_id", []
        where = []
        if doc_id:
            where.append("m.doc_id = ?")
            args.append(doc_id)
        if incident_id:
            where.append("m.incident_id = ?")
            args.append(incident_id)
        if id_prefix:
            where.append("substr(m.id, 1, ?) = ?")
            args += [len(id_prefix), id_prefix]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY m.doc, m.evidence_start"
        return [_mention(r) for r in self.conn.execute(sql, args)]

    def mention(self, mention_id: str) -> Mention:
        rows = self.mentions(id_prefix=mention_id)
        if not rows:
            raise NotFound(f"no mention {mention_id!r}", hint="list incidents with: amu incidents")
        return rows[0]

    def stats(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "mentions", "rejections", "actors", "places", "incidents"):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out

    # -- key/value state (fusion index) ------------------------------------------------------------
    def get_state(self, key: str) -> Any:
        row = self.conn.execute("SELECT value_json FROM fusion_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_state(self, key: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO fusion_state VALUES (?, ?)", (key, json.dumps(value)))

    # -- actors, aliases seen, people and relations (migration 3; see amu.extract.relations) ------------
    def replace_actor_facts(self, doc: Document, relations: Sequence["Relation"], aliases: Sequence["AliasSeen"]) -> None:
        """Replace one document's relations, aliases seen and people, in one transaction (idempotent)."""
        with self.transaction():
            self._insert_document(doc)
            for table in ("people", "relations", "actor_aliases"):
                self.conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.id,))
            lex = lexicon()
            for a in aliases:
                group = lex.groups.get(a.name)
                # The registry of known groups and outlets (same rows as mention perpetrators create).
                self.conn.execute("INSERT OR IGNORE INTO actors VALUES (?, ?, ?, ?)",
                                  (a.name.lower().replace(" ", "-"), a.name, a.kind, group.parent if group else None))
                self.conn.execute("INSERT OR REPLACE INTO actor_aliases VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  (a.name, a.kind, a.alias, doc.id, a.count, a.start, a.end))
            for r in relations:
                rid = "rel-" + hashlib.sha1(f"{doc.id}|{r.subject}|{r.relation}|{r.object}|{r.evidence.start}"
                                            .encode()).hexdigest()[:12]
                self.conn.execute("INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  (rid, r.subject, r.subject_kind, r.relation, r.object, r.object_kind, doc.id,
                                   doc.name, r.evidence.text, r.evidence.start, r.evidence.end, r.mention_id,
                                   r.extractor))
                for name, kind in ((r.subject, r.subject_kind), (r.object, r.object_kind)):
                    if kind == "person":
                        self.conn.execute("INSERT OR IGNORE INTO people VALUES (?, ?, ?, ?)",
                                          (name, person_key(name), doc.id, rid))

    def actor_alias_rows(self, actor: str | None = None) -> list[sqlite3.Row]:
        """Aliases seen (one row per actor, surface form and document), for one actor or all."""
        sql = "SELECT a.*, d.name AS doc FROM actor_aliases a JOIN documents d ON d.id = a.doc_id"
        args: tuple[str, ...] = ()
        if actor is not None:
            sql, args = sql + " WHERE a.actor = ?", (actor,)
        return list(self.conn.execute(sql + " ORDER BY a.actor, a.n DESC, a.alias", args))

    def relation_rows(self, actor: str | None = None, person: bool = False) -> list[sqlite3.Row]:
        """Relations with their evidence where ``actor`` is subject or object (people matched by key)."""
        if actor is None:
            return list(self.conn.execute("SELECT * FROM relations ORDER BY doc, evidence_start"))
        if person:
            sql = ("SELECT r.* FROM relations r WHERE r.id IN (SELECT relation_id FROM people WHERE key = ?) "
                   "ORDER BY r.doc, r.evidence_start")
            return list(self.conn.execute(sql, (person_key(actor),)))
        return list(self.conn.execute("SELECT * FROM relations WHERE subject = ? OR object = ? "
                                      "ORDER BY doc, evidence_start", (actor, actor)))

    def people_rows(self) -> list[sqlite3.Row]:
        """People as named in relation evidence (one row per naming)."""
        return list(self.conn.execute("SELECT * FROM people ORDER BY key, doc_id"))

    def actor_mention_rows(self, actor: str) -> list[sqlite3.Row]:
        """Incident mentions credited to the actor, or linked to it by a claim or an attribution."""
        sql = ("SELECT m.id, m.doc, m.event_type, m.attack_type, m.date, m.location, m.country, m.status, "
               "m.killed_min, m.killed_max, m.incident_id, i.date AS i_date, i.location AS i_location, "
               "i.country AS i_country, i.killed_best AS i_killed FROM mentions m "
               "LEFT JOIN incidents i ON i.id = m.incident_id WHERE m.perpetrator = ? OR m.id IN "
               "(SELECT mention_id FROM relations WHERE mention_id IS NOT NULL AND (subject = ? OR object = ?)) "
               "ORDER BY COALESCE(i.date, m.date, ''), m.doc")
        return list(self.conn.execute(sql, (actor, actor, actor)))

    def perpetrator_counts(self) -> list[sqlite3.Row]:
        """Per perpetrator: mentions, incidents (a mention not yet fused counts as its own) and documents."""
        return list(self.conn.execute(
            "SELECT perpetrator AS actor, COUNT(*) AS mentions, COUNT(DISTINCT COALESCE(incident_id, id)) AS "
            "incidents, GROUP_CONCAT(DISTINCT doc_id) AS docs FROM mentions WHERE perpetrator IS NOT NULL "
            "GROUP BY perpetrator"))


class _Tx:
    """A transaction that nests: only the outermost one commits or rolls back."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> "_Tx":
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if not self.outer:
            return
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


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


def _count(c: Count | None) -> tuple[int | None, int | None, str | None]:
    return (c.min, c.max, c.text) if c is not None else (None, None, None)


def _uncount(row: sqlite3.Row, key: str) -> Count | None:
    lo, hi = row[f"{key}_min"], row[f"{key}_max"]
    if lo is None and hi is None:
        return None
    start, end = json.loads(row["spans_json"] or "{}").get(key, [-1, -1])
    return Count(lo, hi, row[f"{key}_text"] or "", start, end)


def _document(row: sqlite3.Row) -> Document:
    return Document(id=row["id"], name=row["name"], text=row["text"], path=row["path"], title=row["title"],
                    url=row["url"], publisher=row["publisher"], author=row["author"], published=row["published"],
                    published_inferred=bool(row["published_inferred"]), language=row["language"],
                    source_format=row["source_format"] or "txt", meta=json.loads(row["meta_json"] or "{}"))


def _mention(row: sqlite3.Row) -> Mention:
    place = None
    if row["p_name"]:
        place = Place(row["p_name"], row["p_country"], row["p_kind"], row["p_lat"], row["p_lon"], row["p_admin1"],
                      0, row["p_geonameid"])
    date = None
    if row["date"]:
        start, end = json.loads(row["spans_json"] or "{}").get("date", [-1, -1])
        date = DateValue(row["date"], row["date_precision"], start, end)
    return Mention(
        id=row["id"], doc=row["doc"], doc_id=row["doc_id"], event_type=row["event_type"],
        evidence=Evidence(row["evidence_text"], row["evidence_start"], row["evidence_end"]),
        provenance=Provenance(row["doc_id"], row["extractor"], row["extractor_version"], row["model"]),
        attack_type=row["attack_type"], date=date, country=row["country"], location=row["location"], place=place,
        perpetrator=row["perpetrator"], perpetrator_nationality=json.loads(row["nationality_json"]),
        killed=_uncount(row, "killed"), wounded=_uncount(row, "wounded"), arrested=_uncount(row, "arrested"),
        status=row["status"], people=json.loads(row["people_json"]), incident=row["incident_id"],
        confidence=row["confidence"] or 0.0,
    )

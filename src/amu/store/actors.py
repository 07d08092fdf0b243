"""Actors, aliases seen, people as named, relations with evidence (see :mod:`amu.extract.relations`)."""

from __future__ import annotations

import hashlib
from typing import Sequence

from sqlalchemy import RowMapping, delete, distinct, func, or_, select

from amu.records import AliasSeen, Document, Relation, person_key
from amu.store.documents import DocumentRows, actor_id
from amu.store.tables import actor_aliases, actors, documents, incidents, mentions, people, relations


class ActorFacts(DocumentRows):
    """The actor registry and what reports say about actors."""

    def replace_actor_facts(self, doc: Document, found: Sequence[Relation], aliases: Sequence[AliasSeen]) -> None:
        """Replace one document's relations, aliases seen and people, in one transaction (idempotent)."""
        with self.transaction() as conn:
            self._insert_document(conn, doc)
            for table in (people, relations, actor_aliases):
                conn.execute(delete(table).where(table.c.doc_id == doc.id))
            for a in aliases:
                # The registry of known groups and outlets; the alias table's kind and parent win over
                # the placeholder a mention's perpetrator creates.
                self._insert(conn, actors, {"id": actor_id(a.name), "name": a.name, "kind": a.kind,
                                            "parent": a.parent}, on_conflict="update")
                self._insert(conn, actor_aliases, {"actor": a.name, "kind": a.kind, "alias": a.alias,
                                                   "doc_id": doc.id, "n": a.count, "first_start": a.start,
                                                   "first_end": a.end}, on_conflict="update")
            for r in found:
                rid = "rel-" + hashlib.sha1(f"{doc.id}|{r.subject}|{r.relation}|{r.object}|{r.evidence.start}"
                                            .encode()).hexdigest()[:12]
                self._insert(conn, relations, {
                    "id": rid, "subject": r.subject, "subject_kind": r.subject_kind, "relation": r.relation,
                    "object": r.object, "object_kind": r.object_kind, "doc_id": doc.id, "doc": doc.name,
                    "evidence_text": r.evidence.text, "evidence_start": r.evidence.start,
                    "evidence_end": r.evidence.end, "mention_id": r.mention_id, "extractor": r.extractor},
                    on_conflict="update")
                for name, kind in ((r.subject, r.subject_kind), (r.object, r.object_kind)):
                    if kind == "person":
                        self._insert(conn, people, {"name": name, "key": person_key(name), "doc_id": doc.id,
                                                    "relation_id": rid}, on_conflict="ignore")

    def actor_alias_rows(self, actor: str | None = None) -> list[RowMapping]:
        """Aliases seen (one row per actor, surface form and document), for one actor or all."""
        a = actor_aliases
        stmt = select(a, documents.c.name.label("doc")).select_from(a.join(documents, documents.c.id == a.c.doc_id))
        if actor is not None:
            stmt = stmt.where(a.c.actor == actor)
        return self._rows(stmt.order_by(a.c.actor, a.c.n.desc(), a.c.alias, a.c.doc_id))

    def relation_rows(self, actor: str | None = None, person: bool = False) -> list[RowMapping]:
        """Relations with their evidence where ``actor`` is subject or object (people matched by key)."""
        r = relations
        stmt = select(r)
        if actor is not None and person:
            stmt = stmt.where(r.c.id.in_(select(people.c.relation_id).where(people.c.key == person_key(actor))))
        elif actor is not None:
            stmt = stmt.where(or_(r.c.subject == actor, r.c.object == actor))
        return self._rows(stmt.order_by(r.c.doc, r.c.evidence_start, r.c.id))

    def relations_of_mentions(self, mention_ids: Sequence[str]) -> list[RowMapping]:
        """Relations whose evidence reports one of these mentions."""
        if not mention_ids:
            return []
        r = relations
        return self._rows(select(r.c.subject, r.c.relation, r.c.object, r.c.doc)
                          .where(r.c.mention_id.in_(list(mention_ids))).order_by(r.c.doc, r.c.evidence_start, r.c.id))

    def people_rows(self) -> list[RowMapping]:
        """People as named in relation evidence (one row per naming)."""
        return self._rows(select(people).order_by(people.c.key, people.c.doc_id, people.c.relation_id))

    def actor_mention_rows(self, actor: str) -> list[RowMapping]:
        """Incident mentions credited to the actor, or linked to it by a claim or an attribution."""
        m, i = mentions, incidents
        linked = select(relations.c.mention_id).where(relations.c.mention_id.is_not(None),
                                                      or_(relations.c.subject == actor, relations.c.object == actor))
        stmt = (select(m.c.id, m.c.doc, m.c.event_type, m.c.attack_type, m.c.date, m.c.location, m.c.country,
                       m.c.status, m.c.killed_min, m.c.killed_max, m.c.incident_id, i.c.date.label("i_date"),
                       i.c.location.label("i_location"), i.c.country.label("i_country"),
                       i.c.killed_best.label("i_killed"))
                .select_from(m.outerjoin(i, i.c.id == m.c.incident_id))
                .where(or_(m.c.perpetrator == actor, m.c.id.in_(linked)))
                .order_by(func.coalesce(i.c.date, m.c.date, ""), m.c.doc, m.c.id))
        return self._rows(stmt)

    def perpetrator_counts(self) -> list[dict[str, object]]:
        """Per perpetrator: mentions, incidents (a mention not yet fused counts as its own) and documents."""
        m = mentions
        counts = self._rows(select(m.c.perpetrator.label("actor"), func.count().label("mentions"),
                                   func.count(distinct(func.coalesce(m.c.incident_id, m.c.id))).label("incidents"))
                            .where(m.c.perpetrator.is_not(None)).group_by(m.c.perpetrator).order_by(m.c.perpetrator))
        docs: dict[str, list[str]] = {}
        for row in self._rows(select(m.c.perpetrator, m.c.doc_id).distinct().where(m.c.perpetrator.is_not(None))
                              .order_by(m.c.perpetrator, m.c.doc_id)):
            docs.setdefault(row["perpetrator"], []).append(row["doc_id"])
        return [{**row, "docs": ",".join(docs.get(str(row["actor"]), []))} for row in counts]

"""What incremental fusion keeps between runs: the blocks each incident was filed under and read.

:mod:`amu.resolve.incremental` re-fuses only the incidents whose blocks a change
touches; this part of the store keeps each incident's block keys (``kind`` ``"s"``:
stored under, ``"l"``: looked up, ``"o"``: looked up for its own candidates only; ``"x"``: the
key is the id of an incident whose rivals its decisions checked) and its steps (when in the canonical order it began
and ended), the incidents that lost a mention since the last fusion, and reads
mentions by document, incident or id and incidents' members (``mentions.incident_id``
is the partition), so that an ingest never loads the whole store. Keys and steps are
opaque text here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, or_, select

from amu.records import Mention
from amu.store.documents import _MENTIONS, _mention
from amu.store.counts import IncidentCounting
from amu.store.tables import documents, fusion_keys, fusion_pending, fusion_steps, mentions

STORED, LOOKED, OWN, CHECKED = "s", "l", "o", "x"
_CHUNK = 500          # values per IN list (SQLite limits bound parameters per statement)
T = TypeVar("T")


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = sorted(set(values))    # type: ignore[type-var]
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


class FusionKeys(IncidentCounting):
    """Block keys of incidents, and mentions read by document, incident or id."""

    def fusion_keys(self, incident_ids: Iterable[str], kinds: Collection[str]) -> dict[str, dict[str, str | None]]:
        """Incident id -> {key: step} of the ``kinds`` (of ``"s"``, ``"l"``, ``"o"``) recorded for it, for these
        incidents."""
        k = fusion_keys
        out: dict[str, dict[str, str | None]] = {}
        with self._read() as conn:
            for part in _chunks(incident_ids):
                for incident, key, step in conn.execute(select(k.c.incident_id, k.c.key, k.c.step)
                                                        .where(k.c.kind.in_(kinds), k.c.incident_id.in_(part))):
                    out.setdefault(incident, {})[key] = step
        return out

    def fusion_key_holders(self, keys: Iterable[str], kinds: Collection[str],
                           upto: str | Mapping[str, str] | None = None) -> list[tuple[str, str, str | None, str]]:
        """(key, incident id, step, kind) for every incident that recorded one of these keys as one of ``kinds``
        (step None where a fusion before steps were kept recorded it); with ``upto``, only steps that sort at or
        before it (a mapping: key -> the bound for that key, each key of ``keys`` in it; read with one query per
        bound, since a join on a list of (key, bound) pairs made PostgreSQL scan every filing of the table)."""
        if isinstance(upto, Mapping):
            by_bound: dict[str, list[str]] = {}
            for key in keys:
                by_bound.setdefault(upto[key], []).append(key)
            return [row for bound, group in sorted(by_bound.items())
                    for row in self.fusion_key_holders(group, kinds, bound)]
        k = fusion_keys
        out: list[tuple[str, str, str | None, str]] = []
        with self._read() as conn:
            for part in _chunks(keys):
                stmt = select(k.c.key, k.c.incident_id, k.c.step, k.c.kind).where(k.c.kind.in_(kinds),
                                                                                   k.c.key.in_(part))
                if upto is not None:     # text columns sort byte-wise on both engines, as the steps are made to
                    stmt = stmt.where(or_(k.c.step.is_(None), k.c.step <= upto))
                out.extend((key, incident, step, kind) for key, incident, step, kind in conn.execute(stmt).all())
        return out

    def fusion_key_size(self, key: str, most: int) -> int:
        """How many incidents are filed under ``key`` (kind ``"s"``), counted up to ``most + 1``."""
        k = fusion_keys
        inner = select(k.c.incident_id).where(k.c.kind == STORED, k.c.key == key).limit(most + 1).subquery()
        return int(self._rows(select(func.count().label("n")).select_from(inner))[0]["n"])

    def first_complete(self, key: str, leave_out: Collection[str], n: int) -> list[tuple[str, str]]:
        """(incident id, steps) of ``n`` steady incidents filed under ``key`` (kind ``"s"``), those with the earliest
        recorded last step, leaving out the incidents of ``leave_out`` (fewer where there are not so many)."""
        k, st = fusion_keys, fusion_steps
        stmt = (select(k.c.incident_id, st.c.steps).select_from(k.join(st, st.c.incident_id == k.c.incident_id))
                .where(k.c.kind == STORED, k.c.key == key, st.c.steady == 1).order_by(st.c.last, k.c.incident_id))
        limit = n + 16
        while True:
            rows = self._rows(stmt.limit(limit))
            out = [(r["incident_id"], r["steps"]) for r in rows if r["incident_id"] not in leave_out]
            if len(out) >= n or len(rows) < limit:
                return out[:n]
            limit *= 4

    def fusion_steps(self, incident_ids: Iterable[str]) -> dict[str, str]:
        """Incident id -> its recorded steps, for those of these incidents that have them."""
        out: dict[str, str] = {}
        with self._read() as conn:
            for part in _chunks(incident_ids):
                stmt = select(fusion_steps.c.incident_id, fusion_steps.c.steps)
                out.update((i, t) for i, t in conn.execute(stmt.where(fusion_steps.c.incident_id.in_(part))))
        return out

    def _column(self, statements: Iterable[Select[Any]]) -> set[str]:
        """The first column of every row the statements give."""
        out: set[str] = set()
        with self._read() as conn:
            for stmt in statements:
                out.update(conn.execute(stmt).scalars())
        return out

    def has_fusion_keys(self) -> bool:
        """Whether any block keys are recorded (a store fused before they were kept has none)."""
        return bool(self._rows(select(fusion_keys.c.key).limit(1)))

    def write_fusion_keys(self, footprints: Mapping[str, tuple[Mapping[str, str], Mapping[str, str], Collection[str],
                                                               Mapping[str, str], str, str, bool]],
                          remove: Iterable[str] = (), remove_all: bool = False) -> None:
        """Replace the keys and steps of the incidents given ({stored key: step}, {looked-up key: step}, the
        looked-up keys that were not only read for its own candidates, {incident whose rivals it checked: step},
        the incident's steps, its last step as sortable text, steady or not); drop those of ``remove``."""
        with self.transaction() as conn:
            for table in (fusion_keys, fusion_steps):
                if remove_all:
                    conn.execute(delete(table))
                else:
                    for part in _chunks([*remove, *footprints]):
                        conn.execute(delete(table).where(table.c.incident_id.in_(part)))
            rows = [{"incident_id": i, "kind": kind, "key": key, "step": step}
                    for i, (stored, looked, checked, rivals, *_) in sorted(footprints.items())
                    for key, step, kind in [*((k, s, STORED) for k, s in sorted(stored.items())),
                                            *((k, s, LOOKED if k in checked else OWN)
                                              for k, s in sorted(looked.items())),
                                            *((x, s, CHECKED) for x, s in sorted(rivals.items()))]]
            steps = [{"incident_id": i, "steps": fp[4], "last": fp[5], "steady": int(fp[6])}
                     for i, fp in sorted(footprints.items())]
            for table, values in ((fusion_keys, rows), (fusion_steps, steps)):
                for start in range(0, len(values), 10_000):
                    self._insert(conn, table, values[start:start + 10_000])

    def members_of(self, incident_ids: Iterable[str]) -> dict[str, list[str]]:
        """Incident id -> the ids of its stored mentions (``mentions.incident_id``), for these incidents."""
        out: dict[str, list[str]] = {}
        with self._read() as conn:
            for part in _chunks(incident_ids):
                stmt = select(mentions.c.incident_id, mentions.c.id).where(mentions.c.incident_id.in_(part))
                for incident, mention in conn.execute(stmt.order_by(mentions.c.id)):
                    out.setdefault(incident, []).append(mention)
        return out

    def assigned(self, incident_ids: Iterable[str]) -> set[str]:
        """Those of these incident ids that some stored mention is assigned to."""
        m = mentions
        return self._column(select(m.c.incident_id).distinct().where(m.c.incident_id.in_(part))
                            for part in _chunks(incident_ids))

    def unfused_mentions(self) -> list[Mention]:
        """The stored mentions that no fusion has assigned to an incident yet."""
        return [_mention(r) for r in self._rows(_MENTIONS.where(mentions.c.incident_id.is_(None)))]

    def pending_incidents(self) -> set[str]:
        """The incidents that lost a mention since the last fusion (their document re-extracted)."""
        return self._column([select(fusion_pending.c.incident_id)])

    def clear_pending(self) -> None:
        with self.transaction() as conn:
            conn.execute(delete(fusion_pending))

    def mentions_of(self, doc_ids: Iterable[str] = (), incident_ids: Iterable[str] = (),
                    ids: Iterable[str] = ()) -> list[Mention]:
        """The mentions of any of these documents or incidents, or with any of these ids, once each."""
        found: dict[str, Mention] = {}
        for column, values in ((mentions.c.doc_id, doc_ids), (mentions.c.incident_id, incident_ids),
                               (mentions.c.id, ids)):
            for part in _chunks(values):
                for r in self._rows(_MENTIONS.where(column.in_(part))):
                    m = _mention(r)
                    found[m.id] = m
        return [found[k] for k in sorted(found)]

    def published_of(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Document id -> publication date, for those of these documents that have one."""
        out: dict[str, str] = {}
        for part in _chunks(doc_ids):
            rows = self._rows(select(documents.c.id, documents.c.published)
                              .where(documents.c.id.in_(part), documents.c.published.is_not(None)))
            out.update({r["id"]: r["published"] for r in rows})
        return out


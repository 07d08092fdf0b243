"""Fusion as a service of the store: keep the incident index and the incidents table in step.

The index itself (:mod:`amu.resolve.fusion`) is pure Python over mentions; this
module loads it from the store, adds the mentions that are new, and writes the
assignments and fused records back, all in one transaction.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from amu.records import Mention
from amu.resolve.fusion import STATE_FORMAT, Incident, IncidentIndex

STATE_KEY = "incident_index"
REDIRECTS_KEY = "incident_redirects"


def fuse_mentions(mentions: list[Mention], published: Mapping[str, str | None] | None = None) -> IncidentIndex:
    """Group mentions into incidents in memory; sets each mention's ``incident``."""
    index = IncidentIndex(published={k: v for k, v in (published or {}).items() if v})
    ids = index.add_many(mentions)
    for m, ident in zip(mentions, ids):
        m.incident = ident
    return index


def _published(store: Any) -> dict[str, str]:
    rows = store.conn.execute("SELECT id, published FROM documents WHERE published IS NOT NULL")
    return {r[0]: r[1] for r in rows}


def load_index(store: Any, mentions: Iterable[Mention] | None = None) -> IncidentIndex:
    """The store's incident index, restored from its saved state (mentions come from the store)."""
    mentions = list(mentions if mentions is not None else store.mentions())
    state = store.get_state(STATE_KEY)
    published = _published(store)
    if not state or state.get("format") != STATE_FORMAT:
        index = IncidentIndex(published=published)
        index.add_many(mentions)
        return index
    known = {m.id for m in mentions}
    # Mentions removed by a re-extraction drop out of their incidents; empty incidents disappear.
    incidents = [{"id": i["id"], "mentions": [m for m in i["mentions"] if m in known]} for i in state["incidents"]]
    state = dict(state, incidents=[i for i in incidents if i["mentions"]], published=published)
    return IncidentIndex.from_state(state, mentions=mentions)


def fuse_store(store: Any) -> int:
    """Assign every stored mention to an incident and rewrite the incidents table. Returns the incident count.

    New mentions are added to the saved index, then the partition is rebuilt
    canonically so that the result does not depend on the order reports
    arrived in; existing incidents keep their ids (by largest overlap), and an
    id whose incident was absorbed into another is kept as a redirect.
    """
    mentions = store.mentions()
    index = load_index(store, mentions)
    before = {i.id for i in index.incidents()}
    moved = index.rebuild()
    redirects = dict(store.get_state(REDIRECTS_KEY) or {})
    for old, new in moved.items():
        if old != new and old in before:
            redirects[old] = new
    live = {i.id for i in index.incidents()}
    redirects = {old: _follow(new, redirects, live) for old, new in redirects.items() if old not in live}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with store.transaction():
        store.conn.executemany("UPDATE mentions SET incident_id = ? WHERE id = ?",
                               [(index.incident_of(m.id), m.id) for m in mentions])
        store.conn.execute("DELETE FROM incidents")
        for inc in index.incidents():
            store.conn.execute("INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _row(inc, now))
        store.put_state(STATE_KEY, index.to_state(include_mentions=False))
        store.put_state(REDIRECTS_KEY, redirects)
    return len(index)


def _follow(ident: str, redirects: Mapping[str, str], live: set[str]) -> str:
    seen = set()
    while ident not in live and ident in redirects and ident not in seen:
        seen.add(ident)
        ident = redirects[ident]
    return ident


def resolve_id(store: Any, ident: str) -> str:
    """The live id for an incident id, following redirects left by merges."""
    redirects = store.get_state(REDIRECTS_KEY) or {}
    return redirects.get(ident, ident)


def _row(inc: Incident, now: str) -> tuple[Any, ...]:
    data = inc.to_dict()
    return (inc.id, inc.event_type, inc.attack_type, inc.date.iso if inc.date else None, inc.country, inc.location,
            inc.perpetrator, inc.killed.best if inc.killed else None, len(inc.mention_ids), inc.independent_sources,
            json.dumps(data, default=str), now)

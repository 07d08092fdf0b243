"""Fusion as a service of the store: keep the incident index and the incidents table in step.

The index itself (:mod:`amu.resolve.fusion`) is pure Python over mentions; this
module loads it from the store, adds the mentions that are new, and writes the
assignments and fused records back, all in one transaction.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from amu.records import DateValue, Mention
from amu.resolve.fusion import STATE_FORMAT, Incident, IncidentIndex
from amu.resolve.hints import day_through_incident
from amu.store.incident_summary import summary_columns

STATE_KEY = "incident_index"
REDIRECTS_KEY = "incident_redirects"


def fuse_mentions(mentions: list[Mention], published: Mapping[str, str | None] | None = None) -> IncidentIndex:
    """Group mentions into incidents in memory; sets each mention's ``incident``.

    A mention that has only a day without a year ("killed Tuesday", no publication date) and joined an
    incident dated to that day gets the incident's day as its date, qualified ``"incident"``
    (:func:`amu.resolve.hints.day_through_incident`).
    """
    index = IncidentIndex(published={k: v for k, v in (published or {}).items() if v})
    ids = index.add_many(mentions)
    dates: dict[str, DateValue | None] = {}
    for m, ident in zip(mentions, ids):
        m.incident = ident
        if m.date is None and m.date_hint:
            if ident not in dates:
                dates[ident] = index.get(ident).date
            m.date = day_through_incident(m.date_hint, dates[ident])
    return index


def _published(store: Any) -> dict[str, str]:
    return dict(store.published_dates())


def load_index(store: Any, mentions: Iterable[Mention] | None = None) -> IncidentIndex:
    """The store's incident index: its mentions, grouped as the last fusion left them (``mentions.incident_id``)."""
    mentions = list(mentions if mentions is not None else store.mentions())
    previous = _stored_partition(mentions)
    if not previous:
        index = IncidentIndex(published=_published(store))
        index.add_many(mentions)
        return index
    state = {"format": STATE_FORMAT, "incidents": [{"id": i, "mentions": ms} for i, ms in previous.items()],
             "published": _published(store)}
    return IncidentIndex.from_state(state, mentions=mentions)


def _stored_partition(mentions: Iterable[Mention]) -> dict[str, list[str]]:
    """The partition the last fusion left (incident id -> ids of its mentions still stored), by incident id."""
    out: dict[str, list[str]] = {}
    for m in mentions:
        if m.incident:
            out.setdefault(m.incident, []).append(m.id)
    return dict(sorted(out.items()))


def fuse_store(store: Any, touched_docs: Iterable[str] | None = None) -> int:
    """Assign every stored mention to an incident and update the incidents table. Returns the incident count.

    The partition is computed canonically from all stored mentions, so it does
    not depend on the order reports arrived in. Incidents already published
    keep their ids (by largest overlap, :meth:`IncidentIndex.keep_ids`); a new
    report never renumbers them. Only when new evidence shows two published
    incidents to be one is an id retired, and it is kept as a redirect to the
    incident that absorbed it.

    Args:
        touched_docs: Ids of the documents stored or re-extracted since the
            last fusion. Only the part of the store they reach is re-fused
            (:mod:`amu.resolve.incremental`; same result as a full rebuild), and
            incidents whose mentions are unchanged and come from none of them
            are not rewritten (their ``updated_at`` stays). ``None`` rebuilds
            and rewrites everything, as does a store fused under another rule
            version or before block keys were kept.
    """
    with store.transaction(), _no_collections():   # one writer: what is read here is still true when written
        return _fuse(store, touched_docs)


@contextmanager
def _no_collections() -> Iterator[None]:
    """Pause the cyclic garbage collector while fusing. Fusion makes many small objects and no cycles to speak
    of (reference counting frees them), but each full collection walks every object of the process, language
    models included: one took 0.18 s of a 1.3 s one-document ingest into a store of 1M mentions."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fuse(store: Any, touched_docs: Iterable[str] | None) -> int:
    from amu.resolve import incremental
    from amu.resolve.fusion_trace import TracedIndex

    state = store.get_state(STATE_KEY)
    index = TracedIndex()
    if touched_docs is not None and incremental.usable_state(store, state, index.rule.version):
        return incremental.fuse_part(store, touched_docs, index.rule.version)   # only the part the documents reach
    index.published.update(_published(store))
    mentions = store.mentions()
    previous = _stored_partition(mentions)
    index.add_many(mentions)
    moved = index.keep_ids(previous)
    redirects = dict(store.get_state(REDIRECTS_KEY) or {})
    for old, new in moved.items():
        if old != new:
            redirects[old] = new
    live = {i: index.members(i) for i in index.ids()}
    redirects = {old: _follow(new, redirects, set(live)) for old, new in redirects.items() if old not in live}
    touched = set(touched_docs) if touched_docs is not None else None
    full = touched is None or not state or state.get("rule_version") != index.rule.version
    stale = {m.id for m in mentions if full or m.doc_id in touched}            # type: ignore[operator]
    lost = store.pending_incidents()                                           # lost a mention: rewrite
    dirty = [i for i, ms in live.items()
             if full or i in lost or set(ms) != set(previous.get(i, ())) or not stale.isdisjoint(ms)]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.set_incident({m.id: index.incident_of(m.id) for m in mentions
                        if full or m.incident != index.incident_of(m.id)})
    store.write_incidents([_row(index.get(i), now) for i in sorted(dirty)],
                          remove=[i for i in previous if i not in live], remove_all=full)
    store.write_fusion_keys({i: fp.kept() for i, fp in index.footprints().items()}, remove_all=True)
    save_state(store, index.rule.version, redirects)
    return len(index)


def save_state(store: Any, rule_version: int, redirects: Mapping[str, str]) -> None:
    """What a fusion, full or in part, leaves besides the incidents: the rule it ran under (the partition
    itself is ``mentions.incident_id``), the redirects of retired ids, and no incident pending."""
    store.put_state(STATE_KEY, {"format": STATE_FORMAT, "rule_version": rule_version})
    store.put_state(REDIRECTS_KEY, dict(redirects))
    store.clear_pending()


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


def _row(inc: Incident, now: str) -> dict[str, Any]:
    record = inc.to_dict()
    return {"id": inc.id, "event_type": inc.event_type, "attack_type": inc.attack_type,
            "date": inc.date.iso if inc.date else None, "country": inc.country, "location": inc.location,
            "perpetrator": inc.perpetrator, **summary_columns(record),
            "n_mentions": len(inc.mention_ids), "n_sources": inc.independent_sources,
            "data_json": json.dumps(record, default=str), "updated_at": now}

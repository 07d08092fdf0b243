"""Re-fuse only the part of a store that new, changed or removed mentions touch.

The canonical partition (:meth:`IncidentIndex.add_many` over every stored
mention) is the union of the partitions of parts that share no block, in the
sense of :mod:`amu.resolve.fusion_trace`: no key one part looked up was stored
by another. The store keeps each incident's block keys from the run that made it
(:meth:`Store.write_fusion_keys`), so an ingest can

1. take the incidents that held a touched or removed mention (the *part*);
2. close it over the old keys: add every incident that looked up a key that an
   incident of the part was stored under (its decisions may change when the part
   does), until nothing is added;
3. fuse the part's mentions alone (with the new ones) in a traced run;
4. if that run looked up a key another incident is stored under, or stored
   under a key another incident looked up, add those incidents and go to 2.

What comes out is what a full rebuild gives, ids included: incidents outside
the part keep their mentions and ids, and inside it :meth:`IncidentIndex.keep_ids`
runs on the part with every other published id kept out of reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import STATE_FORMAT, IncidentIndex
from amu.resolve.fusion_trace import TracedIndex, key_text
from amu.resolve.incidents import REDIRECTS_KEY, STATE_KEY, _follow, _row
from amu.resolve.profiles import profile_of_mention

STORED, LOOKED = "s", "l"


@dataclass
class Part:
    """The incidents re-fused together and the traced run over their mentions."""

    incidents: set[str]
    index: TracedIndex
    mentions: list[Mention]
    runs: int = 1          # traced runs it took to find a part that shares no block with the rest


def usable_state(store: Any, state: Mapping[str, Any] | None, rule_version: str) -> bool:
    """Whether the saved partition and block keys allow re-fusing only a part."""
    return bool(state and state.get("format") == STATE_FORMAT and state.get("rule_version") == rule_version
                and (not state.get("incidents") or store.has_fusion_keys()))


def close_part(store: Any, part: set[str], seen: set[str], visited: set[str]) -> set[str]:
    """Add to ``part`` every incident that looked up a key an incident of it was stored under, transitively.

    ``seen`` (keys) and ``visited`` (incidents) say what earlier calls already followed.
    """
    frontier = part - visited
    while frontier:
        visited |= frontier
        keys = store.fusion_keys(frontier, STORED) - seen
        seen |= keys
        frontier = store.incidents_with_fusion_keys(keys, LOOKED) - part
        part |= frontier
    return part


def likely_part(store: Any, seeds: list[Mention], part: set[str], seen: set[str], visited: set[str]) -> set[str]:
    """Incidents the runs would most likely add to ``part``; taking them first spares a second run.

    Only a guess (the closure and the checks of :func:`find_part` decide): incidents stored where
    a seed will look or looking where a seed alone is stored, the closure of all that over the old
    keys, and what is stored where those incidents looked last time. ``seen`` and ``visited``
    as in :func:`close_part`.
    """
    probe = IncidentIndex()
    looks: set[str] = set()
    files: set[str] = set()
    for m in seeds:
        p = profile_of_mention(m, probe.rule)
        looks.update(key_text(k) for k in probe._lookup_keys(p))
        files.update(key_text(k) for k in probe._block_keys(p))
    guess = part | store.incidents_with_fusion_keys(looks, STORED) | store.incidents_with_fusion_keys(files, LOOKED)
    close_part(store, guess, seen, visited)
    return guess | store.incidents_with_fusion_keys(store.fusion_keys(guess, LOOKED), STORED)


def find_part(store: Any, old: Mapping[str, list[str]], seeds: list[Mention], part: set[str]) -> Part:
    """Grow ``part`` (old incident ids) until its traced run shares no block with the rest; run it."""
    seen_stored: set[str] = set()
    visited: set[str] = set()
    part |= likely_part(store, seeds, part, seen_stored, visited)
    checked_stored: set[str] = set()
    checked_looked: set[str] = set()
    stored_ids = {m.id for m in seeds}
    runs = 0
    while True:
        runs += 1
        close_part(store, part, seen_stored, visited)
        ids = {m for i in part for m in old.get(i, ())} - stored_ids
        mentions = seeds + store.mentions_of(ids=ids)
        index = TracedIndex(published=store.published_of(sorted({m.doc_id for m in mentions})))
        index.add_many(mentions)
        stored: set[str] = set()
        looked: set[str] = set()
        for fp in index.footprints().values():
            stored |= fp.stored
            looked |= fp.looked
        more = (store.incidents_with_fusion_keys(stored - checked_stored, LOOKED)
                | store.incidents_with_fusion_keys(looked - checked_looked, STORED)) - part
        checked_stored |= stored
        checked_looked |= looked
        if not more:
            return Part(part, index, mentions, runs)
        part |= more


def fuse_part(store: Any, touched_docs: Iterable[str], state: Mapping[str, Any]) -> int:
    """Re-fuse the part of the store that the touched documents reach; write it back. Returns the incident count."""
    old = {i["id"]: list(i["mentions"]) for i in state["incidents"]}
    old_of = {m: i for i, ms in old.items() for m in ms}
    on_file = store.mention_ids()
    touched = set(touched_docs)
    seeds = store.mentions_of(doc_ids=touched, ids=on_file - old_of.keys())   # touched, and never fused
    removed = old_of.keys() - on_file
    start = {old_of[m] for m in [*removed, *(m.id for m in seeds)] if m in old_of}
    part = find_part(store, old, seeds, start)
    index = part.index

    published = {i: [m for m in ms if m in on_file] for i, ms in old.items()}
    published = {i: ms for i, ms in published.items() if ms}
    previous = {i: published[i] for i in part.incidents if i in published}
    moved = index.keep_ids(previous, taken=published)
    live = (set(published) - part.incidents) | set(index.ids())
    redirects = dict(store.get_state(REDIRECTS_KEY) or {})
    redirects.update({o: n for o, n in moved.items() if o != n})
    redirects = {o: _follow(n, redirects, live) for o, n in redirects.items() if o not in live}

    fresh = {m.id for m in part.mentions if m.doc_id in touched}     # rewritten: a removed mention counts too
    dirty = [i for i in index.ids()
             if set(index.members(i)) != set(old.get(i, ())) or not fresh.isdisjoint(index.members(i))]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.set_incident({m.id: index.incident_of(m.id) for m in part.mentions
                        if m.incident != index.incident_of(m.id)})
    store.write_incidents([_row(index.get(i), now) for i in sorted(dirty)],
                          remove=sorted(i for i in part.incidents if i not in live))
    store.write_fusion_keys({i: (fp.stored, fp.looked) for i, fp in index.footprints().items()},
                            remove=part.incidents)
    members = {i: ms for i, ms in old.items() if i not in part.incidents}
    members.update({i: index.members(i) for i in index.ids()})
    store.put_state(STATE_KEY, {
        "format": STATE_FORMAT, "rule_version": index.rule.version,
        "incidents": [{"id": i, "mentions": members[i]} for i in sorted(members)],
        "published": dict(sorted({**state.get("published", {}), **index.published}.items())),
    })
    store.put_state(REDIRECTS_KEY, redirects)
    return len(members)

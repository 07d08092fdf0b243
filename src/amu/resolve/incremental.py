"""Re-fuse only the part of a store that new, changed or removed mentions touch.

A full rebuild places every stored mention, one by one in the canonical order of
:meth:`IncidentIndex.add_many`, and each decision reads only the blocks it looks up
(:mod:`amu.resolve.fusion_trace` records them: the keys each incident was ever
*stored* under, and the keys looked up while placing its mentions). Two facts make
a part enough:

* An incident whose set of mentions is unchanged is, at every step of the canonical
  order, the same fused record in the same blocks (its members arrive at the same
  steps, and its record depends only on the members placed so far).
* So a mention decides as before unless a block it read held, at some step, an
  incident whose set of mentions changed (old or new): that is, unless it *looked*
  up a key that a *changed* incident was stored under.

An ingest therefore

1. re-decides the incidents that held a touched or removed mention (the part, R);
2. replays, without deciding, every other incident stored under a key that R looks
   up (the context, C): its mentions go back to the incident they were in, so the
   blocks R reads hold what they would hold in a full rebuild;
3. after the run: a context incident that a mention of R joined moves into R; the
   incidents that looked up a key a changed incident (old or new) was stored under
   join R; incidents stored under a key R now looks up join C; and the run is
   repeated, until nothing moves.

A capped block that the part reads only to learn it is over its cap (a country block, say) need not be
replayed: :func:`prove_over_cap` shows from the store that enough unchanged incidents are complete and filed
there before the first read, and a run that reads it earlier than that is run again with it replayed.

What comes out is what a full rebuild gives, ids included: incidents outside R keep
their mentions and ids, and inside it :meth:`IncidentIndex.keep_ids` runs with every
other published id kept out of reach. The part stays near the incidents a change
really reaches, instead of every incident that could be reached through a chain of
shared blocks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import _CAPS, STATE_FORMAT, IncidentIndex, canonical_key
from amu.resolve.fusion_trace import Footprint, Key, TracedIndex, key_text
from amu.resolve.incidents import REDIRECTS_KEY, _follow, _row, save_state
from amu.resolve.profiles import Profile, merge_profiles, profile_of_mention

STORED, LOOKED = "s", "l"


class ContextIndex(TracedIndex):
    """A traced index in which the mentions of ``replay`` go back to their incident without a decision.

    A replayed incident runs under ``"ctx:" + its id``: never an id the run gives a new incident, which
    must be the one a full rebuild gives it (a published id is often another mention's founding id).
    """

    def __init__(self, replay: Mapping[str, str], over_cap: Mapping[Key, tuple[Any, ...]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._replay = {m: "ctx:" + i for m, i in replay.items()}
        self._over_cap = dict(over_cap or {})     # block -> the step after which it is proven over its cap
        self._step: tuple[Any, ...] = ()
        self._back: str | None = None             # the replayed incident of the mention being placed
        self.early_reads: set[Key] = set()        # proven blocks read at or before that step: the proof fails

    def _searched(self, k: Key) -> set[str]:
        after = self._over_cap.get(k)
        if after is None:
            return super()._searched(k)
        if self._step <= after:
            self.early_reads.add(k)
        return set()

    def _place(self, m: Mention, p: Profile) -> str:
        self._step = canonical_key(p, m)
        self._back = self._replay.get(m.id)
        return super()._place(m, p)

    def _decide(self, p: Profile) -> str | None:
        return self._back if self._back is not None else super()._decide(p)

    def replayed(self, incident: str) -> list[str]:
        """The mentions the run left in a replayed incident (its own, and any a decision added)."""
        return self.members("ctx:" + incident) if "ctx:" + incident in self._members else []

    def decided(self) -> list[str]:
        """The incidents the run made by decisions: all but the replayed ones (whatever their ids now)."""
        return [i for i, ms in sorted(self._members.items()) if ms[0] not in self._replay]


@dataclass
class Part:
    """The incidents re-decided together (``incidents``), the context replayed around them, and the run."""

    incidents: set[str]
    context: set[str]
    index: ContextIndex
    mentions: list[Mention]     # the mentions re-decided (the context's are not)
    runs: int = 1               # runs it took until nothing moved

    def footprints(self) -> dict[str, Footprint]:
        """The footprints of the incidents the run decided (the context's are as before)."""
        fps = self.index.footprints()
        return {i: fps[i] for i in self.index.decided() if i in fps}


def usable_state(store: Any, state: Mapping[str, Any] | None, rule_version: str) -> bool:
    """Whether the store was fused under this rule with block keys kept, so that a part can be re-fused."""
    return bool(state and state.get("format") == STATE_FORMAT and state.get("rule_version") == rule_version
                and store.has_fusion_keys())


def first_guess(store: Any, seeds: list[Mention], part: set[str]) -> tuple[set[str], set[str]]:
    """What the runs would most likely add, taken at once to spare runs: (part, the keys it will look up).

    The seeds' incidents are changed, so the incidents that looked up a key a seed will be filed under
    join the part; they and the seeds will look where they looked before. Only a guess: the checks after
    each run decide.
    """
    probe = IncidentIndex()
    profiles = [profile_of_mention(m, probe.rule) for m in seeds]
    files = {key_text(k) for p in profiles for k in probe._block_keys(p)}
    looks = {key_text(k) for p in profiles for k in probe._lookup_keys(p)}
    part = part | store.incidents_with_fusion_keys(files, LOOKED)
    return part, looks | store.fusion_keys(part, LOOKED)


# Kinds of capped block proven over their cap from the store instead of replayed. Country blocks are read by
# undated mentions, placed last, so their proofs hold; place and prefix blocks ("a", "p") were tried too: at 1M
# mentions their proofs often failed (read too early), and the runs again cost more than they spared.
PROVABLE = ("c",)
_SPARE = 8          # incidents taken beyond the cap, in case some do not prove


@dataclass
class Proof:
    """Block ``key`` holds more incidents than its cap at every step after ``after`` (a canonical sort key):
    ``uses``, incidents outside the part, unchanged, each complete by then and filed under ``key`` for good."""

    key: Key
    after: tuple[Any, ...]
    uses: set[str]


def prove_over_cap(store: Any, text: str, part: set[str], loaded: dict[str, Mention],
                   old: dict[str, list[str]]) -> Proof | None:
    """A :class:`Proof` for the capped block ``text``, from incidents the part does not re-decide, or None.

    An incident with the same mentions is, from its last mention's step of the canonical order on, its final
    record, filed under its final block keys; so once ``cap + 1`` such incidents filed under the block are
    complete, the block is over its cap. Only the incidents' mentions are read: nothing is replayed.
    """
    key: Key = ast.literal_eval(text)
    cap = _CAPS.get(key[0])
    if key[0] not in PROVABLE or cap is None:
        return None
    ids = sorted(store.incidents_with_fusion_keys([text], STORED) - part)
    if len(ids) <= cap:
        return None
    chosen = ids[:cap + 1 + _SPARE]
    old.update(store.members_of(set(chosen) - old.keys()))
    wanted = {m for i in chosen for m in old.get(i, ())}
    loaded.update((m.id, m) for m in store.mentions_of(ids=wanted - loaded.keys()))
    probe = IncidentIndex()
    done: list[tuple[tuple[Any, ...], str]] = []
    for i in chosen:
        ms = [loaded[m] for m in old.get(i, ()) if m in loaded]
        if not ms:
            continue
        profiles = [profile_of_mention(m, probe.rule) for m in ms]
        if key in probe._block_keys(merge_profiles(i, profiles, probe.rule)):
            done.append((max(canonical_key(p, m) for p, m in zip(profiles, ms)), i))
    if len(done) <= cap:
        return None
    done.sort()
    return Proof(key, done[cap][0], {i for _, i in done[:cap + 1]})


def find_part(store: Any, old: dict[str, list[str]], seeds: list[Mention], part: set[str]) -> Part:
    """Grow ``part`` (old incident ids re-decided) and its context until a run moves nothing; return that run.

    ``old`` (incident id -> its stored mentions' ids) is filled in from the store as incidents are reached.
    A capped block the part reads only for its size is proven over its cap where the store allows
    (:func:`prove_over_cap`) instead of having its incidents replayed; a run that reads it earlier than the
    proof holds is run again with the block's incidents replayed.
    """
    start = set(part)       # held a touched or removed mention: changed, whatever their members are now
    part, looked = first_guess(store, seeds, part)
    context: set[str] = set()
    loaded: dict[str, Mention] = {m.id: m for m in seeds}
    proofs: dict[str, Proof] = {}
    refused: set[str] = set()             # keys that cannot be proven over their cap
    placed: set[str] = set()              # keys whose incidents are in the part or the context
    checked_changed: set[str] = set()     # keys whose readers already joined the part
    stored_ids = {m.id for m in seeds}
    runs = 0
    while True:
        for text in [t for t, proof in proofs.items() if proof.uses & part]:
            del proofs[text]              # it counted an incident that is now re-decided
        for text in sorted(looked - placed - refused - proofs.keys()):
            proof = prove_over_cap(store, text, part, loaded, old)
            if proof is None:
                refused.add(text)
            else:
                proofs[text] = proof
        todo = looked - placed - proofs.keys()
        context |= store.incidents_with_fusion_keys(todo, STORED)
        placed |= todo
        runs += 1
        context -= part
        old.update(store.members_of((part | context) - old.keys()))
        replay = {m: i for i in context for m in old[i]}
        ids = {m for i in part | context for m in old.get(i, ())}
        loaded.update((m.id, m) for m in store.mentions_of(ids=ids - loaded.keys()))
        mentions = seeds + [loaded[m] for m in sorted(ids - stored_ids)]
        index = ContextIndex(replay, over_cap={p.key: p.after for p in proofs.values()},
                             published=store.published_of(sorted({m.doc_id for m in mentions})))
        index.add_many(mentions)
        if index.early_reads:         # read before its proof holds: replay that block's incidents instead
            early = {t for t, p in proofs.items() if p.key in index.early_reads}
            refused |= early
            for text in early:
                del proofs[text]
            continue
        joined = {i for i in context if len(index.replayed(i)) != len(old[i])}
        if joined:                  # a re-decided mention joined a context incident: re-decide it too
            part |= joined
            continue
        fps = index.footprints()
        decided = index.decided()
        before = {frozenset(old[i]) for i in part if old.get(i)}
        after = {frozenset(index.members(i)) for i in decided}
        # Changed: a group with a touched mention (its text may differ under the same id), or whose set of
        # mentions no old incident had; an old incident that held a touched or removed mention, or whose set
        # no group has now.
        changed = set().union(*(fps[i].stored for i in decided if i in fps and (
            frozenset(index.members(i)) not in before or not stored_ids.isdisjoint(index.members(i)))))
        changed |= store.fusion_keys([i for i in part if i in start or frozenset(old.get(i, ())) not in after],
                                     STORED)
        now = set().union(*(fps[i].looked for i in decided if i in fps))
        readers = store.incidents_with_fusion_keys(changed - checked_changed, LOOKED) - part
        checked_changed |= changed
        # A key this run read that was neither proven for it nor had its incidents in the run: run again.
        unseen = now - placed - proofs.keys()
        missing = store.incidents_with_fusion_keys(unseen, STORED) - part - context
        if not missing:               # the run held every incident of those blocks
            placed |= unseen
        looked |= now
        if not readers and not missing:
            return Part(part, context, index, [m for m in mentions if m.id not in replay], runs)
        part |= readers


class _Assigned:
    """The incident ids the store's mentions are assigned to, asked one at a time (ids a new incident must avoid)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and bool(self._store.assigned([ident]))


def fuse_part(store: Any, touched_docs: Iterable[str], rule_version: str) -> int:
    """Re-fuse the part of the store that the touched documents reach; write it back. Returns the incident count.

    Reads the partition from ``mentions.incident_id`` (as the last fusion left it) for the incidents reached
    only, and the incidents that lost a mention since from the store's pending list.
    """
    touched = set(touched_docs)
    seeds = {m.id: m for m in store.mentions_of(doc_ids=touched)}
    seeds.update((m.id, m) for m in store.unfused_mentions())         # stored, never fused (an ingest cut short)
    start = {m.incident for m in seeds.values() if m.incident} | store.pending_incidents()
    old: dict[str, list[str]] = {}
    part = find_part(store, old, [seeds[k] for k in sorted(seeds)], set(start))
    index = part.index

    previous = {i: old[i] for i in part.incidents | part.context if old.get(i)}
    moved = index.keep_ids(previous, taken=_Assigned(store))     # the context keeps its ids: same mentions
    decided = index.decided()
    redirects = dict(store.get_state(REDIRECTS_KEY) or {})
    redirects.update({o: n for o, n in moved.items() if o != n})
    named = set(redirects) | set(redirects.values())
    live = set(decided) | (store.assigned(named - part.incidents) if named else set())
    redirects = {o: _follow(n, redirects, live) for o, n in redirects.items() if o not in live}

    fresh = {m.id for m in part.mentions if m.doc_id in touched}     # rewritten: a removed mention counts too
    dirty = [i for i in decided if i in start                    # held a touched or removed mention
             or set(index.members(i)) != set(old.get(i, ())) or not fresh.isdisjoint(index.members(i))]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.set_incident({m.id: index.incident_of(m.id) for m in part.mentions
                        if m.incident != index.incident_of(m.id)})
    store.write_incidents([_row(index.get(i), now) for i in sorted(dirty)],
                          remove=sorted(part.incidents - set(decided)))
    store.write_fusion_keys({i: (fp.stored, fp.looked) for i, fp in part.footprints().items()},
                            remove=part.incidents)
    save_state(store, rule_version, redirects)
    return store.count("incidents")

"""Actors as the store knows them: groups, outlets and people with their aliases, relations and incidents.

Library functions behind `amu actors`, `amu actor NAME` and the dashboard's actor pages. People appear
only as reports name them in a relation's evidence sentence; nothing else about them is stored or shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amu.errors import NotFound
from amu.extract.lexicon import lexicon
from amu.records import person_key

if TYPE_CHECKING:
    from amu.store import Store

# How kinds read in a table (alias-table kinds are modelling terms).
KIND_LABEL: dict[str, str] = {"militant": "group", "de_facto_authority": "authority", "media_wing": "outlet",
                              "group": "group", "person": "person"}


@dataclass
class ActorSummary:
    """One actor as the store knows it, with counts for the ``actors`` table."""

    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    mentions: int = 0
    incidents: int = 0
    relations: int = 0


def summarise(store: "Store") -> list[ActorSummary]:
    """Every group, outlet and person in the store, most documented first."""
    lex = lexicon()
    out: dict[str, ActorSummary] = {}
    relations = store.relation_rows()
    # "X a.k.a. Y" as the report states it: Y is listed as an alias of X, not as another person.
    aka = {person_key(r["object"]): r["subject"] for r in relations if r["relation"] == "also_known_as"}

    def get(name: str, kind: str) -> ActorSummary:
        main = aka.get(person_key(name)) if kind == "person" else None
        key = f"person:{person_key(main or name)}" if kind == "person" else name
        if key not in out:
            out[key] = ActorSummary(main or name, kind)
        if main:
            out[key].aliases.add(name)
        return out[key]

    for row in store.actor_alias_rows():
        a = get(row["actor"], row["kind"])
        a.aliases.add(row["alias"])
        a.docs.add(row["doc_id"])
    for row in relations:
        sides = {}
        for side in ("subject", "object"):
            if row[f"{side}_kind"] != "incident":
                a = get(row[side], row[f"{side}_kind"])
                sides[id(a)] = a
        for a in sides.values():          # a relation counts once per actor, even "X a.k.a. Y"
            a.relations += 1
            a.docs.add(row["doc_id"])
    for counted in store.perpetrator_counts():
        name = str(counted["actor"])
        group = lex.groups.get(name)
        a = get(name, group.kind if group else "group")
        a.mentions, a.incidents = int(str(counted["mentions"])), int(str(counted["incidents"]))
        a.docs.update(str(counted["docs"] or "").split(","))
    return sorted(out.values(), key=lambda a: (-len(a.docs), -a.relations, a.name.lower()))


def resolve_actor(store: "Store", name: str) -> tuple[str, bool]:
    """The actor a name refers to: ``(canonical name, is_person)``.

    Raises:
        NotFound: when no stored document names it (with a hint on how to list actors).
    """
    lex = lexicon()
    wanted = " ".join(name.split()).casefold()
    canon = lex.group_alias.get(wanted)
    if canon is None:
        canon = next((r["actor"] for r in store.actor_alias_rows() if r["alias"].casefold() == wanted), None)
    if canon is None:
        sides = [(r[s], r[f"{s}_kind"]) for r in store.relation_rows() for s in ("subject", "object")]
        canon = next((n for n, k in sides if k not in ("person", "incident") and n.casefold() == wanted), None)
    if canon is not None:
        known = (store.actor_alias_rows(canon) or store.relation_rows(canon)
                 or any(r["actor"] == canon for r in store.perpetrator_counts()))
        if known:
            return canon, False
        raise NotFound(f"no stored document names {canon!r}",
                       hint="it is in the alias table; ingest reports that name it (amu ingest PATH), "
                            "or list known actors with: amu actors")
    people = [r for r in store.people_rows() if r["key"] == person_key(name)]
    if people:
        return people[0]["name"], True
    raise NotFound(f"no actor {name!r}", hint="list actors with: amu actors (names and aliases are both accepted)")


def relation_kind(store: "Store", name: str) -> str:
    for r in store.relation_rows(name):
        return r["subject_kind"] if r["subject"] == name else r["object_kind"]
    return "group"




def actor_kind(store: "Store", canon: str, is_person: bool) -> str:
    """The actor's kind: person, or the alias table's kind (militant, media_wing ...), else as relations state it."""
    if is_person:
        return "person"
    group = lexicon().groups.get(canon)
    return group.kind if group else relation_kind(store, canon)


def media_wings(store: "Store", canon: str, relations: list[Any]) -> tuple[list[str], list[str]]:
    """Media wings of the actor (alias table and reports), and what the reports say it is a media wing of."""
    lex = lexicon()
    wings = sorted({g.name for g in lex.groups.values() if g.parent == canon and g.kind == "media_wing"}
                   | {r["subject"] for r in relations if r["relation"] == "media_wing_of" and r["object"] == canon})
    stated = sorted({r["object"] for r in relations if r["relation"] == "media_wing_of" and r["subject"] == canon})
    return wings, stated


def actor_incidents(store: "Store", canon: str) -> list[dict[str, Any]]:
    """Incidents credited to the actor (or linked to it by a claim or an attribution), one per incident:
    id (the mention's own when not fused), date, type, place, killed (fused, else the mention's lower
    bound), status and the documents."""
    merged: dict[str, dict[str, Any]] = {}
    for r in store.actor_mention_rows(canon):
        key = r["incident_id"] or r["id"]
        item = merged.get(key)
        if item is None:
            place = ", ".join(x for x in (r["i_location"] or r["location"], r["i_country"] or r["country"]) if x)
            item = merged[key] = {
                "id": key, "date": r["i_date"] or r["date"], "event_type": r["event_type"],
                "attack_type": r["attack_type"],
                "type": r["event_type"] + (f"/{r['attack_type']}" if r["attack_type"] else ""),
                "place": place, "country": r["i_country"] or r["country"], "killed": r["i_killed"],
                "status": r["status"], "fused": r["incident_id"] is not None, "docs": set()}
        item["docs"].add(r["doc"])
        # The fused figure when the mention is in an incident, else the mention's own.
        if item["killed"] is None and r["killed_min"] is not None:
            item["killed"] = r["killed_min"]
    return [{**it, "docs": sorted(it["docs"])} for it in merged.values()]

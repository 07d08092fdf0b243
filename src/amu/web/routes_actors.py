"""Actors: groups, outlets and people as the reports name them, and one actor with its relations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from amu.actors import KIND_LABEL, actor_incidents, actor_kind, media_wings, resolve_actor, summarise
from amu.extract.lexicon import lexicon
from amu.web.deps import StoreDep
from amu.web.errors import ERRORS, ApiError

router = APIRouter(prefix="/api", tags=["actors"], responses=ERRORS)
KINDS = ("group", "authority", "outlet", "person")


@router.get("/actors", summary="Groups, outlets and people named in the stored reports, most documented first")
def list_actors(
    store: StoreDep,
    kind: Annotated[str | None, Query(description="only this kind: group, authority, outlet, person")] = None,
) -> dict[str, Any]:
    """As `amu actors`: each actor's kind, the aliases the reports used, and how many documents, mentions,
    incidents and relations name it."""
    if kind is not None and kind not in KINDS:
        raise ApiError(400, "invalid_filter", f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}", KINDS)
    items = []
    for a in summarise(store):
        label = KIND_LABEL.get(a.kind, a.kind)
        if kind is None or label == kind:
            items.append({"name": a.name, "kind": label, "aliases": sorted(a.aliases - {a.name}),
                          "documents": len(a.docs - {""}), "mentions": a.mentions, "incidents": a.incidents,
                          "relations": a.relations})
    return {"total": len(items), "items": items}


@router.get("/actors/{name}", summary="One actor (name or any alias): aliases, relations with evidence, incidents")
def get_actor(store: StoreDep, name: str) -> dict[str, Any]:
    """As `amu actor NAME`: the canonical name, its kind, parent and media wings, the aliases seen (with
    documents), every relation a report states with its evidence sentence, and the incidents credited to it."""
    canon, is_person = resolve_actor(store, name)
    kind = actor_kind(store, canon, is_person)
    group = lexicon().groups.get(canon)
    relations = store.relation_rows(canon, person=is_person)
    wings, wing_of = media_wings(store, canon, relations)
    aliases: dict[str, dict[str, Any]] = {}
    if not is_person:
        for r in store.actor_alias_rows(canon):
            a = aliases.setdefault(r["alias"], {"alias": r["alias"], "occurrences": 0, "documents": set()})
            a["occurrences"] += r["n"]
            a["documents"].add(r["doc"])
    return {"name": canon, "kind": KIND_LABEL.get(kind, kind), "person": is_person,
            "parent": group.parent if group is not None else None, "media_wings": wings, "media_wing_of": wing_of,
            "aliases": [{**a, "documents": sorted(a["documents"])} for a in aliases.values()],
            "relations": [{k: r[k] for k in ("id", "subject", "subject_kind", "relation", "object", "object_kind",
                                             "doc", "doc_id", "evidence_text", "evidence_start", "evidence_end",
                                             "mention_id")} for r in relations],
            "incidents": [] if is_person else actor_incidents(store, canon)}

"""``amu actors`` and ``amu actor NAME``: groups, outlets and people, their aliases and relations.

A thin view over the store tables of migration 3 (``actor_aliases``, ``relations``,
``people``) and the incident tables. Attach the commands to the main group with
``register(cli)``. People appear only as reports name them in a relation's
evidence sentence; nothing else about them is stored or shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import click
from rich.table import Table

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.errors import NotFound
from amu.extract.lexicon import lexicon
from amu.records import person_key
from amu.views import _console

if TYPE_CHECKING:
    from amu.store import Store

# How kinds read in a table (alias-table kinds are modelling terms).
_KIND_LABEL = {"militant": "group", "de_facto_authority": "authority", "media_wing": "outlet",
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
    for row in store.perpetrator_counts():
        group = lex.groups.get(row["actor"])
        a = get(row["actor"], group.kind if group else "group")
        a.mentions, a.incidents = int(row["mentions"]), int(row["incidents"])
        a.docs.update((row["docs"] or "").split(","))
    return sorted(out.values(), key=lambda a: (-len(a.docs), -a.relations, a.name.lower()))


def actors_table(store: "Store", kind: str | None = None, file: IO[str] | None = None) -> None:
    """The ``amu actors`` table."""
    rows = [a for a in summarise(store) if kind is None or _KIND_LABEL.get(a.kind, a.kind) == kind]
    t = Table(title=f"Actors ({len(rows)})")
    for col in ("name", "kind", "aliases seen", "documents", "mentions", "incidents", "relations"):
        t.add_column(col, no_wrap=col == "name")
    for a in rows:
        t.add_row(a.name, _KIND_LABEL.get(a.kind, a.kind), ", ".join(sorted(a.aliases - {a.name})),
                  str(len(a.docs)), str(a.mentions), str(a.incidents), str(a.relations))
    _console(file).print(t)


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


def show_actor(store: "Store", name: str, file: IO[str] | None = None) -> None:
    """One actor: aliases seen, parent and wings, relations with evidence, incidents credited to it."""
    con = _console(file)
    canon, is_person = resolve_actor(store, name)
    lex = lexicon()
    group = lex.groups.get(canon)
    kind = "person" if is_person else (group.kind if group else _relation_kind(store, canon))
    con.print(f"[bold]{canon}[/bold]  {_KIND_LABEL.get(kind, kind)}")
    relations = store.relation_rows(canon, person=is_person)
    if group is not None and group.parent:
        con.print(f"  part of      {group.parent} (alias table)")
    wings = sorted({g.name for g in lex.groups.values() if g.parent == canon and g.kind == "media_wing"}
                   | {r["subject"] for r in relations if r["relation"] == "media_wing_of" and r["object"] == canon})
    if wings:
        con.print(f"  media wings  {', '.join(wings)}")
    stated = sorted({r["object"] for r in relations if r["relation"] == "media_wing_of" and r["subject"] == canon})
    if stated:
        con.print(f"  media wing of {', '.join(stated)} (stated in reports)")
    if not is_person:
        _aliases(con, store.actor_alias_rows(canon))
    _relations(con, relations)
    if not is_person:
        _incidents(con, store.actor_mention_rows(canon))


def _relation_kind(store: "Store", name: str) -> str:
    for r in store.relation_rows(name):
        return r["subject_kind"] if r["subject"] == name else r["object_kind"]
    return "group"


def _aliases(con: Any, rows: list[Any]) -> None:
    if not rows:
        return
    seen: dict[str, list[Any]] = {}
    for r in rows:
        seen.setdefault(r["alias"], []).append(r)
    t = Table(title="Aliases seen")
    for col in ("alias", "occurrences", "documents"):
        t.add_column(col)
    for alias, rs in seen.items():
        t.add_row(alias, str(sum(r["n"] for r in rs)), ", ".join(sorted({r["doc"] for r in rs})))
    con.print(t)


def _relations(con: Any, rows: list[Any]) -> None:
    if not rows:
        con.print("  no relations stated in the stored reports")
        return
    t = Table(title=f"Relations ({len(rows)})", show_lines=True)
    for col in ("subject", "relation", "object", "document", "evidence"):
        t.add_column(col, no_wrap=col in ("relation",))
    for r in rows:
        subject, obj = r["subject"], r["object"]
        if r["mention_id"]:
            linked = f"mention {r['mention_id']}"
            subject, obj = (linked, obj) if r["subject_kind"] == "incident" else (subject, linked)
        t.add_row(subject, r["relation"], obj, f"{r['doc']} [{r['evidence_start']}:{r['evidence_end']}]",
                  r["evidence_text"])
    con.print(t)


def _incidents(con: Any, rows: list[Any]) -> None:
    if not rows:
        con.print("  no incidents credited to it in the store")
        return
    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = r["incident_id"] or r["id"]
        # The fused figure when the mention is in an incident, else the mention's own.
        item = merged.setdefault(key, {"row": r, "docs": set(), "killed": r["i_killed"]})
        item["docs"].add(r["doc"])
        if item["killed"] is None and r["killed_min"] is not None:
            item["killed"] = r["killed_min"]
    t = Table(title=f"Incidents ({len(merged)})")
    for col in ("incident", "date", "type", "place", "killed", "status", "documents"):
        t.add_column(col, no_wrap=col in ("incident", "date"))
    for key, item in merged.items():
        r = item["row"]
        place = ", ".join(x for x in (r["i_location"] or r["location"], r["i_country"] or r["country"]) if x)
        t.add_row(key, r["i_date"] or r["date"] or "", r["event_type"] + (f"/{r['attack_type']}" if r["attack_type"] else ""),
                  place, "" if item["killed"] is None else str(item["killed"]), r["status"] or "",
                  ", ".join(sorted(item["docs"])))
    con.print(t)


# -- commands ------------------------------------------------------------------------------------------
_errors = handle_errors


def _store(ctx: click.Context, db: str | None) -> "Store":
    return open_existing(settings(ctx, db=db).db)


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--kind", type=click.Choice(["group", "authority", "outlet", "person"]), help="only this kind")
@click.pass_context
@_errors
def actors(ctx: click.Context, db: str | None, kind: str | None) -> None:
    """List groups, media outlets and people named in the stored reports, with their aliases."""
    actors_table(_store(ctx, db), kind=kind)


@click.command()
@click.argument("name")
@click.option("--db", help=DB_HELP)
@click.pass_context
@_errors
def actor(ctx: click.Context, name: str, db: str | None) -> None:
    """Show one actor (by name or alias): aliases seen, relations with evidence, incidents."""
    show_actor(_store(ctx, db), name)


def register(cli: click.Group) -> None:
    """Add ``actors`` and ``actor`` to a click group (the ``amu`` command)."""
    cli.add_command(actors)
    cli.add_command(actor)

"""``amu actors`` and ``amu actor NAME``: groups, outlets and people, their aliases and relations.

A thin view over the store tables of migration 3 (``actor_aliases``, ``relations``,
``people``) and the incident tables. Attach the commands to the main group with
``register(cli)``. People appear only as reports name them in a relation's
evidence sentence; nothing else about them is stored or shown.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import click
from rich.table import Table

from amu.actors import (KIND_LABEL, ActorSummary, actor_incidents, actor_kind, media_wings, resolve_actor,
                        summarise)
from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.extract.lexicon import lexicon
from amu.views import _console

if TYPE_CHECKING:
    from amu.store import Store

__all__ = ["ActorSummary", "actors_table", "register", "resolve_actor", "show_actor", "summarise"]
_KIND_LABEL = KIND_LABEL


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


def show_actor(store: "Store", name: str, file: IO[str] | None = None) -> None:
    """One actor: aliases seen, parent and wings, relations with evidence, incidents credited to it."""
    con = _console(file)
    canon, is_person = resolve_actor(store, name)
    group = lexicon().groups.get(canon)
    kind = actor_kind(store, canon, is_person)
    con.print(f"[bold]{canon}[/bold]  {_KIND_LABEL.get(kind, kind)}")
    relations = store.relation_rows(canon, person=is_person)
    if group is not None and group.parent:
        con.print(f"  part of      {group.parent} (alias table)")
    wings, stated = media_wings(store, canon, relations)
    if wings:
        con.print(f"  media wings  {', '.join(wings)}")
    if stated:
        con.print(f"  media wing of {', '.join(stated)} (stated in reports)")
    if not is_person:
        _aliases(con, store.actor_alias_rows(canon))
    _relations(con, relations)
    if not is_person:
        _incidents(con, actor_incidents(store, canon))


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


def _incidents(con: Any, items: list[dict[str, Any]]) -> None:
    if not items:
        con.print("  no incidents credited to it in the store")
        return
    t = Table(title=f"Incidents ({len(items)})")
    for col in ("incident", "date", "type", "place", "killed", "status", "documents"):
        t.add_column(col, no_wrap=col in ("incident", "date"))
    for it in items:
        t.add_row(it["id"], it["date"] or "", it["type"], it["place"],
                  "" if it["killed"] is None else str(it["killed"]), it["status"] or "", ", ".join(it["docs"]))
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

"""``amu documents``: the stored documents with their language, and which ones are flagged.

A thin shell over :meth:`amu.store.Store.documents` and :func:`amu.ingest.language.profile_of`.
Attach it to the main group with ``register(cli)``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--language", "languages", multiple=True,
              help="only documents whose main language is this code (en ru tg uz-Latn uz-Cyrl ky kk fa ps tr other); "
                   "repeatable")
@click.option("--flagged", is_flag=True, help="only the documents Amu cannot fully read")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@handle_errors
def documents(ctx: click.Context, db: str | None, languages: tuple[str, ...], flagged: bool, fmt: str) -> None:
    """List the stored documents with their language; flagged ones are not (fully) in English."""
    from amu.ingest.language import profile_of

    s = settings(ctx, db=db)
    rows: list[dict[str, Any]] = []
    for doc in open_existing(s.db).documents():
        profile = profile_of(doc.text, doc.meta)
        if (languages and profile.language not in languages) or (flagged and not profile.flagged):
            continue
        rows.append({"id": doc.id, "name": doc.name, "published": doc.published, "publisher": doc.publisher,
                     "language": profile.language, "shares": profile.shares, "flagged": profile.flagged,
                     "description": profile.description, "note": profile.note})
    if fmt == "json":
        click.echo(json.dumps({"count": len(rows), "documents": rows}, ensure_ascii=False, indent=2))
        return
    _table(rows)


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from amu.views import _console

    n_flagged = sum(r["flagged"] for r in rows)
    t = Table(title=f"Documents ({len(rows)}, {n_flagged} flagged: not fully in English)")
    for col in ("id", "name", "published", "language", "flagged"):
        t.add_column(col, no_wrap=col in ("id", "published", "language"), overflow="fold")
    for r in rows:
        t.add_row(r["id"], escape(r["name"]), r["published"] or "", r["language"],
                  escape(r["description"]) if r["flagged"] else "")
    _console().print(t)


def register(cli: click.Group) -> None:
    """Add ``documents`` to a click group (the ``amu`` command)."""
    cli.add_command(documents)

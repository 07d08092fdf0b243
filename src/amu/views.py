"""Terminal views: the incidents table, one incident's dossier, a mentions table.

Formatting only; the data comes from the store or the library.
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable

from rich.console import Console
from rich.table import Table

from amu.errors import NotFound
from amu.records import Count, Mention


def _fmt_count(c: Count | dict[str, Any] | int | None) -> str:
    if c is None:
        return ""
    if isinstance(c, int):
        return str(c)
    lo, hi = (c.min, c.max) if isinstance(c, Count) else (c.get("min"), c.get("max"))
    if lo is not None and lo == hi:
        return str(lo)
    if lo is not None and hi is not None:
        return f"{lo}–{hi}"
    return f"≥{lo}" if lo is not None else f"≤{hi}"


def _console(file: IO[str] | None = None) -> Console:
    """A console as wide as the terminal, or 160 columns when writing to a file or a pipe."""
    import shutil
    import sys

    out = file or sys.stdout
    width = shutil.get_terminal_size((160, 24)).columns if out.isatty() else 160
    return Console(file=out, width=max(width, 100), soft_wrap=False)


def mentions_table(mentions: Iterable[Mention], file: IO[str] | None = None) -> None:
    """A readable table of mentions (``amu extract`` without --jsonl)."""
    t = Table(title="Incident mentions", show_lines=False)
    for col in ("doc", "type", "date", "place", "perpetrator", "killed", "wounded", "arrested", "status"):
        t.add_column(col)
    for m in mentions:
        t.add_row(m.doc, m.event_type + (f"/{m.attack_type}" if m.attack_type else ""), m.date.iso if m.date else "",
                  ", ".join(x for x in (m.location, m.country) if x), m.perpetrator or "", _fmt_count(m.killed),
                  _fmt_count(m.wounded), _fmt_count(m.arrested), m.status or "")
    _console(file).print(t)


def incidents_table(store: Any, country: str | None = None, event_type: str | None = None, limit: int = 200,
                    file: IO[str] | None = None) -> None:
    """The fused incidents in the store, newest first."""
    rows = store.incident_rows(country=country, event_type=event_type, limit=limit)
    t = Table(title=f"Incidents ({len(rows)} shown)")
    for col in ("id", "date", "type", "place", "perpetrator", "killed", "wounded", "arrested", "sources", "!"):
        t.add_column(col, no_wrap=col in ("id", "date"))
    for r in rows:
        data = json.loads(r["data_json"])
        figs = {k: data.get(k) for k in ("killed", "wounded", "arrested")}
        conflict = any(f.get("conflict") for f in figs.values() if f)
        t.add_row(r["id"], r["date"] or "", r["event_type"] + (f"/{r['attack_type']}" if r["attack_type"] else ""),
                  ", ".join(x for x in (r["location"], r["country"]) if x), r["perpetrator"] or "",
                  _fig(figs.get("killed")), _fig(figs.get("wounded")), _fig(figs.get("arrested")),
                  str(r["n_sources"]), "conflict" if conflict else "")
    _console(file).print(t)


def _fig(f: dict[str, Any] | None) -> str:
    if not f:
        return ""
    lo, best, hi = f.get("low"), f.get("best"), f.get("high")
    if lo is None:                      # only an upper bound is known: "up to 1,700"
        return f"≤{hi}" if hi is not None else str(best or "")
    if lo == hi or hi is None:
        return str(best if best is not None else lo)
    return f"{best} ({lo}–{hi})" if best is not None else f"{lo}–{hi}"


def show_incident(store: Any, ident: str, file: IO[str] | None = None) -> None:
    """One incident's dossier: fused fields, figures by source, every source sentence."""
    from amu.resolve.incidents import resolve_id

    con = _console(file)
    live = resolve_id(store, ident)
    if live != ident:
        con.print(f"[yellow]{ident} was merged into {live}[/yellow]")
        ident = live
    row = store.incident_row(ident)
    if row is None:
        mention = store.mention(ident)  # raises NotFound with a hint
        con.print(f"[bold]mention {mention.id}[/bold] (incident {mention.incident})")
        _print_mentions(con, [mention])
        return
    data = json.loads(row["data_json"])
    con.print(f"[bold]{row['id']}[/bold]  {row['event_type']}"
              + (f"/{row['attack_type']}" if row["attack_type"] else ""))
    for key in ("date", "location", "country", "perpetrator", "status"):
        if data.get(key):
            con.print(f"  {key:<12} {data[key]}")
    for role in ("killed", "wounded", "arrested"):
        fig = data.get(role)
        if not fig:
            continue
        flag = "  [red]CONFLICT[/red]" if fig.get("conflict") else ""
        con.print(f"  {role:<12} best {fig.get('best')} (low {fig.get('low')}, high {fig.get('high')}){flag}")
        for src in fig.get("sources", []):
            con.print(f"      {src.get('doc')}: {src.get('count')} (“{src.get('text')}”)", highlight=False)
    con.print(f"  sources      {row['n_sources']} independent of {row['n_mentions']} mentions; "
              f"first reported {data.get('first_reported') or '?'}, last {data.get('last_reported') or '?'}")
    mentions = store.mentions(incident_id=row["id"])
    if not mentions:
        raise NotFound(f"incident {row['id']} has no mentions", hint="re-run: amu ingest PATH")
    _print_related(con, store, row, data, mentions)
    _print_mentions(con, mentions)


def _print_related(con: Console, store: Any, row: Any, data: dict[str, Any], mentions: list[Mention]) -> None:
    """Actors named with the incident (and the relations the sources state) and incidents close to it."""
    actors = sorted({m.perpetrator for m in mentions if m.perpetrator} | set(data.get("perpetrators") or []))
    people = sorted({p for m in mentions for p in m.people})
    rels = store.relations_of_mentions([m.id for m in mentions])
    if actors or people or rels:
        con.print("\n[bold]Related actors[/bold]")
        for a in actors:
            con.print(f"  {a} (perpetrator)  → amu actor {a!r}")
        for p in people:
            con.print(f"  {p} (named in the evidence)")
        for r in rels:
            con.print(f"  {r['subject']} {r['relation']} {r['object']}  [{r['doc']}]")
    near = store.related_incidents(row)
    if near:
        con.print("\n[bold]Related incidents[/bold] (same group in the same country, or same place)")
        for r in near:
            con.print(f"  {r['id']}  {r['date'] or '?':<10} {r['event_type']:<18} "
                      f"{', '.join(x for x in (r['location'], r['country']) if x)}  {r['perpetrator'] or ''}")


def _print_mentions(con: Console, mentions: list[Mention]) -> None:
    con.print("\n[bold]Evidence[/bold]")
    for m in mentions:
        bits = [m.event_type, m.date.iso if m.date else None, m.location, m.country, m.perpetrator,
                f"killed {_fmt_count(m.killed)}" if m.killed else None, m.status]
        con.print(f"- [cyan]{m.doc}[/cyan] [{m.evidence.start}:{m.evidence.end}] "
                  + " · ".join(b for b in bits if b))
        con.print(f"    “{m.evidence.text}”", highlight=False)

"""Terminal views: the incidents table, one incident's dossier, a mentions table.

Formatting only; the data comes from the store or the library.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any, Iterable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from amu.errors import NotFound
from amu.find.rows import Figure, IncidentRow
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


def incidents_table(rows: Sequence[IncidentRow], total: int | None = None, filters: str = "",
                    file: IO[str] | None = None) -> None:
    """A table of incident rows (from :func:`amu.find.find_incidents`), as given.

    Args:
        rows: The incidents to show.
        total: How many matched before a limit (shown in the title when larger).
        filters: A description of the filters in force, for the title.
    """
    title = f"Incidents ({len(rows)} shown" + (f" of {total}" if total is not None and total > len(rows) else "") \
        + ")" + (f" — {filters}" if filters else "")
    t = Table(title=title)
    for col in ("id", "date", "type", "place", "prec.", "perpetrator", "nat.", "killed", "wounded", "arrested",
                "status", "src", "!"):
        t.add_column(col, no_wrap=col in ("id", "date"))
    for r in rows:
        t.add_row(r.id, r.date or "", r.event_type + (f"/{r.attack_type}" if r.attack_type else ""),
                  ", ".join(x for x in (r.location, r.country) if x), r.geo_precision or "",
                  r.perpetrator or "", " ".join(r.nationality), _fig(r.killed), _fig(r.wounded), _fig(r.arrested),
                  r.status or "", str(r.n_sources), "conflict" if r.conflict else "")
    _console(file).print(t)


def _fig(f: Figure | dict[str, Any] | None) -> str:
    if not f:
        return ""
    lo, best, hi = (f.low, f.best, f.high) if isinstance(f, Figure) else (f.get("low"), f.get("best"), f.get("high"))
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
    mentions = store.mentions(incident_id=row["id"])
    for line in _place_and_nationality(data, mentions):
        con.print(f"  {line}", highlight=False)
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
    if not mentions:
        raise NotFound(f"incident {row['id']} has no mentions", hint="re-run: amu ingest PATH")
    _print_related(con, store, row, data, mentions)
    _print_mentions(con, mentions)


def _place_and_nationality(data: dict[str, Any], mentions: list[Mention]) -> list[str]:
    """The place's precision and coordinates, and the perpetrators' nationality as the sources report it."""
    from amu.find.rows import row_from_record

    lines = []
    row = row_from_record(data)
    if row.geo_precision:
        where = ", ".join(x for x in (row.location, row.admin1, row.country) if x)
        coords = f"; {row.lat:.4f}, {row.lon:.4f}" if row.has_point else "; no coordinates"
        lines.append(f"{'place':<12} {where} ({row.geo_precision}{coords})")
    counts: dict[str, int] = {}
    for m in mentions:
        for code in m.perpetrator_nationality:
            counts[code] = counts.get(code, 0) + 1
    if counts:
        nat = ", ".join(f"{c} ({n} mention{'s' if n > 1 else ''})" for c, n in
                        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{'nationality':<12} {nat} — the perpetrators', as reported")
    return lines


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
        stated = Counter((r["subject"], r["relation"], r["object"], r["doc"]) for r in rels)
        for (subject, relation, obj, doc), n in stated.items():   # one line a report, however many sentences say it
            said = f"{doc}, {n} sentences" if n > 1 else doc
            con.print(escape(f"  {subject} {relation} {obj}  [{said}]"))
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

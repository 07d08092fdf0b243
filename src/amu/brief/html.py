"""The brief as one self-contained HTML page: inline CSS, inline SVG charts, every text escaped.

Nothing in the page refers outside it: no scripts, no stylesheets, no images, no links to the sources
(their URLs are shown as text). The evidence sentences are read through the store's public
:meth:`mentions_of`; the figures, counts and early-warning panel come from :mod:`amu.find` rows and
:mod:`amu.analysis`.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from amu import GENERATOR
from amu.analysis import Analysis, FigureSum, counts, early_warning
from amu.errors import ExportError
from amu.find.rows import Figure, IncidentRow, with_sources
from amu.records import Count, Mention

FIGURES = ("killed", "wounded", "arrested")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;
line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.8em}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.25em .45em;vertical-align:top;text-align:left}
th{background:#f2f2f2}td.n{text-align:right}
.filters,.note,.caveat{color:#555;font-size:.9em}.caveat{background:#fff8e1;padding:.4em .6em}
.empty{font-size:1.1em;background:#f7f7f7;padding:1em}
blockquote{margin:.2em 0 .4em 1em;padding-left:.6em;border-left:3px solid #ccc;font-style:italic}
.conflict{color:#b03a2e;font-weight:bold}.chart svg{max-width:100%;height:auto}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.summary dt{font-weight:bold}
section.map .chart svg{width:100%;max-width:900px}
@page{size:A4;margin:14mm 12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:9.5pt}
section.page{break-before:page}h2{margin-top:0}section.follow h2{margin-top:1.2em}
h2,h3{break-after:avoid}.chart,tr,blockquote,dl.summary{break-inside:avoid}thead{display:table-header-group}
table{font-size:8pt}section.map .chart svg{max-width:100%}}
"""
SECTIONS = ("summary", "timeline", "map", "actors", "incidents", "conflicts", "warning")
FOLLOW = {"summary", "timeline", "actors"}   # in print, these follow on the page before; the rest start one


def esc(value: Any) -> str:
    """Any value as escaped HTML text (None as empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def write_brief(store: Any, rows: Sequence[IncidentRow], filters: str, path: str | Path, limit: int = 200,
                title: str = "Amu brief") -> Path:
    """Write the brief of ``rows`` to ``path``; an unwritable path is an :class:`ExportError` with a hint."""
    text = brief_html(store, rows, filters, limit=limit, title=title)
    out = Path(path)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}",
                          hint="check that the folder exists and is writable, or give another -o FILE") from None
    return out


def brief_html(store: Any, rows: Sequence[IncidentRow], filters: str, limit: int = 200,
               title: str = "Amu brief", generated: str | None = None) -> str:
    """The whole page over ``rows`` (``find_incidents(..., sources=False)`` is enough: the sources of the
    incidents listed are read here); the incident table lists the first ``limit`` of them (0: all) with
    their sources and evidence sentences."""
    generated = generated or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h1>{esc(title)}</h1>",
             f'<p class="filters">Filters: {esc(filters) if filters else "none (every incident in the store)"}'
             f" · generated {esc(generated)}</p>"]
    if not rows:
        parts.append('<p class="empty">No incidents match these filters.</p>')
    else:
        shown = with_sources(store, rows[:limit] if limit > 0 else rows)   # only the listed need their sources
        by_incident = _mentions(store, [r.id for r in shown])
        groups = counts(rows, by="group")
        made = [_summary(rows, groups), _timeline(rows), _map(rows), _actors(groups),
                _incidents(shown, len(rows), by_incident), _conflicts(shown, by_incident), _warning(rows)]
        parts += [f'<section class="{name} {"follow" if name in FOLLOW else "page"}">\n{text}\n</section>'
                  for name, text in zip(SECTIONS, made)]
    body = "\n".join(p for p in parts if p)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta name="generator" content="{GENERATOR}">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def _mentions(store: Any, incident_ids: list[str]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = defaultdict(list)
    if incident_ids:
        for m in store.mentions_of(incident_ids=incident_ids):
            if m.incident:
                out[m.incident].append(m)
    for ms in out.values():
        ms.sort(key=lambda m: (m.doc, m.evidence.start))
    return out


def _summary(rows: Sequence[IncidentRow], groups: Analysis) -> str:
    sums = {f: FigureSum() for f in FIGURES}
    for r in rows:
        for f in FIGURES:
            sums[f].add(getattr(r, f))
    dates = sorted(r.date for r in rows if r.date)
    countries = sorted({r.country for r in rows if r.country})
    items = [("Incidents", str(len(rows)))]
    for f in FIGURES:
        s = sums[f]
        items.append((f"{f.capitalize()} (best)", f"{s.best} (low {s.low}, high {s.high}; "
                                                    f"{s.reported} incident{'' if s.reported == 1 else 's'} report it)"))
    items += [("Date range", f"{dates[0]} to {dates[-1]}" if dates else "no dated incidents"),
              ("Countries", ", ".join(countries) or "none known"),
              ("Groups", ", ".join(str(g["group"]) for g in groups.rows) or "none known")]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return f'<h2>Summary</h2>\n<dl class="summary">{dl}</dl>'


def _timeline(rows: Sequence[IncidentRow]) -> str:
    from amu.brief.charts import timeline_svg

    result = counts(rows, by="month")
    head = "<h2>Timeline</h2>\n"
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in result.notes[1:2])
    if not result.rows:
        return head + '<p class="note">No incident is dated to a month or a day; no timeline.</p>'
    months = [str(r["month"]) for r in result.rows]
    values = [int(r["incidents"]) for r in result.rows]  # type: ignore[call-overload]
    return head + f'<div class="chart">{timeline_svg(months, values)}</div>{notes}'


def _map(rows: Sequence[IncidentRow]) -> str:
    from amu.brief.mapchart import map_svg

    pts = [r for r in rows if r.has_point]
    head = "<h2>Map</h2>\n"
    if not pts:
        return head + '<p class="note">No incident has coordinates; no map.</p>'
    hit = {r.country for r in rows if r.country}
    svg = map_svg([r.lon for r in pts], [r.lat for r in pts],  # type: ignore[misc]
                  [(r.killed.best or 0) if r.killed else 0 for r in pts], hit,
                  [r.location or "" for r in pts])
    note = (f"{len(pts)} of {len(rows)} incidents have coordinates and are drawn; "
            + (f"{len(rows) - len(pts)} located only to a country or not at all are in the table, not on the map. "
               if len(pts) < len(rows) else "")
            + "Marker area grows with the number killed (best figure); incidents at the same spot at this scale "
            "share a marker. Countries with incidents are shaded. Precision varies: an incident placed only to a "
            "district or province sits at that area's centre. Outlines: Natural Earth 1:50m (public domain), "
            "equirectangular.")
    return head + f'<div class="chart">{svg}</div><p class="note">{esc(note)}</p>'


def _table(columns: Iterable[str], body: Iterable[Iterable[str]], numeric: Iterable[str] = ()) -> str:
    cols = list(columns)
    num = set(numeric)
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    trs = "".join("<tr>" + "".join(f'<td class="n">{v}</td>' if c in num else f"<td>{v}</td>"
                                   for c, v in zip(cols, row)) + "</tr>\n" for row in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{trs}</tbody></table>"


def _actors(result: Analysis, top: int = 10) -> str:
    cols = ("group", "incidents", "killed_best", "wounded_best", "arrested_best")
    body = [[esc(r.get(c)) for c in cols] for r in result.rows[:top]]
    more = len(result.rows) - top
    note = f'<p class="note">{more} more groups not shown.</p>' if more > 0 else ""
    return "<h2>Top actors</h2>\n" + _table(cols, body, cols[1:]) + note + \
        '<p class="note">An incident with several groups counts under each.</p>'


def _fig(f: Figure | None) -> str:
    if f is None or (f.best is None and f.low is None and f.high is None):
        return ""
    text = "" if f.best is None else str(f.best)
    if f.low is not None and f.high is not None and (f.low, f.high) != (f.best, f.best):
        text += f" ({f.low}–{f.high})"
    out = esc(text.strip())
    return out + (' <span class="conflict">conflict</span>' if f.conflict else "")


def _count(c: Count | None) -> str:
    if c is None:
        return ""
    if c.min is not None and c.min == c.max:
        return str(c.min)
    if c.max is None:
        return "" if c.min is None else f"≥{c.min}"
    if c.min is None:
        return f"≤{c.max}"
    return f"{c.min}–{c.max}"


def _incidents(shown: Sequence[IncidentRow], total: int, by_incident: dict[str, list[Mention]]) -> str:
    cols = ("incident", "date", "type", "place", "perpetrator", "status", "killed", "wounded", "arrested",
            "sources and evidence")
    body = []
    for r in shown:
        place = ", ".join(x for x in (r.location, r.admin1, r.country) if x)
        if r.geo_precision:
            place += f" ({r.geo_precision})"
        kind = f"{r.event_type}/{r.attack_type}" if r.attack_type else r.event_type
        date = esc(r.date or "") + (' <span class="conflict">conflict</span>' if r.date_conflict else "")
        body.append([f'<span id="{esc(r.id)}">{esc(r.id)}</span>', date, esc(kind), esc(place),
                     esc(", ".join(r.actors)), esc(r.status), _fig(r.killed), _fig(r.wounded), _fig(r.arrested),
                     _citations(r, by_incident.get(r.id, []))])
    note = (f'<p class="note">{len(shown)} of {total} incidents shown (newest first); '
            "--limit 0 lists all.</p>" if len(shown) < total else "")
    return "<h2>Incidents</h2>\n" + note + _table(cols, body, ("killed", "wounded", "arrested"))


def _citations(r: IncidentRow, mentions: list[Mention]) -> str:
    out = []
    for s in r.sources:
        bits = [s.title or s.doc, s.publisher, s.published, s.url]
        label = " · ".join(b for b in bits if b)
        quotes = "".join(f"<blockquote>“{esc(m.evidence.text)}”</blockquote>"
                         for m in mentions if m.doc_id == s.doc_id)
        out.append(f"<div><b>[{esc(s.doc)}]</b> {esc(label)}{quotes}</div>")
    known = {s.doc_id for s in r.sources}
    for m in mentions:   # evidence of a document no longer in the store still shows
        if m.doc_id not in known:
            out.append(f"<div><b>[{esc(m.doc)}]</b><blockquote>“{esc(m.evidence.text)}”</blockquote></div>")
    return "".join(out)


def _conflicts(shown: Sequence[IncidentRow], by_incident: dict[str, list[Mention]]) -> str:
    disputed = [r for r in shown if r.conflict]
    head = "<h2>Conflicting figures</h2>\n"
    if not disputed:
        return head + '<p class="note">No incident shown has sources that disagree on a figure or the date.</p>'
    parts = [head, '<p class="note">Each source\'s figures side by side, with the fused best and range.</p>']
    for r in disputed:
        mentions = by_incident.get(r.id, [])
        body = [[esc(m.doc), esc(m.date.iso if m.date else ""), _count(m.killed), _count(m.wounded),
                 _count(m.arrested), esc(m.evidence.text)] for m in mentions]
        body.append(["<b>fused</b>", esc(r.date or ""), _fig(r.killed), _fig(r.wounded), _fig(r.arrested), ""])
        where = ", ".join(x for x in (r.location, r.country) if x)
        parts.append(f"<h3>{esc(r.id)} {esc(r.event_type)} {esc(where)}</h3>")
        parts.append(_table(("source", "date", "killed", "wounded", "arrested", "evidence"), body,
                            ("killed", "wounded", "arrested")))
    return "\n".join(parts)


def _warning(rows: Sequence[IncidentRow]) -> str:
    result = early_warning(rows)
    cols = ("lead", "lead_events", "attacks", "best_lag", "r", "n_months", "band_95", "reading")
    body = [[esc(r.get(c)) for c in cols] for r in result.rows]
    caveats = "".join(f'<p class="caveat">{esc(n)}</p>' for n in result.notes)
    table = _table(cols, body, cols[1:7]) if body else ""
    return (f"<h2>{esc(result.title)}</h2>\n<p class=\"note\">Method: {esc(result.method)}.</p>"
            + table + caveats)

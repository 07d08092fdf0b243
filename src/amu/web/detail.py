"""One incident with its evidence, as the dashboard's incident page shows it.

Reads through the store's public methods and :mod:`amu.find`; adds nothing the CLI's ``amu show`` does
not know: each mention's source sentence, the spans of its facts inside that sentence (date and figures
from the extractor's character offsets; the perpetrator and the place found by name, using the aliases
the report used), facts read from elsewhere in the report, and each figure by source side by side with
the fused value.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any, Iterable

from amu.errors import NotFound
from amu.find.rows import Source, row_from_record, with_sources
from amu.records import Count, Mention

FIGURES = ("killed", "wounded", "arrested")


def _count(c: Count | None) -> dict[str, Any] | None:
    return None if c is None else {"min": c.min, "max": c.max, "text": c.text}


def _find_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where any of ``names`` occurs in ``text`` as whole words (case-insensitive), longest names first."""
    spans: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, flags=re.I):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
    return spans


def highlights(m: Mention, doc_text: str | None, perpetrator_names: Iterable[str] = ()) -> tuple[list[dict[str, Any]],
                                                                                                list[dict[str, Any]]]:
    """The facts' spans inside the evidence sentence (offsets relative to it), and facts read elsewhere.

    Returns:
        ``(inside, outside)``: ``inside`` items are ``{kind, start, end, text}`` with offsets into
        ``m.evidence.text``, sorted and not overlapping; ``outside`` items are ``{kind, text}`` for a date
        or figure the extractor read from another sentence of the report.
    """
    ev = m.evidence
    inside: list[dict[str, Any]] = []
    outside: list[dict[str, Any]] = []
    spans: list[tuple[str, int, int]] = []
    if m.date is not None and m.date.start >= 0:
        spans.append(("date", m.date.start, m.date.end))
    for key in FIGURES:
        c: Count | None = getattr(m, key)
        if c is not None and c.start >= 0:
            spans.append((key, c.start, c.end))
    for kind, start, end in spans:
        if ev.start <= start and end <= ev.end:
            inside.append({"kind": kind, "start": start - ev.start, "end": end - ev.start,
                           "text": ev.text[start - ev.start:end - ev.start]})
        else:
            text = doc_text[start:end] if doc_text and 0 <= start < end <= len(doc_text) else ""
            outside.append({"kind": kind, "text": text or (m.date.iso if kind == "date" and m.date else "")})
    named = [("perpetrator", [m.perpetrator or "", *perpetrator_names]),
             ("place", [m.location or "", m.place.name if m.place else ""])]
    for kind, names in named:
        for a, b in _find_names(ev.text, names):
            inside.append({"kind": kind, "start": a, "end": b, "text": ev.text[a:b]})
    inside.sort(key=lambda h: (h["start"], -h["end"]))
    kept: list[dict[str, Any]] = []
    for h in inside:                      # the first of overlapping spans wins
        if not kept or h["start"] >= kept[-1]["end"]:
            kept.append(h)
    return kept, outside


def incident_detail(store: Any, ident: str) -> dict[str, Any]:
    """The incident ``ident`` (id or unambiguous prefix; a merged id leads to the incident it joined).

    Raises:
        NotFound: no incident has this id (the hint says where ids come from).
    """
    from amu.resolve.incidents import resolve_id

    live = resolve_id(store, ident)
    row = store.incident_row(live)
    if row is None:
        raise NotFound(f"no incident {ident!r}", hint="take an id from GET /api/incidents (or `amu incidents`)")
    data = json.loads(row["data_json"])
    data["n_mentions"], data["n_sources"] = row["n_mentions"], row["n_sources"]
    mentions = store.mentions(incident_id=row["id"])
    nat: dict[str, int] = {}
    for m in mentions:
        for code in m.perpetrator_nationality:
            nat[code] = nat.get(code, 0) + 1
    inc = with_sources(store, [row_from_record(data, sorted(nat, key=lambda k: (-nat[k], k)))])[0]
    docs: dict[str, Any] = {}
    out_mentions = []
    for m in mentions:
        if m.doc_id not in docs:
            try:
                docs[m.doc_id] = store.document(m.doc_id)
            except NotFound:
                docs[m.doc_id] = None
        doc = docs[m.doc_id]
        aliases = {r["alias"] for r in store.actor_alias_rows(m.perpetrator) if r["doc_id"] == m.doc_id} \
            if m.perpetrator else set()
        inside, outside = highlights(m, doc.text if doc is not None else None, aliases)
        out_mentions.append({
            "id": m.id, "doc": m.doc, "doc_id": m.doc_id,
            "source": asdict(Source.of(doc)) if doc is not None else None,
            "event_type": m.event_type, "attack_type": m.attack_type,
            "date": m.date.iso if m.date else None, "location": m.location, "country": m.country,
            "perpetrator": m.perpetrator, "nationality": list(m.perpetrator_nationality), "status": m.status,
            **{k: _count(getattr(m, k)) for k in FIGURES},
            "evidence": {"text": m.evidence.text, "start": m.evidence.start, "end": m.evidence.end},
            "highlights": inside, "facts_elsewhere": outside,
            "extractor": m.provenance.extractor, "extractor_version": m.provenance.version,
        })
    return {"incident": inc.to_dict(), "merged_from": ident if live != ident else None,
            "nationality_mentions": nat, "mentions": out_mentions,
            "conflicts": conflicts(inc.to_dict(), mentions),
            "relations": [dict(r) for r in store.relations_of_mentions([m.id for m in mentions])],
            "related": [dict(r) for r in store.related_incidents(row)]}


def conflicts(incident: dict[str, Any], mentions: list[Mention]) -> list[dict[str, Any]]:
    """Each figure (and the date) that some source gives: every source's value side by side with the fused
    one, ``conflict`` true where the sources disagree beyond rounding (as fusion judged it)."""
    out = []
    for key in FIGURES:
        by_source = [{"mention": m.id, "doc": m.doc, **(_count(getattr(m, key)) or {})}
                     for m in mentions if getattr(m, key) is not None]
        fused = incident.get(key)
        if by_source and fused:
            out.append({"figure": key, "fused": fused, "conflict": bool(fused.get("conflict")),
                        "by_source": by_source})
    dates = [{"mention": m.id, "doc": m.doc, "date": m.date.iso} for m in mentions if m.date]
    if dates:
        out.append({"figure": "date", "fused": {"date": incident.get("date")},
                    "conflict": bool(incident.get("date_conflict")), "by_source": dates})
    return out

"""Global Terrorism Database rows -> a corpus (one summary, one document) and gold mentions.

The GTD's human coders wrote a one-paragraph summary per incident and coded its date, place, group,
attack type and casualties. Reading the summaries with Amu and comparing with the coded fields
measures extraction against human coding at scale. Conversion rules (the GTD codebook's fields):

- event type is always ``attack``; ``attacktype1_txt`` (with ``suicide`` and the weapon) gives the
  attack type; codes with no equivalent (unarmed assault, unknown) are left unscored;
- date from ``iyear``/``imonth``/``iday`` at the precision coded (a zero day or month is unknown);
- place: ``city`` (``provstate`` as an alternative), with the coded coordinates when
  ``specificity`` is 1 (the town itself); country: ``country_txt`` through the gazetteer;
- killed / wounded: victims only (``nkill - nkillter``, ``nwound - nwoundte``), as the project's gold; the
  codebook's figures are conservative ("at least"), so a positive figure n is the bound ``{"min": n}``
  (n or n-1 match it, as "more than n-1" does); where a release lacks ``nkillter``/``nwoundte`` and the
  summary reports attackers among the dead or hurt, the figure cannot be split and is left unscored; a
  coded 0 is scored only where the summary states it ("no reported casualties"): a summary that reports
  only injuries does not say that nobody died, though the coder read it so;
- perpetrator: ``gname`` put into Amu's group names through the alias table (a coder's label
  such as "Tehrik-i-Taliban Pakistan (TTP)" becomes "TTP"); generic labels (Unknown, Gunmen,
  Muslim extremists ...) are not a group and are left unscored.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from amu.errors import AmuError

Row = dict[str, Any]
# GTD labels that name no group (the codebook's generic perpetrator categories).
_GENERIC = re.compile(r"^(?:unknown|other|gunmen|individual|.*\b(?:extremists?|militants|separatists|"
                      r"insurgents|rebels|tribesmen|guerrillas|activists|students|protesters|group|sympathizers)\b.*)$",
                      re.I)
# Summaries that count attackers among the dead or hurt (only used when a release lacks nkillter/nwoundte).
_ATTACKER = r"\b(?:assailants?|attackers?|perpetrators?|bombers?|militants?|gunm[ae]n|insurgents?)\b"
_ATTACKERS_HIT = {
    "killed": re.compile(rf"{_ATTACKER}[^.]{{0,80}}\b(?:killed|died|dead)\b|\b(?:killed|killing)\b[^.]{{0,60}}{_ATTACKER}",
                         re.I),
    "wounded": re.compile(rf"{_ATTACKER}[^.]{{0,80}}\b(?:injured|wounded|hurt)\b|\b(?:injured|injuring|wounded|wounding)"
                          rf"\b[^.]{{0,60}}{_ATTACKER}", re.I),
}
# A summary that speaks of casualties at all (so that a coded 0 is a figure the text gives).
_CASUALTY_WORDS = re.compile(r"\b(?:no (?:reported |immediate )?(?:casualt\w*|injur\w*|deaths?|fatalit\w*)|no one|nobody|"
                             r"unharmed|without casualt\w*|were not (?:hurt|harmed|injured|killed))\b", re.I)
_ATTACK_TYPES = {
    "Assassination": "assassination",
    "Armed Assault": "armed_assault",
    "Bombing/Explosion": "bombing",
    "Hostage Taking (Kidnapping)": "hostage_taking",
    "Hostage Taking (Barricade Incident)": "hostage_taking",
    "Hijacking": "hostage_taking",
}
# GTD country names that the gazetteer spells differently.
_COUNTRY_NAMES = {"West Bank and Gaza Strip": "PS", "Soviet Union": "RU", "West Germany (FRG)": "DE",
                  "East Germany (GDR)": "DE", "Yugoslavia": "RS", "Czechoslovakia": "CZ",
                  "Bosnia-Herzegovina": "BA", "Kosovo": "XK", "Macedonia": "MK"}


@dataclass(frozen=True)
class GtdSet:
    """A converted set: the documents written and the gold rows."""

    folder: Path
    gold: list[Row]
    skipped: int


def read_rows(path: str | Path) -> Iterator[Row]:
    """GTD rows from a CSV (any encoding the GTD releases use) or an .xlsx file."""
    p = Path(path)
    if not p.exists():
        raise AmuError(f"no GTD file {p}", hint="give a GTD release as .csv or .xlsx (globalterrorismdb_*.csv)")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            from openpyxl import load_workbook
        except ImportError as e:
            raise AmuError("reading .xlsx needs openpyxl", hint="pip install openpyxl, or save the sheet as CSV") from e
        sheet = load_workbook(p, read_only=True).active
        rows = sheet.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        for values in rows:
            yield {h: ("" if v is None else v) for h, v in zip(header, values)}
        return
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.DictReader(text.splitlines())
    missing = {"eventid", "iyear", "summary", "country_txt"} - set(reader.fieldnames or [])
    if missing:
        raise AmuError(f"{p} is not a GTD table: no column {', '.join(sorted(missing))}",
                       hint="the GTD codebook's column names are expected (eventid, iyear, imonth, iday, summary ...)")
    yield from reader


def _int(v: Any) -> int | None:
    try:
        f = float(str(v).strip())
    except ValueError:
        return None
    return int(f) if f == f and f >= 0 else None   # NaN and GTD's -99 "unknown" are no figure


def _victims(total: Any, perpetrators: Any) -> int | None:
    n = _int(total)
    if n is None:
        return None
    return max(0, n - (_int(perpetrators) or 0))


def _date(row: Row) -> str | None:
    y, m, d = _int(row.get("iyear")), _int(row.get("imonth")), _int(row.get("iday"))
    if not y:
        return None
    if not m:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}" if not d else f"{y:04d}-{m:02d}-{d:02d}"


def _attack_type(row: Row) -> str | None:
    kind = str(row.get("attacktype1_txt", "")).strip()
    weapon = f"{row.get('weaptype1_txt', '')} {row.get('weapsubtype1_txt', '')}"
    if kind == "Bombing/Explosion":
        if _int(row.get("suicide")) == 1:
            return "suicide_bombing"
        if "Projectile" in weapon:
            return "rocket_attack"
    if kind == "Facility/Infrastructure Attack":
        return "arson" if "Incendiary" in weapon else None
    if "Vehicle (not to include" in weapon:
        return "vehicle_ramming"
    return _ATTACK_TYPES.get(kind)


class _Names:
    """Country names and group labels into ISO codes and Amu's group names."""

    def __init__(self) -> None:
        from amu.extract.actors import find_groups
        from amu.places import Gazetteer

        self._gaz = Gazetteer.default()
        self._find_groups = find_groups

    def country(self, name: str) -> str | None:
        if name in _COUNTRY_NAMES:
            return _COUNTRY_NAMES[name]
        place = self._gaz.resolve(name)
        return place.country if place is not None and place.kind == "country" else None

    def group(self, label: str) -> str | None:
        label = label.strip()
        if not label or _GENERIC.match(label):
            return None
        names = {g.name for g in self._find_groups(label)}
        return names.pop() if len(names) == 1 else label


def _known(v: Any) -> str:
    s = str(v or "").strip()
    return "" if s.lower() in ("unknown", "nan", "none") else s


def to_gold(row: Row, doc: str, names: _Names) -> Row:
    """The gold mention of one GTD row (its summary being the document ``doc``)."""
    g: Row = {"doc": doc, "incident": f"gtd-{row['eventid']}", "event_type": "attack"}
    kind = _attack_type(row)
    if kind:
        g["attack_type"] = kind
    date = _date(row)
    if date:
        g["date"] = date
    country = names.country(str(row.get("country_txt", "")).strip())
    if country:
        g["country"] = country
    city, province = _known(row.get("city")), _known(row.get("provstate"))
    if city or province:
        g["location"] = city or province
        if city and province and province != city:
            g["alt_locations"] = [province]
        if city and _int(row.get("specificity")) == 1:
            try:
                g["lat"], g["lon"] = round(float(row["latitude"]), 4), round(float(row["longitude"]), 4)
            except (KeyError, TypeError, ValueError):
                pass
    group = names.group(str(row.get("gname", "")))
    if group:
        g["perpetrator"] = group
    for key, total, perps in (("killed", "nkill", "nkillter"), ("wounded", "nwound", "nwoundte")):
        n = _victims(row.get(total), row.get(perps))
        if n is None or (_int(row.get(perps)) is None and _ATTACKERS_HIT[key].search(str(row["summary"]))):
            continue
        if n == 0 and not _CASUALTY_WORDS.search(str(row["summary"])):
            continue   # a zero the summary does not state
        g[key] = {"min": n} if n > 0 else 0
    summary = str(row["summary"])
    g["evidence"] = {"text": summary, "start": 0, "end": len(summary)}
    g["note"] = f"GTD {row['eventid']}; gname {row.get('gname', '')!s}"
    return g


def split_of(eventid: str, test_share: float = 0.5) -> str:
    """A stable dev/test split by event id."""
    h = int(hashlib.sha1(str(eventid).encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < test_share else "dev"


def convert(rows: Iterable[Row], folder: str | Path, countries: Iterable[str] = (), since: int | None = None,
            until: int | None = None, split: str = "all", limit: int | None = None) -> GtdSet:
    """Write each selected row's summary as ``docs/gtd-<eventid>.txt`` under ``folder``, its gold as
    ``gold.jsonl`` beside ``docs/``, and return both.

    Rows without a summary are skipped; ``countries`` are ISO codes (empty: all).
    """
    out = Path(folder)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    names = _Names()
    want = {c.upper() for c in countries}
    gold: list[Row] = []
    skipped = 0
    for row in rows:
        summary = str(row.get("summary") or "").strip()
        year = _int(row.get("iyear"))
        if not summary or year is None or (since and year < since) or (until and year > until):
            skipped += 1
            continue
        if split != "all" and split_of(str(row["eventid"])) != split:
            continue
        row = dict(row, summary=summary)
        doc = f"gtd-{row['eventid']}.txt"
        g = to_gold(row, doc, names)
        if want and g.get("country") not in want:
            continue
        (out / "docs" / doc).write_text(summary + "\n", encoding="utf-8")
        gold.append(g)
        if limit and len(gold) >= limit:
            break
    with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    return GtdSet(out / "docs", gold, skipped)

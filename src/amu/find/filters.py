"""Incident filters: one parser that checks every value, one matcher.

:func:`parse_filters` is what `amu incidents`, `amu export` (and any later API)
call with the user's raw values; it raises :class:`amu.errors.FilterError`,
whose hint lists the valid values, for anything malformed or unknown, so a typo
never gives an empty answer in silence.

Semantics (also in the README):

- values within one filter are alternatives (``--country UZ --country TJ``,
  or ``--country UZ,TJ``); different filters must all hold;
- ``since``/``until`` take a year, a month or a day and cover the whole of it
  (``--until 2022`` is to 31 December 2022); an incident dated only to a month
  or a year is kept when that period overlaps the window; undated incidents are
  left out whenever a date filter is given;
- ``type`` matches the event type or the attack type ("bombing" finds
  "attack/bombing" and "plot/bombing"); "attack/bombing" needs both;
- ``min_killed`` compares the best estimate (else the lower bound) of the
  fused toll; incidents with no toll are left out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Sequence

from amu.errors import FilterError
from amu.find import values
from amu.find.rows import IncidentRow
from amu.records import ATTACK_TYPES, EVENT_TYPES, STATUSES

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Filters:
    """Validated filters; the empty default matches every incident."""

    since: str | None = None                        # first day of the window, ISO
    until: str | None = None                        # last day of the window, ISO
    actors: frozenset[str] = frozenset()            # canonical group names
    types: frozenset[tuple[str, ...]] = frozenset()  # ("bombing",) or ("attack", "bombing")
    nationalities: frozenset[str] = frozenset()     # ISO2
    countries: frozenset[str] = frozenset()         # ISO2
    min_killed: int | None = None
    statuses: frozenset[str] = frozenset()

    def matches(self, row: IncidentRow) -> bool:
        """Whether ``row`` passes every filter."""
        # Cheap set tests first; the date's period last (a store's dates repeat, so it is cached).
        if self.countries and row.country not in self.countries:
            return False
        if self.actors and self.actors.isdisjoint(row.actors):
            return False
        if self.nationalities and self.nationalities.isdisjoint(row.nationality):
            return False
        if self.statuses and row.status not in self.statuses:
            return False
        if self.types and not self.type_passes(row.event_type, row.attack_type):
            return False
        if self.min_killed is not None:
            toll = row.killed.floor if row.killed else None
            if toll is None or toll < self.min_killed:
                return False
        if self.since or self.until:
            if not row.date:
                return False
            start, end = period(row.date)
            if (self.since and end < self.since) or (self.until and start > self.until):
                return False
        return True

    def type_passes(self, event_type: str, attack_type: str | None) -> bool:
        """Whether an incident of this event and attack type passes the type filter (True when there is none)."""
        if not self.types:
            return True
        singles, pairs = self._type_sets
        return event_type in singles or attack_type in singles or (event_type, attack_type) in pairs

    @cached_property
    def _type_sets(self) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
        """The type filter as one set of single types (event or attack) and one of (event, attack) pairs."""
        return (frozenset(t[0] for t in self.types if len(t) == 1), frozenset(t for t in self.types if len(t) == 2))

    def describe(self) -> str:
        """A short human description ("since 2022-01-01; country TJ, UZ"), empty when nothing is filtered."""
        bits = []
        for label, value in (("since", self.since), ("until", self.until)):
            if value:
                bits.append(f"{label} {value}")
        for label, vals in (("actor", self.actors), ("type", {"/".join(t) for t in self.types}),
                            ("nationality", self.nationalities), ("country", self.countries),
                            ("status", self.statuses)):
            if vals:
                bits.append(f"{label} {', '.join(sorted(vals))}")
        if self.min_killed is not None:
            bits.append(f"killed ≥ {self.min_killed}")
        return "; ".join(bits)


@lru_cache(maxsize=1 << 16)
def period(iso: str) -> tuple[str, str]:
    """First and last day of a (partial) ISO date: "2022-02" -> ("2022-02-01", "2022-02-28")."""
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = parts[1]
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return f"{year:04d}-{month:02d}-{parts[2]:02d}", f"{year:04d}-{month:02d}-{parts[2]:02d}"


def parse_date(value: str, name: str) -> str:
    """Check a year, month or day (2022, 2022-03, 2022-03-22) and return it normalised (2022-03)."""
    m = _DATE.match(value.strip())
    try:
        if not m:
            raise ValueError(value)
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        date(year, month, day)
    except ValueError:
        raise FilterError(f"{name} {value!r} is not a date",
                          hint="give a year, a month or a day: 2022, 2022-03 or 2022-03-22") from None
    return "-".join(x for x in (m.group(1), m.group(2) and f"{month:02d}", m.group(3) and f"{day:02d}") if x)


def split_values(raw: Iterable[str] | str | None) -> list[str]:
    """Repeated options and comma lists alike: ("UZ,TJ", "KG") -> ["UZ", "TJ", "KG"]."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def _unknown(kind: str, value: str, valid: Sequence[str], also: str = "") -> FilterError:
    return FilterError(f"unknown {kind} {value!r}", hint=f"use one of: {', '.join(valid)}{also}", valid=valid)


def parse_filters(
    since: str | None = None,
    until: str | None = None,
    actor: Iterable[str] | str | None = None,
    type: Iterable[str] | str | None = None,  # noqa: A002 - the option's name
    nationality: Iterable[str] | str | None = None,
    country: Iterable[str] | str | None = None,
    min_killed: int | None = None,
    status: Iterable[str] | str | None = None,
    known_actors: Iterable[str] = (),
) -> Filters:
    """Validate raw filter values (as a user typed them) into :class:`Filters`.

    Args:
        since, until: A year, a month or a day; the window includes both ends.
        actor: Group names or any of their aliases.
        type: Event types, attack types, or "event/attack" pairs.
        nationality: Perpetrators' nationality: ISO2 code, country name or demonym.
        country: ISO2 codes or country names.
        min_killed: At least this many killed (best estimate).
        status: claimed, attributed, alleged, disputed, foiled.
        known_actors: Perpetrator names found in the store, accepted besides the alias table.

    Raises:
        FilterError: a value is malformed or unknown; the hint lists the valid values.
    """
    start = period(parse_date(since, "--since"))[0] if since else None
    end = period(parse_date(until, "--until"))[1] if until else None
    if start and end and start > end:
        raise FilterError(f"--since {since} is after --until {until}", hint="swap the two dates")
    if min_killed is not None and min_killed < 0:
        raise FilterError(f"--min-killed {min_killed} is negative", hint="give 0 or more")
    known = sorted(set(known_actors))
    actors = set()
    for v in split_values(actor):
        canon = values.resolve_actor(v, known)
        if canon is None:
            names = list(dict.fromkeys([*values.actor_names(), *known]))
            raise _unknown("actor", v, names, " (or any alias in amu/data/actors.json; `amu actors` lists them)")
        actors.add(canon)
    types = set()
    for v in split_values(type):
        spec = values.resolve_type(v)
        if spec is None or (len(spec) == 2 and (spec[0] not in EVENT_TYPES or spec[1] not in ATTACK_TYPES)):
            raise _unknown("type", v, values.TYPES, " (or EVENT/ATTACK as the table shows, e.g. attack/bombing)")
        types.add(spec)
    countries = {_country(v, values.resolve_country, "country") for v in split_values(country)}
    nationalities = {_country(v, values.resolve_nationality, "nationality") for v in split_values(nationality)}
    statuses = set()
    for v in split_values(status):
        s = values.resolve_status(v)
        if s is None:
            raise _unknown("status", v, STATUSES)
        statuses.add(s)
    return Filters(since=start, until=end, actors=frozenset(actors), types=frozenset(types),
                   nationalities=frozenset(nationalities), countries=frozenset(countries),
                   min_killed=min_killed, statuses=frozenset(statuses))


def _country(value: str, resolve: Callable[[str], str | None], kind: str) -> str:
    code = resolve(value)
    if code is None:
        codes = sorted(values.country_names())
        extra = ", or a demonym (Tajik, Uzbeks)" if kind == "nationality" else ""
        raise FilterError(f"unknown {kind} {value!r}",
                          hint=f"use an ISO 3166-1 alpha-2 code or an English country name{extra}; "
                               f"codes: {' '.join(codes)}", valid=codes)
    return code

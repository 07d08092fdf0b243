"""The values each filter accepts, read from the tables Amu already ships, and how a user's spelling maps onto them.

- country and nationality: ISO 3166-1 alpha-2 codes or names from the gazetteer
  (``data/gazetteer.tsv``, any alias: "Tajikistan", "Tadzhikistan", "Таджикистан"),
  nationality also by demonym ("Tajik", "Tajiks", ``data/demonyms.tsv``);
- actor: any alias of the alias table (``data/actors.json``: "ISIS-K" -> "ISKP"),
  or a perpetrator name found in the store;
- type: the event and attack types of :mod:`amu.records`, alone or as the table
  shows them ("attack/rocket_attack");
- status: :data:`amu.records.STATUSES`.

Every lookup is case-insensitive; each resolver returns ``None`` for an unknown value.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from amu.records import ATTACK_TYPES, EVENT_TYPES, STATUSES

if TYPE_CHECKING:
    from amu.places.gazetteer import Gazetteer

TYPES: tuple[str, ...] = EVENT_TYPES + ATTACK_TYPES


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    from amu.places.gazetteer import Gazetteer

    return Gazetteer.default()


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO2 code -> English name of every country in the gazetteer."""
    return {p.country: p.name for p in _gazetteer() if p.kind == "country"}


def resolve_country(value: str) -> str | None:
    """"tj", "TJ", "Tajikistan", "tadzhikistan" -> "TJ"."""
    value = value.strip()
    codes = country_names()
    if len(value) == 2 and value.upper() in codes:
        return value.upper()
    for place in _gazetteer().lookup(value):
        if place.kind == "country" and place.country in codes:
            return place.country
    return None


def resolve_nationality(value: str) -> str | None:
    """A country (code or name) or a demonym: "Tajik", "tajiks", "TJ", "Tajikistan" -> "TJ"."""
    code = resolve_country(value)
    if code is not None:
        return code
    demonym = _gazetteer().demonym(value.strip())
    return demonym if demonym in country_names() else None


def actor_names() -> tuple[str, ...]:
    """Canonical names of the groups in the alias table (media wings are credited to their parent)."""
    from amu.extract.lexicon import lexicon

    groups = lexicon().groups
    return tuple(name for name, g in groups.items() if not (g.kind == "media_wing" and g.parent))


def resolve_actor(value: str, known: Iterable[str] = ()) -> str | None:
    """Any alias of a group -> its canonical name ("ISIS-K" -> "ISKP"); else a ``known`` name, any case."""
    from amu.extract.lexicon import canonical_group

    value = value.strip()
    canon = canonical_group(value)
    if canon is not None:
        return canon
    return next((k for k in known if k.lower() == value.lower()), None)


def resolve_type(value: str) -> tuple[str, ...] | None:
    """An event or attack type, or both as the table writes them: "attack/rocket_attack" -> both."""
    parts = [p.strip().lower().replace("-", "_").replace(" ", "_") for p in value.split("/")]
    if not parts or len(parts) > 2 or any(p not in TYPES for p in parts):
        return None
    return tuple(parts)


def resolve_status(value: str) -> str | None:
    value = value.strip().lower()
    return value if value in STATUSES else None

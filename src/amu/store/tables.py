"""The tables, declared once for queries (SQLAlchemy Core, no ORM).

The migrations in ``amu/store/migrations/versions`` create exactly these tables
(``tests/test_store_engines.py`` compares them); change both together, and never
edit a migration that has shipped: add one.

Text columns sort byte-wise on both engines (PostgreSQL columns use the "C"
collation, SQLite's default is binary), so lists come out in the same order.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from amu.store.incident_summary import FIGURE_COLUMNS

metadata = MetaData()


def text_type() -> TypeEngine[str]:
    """Text that sorts byte-wise on both engines."""
    return Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")


Str = text_type()

documents = Table(
    "documents", metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False),
    Column("path", Str), Column("title", Str), Column("url", Str), Column("publisher", Str), Column("author", Str),
    Column("published", Str),
    Column("published_inferred", Integer, nullable=False, server_default="0"),
    Column("language", Str), Column("source_format", Str),
    Column("meta_json", Str, nullable=False, server_default="{}"),
    Column("text", Str, nullable=False),
    Column("ingested_at", Str, nullable=False),
    Column("extracted_with", Str),
    Index("documents_name", "name"),
)

rejections = Table(
    "rejections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Str, nullable=False),
    Column("reason", Str, nullable=False),
    Column("at", Str, nullable=False),
    sqlite_autoincrement=True,
)

places = Table(
    "places", metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False),
    Column("country", Str, nullable=False),
    Column("kind", Str, nullable=False),
    Column("admin1", Str), Column("lat", Float), Column("lon", Float), Column("geonameid", Integer),
    Column("population", Integer),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Str, primary_key=True),
    Column("doc_id", Str, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("doc", Str, nullable=False),
    Column("event_type", Str, nullable=False),
    Column("attack_type", Str), Column("date", Str), Column("date_precision", Str), Column("country", Str),
    Column("location", Str),
    Column("place_id", Str, ForeignKey("places.id")),
    Column("perpetrator", Str),
    Column("nationality_json", Str, nullable=False, server_default="[]"),
    Column("killed_min", Integer), Column("killed_max", Integer), Column("killed_text", Str),
    Column("wounded_min", Integer), Column("wounded_max", Integer), Column("wounded_text", Str),
    Column("arrested_min", Integer), Column("arrested_max", Integer), Column("arrested_text", Str),
    Column("status", Str),
    Column("people_json", Str, nullable=False, server_default="[]"),
    Column("evidence_text", Str, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("extractor", Str, nullable=False),
    Column("extractor_version", Str, nullable=False),
    Column("model", Str), Column("confidence", Float), Column("incident_id", Str),
    Column("spans_json", Str, nullable=False, server_default="{}"),
    Column("target", Str), Column("date_qualifier", Str), Column("date_text", Str),
    Column("date_hint", Str),
    Index("mentions_doc", "doc_id"),
    Index("mentions_incident", "incident_id"),
    Index("mentions_block", "event_type", "country", "date"),
)

actors = Table(
    "actors", metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False, unique=True),
    Column("kind", Str, nullable=False),
    Column("parent", Str),
)

mention_actors = Table(
    "mention_actors", metadata,
    Column("mention_id", Str, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Str, ForeignKey("actors.id"), primary_key=True),
    Column("role", Str, primary_key=True),
)

incidents = Table(
    "incidents", metadata,
    Column("id", Str, primary_key=True),
    Column("event_type", Str, nullable=False),
    Column("attack_type", Str), Column("date", Str), Column("country", Str), Column("location", Str),
    Column("perpetrator", Str), Column("killed_best", Integer),
    Column("n_mentions", Integer, nullable=False, server_default="0"),
    Column("n_sources", Integer, nullable=False, server_default="0"),
    Column("data_json", Str, nullable=False),
    Column("updated_at", Str, nullable=False),
    # what counts sum and group by (amu.store.incident_summary; migration 0008)
    Column("killed_low", Integer), Column("killed_high", Integer),
    Column("wounded_best", Integer), Column("wounded_low", Integer), Column("wounded_high", Integer),
    Column("arrested_best", Integer), Column("arrested_low", Integer), Column("arrested_high", Integer),
    Column("actors_json", Str, nullable=False, server_default="[]"),
    Index("incidents_block", "event_type", "country", "date"),
    Index("incidents_country_date", "country", "date", "id"),    # lists and counts by country and period
)

# Incidents and figure sums by period, country and type, kept with every write of incidents
# (amu.store.counts): counts by month, country or type read it instead of every incident.
ROLLUP_KEYS = ("period", "country", "event_type", "attack_type")
ROLLUP_SUMS = ("n", *FIGURE_COLUMNS)
incident_rollup = Table(
    "incident_rollup", metadata,
    *(Column(k, Str, nullable=False) for k in ROLLUP_KEYS),          # "" where the incident has none
    *(Column(c, Integer, nullable=False) for c in ROLLUP_SUMS),
    PrimaryKeyConstraint(*ROLLUP_KEYS),
)

# The same by group as well ("" for no group): an incident counts under each group it names. ``several``: the
# incidents that name more than one group, counted once, under their first group by name.
GROUP_ROLLUP_KEYS = (*ROLLUP_KEYS, "actor")
GROUP_ROLLUP_SUMS = (*ROLLUP_SUMS, "several")
incident_group_rollup = Table(
    "incident_group_rollup", metadata,
    *(Column(k, Str, nullable=False) for k in GROUP_ROLLUP_KEYS),
    *(Column(c, Integer, nullable=False) for c in GROUP_ROLLUP_SUMS),
    PrimaryKeyConstraint("country", "period", "event_type", "attack_type", "actor"),   # counts by group filter by country
)

fusion_state = Table(
    "fusion_state", metadata,
    Column("key", Str, primary_key=True),
    Column("value_json", Str, nullable=False),
)

# Incremental fusion: the blocks each incident was filed under ("s") and read ("l"; "o": for its own candidates
# only), the incidents whose rivals its decisions checked ("x", the key is their id), and the step it was first
# filed under / last read each one (opaque text), see amu.store.fusion_keys.
fusion_keys = Table(
    "fusion_keys", metadata,
    Column("kind", Str, nullable=False),
    Column("key", Str, nullable=False),
    Column("incident_id", Str, nullable=False),
    Column("step", Str),
    # the step is read with the key from the primary key's index (SQLite: rows live in it; PostgreSQL: INCLUDE)
    PrimaryKeyConstraint("kind", "key", "incident_id", postgresql_include=["step"]),
    Index("fusion_keys_incident", "incident_id", "kind", "key", "step"),
    sqlite_with_rowid=False,
)

# When in the canonical order each incident began and ended (opaque text, see amu.resolve.fusion_trace.Steps),
# its last step as sortable text, and whether it stayed in the same blocks throughout (1) or not (0).
fusion_steps = Table(
    "fusion_steps", metadata,
    Column("incident_id", Str, primary_key=True),
    Column("steps", Str, nullable=False),
    Column("last", Str, nullable=False),
    Column("steady", Integer, nullable=False),
)

# Incidents that lost a mention (its document re-extracted) since the last fusion: re-fused next time.
fusion_pending = Table(
    "fusion_pending", metadata,
    Column("incident_id", Str, primary_key=True),
)

actor_aliases = Table(
    "actor_aliases", metadata,
    Column("actor", Str, primary_key=True),
    Column("kind", Str, nullable=False),
    Column("alias", Str, primary_key=True),
    Column("doc_id", Str, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("first_start", Integer, nullable=False),
    Column("first_end", Integer, nullable=False),
    Index("actor_aliases_doc", "doc_id"),
)

relations = Table(
    "relations", metadata,
    Column("id", Str, primary_key=True),
    Column("subject", Str, nullable=False), Column("subject_kind", Str, nullable=False),
    Column("relation", Str, nullable=False),
    Column("object", Str, nullable=False), Column("object_kind", Str, nullable=False),
    Column("doc_id", Str, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("doc", Str, nullable=False),
    Column("evidence_text", Str, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("mention_id", Str),
    Column("extractor", Str, nullable=False),
    Index("relations_doc", "doc_id"),
    Index("relations_subject", "subject"),
    Index("relations_object", "object"),
)

# People exactly as a report names them in a relation's evidence sentence, and nothing else:
# no attributes, no nationality, no enrichment (see README, Privacy and scope).
people = Table(
    "people", metadata,
    Column("name", Str, nullable=False),
    Column("key", Str, nullable=False),
    Column("doc_id", Str, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("relation_id", Str, ForeignKey("relations.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("relation_id", "key"),
    Index("people_key", "key"),
    Index("people_doc", "doc_id"),
)

# Full-text indexes that are not tables of the metadata: on SQLite two FTS5 tables kept in step
# by the store (rowid = fts_rowid(id)), on PostgreSQL GIN indexes over these expressions.
FTS_TABLES = {"documents": "documents_fts", "mentions": "evidence_fts"}
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
PG_CONFIG = "english"
PG_MAX_CHARS = 1_000_000        # a tsvector holds at most 1 MB; longer texts are indexed up to here
PG_DOCUMENT_TSV = (f"to_tsvector('{PG_CONFIG}'::regconfig, "
                   f"left(coalesce(title, '') || ' ' || text, {PG_MAX_CHARS}))")
PG_EVIDENCE_TSV = f"to_tsvector('{PG_CONFIG}'::regconfig, evidence_text)"


def fts_rowid(ident: str) -> int:
    """The FTS5 rowid of a document or mention id: 63 bits of its SHA-1 (ids are text, FTS5 keys are integers)."""
    return int.from_bytes(hashlib.sha1(ident.encode("utf-8")).digest()[:8], "big") >> 1

"""The hand migrations of Amu before Alembic (a frozen copy), to build old stores that must upgrade."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "documents, rejections, mentions, actors, places", """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT,
    title TEXT,
    url TEXT,
    publisher TEXT,
    author TEXT,
    published TEXT,
    published_inferred INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    source_format TEXT,
    meta_json TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    extracted_with TEXT
);
CREATE INDEX documents_name ON documents(name);

CREATE TABLE rejections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    geonameid INTEGER
);

CREATE TABLE mentions (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    doc TEXT NOT NULL,
    event_type TEXT NOT NULL,
    attack_type TEXT,
    date TEXT,
    date_precision TEXT,
    country TEXT,
    location TEXT,
    place_id TEXT REFERENCES places(id),
    perpetrator TEXT,
    nationality_json TEXT NOT NULL DEFAULT '[]',
    killed_min INTEGER, killed_max INTEGER, killed_text TEXT,
    wounded_min INTEGER, wounded_max INTEGER, wounded_text TEXT,
    arrested_min INTEGER, arrested_max INTEGER, arrested_text TEXT,
    status TEXT,
    people_json TEXT NOT NULL DEFAULT '[]',
    evidence_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    model TEXT,
    confidence REAL,
    incident_id TEXT,
    spans_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_incident ON mentions(incident_id);
CREATE INDEX mentions_block ON mentions(event_type, country, date);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    parent TEXT
);

CREATE TABLE mention_actors (
    mention_id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    role TEXT NOT NULL,
    PRIMARY KEY (mention_id, actor_id, role)
);
"""),
    (2, "incidents (fused across documents)", """
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    attack_type TEXT,
    date TEXT,
    country TEXT,
    location TEXT,
    perpetrator TEXT,
    killed_best INTEGER,
    n_mentions INTEGER NOT NULL DEFAULT 0,
    n_sources INTEGER NOT NULL DEFAULT 0,
    data_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_block ON incidents(event_type, country, date);

CREATE TABLE fusion_state (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL
);
"""),
    (3, "actor aliases seen, people as named, relations with evidence", """
CREATE TABLE actor_aliases (
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    alias TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    first_start INTEGER NOT NULL,
    first_end INTEGER NOT NULL,
    PRIMARY KEY (actor, alias, doc_id)
);
CREATE INDEX actor_aliases_doc ON actor_aliases(doc_id);

CREATE TABLE relations (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    relation TEXT NOT NULL,
    object TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    doc TEXT NOT NULL,
    evidence_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    mention_id TEXT,
    extractor TEXT NOT NULL
);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX relations_subject ON relations(subject);
CREATE INDEX relations_object ON relations(object);

-- People exactly as a report names them in a relation's evidence sentence, and nothing else:
-- no attributes, no nationality, no enrichment (see README, Privacy and scope).
CREATE TABLE people (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    relation_id TEXT NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
    PRIMARY KEY (relation_id, key)
);
CREATE INDEX people_key ON people(key);
CREATE INDEX people_doc ON people(doc_id);
"""),
]

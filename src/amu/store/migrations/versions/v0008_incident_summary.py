"""incident summary columns: every fused figure's best/low/high and the groups named, for counts in SQL

Counts by month, country, type or group (``amu analyze counts``) sum the figures in SQL; before this
revision only ``killed_best`` was a column and the rest had to be parsed out of ``data_json``. Incidents
fused before it are filled in here from their records, in batches.

Revision ID: 0008
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_FIGURES = ("killed_low", "killed_high", "wounded_best", "wounded_low", "wounded_high",
               "arrested_best", "arrested_low", "arrested_high")
BATCH = 5000


def upgrade() -> None:
    for name in NEW_FIGURES:
        op.add_column("incidents", sa.Column(name, sa.Integer))
    op.add_column("incidents", sa.Column("actors_json", T(), nullable=False, server_default="[]"))
    _fill(op.get_bind())


def _fill(conn: sa.Connection) -> None:
    """Fill the new columns of every stored incident from its record, keyset-paged by id."""
    cols = (*NEW_FIGURES, "actors_json")
    update = sa.text(f"UPDATE incidents SET {', '.join(f'{c} = :{c}' for c in cols)} WHERE id = :b_id")
    last = ""
    while True:
        rows = conn.execute(sa.text("SELECT id, data_json FROM incidents WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            return
        params = []
        for ident, data in rows:
            params.append({"b_id": ident, **_values(json.loads(data))})
        conn.execute(update, params)
        last = rows[-1][0]


def _values(record: dict) -> dict:
    """The new columns of one record, as this revision defines them (frozen here on purpose, like the
    column types; fusion writes the same through amu.store.incident_summary)."""
    out = {}
    for name in NEW_FIGURES:
        figure, part = name.split("_")
        out[name] = (record.get(figure) or {}).get(part)
    actors = [a for a in [record.get("perpetrator"), *(record.get("perpetrators") or [])] if a]
    out["actors_json"] = json.dumps(list(dict.fromkeys(actors)), ensure_ascii=False)
    return out


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("actors_json")
        for name in reversed(NEW_FIGURES):
            batch.drop_column(name)

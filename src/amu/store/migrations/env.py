"""Alembic's entry point: run the migrations on the connection :mod:`amu.store.migrate` hands over.

That connection is already inside a transaction that holds the migration lock, so Alembic
neither opens nor commits one of its own.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()

"""Alembic migrations of the Amu store, shipped inside the package and run by :mod:`amu.store.migrate`.

No ``alembic.ini`` is needed: ``amu db upgrade`` (or opening a store) runs them. To add one, copy the
last file in ``versions/``, give it the next number as ``revision`` and the last as ``down_revision``,
and change :mod:`amu.store.tables` to match.
"""

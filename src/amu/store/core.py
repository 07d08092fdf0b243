"""The store: one class over both engines, assembled from the parts that hold each kind of row."""

from __future__ import annotations

from typing import Any

from amu.store.fusion_keys import FusionKeys
from amu.store.search import SearchHit, SearchQuery, search


class Store(FusionKeys):
    """An Amu database (SQLite file, ``":memory:"`` or ``postgresql://`` URL): documents, mentions,
    actors and relations, fused incidents, full-text search. See :class:`amu.store.base.StoreBase`."""

    def search(self, query: SearchQuery | str, **filters: Any) -> list[SearchHit]:
        """Full-text search with filters: ``store.search("rocket Termez", country="UZ", since="2022")``.

        Raises:
            QueryError: for a bad filter value (with a hint on how to write it).
        """
        q = query if isinstance(query, SearchQuery) else SearchQuery(query, **filters)
        return search(self, q)

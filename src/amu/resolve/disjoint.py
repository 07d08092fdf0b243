"""Disjoint sets (union-find): items joined pairwise end up in one group."""

from __future__ import annotations

from collections.abc import Iterable


class DisjointSets:
    """Groups of ``items``; :meth:`union` joins two groups, :meth:`find` names an item's group."""

    def __init__(self, items: Iterable[str]) -> None:
        self._parent = {x: x for x in items}

    def __contains__(self, x: str) -> bool:
        return x in self._parent

    def find(self, x: str) -> str:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]   # path halving
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Join the group of ``b`` to that of ``a``."""
        self._parent[self.find(b)] = self.find(a)

    def groups(self) -> list[set[str]]:
        """The groups, in the order their first item was given."""
        out: dict[str, set[str]] = {}
        for x in self._parent:
            out.setdefault(self.find(x), set()).add(x)
        return list(out.values())

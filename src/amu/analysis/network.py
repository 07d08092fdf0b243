"""The actor network: groups, places and people linked through the incidents they share (networkx).

Nodes are entities, keyed ``group:NAME``, ``place:CC/NAME`` and ``person:KEY``; an edge joins two
entities named in the same incident, its ``weight`` the number of incidents they share. Centrality is
networkx's degree centrality and (unweighted, normalised) betweenness centrality; communities come from
Clauset-Newman-Moore greedy modularity maximisation (``greedy_modularity_communities``, weighted),
which is deterministic. :func:`write_graphml` writes the graph with these as node attributes.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any, Mapping, Sequence

from amu.analysis.common import Analysis, iter_unique
from amu.errors import ExportError
from amu.find.rows import IncidentRow
from amu.records import person_key

METHOD = ("co-occurrence in incidents; degree and betweenness centrality (networkx); communities by greedy "
          "modularity (Clauset-Newman-Moore)")
COLUMNS = ("node", "kind", "label", "incidents", "degree", "degree_centrality", "betweenness", "community")


def people_by_incident(store: Any) -> dict[str, tuple[str, ...]]:
    """People named in each incident's mentions (as first written), read through the store."""
    out: dict[str, dict[str, str]] = {}
    for m in store.mentions():
        if m.incident:
            for name in m.people:
                out.setdefault(m.incident, {}).setdefault(person_key(name), name)
    return {i: tuple(names.values()) for i, names in out.items()}


def _place(row: IncidentRow) -> tuple[str, str] | None:
    name = row.location or row.admin1
    if not row.country:
        return None
    if not name:
        return f"place:{row.country}", row.country
    return f"place:{row.country}/{name}", f"{name} ({row.country})"


def _entities(row: IncidentRow, people: Sequence[str]) -> dict[str, tuple[str, str]]:
    """node id -> (kind, label) for one incident."""
    ents: dict[str, tuple[str, str]] = {}
    for g in iter_unique(row.actors):
        ents[f"group:{g}"] = ("group", g)
    if (place := _place(row)) is not None:
        ents[place[0]] = ("place", place[1])
    for name in people:
        ents.setdefault(f"person:{person_key(name)}", ("person", name))
    return ents


def actor_graph(rows: Sequence[IncidentRow], people: Mapping[str, Sequence[str]] | None = None) -> Any:
    """A ``networkx.Graph`` of the entities in ``rows``, with centrality and community node attributes."""
    import networkx as nx
    from networkx.algorithms.community import greedy_modularity_communities

    graph = nx.Graph()
    for r in rows:
        ents = _entities(r, (people or {}).get(r.id, ()))
        for node, (kind, label) in ents.items():
            if node not in graph:
                graph.add_node(node, kind=kind, label=label, incidents=0)
            graph.nodes[node]["incidents"] += 1
        for a, b in combinations(sorted(ents), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
    degree = nx.degree_centrality(graph) if len(graph) > 1 else {n: 0.0 for n in graph}
    between = nx.betweenness_centrality(graph, normalized=True)
    communities = greedy_modularity_communities(graph, weight="weight") if graph.number_of_edges() else \
        [{n} for n in graph]
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))
    for i, members in enumerate(ordered, 1):
        for n in members:
            graph.nodes[n]["community"] = i
    for n in graph:
        graph.nodes[n]["degree_centrality"] = round(degree[n], 4)
        graph.nodes[n]["betweenness"] = round(between[n], 4)
    return graph


def network(rows: Sequence[IncidentRow], people: Mapping[str, Sequence[str]] | None = None,
            top: int | None = None) -> tuple[Analysis, Any]:
    """The actor network's nodes, most central first, and the graph itself (for GraphML)."""
    graph = actor_graph(rows, people)
    nodes = sorted(graph.nodes(data=True), key=lambda nd: (-nd[1]["betweenness"], -nd[1]["degree_centrality"],
                                                           nd[0]))
    out = [{"node": n, "kind": d["kind"], "label": d["label"], "incidents": d["incidents"],
            "degree": graph.degree(n), "degree_centrality": d["degree_centrality"],
            "betweenness": d["betweenness"], "community": d["community"]} for n, d in nodes]
    n_comm = len({d["community"] for _, d in graph.nodes(data=True)})
    notes = [f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {n_comm} communities, "
             f"from {len(rows)} incidents",
             "an edge means two entities are named in the same incident, not that they act together; "
             "places are the incident's most precise place"]
    if people is None:
        notes.append("people are not included (no people were given)")
    if top and len(out) > top:
        notes.append(f"the top {top} of {len(out)} nodes are shown")
        out = out[:top]
    return Analysis("network", "Actor network", COLUMNS, tuple(out), METHOD, {"top": top}, tuple(notes)), graph


def write_graphml(graph: Any, path: str | Path) -> None:
    """Write the graph as GraphML (node attributes: kind, label, incidents, centralities, community)."""
    import networkx as nx

    try:
        nx.write_graphml(graph, str(path))
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}",
                          hint="check that the folder exists and is writable") from None

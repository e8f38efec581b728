"""Cohesion of a group of workshops, and a workshop's ego network."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import numpy as np

from matcher.errors import InvalidOptionError
from matcher.graph._igraph import collaboration_igraph, local_clustering
from matcher.graph.brokers import betweenness_of, brokers, constraint, effective_size
from matcher.graph.communities import _communities
from matcher.graph.homophily import ei_index
from matcher.graph.network import Network, as_network
from matcher.graph.schema_topics import BrokerageRoles, EgoNetworkReport, GroupCohesionReport
from matcher.messages import Message

__all__ = ["ego_network", "group_cohesion"]


def _kind_counts(net: Network, rows: np.ndarray) -> dict[str, int]:
    """Ties per kind among ``rows`` (distinct pairs each kind joins, whatever the waves), most first."""
    return dict(sorted(net.kind_pairs(rows).items(), key=lambda kc: (-kc[1], kc[0])))


def group_cohesion(data: Any, workshop_ids: Iterable[str]) -> GroupCohesionReport:
    """How well a given set of workshops holds together.

    Returns
    -------
    GroupCohesionReport
        Every key is listed in :class:`~matcher.graph.schema_topics.GroupCohesionReport`:
        ``size``, ``workshops`` (sorted); in the group's collaboration subgraph
        ``positive_pairs``, ``possible_pairs``, ``internal_density`` (0.0 below
        two workshops), ``min_internal_degree``, ``connected`` (one workshop is
        connected), ``components``, ``node_connectivity`` (Moody–White
        structural cohesion: workshops whose loss disconnects it; k - 1 for a
        clique, 0 when disconnected or alone) and ``diameter`` (None when
        disconnected); in the whole network ``max_distance`` (longest shortest
        path between members, None when some cannot reach each other),
        ``external_ties`` (pairs from a member to a non-member), ``ei_index``
        (external vs internal pairs) and ``conductance`` (external pairs over
        the smaller of the group's and the rest's tie ends); ``ties_by_kind``
        (member pairs joined by each positive kind, a pair counted once per
        kind whatever the waves, most first), ``conflict_pairs`` (sorted
        ``[a, b]`` pairs with a conflict tie inside).

    Raises
    ------
    UnknownIdError
        Naming the ids that are not workshops of the network.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABCD")
    >>> ties = (Tie("A", "B", "kinship"), Tie("B", "C", "friendship"), Tie("A", "C", "conflict"),
    ...         Tie("C", "D", "kinship"))
    >>> g = group_cohesion(Cluster(ws, ties=ties), ["C", "B", "A"])
    >>> g["internal_density"], g["connected"], g["conflict_pairs"], g["diameter"]
    (0.6666666666666666, True, [['A', 'C']], 2)
    >>> g["node_connectivity"], g["external_ties"], g["ei_index"], g["conductance"]
    (1, 1, -0.3333333333333333, 1.0)
    >>> group_cohesion(Cluster(ws, ties=ties), ["A", "D"])["connected"]
    False
    """
    net = as_network(data)
    asked = list(workshop_ids)
    if not asked:
        raise InvalidOptionError(messages=[Message("option.empty_group")])
    members = np.sort(net.positions(asked))
    k = len(members)
    inside = np.zeros(net.n, dtype=bool)
    inside[members] = True
    graph = collaboration_igraph(net)
    sub = graph.induced_subgraph(members.tolist())
    pairs = sub.ecount()
    components = len(sub.connected_components()) if k else 0
    degree = np.asarray(graph.degree(), dtype=np.int64)
    edges = net.collaboration_edges
    ends_in = inside[edges[:, 0]].astype(int) + inside[edges[:, 1]].astype(int) if len(edges) else np.zeros(0)
    external = int(np.sum(ends_in == 1))
    volume_in = int(degree[inside].sum())
    volume_out = int(degree[~inside].sum())
    denominator = min(volume_in, volume_out)
    distances = np.asarray(graph.distances(source=members.tolist(), target=members.tolist()), dtype=float)
    rows_inside = inside[net.source] & inside[net.target]
    conflicts = net.conflict_edges
    conflict_inside = (
        conflicts[inside[conflicts[:, 0]] & inside[conflicts[:, 1]]] if len(conflicts) else conflicts
    )
    return {
        "size": k,
        "workshops": sorted(net.ids[i] for i in members),
        "positive_pairs": pairs,
        "possible_pairs": k * (k - 1) // 2,
        "internal_density": pairs / (k * (k - 1) / 2) if k > 1 else 0.0,
        "min_internal_degree": int(min(sub.degree())) if k else 0,
        "connected": components == 1,
        "components": components,
        "node_connectivity": int(sub.vertex_connectivity()) if k > 1 and components == 1 else 0,
        "diameter": (int(sub.diameter()) if k > 1 else 0) if components == 1 else None,
        "max_distance": None if np.isinf(distances).any() else int(distances.max(initial=0)),
        "external_ties": external,
        "ei_index": ei_index(external, pairs),
        "conductance": external / denominator if denominator else None,
        "ties_by_kind": _kind_counts(net, rows_inside & net.positive),
        "conflict_pairs": sorted(sorted((net.ids[a], net.ids[b])) for a, b in conflict_inside.tolist()),
    }


_ROLES = {
    "coordinator": "brokers between workshops of its own community",
    "consultant": "brokers between two workshops of another community",
    "gatekeeper": "links its community with workshops of another",
    "liaison": "links two other communities",
}


def ego_network(data: Any, workshop_id: str, *, seed: int = 0, resolution: float = 1.0) -> EgoNetworkReport:
    """A workshop's neighbours, ties by kind and brokerage role.

    ``ties_by_kind`` counts, for each kind (conflict included), the
    workshops it is tied to by that kind: a partner tied in two waves counts
    once. ``broker`` says whether it has betweenness above zero
    (:func:`matcher.graph.brokers.brokers`: two of its partners not tied to
    each other).

    Brokerage follows Gould and Fernandez (1989) on the undirected
    collaboration graph with Leiden communities as groups: each pair of the
    workshop's neighbours that are not tied to each other is a path the
    workshop brokers, classified as ``coordinator`` (all three in one
    community), ``consultant`` (both neighbours in one community, the workshop
    in another), ``gatekeeper`` (one neighbour in the workshop's community;
    representative and gatekeeper coincide without direction) or ``liaison``
    (all different). ``role`` is the most frequent kind, or ``embedded`` when
    its neighbours are all tied to each other, ``peripheral`` with one
    neighbour and ``isolate`` with none.

    Returns
    -------
    EgoNetworkReport
        Every key is listed in :class:`~matcher.graph.schema_topics.EgoNetworkReport`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (4, 6), (5, 6)])
    >>> e = ego_network(G, "3")
    >>> e["neighbours"], e["brokerage"]["gatekeeper"], e["role"]
    (['1', '2', '4'], 2, 'gatekeeper')
    """
    net = as_network(data)
    (ego,) = net.positions([workshop_id])
    graph = collaboration_igraph(net)
    degree = np.asarray(graph.degree(), dtype=np.int64)
    community, _ = _communities(net, graph, degree, seed=seed, resolution=resolution, runs=1)
    neighbours = sorted(graph.neighbors(int(ego)))
    adjacent = set(map(tuple, net.collaboration_edges.tolist()))
    counts = dict.fromkeys(_ROLES, 0)
    mine = community[ego]
    for x_pos, a in enumerate(neighbours):
        for b in neighbours[x_pos + 1 :]:
            if (a, b) in adjacent:
                continue
            ca, cb = community[a], community[b]
            if ca == cb == mine:
                counts["coordinator"] += 1
            elif ca == cb:
                counts["consultant"] += 1
            elif mine in (ca, cb):
                counts["gatekeeper"] += 1
            else:
                counts["liaison"] += 1
    if not neighbours:
        role = "isolate"
    elif len(neighbours) == 1:
        role = "peripheral"
    elif not any(counts.values()):
        role = "embedded"
    else:
        role = max(_ROLES, key=lambda r: (counts[r], -list(_ROLES).index(r)))
    touching = (net.source == ego) | (net.target == ego)
    ego_set = np.zeros(net.n, dtype=bool)
    ego_set[[ego, *neighbours]] = True
    e = net.collaboration_edges
    between, _, how = betweenness_of(graph, seed=seed)
    clustering = local_clustering(graph)
    return {
        "workshop_id": workshop_id,
        "community": mine,
        "degree": len(neighbours),
        "neighbours": [net.ids[i] for i in neighbours],
        "ties_by_kind": _kind_counts(net, touching),
        "ties_among_neighbours": int(
            np.sum(ego_set[e[:, 0]] & ego_set[e[:, 1]] & (e[:, 0] != ego) & (e[:, 1] != ego))
        ),
        "clustering": float(clustering[ego]),
        "effective_size": _value(effective_size(degree, clustering)[ego]),
        "constraint": _value(constraint(graph)[ego]),
        "betweenness": None if between is None else float(between[ego]),
        "betweenness_method": how["method"],
        "articulation_point": int(ego) in set(graph.articulation_points()),
        "broker": bool(brokers(degree, clustering)[ego]),
        "brokerage": cast(BrokerageRoles, counts),
        "role": role,
        "role_meaning": _ROLES.get(
            role,
            {
                "isolate": "has no positive tie",
                "peripheral": "has a single positive tie",
                "embedded": "its neighbours are all tied to each other",
            }.get(role, ""),
        ),
    }


def _value(value: float) -> float | None:
    return None if np.isnan(value) else float(value)

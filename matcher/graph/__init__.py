"""Cohesion analysis of a cluster's network of workshops.

networkx graphs are offered at the edge for interoperability
(:func:`build_graph`, :func:`collaboration_graph`); the computations run on
igraph for speed.
"""

from matcher.graph.cohesion import (
    build_graph,
    cohesion_report,
    collaboration_graph,
    group_cohesion,
    network_summary,
    workshop_metrics,
)

__all__ = [
    "build_graph",
    "cohesion_report",
    "collaboration_graph",
    "group_cohesion",
    "network_summary",
    "workshop_metrics",
]

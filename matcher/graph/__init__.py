"""Cohesion analysis of a cluster's network of workshops.

Every function takes a :class:`~matcher.model.Cluster`, a :class:`Network` or
any networkx graph (nodes with attributes, edges with ``kind``, ``strength``,
``wave``, ``sign``) and never changes it. networkx views are offered at the
edge for interoperability (:func:`build_graph`, :func:`collaboration_graph`,
:func:`to_networkx` with every metric as a node attribute);
the computations run on igraph for speed.

- network level: :func:`network_report` (and :func:`cohesion_report` with a row
  per workshop, :func:`workshop_table` as a DataFrame, :func:`cohesion_analysis` both from one
  analysis), or one topic at a time:
  :func:`communities`, :func:`homophily`, :func:`brokerage`,
  :func:`signed_view`, :func:`kinds_view`;
- group level: :func:`group_cohesion`; ego level: :func:`ego_network`;
- over time: :func:`compare_waves`;
- export: :func:`export_network` (GraphML, GEXF, node-link JSON, CSV); import:
  :func:`read_network` (those graph formats and multi-relational Pajek).

The reports are plain dicts ready for JSON; :mod:`matcher.graph.schema` lists
their keys as ``TypedDict`` classes (:class:`~matcher.graph.schema.NetworkReport`,
:class:`~matcher.graph.schema.CohesionReport`, one per section), and
:mod:`matcher.graph.schema_topics` those of the group, ego, waves and brokerage
answers (:class:`~matcher.graph.schema_topics.GroupCohesionReport`, ...).
"""

from matcher.graph.brokers import brokerage
from matcher.graph.communities import communities, partition_agreement
from matcher.graph.export import check_export, export_network, to_networkx
from matcher.graph.graphs import build_graph, collaboration_graph
from matcher.graph.group import ego_network, group_cohesion
from matcher.graph.homophily import ei_index, homophily
from matcher.graph.multiplex import kinds_view
from matcher.graph.network import Network, as_network, network_from_cluster, network_from_networkx, scoped
from matcher.graph.readers import read_network, read_pajek
from matcher.graph.report import (
    cohesion_analysis,
    cohesion_report,
    network_report,
    network_summary,
    workshop_metrics,
    workshop_rows,
    workshop_table,
)
from matcher.graph.signed import signed_view
from matcher.graph.waves import compare_waves

__all__ = [
    "Network",
    "as_network",
    "brokerage",
    "build_graph",
    "check_export",
    "cohesion_analysis",
    "cohesion_report",
    "collaboration_graph",
    "communities",
    "compare_waves",
    "ego_network",
    "ei_index",
    "export_network",
    "group_cohesion",
    "homophily",
    "kinds_view",
    "network_from_cluster",
    "network_from_networkx",
    "network_report",
    "network_summary",
    "partition_agreement",
    "read_network",
    "read_pajek",
    "scoped",
    "signed_view",
    "to_networkx",
    "workshop_metrics",
    "workshop_rows",
    "workshop_table",
]

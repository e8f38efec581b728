"""The shape of the group, ego, waves and brokerage answers, key by key, as ``TypedDict`` classes.

The second half of :mod:`matcher.graph.schema` (split off to keep each module
short): :func:`~matcher.graph.group_cohesion` returns a
:class:`GroupCohesionReport`, :func:`~matcher.graph.ego_network` an
:class:`EgoNetworkReport`, :func:`~matcher.graph.compare_waves` a
:class:`WavesComparison` and :func:`~matcher.graph.brokerage` a
:class:`BrokerageReport`. ``matcher analyze --json`` prints an
:class:`AnalysisReport`: the :class:`~matcher.graph.schema.CohesionReport`
and, when asked for, ``group``, ``ego`` and ``waves``. Like the others, they
are plain dicts at run time, and a test keeps these classes exactly in step
with what the functions return.

Examples
--------
>>> import networkx as nx
>>> from matcher.graph import ego_network
>>> answer: EgoNetworkReport = ego_network(nx.path_graph(3), "1")
>>> sorted(EgoNetworkReport.__required_keys__) == sorted(answer)
True
>>> answer["brokerage"]
{'coordinator': 1, 'consultant': 0, 'gatekeeper': 0, 'liaison': 0}
"""

# No ``from __future__ import annotations``: on Python 3.11 a TypedDict then
# reads NotRequired[...] as required (its keys are computed from the strings).
from typing import NotRequired, TypedDict

from matcher.graph.schema import Betweenness, NetworkReport, WorkshopRow

__all__ = [
    "AnalysisReport",
    "BrokerageReport",
    "BrokerageRoles",
    "BrokerageRow",
    "CommunityAgreement",
    "EgoNetworkReport",
    "GroupCohesionReport",
    "WaveSummary",
    "WavesComparison",
    "WorkshopsTable",
]


class GroupCohesionReport(TypedDict):
    """What :func:`~matcher.graph.group_cohesion` returns (``group`` of ``matcher analyze --json``)."""

    size: int
    """Workshops in the group."""
    workshops: list[str]
    """The group's workshops, sorted."""
    positive_pairs: int
    """Member pairs joined by a positive tie (edges of the group's collaboration subgraph)."""
    possible_pairs: int
    """Member pairs there could be, ``k(k - 1) / 2``."""
    internal_density: float
    """Positive pairs over possible pairs (0.0 below two workshops)."""
    min_internal_degree: int
    """The fewest partners inside the group any member has."""
    connected: bool
    """Whether the subgraph is connected (a single workshop is)."""
    components: int
    """Connected components of the subgraph."""
    node_connectivity: int
    """Moody–White structural cohesion: members whose loss disconnects it (0 when disconnected or alone)."""
    diameter: int | None
    """Longest shortest path inside the subgraph (None when it is disconnected)."""
    max_distance: int | None
    """Longest shortest path between members in the whole network (None when some cannot reach each other)."""
    external_ties: int
    """Collaboration edges from a member to a non-member."""
    ei_index: float | None
    """Krackhardt and Stern's E-I index of external against internal pairs (None without either)."""
    conductance: float | None
    """External ties over the smaller of the group's and the rest's tie ends (None when either has none)."""
    ties_by_kind: dict[str, int]
    """Member pairs joined by each positive kind, a pair once per kind whatever the waves, most first."""
    conflict_pairs: list[list[str]]
    """Member pairs with a conflict tie, each sorted ``[a, b]``, sorted."""


class BrokerageRoles(TypedDict):
    """``ego.brokerage``: the paths a workshop brokers, by Gould and Fernandez role."""

    coordinator: int
    """Both neighbours and the workshop in one community."""
    consultant: int
    """Both neighbours in one community, the workshop in another."""
    gatekeeper: int
    """One neighbour in the workshop's community, the other outside it."""
    liaison: int
    """The two neighbours and the workshop in three communities."""


class EgoNetworkReport(TypedDict):
    """What :func:`~matcher.graph.ego_network` returns (``ego`` of ``matcher analyze --json``)."""

    workshop_id: str
    """The workshop."""
    community: int | None
    """Its community number (None for an isolate)."""
    degree: int
    """Distinct positive neighbours."""
    neighbours: list[str]
    """Its positive neighbours, in network order."""
    ties_by_kind: dict[str, int]
    """Workshops it is tied to by each kind (conflict included), a partner once per kind, most first."""
    ties_among_neighbours: int
    """Collaboration edges between two of its neighbours."""
    clustering: float
    """Local clustering (0 below two partners)."""
    effective_size: float | None
    """Burt's effective size (None for an isolate)."""
    constraint: float | None
    """Burt's constraint (None for an isolate)."""
    betweenness: float | None
    """Normalised betweenness (None when not computed)."""
    betweenness_method: str
    """How betweenness was obtained: ``exact``, ``sampled`` or ``none``."""
    articulation_point: bool
    """Whether its loss would split the network."""
    broker: bool
    """Whether its betweenness is above zero (two of its partners not tied to each other)."""
    brokerage: BrokerageRoles
    """The paths it brokers, by role."""
    role: str
    """Its most frequent role, or ``embedded``, ``peripheral`` or ``isolate``."""
    role_meaning: str
    """The role in words."""


class WaveSummary(TypedDict):
    """``waves.first`` and ``.second``: one wave's network; ``waves.change``: second minus first."""

    ties: int
    """Ties: pairs joined by one kind, once whatever the directions."""
    collaboration_edges: int
    """Pairs joined by a positive tie."""
    density: float
    """Positive pairs over all possible pairs."""
    average_clustering: float
    """Mean of the workshops' local clustering."""
    transitivity: float
    """Global clustering: closed triples over connected triples."""
    components: int
    """Connected components (an isolate is one)."""
    isolates: int
    """Workshops with no positive tie in the wave."""
    communities: int
    """Leiden communities (isolates belong to none)."""
    modularity: float
    """Modularity of the communities."""


class CommunityAgreement(TypedDict):
    """``waves.community_agreement``: how partitions agree (:func:`~matcher.graph.partition_agreement`)."""

    ari: float
    """Adjusted Rand index."""
    nmi: float
    """Normalised mutual information."""


class WavesComparison(TypedDict):
    """What :func:`~matcher.graph.compare_waves` returns (``waves`` of ``matcher analyze --json``)."""

    waves: list[str]
    """The two waves compared, first and second."""
    new_pairs: list[list[str]]
    """Positive pairs tied in the second wave only."""
    lost_pairs: list[list[str]]
    """Positive pairs tied in the first wave only."""
    kept_pairs: int
    """Positive pairs tied in both waves."""
    first: WaveSummary
    """The first wave's network."""
    second: WaveSummary
    """The second wave's network."""
    change: WaveSummary
    """Second minus first, key by key."""
    community_agreement: CommunityAgreement
    """Agreement of the two waves' Leiden partitions (each isolate its own community)."""
    became_isolated: list[str]
    """Workshops with a positive tie in the first wave and none in the second."""
    no_longer_isolated: list[str]
    """Workshops with no positive tie in the first wave and one in the second."""
    centrality: str
    """What ranks the most central workshops: ``betweenness``, or ``degree`` when it is not computed."""
    became_central: list[str]
    """Workshops among the ten most central in the second wave, not in the first."""
    no_longer_central: list[str]
    """Workshops among the ten most central in the first wave, not in the second."""


class BrokerageRow(TypedDict):
    """One workshop's measures in ``workshops`` of :class:`BrokerageReport`."""

    betweenness: float | None
    """Normalised betweenness (None when not computed)."""
    constraint: float | None
    """Burt's constraint (None for an isolate)."""
    effective_size: float | None
    """Burt's effective size (None for an isolate)."""
    articulation_point: bool
    """Whether its loss would split the network."""
    broker: bool
    """Whether its betweenness is above zero."""
    betweenness_error: NotRequired[float]
    """Standard error of a sampled betweenness (only when sampled)."""


class BrokerageReport(TypedDict):
    """What :func:`~matcher.graph.brokerage` returns."""

    workshops: dict[str, BrokerageRow]
    """Each workshop's measures, by id."""
    brokers: int
    """Workshops with betweenness above zero."""
    articulation_points: list[str]
    """Cut points: workshops whose loss splits the network, sorted."""
    bridges: list[list[str]]
    """Ties whose loss splits the network, each sorted ``[a, b]``, sorted."""
    betweenness: Betweenness
    """How betweenness was obtained."""


class WorkshopsTable(TypedDict):
    """Where the per-workshop rows are when a report is too large to hold them."""

    workshops: int
    """Rows of the table: the workshops in scope."""
    file: str | None
    """The ``--export`` file that holds them (.csv or .parquet), None when none was asked for."""
    note: str
    """What the reader is told, in words."""


class AnalysisReport(NetworkReport):
    """What ``matcher analyze --json`` prints: the cohesion report and the parts asked for.

    Up to 100,000 workshops it lists ``workshops``, one row per workshop, as
    :class:`~matcher.graph.schema.CohesionReport` does; above, ``workshops_table``
    says where the rows are (``--export``) and the JSON stays a report.
    """

    workshops: NotRequired[list[WorkshopRow]]
    """One row per workshop, sorted by id (up to 100,000 workshops)."""
    workshops_table: NotRequired[WorkshopsTable]
    """Where the rows are, above 100,000 workshops."""

    group: NotRequired[GroupCohesionReport]
    """The group's cohesion (with ``--group``)."""
    ego: NotRequired[EgoNetworkReport]
    """The ego network (with ``--ego``)."""
    waves: NotRequired[WavesComparison]
    """The change between two waves (with ``--compare-waves``)."""

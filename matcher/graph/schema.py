"""The shape of the network and cohesion reports, key by key, as ``TypedDict`` classes.

:func:`~matcher.graph.network_report` returns a :class:`NetworkReport`,
:func:`~matcher.graph.cohesion_report` a :class:`CohesionReport` (the same
sections and a :class:`WorkshopRow` per workshop); the topic functions return
their section alone (:func:`~matcher.graph.kinds_view` a :class:`KindsSection`,
:func:`~matcher.graph.signed_view` a :class:`SignedSection`, ...). They are
plain dicts at run time, ready for JSON; these classes say which keys they
have and what each holds, and a test keeps them exactly in step with what
the functions return. What the measures mean is told in the modules that
compute them and in the user guide (*Network analysis*).

The answers of :func:`~matcher.graph.group_cohesion`,
:func:`~matcher.graph.ego_network`, :func:`~matcher.graph.compare_waves` and
:func:`~matcher.graph.brokerage`, and what ``matcher analyze --json`` prints
(:class:`~matcher.graph.schema_topics.AnalysisReport`), are described the same
way in :mod:`matcher.graph.schema_topics`.

Examples
--------
>>> import networkx as nx
>>> from matcher.graph import network_report
>>> report: NetworkReport = network_report(nx.path_graph(3))
>>> sorted(NetworkReport.__required_keys__) == sorted(report)
True
"""

# No ``from __future__ import annotations``: on Python 3.11 a TypedDict then
# reads NotRequired[...] as required (its keys are computed from the strings).
from typing import NotRequired, TypedDict

__all__ = [
    "AttributeHomophily",
    "Balance",
    "Betweenness",
    "BrokersSection",
    "CohesionReport",
    "CommunitiesSection",
    "CoresSection",
    "KindOverlap",
    "KindsSection",
    "NetworkReport",
    "NetworkSection",
    "Scope",
    "SignedSection",
    "Stability",
    "TopBroker",
    "WorkshopRow",
]


class Scope(TypedDict):
    """``scope``: the part of the cluster the report covers."""

    territory: str | None
    """The territory the report was restricted to (None: every territory)."""
    organization: str | None
    """The organisation the report was restricted to (None: every workshop)."""
    workshops: int
    """How many workshops the report covers."""


class NetworkSection(TypedDict):
    """``network``: the network-level measures (also what :func:`~matcher.graph.network_summary` returns)."""

    workshops: int
    """Workshops in the network."""
    ties: int
    """Ties: a pair joined by one kind, counted once whatever the waves it was recorded in."""
    ties_by_kind: dict[str, int]
    """Ties of each kind, so counted (for a cluster every kind of the data contract, 0 when absent)."""
    tie_rows: int
    """Tie rows as recorded (every wave and direction)."""
    density: float
    """Pairs joined by a positive tie over all possible pairs."""
    components: int
    """Connected components of the collaboration graph (an isolate is one)."""
    largest_component: int
    """Workshops in the largest component."""
    largest_component_share: float
    """Share of the workshops in the largest component."""
    transitivity: float
    """Global clustering: closed triples over connected triples."""
    average_clustering: float
    """Mean of the workshops' local clustering (0 below two partners)."""
    communities: int
    """Leiden communities (isolates belong to none)."""
    modularity: float
    """Modularity of the communities at the resolution used."""
    isolates: int
    """Workshops with no positive tie."""
    collaboration_edges: int
    """Pairs joined by at least one positive tie (edges of the collaboration graph)."""
    conflict_pairs: int
    """Pairs joined by at least one conflict tie."""
    seed: int
    """Seed of the first Leiden run."""
    resolution: float
    """Modularity resolution used for the communities."""


class KindOverlap(TypedDict):
    """One pair of positive tie kinds in ``kinds.overlap``."""

    kinds: list[str]
    """The two kinds."""
    shared_pairs: int
    """Pairs joined by both kinds."""
    jaccard: float
    """Shared pairs over pairs joined by either kind."""


class KindsSection(TypedDict):
    """``kinds``: density of each tie kind and how kinds overlap (:func:`~matcher.graph.kinds_view`)."""

    pairs_by_kind: dict[str, int]
    """Pairs joined by each kind (undirected: a directed kind either way)."""
    density_by_kind: dict[str, float]
    """Pairs joined by each kind over all possible pairs."""
    positive_pairs: int
    """Pairs joined by at least one positive kind."""
    multiplex_pairs: int
    """Positively tied pairs joined by more than one kind."""
    multiplexity: float
    """Share of positively tied pairs joined by more than one kind."""
    overlap: list[KindOverlap]
    """Each pair of positive kinds and how much they overlap."""


class CoresSection(TypedDict):
    """``cores``: the k-core decomposition of the collaboration graph."""

    max_core: int
    """The highest core number."""
    shells: dict[str, int]
    """Workshops of each core number (as text), for the numbers that have any."""


class Stability(TypedDict):
    """``communities.stability``: how far Leiden runs with consecutive seeds agree."""

    runs: int
    """Leiden runs compared."""
    seeds: list[int]
    """The seed of each run."""
    mean_ari: float | None
    """Mean pairwise adjusted Rand index (None with a single run)."""
    mean_nmi: float | None
    """Mean pairwise normalised mutual information (None with a single run)."""


class CommunitiesSection(TypedDict):
    """``communities``: the Leiden communities (the summary :func:`~matcher.graph.communities` returns)."""

    method: str
    """How the communities were found: ``"leiden (modularity)"``."""
    resolution: float
    """Modularity resolution used."""
    seed: int
    """Seed of the first run (the partition reported)."""
    count: int
    """Communities found (isolates belong to none)."""
    modularity: float
    """Modularity of the partition reported."""
    sizes: list[int]
    """Workshops in each community, largest first (the community numbers)."""
    largest: int
    """Workshops in the largest community."""
    median_size: float
    """Median community size."""
    stability: Stability
    """Agreement between runs with consecutive seeds."""


class AttributeHomophily(TypedDict):
    """``homophily[attribute]``: whether workshops tie to workshops with the same value."""

    categories: int
    """Distinct known values of the attribute."""
    ties_used: int
    """Collaboration edges whose two ends have a known value."""
    within: int
    """Of them, edges inside a category."""
    across: int
    """Of them, edges across categories."""
    assortativity: float | None
    """Newman's nominal assortativity (None when it cannot be computed)."""
    ei_index: float | None
    """Krackhardt and Stern's E-I index, from -1 (all inside) to +1 (all across); None without ties."""


class Betweenness(TypedDict):
    """``brokers.betweenness``: how betweenness was obtained."""

    method: str
    """``exact``, ``sampled`` or ``none`` (not computed)."""
    samples: NotRequired[int]
    """Random sources of the estimate (sampled only)."""
    seed: NotRequired[int]
    """Seed of the sample (sampled only)."""
    max_standard_error: NotRequired[float]
    """Largest standard error of a workshop's estimate (sampled only)."""
    mean_standard_error: NotRequired[float]
    """Mean standard error of the estimates (sampled only)."""
    note: NotRequired[str]
    """What was done and why, in words (sampled or none, and whatever ran on a Dask cluster)."""
    dask_workers: NotRequired[int]
    """Workers of the Dask cluster that computed it (only when it ran on one: ``scheduler=``)."""


class TopBroker(TypedDict):
    """One of the brokers with the highest betweenness, in ``brokers.top``."""

    workshop_id: str
    """The workshop."""
    betweenness: float | None
    """Normalised betweenness (None when not computed)."""
    effective_size: float | None
    """Burt's effective size."""
    constraint: float | None
    """Burt's constraint."""
    articulation_point: bool
    """Whether its loss would split the network."""


class BrokersSection(TypedDict):
    """``brokers``: who joins workshops that would otherwise be farther apart."""

    betweenness: Betweenness
    """How betweenness was obtained."""
    count: int
    """Brokers: workshops with betweenness above zero (counted even when it is not computed)."""
    articulation_points: int
    """Cut points: workshops whose loss splits the network."""
    bridges: int
    """Ties whose loss splits the network."""
    ranked_by: str
    """What ``top`` is ranked by: ``betweenness``, or ``effective_size`` when it is not computed."""
    top: list[TopBroker]
    """The highest-ranked brokers, at most :data:`~matcher.graph.report.TOP_BROKERS`."""


class Balance(TypedDict):
    """``signed.balance``: structural balance of the signed graph's triangles."""

    triangles: int
    """Triangles of the signed graph (positive and negative pairs)."""
    by_negative_pairs: list[int]
    """Triangles with 0, 1, 2 and 3 negative pairs."""
    balanced: int
    """Triangles with an even number of negative pairs."""
    balanced_share: float | None
    """Balanced triangles over all (None without triangles)."""


class SignedSection(TypedDict):
    """``signed``: conflict ties and where they fall (:func:`~matcher.graph.signed_view`)."""

    conflict_ties: int
    """Pairs joined by a negative kind, once per kind whatever the waves and directions."""
    conflict_tie_share: float
    """Conflict ties over all ties counted so."""
    conflict_pairs: int
    """Pairs with any negative tie."""
    conflict_pair_share: float
    """Conflict pairs over all tied pairs."""
    conflict_pairs_also_positive: int
    """Conflict pairs that also have a positive tie."""
    conflict_within_communities: int
    """Conflict pairs inside one community."""
    conflict_between_communities: int
    """Conflict pairs across communities (or with an isolate)."""
    positive_pairs: int
    """Pairs joined by a positive tie."""
    balance: Balance
    """Structural balance of the triangles."""


class NetworkReport(TypedDict):
    """What :func:`~matcher.graph.network_report` returns."""

    scope: Scope
    """The part of the cluster covered."""
    network: NetworkSection
    """Network-level measures."""
    kinds: KindsSection
    """Tie kinds: density and overlap."""
    cores: CoresSection
    """k-cores."""
    communities: CommunitiesSection
    """Leiden communities and their stability."""
    homophily: dict[str, AttributeHomophily]
    """Homophily of each attribute compared, by attribute name."""
    brokers: BrokersSection
    """Brokers and cut points."""
    signed: SignedSection
    """Conflict ties and structural balance."""


class WorkshopRow(TypedDict):
    """One workshop's row in ``workshops`` (also what :func:`~matcher.graph.workshop_metrics` lists)."""

    workshop_id: str
    """The workshop."""
    degree: int
    """Distinct positive neighbours."""
    strength: int
    """Sum over its positive ties (a partner and a kind) of the strongest strength recorded."""
    betweenness: float | None
    """Normalised betweenness, as networkx (None when not computed)."""
    community: int | None
    """Its community number (None for an isolate)."""
    isolate: bool
    """Whether it has no positive tie."""
    core: int
    """Its k-core number."""
    clustering: float
    """Local clustering (0 below two partners)."""
    constraint: float | None
    """Burt's constraint (None for an isolate)."""
    effective_size: float | None
    """Burt's effective size (None for an isolate)."""
    articulation_point: bool
    """Whether its loss would split the network."""
    broker: bool
    """Whether its betweenness is above zero (known even when betweenness is not computed)."""
    betweenness_error: NotRequired[float]
    """Standard error of a sampled betweenness (only when sampled)."""


class CohesionReport(NetworkReport):
    """What :func:`~matcher.graph.cohesion_report` returns: a :class:`NetworkReport` and ``workshops``."""

    workshops: list[WorkshopRow]
    """One row per workshop, sorted by id."""

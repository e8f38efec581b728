"""The network every analysis runs on: workshops, their attributes and their ties as arrays.

A :class:`Network` is built once from a :class:`~matcher.model.Cluster` (or
from any networkx graph, for interoperability) and holds plain numpy arrays,
so the heavy computations hand them straight to igraph. Scoping to a
territory, an organisation, a list of workshops or a survey wave gives a new
Network; nothing is ever changed in place.

The **collaboration graph** of a network has every workshop as a node and one
undirected edge per pair joined by at least one positive tie (any kind, either
direction). Negative ties (``conflict``) are kept apart.

**Which network, and what its counts count.** Without a wave chosen
(:meth:`Network.in_wave`), a network holds the ties of every survey wave
together: a pair is tied when it is tied in any wave, and in conflict when a
conflict was recorded in any wave. A **tie** is a pair of workshops joined by
one kind, whatever the waves and directions it was recorded in: a pair tied by
kinship in two waves is one kinship tie, a pair tied by kinship and friendship
is two ties (:meth:`Network.kind_pairs`); its strength is the strongest
recorded. Rows of ``ties.csv`` are counted only where they are called rows
(:meth:`Network.kind_counts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.messages import Message
from matcher.model import CONFLICT, DIRECTED_TIE_KINDS, Cluster, Rows, Workshop

__all__ = ["Network", "as_network", "network_from_cluster", "network_from_networkx"]

#: Workshop attributes compared by the homophily measures, in report order.
CLUSTER_ATTRIBUTES = ("territory", "size_class", "main_product", "gender_majority", "formality")


def _gender_majority(w: Workshop) -> str | None:
    if w.women_workers is None:
        return None
    men = w.workers - w.women_workers
    return "women" if w.women_workers > men else "men" if men > w.women_workers else "even"


@dataclass(frozen=True, eq=False)
class Network:
    """Workshops (by position), their attributes and their ties as index arrays.

    Attributes
    ----------
    ids : tuple of str
        Workshop ids; position ``i`` in every array is workshop ``ids[i]``.
    source, target : ndarray of int64
        Tie ends (positions). Directed kinds run source to target.
    kind : ndarray of str
        Tie kind of each row.
    strength : ndarray of int64
    wave : ndarray of object
        Survey wave of each tie (None when not given).
    negative : ndarray of bool
        True for negative ties (mistrust).
    attributes : dict of str to ndarray
        Node attributes (object arrays, None when unknown); ``organizations``
        holds a tuple per workshop.
    """

    ids: tuple[str, ...]
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    strength: np.ndarray
    wave: np.ndarray
    negative: np.ndarray
    attributes: Mapping[str, np.ndarray] = field(default_factory=dict)
    directed_kinds: frozenset[str] = DIRECTED_TIE_KINDS

    @property
    def n(self) -> int:
        """Number of workshops."""
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each workshop id."""
        return {w: i for i, w in enumerate(self.ids)}

    @cached_property
    def positive(self) -> np.ndarray:
        return ~self.negative

    @cached_property
    def collaboration_edges(self) -> np.ndarray:
        """Unique undirected pairs ``(i, j)``, ``i < j``, joined by a positive tie; shape (m, 2)."""
        return unique_pairs(self.source[self.positive], self.target[self.positive], self.n)

    @cached_property
    def conflict_edges(self) -> np.ndarray:
        """Unique undirected pairs joined by a negative tie."""
        return unique_pairs(self.source[self.negative], self.target[self.negative], self.n)

    @cached_property
    def waves(self) -> tuple[str, ...]:
        """Waves the ties were observed in, sorted."""
        return tuple(sorted({w for w in self.wave.tolist() if w is not None}))

    @cached_property
    def _kind_codes(self) -> tuple[np.ndarray, tuple[str, ...]]:
        codes, names = pd.factorize(self.kind, sort=True)
        return codes.astype(np.int64), tuple(str(k) for k in names)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Tie kinds present, sorted."""
        return self._kind_codes[1]

    @property
    def kind_code(self) -> np.ndarray:
        """Each tie's kind as its position in :attr:`kinds`."""
        return self._kind_codes[0]

    def kind_counts(self, rows: np.ndarray | None = None) -> dict[str, int]:
        """Tie rows per kind present (optionally among ``rows``), in :attr:`kinds` order.

        Rows, as recorded: a pair tied in two waves is two rows. Ties are
        counted by :meth:`kind_pairs`.
        """
        codes = self.kind_code if rows is None else self.kind_code[rows]
        counts = np.bincount(codes, minlength=len(self.kinds))
        return {k: int(c) for k, c in zip(self.kinds, counts.tolist(), strict=True) if c}

    def unique_ties(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ties (optionally among ``rows``): their keys, sorted, and strongest recorded strengths.

        A tie is a pair of workshops ``lo`` < ``hi`` joined by one kind, whatever
        the waves and directions it was recorded in; its key is
        ``(kind code × n + lo) × n + hi`` (kind code: position in :attr:`kinds`).
        """
        if rows is None:
            return self._all_ties
        return self._unique_ties(np.asarray(rows, dtype=bool))

    @cached_property
    def _all_ties(self) -> tuple[np.ndarray, np.ndarray]:
        keys, strength = self._unique_ties(np.ones(len(self.kind), dtype=bool))
        keys.setflags(write=False)  # shared by every caller
        strength.setflags(write=False)
        return keys, strength

    def _unique_ties(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo = np.minimum(self.source[keep], self.target[keep]).astype(np.int64)
        hi = np.maximum(self.source[keep], self.target[keep]).astype(np.int64)
        width = max(self.n, 1)
        keys = ((self.kind_code[keep] * width + lo) * width + hi)[lo != hi]
        strength = self.strength[keep].astype(np.int64)[lo != hi]
        order = np.lexsort((strength, keys))
        keys, strength = keys[order], strength[order]
        last = np.append(keys[1:] != keys[:-1], True) if len(keys) else np.zeros(0, dtype=bool)
        return keys[last], strength[last]

    def kind_pairs(self, rows: np.ndarray | None = None) -> dict[str, int]:
        """Ties per kind present (optionally among ``rows``): the distinct pairs each kind joins.

        Examples
        --------
        A–B tied by kinship in two waves and by friendship in one; A–C by kinship:

        >>> from matcher.model import Cluster, Tie, Workshop
        >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABC")
        >>> ties = (Tie("A", "B", "kinship", wave="1"), Tie("B", "A", "kinship", wave="2"),
        ...         Tie("A", "B", "friendship", wave="1"), Tie("A", "C", "kinship", wave="1"))
        >>> net = network_from_cluster(Cluster(ws, ties=ties))
        >>> net.kind_pairs(), net.kind_counts()
        ({'friendship': 1, 'kinship': 2}, {'friendship': 1, 'kinship': 3})
        """
        width = max(self.n, 1)
        keys, _ = self.unique_ties(rows)
        counts = np.bincount(keys // (width * width), minlength=len(self.kinds))
        return {k: int(c) for k, c in zip(self.kinds, counts.tolist(), strict=True) if c}

    def positions(self, workshop_ids: Iterable[str], *, what: str = "workshop") -> np.ndarray:
        """Positions of the given ids; :class:`UnknownIdError` names any unknown ones."""
        asked = list(dict.fromkeys(workshop_ids))
        missing = [w for w in asked if w not in self.index]
        if missing:
            raise UnknownIdError(what, missing, self.ids)
        return np.array([self.index[w] for w in asked], dtype=np.int64)

    def subset(self, keep: np.ndarray) -> Network:
        """The network induced by the workshops where ``keep`` (bool mask) holds."""
        keep = np.asarray(keep, dtype=bool)
        new = np.full(self.n, -1, dtype=np.int64)
        new[keep] = np.arange(int(keep.sum()))
        rows = keep[self.source] & keep[self.target]
        return Network(
            ids=tuple(w for w, k in zip(self.ids, keep.tolist(), strict=True) if k),
            source=new[self.source[rows]],
            target=new[self.target[rows]],
            kind=self.kind[rows],
            strength=self.strength[rows],
            wave=self.wave[rows],
            negative=self.negative[rows],
            attributes={a: v[keep] for a, v in self.attributes.items()},
            directed_kinds=self.directed_kinds,
        )

    def ties_where(self, rows: np.ndarray) -> Network:
        """The same workshops with only the tie rows where ``rows`` holds."""
        return Network(
            self.ids, self.source[rows], self.target[rows], self.kind[rows], self.strength[rows],
            self.wave[rows], self.negative[rows], self.attributes, self.directed_kinds,
        )  # fmt: skip

    def in_wave(self, wave: str) -> Network:
        """All workshops, with the ties observed in ``wave`` only."""
        if wave not in self.waves:
            raise UnknownIdError("wave", [wave], self.waves)
        return self.ties_where(self.wave == wave)


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (a sort beats ``np.unique``'s hashing here)."""
    keys = np.sort(keys)
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def in_sorted(keys: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is one of ``among`` (sorted): a binary search per key, no sort of
    ``among`` again (``np.isin`` and ``np.intersect1d`` sort both).

    Examples
    --------
    >>> in_sorted(np.array([3, 4, 9]), np.array([1, 3, 9])).tolist()
    [True, False, True]
    """
    if not len(among):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(among, keys), len(among) - 1)
    return among[at] == keys


def unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique undirected pairs (lo, hi) of two index arrays; self-pairs dropped."""
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    width = max(n, 1)
    keys = sorted_unique(lo[lo != hi] * width + hi[lo != hi])
    return np.column_stack((keys // width, keys % width)).astype(np.int64)


def network_from_cluster(cluster: Cluster) -> Network:
    """The network of a cluster (ties must name its workshops, as a loaded cluster's do).

    Node attributes: ``territory``, ``size_class``, ``main_product`` (first
    product listed), ``gender_majority`` (``women``/``men``/``even``, None when
    ``women_workers`` is not given), ``formality`` (``formal``/``informal``)
    and ``organizations``.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = (Workshop("A", "T", 2, ("jeans",), ("sewing",)),
    ...       Workshop("B", "T", 12, ("tshirt",), ("sewing",)))
    >>> net = network_from_cluster(Cluster(ws, ties=(Tie("A", "B", "kinship"),)))
    >>> net.n, net.collaboration_edges.tolist(), list(net.attributes["size_class"])
    (2, [[0, 1]], ['micro', 'medium'])
    """
    ids = cluster.workshop_ids
    source, target, kind, strength, wave = _tie_arrays(cluster, ids)
    attributes = _attributes(cluster.workshops)
    return Network(ids, source, target, kind, strength, wave, kind == CONFLICT, attributes)


def _object_array(values: Iterable[Any] | Sequence[Any], n: int) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    return np.fromiter(values, dtype=object, count=n)  # each item one cell, tuples included


def _tie_arrays(
    cluster: Cluster, ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ends (positions in ``ids``), kinds, strengths and waves of the cluster's ties, read from
    their columns when they are :class:`~matcher.model.Rows` (no tie object built)."""
    ties = cluster.ties
    m = len(ties)
    if isinstance(ties, Rows) and not ties.built:
        where = pd.Index(np.asarray(ids, dtype=object), dtype=object)
        source = where.get_indexer(pd.Index(ties.column("source"), dtype=object)).astype(np.int64)
        target = where.get_indexer(pd.Index(ties.column("target"), dtype=object)).astype(np.int64)
        if (source < 0).any() or (target < 0).any():
            unknown = [ties.column("source")[i] for i in np.flatnonzero(source < 0)[:5]]
            unknown += [ties.column("target")[i] for i in np.flatnonzero(target < 0)[:5]]
            raise UnknownIdError("workshop", unknown, ids)
        kind = _object_array(ties.column("kind"), m)
        strength = np.asarray(ties.column("strength"), dtype=np.int64)
        wave = _object_array(ties.column("wave"), m)
        return source, target, kind, strength, wave
    index = {w: i for i, w in enumerate(ids)}
    source = np.fromiter((index[t.source] for t in ties), dtype=np.int64, count=m)
    target = np.fromiter((index[t.target] for t in ties), dtype=np.int64, count=m)
    kind = _object_array([t.kind for t in ties], m)
    strength = np.fromiter((t.strength for t in ties), dtype=np.int64, count=m)
    wave = _object_array([t.wave for t in ties], m)
    return source, target, kind, strength, wave


def _attributes(workshops: Sequence[Workshop]) -> dict[str, np.ndarray]:
    """The node attributes of :func:`network_from_cluster`, from the workshops' columns when they
    are :class:`~matcher.model.Rows` (no workshop object built)."""
    n = len(workshops)
    if isinstance(workshops, Rows) and not workshops.built:
        workers = np.asarray(workshops.column("workers"), dtype=np.int64)
        women = pd.array(workshops.column("women_workers"), dtype="Int64")
        known = ~np.asarray(women.isna(), dtype=bool)
        women_n = np.asarray(women.fillna(0), dtype=np.int64)
        men = workers - women_n
        gender = np.where(women_n > men, "women", np.where(men > women_n, "men", "even")).astype(object)
        gender[~known] = None
        products = workshops.column("products")
        return {
            "territory": _object_array(workshops.column("territory"), n),
            "size_class": np.where(workers < 5, "micro", np.where(workers <= 10, "small", "medium")).astype(
                object
            ),
            "main_product": _object_array([p[0] if p else None for p in products], n),
            "gender_majority": gender,
            "formality": np.where(
                np.asarray(workshops.column("formal"), dtype=bool), "formal", "informal"
            ).astype(object),
            "organizations": _object_array(workshops.column("organizations"), n),
        }
    return {
        "territory": _object_array([w.territory for w in workshops], n),
        "size_class": _object_array([w.size_band for w in workshops], n),
        "main_product": _object_array([w.products[0] if w.products else None for w in workshops], n),
        "gender_majority": _object_array([_gender_majority(w) for w in workshops], n),
        "formality": _object_array(["formal" if w.formal else "informal" for w in workshops], n),
        "organizations": _object_array([w.organizations for w in workshops], n),
    }


def network_from_networkx(
    graph: nx.Graph,
    *,
    kind: str = "kind",
    strength: str = "strength",
    wave: str = "wave",
    sign: str = "sign",
    negative_kinds: Sequence[str] = (CONFLICT,),
    default_kind: str = "tie",
) -> Network:
    """A network from any networkx graph (simple or multi, directed or not).

    Node ids become strings; scalar node attributes are kept for homophily and
    scoping. An edge is negative when its ``sign`` is below 0 or its kind is
    in ``negative_kinds``. In a directed graph every kind is treated as
    directed.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edge(1, 2, kind="advice")
    0
    >>> G.add_edge(2, 3, sign=-1)
    0
    >>> net = network_from_networkx(G)
    >>> net.ids, net.kind.tolist(), net.negative.tolist()
    (('1', '2', '3'), ['advice', 'tie'], [False, True])
    """
    nodes = list(graph.nodes)
    ids = tuple(str(v) for v in nodes)
    if len(set(ids)) != len(ids):
        raise InvalidOptionError("node ids must stay distinct when written as text")
    index = {v: i for i, v in enumerate(nodes)}
    edges = graph.edges(data=True)
    rows = [(index[u], index[v], d) for u, v, d in edges]
    kinds = np.array([str(d.get(kind, default_kind)) for _, _, d in rows], dtype=object)
    signs = np.array([float(d.get(sign, 1) or 1) for _, _, d in rows])
    wave_column = np.empty(len(rows), dtype=object)
    wave_column[:] = [None if d.get(wave) in (None, "") else str(d[wave]) for _, _, d in rows]
    attributes: dict[str, np.ndarray] = {}
    names = sorted({a for _, d in graph.nodes(data=True) for a in d})
    for name in names:
        values = np.empty(len(nodes), dtype=object)
        values[:] = [graph.nodes[v].get(name) for v in nodes]
        attributes[name] = values
    kinds_list = kinds.tolist()
    return Network(
        ids=ids,
        source=np.array([u for u, _, _ in rows], dtype=np.int64),
        target=np.array([v for _, v, _ in rows], dtype=np.int64),
        kind=kinds,
        strength=np.array([int(d.get(strength, 1)) for _, _, d in rows], dtype=np.int64),
        wave=wave_column,
        negative=(signs < 0) | np.isin(kinds, list(negative_kinds)),
        attributes=attributes,
        directed_kinds=frozenset(kinds_list) if graph.is_directed() else frozenset(),
    )


def as_network(data: Cluster | Network | nx.Graph) -> Network:
    """Accept a cluster, a network or a networkx graph wherever a network is needed."""
    if isinstance(data, Network):
        return data
    if isinstance(data, Cluster):
        return network_from_cluster(data)
    if isinstance(data, nx.Graph):
        return network_from_networkx(data)
    raise InvalidOptionError(f"expected a Cluster, a Network or a networkx graph, got {type(data).__name__}")


def _memberships(value: Any) -> tuple[str, ...]:
    """Organisations of a node: a tuple, or text separated by ";" as exported to GraphML."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return tuple(str(v) for v in value)


def scoped(
    net: Network,
    *,
    territory: str | None = None,
    organization: str | None = None,
    workshops: Iterable[str] | None = None,
) -> Network:
    """The part of ``net`` in a territory, an organisation and/or a list of workshops.

    Raises
    ------
    UnknownIdError
        For a territory, organisation or workshop that is not in the network.
    InvalidOptionError
        When the scopes together leave no workshop.

    Examples
    --------
    >>> from matcher.model import Cluster, Workshop
    >>> ws = tuple(Workshop(w, t, 2, ("jeans",), ("sewing",)) for w, t in [("A", "X"), ("B", "Y")])
    >>> scoped(network_from_cluster(Cluster(ws)), territory="Y").ids
    ('B',)
    """
    keep = np.ones(net.n, dtype=bool)
    if territory is not None:
        values = net.attributes.get("territory")
        known = sorted({str(v) for v in values.tolist() if v is not None}) if values is not None else []
        if territory not in known:
            raise UnknownIdError("territory", [territory], known)
        keep &= values == territory
    if organization is not None:
        values = net.attributes.get("organizations")
        lists = [_memberships(v) for v in values.tolist()] if values is not None else [()] * net.n
        known = sorted({o for orgs in lists for o in orgs})
        if organization not in known:
            raise UnknownIdError("organization", [organization], known)
        keep &= np.array([organization in orgs for orgs in lists], dtype=bool)
    if workshops is not None:
        chosen = np.zeros(net.n, dtype=bool)
        chosen[net.positions(workshops)] = True
        keep &= chosen
    if not keep.any():
        asked = ", ".join(
            f"{k} {v}" for k, v in (("territory", territory), ("organization", organization)) if v is not None
        )
        raise InvalidOptionError(
            f"no workshop is in the scope asked ({asked or 'an empty list'})",
            messages=[Message("option.empty_scope")],
        )
    return net if keep.all() else net.subset(keep)

"""Domain types of a garment-workshop cluster.

Everything is a frozen dataclass holding plain values (str, int, float, tuples),
so results are hashable, comparable and safe to share. A loaded cluster holds
its workshops and ties as :class:`Rows`: the same objects, kept as columns
until something asks for one, so that a national registry is analysed without
a million objects. The dataset contract that
these types mirror is ``shared/DATA.md`` (summarised in the README).

Private contact data (:class:`Contact`) is deliberately *not* part of
:class:`Cluster`: it is loaded apart (``matcher.io.load_contacts``) and only
code that is allowed to see it ever holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar, overload

from matcher.errors import UnknownIdError

__all__ = [
    "CONFLICT",
    "DEFAULT_EFFICIENCY",
    "DEFAULT_HOURS_PER_WEEK",
    "DEFAULT_QUALITY",
    "DEFAULT_STRENGTH",
    "DIRECTED_TIE_KINDS",
    "POSITIVE_TIE_KINDS",
    "TIE_KINDS",
    "Cluster",
    "ClusterIndex",
    "Contact",
    "LeadFirm",
    "Order",
    "RoutingStep",
    "Rows",
    "Tie",
    "Workshop",
    "size_band",
]

CONFLICT = "conflict"
#: Every tie kind of the contract, in the order the contract lists them.
TIE_KINDS: tuple[str, ...] = (
    "kinship",
    "friendship",
    "subcontracting",
    "mentoring",
    "machine_lending",
    "joint_purchase",
    "association",
    CONFLICT,
)
#: Kinds that bring workshops together (all but ``conflict``).
POSITIVE_TIE_KINDS: tuple[str, ...] = tuple(k for k in TIE_KINDS if k != CONFLICT)
#: Kinds whose direction means something: source gives work / mentors target.
DIRECTED_TIE_KINDS: frozenset[str] = frozenset({"subcontracting", "mentoring"})

DEFAULT_HOURS_PER_WEEK = 48.0
DEFAULT_EFFICIENCY = 0.5
DEFAULT_QUALITY = 3
DEFAULT_STRENGTH = 3

#: Size bands by operators, smallest first (:func:`size_band`).
SIZE_BANDS: tuple[str, ...] = ("micro", "small", "medium")


def size_band(workers: int) -> str:
    """A workshop's size band by operators: ``micro`` (1–4), ``small`` (5–10), ``medium`` (11+).

    The band is what a lead firm or a public reader may learn of a workshop's
    size (never its exact count), and what the network's homophily compares.

    Examples
    --------
    >>> [size_band(w) for w in (1, 4, 5, 10, 11)]
    ['micro', 'micro', 'small', 'small', 'medium']
    """
    return "micro" if workers < 5 else "small" if workers <= 10 else "medium"


@dataclass(frozen=True, slots=True)
class Workshop:
    """A garment workshop, as characterised in ``workshops.csv``.

    Examples
    --------
    >>> w = Workshop("W1", "Yaguaron", workers=4, products=("jeans",),
    ...              processes=("sewing",), committed_minutes_per_week=760)
    >>> w.capacity_minutes  # 4 workers x 48 h x 60 min x 0.5 efficiency
    5760.0
    >>> w.available_minutes_per_week
    5000.0
    >>> w.available_minutes(2.5)
    12500.0
    """

    workshop_id: str
    territory: str
    workers: int
    products: tuple[str, ...]
    processes: tuple[str, ...]
    women_workers: int | None = None
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    efficiency: float = DEFAULT_EFFICIENCY
    capacity_minutes_per_week: float | None = None
    committed_minutes_per_week: float = 0.0
    machines: tuple[tuple[str, int], ...] = ()
    quality: int = DEFAULT_QUALITY
    formal: bool = False
    can_lead: bool = False
    cost_per_minute: float | None = None
    organizations: tuple[str, ...] = ()
    #: Share of past orders delivered on time and at the quality asked, in [0, 1]; None: unknown.
    reliability: float | None = None
    #: Columns outside the contract, kept as text: ``(("column", "value"), ...)``.
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def capacity_minutes(self) -> float:
        """Standard minutes per week before commitments."""
        if self.capacity_minutes_per_week is not None:
            return float(self.capacity_minutes_per_week)
        return float(self.workers * self.hours_per_week * 60.0 * self.efficiency)

    @property
    def available_minutes_per_week(self) -> float:
        """Capacity minus what is already promised elsewhere (never negative)."""
        return max(0.0, self.capacity_minutes - self.committed_minutes_per_week)

    def available_minutes(self, weeks: float) -> float:
        """Minutes available from now until ``weeks`` weeks from now."""
        return weeks * self.available_minutes_per_week

    @property
    def size_band(self) -> str:
        """The workshop's size band (:func:`size_band` of its workers)."""
        return size_band(self.workers)


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie between two workshops (one row of ``ties.csv``).

    Examples
    --------
    >>> Tie("W1", "W2", "conflict").sign
    -1
    >>> Tie("W1", "W2", "subcontracting").directed
    True
    >>> Tie("W2", "W1", "kinship").pair
    ('W1', 'W2')
    """

    source: str
    target: str
    kind: str
    strength: int = DEFAULT_STRENGTH
    wave: str | None = None

    @property
    def sign(self) -> int:
        """+1 for a tie that brings workshops together, -1 for mistrust."""
        return -1 if self.kind == CONFLICT else 1

    @property
    def directed(self) -> bool:
        """Whether source and target play different roles."""
        return self.kind in DIRECTED_TIE_KINDS

    @property
    def pair(self) -> tuple[str, str]:
        """The two ends, sorted: the key of the undirected pair."""
        return (self.source, self.target) if self.source <= self.target else (self.target, self.source)


@dataclass(frozen=True, slots=True)
class LeadFirm:
    """A lead (anchor) firm that places orders."""

    firm_id: str
    name: str | None = None
    territory: str | None = None


@dataclass(frozen=True, slots=True)
class RoutingStep:
    """One process of a product's routing and its standard minutes per unit."""

    process: str
    minutes_per_unit: float


@dataclass(frozen=True, slots=True)
class Order:
    """An order from a lead firm (one row of ``orders.csv``).

    ``processes`` is the order's routing override: empty means the product's
    routing. In the file each entry names a process of the product's routing
    (``sewing``) or gives its minutes explicitly (``embroidery:2.5``); the loader
    resolves the minutes, so every step here carries its number.
    """

    order_id: str
    product: str
    quantity: int
    due_weeks: float
    firm_id: str | None = None
    min_quality: int = 1
    max_group_size: int | None = None
    territories: tuple[str, ...] = ()
    require_formal: bool = False
    processes: tuple[RoutingStep, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    """Private contact data of a workshop (``contacts.csv``). Never public."""

    workshop_id: str
    owner_name: str | None = None
    phone: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None


T = TypeVar("T")


class Rows(Sequence[T], Generic[T]):
    """The rows of a table as domain objects, built from the table's columns on first use.

    A loaded cluster keeps its workshops and ties as columns (``columns``: one
    list or array per field, all of one length): what works on whole columns —
    the network analysis, :func:`matcher.io.cluster_to_frames` — reads them
    and never builds a million objects; anything that asks for an object
    (indexing, iterating, comparing) builds them all once, with ``make``, and
    keeps them. It behaves as the tuple of those objects, and compares equal
    to it.

    ``make`` must be a module-level function (of the columns, giving the
    objects in order), so that the rows travel to another process as columns.

    Examples
    --------
    >>> rows = Rows({"source": ["A", "B"], "target": ["B", "C"]}, tie_rows)
    >>> len(rows), rows.column("target"), rows.built
    (2, ['B', 'C'], False)
    >>> rows[1]
    Tie(source='B', target='C', kind='kinship', strength=3, wave=None)
    >>> rows.built, rows == (Tie("A", "B", "kinship"), Tie("B", "C", "kinship"))
    (True, True)
    """

    __slots__ = ("_items", "_length", "_make", "columns")

    def __init__(self, columns: Mapping[str, Any], make: Callable[[Mapping[str, Any]], Iterable[T]]) -> None:
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self.columns = columns
        self._make = make
        self._length = lengths.pop() if lengths else 0
        self._items: tuple[T, ...] | None = None

    @property
    def built(self) -> bool:
        """Whether the objects have been built."""
        return self._items is not None

    def column(self, name: str) -> Any:
        """The column ``name`` as given (None when the rows have no such column)."""
        return self.columns.get(name)

    def _all(self) -> tuple[T, ...]:
        items = self._items
        if items is None:
            items = tuple(self._make(self.columns))
            if len(items) != self._length:
                raise ValueError(f"{len(items)} rows built from columns of {self._length}")
            self._items = items
        return items

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __contains__(self, item: object) -> bool:
        return item in self._all()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other._all()
        if isinstance(other, tuple | list):
            return len(other) == self._length and self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __add__(self, other: Iterable[T]) -> tuple[T, ...]:
        return self._all() + tuple(other)

    def __radd__(self, other: Iterable[T]) -> tuple[T, ...]:
        return tuple(other) + self._all()

    def __repr__(self) -> str:
        return f"Rows({self._length} rows{', built' if self.built else ''})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Columns travel, not objects: the other process builds them if it needs them.
        return (Rows, (self.columns, self._make))


def tie_rows(columns: Mapping[str, Any]) -> list[Tie]:
    """Ties from the columns ``source`` and ``target`` and optionally ``kind`` (kinship by default),
    ``strength`` and ``wave`` (a :class:`Rows` maker)."""
    n = len(columns["source"])
    kind = columns.get("kind", ["kinship"] * n)
    strength = columns.get("strength", [DEFAULT_STRENGTH] * n)
    wave = columns.get("wave", [None] * n)
    return [Tie(*row) for row in zip(columns["source"], columns["target"], kind, strength, wave, strict=True)]


#: Fields of :class:`Workshop` in their order (the columns :func:`workshop_rows` reads).
WORKSHOP_FIELDS: tuple[str, ...] = (
    "workshop_id", "territory", "workers", "products", "processes", "women_workers", "hours_per_week",
    "efficiency", "capacity_minutes_per_week", "committed_minutes_per_week", "machines", "quality",
    "formal", "can_lead", "cost_per_minute", "organizations", "reliability", "extra",
)  # fmt: skip


def workshop_rows(columns: Mapping[str, Any]) -> list[Workshop]:
    """Workshops from one column per field of :data:`WORKSHOP_FIELDS` (a :class:`Rows` maker)."""
    return [Workshop(*row) for row in zip(*(columns[f] for f in WORKSHOP_FIELDS), strict=True)]


@dataclass(frozen=True, eq=False)
class ClusterIndex:
    """What many questions about one cluster reuse (:attr:`Cluster.index`).

    ``makers``: per product, the workshops that make it, in dataset order;
    ``ties_of``: per workshop, the positions in ``cluster.ties`` of its ties
    (conflicts included); ``neighbours``: per workshop, those joined to it by
    a positive tie.
    """

    makers: Mapping[str, tuple[Workshop, ...]]
    ties_of: Mapping[str, tuple[int, ...]]
    neighbours: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Cluster:
    """A whole cluster dataset: characterisation, ties, firms, orders, routings.

    ``routings`` maps each product code to its routing, the default catalogue
    merged with the dataset's own ``routings.csv``. Contacts are not here on
    purpose (see module docstring).

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> c = Cluster(
    ...     workshops=(Workshop("W1", "T", 2, ("tshirt",), ("sewing",)),),
    ...     orders=(Order("O1", "tshirt", 100, 2.0),),
    ...     routings={"tshirt": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 6.0))},
    ... )
    >>> [s.process for s in c.routing_of(c.order("O1"))]
    ['cutting', 'sewing']
    >>> c.workshop("W1").workers
    2
    """

    workshops: Sequence[Workshop]
    ties: Sequence[Tie] = ()
    lead_firms: tuple[LeadFirm, ...] = ()
    orders: tuple[Order, ...] = ()
    routings: Mapping[str, tuple[RoutingStep, ...]] = field(default_factory=dict)

    # The dict field makes the dataclass unhashable; identity hashing is enough
    # for caching and keeps equality by value.
    __hash__ = object.__hash__

    @cached_property
    def _workshops_by_id(self) -> dict[str, Workshop]:
        return {w.workshop_id: w for w in self.workshops}

    @cached_property
    def _orders_by_id(self) -> dict[str, Order]:
        return {o.order_id: o for o in self.orders}

    @cached_property
    def index(self) -> ClusterIndex:
        """Who makes each product and who is tied to whom, built on first use (the cluster is
        immutable: the index holds for as long as it lives).

        Examples
        --------
        >>> c = Cluster((Workshop("A", "T", 2, ("polo", "tee"), ("sewing",)),
        ...              Workshop("B", "T", 2, ("tee",), ("sewing",))),
        ...             ties=(Tie("A", "B", "kinship"), Tie("B", "A", "conflict")))
        >>> index = c.index
        >>> [w.workshop_id for w in index.makers["tee"]], index.ties_of["B"], sorted(index.neighbours["A"])
        (['A', 'B'], (0, 1), ['B'])
        >>> c.index is c.index
        True
        """
        makers: dict[str, list[Workshop]] = {}
        for w in self.workshops:
            for product in dict.fromkeys(w.products):
                makers.setdefault(product, []).append(w)
        ties_of: dict[str, list[int]] = {}
        neighbours: dict[str, set[str]] = {}
        for i, t in enumerate(self.ties):
            ties_of.setdefault(t.source, []).append(i)
            if t.target != t.source:
                ties_of.setdefault(t.target, []).append(i)
            if t.kind != CONFLICT:
                neighbours.setdefault(t.source, set()).add(t.target)
                neighbours.setdefault(t.target, set()).add(t.source)
        return ClusterIndex(
            makers={p: tuple(ws) for p, ws in makers.items()},
            ties_of={w: tuple(ts) for w, ts in ties_of.items()},
            neighbours={w: frozenset(vs) for w, vs in neighbours.items()},
        )

    @property
    def workshop_ids(self) -> tuple[str, ...]:
        """Workshop ids in dataset order."""
        if isinstance(self.workshops, Rows) and not self.workshops.built:
            return tuple(self.workshops.column("workshop_id"))
        return tuple(w.workshop_id for w in self.workshops)

    def workshop(self, workshop_id: str) -> Workshop:
        """The workshop with this id; :class:`UnknownIdError` otherwise."""
        try:
            return self._workshops_by_id[workshop_id]
        except KeyError:
            raise UnknownIdError("workshop", [workshop_id], self.workshop_ids) from None

    def order(self, order_id: str) -> Order:
        """The order with this id; :class:`UnknownIdError` otherwise."""
        try:
            return self._orders_by_id[order_id]
        except KeyError:
            raise UnknownIdError("order", [order_id], [o.order_id for o in self.orders]) from None

    def select_orders(self, order_ids: Iterable[str] | None = None) -> tuple[Order, ...]:
        """The orders with these ids (all orders when None), in the order asked.

        Every unknown id is reported at once.
        """
        if order_ids is None:
            return self.orders
        asked = list(order_ids)
        missing = [i for i in asked if i not in self._orders_by_id]
        if missing:
            raise UnknownIdError("order", missing, [o.order_id for o in self.orders])
        return tuple(self._orders_by_id[i] for i in dict.fromkeys(asked))

    def routing_of(self, order: Order) -> tuple[RoutingStep, ...]:
        """The routing an order must go through: its override, else its product's."""
        return order.processes or tuple(self.routings.get(order.product, ()))

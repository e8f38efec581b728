"""k-anonymous workshop profiles: what a lead firm may see of a workshop, and how it is coarsened.

Outside the coordinators a workshop is shown only as an anonymous profile, and
a profile that only one workshop fits is not anonymous. So every profile shown
to a lead firm fits at least ``k`` workshops of the cluster (default
:data:`DEFAULT_K` = 5): counted over **all** the cluster's workshops (not only
those eligible for the order), on exactly the fields shown. A field that would
single a workshop out is coarsened, and withheld (``None``) when coarsening is
not enough; nothing is ever invented.

The fields of a profile, for one order, and their hierarchy (finest first):

============== ======================================================= =============================
field          shown as                                                coarser
============== ======================================================= =============================
territory      the workshop's territory                                withheld
size_band      ``micro`` (1–4 workers), ``small`` (5–10), ``medium``   withheld
               (11+)
quality        the exact level, 1–5                                    a band of :data:`QUALITY_BANDS`
                                                                       (1–2, 3–4, 5); then the order's
                                                                       minimum to 5; then withheld
formal         whether it is formalised                                withheld
processes      the order's processes it does (never the others)        withheld
main_product   whether its main (first) product is the order's         withheld
leader         a group's leader is one that can lead (``can_lead``)    withheld
============== ======================================================= =============================

A workshop fits a profile when, for every field shown, its own value coarsened
the same way is the one shown: a quality band ``(3, 4)`` is fitted by every
workshop of quality 3 or 4, the processes ``("cutting", "sewing")`` of an order
of cutting, sewing and packing by every workshop that cuts and sews but does not
pack. ``leader: False`` says nothing (a member that could lead may not have
been chosen to), so only a leader's profile counts the workshops that can lead.

Fields are coarsened one step at a time in the fixed order of
:data:`COARSENING` until the profile fits ``k`` workshops; then every step it
turns out not to need is undone, the last taken first. The order keeps what a
lead firm needs most, and what its score reads (a shortlist's score is
computed from the profile as shown): first the quality becomes a band (it
moves by one level at most); then go the size band, the formality and the
processes, which no score part needs (free minutes say more than a size band,
an order that needs formality asks for it, and a group member's allocations
say what it does); then the main product (half of a single's capability);
then the quality drops to "the order's minimum or better" and is withheld;
then the territory (kept as long as anything can be kept) and last the
leader mark. Same cluster, order and ``k``: same profile.

A profile that cannot fit ``k`` workshops even with every field withheld (a
cluster of fewer than ``k`` workshops, or a member that works on a process
fewer than ``k`` workshops do) shows only the fields every workshop of the
cluster shares, and its ``matches`` says how many workshops it fits.

What the count does not cover, by design:

- *the order itself*: a shortlisted workshop makes the order's product, meets
  its minimum quality, is in its territories and formal when the order asks; a
  lead firm knows this of every workshop it is shown, and the count does not
  narrow itself to the eligible ones;
- *a group member's allocations* (units and minutes of each process): they
  are the order's work shared out, not characterisation of the workshop. The
  processes they name are always among those the workshop is counted as
  doing (``works_on``), so a withheld ``processes`` field still fits only
  workshops that do them; the minutes say only that the workshop has at
  least that much time free;
- *free minutes, capacity and reliability* of a shortlist entry: figures of
  the workshop's calendar and delivery record, not fields anyone outside the
  cluster could know; they are not coarsened;
- *two profiles put together*: references are per shortlist, but a workshop
  shown in two shortlists (orders of other processes, products or due dates)
  may be coarsened in two ways, and a reader who could tell it is the same
  workshop (its free minutes per week, say) could narrow it down by both.
  Each profile fits ``k`` workshops; their intersection is not counted.

Examples
--------
>>> from matcher.model import Cluster, Order, RoutingStep, Workshop
>>> ws = [Workshop(f"W{i}", "Norte", 3, ("tee",), ("sewing",), quality=3) for i in range(5)]
>>> ws.append(Workshop("W5", "Sur", 12, ("tee",), ("sewing", "cutting"), quality=4))
>>> c = Cluster(tuple(ws))
>>> order = Order("O1", "tee", 100, 2.0, processes=(RoutingStep("sewing", 5.0),))
>>> p = anonymous_profile(c, order, "W0")
>>> p.territory, p.quality, p.matches, p.withheld
('Norte', (3, 3), 5, ())
>>> p = anonymous_profile(c, order, "W5")  # the only one in Sur, of 12 workers, of quality 4
>>> p.territory, p.size_band, p.quality, p.matches, p.withheld
(None, None, (3, 4), 6, ('territory', 'size_band'))
>>> anonymous_profile(c, order, "W5", k=1).territory
'Sur'
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.errors import InvalidOptionError
from matcher.messages import Message
from matcher.model import Cluster, Order, Workshop

__all__ = [
    "COARSENING",
    "DEFAULT_K",
    "FIELDS",
    "QUALITY_BANDS",
    "AnonymousProfile",
    "anonymous_profile",
    "check_k",
    "count_fitting",
    "quality_band",
]

#: Fewest workshops of the cluster every profile shown to a lead firm fits.
DEFAULT_K = 5
#: The fields of a profile, in the order they are shown.
FIELDS: tuple[str, ...] = (
    "territory",
    "size_band",
    "quality",
    "formal",
    "processes",
    "main_product",
    "leader",
)
TOP_QUALITY = 5
#: The quality bands, lowest first: a quality coarsened once is shown as its band.
QUALITY_BANDS: tuple[tuple[int, int], ...] = ((1, 2), (3, 4), (5, 5))
#: The steps of coarsening, in the order they are taken until a profile fits ``k``
#: workshops: ``(field, level)``, a level being ``band`` or ``minimum`` (quality:
#: from the order's minimum to 5) or ``withheld``. Each step keeps the ones before it.
COARSENING: tuple[tuple[str, str], ...] = (
    ("quality", "band"),
    ("size_band", "withheld"),
    ("formal", "withheld"),
    ("processes", "withheld"),
    ("main_product", "withheld"),
    ("quality", "minimum"),
    ("quality", "withheld"),
    ("territory", "withheld"),
    ("leader", "withheld"),
)


def check_k(k: object) -> int:
    """``k`` when it is a whole number >= 1; else :class:`~matcher.errors.InvalidOptionError`.

    Examples
    --------
    >>> check_k(5)
    5
    >>> check_k(0)
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: k must be a whole number >= 1, got 0
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise InvalidOptionError(
            messages=[Message("option.at_least", {"name": "k", "low": 1, "got": repr(k)})]
        )
    return k


def quality_band(quality: int) -> tuple[int, int]:
    """The band of :data:`QUALITY_BANDS` a quality level falls in.

    Examples
    --------
    >>> quality_band(1), quality_band(4), quality_band(5)
    ((1, 2), (3, 4), (5, 5))
    """
    return next(band for band in QUALITY_BANDS if band[0] <= quality <= band[1])


@dataclass(frozen=True)
class AnonymousProfile:
    """A workshop as a lead firm is shown it for one order (``None``: withheld).

    ``quality`` is a range ``(low, high)``, one level when ``low == high``;
    ``processes`` are the order's processes the workshop does; ``main_product``
    says whether its main product is the order's; ``leader`` is True for a
    group's leader, False for another member or a single. ``withheld`` names
    the fields withheld, ``coarsened`` those shown less precisely than they
    are (withheld ones included); ``matches`` is how many workshops of the
    cluster fit the profile (for coordinators and checks: a count of small
    cells, never shown to a lead firm).
    """

    territory: str | None
    size_band: str | None
    quality: tuple[int, int] | None
    formal: bool | None
    processes: tuple[str, ...] | None
    main_product: bool | None
    leader: bool | None
    matches: int
    withheld: tuple[str, ...] = ()
    coarsened: tuple[str, ...] = ()
    #: Processes named by the workshop's allocations: every fitting workshop does them.
    works_on: tuple[str, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values; the quality as ``{"low": ..., "high": ...}``.

        Examples
        --------
        >>> p = AnonymousProfile("Norte", None, (3, 4), False, ("sewing",), True, False, 7,
        ...                      withheld=("size_band",), coarsened=("quality", "size_band"))
        >>> p.to_dict()
        {'territory': 'Norte', 'size_band': None, 'quality': {'low': 3, 'high': 4}, 'formal': False, \
'processes': ['sewing'], 'main_product': True, 'leader': False, 'withheld': ['size_band']}
        """
        quality = None if self.quality is None else {"low": self.quality[0], "high": self.quality[1]}
        return {
            "territory": self.territory,
            "size_band": self.size_band,
            "quality": quality,
            "formal": self.formal,
            "processes": None if self.processes is None else list(self.processes),
            "main_product": self.main_product,
            "leader": self.leader,
            "withheld": list(self.withheld),
        }


@dataclass(frozen=True, eq=False)
class _Masks:
    """Per value of each field, the cluster's workshops that have it, as the bits of an int.

    Counting the workshops that fit a profile is then an AND of a few ints and a
    bit count, whatever the cluster's size.
    """

    everyone: int
    territory: Mapping[str, int]
    size_band: Mapping[str, int]
    quality: Mapping[int, int]
    formal: Mapping[bool, int]
    does: Mapping[str, int]
    main_product: Mapping[str, int]
    can_lead: int
    position: Mapping[str, int]


# A Cluster is immutable and hashes by identity: its masks are good for as long as
# it lives, and go with it.
_MASKS: weakref.WeakKeyDictionary[Cluster, _Masks] = weakref.WeakKeyDictionary()
_MASKS_LOCK = threading.Lock()


def _masks(cluster: Cluster) -> _Masks:
    with _MASKS_LOCK:
        masks = _MASKS.get(cluster)
        if masks is None:
            by: dict[str, defaultdict[Any, int]] = {name: defaultdict(int) for name in _Masks.__annotations__}
            can_lead = 0
            for i, w in enumerate(cluster.workshops):
                bit = 1 << i
                by["territory"][w.territory] |= bit
                by["size_band"][w.size_band] |= bit
                by["quality"][w.quality] |= bit
                by["formal"][bool(w.formal)] |= bit
                for process in set(w.processes):
                    by["does"][process] |= bit
                if w.products:
                    by["main_product"][w.products[0]] |= bit
                if w.can_lead:
                    can_lead |= bit
            masks = _Masks(
                everyone=(1 << len(cluster.workshops)) - 1,
                territory=dict(by["territory"]),
                size_band=dict(by["size_band"]),
                quality=dict(by["quality"]),
                formal=dict(by["formal"]),
                does=dict(by["does"]),
                main_product=dict(by["main_product"]),
                can_lead=can_lead,
                position={w.workshop_id: i for i, w in enumerate(cluster.workshops)},
            )
            _MASKS[cluster] = masks
    return masks


def _steps(order: Order, cluster: Cluster) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.process for s in cluster.routing_of(order)))


def count_fitting(cluster: Cluster, order: Order, profile: AnonymousProfile) -> int:
    """How many workshops of the cluster fit ``profile`` (shown for ``order``) on every field shown.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> c = Cluster((Workshop("A", "N", 2, ("tee",), ("sewing",), quality=2),
    ...              Workshop("B", "N", 2, ("tee",), ("sewing", "cutting"), quality=1),
    ...              Workshop("C", "S", 2, ("polo",), ("sewing",), quality=3)))
    >>> o = Order("O", "tee", 10, 1.0, processes=(RoutingStep("sewing", 1.0),))
    >>> p = AnonymousProfile(None, "micro", (1, 2), None, ("sewing",), True, False, 0)
    >>> count_fitting(c, o, p)  # A and B: micro, quality 1-2, sew, mainly tees
    2
    """
    fields = {name: getattr(profile, name) for name in FIELDS}
    return _fit(_masks(cluster), _steps(order, cluster), order.product, fields, profile.works_on)


def _fit(
    masks: _Masks, steps: tuple[str, ...], product: str, fields: Mapping[str, Any], works_on: Iterable[str]
) -> int:
    """:func:`count_fitting` on the fields of a profile, as a mapping."""
    fit = masks.everyone
    if fields["territory"] is not None:
        fit &= masks.territory.get(fields["territory"], 0)
    if fields["size_band"] is not None:
        fit &= masks.size_band.get(fields["size_band"], 0)
    if fields["quality"] is not None:
        low, high = fields["quality"]
        band = 0
        for q in range(low, high + 1):
            band |= masks.quality.get(q, 0)
        fit &= band
    if fields["formal"] is not None:
        fit &= masks.formal.get(fields["formal"], 0)
    if fields["processes"] is not None:
        shown = set(fields["processes"])
        for process in steps:
            does = masks.does.get(process, 0)
            fit &= does if process in shown else masks.everyone & ~does
    for process in works_on:
        fit &= masks.does.get(process, 0)
    if fields["main_product"] is not None:
        mains = masks.main_product.get(product, 0)
        fit &= mains if fields["main_product"] else masks.everyone & ~mains
    if fields["leader"]:
        fit &= masks.can_lead
    return fit.bit_count()


def _exact(workshop: Workshop, order: Order, steps: tuple[str, ...], leader: bool) -> dict[str, Any]:
    """The fields of ``workshop`` for ``order``, exact."""
    return {
        "territory": workshop.territory,
        "size_band": workshop.size_band,
        "quality": (workshop.quality, workshop.quality),
        "formal": bool(workshop.formal),
        "processes": tuple(p for p in steps if p in workshop.processes),
        "main_product": bool(workshop.products) and workshop.products[0] == order.product,
        "leader": leader,
    }


def _shown(exact: Mapping[str, Any], order: Order, levels: Mapping[str, str]) -> dict[str, Any]:
    """The fields at the given levels (``exact`` when not named)."""
    values = {name: None if levels.get(name) == "withheld" else exact[name] for name in FIELDS}
    quality = exact["quality"][0]
    level = levels.get("quality")
    if level == "band":
        values["quality"] = quality_band(quality)
    elif level == "minimum":
        values["quality"] = (min(order.min_quality, quality), TOP_QUALITY)
        if values["quality"] == (1, TOP_QUALITY):
            values["quality"] = None  # every level: says nothing
    return values


def anonymous_profile(
    cluster: Cluster,
    order: Order,
    workshop_id: str,
    *,
    k: int = DEFAULT_K,
    leader: bool = False,
    works_on: Iterable[str] = (),
) -> AnonymousProfile:
    """The profile of a workshop a lead firm may see for ``order``: coarsened until it fits ``k`` workshops.

    Parameters
    ----------
    cluster : Cluster
        The cluster the workshops are counted in (all of them).
    order : Order
        The order the workshop is shown for (of the cluster, or described): its
        processes (its routing) and product are those the profile speaks of.
    workshop_id : str
    k : int
        Fewest workshops the profile must fit, >= 1 (1: the exact profile).
    leader : bool
        Whether the workshop is shown as its group's leader.
    works_on : iterable of str
        Processes the workshop is shown working on (its allocations): every
        workshop counted does them.

    Returns
    -------
    AnonymousProfile
        The fields after the steps of :data:`COARSENING` it needed, and how
        many workshops fit it (fewer than ``k`` only when even a profile with
        every field withheld does: then it shows only what every workshop of
        the cluster shares).

    Examples
    --------
    Five workshops share W0's profile; W5 is the only one in its territory, of
    its size, quality and processes:

    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> ws = [Workshop(f"W{i}", "Norte", 3, ("tee",), ("sewing",), quality=3) for i in range(5)]
    >>> ws.append(Workshop("W5", "Sur", 12, ("tee",), ("sewing", "cutting"), quality=4))
    >>> c = Cluster(tuple(ws))
    >>> order = Order("O1", "tee", 100, 2.0, processes=(RoutingStep("sewing", 5.0),))
    >>> anonymous_profile(c, order, "W0").coarsened
    ()

    Quality 3-4 fits W0-W5, but Sur and 12 workers fit W5 alone: both are
    withheld, the band stays (the undone steps put back the formality, the
    processes and the main product, which all six share):

    >>> p = anonymous_profile(c, order, "W5", k=2)
    >>> p.withheld, p.coarsened, p.quality, p.matches
    (('territory', 'size_band'), ('territory', 'size_band', 'quality'), (3, 4), 6)
    """
    check_k(k)
    masks, steps = _masks(cluster), _steps(order, cluster)
    exact = _exact(cluster.workshop(workshop_id), order, steps, leader)
    works_on = tuple(sorted(set(works_on)))
    steps_taken: list[tuple[str, str]] = []

    def fitted(taken: list[tuple[str, str]]) -> tuple[dict[str, Any], int]:
        # A field is at its coarsest level taken: each field's steps come finest first.
        values = _shown(exact, order, dict(taken))
        return values, _fit(masks, steps, order.product, values, works_on)

    values, fitting = fitted(steps_taken)
    for step in COARSENING:
        if fitting >= k:
            break
        if step[0] == "leader" and not leader:
            continue
        steps_taken.append(step)
        values, fitting = fitted(steps_taken)
    # Then every step the profile does not need is undone, the last taken first. A
    # profile that cannot fit k shows only what every workshop of the cluster shares.
    everyone = len(cluster.workshops)
    for step in reversed(list(steps_taken)):
        fewer = [s for s in steps_taken if s != step]
        values_fewer, fitting_fewer = fitted(fewer)
        if fitting >= k:
            undo = fitting_fewer >= k
        else:
            undo = _fit(masks, steps, order.product, values_fewer, ()) == everyone
        if undo:
            steps_taken, values, fitting = fewer, values_fewer, fitting_fewer
    levels = dict(steps_taken)
    withheld = tuple(name for name in FIELDS if values[name] is None)
    coarsened = tuple(name for name in FIELDS if name in levels)
    return AnonymousProfile(
        **values, matches=fitting, withheld=withheld, coarsened=coarsened, works_on=works_on
    )

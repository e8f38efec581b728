"""The shape of a shortlist's JSON form, key by key, as ``TypedDict`` classes.

:meth:`matcher.optimize.shortlist.Shortlist.to_dict`
(what ``matcher shortlist --json`` prints) returns a :class:`ShortlistDict`,
with a :class:`ShortlistEntryDict` per single and per group. They are plain
dicts at run time; these classes say which keys they have and what each
holds, and a test keeps them exactly in step with what ``to_dict`` returns.
What the score's parts mean and how profiles are anonymized is told in
:mod:`matcher.optimize.shortlist` and :mod:`matcher.privacy`.

Examples
--------
>>> band: QualityBand = {"low": 3, "high": 4}
>>> sorted(QualityBand.__required_keys__) == sorted(band)
True
"""

# No ``from __future__ import annotations``: on Python 3.11 a TypedDict then
# reads NotRequired[...] as required (its keys are computed from the strings).
from typing import NotRequired, TypedDict

from matcher.optimize.schema import AllocationDict, MessageDict

__all__ = [
    "AnonymityDict",
    "ProfileDict",
    "QualityBand",
    "ScoreDict",
    "ShortlistDict",
    "ShortlistEntryDict",
    "ShortlistOrderDict",
    "ShortlistSearchDict",
]


class ShortlistOrderDict(TypedDict):
    """``order``: the order shortlisted for."""

    order_id: str
    """The order's id (one of the cluster's, or the id given to a described order)."""
    described: bool
    """Whether a lead firm described the order (it is not one of the cluster's)."""
    product: str
    """The product code."""
    quantity: int
    """Units ordered."""
    due_weeks: float
    """Weeks until the order is due."""
    min_quality: int
    """The lowest quality level accepted (1 to 5)."""
    max_group_size: int | None
    """The most members a group may have (None: no cap of its own)."""
    territories: list[str]
    """Territories the workshops must be in (empty: any)."""
    require_formal: bool
    """Whether only formal workshops may take part."""


class AnonymityDict(TypedDict):
    """``anonymity``: how anonymous the profiles are."""

    k: int
    """Every member's profile fits at least this many workshops of the cluster."""


class ScoreDict(TypedDict):
    """An entry's ``score``, in parts each in [0, 1] (:class:`~matcher.optimize.shortlist.Score`)."""

    capability: float
    """Main product and share of the order's processes the members do."""
    capacity: float
    """Share of the members' free minutes by the due date the order leaves spare."""
    quality_margin: float
    """How far the lowest member quality is above the order's minimum."""
    reliability: float | None
    """Share of past orders delivered on time and at the quality asked (None: unknown)."""
    cohesion: float | None
    """How ties join the group's members (None for a single)."""
    total: float
    """Weighted mean of the known parts (weights: ``score_weights``)."""


class QualityBand(TypedDict):
    """A member's ``quality``, a range of levels (one level when ``low == high``)."""

    low: int
    """The lowest level of the range."""
    high: int
    """The highest level of the range."""


class ProfileDict(TypedDict):
    """A member as a lead firm sees it (:class:`~matcher.optimize.shortlist.Profile`); ``None``: withheld."""

    ref: str
    """Opaque reference of the member (``S1``, ``G1-a``)."""
    workshop_id: NotRequired[str]
    """The workshop (only with ``reveal_ids=True``)."""
    matches: NotRequired[int]
    """How many workshops of the cluster fit the profile (only with ``reveal_ids=True``)."""
    territory: str | None
    """Its territory."""
    size_band: str | None
    """``micro`` (1–4 workers), ``small`` (5–10) or ``medium`` (11+)."""
    quality: QualityBand | None
    """Its quality, as a level or a band."""
    formal: bool | None
    """Whether it is a formal business."""
    processes: list[str] | None
    """The order's processes it does."""
    main_product: bool | None
    """Whether its main product is the order's."""
    leader: bool | None
    """Whether it leads its group (False for a single)."""
    withheld: list[str]
    """The fields withheld to keep the profile anonymous."""
    allocations: list[AllocationDict]
    """Its share of the order's work (a group member's; empty for a single)."""


class ShortlistEntryDict(TypedDict):
    """An entry of ``singles`` or ``groups`` (:class:`~matcher.optimize.shortlist.ShortlistEntry`)."""

    ref: str
    """Opaque reference of the entry (``S1``, ``G1``)."""
    kind: str
    """``single`` or ``group``."""
    size: int
    """Members of the entry (1 for a single)."""
    score: ScoreDict
    """Its score, in parts and in total."""
    free_minutes: float
    """Minutes the members have free by the due date."""
    needed_minutes: float
    """Minutes the order needs."""
    members: list[ProfileDict]
    """Its members' profiles."""
    why: list[str]
    """Why it fits, in English, naming members by reference only."""
    why_messages: list[MessageDict]
    """The same sentences as keys and arguments."""


class ShortlistSearchDict(TypedDict):
    """``search``: how the search for groups went."""

    solver: str
    """The solver used."""
    candidates: int | None
    """Workshops the group search ran on (None when fewer than ``k``)."""
    eligible: int | None
    """Eligible workshops that cannot take the order alone (None when fewer than ``k``)."""
    all_optimal: bool
    """Whether every group was proved the best one left when it was found."""
    stopped: str
    """Why the search ended: ``top``, ``no_more_groups`` or ``time_limit``."""
    groups_found: int
    """Groups found (0 when none may be shown)."""
    seconds: float
    """Seconds the whole shortlist took."""
    time_limit: float
    """Seconds the search for groups could take."""


class ShortlistDict(TypedDict):
    """What :meth:`matcher.optimize.shortlist.Shortlist.to_dict` returns."""

    order: ShortlistOrderDict
    """The order shortlisted for."""
    score_weights: dict[str, float]
    """Weight of each part of the score in the total, by part name."""
    anonymity: AnonymityDict
    """How anonymous the profiles are."""
    singles: list[ShortlistEntryDict]
    """Single workshops that can take the whole order, best first."""
    groups: list[ShortlistEntryDict]
    """Groups of two or more that can take the whole order together, best first."""
    search: ShortlistSearchDict
    """How the search for groups went."""
    notes: list[str]
    """What the reader should know, in English."""
    note_messages: list[MessageDict]
    """The same sentences as keys and arguments."""

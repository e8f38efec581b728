"""Shortlists' answers: the anonymized form a lead firm receives.

These models are a whitelist: pydantic drops every field they do not name, so
an identifying field added to the library's dict later never reaches a firm.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = [
    "AllocationOut",
    "AnonymityOut",
    "EntryOut",
    "MemberOut",
    "MessageOut",
    "OrderOut",
    "QualityOut",
    "ScoreOut",
    "SearchOut",
    "ShortlistBody",
    "ShortlistOut",
    "ShortlistSummary",
    "ShortlistWithRefs",
]


class AllocationOut(BaseModel):
    process: str
    units: int
    minutes: float


class QualityOut(BaseModel):
    """A quality level (``low == high``) or a band of levels."""

    low: int
    high: int


class MemberOut(BaseModel):
    """A workshop as a lead firm sees it: an opaque reference and a profile that fits ``k`` workshops.

    A field is ``null`` when withheld (named in ``withheld``); see :mod:`matcher.privacy`.
    """

    ref: str
    territory: str | None
    size_band: str | None
    quality: QualityOut | None
    formal: bool | None
    processes: list[str] | None
    main_product: bool | None
    leader: bool | None = False
    withheld: list[str] = []
    allocations: list[AllocationOut] = []


class ScoreOut(BaseModel):
    capability: float | None = None
    capacity: float | None = None
    quality_margin: float | None = None
    reliability: float | None = None
    cohesion: float | None = None
    total: float


class MessageOut(BaseModel):
    """A sentence as a message key and its values, for pages that show it in the reader's language."""

    key: str
    args: dict[str, Any] = {}


class EntryOut(BaseModel):
    """One single workshop or group that can take the order."""

    ref: str
    kind: str
    size: int
    score: ScoreOut
    free_minutes: float
    needed_minutes: float
    members: list[MemberOut]
    why: list[str] = []
    why_messages: list[MessageOut] = []


class OrderOut(BaseModel):
    order_id: str
    described: bool
    product: str
    quantity: int
    due_weeks: float
    min_quality: int
    max_group_size: int | None
    territories: list[str]
    require_formal: bool


class SearchOut(BaseModel):
    """How the search for groups went (``stopped``: top, no_more_groups or time_limit)."""

    solver: str | None = None
    candidates: int | None = None
    all_optimal: bool | None = None
    stopped: str | None = None
    groups_found: int | None = None
    seconds: float | None = None
    time_limit: float | None = None


class AnonymityOut(BaseModel):
    """How anonymous the profiles are: each fits at least ``k`` workshops of the cluster."""

    k: int


class ShortlistBody(BaseModel):
    """The anonymized shortlist: no id, name, contact or location; each profile fits ``k`` workshops."""

    top: int
    order: OrderOut
    score_weights: dict[str, float]
    anonymity: AnonymityOut
    singles: list[EntryOut]
    groups: list[EntryOut]
    search: SearchOut
    notes: list[str] = []
    note_messages: list[MessageOut] = []


class ShortlistOut(ShortlistBody):
    """A stored shortlist as a lead firm sees it."""

    model_config = ConfigDict(extra="forbid")

    shortlist_id: str
    data_version: int
    current: bool
    created_at: datetime | None


class ShortlistWithRefs(ShortlistOut):
    """A stored shortlist as a coordinator or admin sees it: with the workshops behind each reference."""

    refs: dict[str, list[str]]


class ShortlistSummary(BaseModel):
    shortlist_id: str
    order_id: str
    top: int
    data_version: int
    current: bool
    singles: int
    groups: int
    created_at: datetime | None

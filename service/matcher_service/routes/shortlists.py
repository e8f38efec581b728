"""Shortlists for lead firms: who could take an order, anonymized.

A shortlist is computed by :func:`matcher.optimize.shortlist.shortlist` on the
cached snapshot of the database and stored: the anonymized body (what
:meth:`~matcher.optimize.shortlist.Shortlist.to_dict` gives, passed through the
response models below, which keep only the fields they name) and, apart, the
references → workshop ids. A lead firm never receives the references' workshop
ids; coordinators (for the workshops of their territories) and admins do (``refs``).
Who may shortlist an order or read its shortlists: the lead firm of the order, and
coordinators in the order's scope (:func:`matcher_service.policy.readable_order`). Asking again for the
same order, ``top``, data version and anonymity returns the stored shortlist: same input, same output.

Every member profile fits at least ``k`` workshops of the cluster (the setting
``MATCHER_K_ANONYMITY``, default 5; :mod:`matcher.privacy`): fields that would
single a workshop out come coarsened or withheld (``null``, named in ``withheld``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.optimize.options import MatchOptions
from matcher.optimize.shortlist import shortlist as compute_shortlist
from matcher_service.auth import allow, current, get_session
from matcher_service.db import data_version
from matcher_service.errors import Conflict
from matcher_service.language import Language
from matcher_service.models import ShortlistRow, WorkshopRow
from matcher_service.policy import readable_order, readable_shortlist
from matcher_service.reading import for_people
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route
from matcher_service.store import Page, Paging, audit, commit, location, page_of

__all__ = [
    "ShortlistBody",
    "ShortlistOut",
    "ShortlistWithRefs",
    "anonymized",
    "readable_shortlist",
    "router",
    "shortlist_key",
]

router = APIRouter(route_class=Route, tags=["shortlists"])

MAX_TOP = 50


# ---------------------------------------------------------------- the anonymized form
# These models are a whitelist: pydantic drops every field they do not name, so
# an identifying field added to the library's dict later never reaches a firm.


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


def anonymized(result: Any, top: int) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The stored body (anonymized, JSON-ready) and the refs → workshop ids of a library shortlist."""
    body = ShortlistBody.model_validate({"top": top, **result.to_dict()}).model_dump(mode="json")
    refs: dict[str, list[str]] = {}
    for entry in (*result.singles, *result.groups):
        refs[entry.ref] = list(entry.workshop_ids)
        if entry.kind == "group":
            for member in entry.members:
                refs[member.ref] = [member.workshop_id]
    return body, refs


# ---------------------------------------------------------------- scope


def _visible_refs(principal: Principal, session: Session, refs: dict[str, list[str]]) -> dict[str, list[str]]:
    """The refs → workshop ids a coordinator may see: only workshops of its territories (admins: all).

    An order open to every territory shortlists workshops a coordinator does
    not coordinate; their ids stay hidden from it.
    """
    if principal.is_admin:
        return refs
    ids = {w for members in refs.values() for w in members}
    territory = dict(
        session.execute(
            select(WorkshopRow.workshop_id, WorkshopRow.territory).where(WorkshopRow.workshop_id.in_(ids))
        ).all()
    )
    visible = {}
    for ref, members in refs.items():
        shown = [w for w in members if principal.sees_territory(territory.get(w))]
        if shown:
            visible[ref] = shown
    return visible


def _out(
    principal: Principal, session: Session, row: ShortlistRow, current_version: int, lang: str = "en"
) -> dict[str, Any]:
    """The answer for the caller, as a dict: figures rounded for people, sentences in ``lang``
    (:mod:`matcher_service.reading`).

    A dict, not a model: the response union then validates it as the one model
    it fits (a coordinator's has ``refs``, which :class:`ShortlistOut` forbids).
    """
    fields = {
        **for_people(row.body, lang),
        "shortlist_id": row.shortlist_id,
        "data_version": row.data_version,
        "current": row.data_version == current_version,
        "created_at": row.created_at,
    }
    if principal.is_admin or principal.role == COORDINATOR:
        return ShortlistWithRefs(**fields, refs=_visible_refs(principal, session, row.refs)).model_dump()
    return ShortlistOut(**fields).model_dump()


def _summary(current_version: int):
    def convert(row: ShortlistRow) -> ShortlistSummary:
        return ShortlistSummary(
            shortlist_id=row.shortlist_id,
            order_id=row.order_id,
            top=row.body["top"],
            data_version=row.data_version,
            current=row.data_version == current_version,
            singles=len(row.body["singles"]),
            groups=len(row.body["groups"]),
            created_at=row.created_at,
        )

    return convert


def shortlist_key(order_id: str, top: int, version: int, k: int) -> str:
    """The id of an order's shortlist for ``top``, a data version and anonymity ``k`` (same input, same id).

    Examples
    --------
    >>> shortlist_key("O1", 5, 3, 5) == shortlist_key("O1", 5, 3, 5) != shortlist_key("O1", 5, 4, 5)
    True
    >>> shortlist_key("O1", 5, 3, 5) != shortlist_key("O1", 5, 3, 10)
    True
    """
    digest = hashlib.sha256(f"{order_id}\n{top}\n{version}\nk={k}".encode()).hexdigest()
    return f"sl-{digest[:20]}"


# ---------------------------------------------------------------- routes

Answer = ShortlistWithRefs | ShortlistOut


@router.post(
    "/orders/{order_id}/shortlists", response_model=Answer, status_code=201, **allow(LEAD_FIRM, COORDINATOR)
)
def create_shortlist(
    order_id: str,
    request: Request,
    response: Response,
    lang: Language,
    top: int = Query(5, ge=1, le=MAX_TOP, description="At most this many singles and this many groups."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    """Shortlist single workshops and ready groups that could take an order (anonymized).

    Lead firms shortlist their own orders; coordinators orders of their
    territories. The search for groups is bounded by the server's shortlist
    time limit with a fixed seed; every profile fits at least
    ``MATCHER_K_ANONYMITY`` workshops. Asked again for the same order and ``top``
    while the data (and that setting) is unchanged, the stored shortlist is
    returned (200) instead of a new one (201). Coordinators and admins also get
    ``refs``: the workshops behind each reference.
    """
    order = readable_order(principal, session, order_id)
    version, cluster = request.app.state.snapshots.get(session)
    k = request.app.state.settings.k_anonymity
    key = shortlist_key(order.order_id, top, version, k)
    response.headers["Location"] = location("/shortlists", key)
    found = session.get(ShortlistRow, key)
    if found is not None:
        response.status_code = 200
        return _out(principal, session, found, version, lang)
    options = MatchOptions(time_limit=request.app.state.settings.shortlist_seconds, seed=0)
    result = compute_shortlist(cluster, order.order_id, top=top, options=options, k=k)
    body, refs = anonymized(result, top)
    row = ShortlistRow(
        shortlist_id=key,
        order_id=order.order_id,
        firm_id=order.firm_id,
        body=body,
        refs=refs,
        data_version=version,
        created_by=principal.user_id,
    )
    session.add(row)
    audit(
        session, principal, "create", "shortlist", key, {"order_id": order.order_id, "top": top}, data=False
    )
    try:
        commit(session, what="the shortlist")
    except Conflict:
        # Someone stored the same shortlist meanwhile: it is the answer.
        found = session.get(ShortlistRow, key)
        if found is None:
            raise
        response.status_code = 200
        return _out(principal, session, found, version, lang)
    return _out(principal, session, row, version, lang)


@router.get("/shortlists/{shortlist_id}", response_model=Answer, **allow(LEAD_FIRM, COORDINATOR))
def get_shortlist(
    shortlist_id: str,
    lang: Language,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    """One stored shortlist; ``current`` says whether the data changed since it was computed."""
    row = readable_shortlist(principal, session, shortlist_id)
    return _out(principal, session, row, data_version(session), lang)


@router.get(
    "/orders/{order_id}/shortlists", response_model=Page[ShortlistSummary], **allow(LEAD_FIRM, COORDINATOR)
)
def list_shortlists(
    order_id: str,
    page: Paging,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[ShortlistSummary]:
    """The stored shortlists of an order, newest first (by data version, then by time made)."""
    order = readable_order(principal, session, order_id)
    query = select(ShortlistRow).where(ShortlistRow.order_id == order.order_id)
    if principal.role == LEAD_FIRM:
        query = query.where(ShortlistRow.firm_id == principal.firm_id)
    return page_of(
        session,
        query,
        page,
        _summary(data_version(session)),
        [ShortlistRow.data_version.desc(), ShortlistRow.created_at.desc(), ShortlistRow.shortlist_id],
    )

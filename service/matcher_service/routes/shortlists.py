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
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher.optimize.options import MatchOptions
from matcher.optimize.shortlist import shortlist as compute_shortlist
from matcher_service.auth import allow
from matcher_service.crud.shortlists import shortlist_page, territories_of
from matcher_service.db import data_version
from matcher_service.deps import CurrentPrincipal, Language, Paging, SessionDep, SettingsDep
from matcher_service.errors import Conflict
from matcher_service.models import ShortlistRow
from matcher_service.policy import readable_order, readable_shortlist
from matcher_service.reading import for_people
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route
from matcher_service.schemas.shortlists import (
    ShortlistBody,
    ShortlistOut,
    ShortlistSummary,
    ShortlistWithRefs,
)
from matcher_service.store import Page, audit, commit, location

__all__ = ["anonymized", "readable_shortlist", "router", "shortlist_key"]

router = APIRouter(route_class=Route, tags=["shortlists"])

MAX_TOP = 50


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
    territory = territories_of(session, ids)
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
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    top: Annotated[
        int, Query(ge=1, le=MAX_TOP, description="At most this many singles and this many groups.")
    ] = 5,
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
    k = settings.k_anonymity
    key = shortlist_key(order.order_id, top, version, k)
    response.headers["Location"] = location("/shortlists", key)
    found = session.get(ShortlistRow, key)
    if found is not None:
        response.status_code = 200
        return _out(principal, session, found, version, lang)
    options = MatchOptions(time_limit=settings.shortlist_seconds, seed=0)
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
    principal: CurrentPrincipal,
    session: SessionDep,
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
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Page[ShortlistSummary]:
    """The stored shortlists of an order, newest first (by data version, then by time made)."""
    order = readable_order(principal, session, order_id)
    return shortlist_page(session, principal, order.order_id, page, data_version(session))

"""Who may see what: the scope rules the routes share.

Each rule answers for one caller (:class:`~matcher_service.roles.Principal`): an
order, a shortlist or a workshop outside the caller's scope is answered like
one that does not exist (404), so that its existence is not disclosed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from matcher.model import Cluster, Order
from matcher_service.errors import NotFound
from matcher_service.models import OrderRow, ShortlistRow, WorkshopRow
from matcher_service.roles import ADMIN, COORDINATOR, LEAD_FIRM, LEADER, Principal

__all__ = [
    "order_in_scope",
    "order_reaches",
    "order_visible",
    "readable_order",
    "readable_shortlist",
    "scope_ids",
    "workshop_in_scope",
    "writable_workshop",
]


def order_in_scope(principal: Principal, row_or_order: OrderRow | Order) -> bool:
    """Whether an order is in the caller's scope (coordinators: orders allowed in one of their
    territories, or open to every territory; lead firms: their own)."""
    if principal.is_admin:
        return True
    if principal.role == COORDINATOR:
        territories = row_or_order.territories or ()
        return not territories or principal.sees_any_territory(territories)
    if principal.role == LEAD_FIRM:
        return principal.firm_id is not None and row_or_order.firm_id == principal.firm_id
    return False


def readable_order(principal: Principal, session: Session, order_id: str) -> OrderRow:
    """The order if it is in the caller's scope; 404 otherwise (its existence is not disclosed)."""
    row = session.get(OrderRow, order_id)
    if row is None or not order_in_scope(principal, row):
        raise NotFound("orders.not_found", order_id=order_id)
    return row


def order_visible(principal: Principal, order: Order) -> bool:
    """Whether an order is in the caller's scope: the rule of ``/orders`` (:func:`order_in_scope`)."""
    return principal.role in (ADMIN, COORDINATOR) and order_in_scope(principal, order)


def order_reaches(order: Order, territories: Iterable[str], firm_territory: str | None) -> bool:
    """Whether an order may go to one of ``territories`` (an order naming none: by its firm's)."""
    territories = set(territories)
    if order.territories:
        return any(t in territories for t in order.territories)
    return firm_territory is not None and firm_territory in territories


def scope_ids(principal: Principal, cluster: Cluster) -> list[str] | None:
    """Ids of the workshops the caller may analyse (None: every workshop)."""
    if principal.is_admin:
        return None
    if principal.role == COORDINATOR:
        return [w.workshop_id for w in cluster.workshops if principal.sees_territory(w.territory)]
    if principal.role == LEADER:
        return [w.workshop_id for w in cluster.workshops if principal.is_member(w.organizations)]
    return []


def readable_shortlist(principal: Principal, session: Session, shortlist_id: str) -> ShortlistRow:
    """The shortlist if the caller may read it; 404 otherwise.

    A lead firm reads the shortlists made for it; a coordinator those of the
    orders it may read (the scope of :func:`readable_order`).
    """
    row = session.get(ShortlistRow, shortlist_id)
    if row is not None:
        if principal.role == LEAD_FIRM:
            if principal.firm_id is not None and row.firm_id == principal.firm_id:
                return row
        else:
            try:
                readable_order(principal, session, row.order_id)
            except NotFound:
                pass
            else:
                return row
    raise NotFound("shortlists.not_found", shortlist_id=shortlist_id)


def workshop_in_scope(principal: Principal, row: WorkshopRow) -> bool:
    """Coordinators read their territories, association leaders their members."""
    if principal.is_admin:
        return True
    if principal.role == COORDINATOR:
        return principal.sees_territory(row.territory)
    if principal.role == LEADER:
        return principal.is_member(row.organizations or ())
    return False


def writable_workshop(principal: Principal, session: Session, workshop_id: str) -> WorkshopRow:
    """The workshop if the caller may change it (admin, or a coordinator of its territory)."""
    row = session.get(WorkshopRow, workshop_id)
    if row is None or not (
        principal.is_admin or (principal.role == COORDINATOR and workshop_in_scope(principal, row))
    ):
        raise NotFound("workshops.not_found", workshop_id=workshop_id)
    return row

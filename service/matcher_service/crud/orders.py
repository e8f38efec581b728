"""Orders' queries: answers, the orders that may go to some territories, pages in the caller's scope."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, cast, exists, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from matcher_service.convert import order_of
from matcher_service.models import OrderRow
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.schemas.orders import OrderOut, StepOut
from matcher_service.store import Page, PageParams, one_of, page_of, text_array

__all__ = ["allows_any", "order_out", "order_page"]


def order_out(row: OrderRow) -> OrderOut:
    """A stored order's answer."""
    order = order_of(row)
    return OrderOut(
        order_id=order.order_id,
        product=order.product,
        quantity=order.quantity,
        due_weeks=order.due_weeks,
        firm_id=order.firm_id,
        min_quality=order.min_quality,
        max_group_size=order.max_group_size,
        territories=list(order.territories),
        require_formal=order.require_formal,
        processes=[StepOut(process=s.process, minutes_per_unit=s.minutes_per_unit) for s in order.processes],
        extra=dict(order.extra),
        version=row.version,
    )


def allows_any(session: Session, territories: Sequence[str]) -> ColumnElement[bool]:
    """Orders that may go to one of ``territories``: they list one of them, or list none."""
    unrestricted = func.json_array_length(OrderRow.territories) == 0
    if not territories:
        return unrestricted
    if session.get_bind().dialect.name == "postgresql":
        listed = cast(OrderRow.territories, JSONB).has_any(text_array(territories))
    else:
        each = func.json_each(OrderRow.territories).table_valued("value")
        listed = exists(select(each.c.value).where(one_of(session, each.c.value, territories)))
    return or_(unrestricted, listed)


def order_page(
    session: Session,
    principal: Principal,
    page: PageParams,
    *,
    firm_id: str | None = None,
    product: str | None = None,
    territory: str | None = None,
) -> Page[OrderOut]:
    """A page of the orders in the caller's scope that pass the filters, by id."""
    query = select(OrderRow)
    if principal.role == COORDINATOR:
        query = query.where(allows_any(session, principal.territories))
    elif principal.role == LEAD_FIRM:
        query = query.where(OrderRow.firm_id == principal.firm_id)
    if firm_id is not None:
        query = query.where(OrderRow.firm_id == firm_id)
    if product is not None:
        query = query.where(OrderRow.product == product)
    if territory is not None:
        query = query.where(allows_any(session, [territory]))
    return page_of(session, query, page, order_out, [OrderRow.order_id], cluster_data=True)

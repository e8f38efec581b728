"""Orders of lead firms: list (filtered, paged), get, create, update, delete — within the caller's scope.

A coordinator sees the orders that may go to one of their territories (the
order lists one of them, or lists none); a lead firm sees and manages its own
orders only. Orders carry no workshop data, so a lead firm's view is the same
as a coordinator's. The rules are those of ``orders.csv`` in the dataset
contract.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher.io import weeks_until
from matcher.model import Order, RoutingStep
from matcher.routing import known_processes
from matcher_service.auth import allow
from matcher_service.convert import order_of, order_row, routings_from_session
from matcher_service.crud.orders import order_out, order_page
from matcher_service.deps import CurrentPrincipal, Paging, SessionDep
from matcher_service.errors import Conflict, Forbidden, Unprocessable, detail
from matcher_service.messages import ApiMessage, said
from matcher_service.models import LeadFirmRow, OrderRow
from matcher_service.policy import order_in_scope, readable_order
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route, kept_per_data_version
from matcher_service.schemas.orders import OrderIn, OrderOut, OrderPatch, StepIn
from matcher_service.store import (
    Page,
    audit,
    check_version,
    commit,
    etag_of,
    idempotent_create,
    location,
    set_etag,
)

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/orders", tags=["orders"])


#: Fields that may be cleared with ``null`` in a PATCH.
NULLABLE = frozenset({"firm_id", "max_group_size"})


def _steps(
    items: Sequence[str | StepIn], routing: Sequence[RoutingStep], processes: frozenset[str], product: str
) -> tuple[tuple[RoutingStep, ...], list[ApiMessage]]:
    """The override's steps with their minutes, and what is wrong with it (as ``orders.csv`` says)."""
    base = {s.process: s.minutes_per_unit for s in routing}
    steps, errors = [], []
    for item in items:
        if isinstance(item, str):
            name, _, minutes_text = (part.strip() for part in item.partition(":"))
            minutes: float | None = None
            if minutes_text:
                try:
                    minutes = float(minutes_text)
                except ValueError:
                    minutes = math.nan
                if not math.isfinite(minutes) or minutes <= 0:
                    errors.append(said("orders.step_minutes", process=name, got=repr(minutes_text)))
                    continue
        else:
            name, minutes = item.process, item.minutes_per_unit
        if name not in processes:
            errors.append(said("orders.unknown_process", process=name))
        elif minutes is None and name not in base:
            errors.append(said("orders.not_in_routing", process=name, product=product))
        else:
            steps.append(RoutingStep(name, base[name] if minutes is None else minutes))
    return tuple(steps), errors


def _due(
    due_weeks: float | None, due_date: date | None, as_of: date | None, *, required: bool
) -> tuple[float | None, list[dict[str, str]]]:
    """An order's weeks from ``due_weeks`` or ``due_date`` (counted from ``as_of``, default today),
    and what is wrong with them as body details."""
    problems: list[tuple[str, ApiMessage]] = []
    weeks = due_weeks
    if due_date is not None:
        start = as_of or date.today()
        if due_weeks is not None:
            problems.append(("due_date", said("orders.both_due")))
        elif due_date <= start:
            problems.append(("due_date", said("orders.due_before", due_date=str(due_date), as_of=str(start))))
        else:
            weeks = weeks_until(due_date, start)
    elif as_of is not None:
        problems.append(("as_of", said("orders.as_of_alone")))
    elif due_weeks is None and required:
        problems.append(("due_weeks", said("orders.no_due")))
    return weeks, [detail(f, m) for f, m in problems]


def _order(
    session: Session, order_id: str, fields: Mapping[str, Any], known: Sequence[dict[str, Any]] = ()
) -> Order:
    """The library's order for validated body fields; every problem with products, firms, steps is 422.

    ``known``: problems found before (with the due date), answered together with these.
    """
    routings = routings_from_session(session)
    problems = []
    product = fields["product"]
    if product not in routings:
        problems.append(said("orders.unknown_product", product=product))
    elif not routings[product]:
        problems.append(said("orders.no_routing", product=product))
    details = [*known, *(detail("product", m) for m in problems)]
    firm_id = fields.get("firm_id")
    if firm_id is not None and session.get(LeadFirmRow, firm_id) is None:
        details.append(detail("firm_id", "users.unknown_firm", firm_id=firm_id))
    steps: tuple[RoutingStep, ...] = ()
    if not problems:
        steps, errors = _steps(
            fields.get("processes") or (), routings[product], known_processes(routings), product
        )
        details.extend(detail("processes", e) for e in errors)
    if details:
        raise Unprocessable(details=details)
    return Order(
        order_id=order_id,
        product=product,
        quantity=fields["quantity"],
        due_weeks=float(fields["due_weeks"]),
        firm_id=firm_id,
        min_quality=fields.get("min_quality", 1),
        max_group_size=fields.get("max_group_size"),
        territories=tuple(dict.fromkeys(t.strip() for t in fields.get("territories") or ())),
        require_formal=fields.get("require_formal", False),
        processes=steps,
        extra=tuple((fields.get("extra") or {}).items()),
    )


def _check_scope(principal: Principal, order: Order) -> None:
    """A coordinator may place orders only where they coordinate (or unrestricted ones)."""
    if principal.role == COORDINATOR and not order_in_scope(principal, order):
        raise Forbidden("orders.outside", territories=list(order.territories))


def _check_firm(principal: Principal, firm_id: str | None) -> None:
    if principal.role == LEAD_FIRM and firm_id != principal.firm_id:
        raise Forbidden("orders.own_firm", firm_id=principal.firm_id)


def _as_body(row: OrderRow) -> dict[str, Any]:
    """The stored order as body fields (steps with their minutes, extra as a dict)."""
    order = order_of(row)
    return {
        "product": order.product,
        "quantity": order.quantity,
        "due_weeks": order.due_weeks,
        "firm_id": order.firm_id,
        "min_quality": order.min_quality,
        "max_group_size": order.max_group_size,
        "territories": list(order.territories),
        "require_formal": order.require_formal,
        "processes": [
            StepIn(process=s.process, minutes_per_unit=s.minutes_per_unit) for s in order.processes
        ],
        "extra": dict(order.extra),
    }


@router.get("", response_model=Page[OrderOut], **allow(COORDINATOR, LEAD_FIRM))
@kept_per_data_version
def list_orders(
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
    firm_id: Annotated[str | None, Query(description="Only orders of this lead firm.")] = None,
    product: Annotated[str | None, Query(description="Only orders of this product.")] = None,
    territory: Annotated[
        str | None,
        Query(description="Only orders that may go to this territory (they list it, or list none)."),
    ] = None,
) -> Page[OrderOut]:
    """Orders in the caller's scope, by id."""
    return order_page(session, principal, page, firm_id=firm_id, product=product, territory=territory)


@router.get("/{order_id}", response_model=OrderOut, **allow(COORDINATOR, LEAD_FIRM))
@kept_per_data_version
def get_order(
    order_id: str,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> OrderOut:
    """One order, with its ETag."""
    row = readable_order(principal, session, order_id)
    set_etag(response, row.order_id, row.version)
    return order_out(row)


@router.post("", response_model=OrderOut, status_code=201, **allow(COORDINATOR, LEAD_FIRM))
def create_order(
    body: OrderIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Add an order (``Idempotency-Key`` honoured).

    The due date is ``due_weeks`` (weeks from now) or ``due_date``, counted
    from ``as_of`` (default: today) and kept as weeks, to a hundredth.
    A lead firm's order is always its own: ``firm_id`` may be left out, and
    another firm's id is refused (403).

    Order ids are shared by the whole cluster: an id taken by any firm cannot
    be used again (409). When the caller can read the order holding it the
    answer says it exists; otherwise it says only that the id cannot be used,
    nothing of the order, its firm or whether it exists.
    """
    fields = body.model_dump(exclude={"processes", "due_date", "as_of"})
    fields["processes"] = body.processes
    fields["due_weeks"], due_problems = _due(body.due_weeks, body.due_date, body.as_of, required=True)
    if principal.role == LEAD_FIRM:
        _check_firm(principal, body.firm_id or principal.firm_id)
        fields["firm_id"] = principal.firm_id
    order = _order(session, body.order_id, fields, due_problems)
    _check_scope(principal, order)

    def create():
        taken = session.get(OrderRow, body.order_id)
        if taken is not None:
            key = "orders.exists" if order_in_scope(principal, taken) else "orders.id_unavailable"
            raise Conflict(key, order_id=body.order_id)
        row = order_row(order)
        session.add(row)
        session.flush()
        audit(
            session,
            principal,
            "create",
            "order",
            row.order_id,
            {**body.model_dump(), "firm_id": order.firm_id},
        )
        return order_out(row), {
            "ETag": etag_of(row.order_id, row.version),
            "Location": location("/orders", row.order_id),
        }

    return idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the order"
    )


@router.patch("/{order_id}", response_model=OrderOut, **allow(COORDINATOR, LEAD_FIRM))
def update_order(
    order_id: str,
    body: OrderPatch,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> OrderOut:
    """Change some fields; needs ``If-Match`` (412 when stale) or ``version`` (409 when stale).

    ``firm_id`` and ``max_group_size`` may be cleared with ``null``; ``due_date``
    (with ``as_of``, default today) may replace ``due_weeks``. Changing the
    product keeps the routing override (each step with its minutes); send
    ``"processes": []`` to follow the new product's routing.
    """
    row = readable_order(principal, session, order_id)
    check_version(request, row.order_id, row.version, body.version)
    changes = {name: getattr(body, name) for name in body.model_fields_set - {"version"}}
    empty = sorted(n for n, v in changes.items() if v is None and n not in NULLABLE)
    if empty:
        details = [detail(n, "invalid.not_null") for n in empty]
        raise Unprocessable("invalid.not_null_fields", fields=empty, details=details)
    weeks, due_problems = _due(
        changes.pop("due_weeks", None),
        changes.pop("due_date", None),
        changes.pop("as_of", None),
        required=False,
    )
    if weeks is not None:
        changes["due_weeks"] = weeks
    if "firm_id" in changes:
        _check_firm(principal, changes["firm_id"])
    order = _order(session, row.order_id, {**_as_body(row), **changes}, due_problems)
    _check_scope(principal, order)
    order_row(order, row)
    audit(session, principal, "update", "order", order_id, body.model_dump(exclude_unset=True))
    commit(session, what=f"order {order_id}")
    set_etag(response, row.order_id, row.version)
    return order_out(row)


@router.delete("/{order_id}", status_code=204, **allow(COORDINATOR, LEAD_FIRM))
def delete_order(
    order_id: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove an order and its shortlists; needs ``If-Match``."""
    row = readable_order(principal, session, order_id)
    check_version(request, row.order_id, row.version)
    session.delete(row)
    audit(session, principal, "delete", "order", order_id)
    commit(session, what=f"order {order_id}")
    return Response(status_code=204)

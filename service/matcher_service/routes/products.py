"""Products an order may name: the routings, and whether the cluster makes each.

An order's product must have a routing (``routings.csv``, else the built-in
catalogue); the order form of the pages offers the products the cluster's
workshops make. Routings and product codes say nothing about any workshop,
so every role that places orders may read them. Whether the cluster makes a
product counts workshops, so a lead firm reads it as a shortlist's small
counts: ``null`` when fewer than ``MATCHER_K_ANONYMITY`` workshops make it
(but at least one).
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from matcher_service.auth import allow, current, get_session
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route

__all__ = ["ProductOut", "router"]

router = APIRouter(route_class=Route, prefix="/products", tags=["orders"])


class RoutingStepOut(BaseModel):
    process: str
    minutes_per_unit: float


class ProductOut(BaseModel):
    """A product with a routing: its processes in order, and whether a workshop of the cluster makes it."""

    product: str
    processes: list[RoutingStepOut]
    made_in_cluster: bool | None = Field(
        description=(
            "Whether a workshop of the cluster makes it; for a lead firm null when fewer than "
            "MATCHER_K_ANONYMITY workshops (but at least one) do."
        )
    )


@router.get("", response_model=list[ProductOut], **allow(COORDINATOR, LEAD_FIRM))
def list_products(
    request: Request, principal: Principal = Depends(current), session: Session = Depends(get_session)
) -> list[ProductOut]:
    """Every product an order may name (one with a routing), by code.

    ``made_in_cluster`` is ``null`` for a lead firm when between 1 and k - 1
    workshops make the product (k = ``MATCHER_K_ANONYMITY``).
    """
    _version, cluster = request.app.state.snapshots.get(session)
    makers = Counter(p for w in cluster.workshops for p in set(w.products))
    k = request.app.state.settings.k_anonymity if principal.role == LEAD_FIRM else 1

    def made(product: str) -> bool | None:
        return None if 0 < makers[product] < k else makers[product] > 0

    return [
        ProductOut(
            product=product,
            processes=[RoutingStepOut(process=s.process, minutes_per_unit=s.minutes_per_unit) for s in steps],
            made_in_cluster=made(product),
        )
        for product, steps in sorted(cluster.routings.items())
        if steps
    ]

"""Products an order may name: the routings, and whether the cluster makes each.

An order's product must have a routing (``routings.csv``, else the built-in
catalogue); the order form of the pages offers the products the cluster's
workshops make. Routings and product codes say nothing about any workshop,
so every role that places orders may read them.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from service.auth import allow, get_session
from service.roles import COORDINATOR, LEAD_FIRM

__all__ = ["ProductOut", "router"]

router = APIRouter(prefix="/products", tags=["orders"])


class RoutingStepOut(BaseModel):
    process: str
    minutes_per_unit: float


class ProductOut(BaseModel):
    """A product with a routing: its processes in order, and whether a workshop of the cluster makes it."""

    product: str
    processes: list[RoutingStepOut]
    made_in_cluster: bool


@router.get("", response_model=list[ProductOut], **allow(COORDINATOR, LEAD_FIRM))
def list_products(request: Request, session: Session = Depends(get_session)) -> list[ProductOut]:
    """Every product an order may name (one with a routing), by code."""
    _version, cluster = request.app.state.snapshots.get(session)
    made = {p for w in cluster.workshops for p in w.products}
    return [
        ProductOut(
            product=product,
            processes=[RoutingStepOut(process=s.process, minutes_per_unit=s.minutes_per_unit) for s in steps],
            made_in_cluster=product in made,
        )
        for product, steps in sorted(cluster.routings.items())
        if steps
    ]

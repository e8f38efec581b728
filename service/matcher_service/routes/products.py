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

from fastapi import APIRouter, Request

from matcher_service.auth import allow
from matcher_service.deps import CurrentPrincipal, SessionDep, SettingsDep
from matcher_service.roles import COORDINATOR, LEAD_FIRM
from matcher_service.route import Route
from matcher_service.schemas.products import ProductOut, RoutingStepOut

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/products", tags=["orders"])


@router.get("", response_model=list[ProductOut], **allow(COORDINATOR, LEAD_FIRM))
def list_products(
    request: Request, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> list[ProductOut]:
    """Every product an order may name (one with a routing), by code.

    ``made_in_cluster`` is ``null`` for a lead firm when between 1 and k - 1
    workshops make the product (k = ``MATCHER_K_ANONYMITY``).
    """
    _version, cluster = request.app.state.snapshots.get(session)
    makers = Counter(p for w in cluster.workshops for p in set(w.products))
    k = settings.k_anonymity if principal.role == LEAD_FIRM else 1

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

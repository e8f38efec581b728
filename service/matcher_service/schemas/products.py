"""Products' answers: each product's routing."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["ProductOut", "RoutingStepOut"]


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

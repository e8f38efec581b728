"""Orders' bodies and answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["OrderIn", "OrderOut", "OrderPatch", "StepIn", "StepOut"]


CODE = {"min_length": 1, "max_length": 128, "pattern": r"^[a-z][a-z0-9_]*$"}


class StepIn(Input):
    """A step of an order's routing override; give the minutes when the product's routing lacks it."""

    model_config = ConfigDict(extra="forbid")

    process: str = Field(**CODE)
    minutes_per_unit: float | None = Field(None, gt=0, allow_inf_nan=False)


class StepOut(BaseModel):
    process: str
    minutes_per_unit: float


class OrderIn(Input):
    """A new order (``orders.csv``).

    ``processes`` overrides the product's routing: each item is a process of
    that routing (``"sewing"``, minutes from the routing) or a process with its
    minutes (``"embroidery:2.5"`` or ``{"process": "embroidery", "minutes_per_unit": 2.5}``).
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "order_id": "O9",
                    "product": "tshirt",
                    "quantity": 2000,
                    "due_weeks": 4,
                    "territories": ["T1"],
                }
            ]
        },
    )

    order_id: str = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")
    product: str = Field(**CODE)
    quantity: int = Field(ge=1, description="Units.")
    due_weeks: float | None = Field(
        None, gt=0, allow_inf_nan=False, description="Weeks from now; or give ``due_date`` instead."
    )
    due_date: date | None = Field(
        None, description="The day the order is due (ISO, 2025-09-30), instead of ``due_weeks``."
    )
    as_of: date | None = Field(
        None, description="The planning date ``due_date`` is counted from (default: today)."
    )
    firm_id: str | None = Field(None, min_length=1, max_length=128)
    min_quality: int = Field(1, ge=1, le=5)
    max_group_size: int | None = Field(None, ge=1)
    territories: list[str] = Field(default_factory=list, description="Allowed territories; empty = any.")
    require_formal: bool = False
    processes: list[str | StepIn] = Field(default_factory=list)
    extra: dict[str, str] = Field(default_factory=dict, description="columns outside the contract")


class OrderPatch(Input):
    """Fields to change; the others keep their value. ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    product: str | None = Field(None, **CODE)
    quantity: int | None = Field(None, ge=1)
    due_weeks: float | None = Field(None, gt=0, allow_inf_nan=False)
    due_date: date | None = Field(None, description="The day the order is due, instead of ``due_weeks``.")
    as_of: date | None = Field(
        None, description="The planning date ``due_date`` is counted from (default: today)."
    )
    firm_id: str | None = Field(None, min_length=1, max_length=128)
    min_quality: int | None = Field(None, ge=1, le=5)
    max_group_size: int | None = Field(None, ge=1)
    territories: list[str] | None = None
    require_formal: bool | None = None
    processes: list[str | StepIn] | None = None
    extra: dict[str, str] | None = None
    version: int | None = Field(None, ge=1)


class OrderOut(BaseModel):
    """An order (no workshop data in it)."""

    order_id: str
    product: str
    quantity: int
    due_weeks: float
    firm_id: str | None
    min_quality: int
    max_group_size: int | None
    territories: list[str]
    require_formal: bool
    processes: list[StepOut] = Field(description="The routing override; empty = the product's routing.")
    extra: dict[str, str]
    version: int

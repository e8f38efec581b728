"""Development programmes' bodies: a mentoring run (``POST /jobs/mentoring``) and an upgrade plan
(``POST /jobs/plan``), as ``matcher mentor`` and ``matcher plan`` take them.

Answers are jobs (:class:`matcher_service.schemas.jobs.JobDetailOut`) whose result is
``MentoringResult.to_dict()`` or ``UpgradePlan.to_dict()``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["CostIn", "MentoringJobIn", "PinIn", "PlanJobIn"]


class PinIn(Input):
    """A mentor–trainee pair to form whatever the inferred rules say (never across a conflict)."""

    model_config = ConfigDict(extra="forbid")

    mentor_id: str = Field(min_length=1, max_length=128)
    trainee_id: str = Field(min_length=1, max_length=128)


class MentoringJobIn(Input):
    """Options of a mentoring run (see :func:`matcher.develop.mentoring`)."""

    model_config = ConfigDict(extra="forbid")

    max_trainees: int = Field(3, ge=1, le=50, description="Most trainees a mentor takes (kept ones counted).")
    circle_min: int | None = Field(
        None, ge=2, le=51, description="Fewest members of a new circle, mentor included (with circle_max)."
    )
    circle_max: int | None = Field(
        None,
        ge=2,
        le=51,
        description="Most members of a new circle, mentor included; at most max_trainees + 1. "
        "Both null: any circle up to max_trainees + 1, a single pair included.",
    )
    same_sector: bool = Field(True, description="One product sector per circle.")
    keep_existing: bool = Field(True, description="Keep the pairs of existing mentoring ties.")
    pinned: list[PinIn] = Field(default_factory=list, max_length=1000)
    solver: Literal["auto", "highs", "cbc"] = Field("auto", description="highs, cbc or auto.")
    time_limit: float = Field(10.0, gt=0, le=600, description="Seconds the mentoring model may use.")
    demand_seconds: float = Field(
        5.0, ge=0, le=600, description="Seconds for solving the orders first (0: every order unfilled)."
    )
    seed: int = Field(0, ge=0, le=2**31 - 1)


class CostIn(Input):
    """The cost of one intervention of a kind (``learn_process``, ``formalise`` ...)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1, max_length=64)
    cost: float = Field(gt=0, le=1e12)


class PlanJobIn(Input):
    """Options of an upgrade plan (see :func:`matcher.develop.upgrade_plan`)."""

    model_config = ConfigDict(extra="forbid")

    budget: float | None = Field(
        None,
        gt=0,
        le=1e12,
        description="What the programme can spend, in the cost table's units; null: rank only, no portfolio.",
    )
    costs: list[CostIn] = Field(
        default_factory=list,
        max_length=50,
        description="Costs replacing the default table's for the kinds listed.",
    )
    order_ids: list[str] | None = Field(
        None, min_length=1, max_length=10_000, description="Orders to plan for (null: every order in scope)."
    )
    time_limit: float = Field(120.0, gt=0, le=3600, description="Seconds for the whole plan.")
    seed: int = Field(0, ge=0, le=2**31 - 1)

"""Jobs' answers, and the body of a matching run (the development programmes': :mod:`.develop`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["JobDetailOut", "JobOut", "MatchJobIn", "MatchOptionsIn"]


class MatchOptionsIn(Input):
    """Options of a run, as ``matcher match`` takes them (see :class:`matcher.optimize.MatchOptions`)."""

    model_config = ConfigDict(extra="forbid")

    solver: str = Field("auto", description="highs, cbc or auto.")
    time_limit: float = Field(30.0, gt=0, le=3600, description="Seconds the solver may use in all.")
    allow_partial: bool = False
    max_group_size: int | None = Field(None, ge=1, description="Group-size cap for orders that set none.")
    rules: dict[str, str | int | float] = Field(
        default_factory=dict,
        description=(
            'Rule levels and parameters of the run, e.g. {"cohesion": "required", "leader_hops": 2}. '
            '"min_lot": N (a whole number >= 0) is the fewest units of a process a member may take; '
            "0 switches lots off; without it, 5% of the order's quantity and at least 50 units."
        ),
    )
    order_rules: dict[str, dict[str, str | int | float]] = Field(
        default_factory=dict,
        description='Changes for single orders, e.g. {"O1": {"leader": "required", "min_lot": 100}}.',
    )
    priorities: dict[str, float] = Field(default_factory=dict, description="Weight of an order's units.")
    seed: int = Field(0, ge=0)
    method: str = Field("auto", description="auto, full or decompose.")
    explain_seconds: float = Field(10.0, ge=0, le=3600)


class MatchJobIn(Input):
    """Orders to match together (null: every order in the caller's scope) and the options."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] | None = Field(None, min_length=1, max_length=10_000)
    options: MatchOptionsIn = Field(default_factory=MatchOptionsIn)


class JobOut(BaseModel):
    """A job: status (queued, running, done, failed, cancelled), progress in [0, 1], message."""

    job_id: str
    kind: str
    status: str
    progress: float
    message: str | None
    error: str | None
    cancel_requested: bool
    params: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobDetailOut(JobOut):
    """A job with its result once done: ``matcher match --json``'s contract for a ``match`` job,
    ``matcher mentor --json``'s for ``mentoring``, ``matcher plan --json``'s for ``plan``."""

    result: dict[str, Any] | None

"""Rows ↔ library objects, and the cached :class:`~matcher.model.Cluster` of the database.

The analysis and matching routes call the same library functions as the CLI on
a :class:`~matcher.model.Cluster` built from the tables; that snapshot is kept
per data version, so reads between two writes share it.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.model import Cluster, Contact, LeadFirm, Order, RoutingStep, Tie, Workshop
from matcher.routing import default_routings
from matcher_service.db import data_version
from matcher_service.models import (
    ContactRow,
    LeadFirmRow,
    Membership,
    OrderRow,
    RoutingRow,
    TieRow,
    WorkshopRow,
)

__all__ = [
    "SnapshotCache",
    "cluster_from_session",
    "contact_row",
    "firm_of",
    "firm_row",
    "order_of",
    "order_row",
    "tie_of",
    "tie_row",
    "workshop_of",
    "workshop_row",
]


def _pairs(values: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((str(a), b) for a, b in (values or ()))


def workshop_of(row: WorkshopRow) -> Workshop:
    """The library's :class:`Workshop` for a row."""
    return Workshop(
        workshop_id=row.workshop_id,
        territory=row.territory,
        workers=row.workers,
        products=tuple(row.products or ()),
        processes=tuple(row.processes or ()),
        women_workers=row.women_workers,
        hours_per_week=row.hours_per_week,
        efficiency=row.efficiency,
        capacity_minutes_per_week=row.capacity_minutes_per_week,
        committed_minutes_per_week=row.committed_minutes_per_week,
        machines=tuple((str(m), int(n)) for m, n in (row.machines or ())),
        quality=row.quality,
        formal=row.formal,
        can_lead=row.can_lead,
        cost_per_minute=row.cost_per_minute,
        organizations=tuple(row.organizations or ()),
        reliability=row.reliability,
        extra=tuple((str(k), str(v)) for k, v in (row.extra or ())),
    )


def workshop_row(w: Workshop, row: WorkshopRow | None = None) -> WorkshopRow:
    """Fill ``row`` (or a new row) from a :class:`Workshop`."""
    row = row if row is not None else WorkshopRow(workshop_id=w.workshop_id)
    row.territory = w.territory
    row.workers = w.workers
    row.products = list(w.products)
    row.processes = list(w.processes)
    row.women_workers = w.women_workers
    row.hours_per_week = w.hours_per_week
    row.efficiency = w.efficiency
    row.capacity_minutes_per_week = w.capacity_minutes_per_week
    row.committed_minutes_per_week = w.committed_minutes_per_week
    row.machines = [list(m) for m in w.machines]
    row.quality = w.quality
    row.formal = w.formal
    row.can_lead = w.can_lead
    row.cost_per_minute = w.cost_per_minute
    row.organizations = list(w.organizations)
    row.reliability = w.reliability
    row.extra = [list(e) for e in w.extra]
    return row


def memberships(w: Workshop) -> list[Membership]:
    """The membership rows of a workshop."""
    return [Membership(workshop_id=w.workshop_id, organization_id=o) for o in dict.fromkeys(w.organizations)]


def tie_of(row: TieRow) -> Tie:
    return Tie(row.source, row.target, row.kind, row.strength, row.wave)


def tie_row(t: Tie, row: TieRow | None = None) -> TieRow:
    row = row if row is not None else TieRow()
    row.source, row.target, row.kind, row.strength, row.wave = t.source, t.target, t.kind, t.strength, t.wave
    return row


def firm_of(row: LeadFirmRow) -> LeadFirm:
    return LeadFirm(row.firm_id, row.name, row.territory)


def firm_row(f: LeadFirm, row: LeadFirmRow | None = None) -> LeadFirmRow:
    row = row if row is not None else LeadFirmRow(firm_id=f.firm_id)
    row.name, row.territory = f.name, f.territory
    return row


def order_of(row: OrderRow) -> Order:
    return Order(
        order_id=row.order_id,
        product=row.product,
        quantity=row.quantity,
        due_weeks=row.due_weeks,
        firm_id=row.firm_id,
        min_quality=row.min_quality,
        max_group_size=row.max_group_size,
        territories=tuple(row.territories or ()),
        require_formal=row.require_formal,
        processes=tuple(RoutingStep(str(p), float(m)) for p, m in (row.processes or ())),
        extra=tuple((str(k), str(v)) for k, v in (row.extra or ())),
    )


def order_row(o: Order, row: OrderRow | None = None) -> OrderRow:
    row = row if row is not None else OrderRow(order_id=o.order_id)
    row.product = o.product
    row.quantity = o.quantity
    row.due_weeks = o.due_weeks
    row.firm_id = o.firm_id
    row.min_quality = o.min_quality
    row.max_group_size = o.max_group_size
    row.territories = list(o.territories)
    row.require_formal = o.require_formal
    row.processes = [[s.process, s.minutes_per_unit] for s in o.processes]
    row.extra = [list(e) for e in o.extra]
    return row


def contact_of(row: ContactRow) -> Contact:
    return Contact(row.workshop_id, row.owner_name, row.phone, row.address, row.lat, row.lon)


def contact_row(c: Contact, row: ContactRow | None = None) -> ContactRow:
    row = row if row is not None else ContactRow(workshop_id=c.workshop_id)
    row.owner_name, row.phone, row.address, row.lat, row.lon = c.owner_name, c.phone, c.address, c.lat, c.lon
    return row


def routings_from_session(session: Session) -> dict[str, tuple[RoutingStep, ...]]:
    """The default routing catalogue merged with the dataset's own routings."""
    routings = dict(default_routings())
    own: dict[str, list[RoutingStep]] = {}
    for r in session.scalars(select(RoutingRow).order_by(RoutingRow.product, RoutingRow.position)):
        own.setdefault(r.product, []).append(RoutingStep(r.process, r.minutes_per_unit))
    routings.update({p: tuple(steps) for p, steps in own.items()})
    return routings


def cluster_from_session(session: Session) -> Cluster:
    """The whole cluster in the database, as the library sees a loaded dataset."""
    return Cluster(
        workshops=tuple(
            workshop_of(r) for r in session.scalars(select(WorkshopRow).order_by(WorkshopRow.workshop_id))
        ),
        ties=tuple(tie_of(r) for r in session.scalars(select(TieRow).order_by(TieRow.tie_id))),
        lead_firms=tuple(
            firm_of(r) for r in session.scalars(select(LeadFirmRow).order_by(LeadFirmRow.firm_id))
        ),
        orders=tuple(order_of(r) for r in session.scalars(select(OrderRow).order_by(OrderRow.order_id))),
        routings=routings_from_session(session),
    )


class SnapshotCache:
    """The cluster of the database at its current data version, built once per version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._cluster: Cluster | None = None

    def get(self, session: Session) -> tuple[int, Cluster]:
        """``(data version, cluster)`` as of the session's view of the database."""
        version = data_version(session)
        with self._lock:
            if self._version == version and self._cluster is not None:
                return version, self._cluster
        cluster = cluster_from_session(session)
        with self._lock:
            self._version, self._cluster = version, cluster
        # The snapshot lives long: keep the collector from scanning it again and again.
        gc.collect()
        gc.freeze()
        return version, cluster

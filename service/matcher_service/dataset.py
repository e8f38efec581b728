"""Whole datasets in and out of the database, in one transaction.

:func:`apply_dataset` merges a validated :class:`~matcher.model.Cluster` (and
its contacts) into the tables: rows are added or replaced by id, ties by
``(source, target, kind, wave)``, routings by product. The caller commits, so
a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher.model import Cluster, Contact, Tie
from matcher.routing import default_routings
from matcher_service.convert import (
    contact_row,
    firm_row,
    memberships,
    order_row,
    tie_of,
    tie_row,
    workshop_row,
)
from matcher_service.db import bump_data_version
from matcher_service.models import (
    ContactRow,
    LeadFirmRow,
    Membership,
    OrderRow,
    OrganizationRow,
    RoutingRow,
    TieRow,
    WorkshopRow,
)

__all__ = ["Applied", "apply_dataset"]


@dataclass(frozen=True)
class Applied:
    """How many rows of each kind were added and replaced."""

    added: dict[str, int]
    replaced: dict[str, int]

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"added": self.added, "replaced": self.replaced}


def _upsert(session: Session, model, key: str, items: Iterable, fill, counts: tuple[dict, dict], name: str):
    items = list(items)
    ids = [getattr(i, key) for i in items]
    existing = {}
    column = getattr(model, key)
    for start in range(0, len(ids), 900):
        for row in session.scalars(select(model).where(column.in_(ids[start : start + 900]))):
            existing[getattr(row, key)] = row
    added = replaced = 0
    for item in items:
        row = existing.get(getattr(item, key))
        if row is None:
            session.add(fill(item, None))
            added += 1
        else:
            fill(item, row)
            replaced += 1
    counts[0][name] = added
    counts[1][name] = replaced


def _tie_key(tie: Tie) -> tuple:
    """Ties are the same when they join the same pair (in the same direction when directed)."""
    ends = (tie.source, tie.target) if tie.directed else tie.pair
    return (*ends, tie.kind, tie.wave)


def apply_dataset(session: Session, cluster: Cluster, contacts: Iterable[Contact] = ()) -> Applied:
    """Merge ``cluster`` and ``contacts`` into the database (not committed).

    Examples
    --------
    >>> from sqlalchemy.orm import Session
    >>> from matcher_service.db import make_engine, migrate
    >>> from matcher.synthetic import generate_cluster
    >>> engine = make_engine("sqlite://"); migrate(engine)
    >>> cluster, contacts = generate_cluster(20, 2, seed=1)
    >>> with Session(engine) as s:
    ...     first = apply_dataset(s, cluster, contacts); s.commit()
    ...     again = apply_dataset(s, cluster, contacts); s.commit()
    >>> first.added["workshops"], again.replaced["workshops"], again.added["ties"]
    (20, 20, 0)

    An undirected tie given the other way round is the same tie:

    >>> from dataclasses import replace
    >>> t = next(t for t in cluster.ties if not t.directed)
    >>> flipped = replace(cluster, ties=(Tie(t.target, t.source, t.kind, t.strength, t.wave),))
    >>> with Session(engine) as s:
    ...     apply_dataset(s, flipped).added["ties"]
    0
    """
    counts: tuple[dict[str, int], dict[str, int]] = ({}, {})
    _upsert(session, LeadFirmRow, "firm_id", cluster.lead_firms, firm_row, counts, "lead_firms")
    _upsert(session, WorkshopRow, "workshop_id", cluster.workshops, workshop_row, counts, "workshops")
    session.flush()
    ids = [w.workshop_id for w in cluster.workshops]
    for start in range(0, len(ids), 900):
        session.execute(delete(Membership).where(Membership.workshop_id.in_(ids[start : start + 900])))
    for w in cluster.workshops:
        session.add_all(memberships(w))
    known_orgs = set(session.scalars(select(OrganizationRow.organization_id)))
    new_orgs = sorted({o for w in cluster.workshops for o in w.organizations} - known_orgs)
    session.add_all(OrganizationRow(organization_id=o) for o in new_orgs)
    counts[0]["organizations"] = len(new_orgs)

    existing_ties = {_tie_key(tie_of(t)): t for t in session.scalars(select(TieRow))} if cluster.ties else {}
    added = replaced = 0
    for tie in cluster.ties:
        key = _tie_key(tie)
        row = existing_ties.get(key)
        if row is None:
            row = tie_row(tie)
            session.add(row)
            existing_ties[key] = row
            added += 1
        elif row.strength != tie.strength:
            row.strength = tie.strength
            replaced += 1
    counts[0]["ties"], counts[1]["ties"] = added, replaced

    default = default_routings()
    own = {p: steps for p, steps in cluster.routings.items() if default.get(p) != tuple(steps)}
    for product, steps in own.items():
        session.execute(delete(RoutingRow).where(RoutingRow.product == product))
        session.add_all(
            RoutingRow(product=product, position=i, process=s.process, minutes_per_unit=s.minutes_per_unit)
            for i, s in enumerate(steps)
        )
    counts[0]["routings"] = len(own)
    session.flush()
    _upsert(session, OrderRow, "order_id", cluster.orders, order_row, counts, "orders")
    _upsert(session, ContactRow, "workshop_id", contacts, contact_row, counts, "contacts")
    bump_data_version(session)
    session.flush()
    return Applied(added=counts[0], replaced=counts[1])

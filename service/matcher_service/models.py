"""Tables of the service (SQLAlchemy 2 declarative models).

Characterization data (workshops, ties, orders, ...) and contacts live in
separate tables: :class:`ContactRow` is never joined into a characterization
response. Every resource that clients edit carries a ``version`` used for
optimistic concurrency (ETag / If-Match).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    case,
    func,
    literal,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.sql.elements import Grouping

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "ContactRelease",
    "ContactRow",
    "IdempotencyRecord",
    "Job",
    "LeadFirmRow",
    "LoginFailures",
    "Membership",
    "Meta",
    "OrderRow",
    "OrganizationRow",
    "RoutingRow",
    "ShortlistRow",
    "TieRow",
    "Token",
    "UTCDateTime",
    "User",
    "WorkshopRow",
    "as_utc",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """A moment in UTC; a naive one (as SQLite gives it back) is taken to be in UTC already.

    Examples
    --------
    >>> from datetime import timedelta, timezone
    >>> as_utc(datetime(2026, 1, 2, 3, 4)).isoformat()
    '2026-01-02T03:04:00+00:00'
    >>> as_utc(datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=-3)))).isoformat()
    '2026-01-02T06:04:00+00:00'
    """
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """A moment stored with its time zone and always read back aware, in UTC.

    PostgreSQL keeps the zone; SQLite keeps text without one, so a value read
    there would come back naive and be sent to clients without an offset. Every
    moment is converted to UTC on the way in and marked UTC on the way out.

    Examples
    --------
    >>> from datetime import datetime
    >>> UTCDateTime().process_result_value(datetime(2026, 1, 2, 3, 4), None).isoformat()
    '2026-01-02T03:04:00+00:00'
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """A version counter that SQLAlchemy checks on every UPDATE (lost updates become errors)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr form
        return {"version_id_col": cls.version}


class Meta(Base):
    """Key/value facts of the database (the data version that cache keys follow)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OrganizationRow(Stamped, Base):
    __tablename__ = "organizations"
    organization_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(256))


class WorkshopRow(Stamped, Base):
    """A workshop's characterization (no name, no contact, no exact location)."""

    __tablename__ = "workshops"
    # A page of a coordinator's workshops in id order, and its count, read this index alone.
    __table_args__ = (Index("ix_workshops_scope", "workshop_id", "territory"),)
    workshop_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    territory: Mapped[str] = mapped_column(String(128), index=True)
    workers: Mapped[int] = mapped_column(Integer)
    products: Mapped[list[Any]] = mapped_column(JSON, default=list)
    processes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    women_workers: Mapped[int | None] = mapped_column(Integer)
    hours_per_week: Mapped[float] = mapped_column(Float)
    efficiency: Mapped[float] = mapped_column(Float)
    capacity_minutes_per_week: Mapped[float | None] = mapped_column(Float)
    committed_minutes_per_week: Mapped[float] = mapped_column(Float, default=0.0)
    machines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    quality: Mapped[int] = mapped_column(Integer)
    formal: Mapped[bool] = mapped_column(Boolean, default=False)
    can_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_per_minute: Mapped[float | None] = mapped_column(Float)
    organizations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reliability: Mapped[float | None] = mapped_column(Float)
    extra: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Membership(Base):
    """Workshop ↔ organization, kept beside ``WorkshopRow.organizations`` for scoped queries."""

    __tablename__ = "memberships"
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.workshop_id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)


class TieRow(Stamped, Base):
    """A tie; one per kind, survey round and pair (the index ``uq_ties_one_per_wave``)."""

    __tablename__ = "ties"
    __table_args__ = (
        UniqueConstraint("source", "target", "kind", "wave", name="uq_tie"),
        Index("ix_ties_target", "target"),
    )
    tie_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(ForeignKey("workshops.workshop_id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(ForeignKey("workshops.workshop_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    strength: Mapped[int] = mapped_column(Integer)
    wave: Mapped[str | None] = mapped_column(String(64))


#: Tie kinds read source -> target (:data:`matcher.model.DIRECTED_TIE_KINDS`). The unique index of
#: ties spells them out, so changing them needs a migration that builds the index again.
DIRECTED_KINDS = ("mentoring", "subcontracting")


def tie_key_columns(source: Any, target: Any, kind: Any, wave: Any) -> tuple[Any, ...]:
    """The expressions a tie is unique on: its kind, its wave (none counts as one round, ``''``,
    which no wave can be) and its two ends, sorted unless the kind is directed.

    Plain SQL (``CASE``, ``COALESCE``): the same index on SQLite and PostgreSQL.
    """
    swap = and_(kind.not_in(DIRECTED_KINDS), target < source)
    return (
        kind,
        func.coalesce(wave, literal("", String)),
        # In parentheses: PostgreSQL takes an index expression other than a call only so.
        Grouping(case((swap, target), else_=source)),
        Grouping(case((swap, source), else_=target)),
    )


_ties = TieRow.__table__.c
Index(
    "uq_ties_one_per_wave",
    *tie_key_columns(_ties.source, _ties.target, _ties.kind, _ties.wave),
    unique=True,
)


class LeadFirmRow(Stamped, Base):
    __tablename__ = "lead_firms"
    firm_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(256))
    territory: Mapped[str | None] = mapped_column(String(128))


class RoutingRow(Base):
    """One step of a product's standard routing."""

    __tablename__ = "routings"
    product: Mapped[str] = mapped_column(String(128), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    process: Mapped[str] = mapped_column(String(128))
    minutes_per_unit: Mapped[float] = mapped_column(Float)


class OrderRow(Stamped, Base):
    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    product: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[int] = mapped_column(Integer)
    due_weeks: Mapped[float] = mapped_column(Float)
    firm_id: Mapped[str | None] = mapped_column(
        ForeignKey("lead_firms.firm_id", ondelete="SET NULL"), index=True
    )
    min_quality: Mapped[int] = mapped_column(Integer, default=1)
    max_group_size: Mapped[int | None] = mapped_column(Integer)
    territories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    require_formal: Mapped[bool] = mapped_column(Boolean, default=False)
    processes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extra: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ContactRow(Stamped, Base):
    """Private contact of a workshop: read only by roles allowed to (never joined elsewhere)."""

    __tablename__ = "contacts"
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.workshop_id", ondelete="CASCADE"), primary_key=True
    )
    owner_name: Mapped[str | None] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class ContactRelease(Stamped, Base):
    """A lead firm's request for a workshop's contact, and the municipality's decision."""

    __tablename__ = "contact_releases"
    release_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.workshop_id", ondelete="CASCADE"), index=True
    )
    firm_id: Mapped[str] = mapped_column(ForeignKey("lead_firms.firm_id", ondelete="CASCADE"), index=True)
    shortlist_id: Mapped[str | None] = mapped_column(String(64))
    ref: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    message: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


#: The statuses of a contact request still open or granted: one such per workshop and firm.
OPEN_RELEASE_STATUSES = ("requested", "released")
_open = ContactRelease.__table__.c.status.in_(OPEN_RELEASE_STATUSES)
Index(
    "uq_contact_releases_open",
    ContactRelease.__table__.c.workshop_id,
    ContactRelease.__table__.c.firm_id,
    unique=True,
    sqlite_where=_open,
    postgresql_where=_open,
)


class User(Stamped, Base):
    __tablename__ = "users"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    territories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    organization_id: Mapped[str | None] = mapped_column(String(128))
    firm_id: Mapped[str | None] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Token(Base):
    """A bearer token, stored as a keyed digest only."""

    __tablename__ = "tokens"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """An API key for a machine client, stored as a keyed digest only."""

    __tablename__ = "api_keys"
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who changed what, when."""

    __tablename__ = "audit"
    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(256))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LoginFailures(Base):
    """Failed sign-ins counted under one key (a user name at an address, an address, a user name).

    The key is a keyed digest, so a long user name takes no more room than a short one and the
    table holds no user name typed; a row counts the failures since ``first_at`` and is dropped
    when its window is over. Times are seconds since the epoch.
    """

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    first_at: Mapped[float] = mapped_column(Float, nullable=False, index=True)
    last_at: Mapped[float] = mapped_column(Float, nullable=False)


class IdempotencyRecord(Base):
    """The stored response of a create made with an ``Idempotency-Key``."""

    __tablename__ = "idempotency"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Job(Base):
    """A background job (matching, mentoring, planning): status, progress, result.

    ``claimed_by`` names the job runner that took it off the queue (``host:pid:random``,
    :mod:`matcher_service.job_runner`); that runner writes ``heartbeat_at`` while the job runs.
    """

    __tablename__ = "jobs"
    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(Integer, index=True)
    territories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ShortlistRow(Base):
    """A shortlist given to a lead firm: the anonymized body, and refs → workshops kept apart."""

    __tablename__ = "shortlists"
    shortlist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id", ondelete="CASCADE"), index=True)
    firm_id: Mapped[str | None] = mapped_column(String(128), index=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    refs: Mapped[dict[str, Any]] = mapped_column(JSON)
    data_version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

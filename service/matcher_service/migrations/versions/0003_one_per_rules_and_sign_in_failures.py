"""one-per rules in the database, failed sign-ins where every process sees them

Adds the unique indexes that make the service's one-per rules hold under
concurrent requests: one open or granted contact request per workshop and firm
(a partial index), and one tie per kind, survey round and pair (an expression
index: a tie without a round counts as one round, an undirected tie's ends are
sorted). Duplicates stored before are dropped first, keeping the first one (a
granted contact request before an open one). Adds ``login_failures``, the
failed sign-ins counted per user name and address, per address and per user
name.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.elements import Grouping

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DIRECTED_KINDS = ("mentoring", "subcontracting")
OPEN = ("requested", "released")

ties = sa.table(
    "ties",
    sa.column("tie_id", sa.Integer()),
    sa.column("source", sa.String(128)),
    sa.column("target", sa.String(128)),
    sa.column("kind", sa.String(64)),
    sa.column("wave", sa.String(64)),
)
releases = sa.table(
    "contact_releases",
    sa.column("release_id", sa.Integer()),
    sa.column("workshop_id", sa.String(128)),
    sa.column("firm_id", sa.String(128)),
    sa.column("status", sa.String(16)),
)


def _tie_key(source, target, kind, wave) -> tuple:
    swap = sa.and_(kind.not_in(DIRECTED_KINDS), target < source)
    return (
        kind,
        sa.func.coalesce(wave, sa.literal("", sa.String)),
        Grouping(sa.case((swap, target), else_=source)),
        Grouping(sa.case((swap, source), else_=target)),
    )


def _delete(bind, table, column, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        bind.execute(table.delete().where(column.in_(ids[start : start + 500])))


def upgrade() -> None:
    bind = op.get_bind()
    seen: set[tuple] = set()
    extra: list[int] = []
    rows = bind.execute(sa.select(ties.c.tie_id, ties.c.source, ties.c.target, ties.c.kind, ties.c.wave))
    for tie_id, source, target, kind, wave in sorted(rows, key=lambda r: r[0]):
        ends = (source, target) if kind in DIRECTED_KINDS else tuple(sorted((source, target)))
        key = (kind, wave or "", *ends)
        if key in seen:
            extra.append(tie_id)
        seen.add(key)
    _delete(bind, ties, ties.c.tie_id, extra)

    query = sa.select(releases.c.release_id, releases.c.workshop_id, releases.c.firm_id, releases.c.status)
    rows = bind.execute(query.where(releases.c.status.in_(OPEN))).all()
    kept: set[tuple] = set()
    extra = []
    for release_id, workshop_id, firm_id, _status in sorted(rows, key=lambda r: (r[3] != "released", r[0])):
        if (workshop_id, firm_id) in kept:
            extra.append(release_id)
        kept.add((workshop_id, firm_id))
    _delete(bind, releases, releases.c.release_id, extra)

    op.create_index(
        "uq_ties_one_per_wave",
        "ties",
        list(_tie_key(ties.c.source, ties.c.target, ties.c.kind, ties.c.wave)),
        unique=True,
    )
    is_open = sa.column("status").in_(OPEN)
    op.create_index(
        "uq_contact_releases_open",
        "contact_releases",
        ["workshop_id", "firm_id"],
        unique=True,
        sqlite_where=is_open,
        postgresql_where=is_open,
    )
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.Float(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_login_failures_first_at", "login_failures", ["first_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_failures_first_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("uq_contact_releases_open", table_name="contact_releases")
    op.drop_index("uq_ties_one_per_wave", table_name="ties")

"""drop shortlists stored before profiles were k-anonymous

Their profiles showed every workshop's exact quality, processes and size, which
could single a workshop out; a shortlist is recomputed when asked for again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

shortlists = sa.table("shortlists", sa.column("shortlist_id", sa.String(64)), sa.column("body", sa.JSON()))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(shortlists.c.shortlist_id, shortlists.c.body)).all()
    old = [shortlist_id for shortlist_id, body in rows if "anonymity" not in (body or {})]
    for start in range(0, len(old), 500):
        bind.execute(shortlists.delete().where(shortlists.c.shortlist_id.in_(old[start : start + 500])))


def downgrade() -> None:
    # Nothing to put back: the shortlists dropped are recomputed on demand.
    pass

"""an index that answers a page of a coordinator's workshops without reading the rows

A page of workshops in some territories, in id order, is found on the index
``(workshop_id, territory)`` alone: the scan in id order reads each workshop's
territory from the index instead of from its row, and the count of the
matches reads the index too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 10:00:00
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_workshops_scope", "workshops", ["workshop_id", "territory"])


def downgrade() -> None:
    op.drop_index("ix_workshops_scope", table_name="workshops")

"""jobs claimed once by one of several service processes, with a heartbeat

Adds ``claimed_by`` (the job runner that took a job off the queue) and
``heartbeat_at`` (when that runner last said it is alive) to ``jobs``. A job
left running by a service of the previous version has neither and no runner to
finish it: it is failed as that version failed it at its next start ("the
service stopped while the job ran").

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-12 10:00:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The job's error as the service stores it: the message ``job.service_stopped``, in no language yet.
SERVICE_STOPPED = '[{"in": "api", "key": "job.service_stopped", "args": {}}]'

jobs = sa.table(
    "jobs",
    sa.column("status", sa.String(16)),
    sa.column("message", sa.Text()),
    sa.column("error", sa.Text()),
    sa.column("finished_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(
        jobs.update()
        .where(jobs.c.status == "running")
        .values(status="failed", message="job.failed", error=SERVICE_STOPPED, finished_at=datetime.now(UTC))
    )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("claimed_by")

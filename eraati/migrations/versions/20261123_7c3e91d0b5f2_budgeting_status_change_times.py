"""budgeting: when a project's status and an idea's outcome last changed

Revision ID: 7c3e91d0b5f2
Revises: 5e7d2b9c41aa
Create Date: 2026-11-23 03:20:00

"""

import sqlalchemy as sa
from alembic import op

import eraati.core.models

revision = "7c3e91d0b5f2"
down_revision = "5e7d2b9c41aa"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pb_projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status_changed_at",
                eraati.core.models.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    with op.batch_alter_table("pb_proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "decided_at",
                eraati.core.models.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table("pb_proposals", schema=None) as batch_op:
        batch_op.drop_column("decided_at")
    with op.batch_alter_table("pb_projects", schema=None) as batch_op:
        batch_op.drop_column("status_changed_at")

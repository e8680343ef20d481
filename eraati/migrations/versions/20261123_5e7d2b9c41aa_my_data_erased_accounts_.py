"""my data: erased accounts keep an emptied row; eligibility outlives erasure

Revision ID: 5e7d2b9c41aa
Revises: 409a962a11f4
Create Date: 2026-11-23 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.models


# revision identifiers, used by Alembic.
revision = '5e7d2b9c41aa'
down_revision = '409a962a11f4'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite adds a column in place: the users table is not copied (copying it
    # would fire the cascades of every table that points at it).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', eraati.core.models.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('pb_eligibility', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_pb_eligibility_user_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_pb_eligibility_user_id_users'), 'users', ['user_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.execute('DELETE FROM pb_eligibility WHERE user_id IS NULL')
    with op.batch_alter_table('pb_eligibility', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pb_eligibility_user_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_pb_eligibility_user_id_users'), 'users', ['user_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)

    # Plain ALTER (SQLite 3.35+ too): a batch copy of users would fire the cascades.
    op.execute('ALTER TABLE users DROP COLUMN erased_at')

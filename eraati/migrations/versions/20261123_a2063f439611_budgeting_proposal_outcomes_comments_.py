"""budgeting: proposal outcomes, comments, follows, area representatives

Revision ID: a2063f439611
Revises: c112d2619306
Create Date: 2026-11-23 02:37:55.100938

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.models


# revision identifiers, used by Alembic.
revision = 'a2063f439611'
down_revision = 'c112d2619306'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pb_area_representatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eraati.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_pb_area_representatives_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['area_id'], ['pb_areas.id'], name=op.f('fk_pb_area_representatives_area_id_pb_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pb_area_representatives_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_area_representatives')),
    sa.UniqueConstraint('area_id', 'user_id', name=op.f('uq_pb_area_representatives_area_id_user_id'))
    )
    with op.batch_alter_table('pb_area_representatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_area_representatives_user_id'), ['user_id'], unique=False)

    op.create_table('pb_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_at', eraati.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eraati.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_pb_comments_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_pb_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_pb_comments_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['pb_projects.id'], name=op.f('fk_pb_comments_project_id_pb_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['pb_proposals.id'], name=op.f('fk_pb_comments_proposal_id_pb_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_comments'))
    )
    with op.batch_alter_table('pb_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_comments_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_comments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('pb_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eraati.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_pb_follows_one_target')),
    sa.ForeignKeyConstraint(['project_id'], ['pb_projects.id'], name=op.f('fk_pb_follows_project_id_pb_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['pb_proposals.id'], name=op.f('fk_pb_follows_proposal_id_pb_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pb_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_follows')),
    sa.UniqueConstraint('user_id', 'project_id', name=op.f('uq_pb_follows_user_id_project_id')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('uq_pb_follows_user_id_proposal_id'))
    )
    with op.batch_alter_table('pb_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_follows_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_follows_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('pb_proposals', schema=None) as batch_op:
        # Existing ideas start as not handled; a default fills them in, then goes.
        batch_op.add_column(sa.Column('status', sa.Enum('submitted', 'linked', 'rejected', name='proposalstatus', native_enum=False, length=12), nullable=False, server_default='submitted'))
        batch_op.create_unique_constraint(batch_op.f('uq_pb_proposals_process_id_author_id_title'), ['process_id', 'author_id', 'title'])
    op.execute("UPDATE pb_proposals SET status = 'linked' WHERE project_id IS NOT NULL")
    op.execute(
        "UPDATE pb_proposals SET status = 'rejected' "
        "WHERE project_id IS NULL AND outcome_note IS NOT NULL"
    )
    with op.batch_alter_table('pb_proposals', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)



def downgrade():
    with op.batch_alter_table('pb_proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_pb_proposals_process_id_author_id_title'), type_='unique')
        batch_op.drop_column('status')

    with op.batch_alter_table('pb_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_follows_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_pb_follows_project_id'))

    op.drop_table('pb_follows')
    with op.batch_alter_table('pb_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_comments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_pb_comments_project_id'))

    op.drop_table('pb_comments')
    with op.batch_alter_table('pb_area_representatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_area_representatives_user_id'))

    op.drop_table('pb_area_representatives')

"""handoffs: questions passed on to IT ("Ask IT"); the answer headline in the query log

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('query_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headline', sa.String(length=300), nullable=True))
    op.create_table(
        'handoffs',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('query_id', sa.BigInteger(), nullable=True),
        sa.Column('asker_id', sa.String(length=200), nullable=False),
        sa.Column('asker', sa.String(length=64), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('origin_channel', sa.String(length=400), nullable=True),
        sa.Column('origin_thread', sa.String(length=100), nullable=True),
        sa.Column('it_channel', sa.String(length=400), nullable=True),
        sa.Column('it_thread', sa.String(length=100), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_handoffs_created_at', ['created_at'], unique=False)
        batch_op.create_index('uq_handoff_query', ['query_id'], unique=True)
        batch_op.create_index('ix_handoff_thread', ['platform', 'it_channel', 'it_thread'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_thread')
        batch_op.drop_index('uq_handoff_query')
        batch_op.drop_index('ix_handoffs_created_at')
    op.drop_table('handoffs')
    with op.batch_alter_table('query_log', schema=None) as batch_op:
        batch_op.drop_column('headline')

"""ask vectors: what answering each logged question embedded, for what-if replays

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ask_vectors',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('model_id', sa.String(length=200), nullable=False),
    sa.Column('question_key', sa.String(length=64), nullable=False),
    sa.Column('dim', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('vectors', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('model_id', 'question_key', name='uq_ask_vectors')
    )
    with op.batch_alter_table('ask_vectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ask_vectors_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ask_vectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ask_vectors_at'))
    op.drop_table('ask_vectors')

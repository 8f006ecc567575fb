"""policy embeddings: cached sentence vectors and calibration per policy version and model

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policy_embeddings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('policy_version', sa.BigInteger(), nullable=False),
    sa.Column('model_id', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dim', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('vectors', sa.LargeBinary(), nullable=False),
    sa.Column('calibration', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['policy_version'], ['policy_versions.version'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('policy_version', 'model_id', name='uq_policy_embedding')
    )
    with op.batch_alter_table('policy_embeddings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_embeddings_policy_version'), ['policy_version'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('policy_embeddings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_embeddings_policy_version'))
    op.drop_table('policy_embeddings')

"""unmet request embeddings and candidate centroids

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:20:00

Each unmet request is embedded once (per model) and the vector kept, so clustering never
re-embeds; each candidate keeps the summed vector of its members (its centroid) and the
model it was computed with, so new requests can join it after retention removed the
requests it was built from.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'unmet_embeddings',
        sa.Column('unmet_id', sa.BigInteger(), nullable=False),
        sa.Column('model_id', sa.String(length=100), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['unmet_id'], ['unmet_requests.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('unmet_id', 'model_id'),
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centroid', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('centroid_model', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_column('centroid_model')
        batch_op.drop_column('centroid')
    op.drop_table('unmet_embeddings')

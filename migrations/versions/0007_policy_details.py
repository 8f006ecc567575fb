"""policy version details: changes in words and the files IT wrote

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'policy_version_details',
        sa.Column('version', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('files', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['version'], ['policy_versions.version'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('version'),
    )


def downgrade() -> None:
    op.drop_table('policy_version_details')

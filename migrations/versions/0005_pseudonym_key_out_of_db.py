"""pseudonym key out of the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:50:00

The key of the asker pseudonyms used to be generated into `app_state`, next to the
pseudonyms it protects. It now comes from PSEUDONYM_KEY / PSEUDONYM_KEY_FILE or, on
SQLite, a separate 0600 key file (bot/keys.py). The stored key is deleted: pseudonyms
made with it can no longer be linked to new ones (per-asker counts restart), which is
the point. Downgrading cannot bring the key back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM app_state WHERE key = 'pseudonym_key'"))


def downgrade() -> None:
    pass

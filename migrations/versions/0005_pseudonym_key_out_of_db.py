"""pseudonym key out of the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:50:00

The key of the asker pseudonyms used to be generated into `app_state`, next to the
pseudonyms it protects. It now comes from PSEUDONYM_KEY / PSEUDONYM_KEY_FILE or, on
SQLite, a separate 0600 key file (bot/keys.py). The stored key is deleted: pseudonyms
made with it can no longer be linked to new ones (per-asker counts restart), which is
the point. Downgrading cannot bring the key back.

Stored Teams conversation references are cut down to what a proactive post needs
(conversation id/type/tenant, service URL, channel, bot id): the user's ids, AAD object
id and every display name that older versions kept are removed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_CONVERSATION_KEYS = ("id", "conversationType", "tenantId", "isGroup")


def _minimal(reference: dict) -> dict:
    conversation = reference.get("conversation") or {}
    kept = {"conversation": {k: conversation[k] for k in _CONVERSATION_KEYS
                             if conversation.get(k) is not None},
            "channelId": reference.get("channelId"), "serviceUrl": reference.get("serviceUrl")}
    bot = reference.get("bot") or {}
    if bot.get("id"):
        kept["bot"] = {"id": bot["id"]}
    return kept


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM app_state WHERE key = 'pseudonym_key'"))
    refs = sa.table("conversation_refs", sa.column("id", sa.BigInteger),
                    sa.column("platform", sa.String), sa.column("reference", sa.JSON))
    connection = op.get_bind()
    rows = connection.execute(sa.select(refs.c.id, refs.c.reference)
                              .where(refs.c.platform == "teams")).all()
    for row_id, reference in rows:
        if isinstance(reference, dict):
            connection.execute(refs.update().where(refs.c.id == row_id)
                               .values(reference=_minimal(reference)))


def downgrade() -> None:
    pass

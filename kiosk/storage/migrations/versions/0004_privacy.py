"""Privacy: sealed contact details, consent receipts, abuse flags (new tables only).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

New tables only, so it does not depend on what the sync migration (0003) changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _response_key() -> sa.Column[str]:
    return sa.Column(
        "response_id",
        sa.String(36),
        sa.ForeignKey("responses.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "contacts",
        _response_key(),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False, index=True),
    )
    op.create_table(
        "consent_receipts",
        _response_key(),
        sa.Column("text_version", sa.String(64), nullable=False),
        sa.Column("choices_json", sa.Text(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_table(
        "flags",
        _response_key(),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("flags", "consent_receipts", "contacts"):
        op.drop_table(table)

"""Sync: batches persisted before their first try, retry times on the outbox, sync facts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("next_attempt_at", sa.String(32), nullable=True))
        batch.add_column(sa.Column("quarantined_at", sa.String(32), nullable=True))
        batch.create_index("ix_outbox_batch_id", ["batch_id"])
    op.create_table(
        "sync_batches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("response_count", sa.Integer(), nullable=False),
        sa.Column("payload_bytes", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.String(32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_table("sync_batches")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_batch_id")
        batch.drop_column("quarantined_at")
        batch.drop_column("next_attempt_at")

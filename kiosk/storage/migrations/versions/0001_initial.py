"""Initial store: meta, responses, answers, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("form_id", sa.String(64), nullable=False, index=True),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("form_hash", sa.String(64), nullable=False),
        sa.Column("content_version", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("submitted_at", sa.String(32), nullable=False, index=True),
        sa.Column("device_id", sa.String(36), nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column(
            "response_id",
            sa.String(36),
            sa.ForeignKey("responses.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("question_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column(
            "response_id",
            sa.String(36),
            sa.ForeignKey("responses.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("outbox", "answers", "responses", "meta"):
        op.drop_table(table)

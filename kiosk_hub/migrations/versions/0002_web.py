"""The web part: answers to proposals and topics with timelines, console sessions, sign-in
attempts, the audit log, receipt look-ups; an index to find a response by its receipt code.

Revision ID: 0002_web
Revises: 0001
Create Date: 2026-12-01 05:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_web"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_cases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("response_id", sa.String(36), unique=True),
        sa.Column("topic", sa.String(64), unique=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("title_ko", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("answer_ko", sa.Text(), nullable=False),
        sa.Column("answer_en", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "web_case_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.String(64),
            sa.ForeignKey("web_cases.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("note_ko", sa.Text(), nullable=False),
        sa.Column("note_en", sa.Text(), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
    )
    op.create_table(
        "web_login_attempts",
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, index=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "web_audit",
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("at", WHEN, nullable=False, index=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", postgresql.JSONB(), nullable=False),
    )
    op.create_table(
        "web_receipt_lookups",
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_web_receipt_lookups_client_at", "web_receipt_lookups", ["client", "at"])
    op.execute("CREATE INDEX ix_responses_receipt ON responses ((document ->> 'receipt'))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_responses_receipt")
    for table in (
        "web_receipt_lookups",
        "web_audit",
        "web_login_attempts",
        "web_sessions",
        "web_case_events",
        "web_cases",
    ):
        op.drop_table(table)

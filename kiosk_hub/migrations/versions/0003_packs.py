"""Content packs uploaded in the console and the kiosks each is published to.

Revision ID: 0003_packs
Revises: 0002_web
Create Date: 2026-12-02 02:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_packs"
down_revision = "0002_web"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("archive_name", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("files", postgresql.JSONB(), nullable=False),
        sa.Column("problems", postgresql.JSONB(), nullable=False),
        sa.Column("signed_bytes", sa.LargeBinary()),
        sa.Column("signature", sa.Text()),
        sa.Column("published_by", sa.String(200)),
        sa.Column("published_at", WHEN),
        sa.CheckConstraint(
            "state IN ('draft', 'published', 'withdrawn')", name="ck_web_packs_state"
        ),
    )
    op.create_table(
        "web_pack_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "pack_id",
            sa.Integer(),
            sa.ForeignKey("web_packs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("target", sa.String(64), nullable=False),
        sa.UniqueConstraint("pack_id", "target", name="uq_web_pack_assignments_pack_target"),
    )
    op.create_index("ix_web_pack_assignments_target", "web_pack_assignments", ["target"])


def downgrade() -> None:
    op.drop_table("web_pack_assignments")
    op.drop_table("web_packs")

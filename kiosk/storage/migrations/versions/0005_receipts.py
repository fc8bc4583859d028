"""Receipt code of an opinion or proposal (unique, nullable: surveys have none).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("receipt", sa.String(16), nullable=True))
        batch.create_index("ix_responses_receipt", ["receipt"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_index("ix_responses_receipt")
        batch.drop_column("receipt")

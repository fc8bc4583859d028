"""Alembic environment of the hub: runs on the connection handed in (never from an ini file)."""

from alembic import context

from kiosk_hub.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()

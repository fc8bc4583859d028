"""The local SQLite store: models, migrations, and a repository that hands out frozen values."""

from kiosk.core.records import StoredResponse
from kiosk.storage.database import Database, open_database
from kiosk.storage.repository import Repository

__all__ = ["Database", "Repository", "StoredResponse", "open_database"]

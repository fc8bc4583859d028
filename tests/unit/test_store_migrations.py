"""The kiosk store's migrations can be undone one by one, on a real SQLite file, and redone."""

from __future__ import annotations

from pathlib import Path

from kiosk.storage.database import MIGRATIONS, make_engine
from tests.migration_checks import revisions, round_trip_problems, schema


def test_every_store_migration_downgrades_to_the_schema_below_and_upgrades_again(
    tmp_path: Path,
) -> None:
    engine = make_engine(tmp_path / "kiosk.sqlite3")
    try:
        assert len(revisions(MIGRATIONS)) >= 6
        assert round_trip_problems(engine, MIGRATIONS) == []
        assert "responses" in schema(engine)  # back at head, the store's tables are there
    finally:
        engine.dispose()

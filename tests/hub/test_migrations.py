"""The hub's migrations can be undone one by one, on a real PostgreSQL database, and redone."""

from __future__ import annotations

from kiosk_hub.db import MIGRATIONS, make_engine
from tests.hub.fixtures import cluster
from tests.migration_checks import revisions, round_trip_problems, schema


def test_every_hub_migration_downgrades_to_the_schema_below_and_upgrades_again() -> None:
    pg = cluster()
    name = pg.create_database()  # empty: not the migrated template
    engine = make_engine(pg.url(name), pool_size=1)
    try:
        assert len(revisions(MIGRATIONS)) >= 3
        assert round_trip_problems(engine, MIGRATIONS) == []
        assert {"web_packs", "web_pack_assignments"} <= set(schema(engine))  # 0003 is back
    finally:
        engine.dispose()
        pg.drop_database(name)

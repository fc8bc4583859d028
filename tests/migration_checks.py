"""Every migration undone and redone: the schema after each step, compared as the database says it.

Used by the kiosk store's test (a real SQLite file) and the hub's (a real PostgreSQL database):
walk up one revision at a time, recording the schema; then down one at a time, checking that each
downgrade gives back exactly the schema of the revision below; then up to head again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

Schema = dict[str, Any]


def schema(engine: Engine) -> Schema:
    """Tables with their columns (name, type, nullable), indexes, unique and foreign keys."""
    found: Schema = {}
    with engine.connect() as connection:
        seen = inspect(connection)
        for table in sorted(seen.get_table_names()):
            if table == "alembic_version":
                continue
            found[table] = {
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"]) for c in seen.get_columns(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in seen.get_indexes(table)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in seen.get_unique_constraints(table)
                ),
                "foreign": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in seen.get_foreign_keys(table)
                ),
            }
    return found


def revisions(script_location: Path) -> list[str]:
    """The migration chain from the first revision to head."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    chain = [s.revision for s in ScriptDirectory.from_config(config).walk_revisions()]
    return list(reversed(chain))


def walk(engine: Engine, script_location: Path, target: str, upgrade: bool) -> None:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if upgrade:
            command.upgrade(config, target)
        else:
            command.downgrade(config, target)


def round_trip_problems(engine: Engine, script_location: Path) -> list[str]:
    """Up step by step, down step by step, up again; what did not come back as it was."""
    chain = revisions(script_location)
    assert len(chain) >= 2, chain
    problems: list[str] = []
    seen = {"base": schema(engine)}
    if seen["base"]:
        problems.append(f"the empty database has tables: {sorted(seen['base'])}")
    for revision in chain:
        walk(engine, script_location, revision, upgrade=True)
        seen[revision] = schema(engine)
    for below, revision in reversed(list(zip(["base", *chain], chain, strict=False))):
        walk(engine, script_location, below, upgrade=False)
        now = schema(engine)
        if now != seen[below]:
            changed = sorted(
                t for t in set(now) | set(seen[below]) if now.get(t) != seen[below].get(t)
            )
            problems.append(f"downgrade {revision} -> {below}: tables differ: {changed}")
    walk(engine, script_location, "head", upgrade=True)
    if schema(engine) != seen[chain[-1]]:
        problems.append("upgrade to head again gives a different schema")
    return problems

"""The restore drill of docs/hub-operations.md: pg_dump a hub in use, restore it into a new
database, and the restored hub reports the same and keeps de-duplicating."""

from __future__ import annotations

import subprocess
import uuid

from sqlalchemy.engine import make_url

from kiosk_hub import devices, ingest, queries
from kiosk_hub.db import current_revision, make_engine, session_factory
from kiosk_hub.throwaway_pg import server_bin_dir
from tests.hub.fixtures import cluster
from tests.hub.test_ingest import response


def test_a_dump_restores_into_a_hub_that_reports_the_same_and_still_deduplicates(
    database_url: str, tmp_path: object
) -> None:
    engine = make_engine(database_url, pool_size=1)
    documents = [response("dev-1") for _ in range(40)]
    with session_factory(engine)() as session:
        token = devices.issue_token(session, "lobby")
        devices.authenticate(session, f"Bearer {token}", "dev-1")
        ingest.receive_batch(session, "dev-1", str(uuid.uuid4()), documents)
        devices.record_heartbeat(session, "dev-1", {"queue_depth": 0})
        session.commit()
        before = queries.report(session)
    revision = current_revision(engine)
    engine.dispose()

    url = make_url(database_url)
    dump = f"{tmp_path}/hub.dump"
    connection = ["-h", str(url.host), "-p", str(url.port), "-U", str(url.username)]
    bin_dir = server_bin_dir()
    subprocess.run(
        [str(bin_dir / "pg_dump"), *connection, "-Fc", "-f", dump, str(url.database)], check=True
    )
    restored_name = cluster().create_database()
    subprocess.run(
        [str(bin_dir / "pg_restore"), *connection, "--no-owner", "-d", restored_name, dump],
        check=True,
    )
    restored = make_engine(cluster().url(restored_name), pool_size=1)
    try:
        assert revision is not None and current_revision(restored) == revision
        with session_factory(restored)() as session:
            assert queries.report(session) == before
            again = ingest.receive_batch(session, "dev-1", str(uuid.uuid4()), documents[:5])
            assert {verdict for _, verdict, _ in again} == {"duplicate"}
            devices.authenticate(session, f"Bearer {token}", "dev-1")  # the token still works
    finally:
        restored.dispose()
        cluster().drop_database(restored_name)

"""Simulated responses travel with their mark, and the reference backend keeps them apart."""

from __future__ import annotations

import time
from pathlib import Path

from kiosk.protocol.payload import content_hash, response_document
from kiosk.storage import Repository, open_database
from kiosk_hub.reference.server import ReferenceBackend
from tests.factories import opinion_draft
from tests.http.conftest import EngineFactory


def test_simulated_and_real_responses_upload_and_the_server_counts_the_simulated(
    tmp_path: Path, backend: ReferenceBackend, make_engine: EngineFactory
) -> None:
    (tmp_path / "kiosk").mkdir()
    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        repository = Repository(database)
        real = [repository.save_response(opinion_draft()) for _ in range(3)]
        repository.simulated = True
        fake = [repository.save_response(opinion_draft()) for _ in range(2)]
        assert "simulated" not in response_document(real[0])  # unchanged document and hash
        assert response_document(fake[0])["simulated"] is True
        assert content_hash(response_document(fake[0])) != content_hash(
            {k: v for k, v in response_document(fake[0]).items() if k != "simulated"}
        )
        report = make_engine(database).run_pass(time.sleep, max_failures=10)
        assert report.sent == 5 and report.remaining == 0
    finally:
        database.close()
    server = backend.store.report()
    assert server["responses_stored"] == 5 and server["rejected"] == 0
    assert server["simulated_responses"] == 2

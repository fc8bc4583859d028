"""5,000 responses reach the reference backend exactly once, whatever fault it injects."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from kiosk.protocol.payload import content_hash, response_document
from kiosk.storage import Database, Repository
from kiosk.storage.models import ResponseRow
from kiosk.storage.outbox import Outbox
from kiosk.storage.wire import response_documents
from kiosk_hub.reference.server import ReferenceBackend

from .conftest import BIG, EngineFactory, Faults

BOTH_SERVERS = True  # every test with a `backend` runs against the reference backend and the hub

FAULTS = {
    "server errors (503)": Faults(error_share=0.3, seed=1),
    "added latency": Faults(latency_s=0.02, seed=2),
    "429 with Retry-After": Faults(throttle_share=0.3, retry_after_s=0, seed=3),
    "connection closed before commit": Faults(drop_before_share=0.3, seed=4),
    "connection closed after commit": Faults(drop_after_share=0.3, seed=5),
    "all of them mixed": Faults(
        error_share=0.1,
        latency_s=0.005,
        throttle_share=0.1,
        retry_after_s=0,
        drop_before_share=0.1,
        drop_after_share=0.15,
        seed=6,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_every_response_arrives_exactly_once(
    faults: Faults, backend: ReferenceBackend, big_store: Database, make_engine: EngineFactory
) -> None:
    backend.faults = faults
    engine = make_engine(big_store)
    report = engine.run_pass(time.sleep, max_failures=100)

    summary = Outbox(big_store).summary()
    assert (summary.sent, summary.unsent, summary.quarantined) == (BIG, 0, 0)
    assert report.remaining == 0 and report.sent == BIG
    server = backend.store.report()
    assert server["distinct_response_ids"] == server["responses_stored"] == BIG
    assert server["conflicts"] == server["rejected"] == 0
    if faults.drop_after_share:
        # The dangerous case happened and was absorbed: the server had it, the kiosk resent it.
        assert server["duplicate_deliveries_absorbed"] > 0
        assert server["batch_deliveries"] > server["batches_received"]
    if faults.error_share or faults.throttle_share or faults.drop_before_share:
        assert report.failures > 0
    # What arrived is what the kiosk stored: the same ids, and the same canonical content.
    with big_store.sessions() as session:
        ids = list(session.scalars(select(ResponseRow.id)))
        documents = response_documents(session, ids)
    local = {i: content_hash(json.loads(d)) for i, d in documents.items()}
    assert backend.store.content_hashes() == local
    repository = Repository(big_store)
    for response_id in sorted(local)[:: BIG // 20]:  # and the documents are the stored fields
        stored = repository.response(response_id)
        assert stored is not None
        assert backend.store.document(response_id) == response_document(stored)

"""Sync fixtures: a reference backend on loopback, stores full of responses, sync configs."""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config.settings import KioskConfig
from kiosk.storage import Database, open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient
from kiosk.sync.credentials import MemoryKeyring, store_token
from kiosk.sync.engine import Limits, SyncEngine
from kiosk_hub.reference.server import Faults, ReferenceBackend
from tests.conftest import SAMPLE_CONTENT

TOKEN = "tok-3f9a1c7e5b2d4a6f8e0c"  # a made-up device token, searched for in every output
BIG = 5000


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules that set BOTH_SERVERS = True run each `backend` test against both servers, except
    the tests they name in REFERENCE_ONLY."""
    only_reference = metafunc.definition.name in getattr(metafunc.module, "REFERENCE_ONLY", ())
    both = getattr(metafunc.module, "BOTH_SERVERS", False) and not only_reference
    if "backend" in metafunc.fixturenames and both:
        metafunc.parametrize("backend", ["reference", "hub"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReferenceBackend]:
    """A server of the protocol on a free loopback port: the reference backend with its own
    SQLite file, or (for modules that run against both) the hub on a fresh PostgreSQL database.
    Both offer url, faults, content_dir, feed_path and the store's read API."""
    content = tmp_path / "served-content"
    shutil.copytree(SAMPLE_CONTENT, content)
    if getattr(request, "param", "reference") == "hub":
        from tests.hub.fixtures import running_hub

        with running_hub(content, TOKEN) as hub:
            yield hub  # type: ignore[misc]
        return
    server = ReferenceBackend(tmp_path / "backend.sqlite3", content, token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def big_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 queued responses, written once per run and copied for each test that needs them."""
    path = tmp_path_factory.mktemp("template") / "kiosk.sqlite3"
    database = open_database(path)
    save_many(database, synthetic_drafts(BIG, seed=11))
    database.close()  # checkpoints the WAL into the file, so a plain copy is complete
    return path


@pytest.fixture
def big_store(tmp_path: Path, big_store_template: Path) -> Iterator[Database]:
    target = tmp_path / "kiosk" / "kiosk.sqlite3"
    target.parent.mkdir()
    shutil.copy(big_store_template, target)
    database = open_database(target)
    yield database
    database.close()


EngineFactory = Callable[..., SyncEngine]


@pytest.fixture
def make_engine(backend: ReferenceBackend) -> Iterator[EngineFactory]:
    """Engines on a store, talking to the backend; fast backoff so faults cost milliseconds."""
    engines: list[SyncEngine] = []

    def make(database: Database, batch: int = 500, read_timeout_s: float = 10.0) -> SyncEngine:
        client = BackendClient(backend.url, database.device_id, TOKEN, 2.0, read_timeout_s)
        engine = SyncEngine(
            Outbox(database), client, Limits(batch, 5_000_000, 0.005, 0.05), random.Random(3).random
        )
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()


def sync_config(config: KioskConfig, url: str, **sync: object) -> KioskConfig:
    """The test config with sync pointed at `url` and timings fit for tests."""
    settings = {
        "backend_url": url,
        "connect_timeout_s": 2.0,
        "read_timeout_s": 5.0,
        "backoff_base_s": 0.05,
        "backoff_cap_s": 0.5,
        "interval_s": 0.2,
        "content_interval_s": 0.3,
        "heartbeat_interval_s": 0.5,
        **sync,
    }
    return config.model_copy(update={"sync": config.sync.model_copy(update=settings)})


@pytest.fixture
def keyring_with_token(backend: ReferenceBackend) -> MemoryKeyring:
    """The tests' keyring: in memory, through the keyring API, holding the token for `backend`."""
    memory = MemoryKeyring()
    store_token(memory, backend.url, TOKEN)
    return memory


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll with Qt events processed, so queued signals arrive while we wait."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        app = QApplication.instance()
        if app is not None:
            app.processEvents()
        time.sleep(0.01)


__all__ = ["BIG", "TOKEN", "Faults", "sync_config", "wait_until"]

"""The hub under test: one throwaway PostgreSQL cluster per run, one database per test.

The cluster is started on first use and stopped when the test process exits; each test gets a
copy of a migrated template database (CREATE DATABASE … TEMPLATE), dropped afterwards.
"""

from __future__ import annotations

import atexit
import io
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kiosk.config.settings import BUNDLED_CONTENT
from kiosk_hub import devices, queries
from kiosk_hub.db import make_engine, migrate, session_factory
from kiosk_hub.reference.server import Faults
from kiosk_hub.reference.store import OpenedContact
from kiosk_hub.server import HubServer
from kiosk_hub.settings import HubSettings
from kiosk_hub.throwaway_pg import ThrowawayCluster

_cluster: ThrowawayCluster | None = None
TEMPLATE = "hub_template"


def cluster() -> ThrowawayCluster:
    """The run's cluster, with a migrated template database."""
    global _cluster
    if _cluster is None:
        started = ThrowawayCluster().start()
        atexit.register(started.stop)
        with started.admin() as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        engine = make_engine(started.url(TEMPLATE), pool_size=1)
        migrate(engine)
        engine.dispose()
        _cluster = started
    return _cluster


@contextmanager
def hub_database() -> Iterator[str]:
    """The URL of a fresh, migrated database, dropped on exit."""
    pg = cluster()
    name = pg.create_database(template=TEMPLATE)
    try:
        yield pg.url(name)
    finally:
        pg.drop_database(name)


class HubStoreView:
    """The reference store's read API over the hub's database, for the shared protocol tests."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url, pool_size=2)
        self.sessions = session_factory(self.engine)
        self.url = url

    def _read(self, what: Any, *args: Any) -> Any:
        with self.sessions() as session:
            return what(session, *args)

    def report(self) -> dict[str, Any]:
        return dict(self._read(queries.report))

    def content_hashes(self) -> dict[str, str]:
        return dict(self._read(queries.content_hashes))

    def document(self, response_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._read(queries.document, response_id)
        return found

    def stored_ids(self) -> list[str]:
        return list(self._read(queries.stored_ids))

    def contact(self, response_id: str) -> OpenedContact | None:
        return None  # the hub never opens contact details without the ministry's key

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


class HubBackend:
    """A hub on loopback with the reference backend's test interface (url, faults, store, …)."""

    kind = "hub"

    def __init__(self, url: str, content_dir: Path, token: str | None) -> None:
        self.database_url = url
        self.settings = HubSettings(database_url=url, content_dir=Path(content_dir), pool_size=4)
        self.store = HubStoreView(url)
        if token is not None:
            with self.store.sessions() as session:
                devices.issue_token(session, "test kiosk", token)
                session.commit()
        self.server = HubServer(self.settings)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def faults(self) -> Faults:
        return self.server.injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.server.injector.faults = faults

    @property
    def content_dir(self) -> Path:
        return self.settings.content_dir

    @content_dir.setter
    def content_dir(self, directory: Path) -> None:
        self.settings.content_dir = Path(directory)

    @property
    def feed_path(self) -> Path | None:
        return self.settings.feed_path

    @feed_path.setter
    def feed_path(self, path: Path | None) -> None:
        self.settings.feed_path = None if path is None else Path(path)

    def start(self) -> HubBackend:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()
        self.store.close()


@contextmanager
def running_hub(content: Path, token: str | None) -> Iterator[HubBackend]:
    """A migrated database and a hub serving it, both gone afterwards."""
    with hub_database() as url:
        hub = HubBackend(url, content, token).start()
        try:
            yield hub
        finally:
            hub.stop()


def copy_content(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def sample_zip(folder: str = "pack", **changes: str | bytes) -> bytes:
    """The bundled pack zipped in a folder; `changes` replace (name → text) or add files."""
    files: dict[str, str | bytes] = {
        p.name: p.read_text("utf-8") for p in sorted(BUNDLED_CONTENT.glob("*.yaml"))
    }
    files.update(changes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}" if folder else name, text)
    return buffer.getvalue()


def retitled(title_en: str) -> str:
    text = (BUNDLED_CONTENT / "open-opinion.yaml").read_text("utf-8")
    return text.replace('en: "Share your view on foreign policy"', f'en: "{title_en}"', 1)

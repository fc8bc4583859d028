"""Hub fixtures: a fresh migrated PostgreSQL database per test, and a hub serving it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_CONTENT
from tests.hub.fixtures import HubBackend, hub_database, running_hub

TOKEN = "hub-test-token-6d1f0b9e2c4a"


@pytest.fixture
def database_url() -> Iterator[str]:
    with hub_database() as url:
        yield url


@pytest.fixture
def served_content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "served-content"))


@pytest.fixture
def hub(served_content: Path) -> Iterator[HubBackend]:
    """A hub on loopback holding one enrolment token, TOKEN."""
    with running_hub(served_content, TOKEN) as server:
        yield server

"""Web fixtures: a hub on loopback (fresh PostgreSQL database), accounts of every role, and
stored responses with receipt codes, written through the hub's own ingest path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_CONTENT
from tests.hub.fixtures import HubBackend, running_hub
from tests.web.support import PASSWORD, TOKEN, add_accounts


@pytest.fixture
def web_hub(tmp_path: Path) -> Iterator[HubBackend]:
    """A hub on loopback with one enrolment token and an account of each role."""
    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "served-content"))
    with running_hub(content, TOKEN) as hub:
        add_accounts(hub)
        yield hub


__all__ = ["PASSWORD", "TOKEN"]

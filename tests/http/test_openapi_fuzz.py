"""schemathesis, an OpenAPI fuzzer, against the reference backend: every answer documented in
docs/openapi.yaml and conforming to it, schema-valid requests accepted, undeclared methods 405."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk_hub.reference.server import ReferenceBackend
from tests.conftest import REPO, SAMPLE_CONTENT

from .conftest import TOKEN

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.slow
def test_the_reference_backend_is_clean_under_schemathesis(tmp_path: Path) -> None:
    assert SCHEMATHESIS.exists(), "schemathesis is a dev dependency (pyproject.toml)"
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    backend = ReferenceBackend(tmp_path / "backend.sqlite3", content, TOKEN).start()
    # One device id: a token serves one device, so fuzzed device ids would only meet 403s.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f'base-url = "{backend.url}/v1"\n'
        f'headers = {{ Authorization = "Bearer {TOKEN}" }}\n'
        '[parameters]\n"path.device_id" = "dev-1"\n',
        encoding="utf-8",
    )
    try:
        done = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(config), "run",
             str(REPO / "docs" / "openapi.yaml"),
             # Every check but negative_data_rejection: by design a response that breaks the
             # schema inside a well-formed batch gets a `rejected` verdict in a 200 (the kiosk
             # quarantines that response alone) instead of failing the whole batch.
             "--checks", "all", "--exclude-checks", "negative_data_rejection",
             "--max-examples", "25", "--seed", "1", "--workers", "1", "--no-color",
             "--suppress-health-check", "all", "--generation-database", "none",
             "--report-dir", str(tmp_path / "report")],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        backend.stop()
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "No issues found" in done.stdout

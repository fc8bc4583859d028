"""The wheel carries what the kiosk resolves at run time: config, sample content, feed, migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.config.settings import BUNDLED_CONFIG, BUNDLED_CONTENT
from kiosk.feedback.feed import SAMPLE_FEED
from tests.conftest import REPO


@pytest.mark.slow
def test_the_wheel_holds_the_bundled_config_content_and_feed(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(REPO)],
        check=True, timeout=600, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "kiosk/config/defaults/kiosk.toml",
        "kiosk/config/defaults/feed-sample.json",
        "kiosk/storage/migrations/versions/0006_simulated.py",
        *(f"kiosk/config/defaults/content/{p.name}" for p in BUNDLED_CONTENT.glob("*.yaml")),
    }
    assert len(expected) >= 7 and expected <= names, sorted(expected - names)
    # What the code resolves is inside the package, not beside the checkout.
    package = REPO / "kiosk"
    for path in (BUNDLED_CONFIG, BUNDLED_CONTENT, SAMPLE_FEED):
        assert path.is_relative_to(package), path

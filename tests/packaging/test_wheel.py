"""The wheel carries what the kiosk resolves at run time: config, sample content, feed, migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.config.settings import BUNDLED_CONFIG, BUNDLED_CONTENT
from kiosk.feedback.feed import SAMPLE_FEED
from tests.conftest import REPO

# Not copied: what is not source. The build runs in the copy, as setuptools writes build/ (and
# egg-info) beside the sources it builds and the checkout must stay as it was.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


@pytest.mark.slow
def test_the_wheel_holds_the_bundled_config_content_and_feed(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(source)],
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

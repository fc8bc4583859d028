"""Every benchmark still runs (on tiny inputs): a schema change broke two of them silently once.

Timings are not checked here (benchmarks print them); only that each runs to its ratio line.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

SMALL = {
    "startup.py": ["--runs", "1"],
    "export.py": ["--responses", "300"],
    "hub_throughput.py": ["--responses", "200", "--batch", "50", "--clients", "2"],
    "keyboard.py": ["--keys", "60"],
    "live_results.py": ["--responses", "40", "--runs", "2"],
    "purge.py": ["--responses", "300"],
    "sync_throughput.py": ["--responses", "400", "--batch", "100", "--rounds", "1"],
    "durable_submit.py": ["--responses", "20"],
    "tap_latency.py": ["--visits", "1"],
    "soak.py": ["--visitors", "4", "--warmup", "2", "--samples", "2"],
    "ui_during_sync.py": [
        "--responses",
        "200",
        "--batch",
        "100",
        "--latency-ms",
        "200",
        "--idle-s",
        "0.3",
    ],
}


def test_every_benchmark_is_listed_here() -> None:
    # Modules whose names start with _ are the scripts' shared helpers, not benchmarks.
    scripts = (p.name for p in (REPO / "bench").glob("*.py") if not p.name.startswith("_"))
    assert sorted(scripts) == sorted(SMALL)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(SMALL))
def test_benchmark_runs_to_its_ratio_on_a_small_input(script: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *SMALL[script]],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ratio" in result.stdout.lower(), result.stdout

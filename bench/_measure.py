"""What the benchmark scripts share: a helper module, not a benchmark (its name starts with _)."""

from __future__ import annotations


def percentile(samples: list[float], share: float) -> float:
    """The sample at `share` (0.95 for p95) of the sorted samples, nearest rank, no interpolation."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

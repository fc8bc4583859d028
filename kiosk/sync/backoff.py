"""When to try again: a pure function of the attempt number, with the randomness passed in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A server asking for more than an hour is more likely broken than busy; check back after an hour.
MAX_RETRY_AFTER_S = 3600.0


def backoff_delay(attempt: int, base_s: float, cap_s: float, rand: Callable[[], float]) -> float:
    """Seconds to wait after the `attempt`-th consecutive failure (1, 2, ...).

    Exponential with "equal jitter": the ceiling doubles per attempt up to `cap_s`; half of it is
    always waited (so a fleet never hammers a recovering server) and the other half is random
    (so a fleet does not retry in lockstep). `rand()` returns a float in [0, 1).
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    ceiling = min(cap_s, base_s * 2.0 ** min(attempt - 1, 62))
    return ceiling / 2 + rand() * ceiling / 2


def retry_delay(
    attempt: int,
    base_s: float,
    cap_s: float,
    rand: Callable[[], float],
    retry_after_s: float | None = None,
) -> float:
    """The backoff delay, but never sooner than the server's Retry-After (bounded to an hour)."""
    delay = backoff_delay(attempt, base_s, cap_s, rand)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, MAX_RETRY_AFTER_S))
    return delay


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date; None when absent or garbled."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())

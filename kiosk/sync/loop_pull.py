"""Pull the "you said, we did" feed and the live results: one conditional GET each, validated."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import requests
from pydantic import ValidationError

from kiosk.core.errors import FeedError, StorageError
from kiosk.feedback.feed import parse_feed
from kiosk.feedback.live_results import BackendResults
from kiosk.storage.snapshots import Snapshot, SnapshotStore

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
# (connect, read) seconds: a lobby network is slow at worst, and the worker must not hang.
TIMEOUT = (3.05, 10.0)
MAX_BYTES = 1_000_000
PullStatus = Literal["updated", "not_modified", "refused", "unreachable"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PullOutcome:
    """What one pull did; `refused` and `unreachable` leave the last good copy in place."""

    status: PullStatus
    detail: str = ""


def _pull(
    http: requests.Session,
    url: str,
    store: SnapshotStore,
    validate: Callable[[Any, str], object],
    clock: Clock,
    timeout: tuple[float, float],
) -> PullOutcome:
    last = store.load()
    headers = {"Accept": "application/json"}
    if last is not None and last.etag:
        headers["If-None-Match"] = last.etag
    try:
        response = http.get(url, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:  # timeouts, refused connections, TLS failures
        log.warning("%s: unreachable (%s)", url, type(exc).__name__)
        return PullOutcome("unreachable", type(exc).__name__)
    with response:
        if response.status_code == 304 and last is not None:
            store.save(Snapshot(last.body, clock(), last.etag))  # confirmed current as of now
            return PullOutcome("not_modified")
        if response.status_code in (408, 429) or response.status_code >= 500:
            return PullOutcome("unreachable", f"HTTP {response.status_code}")
        if response.status_code != 200:
            log.error("%s: refused HTTP %s", url, response.status_code)
            return PullOutcome("refused", f"HTTP {response.status_code}")
        if len(response.content) > MAX_BYTES:
            return PullOutcome("refused", f"{url}: larger than {MAX_BYTES} bytes")
        try:
            body = response.json()
            validate(body, url)
        except (ValueError, FeedError, ValidationError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.error("%s: refused a malformed document, keeping the last good copy: %s", url, exc)
            return PullOutcome("refused", detail)
        etag = response.headers.get("ETag")
    try:
        store.save(Snapshot(body, clock(), etag))
    except StorageError as exc:
        log.error("could not keep the pulled document: %s", exc)
        return PullOutcome("refused", str(exc))
    return PullOutcome("updated")


def feed_url(base_url: str, device_id: str) -> str:
    return f"{base_url.rstrip('/')}/v1/devices/{device_id}/feed"


def results_url(base_url: str, device_id: str) -> str:
    return f"{base_url.rstrip('/')}/v1/devices/{device_id}/results"


def pull_feed(
    http: requests.Session,
    base_url: str,
    device_id: str,
    store: SnapshotStore,
    clock: Clock = _utc_now,
    timeout: tuple[float, float] = TIMEOUT,
) -> PullOutcome:
    """GET the feed (If-None-Match the last ETag); keep it only if it validates."""
    return _pull(http, feed_url(base_url, device_id), store, parse_feed, clock, timeout)


def pull_results(
    http: requests.Session,
    base_url: str,
    device_id: str,
    store: SnapshotStore,
    clock: Clock = _utc_now,
    timeout: tuple[float, float] = TIMEOUT,
) -> PullOutcome:
    """GET the live-results totals for this device; keep them only if they validate."""

    def validate(body: Any, source: str) -> None:
        results = BackendResults.model_validate(body)
        if results.device_id != device_id:
            raise FeedError(f"{source}: results are for device {results.device_id}")

    return _pull(http, results_url(base_url, device_id), store, validate, clock, timeout)

"""One sync pass, step by step: form or resume a batch, send it, apply the verdicts or back off."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from kiosk import __version__
from kiosk.protocol.payload import batch_body
from kiosk.storage.outbox import Outbox, Outgoing, PendingBatch, Settlement
from kiosk.storage.snapshots import SnapshotStore
from kiosk.sync.backoff import retry_delay
from kiosk.sync.client import (
    Acknowledged,
    BackendClient,
    Blocked,
    Delivered,
    Refused,
    RetryLater,
)
from kiosk.sync.content_pull import ContentCheck, check_content

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
SyncState = Literal["off", "idle", "sending", "waiting", "blocked", "stopped"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Limits:
    """The knobs of a pass (from the `[sync]` config section)."""

    batch_max_count: int = 200
    batch_max_bytes: int = 2_000_000
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step did: `sent` a batch, found the queue `empty`, or must `wait` until a time."""

    kind: Literal["sent", "empty", "wait", "quarantined", "blocked"]
    settlement: Settlement | None = None
    until: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The sync worker as staff see it: an immutable value carried by queued signals."""

    state: SyncState
    message: str
    queued: int = 0
    sending: int = 0
    sent: int = 0
    quarantined: int = 0
    oldest_unsent_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    content_version: str | None = None


@dataclass(frozen=True, slots=True)
class PassReport:
    """The summary of `kiosk sync --once`."""

    batches: int
    sent: int
    duplicates: int
    quarantined: int
    failures: int
    remaining: int
    last_error: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "batches": self.batches,
            "sent": self.sent,
            "duplicates_absorbed": self.duplicates,
            "quarantined": self.quarantined,
            "failures": self.failures,
            "remaining": self.remaining,
            "last_error": self.last_error,
        }


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class SyncEngine:
    """The upload logic without threads or Qt: the worker and `kiosk sync --once` both drive it."""

    def __init__(
        self,
        outbox: Outbox,
        client: BackendClient,
        limits: Limits,
        rand: Callable[[], float],
        clock: Clock = _utc_now,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.limits = limits
        self._rand = rand
        self._clock = clock
        self.failures = 0  # consecutive failed tries: the backoff's attempt number

    # -- batches ---------------------------------------------------------------------------
    def _form_batch(self) -> PendingBatch | None:
        """Form the next batch, oldest first within the count and byte caps, and persist it
        (its id and its members, `sending`) before the first try."""
        for _ in range(2):
            chosen: list[Outgoing] = []
            size = 0
            for response in self.outbox.candidates(self.limits.batch_max_count):
                # A single response over the cap still goes, alone: it cannot get smaller.
                if chosen and size + len(response.document) + 1 > self.limits.batch_max_bytes:
                    break
                chosen.append(response)
                size += len(response.document) + 1
            if not chosen:
                return None
            batch = self.outbox.create_batch(str(uuid.uuid4()), chosen, size)
            if batch is not None:
                return batch
            # A member changed between the read and the write: read again.
        return None

    def close(self) -> None:
        self.client.close()

    def step(self, force: bool = False) -> StepResult:
        """At most one request: the oldest open batch (same id, same responses) or a new one."""
        batch = self.outbox.open_batch()
        now = self._clock()
        if batch is not None and not batch.responses:
            self.outbox.settle(batch.id, {})  # every member was settled before a crash
            return self.step(force)
        if (
            batch is not None
            and batch.next_attempt_at
            and batch.next_attempt_at > now
            and not force
        ):
            return StepResult("wait", until=batch.next_attempt_at, reason="backing off")
        if batch is None:
            batch = self._form_batch()  # its id on disk before the first try
            if batch is None:
                return StepResult("empty")
        else:
            self.outbox.mark_sending(batch.id)
        body = batch_body(batch.id, [r.document for r in batch.responses])
        outcome = self.client.post_batch(batch.id, body)
        if isinstance(outcome, Delivered):
            verdicts = {rid: (verdict, reason) for rid, verdict, reason in outcome.verdicts}
            settlement = self.outbox.settle(
                batch.id, verdicts, last_success_at=_stamp(self._clock())
            )
            self.failures = 0
            if settlement.quarantined:
                log.warning(
                    "%d response(s) of batch %s quarantined by the server",
                    settlement.quarantined,
                    batch.id,
                )
            return StepResult("sent", settlement=settlement)
        if isinstance(outcome, Refused):
            count = self.outbox.quarantine_batch(batch.id, outcome.reason)
            self._error(f"batch refused, {count} response(s) quarantined: {outcome.reason}")
            return StepResult("quarantined", reason=outcome.reason)
        self.failures += 1
        if isinstance(outcome, Blocked):
            delay = self.limits.backoff_cap_s
            kind: Literal["wait", "blocked"] = "blocked"
        else:
            assert isinstance(outcome, RetryLater)
            delay = retry_delay(
                self.failures,
                self.limits.backoff_base_s,
                self.limits.backoff_cap_s,
                self._rand,
                outcome.retry_after_s,
            )
            kind = "wait"
        until = self._clock() + timedelta(seconds=delay)
        self.outbox.retry_later(batch.id, outcome.reason, until)
        self._error(outcome.reason)
        log.info("batch %s not delivered (%s); next try in %.1f s", batch.id, outcome.reason, delay)
        return StepResult(kind, until=until, reason=outcome.reason)

    def _error(self, reason: str) -> None:
        self.outbox.record(last_error=reason, last_error_at=_stamp(self._clock()))

    def run_pass(self, sleep: Callable[[float], None], max_failures: int = 5) -> PassReport:
        """Send until the queue is empty, backing off between failures; give up after
        `max_failures` consecutive ones (the queue stays intact for the next pass)."""
        batches = sent = duplicates = quarantined = failures = 0
        last_error: str | None = None
        while True:
            result = self.step()
            if result.kind == "empty":
                break
            if result.kind == "sent" and result.settlement is not None:
                batches += 1
                sent += result.settlement.sent
                duplicates += result.settlement.duplicates
                quarantined += result.settlement.quarantined
                continue
            last_error = result.reason
            if result.kind == "quarantined":
                continue
            failures += 1
            if self.failures >= max_failures or result.kind == "blocked":
                break
            assert result.until is not None
            sleep(max(0.0, (result.until - self._clock()).total_seconds()))
        summary = self.outbox.summary()
        quarantined_now = summary.quarantined
        return PassReport(
            batches, sent, duplicates, quarantined_now, failures, summary.unsent, last_error
        )

    # -- content and heartbeat ---------------------------------------------------------------
    def check_content(
        self, data_dir: Path, languages: Sequence[str], signing_key: str | None = None
    ) -> ContentCheck:
        facts = self.outbox.facts()
        found = check_content(
            self.client, data_dir, facts.get("content_etag"), languages, signing_key
        )
        if found.pack is not None:
            self.outbox.record(content_etag=found.etag, content_version=found.pack.version)
        if found.problem is not None:
            self._error(found.problem)
        return found

    def heartbeat(self, data_dir: Path, content_version: str | None) -> bool:
        """Tell the backend how this kiosk is doing; True when it was acknowledged."""
        summary = self.outbox.summary()
        facts = self.outbox.facts()
        now = self._clock()
        oldest = summary.oldest_unsent_at
        document = {
            "sent_at": _stamp(now),
            "queue_depth": summary.unsent,
            "quarantined": summary.quarantined,
            "oldest_unsent_age_s": None if oldest is None else int((now - oldest).total_seconds()),
            "last_success_at": facts.get("last_success_at"),
            "free_disk_bytes": shutil.disk_usage(data_dir).free,
            "app_version": __version__,
            "content_version": content_version or facts.get("content_version"),
        }
        return isinstance(self.client.post_heartbeat(document), Acknowledged)

    def pull_loop(self, feed_store: SnapshotStore, results_store: SnapshotStore) -> bool:
        """Pull the feed and the live-results totals (issue 7) into their last-good-copy files;
        True when either changed. Failures keep the old copies (kiosk.sync.loop_pull says why)."""
        from kiosk.sync.loop_pull import (  # loads requests: only when pulling
            pull_feed,
            pull_results,
        )

        client = self.client
        args = (client.http, client.base_url, client.device_id)
        feed = pull_feed(*args, feed_store, self._clock, client.timeout)
        results = pull_results(*args, results_store, self._clock, client.timeout)
        for name, outcome in (("feed", feed), ("results", results)):
            if outcome.status in ("refused", "unreachable"):
                log.info(
                    "%s pull: %s (%s); the last copy stays", name, outcome.status, outcome.detail
                )
        return "updated" in (feed.status, results.status)

    def status(self, state: SyncState, message: str) -> SyncStatus:
        summary = self.outbox.summary()
        facts = self.outbox.facts()
        return SyncStatus(
            state=state,
            message=message,
            queued=summary.queued,
            sending=summary.sending,
            sent=summary.sent,
            quarantined=summary.quarantined,
            oldest_unsent_at=summary.oldest_unsent_at,
            last_success_at=_parse(facts.get("last_success_at")),
            last_error=facts.get("last_error"),
            last_error_at=_parse(facts.get("last_error_at")),
            next_attempt_at=self.outbox.next_attempt_at(),
            content_version=facts.get("content_version"),
        )

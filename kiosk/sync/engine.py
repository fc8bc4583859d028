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
    Invalid,
    TooLarge,
    WrongServer,
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

    kind: Literal["sent", "empty", "wait", "quarantined", "blocked", "split"]
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
    server_problem: str | None = None  # the backend answers outside the protocol: staff act


# The sync fact naming a wrong or broken server; cleared by the next delivered batch.
SERVER_PROBLEM = "server_problem"


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
    quarantined_this_pass: int = 0
    server_problem: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "batches": self.batches,
            "sent": self.sent,
            "duplicates_absorbed": self.duplicates,
            "quarantined": self.quarantined,
            "quarantined_this_pass": self.quarantined_this_pass,
            "failures": self.failures,
            "remaining": self.remaining,
            "last_error": self.last_error,
            "server_problem": self.server_problem,
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
        # Set by a 413 or a 400 to bisect: batches stay this small until the queue is empty.
        self._count_cap: int | None = None
        # Batch-level quarantines left in this pass: one, so a wrong server cannot strand a queue.
        self._quarantine_budget = 1
        self.quarantined_this_pass = 0
        self._problem_recorded = True  # unknown at start: a stale one may be on disk

    def begin_pass(self) -> None:
        """A new pass: one batch-level quarantine allowed again."""
        self._quarantine_budget = 1
        self.quarantined_this_pass = 0

    # -- batches ---------------------------------------------------------------------------
    def _form_batch(self) -> PendingBatch | None:
        """Form the next batch, oldest first within the count and byte caps, and persist it
        (its id and its members, `sending`) before the first try."""
        for _ in range(2):
            chosen: list[Outgoing] = []
            size = 0
            count = self.limits.batch_max_count
            if self._count_cap is not None:
                count = min(count, self._count_cap)
            for response in self.outbox.candidates(count):
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
                self._count_cap = None
                return StepResult("empty")
        else:
            self.outbox.mark_sending(batch.id)
        body = batch_body(batch.id, [r.document for r in batch.responses])
        outcome = self.client.post_batch(batch.id, body)
        if isinstance(outcome, Delivered):
            verdicts = {rid: (verdict, reason) for rid, verdict, reason in outcome.verdicts}
            # The server problem is cleared once (the first success of this engine, or the first
            # after a problem), not rewritten with every batch.
            clear = {SERVER_PROBLEM: None} if self._problem_recorded else {}
            settlement = self.outbox.settle(
                batch.id, verdicts, last_success_at=_stamp(self._clock()), **clear
            )
            self._problem_recorded = False
            self.failures = 0
            if settlement.quarantined:
                log.warning(
                    "%d response(s) of batch %s quarantined by the server",
                    settlement.quarantined,
                    batch.id,
                )
                self.quarantined_this_pass += settlement.quarantined
            return StepResult("sent", settlement=settlement)
        if isinstance(outcome, TooLarge | Invalid):
            return self._refused(batch, outcome)
        self.failures += 1
        if isinstance(outcome, Blocked):
            delay = self.limits.backoff_cap_s
            kind: Literal["wait", "blocked"] = "blocked"
        else:
            delay = retry_delay(
                self.failures,
                self.limits.backoff_base_s,
                self.limits.backoff_cap_s,
                self._rand,
                outcome.retry_after_s,
            )
            kind = "wait"
            if isinstance(outcome, WrongServer):
                log.warning("the backend answers outside the protocol: %s", outcome.reason)
                self.outbox.record(**{SERVER_PROBLEM: outcome.reason})
                self._problem_recorded = True
        return self._back_off(batch, outcome.reason, delay, kind)

    def _back_off(
        self, batch: PendingBatch, reason: str, delay: float, kind: Literal["wait", "blocked"]
    ) -> StepResult:
        """Keep the batch (same id, same responses) for a later try."""
        until = self._clock() + timedelta(seconds=delay)
        self.outbox.retry_later(batch.id, reason, until)
        self._error(reason)
        log.info("batch %s not delivered (%s); next try in %.1f s", batch.id, reason, delay)
        return StepResult(kind, until=until, reason=reason)

    def _refused(self, batch: PendingBatch, outcome: TooLarge | Invalid) -> StepResult:
        """413 splits the batch; a 400 quarantines the responses it names, or bisects the batch
        down to the one response it refuses. At most one batch is quarantined per pass."""
        members = {r.id for r in batch.responses}
        named = (
            [i for i in outcome.response_ids if i in members]
            if isinstance(outcome, Invalid)
            else []
        )
        if not named and len(batch.responses) > 1:
            half = (len(batch.responses) + 1) // 2
            self._count_cap = half
            self.outbox.release_batch(batch.id, f"split in two: {outcome.reason}")
            log.info("batch %s refused (%s); sending halves of %d", batch.id, outcome.reason, half)
            return StepResult("split", reason=outcome.reason)
        if self._quarantine_budget <= 0:
            # A second refusal in one pass looks more like a broken server than bad data.
            self.failures += 1
            reason = f"a second batch refused in one pass, kept queued: {outcome.reason}"
            self.outbox.record(**{SERVER_PROBLEM: reason})
            self._problem_recorded = True
            delay = retry_delay(
                self.failures, self.limits.backoff_base_s, self.limits.backoff_cap_s, self._rand
            )
            return self._back_off(batch, reason, delay, "wait")
        self._quarantine_budget -= 1
        if isinstance(outcome, TooLarge):
            reason = f"too large for the server: {outcome.reason}"
        else:
            reason = f"refused by the server: {outcome.reason}"
        count = self.outbox.quarantine_named(batch.id, named or list(members), reason)
        self._count_cap = None  # the culprit is out: full batches again
        self.quarantined_this_pass += count
        self._error(f"{count} response(s) quarantined: {reason}")
        log.warning("batch %s: %d response(s) quarantined (%s)", batch.id, count, reason)
        return StepResult("quarantined", reason=reason)

    def _error(self, reason: str) -> None:
        self.outbox.record(last_error=reason, last_error_at=_stamp(self._clock()))

    def run_pass(self, sleep: Callable[[float], None], max_failures: int = 5) -> PassReport:
        """Send until the queue is empty, backing off between failures; give up after
        `max_failures` consecutive ones (the queue stays intact for the next pass)."""
        self.begin_pass()
        batches = sent = duplicates = failures = 0
        last_error: str | None = None
        while True:
            result = self.step()
            if result.kind == "empty":
                break
            if result.kind == "sent" and result.settlement is not None:
                batches += 1
                sent += result.settlement.sent
                duplicates += result.settlement.duplicates
                continue
            last_error = result.reason
            if result.kind in ("quarantined", "split"):
                continue
            failures += 1
            if self.failures >= max_failures or result.kind == "blocked":
                break
            assert result.until is not None
            sleep(max(0.0, (result.until - self._clock()).total_seconds()))
        summary = self.outbox.summary()
        return PassReport(
            batches,
            sent,
            duplicates,
            summary.quarantined,
            failures,
            summary.unsent,
            last_error,
            self.quarantined_this_pass,
            self.outbox.facts().get(SERVER_PROBLEM),
        )

    # -- content and heartbeat ---------------------------------------------------------------
    def check_content(
        self, data_dir: Path, languages: Sequence[str], signing_keys: Sequence[str] = ()
    ) -> ContentCheck:
        facts = self.outbox.facts()
        found = check_content(
            self.client, data_dir, facts.get("content_etag"), languages, signing_keys
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
            "sync_problem": facts.get(SERVER_PROBLEM),
        }
        return isinstance(self.client.post_heartbeat(document), Acknowledged)

    def pull_loop(self, feed_store: SnapshotStore, results_store: SnapshotStore) -> bool:
        """Pull the feed and the live-results totals into their last-good-copy files;
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
            server_problem=facts.get(SERVER_PROBLEM),
        )

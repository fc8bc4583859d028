"""The sync commands of `kiosk`: enroll, sync --once, and the sync facts of `kiosk status`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kiosk.config.settings import KioskConfig

Common = Callable[[argparse.ArgumentParser], None]
ConfigOf = Callable[[argparse.Namespace], KioskConfig]


def add_parsers(commands: Any, common: Common) -> None:
    """Add enroll and sync to the `kiosk` parser."""
    enroll = commands.add_parser(
        "enroll", help="store the device token (read from standard input) in the keyring"
    )
    common(enroll)
    enroll.add_argument("--backend", required=True, help="https URL of the ministry backend")
    sync = commands.add_parser("sync", help="upload queued responses")
    common(sync)
    mode = sync.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--once",
        action="store_true",
        help="one full pass, then exit; 0 only when everything was delivered and none quarantined",
    )
    mode.add_argument(
        "--requeue",
        action="store_true",
        help="put every quarantined response back in the queue (after fixing the server side)",
    )
    sync.add_argument(
        "--max-failures", type=int, default=5, help="consecutive failed tries before giving up"
    )


def cmd_enroll(args: argparse.Namespace, config_of: ConfigOf) -> int:
    from kiosk.core.urls import check_backend_url
    from kiosk.storage import open_database
    from kiosk.sync.credentials import store_token
    from kiosk.sync.setup import ENROLLED_URL, configured_keyring

    config = config_of(args)
    try:
        url = check_backend_url(args.backend)
    except ValueError as exc:
        print(f"kiosk: --backend: {exc}", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        token = getpass.getpass("device token (not echoed): ")
    else:
        token = sys.stdin.readline()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store_token(configured_keyring(config), url, token)
    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        from kiosk.storage.outbox import Outbox

        Outbox(database).record(**{ENROLLED_URL: url})
        device = database.device_id
    finally:
        database.close()
    where = config.keyring_path if config.sync.keyring == "file" else "the system keyring"
    print(f"enrolled device {device} with {url}; token stored in {where}")
    if config.sync.backend_url and config.sync.backend_url != url:
        print(f"note: the config's [sync] backend_url ({config.sync.backend_url}) takes precedence")
    return 0


def cmd_sync(args: argparse.Namespace, config_of: ConfigOf) -> int:
    from kiosk.storage import open_database
    from kiosk.storage.outbox import Outbox
    from kiosk.sync.setup import build_engine, plan_sync

    config = config_of(args)
    database = open_database(config.db_path, config.storage.backups_kept)
    if args.requeue:
        try:
            moved = Outbox(database).requeue_quarantined()
            from kiosk.storage.repository import Repository

            Repository(database).record_audit("cli", "sync.requeued", responses=moved)
        finally:
            database.close()
        print(json.dumps({"requeued": moved}))
        return 0
    try:
        plan = plan_sync(config, database)
        if not plan.enabled:
            remaining = Outbox(database).summary().unsent
            print(json.dumps({"state": "off", "reason": plan.off_reason, "remaining": remaining}))
            return 0 if remaining == 0 else 1
        engine = build_engine(config, database, plan)
        try:
            report = engine.run_pass(time.sleep, max_failures=args.max_failures)
            content = engine.check_content(
                config.data_dir, config.visit.languages, config.content.accepted_signing_keys
            )
            heartbeat = engine.heartbeat(config.data_dir, None)
        finally:
            engine.close()
    finally:
        database.close()
    state = "done" if report.remaining == 0 else "incomplete"
    if report.quarantined:
        state = "quarantined"  # staff: look at the reasons, then `kiosk sync --requeue`
    summary = {
        "state": state,
        **report.as_dict(),
        "content": content.problem or ("new pack received" if content.pack else "unchanged"),
        "heartbeat": "acknowledged" if heartbeat else "not acknowledged",
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if report.remaining == 0 and report.quarantined == 0 else 1


def status_section(config: KioskConfig, database: Any) -> dict[str, Any]:
    """The `sync` part of `kiosk status`: queue, quarantine, last success and error."""
    from kiosk.storage.outbox import Outbox
    from kiosk.sync.credentials import CredentialsError
    from kiosk.sync.setup import plan_sync

    outbox = Outbox(database)
    summary = outbox.summary()
    facts = outbox.facts()
    try:
        plan = plan_sync(config, database)
        off_reason = plan.off_reason
    except CredentialsError as exc:
        plan, off_reason = None, f"sync is off: {exc}"
    oldest = summary.oldest_unsent_at
    return {
        "configured": off_reason is None,
        "off_reason": off_reason,
        "backend_url": plan.backend_url if plan else None,
        "queued": summary.queued,
        "sending": summary.sending,
        "sent": summary.sent,
        "quarantined": summary.quarantined,
        "oldest_unsent_age_s": None
        if oldest is None
        else int((datetime.now(UTC) - oldest).total_seconds()),
        "last_success_at": facts.get("last_success_at"),
        "last_error": facts.get("last_error"),
        "last_error_at": facts.get("last_error_at"),
        "content_version": facts.get("content_version"),
        "server_problem": facts.get("server_problem"),
        "quarantined_responses": [
            {"response_id": q.response_id, "form_id": q.form_id, "reason": q.reason}
            for q in outbox.quarantined(limit=50)
        ],
    }

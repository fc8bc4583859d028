"""The sync commands of `kiosk`: enroll, sync --once, reference-backend [report], status facts."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import BUNDLED_CONFIG, KioskConfig

Common = Callable[[argparse.ArgumentParser], None]
ConfigOf = Callable[[argparse.Namespace], KioskConfig]
REFERENCE_HELP = (
    "serve the sync protocol from a SQLite file: the executable specification for integrators and "
    "the server of the sync tests. A reference, NOT the ministry's production server."
)


def add_parsers(commands: Any, common: Common) -> None:
    """Add enroll, sync and reference-backend to the `kiosk` parser."""
    enroll = commands.add_parser(
        "enroll", help="store the device token (read from standard input) in the keyring"
    )
    common(enroll)
    enroll.add_argument("--backend", required=True, help="https URL of the ministry backend")
    sync = commands.add_parser("sync", help="upload queued responses")
    common(sync)
    sync.add_argument("--once", action="store_true", required=True, help="one full pass, then exit")
    sync.add_argument(
        "--max-failures", type=int, default=5, help="consecutive failed tries before giving up"
    )
    reference = commands.add_parser(
        "reference-backend", help=REFERENCE_HELP, description=REFERENCE_HELP
    )
    reference.add_argument("--db", type=Path, help="the backend's SQLite file (required to serve)")
    reference.add_argument("--port", type=int, default=8400, help="0 picks a free port")
    reference.add_argument("--host", default="127.0.0.1")
    reference.add_argument("--token", help="the only device token accepted (default: any)")
    reference.add_argument(
        "--content", type=Path, default=BUNDLED_CONFIG.parent / "content", help="forms to serve"
    )
    reference.add_argument(
        "--feed", type=Path, help="the feed JSON to serve at GET .../feed (default: the sample)"
    )
    reference.add_argument(
        "--contact-key",
        type=Path,
        metavar="PATH",
        help="private key PEM from `kiosk keys generate`: open the sealed contact details",
    )
    faults = reference.add_argument_group("fault injection (shares of batch requests, 0 to 1)")
    faults.add_argument("--error-share", type=float, default=0.0, help="answer 503")
    faults.add_argument("--latency-ms", type=int, default=0, help="wait before each batch")
    faults.add_argument("--throttle-share", type=float, default=0.0, help="answer 429")
    faults.add_argument("--retry-after", type=int, default=1, help="Retry-After of a 429, seconds")
    faults.add_argument("--drop-before-share", type=float, default=0.0, help="close before commit")
    faults.add_argument("--drop-after-share", type=float, default=0.0, help="close after commit")
    faults.add_argument("--conflict-share", type=float, default=0.0, help="answer conflict")
    faults.add_argument("--seed", type=int, default=0)
    reference_commands = reference.add_subparsers(dest="reference_command")
    report = reference_commands.add_parser("report", help="print what the backend received (JSON)")
    report.add_argument("--db", type=Path, required=True, dest="report_db")


def cmd_enroll(args: argparse.Namespace, config_of: ConfigOf) -> int:
    from kiosk.storage import open_database
    from kiosk.sync.credentials import store_token
    from kiosk.sync.setup import ENROLLED_URL, configured_keyring
    from kiosk.sync.urls import check_backend_url

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
    try:
        plan = plan_sync(config, database)
        if not plan.enabled:
            remaining = Outbox(database).summary().unsent
            print(json.dumps({"state": "off", "reason": plan.off_reason, "remaining": remaining}))
            return 0 if remaining == 0 else 1
        engine = build_engine(config, database, plan)
        try:
            report = engine.run_pass(time.sleep, max_failures=args.max_failures)
            content = engine.check_content(config.data_dir, config.visit.languages)
            heartbeat = engine.heartbeat(config.data_dir, None)
        finally:
            engine.close()
    finally:
        database.close()
    summary = {
        "state": "done" if report.remaining == 0 else "incomplete",
        **report.as_dict(),
        "content": content.problem or ("new pack received" if content.pack else "unchanged"),
        "heartbeat": "acknowledged" if heartbeat else "not acknowledged",
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if report.remaining == 0 else 1


def cmd_reference_backend(args: argparse.Namespace, _config_of: ConfigOf) -> int:
    if args.reference_command == "report":
        from kiosk.storage.backend_store import read_report

        try:
            report = read_report(args.report_db)
        except FileNotFoundError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    from kiosk.sync.reference_backend import Faults, ReferenceBackend

    if args.db is None:
        print("kiosk: reference-backend: --db FILE is required to serve", file=sys.stderr)
        return 2

    faults = Faults(
        error_share=args.error_share,
        latency_s=args.latency_ms / 1000,
        throttle_share=args.throttle_share,
        retry_after_s=args.retry_after,
        drop_before_share=args.drop_before_share,
        drop_after_share=args.drop_after_share,
        conflict_share=args.conflict_share,
        seed=args.seed,
    )
    contact_key = None
    if args.contact_key is not None:
        from kiosk.privacy_crypto import load_private_key_pem

        try:
            contact_key = load_private_key_pem(args.contact_key.read_bytes())
        except (OSError, ValueError) as exc:
            print(
                f"kiosk: reference-backend: --contact-key {args.contact_key}: {exc}",
                file=sys.stderr,
            )
            return 2
    backend = ReferenceBackend(
        args.db, args.content, args.token, faults, args.host, args.port, contact_key
    )
    backend.feed_path = args.feed
    print(f"reference backend (not for production) serving on {backend.url}", flush=True)
    try:
        backend.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        backend.store.close()
    return 0


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
        "quarantined_responses": [
            {"response_id": q.response_id, "form_id": q.form_id, "reason": q.reason}
            for q in outbox.quarantined(limit=50)
        ],
    }

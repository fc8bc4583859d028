"""The `kiosk-hub` command: the protocol's servers. Today the reference backend; the hub joins it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.config.settings import BUNDLED_CONTENT

REFERENCE_HELP = (
    "serve the sync protocol from a SQLite file: the executable specification for integrators and "
    "the server of the sync tests. A reference, NOT the ministry's production server."
)


def _add_reference_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reference = commands.add_parser(
        "reference-backend", help=REFERENCE_HELP, description=REFERENCE_HELP
    )
    reference.add_argument("--db", type=Path, help="the backend's SQLite file (required to serve)")
    reference.add_argument("--port", type=int, default=8400, help="0 picks a free port")
    reference.add_argument("--host", default="127.0.0.1")
    reference.add_argument("--token", help="the only device token accepted (default: any)")
    reference.add_argument("--content", type=Path, default=BUNDLED_CONTENT, help="forms to serve")
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


def cmd_reference_backend(args: argparse.Namespace) -> int:
    if args.reference_command == "report":
        from kiosk_hub.reference.store import read_report

        try:
            report = read_report(args.report_db)
        except FileNotFoundError as exc:
            print(f"kiosk-hub: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    from kiosk_hub.reference.server import Faults, ReferenceBackend

    if args.db is None:
        print("kiosk-hub: reference-backend: --db FILE is required to serve", file=sys.stderr)
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
        from kiosk.privacy.sealing import load_private_key_pem

        try:
            contact_key = load_private_key_pem(args.contact_key.read_bytes())
        except (OSError, ValueError) as exc:
            print(
                f"kiosk-hub: reference-backend: --contact-key {args.contact_key}: {exc}",
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


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; the exit code is the return value."""
    parser = argparse.ArgumentParser(prog="kiosk-hub", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_reference_parser(commands)
    args = parser.parse_args(argv)
    return cmd_reference_backend(args)

"""The `kiosk-hub` command: the ministry hub on PostgreSQL, and the reference backend.

Hub commands take `--database-url URL` (or $KIOSK_HUB_DATABASE_URL), a PostgreSQL URL such as
postgresql://hub@db.example/hub.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config.settings import BUNDLED_CONTENT
from kiosk_hub.settings import DATABASE_URL_ENV

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk_hub.alerts import Alert
    from kiosk_hub.devices import DeviceStatus

REFERENCE_HELP = (
    "serve the sync protocol from a SQLite file: the executable specification for integrators and "
    "the server of the sync tests. A reference, NOT the ministry's production server."
)


def _add_reference_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reference = commands.add_parser(
        # No abbreviations: the old `--token T` must fail, not be read as `--token-file T`.
        "reference-backend",
        help=REFERENCE_HELP,
        description=REFERENCE_HELP,
        allow_abbrev=False,
    )
    reference.add_argument("--db", type=Path, help="the backend's SQLite file (required to serve)")
    reference.add_argument("--port", type=int, default=8400, help="0 picks a free port")
    reference.add_argument("--host", default="127.0.0.1")
    reference.add_argument(
        "--token-file",
        type=Path,
        metavar="PATH",
        help="device tokens, one a line: `TOKEN` (serves the first device id that presents it) or "
        "`DEVICE_ID TOKEN`; or one token in $KIOSK_REFERENCE_TOKEN. Never on the command line, "
        "where every local account can read it. Neither: any token, each bound to one device",
    )
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
    from kiosk_hub.reference.tokens import ENV_VAR, read_token_file

    tokens: dict[str, str | None] = {}
    if args.token_file is not None:
        try:
            tokens = read_token_file(args.token_file)
        except (OSError, ValueError) as exc:
            print(f"kiosk-hub: reference-backend: --token-file: {exc}", file=sys.stderr)
            return 2
    elif os.environ.get(ENV_VAR, "").strip():
        tokens = {os.environ[ENV_VAR].strip(): None}
    backend = ReferenceBackend(
        args.db, args.content, None, faults, args.host, args.port, contact_key, tokens=tokens
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


def _add_hub_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def with_database(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text, description=help_text)
        parser.add_argument(
            "--database-url", metavar="URL", help=f"PostgreSQL URL (default: ${DATABASE_URL_ENV})"
        )
        return parser

    with_database("migrate", "create or upgrade the hub's tables (Alembic)")
    serve = with_database(
        "serve", "serve the sync protocol on uvicorn (TLS is terminated in front)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8500)
    serve.add_argument("--content", type=Path, default=BUNDLED_CONTENT, help="forms to serve")
    serve.add_argument("--feed", type=Path, help="the feed JSON to serve (default: the sample)")
    serve.add_argument(
        "--signing-key", type=Path, metavar="PATH", help="Ed25519 key (PEM) signing every pack"
    )
    user = with_database("create-user", "add a staff account (password read from stdin)")
    user.add_argument("--name", required=True)
    user.add_argument("--email")
    # Console roles (kiosk_hub/web/auth.py); "staff" is the older name of "viewer".
    user.add_argument(
        "--role", choices=("viewer", "analyst", "editor", "admin", "staff"), default="staff"
    )
    issue = with_database("issue-token", "issue an enrolment token (printed on stdout, once)")
    issue.add_argument("--device", required=True, metavar="NAME", help="a name for the kiosk")
    revoke = with_database("revoke-token", "revoke every token of a device (name or device id)")
    revoke.add_argument("--device", required=True, metavar="NAME_OR_ID")
    with_database("report", "print what the hub received (JSON, the reference report's keys)")
    with_database("devices", "print each kiosk's last heartbeat, versions and queue (JSON)")
    contacts = with_database(
        "contacts", "open the sealed contact details with the ministry's key (JSON lines)"
    )
    key = contacts.add_mutually_exclusive_group(required=True)
    key.add_argument("--key-file", type=Path, metavar="PATH", help="private key PEM")
    key.add_argument("--key-stdin", action="store_true", help="read the private key PEM on stdin")
    spec = commands.add_parser("openapi", help="print docs/openapi.yaml as the code defines it")
    spec.add_argument("--check", type=Path, metavar="FILE", help="exit 1 if FILE differs")
    keygen = commands.add_parser(
        "signing-key", help="make the hub's Ed25519 content-signing key; print its public half"
    )
    keygen.add_argument("--out", type=Path, required=True, help="private key file (PEM, 0600)")
    pack_commands = commands.add_parser(
        "packs", help="the content packs published in the console"
    ).add_subparsers(dest="packs_command", required=True)
    resign_help = (
        "sign every published (not withdrawn) pack again with this key, in one transaction: the "
        "step of a key rotation after restarting the hub with the new key "
        "(docs/hub-operations.md); prints how many packs were re-signed"
    )
    resign = pack_commands.add_parser("resign", help=resign_help, description=resign_help)
    resign.add_argument(
        "--database-url", metavar="URL", help=f"PostgreSQL URL (default: ${DATABASE_URL_ENV})"
    )
    resign.add_argument(
        "--signing-key", type=Path, required=True, metavar="PATH", help="the new Ed25519 key (PEM)"
    )
    sign = commands.add_parser("sign-pack", help="sign a pack folder for a USB stick (pack.sig)")
    sign.add_argument("folder", type=Path)
    sign.add_argument("--signing-key", type=Path, required=True, metavar="PATH")
    alerts = with_database("alerts", "check kiosks for alerts, mail new ones, print open ones")
    alerts.add_argument("--check", action="store_true", help="evaluate the rules first")
    alerts.add_argument("--smtp-host", help="mail new alerts through this SMTP server")
    alerts.add_argument("--smtp-port", type=int, default=25)
    alerts.add_argument("--mail-from", default="kiosk-hub@localhost")
    alerts.add_argument("--mail-to", action="append", default=[], metavar="ADDRESS")


def cmd_hub(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from kiosk_hub.settings import database_url_from

    try:
        url = database_url_from(args.database_url)
        return _run_hub(args, url)
    except ValueError as exc:
        print(f"kiosk-hub: {args.command}: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"kiosk-hub: {args.command}: database: {first}", file=sys.stderr)
        return 1


def _run_hub(args: argparse.Namespace, url: str) -> int:
    from kiosk_hub import devices, queries
    from kiosk_hub.db import make_engine, migrate, session_factory

    if args.command == "serve":
        return _serve(args, url)
    engine = make_engine(url, pool_size=1)
    try:
        if args.command == "migrate":
            migrate(engine)
            print("the hub's schema is up to date", file=sys.stderr)
            return 0
        with session_factory(engine)() as session:
            if args.command == "issue-token":
                token = devices.issue_token(session, args.device)
                session.commit()
                print(token)
            elif args.command == "revoke-token":
                count = devices.revoke_tokens(session, args.device)
                session.commit()
                print(f"{count} token(s) revoked", file=sys.stderr)
                return 0 if count else 1
            elif args.command == "create-user":
                from kiosk_hub.users import create_user

                password = _read_password()
                create_user(session, args.name, password, args.role, args.email)
                session.commit()
                print(f"user {args.name} created", file=sys.stderr)
            elif args.command == "report":
                print(json.dumps(queries.report(session), ensure_ascii=False, indent=2))
            elif args.command == "contacts":
                _contacts(args, session)
            elif args.command == "packs":
                _resign(args, session)
            elif args.command == "alerts":
                _alerts(args, session)
            elif args.command == "devices":
                rows = [_status_dict(status) for status in devices.device_statuses(session)]
                print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    finally:
        engine.dispose()


def _status_dict(status: DeviceStatus | Alert) -> dict[str, object]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in asdict(status).items()
    }


def _alerts(args: argparse.Namespace, session: Session) -> None:
    from kiosk_hub.alerts import AlertRules, Mailer, check_alerts, list_alerts, mail_alerts

    if args.check:
        check_alerts(session, AlertRules())
        session.commit()
    if args.smtp_host:
        if not args.mail_to:
            raise ValueError("--smtp-host needs at least one --mail-to ADDRESS")
        mailer = Mailer(args.smtp_host, args.smtp_port, args.mail_from, tuple(args.mail_to))
        mail_alerts(session, mailer)
    rows = [_status_dict(alert) for alert in list_alerts(session)]
    print(json.dumps(rows, ensure_ascii=False, indent=2))


def _resign(args: argparse.Namespace, session: Session) -> None:
    """`packs resign`: every published pack signed with the key given, audited, one commit."""
    from kiosk.core.keys import public_key_text
    from kiosk_hub import packs
    from kiosk_hub.settings import load_signing_key
    from kiosk_hub.web.auth import audit

    key = load_signing_key(args.signing_key)  # ValueError naming the file: exit 2
    public = public_key_text(key.public_key())
    resigned = packs.resign(session, key)
    try:
        who = f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # a uid with no name (a container)
        who = f"cli:uid {os.getuid()}"
    for pack in resigned:
        audit(session, who, "pack re-signed", str(pack.id), version=pack.version, key=public)
    session.commit()
    print(f"{len(resigned)} pack(s) re-signed with the key {public}")


def _contacts(args: argparse.Namespace, session: Session) -> None:
    from kiosk.privacy.sealing import load_private_key_pem
    from kiosk_hub.contacts import open_contacts

    where = "standard input" if args.key_stdin else str(args.key_file)
    try:
        pem = sys.stdin.buffer.read() if args.key_stdin else args.key_file.read_bytes()
        private_key = load_private_key_pem(pem)
    except OSError as exc:
        raise ValueError(f"{where}: cannot read the private key ({exc.strerror})") from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: not an X25519 private key in PEM ({exc})") from None
    for entry in open_contacts(session, private_key):
        print(json.dumps(entry, ensure_ascii=False))


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\n")


def _serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from kiosk_hub.api import create_app
    from kiosk_hub.logs import configure_logging
    from kiosk_hub.server import uvicorn_config
    from kiosk_hub.settings import HubSettings, load_signing_key

    configure_logging()
    signing_key = None if args.signing_key is None else load_signing_key(args.signing_key)
    settings = HubSettings(
        database_url=url, content_dir=args.content, feed_path=args.feed, signing_key=signing_key
    )
    app = create_app(settings)
    print(f"kiosk hub serving on http://{args.host}:{args.port}", flush=True)
    uvicorn.Server(uvicorn_config(app, args.host, args.port)).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; the exit code is the return value."""
    parser = argparse.ArgumentParser(prog="kiosk-hub", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_hub_parsers(commands)
    _add_reference_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "reference-backend":
        return cmd_reference_backend(args)
    if args.command in ("signing-key", "sign-pack"):
        return cmd_signing(args)
    if args.command == "openapi":
        from kiosk_hub.openapi import openapi_yaml

        text = openapi_yaml()
        if args.check is None:
            sys.stdout.write(text)
            return 0
        if args.check.read_text(encoding="utf-8") != text:
            print(f"{args.check} differs from the code: run `kiosk-hub openapi > {args.check}`",
                  file=sys.stderr)  # fmt: skip
            return 1
        return 0
    return cmd_hub(args)


def cmd_signing(args: argparse.Namespace) -> int:
    """`signing-key --out PATH` and `sign-pack FOLDER --signing-key PATH`."""
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    from kiosk.content.signing import SIGNATURE_FILE, directory_files, sign_pack
    from kiosk.core.keys import public_key_text
    from kiosk_hub.settings import load_signing_key

    if args.command == "signing-key":
        if args.out.exists():
            print(f"kiosk-hub: signing-key: {args.out} exists; not overwritten", file=sys.stderr)
            return 2
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
        print(public_key_text(key.public_key()))
        print(
            f"private key written to {args.out} (0600); give the line above to every kiosk as "
            "[content] signing_public_key",
            file=sys.stderr,
        )
        return 0
    try:
        key = load_signing_key(args.signing_key)
        files = directory_files(args.folder)
    except (ValueError, OSError) as exc:
        print(f"kiosk-hub: sign-pack: {exc}", file=sys.stderr)
        return 2
    if not files:
        print(f"kiosk-hub: sign-pack: {args.folder}: no form files (*.yaml)", file=sys.stderr)
        return 2
    (args.folder / SIGNATURE_FILE).write_text(sign_pack(key, files) + "\n", encoding="ascii")
    print(f"signed {len(files)} form files: {args.folder / SIGNATURE_FILE}", file=sys.stderr)
    return 0

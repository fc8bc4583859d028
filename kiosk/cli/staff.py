"""The staff commands of `kiosk`: set-pin (never from an argument) and export (the screen's path)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config.settings import KioskConfig
from kiosk.core.errors import KioskError

if TYPE_CHECKING:
    from kiosk.storage import Database

Common = Callable[[argparse.ArgumentParser], None]


def add_commands(commands: argparse._SubParsersAction, common: Common) -> None:  # type: ignore[type-arg]
    set_pin = commands.add_parser(
        "set-pin",
        help="set the staff PIN: read from standard input or asked twice (never an argument)",
    )
    common(set_pin)
    export = commands.add_parser("export", help="export responses and the audit log to a folder")
    common(export)
    export.add_argument("--format", choices=("csv", "xlsx", "jsonl"), required=True)
    export.add_argument(
        "--out", type=Path, required=True, help="folder to write (created; its parent must exist)"
    )
    export.add_argument("--form", action="append", default=[], help="form id (repeatable)")
    export.add_argument("--from", dest="since", type=_day, help="first day, YYYY-MM-DD (KST)")
    export.add_argument("--to", dest="until", type=_day, help="last day, YYYY-MM-DD (KST)")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-27") from None


def _read_pin() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New staff PIN (6-12 digits): ")
    again = getpass.getpass("The same PIN again: ")
    if first != again:
        raise KioskError("the two PINs differ; nothing was changed")
    return first


def cmd_set_pin(args: argparse.Namespace, config: KioskConfig) -> int:
    from kiosk.app.composition import prepare_data_dir
    from kiosk.storage import Repository, open_database
    from kiosk.storage.staff import StaffStore, check_pin_format

    pin = check_pin_format(_read_pin())
    prepare_data_dir(config)
    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        staff = StaffStore(database, lambda: datetime.now(UTC))
        staff.set_pin(pin)
        Repository(database).record_audit("cli", "pin.changed")
    finally:
        database.close()
    print(f"staff PIN set for {config.device.name} (stored as a salted scrypt hash)")
    return 0


def cmd_export(args: argparse.Namespace, config: KioskConfig) -> int:
    from kiosk.content import validate_paths
    from kiosk.content.install import active_content_dir
    from kiosk.core.errors import StorageError
    from kiosk.storage import Repository, open_database
    from kiosk.storage.export import ExportRequest, remove_export, run_export
    from kiosk.storage.queries import ResponseFilter, StaffQueries, day_bounds

    if args.since and args.until and args.since > args.until:
        raise KioskError(f"--from {args.since} is after --to {args.until}")
    since, until = day_bounds(args.since, args.until)
    forms, _problems = validate_paths([active_content_dir(config)], config.visit.languages)
    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        repository = Repository(database)
        where = ResponseFilter(tuple(args.form), since, until)
        request = ExportRequest(args.format, args.out.resolve(), where)
        result = run_export(repository, StaffQueries(database), forms, request)
        try:
            repository.record_audit(
                "cli",
                "export",
                format=args.format,
                responses=result.responses,
                files=len(result.files),
            )
        except (StorageError, OSError) as exc:
            remove_export(result)  # no export may leave the kiosk without its audit entry
            raise KioskError(
                f"{result.out_dir}: the export was removed again because its audit entry could "
                f"not be written ({exc})"
            ) from None
    finally:
        database.close()
    report = {
        "out": str(result.out_dir),
        "responses": result.responses,
        "files": [{"name": f.name, "rows": f.rows, "sha256": f.sha256} for f in result.files],
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def staff_status(
    database: Database, config: KioskConfig, now: datetime | None = None
) -> dict[str, object]:
    """The staff facts `kiosk status` prints (never the PIN or its hash)."""
    from kiosk.content.install import active_content_dir
    from kiosk.storage.staff import StaffStore

    staff = StaffStore(database, lambda: now or datetime.now(UTC))
    locked = staff.locked_until()
    return {
        "pin_set": staff.pin_set,
        "locked_until": locked.isoformat() if locked else None,
        "out_of_service": staff.out_of_service,
        "content_in_use": str(active_content_dir(config)),
    }


COMMANDS: dict[str, Callable[[argparse.Namespace, KioskConfig], int]] = {
    "set-pin": cmd_set_pin,
    "export": cmd_export,
}

"""The `kiosk` command for the IT person: run, status, content validate, config migrate, simulate,
screenshots."""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk import __version__
from kiosk.cli import staff as staff_cli
from kiosk.config.settings import KioskConfig, load_config
from kiosk.core.errors import ContentError, KioskError

if TYPE_CHECKING:
    from kiosk.app.composition import KioskApp

log = logging.getLogger("kiosk")
HEADLESS_MESSAGE = (
    "This machine has no display, so the kiosk cannot open its window: "
    "try `make screenshots` to see every screen, or `kiosk simulate --visitors 20` to run visitors "
    "through it offscreen."
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="device config (default: $KIOSK_CONFIG or the bundled one)"
    )
    parser.add_argument("--data-dir", type=Path, help="override the config's data directory")
    parser.add_argument(
        "--create",
        action="store_true",
        help="make a new store (and its data directory) if there is none; without it a missing "
        "data directory is an error, so that a typo never starts a new kiosk",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the kiosk")
    _common(run)
    run.add_argument("--windowed", action="store_true", help="a normal window, for development")
    run.add_argument(
        "--out-of-service",
        action="store_true",
        help="show only the out-of-service notice (systemd's fallback after repeated failures)",
    )
    status = commands.add_parser("status", help="print the store's state as JSON")
    _common(status)
    content = commands.add_parser("content", help="content packs")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    validate = content_commands.add_parser("validate", help="check form files, print every error")
    _common(validate)
    validate.add_argument("paths", nargs="+", type=Path, help="form files or directories")
    config = commands.add_parser("config", help="the device config file")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    migrate = config_commands.add_parser(
        "migrate",
        help="rename the sections an older kiosk's config still uses (keeps PATH.bak; "
        "running it again changes nothing)",
    )
    migrate.add_argument("path", type=Path, help="the config file, e.g. /etc/kiosk/kiosk.toml")
    simulate = commands.add_parser(
        "simulate", help="drive synthetic visitors through the real UI offscreen"
    )
    _common(simulate)
    simulate.add_argument("--visitors", type=int, required=True)
    simulate.add_argument("--seed", type=int, default=0)
    shots = commands.add_parser(
        "screenshots",
        help="render every screen (or one form's) to PNG, from temporary stores, never the kiosk's",
    )
    shots.add_argument(
        "--config", type=Path, help="device config (default: $KIOSK_CONFIG or the bundled one)"
    )
    shots.add_argument(
        "--out", type=Path, help="directory (default docs/screenshots, or build/forms/ID)"
    )
    shots.add_argument("--form", metavar="ID", help="only this form's screens, in each language")
    shots.add_argument("--content", type=Path, help="content directory (default: the config's)")
    doctor = commands.add_parser(
        "doctor", help="check that this PC can be a lobby kiosk; exit 0 only when all checks hold"
    )
    _common(doctor)
    doctor.add_argument("--json", action="store_true", help="one JSON document for fleet tools")
    _privacy_commands(commands)
    staff_cli.add_commands(commands, _common)
    from kiosk.cli.sync import add_parsers as add_sync_parsers

    add_sync_parsers(commands, _common)
    return parser


def _privacy_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`kiosk keys generate` and `kiosk purge` (docs/privacy.md)."""
    commands.add_parser(
        "reference-backend",
        help="the protocol's reference server (the same as `kiosk-hub reference-backend`)",
        add_help=False,
    )
    keys = commands.add_parser("keys", help="the key pair that protects contact details")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    generate = keys_commands.add_parser("generate", help="make a new X25519 key pair")
    generate.add_argument("--out", type=Path, required=True, help="directory for the two files")
    purge = commands.add_parser("purge", help="apply the retention policy now")
    _common(purge)
    purge.add_argument("--dry-run", action="store_true", help="print what would go, delete nothing")


def _config(args: argparse.Namespace) -> KioskConfig:
    """The config of a command that uses the kiosk's store: it must exist, or may be created."""
    from kiosk.cli.data_dir import check_store

    config = load_config(args.config)
    config = config.with_data_dir(args.data_dir) if args.data_dir else config
    check_store(config, getattr(args, "create", False))
    return config


def under_systemd() -> bool:
    """Started by systemd (its journal takes stderr): no log file of our own then."""
    return bool(os.environ.get("JOURNAL_STREAM") or os.environ.get("INVOCATION_ID"))


def _has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return True  # eglfs, linuxfb, offscreen, vnc...: Qt does not need a desktop session
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _log_to_file(config: KioskConfig) -> None:
    from kiosk.storage.private import private_dir, tighten_all

    logs = private_dir(config.data_dir / "logs")
    tighten_all(logs.iterdir())  # logs written before the kiosk set its umask
    handler = logging.handlers.RotatingFileHandler(
        logs / "kiosk.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def cmd_run(args: argparse.Namespace) -> int:
    if not _has_display():
        print(HEADLESS_MESSAGE)
        return 2
    if args.out_of_service:
        return _run_out_of_service(args)
    config = _config(args)
    from kiosk.app.composition import prepare_data_dir, qt_application, route_qt_messages
    from kiosk.app.launch import launch
    from kiosk.app.service import ServiceNotifier

    qt = qt_application()
    route_qt_messages()
    prepare_data_dir(config)
    if not under_systemd():
        _log_to_file(config)
    started = launch(qt, config, windowed=args.windowed)
    notifier = ServiceNotifier.from_environment(qt)
    if notifier is not None:
        notifier.watch(started)
    code = qt.exec()
    _leave(started.kiosk, code)


def _leave(kiosk: KioskApp | None, code: int) -> NoReturn:
    """After the event loop (a staff "quit" or "restart"): close the kiosk in order (the sync
    thread joined, the store closed, the speech thread ended), then end the process at once with
    `code`. Python's own teardown would instead destroy the remaining widgets in no set order,
    running their Python event filters on half-deleted objects: a page of errors in the journal
    at every restart, and a thread still running makes Qt abort (exit 134, not `code`)."""
    try:
        if kiosk is not None:
            kiosk.close()
    except Exception:
        log.exception("closing the kiosk after the event loop failed")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run_out_of_service(args: argparse.Namespace) -> int:
    from kiosk.app.composition import qt_application, route_qt_messages
    from kiosk.app.launch import launch_out_of_service
    from kiosk.app.service import ServiceNotifier, notify

    config = load_config(args.config)  # no store: it may be what keeps failing
    qt = qt_application()
    route_qt_messages()
    _window = launch_out_of_service(qt, config, windowed=args.windowed)  # alive while shown
    notifier = ServiceNotifier.from_environment(qt)
    if notifier is not None:
        notify("READY=1\nSTATUS=out of service after repeated failures", notifier.address)
    return qt.exec()


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.cli.sync import status_section as sync_status
    from kiosk.content import validate_paths
    from kiosk.storage import Repository, open_database

    config = _config(args)
    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        repository = Repository(database)
        by_form: dict[str, dict[str, int]] = {}
        by_status: dict[str, int] = {}
        for row in repository.counts():
            by_form.setdefault(row.form_id, {})[row.status] = row.count
            by_status[row.status] = by_status.get(row.status, 0) + row.count
        forms, problems = validate_paths([config.content_dir], config.visit.languages)
        visits = repository.visit_counts()
        wal = database.path.with_name(database.path.name + "-wal")
        status = {
            "app_version": __version__,
            "device_id": database.device_id,
            "database": {
                "path": str(database.path),
                "size_bytes": database.path.stat().st_size
                + (wal.stat().st_size if wal.exists() else 0),
                "schema_revision": database.revision(),
            },
            "visits": {"total": sum(visits.values()), "by_outcome": visits},
            "responses": {
                "total": sum(by_status.values()),
                "by_status": by_status,
                "by_form": by_form,
            },
            "sync": {"outbox": repository.sync_counts(), **sync_status(config, database)},
            "privacy": {
                "contact_key_configured": config.public_key_pem() is not None,
                **repository.privacy_counts(),
            },
            "content": {
                "directory": str(config.content_dir),
                "valid": not problems,
                "forms": {form.id: form.version for form in forms},
            },
        }
        status["staff"] = staff_cli.staff_status(database, config)
    finally:
        database.close()
    print(json.dumps(status, ensure_ascii=False, indent=2))
    return 0


def cmd_content_validate(args: argparse.Namespace) -> int:
    from kiosk.content import validate_paths

    languages = load_config(args.config).visit.languages
    forms, problems = validate_paths(args.paths, languages)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"OK: {len(forms)} form(s): {', '.join(f.id for f in forms)}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from kiosk.cli.data_dir import simulation_dir

    configured = load_config(args.config)
    data_dir = simulation_dir(configured, args.data_dir, "simulate", args.create)
    config = configured.with_data_dir(data_dir)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app.composition import build_app, route_qt_messages
    from kiosk.tooling.simulate import release_deleted_widgets, run_visitors

    route_qt_messages()
    from kiosk.ui.speech import SilentSpeaker

    print(f"simulating in {data_dir} (never the kiosk's own data directory)", file=sys.stderr)
    kiosk = build_app(config, speaker=SilentSpeaker())  # synthetic visitors need no voice
    kiosk.repository.simulated = True  # every response carries the mark, in exports and uploads
    kiosk.show(windowed=True)
    try:
        report = run_visitors(kiosk, args.visitors, seed=args.seed)
    finally:
        kiosk.close()
        release_deleted_widgets()
    print(
        json.dumps(
            {"data_dir": str(config.data_dir), **report.as_dict()}, ensure_ascii=False, indent=2
        )
    )
    return 0


def cmd_screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app.composition import route_qt_messages
    from kiosk.tooling.screenshots import render_all, render_form

    route_qt_messages()
    # Every screen is rendered from a fresh temporary store: never the kiosk's data directory.
    config = load_config(args.config)
    if args.content is not None:
        content = config.content.model_copy(update={"dir": args.content.resolve()})
        config = config.model_copy(update={"content": content})
    if args.form is None:
        out = args.out or Path("docs/screenshots")
        written = render_all(config, out)
    else:
        out = args.out or Path("build") / "forms" / args.form
        written = render_form(config, args.form, out)
    print(f"wrote {len(written)} screenshots to {out}")
    return 0


def cmd_keys_generate(args: argparse.Namespace) -> int:
    from kiosk.privacy.sealing import generate_key_files

    try:
        pair = generate_key_files(args.out)
    except FileExistsError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    print(f"public key:  {pair.public_path}")
    print("  belongs on every kiosk: [privacy] public_key_file in kiosk.toml (not secret).")
    print(f"private key: {pair.private_path}")
    print("  belongs ONLY with the ministry's backend, which decrypts contact details")
    print("  (the reference backend: `kiosk reference-backend --contact-key PATH`).")
    print("  Never copy it to a kiosk, a config file or a repository; keep a backup offline.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from kiosk.storage import Repository, open_database

    config = _config(args)
    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        privacy = config.privacy
        report = Repository(database).purge(
            privacy.contact_retention_days,
            privacy.sent_retention_days,
            dry_run=args.dry_run,
            actor="cli",
        )
    finally:
        database.close()
    verb = "would remove" if report.dry_run else "removed"
    print(
        f"{verb} {report.contacts} contact record(s) created before "
        f"{report.contacts_before.isoformat(timespec='seconds')} "
        f"({privacy.contact_retention_days} days)"
    )
    print(
        f"{verb} {report.responses} acknowledged response(s) sent before "
        f"{report.responses_before.isoformat(timespec='seconds')} "
        f"({privacy.sent_retention_days} days)"
    )
    return 0


def _sync_command(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from kiosk.cli import sync as commands

        handler = getattr(commands, name)
        return int(handler(args, _config))

    return run


def cmd_config_migrate(args: argparse.Namespace) -> int:
    from kiosk.config.migrate import migrate_file

    print(migrate_file(args.path).message)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.cli.doctor import cmd_doctor as doctor

    config = load_config(args.config)  # never creates a store: a missing one is a finding
    return doctor(args, config.with_data_dir(args.data_dir) if args.data_dir else config)


COMMANDS = {
    "run": cmd_run,
    "config": cmd_config_migrate,
    "doctor": cmd_doctor,
    "status": cmd_status,
    "simulate": cmd_simulate,
    "screenshots": cmd_screenshots,
    "keys": cmd_keys_generate,
    "purge": cmd_purge,
    "enroll": _sync_command("cmd_enroll"),
    "sync": _sync_command("cmd_sync"),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["reference-backend"]:
        # The server side lives in kiosk_hub, which the kiosk never imports: become that command.
        os.execv(sys.executable, [sys.executable, "-m", "kiosk_hub", *argv])
    args = _parser().parse_args(argv)
    from kiosk.storage.private import private_process

    private_process()  # data, logs, exports and backups: 0600/0700 whatever the caller's umask
    logging.basicConfig(
        level=logging.INFO if args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = cmd_content_validate if args.command == "content" else COMMANDS.get(args.command)
    if handler is None:  # the staff commands (kiosk/cli/staff.py)
        staff_command = staff_cli.COMMANDS[args.command]
        handler = lambda args: staff_command(args, _config(args))  # noqa: E731
    try:
        return handler(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"kiosk: {problem}", file=sys.stderr)
        return 2
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

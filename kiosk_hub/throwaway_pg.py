"""A throwaway PostgreSQL cluster for tests, benchmarks and restore drills.

Runs Debian's server binaries (`initdb`, `pg_ctl`) in a temporary directory, listening on a
loopback port and a private socket directory, trusting local connections. PostgreSQL refuses to
run as root, so when we are root the cluster runs as the `postgres` user (through `runuser`).
Never for production data: fsync is off.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14)]


def server_bin_dir() -> Path:
    """Where initdb and pg_ctl are (Debian keeps them off PATH)."""
    for directory in BIN_DIRS:
        if (directory / "pg_ctl").is_file():
            return directory
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise FileNotFoundError(
        "PostgreSQL server binaries not found: apt-get install postgresql (initdb, pg_ctl)"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayCluster:
    """initdb + pg_ctl start in a fresh directory; `stop()` removes everything."""

    def __init__(self) -> None:
        self.bin = server_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="hub-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        self.user = "postgres" if self._as_root else (os.environ.get("USER") or "postgres")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> ThrowawayCluster:
        self.sockets.mkdir()
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) of one database of the cluster, over loopback TCP."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); its name."""
        name = "hub_" + uuid.uuid4().hex[:12]
        with self.admin() as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> ThrowawayCluster:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

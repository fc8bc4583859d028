"""The reference backend under the audit's abuse: every bad request gets a clear, bounded answer
(a problem document), never a dropped connection, a huge read or a stored giant."""

from __future__ import annotations

import gzip
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from kiosk.protocol.payload import batch_body, canonical_json
from kiosk_hub.cli import main as hub_main
from kiosk_hub.reference.server import ReferenceBackend
from tests.conftest import REPO, SAMPLE_CONTENT

from .conftest import TOKEN
from .test_protocol import one_batch

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def raw_request(backend: ReferenceBackend, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """One request written by hand on a socket (requests refuses to send most of these)."""
    with socket.create_connection(("127.0.0.1", backend.port), timeout=10) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        header, _, rest = answer.partition(b"\r\n\r\n")
        length = int(next(
            (line.split(b":")[1] for line in header.split(b"\r\n")
             if line.lower().startswith(b"content-length")), b"0"
        ))  # fmt: skip
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            rest += chunk
    return int(header.split()[1]), rest


def post(backend: ReferenceBackend, body: bytes, **headers: str) -> requests.Response:
    return requests.post(
        f"{backend.url}/v1/devices/dev-1/batches",
        data=body,
        headers={"Content-Type": "application/json", **AUTH, **headers},
        timeout=10,
    )


def test_a_negative_content_length_is_refused_without_reading(backend: ReferenceBackend) -> None:
    status, body = raw_request(
        backend,
        "POST /v1/devices/dev-1/batches HTTP/1.1\nHost: x\n"
        f"Authorization: Bearer {TOKEN}\nContent-Length: -1\n",
        b"x" * 1000,
    )
    assert status == 400 and "Content-Length: negative" in json.loads(body)["detail"]


def test_a_gzip_bomb_is_refused_after_a_bounded_inflate(backend: ReferenceBackend) -> None:
    bomb = gzip.compress(b"0" * 80_000_000, compresslevel=9)  # 80 MB from about 80 kB
    assert len(bomb) < 200_000
    answer = post(backend, bomb, **{"Content-Encoding": "gzip"})
    assert answer.status_code == 413
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "inflates to more than" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "encoding", "says"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "identity", "nested too deeply"),
        (gzip.compress(b'{"a": 1}')[:-6], "gzip", "corrupt gzip"),
        (b"\x1f\x8b\x08\x00garbage", "gzip", "corrupt gzip"),
        (b'{"schema_version": NaN}', "identity", "NaN is not JSON"),
        (b'{"schema_version": 1e999999}', "identity", "not a finite number"),
        (b"\xff\xfe{}", "identity", "not UTF-8"),
    ],
)
def test_malformed_bodies_get_a_400_problem_document_not_a_dropped_connection(
    backend: ReferenceBackend, body: bytes, encoding: str, says: str
) -> None:
    answer = post(backend, body, **{"Content-Encoding": encoding})
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    document = answer.json()
    assert document["status"] == 400 and says in document["detail"]
    assert document["error"] == document["detail"]


def test_an_unknown_content_encoding_is_415(backend: ReferenceBackend) -> None:
    _, body = one_batch()
    answer = post(backend, body, **{"Content-Encoding": "br"})
    assert answer.status_code == 415 and "gzip only" in answer.json()["detail"]
    plain = post(backend, body)  # identity: schema-valid and accepted
    assert plain.status_code == 200 and plain.json()["verdicts"][0]["verdict"] == "accepted"


def test_undeclared_methods_are_405_with_allow(backend: ReferenceBackend) -> None:
    base = f"{backend.url}/v1/devices/dev-1"
    for method, path, allow in (
        ("PUT", "/batches", "POST"),
        ("DELETE", "/content", "GET"),
        ("PATCH", "/heartbeat", "POST"),
        ("GET", "/batches", "POST"),
        ("FROB", "/feed", "GET"),
    ):
        answer = requests.request(method, base + path, headers=AUTH, timeout=5)
        assert (answer.status_code, answer.headers.get("Allow")) == (405, allow), method
    assert requests.get(f"{backend.url}/nothing", headers=AUTH, timeout=5).status_code == 404


def test_a_refused_response_id_is_stored_and_echoed_bounded(backend: ReferenceBackend) -> None:
    batch_id = str(uuid.uuid4())
    giant = {"id": "x" * 5_000_000, "form_id": "f"}
    body = batch_body(batch_id, [canonical_json(giant)])
    answer = post(backend, gzip.compress(body), **{"Content-Encoding": "gzip"})
    assert answer.status_code == 200
    ((verdict),) = answer.json()["verdicts"]
    assert verdict["verdict"] == "rejected" and len(verdict["response_id"]) == 64
    backend.stop()
    with sqlite3.connect(backend.store.path) as raw:
        longest = raw.execute("select max(length(response_id)) from problems").fetchone()[0]
    raw.close()
    assert longest == 64
    backend.start = lambda: backend  # type: ignore[method-assign]  # the fixture stops it again
    backend.stop = lambda: None  # type: ignore[method-assign]


def test_one_token_serves_one_device(backend: ReferenceBackend) -> None:
    _, body = one_batch("dev-1")
    assert post(backend, body).status_code == 200  # dev-1 now holds TOKEN
    other = requests.post(
        f"{backend.url}/v1/devices/dev-2/batches",
        data=body,
        headers={"Content-Type": "application/json", **AUTH},
        timeout=5,
    )
    assert other.status_code == 403 and "another device" in other.json()["detail"]
    feed = requests.get(f"{backend.url}/v1/devices/dev-2/feed", headers=AUTH, timeout=5)
    assert feed.status_code == 403


def test_idle_and_half_open_connections_are_closed(tmp_path: Path) -> None:
    server = ReferenceBackend(
        tmp_path / "b.sqlite3", SAMPLE_CONTENT, TOKEN, socket_timeout_s=0.5
    ).start()
    try:
        held = []
        for _ in range(20):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(b"POST /v1/devices/dev-1/batches HTTP/1.1\r\nHost: x\r\n")
            held.append(connection)
        time.sleep(1.5)
        for connection in held:
            assert connection.recv(100) == b""  # closed by the server
            connection.close()
    finally:
        server.stop()


def test_the_token_comes_from_a_file_or_the_environment_never_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        hub_main(["reference-backend", "--db", str(tmp_path / "b.sqlite3"), "--token", TOKEN])
    assert "error:" in capsys.readouterr().err  # refused, and never read as --token-file
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"# device tokens\ndev-7 {TOKEN}\n", encoding="utf-8")
    for how, extra, env in (
        ("file", ["--token-file", str(tokens)], {}),
        ("environment", [], {"KIOSK_REFERENCE_TOKEN": TOKEN}),
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk_hub", "reference-backend", "--port", "0",
             "--db", str(tmp_path / f"{how}.sqlite3"), *extra],
            cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, **env},
        )  # fmt: skip
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split()[-1]
            cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
            assert TOKEN.encode() not in cmdline, how
            feed = f"{url}/v1/devices/dev-7/feed"
            assert requests.get(feed, headers=AUTH, timeout=5).status_code == 200, how
            wrong = {"Authorization": "Bearer not-the-token-0000000"}
            assert requests.get(feed, headers=wrong, timeout=5).status_code == 401, how
        finally:
            process.terminate()
            process.wait(10)
            assert process.stdout is not None
            process.stdout.close()

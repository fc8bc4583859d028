"""Contact details reach the hub sealed, stay sealed in its database, and open only with the
ministry's private key supplied to the one command run that needs it."""

from __future__ import annotations

import base64
import json
import uuid

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import text

from kiosk.privacy.sealing import seal, seal_v1
from kiosk_hub import devices, ingest
from kiosk_hub.db import make_engine, session_factory
from tests.hub.test_cli import hub_cli
from tests.hub.test_ingest import response

EMAIL = "minji.kim@example.kr"


def test_sealed_contacts_open_only_with_the_key_given_to_the_command(database_url: str) -> None:
    ministry = X25519PrivateKey.generate()
    new = response("dev-1", contact_sealed=base64.b64encode(
        seal(ministry.public_key(), json.dumps({"email": EMAIL}).encode())).decode())  # fmt: skip
    old = response("dev-1", contact_sealed=base64.b64encode(
        seal_v1(ministry.public_key(), b'{"phone": "010-2345-6789"}')).decode())  # fmt: skip
    stranger = response("dev-1", contact_sealed=base64.b64encode(
        seal(X25519PrivateKey.generate().public_key(), b'{"email": "x@y.kr"}')).decode())  # fmt: skip
    engine = make_engine(database_url, pool_size=1)
    with session_factory(engine)() as session:
        token = devices.issue_token(session, "lobby")
        devices.authenticate(session, f"Bearer {token}", "dev-1")
        verdicts = ingest.receive_batch(session, "dev-1", str(uuid.uuid4()), [new, old, stranger])
        session.commit()
        assert {v for _, v, _ in verdicts} == {"accepted"}
        tables = session.execute(
            text("SELECT string_agg(t::text, ' ') FROM responses t")
        ).scalar_one()
        assert EMAIL not in tables and "010-2345-6789" not in tables
    engine.dispose()

    pem = ministry.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    opened = hub_cli("contacts", "--key-stdin", url=database_url, stdin=pem)
    assert opened.returncode == 0, opened.stderr
    entries = {e["response_id"]: e for e in map(json.loads, opened.stdout.splitlines())}
    assert entries[new["id"]]["contact"] == {"email": EMAIL}
    assert entries[old["id"]]["contact"] == {"phone": "010-2345-6789"}
    assert "not sealed to this key" in entries[stranger["id"]]["problem"]
    assert report_contacts(database_url) == (3, 0)  # the hub itself never keeps them opened

    wrong = hub_cli("contacts", "--key-stdin", url=database_url, stdin="not a key")
    assert wrong.returncode == 2 and "not an X25519 private key" in wrong.stderr
    assert "BEGIN" not in wrong.stderr


def report_contacts(url: str) -> tuple[int, int]:
    report = json.loads(hub_cli("report", url=url).stdout)
    return report["contacts_received"], report["contacts_decrypted"]

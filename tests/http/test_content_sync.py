"""Content packs from the backend: a broken one is refused, a good one goes live at the attract screen."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.content import ContentPack
from kiosk.sync.content_pull import PACKS_DIR
from kiosk.sync.credentials import MemoryKeyring
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from kiosk_hub.reference.server import ReferenceBackend

from .conftest import sync_config, wait_until

BOTH_SERVERS = True  # every test with a `backend` runs against the reference backend and the hub

MakeKiosk = Callable[..., KioskApp]


def test_a_pack_with_an_error_is_refused_and_the_running_one_stays(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    opinion = backend.content_dir / "open-opinion.yaml"
    opinion.write_text(opinion.read_text(encoding="utf-8") + "\nsurprise_key: 1\n", "utf-8")
    kiosk = make_kiosk(sync_config(config, backend.url), sync_keyring=keyring_with_token)
    running = kiosk.session.content.version
    received: list[ContentPack] = []
    assert kiosk.sync is not None
    kiosk.sync.content_received.connect(received.append)

    wait_until(
        lambda: "refused" in (kiosk.sync_status().last_error or ""), 10, "the pack to be refused"
    )
    error = kiosk.sync_status().last_error or ""
    assert "open-opinion.yaml" in error and "surprise_key: unknown key" in error
    assert received == [] and kiosk.session.content.version == running
    packs = config.data_dir / PACKS_DIR
    assert not (packs / "current").exists()
    assert [p.name for p in packs.iterdir()] == []  # no staging left behind


def test_a_good_pack_goes_live_only_at_the_attract_screen_and_survives_a_restart(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    cfg = sync_config(config, backend.url, content_interval_s=0.2)
    kiosk = make_kiosk(cfg, sync_keyring=keyring_with_token)
    assert kiosk.sync is not None
    received: list[ContentPack] = []
    kiosk.sync.content_received.connect(received.append)
    wait_until(lambda: len(received) == 1, 10, "the first pack")  # the same forms as bundled
    driver = KioskDriver(kiosk)
    driver.pick_language("en")
    old = kiosk.session.content.version

    # The ministry publishes version 2 of a form while a visitor is on the home screen.
    opinion = backend.content_dir / "open-opinion.yaml"
    current = kiosk.session.content.form("open-opinion").version  # type: ignore[union-attr]
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace(
            f"version: {current}", f"version: {current + 1}", 1
        ),
        "utf-8",
    )
    wait_until(lambda: len(received) == 2, 10, "the new pack")
    new = received[-1]
    assert new.version != old
    assert new.form("open-opinion").version == current + 1  # type: ignore[union-attr]
    assert kiosk.session.step == Step.HOME
    assert kiosk.session.content.version == old  # not in the middle of a visit

    kiosk.session.reset("visitor left")
    assert kiosk.session.step == Step.ATTRACT
    assert kiosk.session.content.version == new.version

    kiosk.close()
    again = make_kiosk(cfg, sync_keyring=keyring_with_token)
    assert again.session.content.version == new.version

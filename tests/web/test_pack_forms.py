"""The hub's own pages read the forms of the pack published to all kiosks (else the `--content`
folder): phone forms, QR codes, live results, exports and the kiosks' results (real hub over HTTP,
real PostgreSQL)."""

from __future__ import annotations

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.config.settings import BUNDLED_CONTENT
from kiosk_hub import devices, packs
from kiosk_hub.db.models import ResponseRow
from kiosk_hub.web.models import PackRow
from tests.hub.fixtures import HubBackend, sample_zip
from tests.web.support import TOKEN, WEEKLY, signed_in

OCEAN = "weekly-ocean-diplomacy"


def ocean_survey() -> str:
    """The weekly survey as another form: new id, title and question, one more option."""
    text = (BUNDLED_CONTENT / "weekly-survey.yaml").read_text("utf-8")
    for old, new in [
        (f"id: {WEEKLY}", f"id: {OCEAN}"),
        ('en: "This week: climate diplomacy"', 'en: "This week: ocean diplomacy"'),
        (
            'en: "Which area of climate diplomacy matters most to you?"',
            'en: "Which area of ocean diplomacy matters most to you?"',
        ),
        (
            "      - { id: finance,",
            '      - { id: fisheries, text: { ko: "수산 협력", en: "Fisheries" } }\n'
            "      - { id: finance,",
        ),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def publish_ocean(hub: HubBackend, **targets: str) -> tuple[requests.Session, str, str]:
    """Upload the ocean pack as an editor and publish it; the session, its CSRF token, pack URL."""
    hub.settings.signing_key = Ed25519PrivateKey.generate()
    editor, csrf = signed_in(hub, "editor")
    uploaded = editor.post(
        f"{hub.url}/console/packs?lang=en",
        data={"csrf": csrf, "title": "Ocean"},
        files={"archive": ("ocean.zip", sample_zip(**{"weekly-survey.yaml": ocean_survey()}))},
        timeout=20,
    )
    assert 'id="pack-ok"' in uploaded.text, uploaded.text[-800:]
    pack_url = uploaded.url.split("?")[0]
    published = editor.post(f"{pack_url}/publish", data={"csrf": csrf, **targets}, timeout=20)
    assert published.status_code == 200
    return editor, csrf, pack_url


def answer_ocean(hub: HubBackend, priority: str) -> requests.Response:
    form = {"q_priority": priority, "q_sources": ["tv"], "q_join_briefing": "yes",
            "q_support_aid": "4"}  # fmt: skip
    return requests.post(f"{hub.url}/w/{OCEAN}?lang=en", data=form, timeout=10)


def test_phones_answer_the_pack_published_to_all_kiosks_and_the_folder_once_withdrawn(
    web_hub: HubBackend,
) -> None:
    editor, csrf, pack_url = publish_ocean(web_hub, all="on")

    index = requests.get(f"{web_hub.url}/w?lang=en", timeout=10)
    assert "This week: ocean diplomacy" in index.text and f'href="/w/{OCEAN}?lang=en"' in index.text
    assert f"/w/{WEEKLY}" not in index.text
    assert requests.get(f"{web_hub.url}/w/{WEEKLY}", timeout=10).status_code == 404
    page = requests.get(f"{web_hub.url}/w/{OCEAN}?lang=en", timeout=10)
    assert "Which area of ocean diplomacy" in page.text and 'value="fisheries"' in page.text

    refused = answer_ocean(web_hub, "whaling")  # not an option of the pack's form
    assert refused.status_code == 400
    stored = answer_ocean(web_hub, "fisheries")  # an option only the pack's form has
    assert stored.status_code == 200, stored.text[-500:]
    with web_hub.store.sessions() as session:
        row = session.scalar(select(PackRow).where(PackRow.title == "Ocean"))
        assert row is not None
        pack = packs.validate_files(row.files)[0]
        document = session.scalar(select(ResponseRow.document).where(ResponseRow.form_id == OCEAN))
    assert pack is not None and document is not None
    form = next(f for f in pack.forms if f.id == OCEAN)
    assert document["form_hash"] == form.definition_hash
    assert document["content_version"] == pack.version
    assert {a["question_id"]: a["value"] for a in document["answers"]}["priority"] == "fisheries"

    analyst, _ = signed_in(web_hub, "analyst")
    results = analyst.get(f"{web_hub.url}/console/results?lang=en", timeout=10).text
    assert "This week: ocean diplomacy" in results and "Fisheries" in results
    qr = analyst.get(f"{web_hub.url}/console/qr?lang=en", timeout=10).text
    assert f"/w/{OCEAN}" in qr and f"/w/{WEEKLY}" not in qr
    exported = analyst.get(f"{web_hub.url}/console/export.csv?form={OCEAN}&lang=en", timeout=10)
    assert exported.status_code == 200
    assert "Which area of ocean diplomacy matters most to you?" in exported.text
    assert "Fisheries" in exported.text
    kiosk_results = requests.get(
        f"{web_hub.url}/v1/devices/kiosk-a/results",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()
    assert kiosk_results["forms"][OCEAN]["questions"]["priority"]["counts"] == {"fisheries": 1}

    editor.post(f"{pack_url}/withdraw", data={"csrf": csrf}, timeout=10)
    index = requests.get(f"{web_hub.url}/w?lang=en", timeout=10)
    assert "This week: climate diplomacy" in index.text and f"/w/{OCEAN}" not in index.text
    assert requests.get(f"{web_hub.url}/w/{OCEAN}", timeout=10).status_code == 404
    assert answer_ocean(web_hub, "fisheries").status_code == 404
    exported = analyst.get(f"{web_hub.url}/console/export.csv?form={OCEAN}", timeout=10)
    assert exported.status_code == 404


def test_a_pack_for_chosen_kiosks_changes_their_results_but_not_the_phone_forms(
    web_hub: HubBackend,
) -> None:
    publish_ocean(web_hub, device="kiosk-a")
    index = requests.get(f"{web_hub.url}/w?lang=en", timeout=10)
    assert f"/w/{WEEKLY}" in index.text and f"/w/{OCEAN}" not in index.text

    with web_hub.store.sessions() as session:
        tokens = {d: devices.issue_token(session, d) for d in ("kiosk-a", "kiosk-b")}
        session.commit()

    def public_forms(device: str) -> set[str]:
        answer = requests.get(
            f"{web_hub.url}/v1/devices/{device}/results",
            headers={"Authorization": f"Bearer {tokens[device]}"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return set(answer.json()["forms"])

    assert OCEAN in public_forms("kiosk-a") and WEEKLY not in public_forms("kiosk-a")
    assert WEEKLY in public_forms("kiosk-b") and OCEAN not in public_forms("kiosk-b")


def test_a_published_pack_is_parsed_once_per_process(web_hub: HubBackend) -> None:
    publish_ocean(web_hub, all="on")
    loaded = packs.LoadedPacks()
    with web_hub.store.sessions() as session:
        first = packs.current_forms(session, web_hub.content_dir, loaded)
        again = packs.current_forms(session, web_hub.content_dir, loaded)
    assert first is again and OCEAN in {f.id for f in first.forms}

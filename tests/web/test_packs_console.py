"""Content packs in the console over real HTTP: roles, CSRF, upload with the loader's problems, a
read-only preview, publish to chosen kiosks or all (signed), withdraw; each action audited."""

from __future__ import annotations

import re

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk_hub import packs
from kiosk_hub.web.models import ALL_KIOSKS, AuditRow, PackRow
from tests.hub.fixtures import HubBackend, retitled, sample_zip
from tests.web.support import csrf_of, signed_in


def upload(
    http: requests.Session, hub: HubBackend, csrf: str, data: bytes, title: str = ""
) -> requests.Response:
    return http.post(
        f"{hub.url}/console/packs?lang=en",
        data={"csrf": csrf, "title": title},
        files={"archive": ("spring.zip", data, "application/zip")},
        timeout=20,
    )


def test_viewers_see_the_list_and_only_editors_upload(web_hub: HubBackend) -> None:
    viewer, viewer_csrf = signed_in(web_hub, "viewer")
    listing = viewer.get(f"{web_hub.url}/console/packs?lang=en", timeout=10)
    assert listing.status_code == 200 and "Content packs" in listing.text
    assert 'id="upload-pack"' not in listing.text
    assert upload(viewer, web_hub, viewer_csrf, sample_zip()).status_code == 403
    editor, _ = signed_in(web_hub, "editor")
    assert 'id="upload-pack"' in editor.get(f"{web_hub.url}/console/packs", timeout=10).text
    refused = upload(editor, web_hub, "not-the-token", sample_zip())
    assert refused.status_code == 403 and "expired" in refused.text
    with web_hub.store.sessions() as session:
        assert session.scalar(select(PackRow.id)) is None


def test_an_upload_shows_the_loaders_problems_and_cannot_be_published(web_hub: HubBackend) -> None:
    editor, csrf = signed_in(web_hub, "editor")
    broken = retitled("x").replace("kind: opinion", "kind: opinion\ncolour: red", 1)
    answer = upload(editor, web_hub, csrf, sample_zip(**{"open-opinion.yaml": broken}), "Broken")
    assert answer.status_code == 200 and re.search(r"/console/packs/\d+", answer.url)
    assert 'id="pack-problems"' in answer.text
    assert "open-opinion.yaml" in answer.text and "colour" in answer.text
    assert "unknown key" in answer.text and 'id="publish-pack"' not in answer.text
    hostile = upload(editor, web_hub, csrf, _traversal_zip())
    assert hostile.status_code == 400
    assert "../evil.yaml" in hostile.text and "path traversal" in hostile.text


def _traversal_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.yaml", "id: evil")
    return buffer.getvalue()


def test_preview_publish_and_withdraw_are_signed_audited_and_need_csrf(web_hub: HubBackend) -> None:
    key = Ed25519PrivateKey.generate()
    web_hub.settings.signing_key = key
    editor, csrf = signed_in(web_hub, "editor")
    answer = upload(
        editor, web_hub, csrf, sample_zip(**{"open-opinion.yaml": retitled("Spring views")})
    )
    pack_url = answer.url.split("?")[0]
    assert 'id="pack-ok"' in answer.text and 'id="publish-pack"' in answer.text

    preview = editor.get(f"{pack_url}/preview/open-opinion?lang=en", timeout=10)
    assert preview.status_code == 200 and "Spring views" in preview.text
    assert '<fieldset class="stack preview" disabled>' in preview.text
    assert 'method="post" action="/w/' not in preview.text and 'id="submit"' not in preview.text
    assert editor.get(f"{pack_url}/preview/nope", timeout=10).status_code == 404
    consent = preview.text.split('id="consent"', 1)[1]  # after an opinion form: read-only too
    assert "Would you like a reply? Contact details (optional)" in consent
    assert 'name="consent_email"' in consent and "Kept for: 365 days" in consent
    assert preview.text.index('id="consent"') < preview.text.rindex("</fieldset>")
    assert preview.text.count("<fieldset") == preview.text.count("</fieldset>")
    survey = editor.get(f"{pack_url}/preview/weekly-climate-diplomacy?lang=en", timeout=10)
    assert survey.status_code == 200 and 'id="consent"' not in survey.text

    no_csrf = editor.post(f"{pack_url}/publish", data={"all": "on"}, timeout=10)
    assert no_csrf.status_code == 403
    nothing = editor.post(f"{pack_url}/publish?lang=en", data={"csrf": csrf}, timeout=10)
    assert "choose at least one kiosk" in nothing.text
    published = editor.post(
        f"{pack_url}/publish?lang=en",
        data=[("csrf", csrf), ("device", "kiosk-a"), ("device", "kiosk-b")],
        timeout=10,
    )
    assert published.status_code == 200 and "Signed (Ed25519)" in published.text
    assert "kiosk-a, kiosk-b" in published.text
    editor.post(f"{pack_url}/publish", data={"csrf": csrf, "all": "on"}, timeout=10)
    with web_hub.store.sessions() as session:
        assert packs.served_pack(session, "kiosk-z") is not None
        pack = packs.served_pack(session, "kiosk-a")
        assert pack is not None and pack.signature is not None
        assert packs.targets_of(session, pack.id) == sorted([ALL_KIOSKS, "kiosk-a", "kiosk-b"])

    withdrawn = editor.post(f"{pack_url}/withdraw?lang=en", data={"csrf": csrf}, timeout=10)
    assert withdrawn.status_code == 200 and "Withdrawn" in withdrawn.text
    viewer, _ = signed_in(web_hub, "viewer")
    assert "Withdrawn" in viewer.get(f"{web_hub.url}/console/packs?lang=en", timeout=10).text
    assert (
        viewer.post(
            f"{pack_url}/withdraw", data={"csrf": csrf_of(withdrawn.text)}, timeout=10
        ).status_code
        == 403
    )
    with web_hub.store.sessions() as session:
        assert packs.served_pack(session, "kiosk-a") is None
        actions = list(
            session.scalars(select(AuditRow.action).where(AuditRow.action.like("pack %")))
        )
    assert actions == ["pack uploaded", "pack published", "pack published", "pack withdrawn"]


def test_the_pack_pages_are_korean_by_default(web_hub: HubBackend) -> None:
    editor, csrf = signed_in(web_hub, "editor")
    listing = editor.get(
        f"{web_hub.url}/console/packs", headers={"Accept-Language": "ko"}, timeout=10
    )
    assert "콘텐츠 팩" in listing.text and "올리고 검사하기" in listing.text
    answer = upload(editor, web_hub, csrf, sample_zip())
    page = editor.get(answer.url.split("?")[0], headers={"Accept-Language": "ko"}, timeout=10)
    assert (
        "키오스크 검사기가 문제를 찾지 못했습니다." in page.text
        and "서명하고 게시하기" in page.text
    )

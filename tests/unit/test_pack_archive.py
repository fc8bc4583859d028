"""Uploaded pack archives: good ones read into memory, hostile ones refused naming the member."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile

import pytest

from kiosk_hub.pack_archive import ArchiveError, ArchiveLimits, read_archive


def make_zip(*members: tuple[str, bytes], mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def make_tar(*members: tarfile.TarInfo | tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                archive.addfile(info, io.BytesIO(member[1]))
    return buffer.getvalue()


def refusal(data: bytes, limits: ArchiveLimits | None = None) -> str:
    with pytest.raises(ArchiveError) as caught:
        read_archive(data, limits)
    return str(caught.value)


def test_a_zip_and_a_tar_gz_read_into_memory_by_relative_path() -> None:
    members = [("pack/visit.yaml", b"id: visit\n"), ("pack/consent.yaml", "동의".encode())]
    for data in (make_zip(*members), make_tar(*members)):
        assert read_archive(data) == dict(members)


@pytest.mark.parametrize("build", [make_zip, make_tar])
def test_path_traversal_and_absolute_paths_are_refused_naming_the_member(build) -> None:  # type: ignore[no-untyped-def]
    assert "../evil.yaml" in refusal(build(("../evil.yaml", b"x")))
    assert "path traversal" in refusal(build(("pack/../../evil.yaml", b"x")))
    assert "/etc/passwd: an absolute path" in refusal(build(("/etc/passwd", b"x")))


def test_windows_style_paths_are_refused() -> None:
    assert "backslash" in refusal(make_zip(("..\\evil.yaml", b"x")))
    assert "C:/evil.yaml: an absolute path" in refusal(make_zip(("C:/evil.yaml", b"x")))


def test_symbolic_links_are_refused_in_zip_and_tar() -> None:
    link_zip = make_zip(("link.yaml", b"/etc/passwd"), mode=stat.S_IFLNK | 0o777)
    assert "link.yaml: a symbolic link" in refusal(link_zip)
    link = tarfile.TarInfo("link.yaml")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    assert "link.yaml: a link" in refusal(make_tar(link))
    hard = tarfile.TarInfo("hard.yaml")
    hard.type = tarfile.LNKTYPE
    hard.linkname = "visit.yaml"
    assert "hard.yaml: a link" in refusal(make_tar(("visit.yaml", b"x"), hard))
    device = tarfile.TarInfo("dev.yaml")
    device.type = tarfile.CHRTYPE
    assert "dev.yaml: a device or special file" in refusal(make_tar(device))


@pytest.mark.parametrize("build", [make_zip, make_tar])
def test_a_name_given_twice_is_refused(build) -> None:  # type: ignore[no-untyped-def]
    data = build(("visit.yaml", b"a"), ("./visit.yaml", b"b"))
    assert refusal(data) == "visit.yaml: given twice in the archive"


def test_too_many_files_are_refused_naming_the_first_over_the_limit() -> None:
    data = make_zip(*[(f"f{i}.yaml", b"x") for i in range(4)])
    assert refusal(data, ArchiveLimits(max_files=3)) == "f3.yaml: more than 3 files in the archive"


def test_a_zip_bomb_stops_at_the_limit_even_when_its_sizes_lie() -> None:
    limits = ArchiveLimits(max_file_bytes=100_000, max_total_bytes=150_000)
    bomb = make_zip(("bomb.yaml", b"\0" * 50_000_000))
    assert len(bomb) < 100_000  # it compresses a thousand-fold
    assert "bomb.yaml: larger than 100000 bytes uncompressed" in refusal(bomb, limits)
    # The central directory claims a tiny size: zipfile reads only that much, the CRC fails.
    lying = bytearray(make_zip(("liar.yaml", b"\0" * 1_000_000)))
    at = lying.rfind(b"PK\x01\x02")
    lying[at + 24 : at + 28] = (10).to_bytes(4, "little")  # uncompressed size: 10 bytes
    with pytest.raises(ArchiveError, match=r"liar\.yaml: cannot be read from the zip"):
        read_archive(bytes(lying), limits)
    # Each file under the limit, together over it.
    many = make_zip(*[(f"part{i}.yaml", b"\0" * 60_000) for i in range(3)])
    assert "part2.yaml: the archive holds more than 150000 bytes" in refusal(many, limits)


def test_a_tar_bomb_is_refused_from_its_member_size() -> None:
    limits = ArchiveLimits(max_file_bytes=100_000)
    assert "big.yaml: larger than 100000" in refusal(
        make_tar(("big.yaml", b"\0" * 200_000)), limits
    )


def test_an_upload_larger_than_allowed_or_of_another_format_is_refused() -> None:
    assert "larger than 10 bytes" in refusal(
        make_zip(("a.yaml", b"x")), ArchiveLimits(max_archive_bytes=10)
    )
    assert refusal(b"id: visit\n") == "the archive: neither a zip nor a tar.gz file"
    assert "not a readable zip" in refusal(b"PK\x03\x04 broken")
    assert "tar.gz" in refusal(b"\x1f\x8b broken")

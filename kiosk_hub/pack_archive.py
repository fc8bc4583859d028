"""Reading an uploaded content-pack archive (zip or tar.gz) into memory, refusing anything unsafe.

Nothing is ever written to disk: each member becomes (name, bytes). Refused, each with a message
naming the member: absolute paths, `..`, backslashes, links and device files, a name given twice,
more than `max_files` files, a file larger than `max_file_bytes` or a total above
`max_total_bytes` once uncompressed (sizes are checked as read, not as declared, so a zip bomb
stops at the limit).
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

CHUNK = 64 * 1024


class ArchiveError(ValueError):
    """The archive is refused; the message names the member and what is wrong with it."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_archive_bytes: int = 5_000_000  # as uploaded
    max_files: int = 200
    max_file_bytes: int = 1_000_000  # one member, uncompressed
    max_total_bytes: int = 5_000_000  # all members, uncompressed


def _safe_name(raw: str) -> str:
    """The member's relative POSIX path, or ArchiveError saying why the name is refused."""
    if not raw or "\x00" in raw:
        raise ArchiveError(f"{raw!r}: an empty name or a NUL character in a name")
    if "\\" in raw:
        raise ArchiveError(f"{raw}: a backslash in a path (expected '/' separators)")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ArchiveError(f"{raw}: an absolute path; expected a path inside the pack")
    parts = [p for p in PurePosixPath(raw).parts if p != "."]
    if ".." in parts:
        raise ArchiveError(f"{raw}: '..' in a path would leave the pack (path traversal)")
    if not parts:
        raise ArchiveError(f"{raw!r}: not a file name")
    return "/".join(parts)


class _Collector:
    """Counts files and bytes across members and refuses what goes over the limits."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.files: dict[str, bytes] = {}
        self.total = 0

    def admit(self, raw: str, declared: int) -> str:
        name = _safe_name(raw)
        if name in self.files:
            raise ArchiveError(f"{name}: given twice in the archive")
        if len(self.files) >= self.limits.max_files:
            raise ArchiveError(f"{name}: more than {self.limits.max_files} files in the archive")
        self._check_size(name, declared, declared)
        return name

    def _check_size(self, name: str, size: int, extra: int) -> None:
        if size > self.limits.max_file_bytes:
            raise ArchiveError(
                f"{name}: larger than {self.limits.max_file_bytes} bytes uncompressed"
            )
        if self.total + extra > self.limits.max_total_bytes:
            raise ArchiveError(
                f"{name}: the archive holds more than {self.limits.max_total_bytes} bytes "
                "uncompressed"
            )

    def read(self, name: str, stream: IO[bytes]) -> None:
        """Read a member in chunks, stopping as soon as it passes a limit (whatever it declared)."""
        parts: list[bytes] = []
        size = 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            self._check_size(name, size, size)
            parts.append(chunk)
        self.total += size
        self.files[name] = b"".join(parts)


def read_archive(data: bytes, limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """The files of a zip or tar.gz archive by relative path; ArchiveError when it is refused."""
    limits = limits or ArchiveLimits()
    if len(data) > limits.max_archive_bytes:
        raise ArchiveError(f"the archive: larger than {limits.max_archive_bytes} bytes")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _read_zip(data, _Collector(limits))
    if data[:2] == b"\x1f\x8b":
        return _read_tar(data, _Collector(limits))
    raise ArchiveError("the archive: neither a zip nor a tar.gz file")


def _read_zip(data: bytes, files: _Collector) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"the archive: not a readable zip file ({exc})") from None
    with archive:
        for info in archive.infolist():
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ArchiveError(f"{info.filename}: a symbolic link; only plain files")
            if info.is_dir():
                _safe_name(info.filename)
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError(f"{info.filename}: encrypted; expected a plain zip")
            name = files.admit(info.filename, info.file_size)
            try:
                with archive.open(info) as stream:
                    files.read(name, stream)
            except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as exc:
                raise ArchiveError(f"{name}: cannot be read from the zip ({exc})") from None
    return files.files


def _read_tar(data: bytes, files: _Collector) -> dict[str, bytes]:
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"the archive: not a readable tar.gz file ({exc})") from None
    try:
        with archive:
            for member in archive:
                if member.issym() or member.islnk():
                    raise ArchiveError(f"{member.name}: a link; only plain files")
                if member.isdir():
                    _safe_name(member.name)
                    continue
                if not member.isfile():
                    raise ArchiveError(f"{member.name}: a device or special file")
                name = files.admit(member.name, member.size)
                stream = archive.extractfile(member)
                if stream is None:
                    raise ArchiveError(f"{name}: cannot be read from the tar.gz")
                files.read(name, stream)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError(f"the archive: the tar.gz is damaged ({exc})") from None
    return files.files

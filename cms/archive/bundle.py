"""Writing an archive bundle: a zip streamed to disk, every member checksummed on the way.

Members are written one by one (files are copied in chunks), so memory stays bounded whatever
the number of images; the manifest, which lists the path, SHA-256 and size of every other
member, is written last, once all checksums are known. Every member gets the same timestamp so
that two exports of the same content are identical zips except for the manifest's `created_at`.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import re
import shutil
import tomllib
import uuid
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "assises-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_SIZE = 1024 * 1024
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# Already-compressed media are stored as they are; everything else is deflated.
STORED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".zip", ".docx", ".pdf"}


class BundleError(Exception):
    """A bundle that cannot be written or read; the message says why, for a person."""


def generator() -> str:
    """« Assises 0.1.0 »: the version comes from pyproject.toml (or the installed package)."""
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        version = tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            version = metadata.version("assises")
        except metadata.PackageNotFoundError:
            version = "unknown"
    return f"Assises {version}"


_DRIVE = re.compile(r"^[A-Za-z]:")


def check_member_path(name: str) -> str:
    """`name` if it is a safe relative path inside the bundle, else BundleError (zip slip)."""
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or _DRIVE.match(name)
        or any(part in ("", ".", "..") for part in name.rstrip("/").split("/"))
    ):
        raise BundleError(_("Unsafe path in the archive: %(path)r.") % {"path": name})
    return name


def json_default(value: Any) -> Any:
    """JSON for the values model fields hold; datetimes keep their microseconds."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot encode {type(value).__name__} in an archive.")


def dumps(data: Any) -> bytes:
    """Deterministic JSON: sorted keys, UTF-8, one value per line for readable diffs."""
    return json.dumps(
        data, default=json_default, ensure_ascii=False, indent=1, sort_keys=True
    ).encode()


class _HashingReader:
    """Wraps a file: what is read through it is counted and hashed."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


class BundleWriter:
    """A zip being written: `write_bytes`/`write_file` per member, then `close(manifest)`."""

    def __init__(self, target: str | Path | BinaryIO) -> None:
        self.zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self.files: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def _info(self, path: str) -> zipfile.ZipInfo:
        check_member_path(path)
        if path in self.names or path == MANIFEST:
            raise BundleError(_("Two files of the archive are called %(path)s.") % {"path": path})
        self.names.add(path)
        info = zipfile.ZipInfo(path, date_time=ZIP_TIMESTAMP)
        stored = PurePosixPath(path).suffix.lower() in STORED_SUFFIXES
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def write_bytes(self, path: str, data: bytes) -> None:
        self.zip.writestr(self._info(path), data)
        self.files.append(
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )

    def write_json(self, path: str, data: Any) -> None:
        self.write_bytes(path, dumps(data))

    def write_file(self, path: str, source: IO[bytes], size: int | None = None) -> None:
        """Copy an open file into the bundle in chunks, hashing it on the way."""
        info = self._info(path)
        reader = _HashingReader(source)
        large = size is None or size >= zipfile.ZIP64_LIMIT
        with self.zip.open(info, "w", force_zip64=large) as member:
            shutil.copyfileobj(reader, member, CHUNK_SIZE)
        self.files.append({"path": path, "sha256": reader.sha256.hexdigest(), "size": reader.size})

    def close(self, counts: dict[str, int]) -> dict[str, Any]:
        """Write the manifest (last: it names every other member) and close the zip."""
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generator": generator(),
            "created_at": timezone.now().replace(microsecond=0).isoformat(),
            "counts": dict(sorted(counts.items())),
            "files": sorted(self.files, key=lambda entry: entry["path"]),
        }
        info = zipfile.ZipInfo(MANIFEST, date_time=ZIP_TIMESTAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, dumps(manifest))
        self.zip.close()
        return manifest

    def abort(self) -> None:
        self.zip.close()

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
import uuid
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

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
    """« Assises 0.1.0 »: the version of the installed package (in a host, the host's own
    pyproject.toml says nothing of ours)."""
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
    """Wraps a file: what is read through it is counted and hashed (SHA-256 for our manifest,
    SHA-512 too for the BagIt manifests, in the same pass)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha256 = hashlib.sha256()
        self.sha512 = hashlib.sha512()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.sha256.update(chunk)
        self.sha512.update(chunk)
        self.size += len(chunk)
        return chunk


def bag_path(name: str) -> str:
    """A path as BagIt manifests write it: CR, LF and « % » percent-encoded (RFC 8493 2.1.3)."""
    return name.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def bag_info_text(fields: list[tuple[str, str]]) -> bytes:
    """`bag-info.txt`: one « Label: value » line per field, in the order given (labels repeat)."""
    lines = []
    for label, value in fields:
        value = " ".join(str(value).split())  # no line breaks: no continuation lines to get wrong
        lines.append(f"{label}: {value}")
    return ("\n".join(lines) + "\n").encode()


class BundleWriter:
    """A zip being written: `write_bytes`/`write_file` per member, then `close(counts)`.

    With a `bag` name the zip holds one BagIt 1.0 bag (RFC 8493), the directory `<bag>/`: our
    members and `manifest.json` are its payload under `<bag>/data/`, and `close` adds the tag
    files that let standard tools (the Library of Congress' `bagit`) check it without our code.
    Without one it writes the pre-BagIt layout (members at the root), which imports still read.
    """

    def __init__(self, target: str | Path | BinaryIO, bag: str | None = None) -> None:
        self.zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self.bag = bag
        self.root = f"{bag}/" if bag else ""
        self.prefix = f"{bag}/data/" if bag else ""
        self.files: list[dict[str, Any]] = []  # listed in manifest.json
        self.payload: list[tuple[str, str, str, int]] = []  # (path, sha256, sha512, size)
        self.names: set[str] = set()

    def _info(self, path: str) -> zipfile.ZipInfo:
        check_member_path(path)
        if path in self.names or path == MANIFEST:
            raise BundleError(_("Two files of the archive are called %(path)s.") % {"path": path})
        self.names.add(path)
        return self._zip_info(self.prefix + path)

    @staticmethod
    def _zip_info(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
        stored = PurePosixPath(name).suffix.lower() in STORED_SUFFIXES | {".gz"}
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def _record(self, path: str, sha256: str, sha512: str, size: int, listed: bool) -> None:
        if listed:
            self.files.append({"path": path, "sha256": sha256, "size": size})
        self.payload.append((path, sha256, sha512, size))

    def write_bytes(self, path: str, data: bytes) -> None:
        self.zip.writestr(self._info(path), data)
        sha256, sha512 = hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest()
        self._record(path, sha256, sha512, len(data), listed=True)

    def write_json(self, path: str, data: Any) -> None:
        self.write_bytes(path, dumps(data))

    def write_file(
        self, path: str, source: IO[bytes], size: int | None = None, listed: bool = True
    ) -> None:
        """Copy an open file into the bundle in chunks, hashing it on the way.

        `listed=False` leaves it out of `manifest.json` (the BagIt manifests still cover it):
        for the WARC capture, whose dates would make two exports of the same content differ.
        """
        info = self._info(path)
        reader = _HashingReader(source)
        large = size is None or size >= zipfile.ZIP64_LIMIT
        with self.zip.open(info, "w", force_zip64=large) as member:
            shutil.copyfileobj(reader, member, CHUNK_SIZE)
        sha256, sha512 = reader.sha256.hexdigest(), reader.sha512.hexdigest()
        self._record(path, sha256, sha512, reader.size, listed=listed)

    def _tag(self, name: str, data: bytes, tags: list[tuple[str, bytes]]) -> None:
        self.zip.writestr(self._zip_info(self.root + name), data)
        tags.append((name, data))

    def close(
        self, counts: dict[str, int], bag_info: list[tuple[str, str]] | None = None
    ) -> dict[str, Any]:
        """Write the manifest (last: it names every other member), the bag's tag files when
        the bundle is a bag, and close the zip. `bag_info` are the descriptive fields of
        `bag-info.txt`; Bagging-Date, Payload-Oxum and Bag-Software-Agent are added here."""
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generator": generator(),
            "created_at": timezone.now().replace(microsecond=0).isoformat(),
            "counts": dict(sorted(counts.items())),
            "files": sorted(self.files, key=lambda entry: entry["path"]),
        }
        data = dumps(manifest)
        info = zipfile.ZipInfo(self.prefix + MANIFEST, date_time=ZIP_TIMESTAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)
        if self.bag:
            sha256, sha512 = hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest()
            self._record(MANIFEST, sha256, sha512, len(data), listed=False)
            self._write_tag_files(bag_info or [])
        self.zip.close()
        return manifest

    def _write_tag_files(self, bag_info: list[tuple[str, str]]) -> None:
        payload = sorted(self.payload)
        octets = sum(size for *_rest, size in payload)
        fields = [
            *bag_info,
            ("Bagging-Date", timezone.localdate().isoformat()),
            ("Bag-Software-Agent", generator()),
            ("Payload-Oxum", f"{octets}.{len(payload)}"),
        ]
        tags: list[tuple[str, bytes]] = []
        self._tag("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", tags)
        self._tag("bag-info.txt", bag_info_text(fields), tags)
        for column, algorithm in ((1, "sha256"), (2, "sha512")):
            lines = "".join(f"{row[column]}  data/{bag_path(row[0])}\n" for row in payload)
            self._tag(f"manifest-{algorithm}.txt", lines.encode(), tags)
        for algorithm in ("sha256", "sha512"):
            lines = "".join(
                f"{hashlib.new(algorithm, data).hexdigest()}  {name}\n" for name, data in tags
            )
            self.zip.writestr(self._zip_info(f"{self.root}tagmanifest-{algorithm}.txt"), lines)

    def abort(self) -> None:
        self.zip.close()

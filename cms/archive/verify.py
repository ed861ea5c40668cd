"""Reading an archive bundle, after checking all of it: nothing is imported from a bad bundle.

`open_bundle` refuses, with a message naming the problem, anything that is not a zip, a zip
without a manifest of a known format and version, a member listed with another size or
checksum, a listed member that is missing, an unlisted member, and any path that could escape
the bundle once extracted (absolute, `..`, backslashes, symbolic links: « zip slip »).
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .bundle import CHUNK_SIZE, FORMAT, FORMAT_VERSION, MANIFEST, BundleError, check_member_path


class Bundle:
    """A verified bundle, open for reading. Use as a context manager."""

    def __init__(self, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
        self.zip = archive
        self.manifest = manifest
        self.paths = {entry["path"] for entry in manifest["files"]}

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.zip.close()

    def has(self, path: str) -> bool:
        return path in self.paths

    def open(self, path: str) -> IO[bytes]:
        """A member as a file, streamed from the zip (never read whole into memory)."""
        if path not in self.paths:
            raise BundleError(_("The archive has no file %(path)s.") % {"path": path})
        return self.zip.open(path)

    def read_json(self, path: str, default: Any = None) -> Any:
        if path not in self.paths:
            return default
        with self.zip.open(path) as member:
            return json.load(member)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise BundleError(
            _("This is not an Assises archive: it has no %(name)s.") % {"name": MANIFEST}
        ) from None
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise BundleError(_("The archive's manifest is not valid JSON.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(
            _("This is not an Assises archive: its format is %(format)r, not %(expected)r.")
            % {
                "format": manifest.get("format") if isinstance(manifest, dict) else None,
                "expected": FORMAT,
            }
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleError(
            _("Unsupported archive format version %(version)r: this site reads version %(ours)s.")
            % {"version": manifest.get("format_version"), "ours": FORMAT_VERSION}
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
        for entry in files
    ):
        raise BundleError(_("The archive's manifest does not list its files properly."))
    return manifest


def _check_member(archive: zipfile.ZipFile, entry: dict[str, Any]) -> None:
    path = entry["path"]
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise BundleError(
            _("The file %(path)s listed in the manifest is missing.") % {"path": path}
        ) from None
    if info.file_size != entry["size"]:
        raise BundleError(
            _("The file %(path)s has %(actual)s bytes instead of %(expected)s.")
            % {"path": path, "actual": info.file_size, "expected": entry["size"]}
        )
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise BundleError(
            _("The file %(path)s is damaged: %(error)s.") % {"path": path, "error": error}
        ) from None
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise BundleError(
            _("The file %(path)s does not match its checksum in the manifest.") % {"path": path}
        )


def verify(archive: zipfile.ZipFile) -> dict[str, Any]:
    """Check the whole bundle and return its manifest, or raise BundleError."""
    seen: set[str] = set()
    for info in archive.infolist():
        check_member_path(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BundleError(
                _("The archive contains a symbolic link: %(path)s.") % {"path": info.filename}
            )
        if info.filename in seen:
            raise BundleError(_("The archive contains %(path)s twice.") % {"path": info.filename})
        seen.add(info.filename)
    manifest = _manifest(archive)
    listed = set()
    for entry in manifest["files"]:
        check_member_path(entry["path"])
        listed.add(entry["path"])
    unlisted = sorted(name for name in seen - listed - {MANIFEST} if not name.endswith("/"))
    if unlisted:
        raise BundleError(
            _("The archive contains files its manifest does not list: %(paths)s.")
            % {"paths": ", ".join(unlisted[:5])}
        )
    for entry in manifest["files"]:
        _check_member(archive, entry)
    return manifest


def open_bundle(path: str | Path) -> Bundle:
    """Open and verify the bundle at `path`; raise BundleError naming what is wrong."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BundleError(_("No such file: %(path)s.") % {"path": path}) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise BundleError(
            _("%(path)s is not a zip archive, or it is truncated or damaged.") % {"path": path}
        ) from None
    try:
        manifest = verify(archive)
    except BaseException:
        archive.close()
        raise
    return Bundle(archive, manifest)

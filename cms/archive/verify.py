"""Reading an archive bundle, after checking all of it: nothing is imported from a bad bundle.

`open_bundle` refuses, with a message naming the problem, a bundle over a limit (`limits`,
checked before any member is read), media that are not what their names say, anything that is
not a zip, a zip
without a manifest of a known format and version, a member listed with another size or
checksum, a listed member that is missing, an unlisted member, and any path that could escape
the bundle once extracted (absolute, `..`, backslashes, symbolic links: « zip slip »).

Two layouts are read: the BagIt bag (one directory `<bag>/` with its tag files, our members
and `manifest.json` under `<bag>/data/`) that exports write now, and the earlier layout with
the members at the root of the zip. In a bag, the payload files `manifest.json` does not list
(itself and the WARC capture) are checked against the bag's `manifest-sha256.txt`; the full
BagIt validation, with the `bagit` library, is `verify_archive`'s.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .bundle import CHUNK_SIZE, FORMAT, FORMAT_VERSION, MANIFEST, BundleError, check_member_path
from .limits import check_directory, check_media
from .media import MEDIA

# Tag files a bag written by export_archive may hold next to its `data/` directory.
TAG_FILES = {
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "manifest-sha512.txt",
    "tagmanifest-sha256.txt",
    "tagmanifest-sha512.txt",
}
# Payload files that manifest.json does not list (the bag's manifests cover them).
UNLISTED_PAYLOAD = {"site.warc.gz"}


class Bundle:
    """A verified bundle, open for reading. Use as a context manager."""

    def __init__(
        self, archive: zipfile.ZipFile, manifest: dict[str, Any], prefix: str = ""
    ) -> None:
        self.zip = archive
        self.manifest = manifest
        self.prefix = prefix  # "<bag>/data/" for a bag, "" for the pre-BagIt layout
        self.paths = {entry["path"] for entry in manifest["files"]}

    @property
    def is_bag(self) -> bool:
        return bool(self.prefix)

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
        return self.zip.open(self.prefix + path)

    def read_json(self, path: str, default: Any = None) -> Any:
        if path not in self.paths:
            return default
        with self.zip.open(self.prefix + path) as member:
            return json.load(member)


def payload_prefix(names: list[str]) -> str:
    """ "<bag>/data/" when the zip holds one BagIt bag, "" for the pre-BagIt layout."""
    if MANIFEST in names:
        return ""
    roots = {name.split("/", 1)[0] for name in names}
    if len(roots) == 1:
        root = roots.pop()
        if f"{root}/bagit.txt" in names and f"{root}/data/{MANIFEST}" in names:
            return f"{root}/data/"
    return ""


def _manifest(archive: zipfile.ZipFile, prefix: str) -> dict[str, Any]:
    try:
        raw = archive.read(prefix + MANIFEST)
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


def _check_member(archive: zipfile.ZipFile, entry: dict[str, Any], prefix: str = "") -> None:
    path = entry["path"]
    try:
        info = archive.getinfo(prefix + path)
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
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise BundleError(
            _("The file %(path)s is damaged: %(error)s.") % {"path": path, "error": error}
        ) from None
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise BundleError(
            _("The file %(path)s does not match its checksum in the manifest.") % {"path": path}
        )


def _bag_manifest(archive: zipfile.ZipFile, root: str) -> dict[str, str]:
    """The bag's SHA-256 payload manifest: payload path (without `data/`) -> checksum."""
    try:
        text = archive.read(f"{root}manifest-sha256.txt").decode()
    except (KeyError, UnicodeDecodeError):
        raise BundleError(_("The archive's BagIt manifest-sha256.txt is missing.")) from None
    found = {}
    for line in text.splitlines():
        digest, _sep, name = line.partition("  ")
        if not name.startswith("data/"):
            raise BundleError(_("The archive's BagIt manifest-sha256.txt is malformed."))
        name = name[5:].replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        found[name] = digest.lower()
    return found


def _check_bag(
    archive: zipfile.ZipFile, prefix: str, payload: set[str], manifest: dict[str, Any]
) -> None:
    """The bag's own manifest names exactly the payload, and what manifest.json does not
    check (itself, the WARC capture) matches it."""
    root = prefix[: -len("data/")]
    listed = _bag_manifest(archive, root)
    if set(listed) != payload:
        missing = sorted(set(listed) ^ payload)
        raise BundleError(
            _("The archive's BagIt manifest does not list its payload: %(paths)s.")
            % {"paths": ", ".join(missing[:5])}
        )
    checked = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    for path in sorted(payload - set(checked)):
        info = archive.getinfo(prefix + path)
        _check_member(
            archive, {"path": path, "sha256": listed[path], "size": info.file_size}, prefix
        )
    for path, digest in checked.items():
        if listed[path] != digest:
            raise BundleError(
                _("The file %(path)s does not match its checksum in the manifest.") % {"path": path}
            )


def verify(archive: zipfile.ZipFile) -> dict[str, Any]:
    """Check the whole bundle and return its manifest, or raise BundleError."""
    return _verify(archive)[0]


def _verify(archive: zipfile.ZipFile) -> tuple[dict[str, Any], str]:
    """Check the whole bundle: (its manifest, the payload prefix of its members).

    The limits come first, from the zip's directory alone: nothing is read from a bundle that
    breaks one. Media are checked last, once their checksums are known to be right.
    """
    check_directory(archive, payload_prefix(archive.namelist()) + MANIFEST)
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
    prefix = payload_prefix(sorted(seen))
    manifest = _manifest(archive, prefix)
    listed = set()
    for entry in manifest["files"]:
        check_member_path(entry["path"])
        listed.add(entry["path"])
    payload = {name[len(prefix) :] for name in seen if name.startswith(prefix)}
    payload = {name for name in payload if not name.endswith("/")}
    root = prefix[: -len("data/")]
    outside = {name for name in seen - {root + tag for tag in TAG_FILES} if not name.endswith("/")}
    outside = {name for name in outside if not name.startswith(prefix)}
    allowed = {MANIFEST} | (UNLISTED_PAYLOAD if prefix else set())
    unlisted = sorted((payload - listed - allowed) | outside)
    if unlisted:
        raise BundleError(
            _("The archive contains files its manifest does not list: %(paths)s.")
            % {"paths": ", ".join(unlisted[:5])}
        )
    for entry in manifest["files"]:
        _check_member(archive, entry, prefix)
    if prefix:
        _check_bag(archive, prefix, payload, manifest)
    for entry in manifest["files"]:
        if entry["path"].startswith(MEDIA):
            check_media(archive, prefix + entry["path"], entry["path"])
    return manifest, prefix


def open_zip(path: str | Path) -> zipfile.ZipFile:
    """The zip file at `path`, or BundleError saying why it cannot be read."""
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BundleError(_("No such file: %(path)s.") % {"path": path}) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise BundleError(
            _("%(path)s is not a zip archive, or it is truncated or damaged.") % {"path": path}
        ) from None


def open_bundle(path: str | Path) -> Bundle:
    """Open and verify the bundle at `path`; raise BundleError naming what is wrong."""
    archive = open_zip(path)
    try:
        manifest, prefix = _verify(archive)
    except BaseException:
        archive.close()
        raise
    return Bundle(archive, manifest, prefix)

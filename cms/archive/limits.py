"""Bounds on an archive bundle, checked from the zip's directory before any member is read.

A bundle comes from outside (another site, an old backup, a partner): a 1 MB zip can declare a
`data/documents.json` of a gigabyte that `json.load` would hold in memory, or millions of
members. `check_directory` refuses those from the zip's central directory alone, so refusing
costs milliseconds and no memory. What is then read cannot exceed what was declared: `zipfile`
stops a member at its declared size and checks its CRC, and `verify` compares sizes and SHA-256.

- ``ASSISES["ARCHIVE_MAX_MEMBERS"]`` (200,000): members of the zip;
- ``ASSISES["ARCHIVE_MAX_MANIFEST_BYTES"]`` (64 MiB): ``manifest.json``, read whole;
- ``ASSISES["ARCHIVE_MAX_DATA_BYTES"]`` (256 MiB): each JSON or text member, read whole;
- ``ASSISES["ARCHIVE_MAX_MEMBER_BYTES"]`` (4 GiB): any other member (media, the WARC), streamed;
- ``ASSISES["ARCHIVE_MAX_TOTAL_BYTES"]`` (32 GiB): all members once decompressed;
- ``ASSISES["ARCHIVE_MAX_RATIO"]`` (200): decompressed / compressed size of a member over 1 MiB.

`check_media` makes imported files what their names say: images must open and verify with
Pillow, other files must have an extension of ``WAGTAILDOCS_EXTENSIONS`` and start like one.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from wagtail.images.utils import get_allowed_image_extensions

from ..conf import assises_settings
from .bundle import BundleError

MIB = 1024 * 1024
GIB = 1024 * MIB
# The settings, in the order of `ArchiveLimits`'s fields (defaults in cms.conf).
SETTING_NAMES = (
    "ARCHIVE_MAX_MEMBERS",
    "ARCHIVE_MAX_MANIFEST_BYTES",
    "ARCHIVE_MAX_DATA_BYTES",
    "ARCHIVE_MAX_MEMBER_BYTES",
    "ARCHIVE_MAX_TOTAL_BYTES",
    "ARCHIVE_MAX_RATIO",
)
# Members read whole into memory (parsed JSON, the bag's tag files), by suffix.
READ_WHOLE = {".json", ".txt"}
# Small members compress better than any payload would: the ratio is judged above this size.
_RATIO_FLOOR_BYTES = MIB
# How a document of each allowed extension starts; a type missing here needs no NUL byte.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
}
_TEXT_TYPES = {"txt", "csv", "md"}
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class ArchiveLimits:
    """The limits in force, read from the settings (see the module docstring)."""

    max_members: int
    max_manifest_bytes: int
    max_data_bytes: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        def get(name: str) -> int:
            return int(getattr(assises_settings, name))

        return cls(*(get(name) for name in SETTING_NAMES))


def _over(path: str, limit: int, setting: str) -> BundleError:
    return BundleError(
        _("The file %(path)s is larger than the limit of %(size)s (%(setting)s).")
        % {"path": path, "size": filesizeformat(limit), "setting": setting}
    )


def check_directory(
    archive: zipfile.ZipFile, manifest_name: str, limits: ArchiveLimits | None = None
) -> None:
    """Refuse a bundle whose directory breaks a limit; reads no member."""
    limits = limits or ArchiveLimits.from_settings()
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise BundleError(
            _("The archive holds %(count)d files, more than the limit of %(limit)d (%(setting)s).")
            % {
                "count": len(infos),
                "limit": limits.max_members,
                "setting": "ASSISES['ARCHIVE_MAX_MEMBERS']",
            }
        )
    total = 0
    for info in infos:
        suffix = PurePosixPath(info.filename).suffix.lower()
        if info.filename == manifest_name:
            limit, setting = limits.max_manifest_bytes, "ASSISES['ARCHIVE_MAX_MANIFEST_BYTES']"
        elif suffix in READ_WHOLE:
            limit, setting = limits.max_data_bytes, "ASSISES['ARCHIVE_MAX_DATA_BYTES']"
        else:
            limit, setting = limits.max_member_bytes, "ASSISES['ARCHIVE_MAX_MEMBER_BYTES']"
        if info.file_size > limit:
            raise _over(info.filename, limit, setting)
        if info.file_size > _RATIO_FLOOR_BYTES and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise BundleError(
                _(
                    "The file %(path)s is compressed more than %(ratio)d times, the limit "
                    "(%(setting)s): a decompression bomb is likely."
                )
                % {
                    "path": info.filename,
                    "ratio": limits.max_ratio,
                    "setting": "ASSISES['ARCHIVE_MAX_RATIO']",
                }
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise BundleError(
            _("The archive decompresses to more than the limit of %(size)s (%(setting)s).")
            % {
                "size": filesizeformat(limits.max_total_bytes),
                "setting": "ASSISES['ARCHIVE_MAX_TOTAL_BYTES']",
            }
        )


def _not_what_it_claims(path: str, kind: str) -> BundleError:
    return BundleError(
        _("The file %(path)s is not what its name says (%(kind)s).") % {"path": path, "kind": kind}
    )


def check_media(archive: zipfile.ZipFile, name: str, path: str) -> None:
    """Refuse a media member (zip name ``name``, shown as ``path``) that is not what it claims.

    Images (Wagtail's allowed image extensions) must open and pass `Image.verify()` in Pillow,
    which also refuses decompression bombs; documents must have an extension of
    ``WAGTAILDOCS_EXTENSIONS`` and begin with that type's signature (no NUL byte for text).
    """
    extension = PurePosixPath(path).suffix.lower().lstrip(".")
    if extension in {ext.lower() for ext in get_allowed_image_extensions()}:
        try:
            with archive.open(name) as member, Image.open(member) as image:
                image.verify()
        except Exception:  # Pillow raises a dozen types for a bad or hostile file
            raise _not_what_it_claims(path, _("not an image Pillow can read")) from None
        return
    allowed = {ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []}
    if allowed and extension not in allowed:
        raise _not_what_it_claims(path, _("this file type is not accepted"))
    with archive.open(name) as member:
        head = member.read(_SNIFF_BYTES)
    magic = _MAGIC.get(extension)
    if magic is not None and not head.startswith(magic):
        raise _not_what_it_claims(path, _("its content is of another type"))
    if (magic is None or extension in _TEXT_TYPES) and b"\x00" in head:
        raise _not_what_it_claims(path, _("its content is binary"))

"""Bounds on what an import may cost, checked before anything is decompressed or parsed.

An uploaded file is attacker-controlled: a 300 KB .docx can declare (or hide) gigabytes of XML,
and a 50 MB text file costs seconds of encoding detection. Every importer (communiqués, programmes,
the admin upload, the commands) asks this module first, so the limits live in one place and in
the settings:

- ``ASSISES["IMPORT_MAX_FILE_BYTES"]`` (5 MiB): the file as uploaded (compressed for .docx);
- ``ASSISES["IMPORT_MAX_UNZIPPED_BYTES"]`` (50 MiB): all members of a .docx once decompressed;
- ``ASSISES["IMPORT_MAX_RATIO"]`` (100): decompressed / compressed size of a member over 64 KiB;
- ``ASSISES["IMPORT_MAX_MEMBERS"]`` (1,000): members of a .docx (Word writes 10 to 50).

A .docx is checked in two steps. First its central directory (the table of contents at the end
of the zip, read without decompressing anything): member count, declared sizes and ratios.
Then every member is inflated as a stream with a hard cap, so that a member lying about its size
in the directory is stopped as soon as it produces more than it declared, never after.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from cms.conf import assises_settings
from cms.frenchtext import ParseError

MIB = 1024 * 1024
# Small members compress far better than any real payload would (an empty XML part); the ratio
# is only judged on members big enough to matter.
_RATIO_FLOOR_BYTES = 64 * 1024
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, file name length, extra field length


class ImportLimitExceeded(ParseError):
    """A file refused by a limit; the message is translated and names the limit and its setting."""


@dataclass(frozen=True)
class ImportLimits:
    """The limits in force, read from the settings (see the module docstring)."""

    max_file_bytes: int
    max_unzipped_bytes: int
    max_ratio: int
    max_members: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        def get(name: str) -> int:
            return int(getattr(assises_settings, name))

        return cls(
            max_file_bytes=get("IMPORT_MAX_FILE_BYTES"),
            max_unzipped_bytes=get("IMPORT_MAX_UNZIPPED_BYTES"),
            max_ratio=get("IMPORT_MAX_RATIO"),
            max_members=get("IMPORT_MAX_MEMBERS"),
        )


def _size(size: int) -> str:
    return str(filesizeformat(size))  # "5,0 Mo" in French


def check_file_size(size: int, limits: ImportLimits | None = None) -> None:
    """Refuse a file over ``ASSISES["IMPORT_MAX_FILE_BYTES"]`` before it is read or decoded."""
    limits = limits or ImportLimits.from_settings()
    if size > limits.max_file_bytes:
        raise ImportLimitExceeded(
            gettext(
                "The file is larger than the import limit of %(size)s "
                "(ASSISES['IMPORT_MAX_FILE_BYTES'])."
            )
            % {"size": _size(limits.max_file_bytes)}
        )


def _too_big(limits: ImportLimits) -> ImportLimitExceeded:
    return ImportLimitExceeded(
        gettext(
            "Once decompressed, the document would exceed the import limit of %(size)s "
            "(ASSISES['IMPORT_MAX_UNZIPPED_BYTES'])."
        )
        % {"size": _size(limits.max_unzipped_bytes)}
    )


def _unreadable() -> ParseError:
    return ParseError(gettext("This is not a readable Word (.docx) document."))


def _check_directory(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ImportLimitExceeded(
            gettext(
                "The document holds %(count)d parts, more than the import limit of %(limit)d "
                "(ASSISES['IMPORT_MAX_MEMBERS'])."
            )
            % {"count": len(members), "limit": limits.max_members}
        )
    if sum(info.file_size for info in members) > limits.max_unzipped_bytes:
        raise _too_big(limits)
    for info in members:
        if info.file_size > _RATIO_FLOOR_BYTES and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise ImportLimitExceeded(
                gettext(
                    "The part %(name)s is compressed more than %(ratio)d times, the import "
                    "limit (ASSISES['IMPORT_MAX_RATIO']): a decompression bomb is likely."
                )
                % {"name": info.filename, "ratio": limits.max_ratio}
            )


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, limits: ImportLimits) -> int:
    """Inflate one member with a hard cap; return its real size. Never trusts the directory."""
    try:
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, info.header_offset)
    except struct.error as error:
        raise _unreadable() from error
    if signature != b"PK\x03\x04" or info.flag_bits & 0x1:  # no header, or encrypted
        raise _unreadable()
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    # A member may not produce more than it declares, nor more than what is left of the budget.
    cap = min(info.file_size, budget) + 1
    if info.compress_type == zipfile.ZIP_STORED:
        produced = len(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        produced, checksum = 0, 0
        try:
            for offset in range(0, len(raw), _CHUNK):
                pending = raw[offset : offset + _CHUNK]
                while pending and produced < cap:
                    out = inflater.decompress(pending, min(_CHUNK, cap - produced))
                    produced += len(out)
                    checksum = zlib.crc32(out, checksum)
                    pending = inflater.unconsumed_tail
                if produced >= cap:
                    break
        except zlib.error as error:
            raise _unreadable() from error
        if produced < cap and checksum != info.CRC:
            raise _unreadable()
    else:  # Word writes deflate or stored members only
        raise _unreadable()
    if produced > budget:
        raise _too_big(limits)
    if produced > info.file_size:
        raise ImportLimitExceeded(
            gettext(
                "The part %(name)s decompresses to more than the %(size)d bytes it declares: "
                "a decompression bomb is likely."
            )
            % {"name": info.filename, "size": info.file_size}
        )
    return produced


def check_zip(data: bytes, limits: ImportLimits | None = None) -> None:
    """Refuse a zip-based document (.docx) that breaks a limit, before any parser opens it.

    Raises `ImportLimitExceeded` naming the limit, or `ParseError` when the zip is damaged. Costs
    at most one inflate of ``ASSISES["IMPORT_MAX_UNZIPPED_BYTES"]``, whatever the headers claim.
    """
    limits = limits or ImportLimits.from_settings()
    check_file_size(len(data), limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_directory(archive, limits)
            budget = limits.max_unzipped_bytes
            for info in archive.infolist():
                budget -= _inflate(data, info, budget, limits)
    except zipfile.BadZipFile as error:
        raise _unreadable() from error
